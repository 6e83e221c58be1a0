// The harness's side of the test-only helper extension (test/e2e/fixtures/test-control): runs commands in the
// extension host without the command palette, for steps that prepare a test rather than being what it tests.
import * as fs from 'node:fs';
import { waitUntil } from './waitUntil';

/** The variable telling the helper extension where to write the port it listens on. */
export const TEST_CONTROL_PORT_FILE_VARIABLE = 'SQT_TEST_CONTROL_PORT_FILE';

interface ControlAnswer {
  readonly result?: unknown;
  readonly error?: string;
}

export class TestControl {
  constructor(private readonly portFile: string) {}

  /**
   * Starts a command as a keybinding or menu would and returns once it runs; a command that asks through a quick
   * input goes on waiting for the answers the test gives.
   */
  async startCommand(command: string, ...args: unknown[]): Promise<void> {
    await this.request({ command, args, wait: false });
  }

  /** Runs a command to its end and returns its result; a command that failed fails this call with its message. */
  async runCommand(command: string, ...args: unknown[]): Promise<unknown> {
    const answer = await this.request({ command, args, wait: true });
    if (answer.error !== undefined) throw new Error(`${command} failed in the extension host: ${answer.error}`);
    return answer.result;
  }

  private async request(body: { command: string; args: unknown[]; wait: boolean }): Promise<ControlAnswer> {
    // The helper extension activates on startup finished: until then it has not written its port.
    await waitUntil(() => fs.existsSync(this.portFile) && fs.readFileSync(this.portFile, 'utf8') !== '',
      'the test control extension listens');
    const port = fs.readFileSync(this.portFile, 'utf8');
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`test control answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as ControlAnswer;
  }
}

// The bundled launcher, installed into global storage as activation does, run as an MCP client runs the entry: command, args and env of the written entry, in a minimal
// environment (HOME, PATH and the desktop session's bus; no SONARQUBE_TOKEN), against a real Secret Service, starting
// the stub MCP server. The token reaches the server's environment and nothing else: no output, argv or file.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mcpCredentialAccount } from '../../../src/core/credentials/credentialStore';
import { KeyringCredentialStore } from '../../../src/core/credentials/keyringStore';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { launcherEntry } from '../../../src/core/mcp/launcherEntry';
import type { LauncherRuntime, McpClientEntry } from '../../../src/core/mcp/launcherEntry';
import { installLauncher, launcherFolder } from '../../../src/core/mcp/launcherInstall';
import { repairLauncherEntry } from '../../../src/core/mcp/launcherRepair';
import { freshTokenValue } from '../support/fakeTokenApi';
import { keyringSessionFor } from '../support/keyringSession';
import type { KeyringSession } from '../support/keyringSession';
import { buildLauncher } from '../support/launcherBuild';
import type { LauncherBuild } from '../support/launcherBuild';

const STUB = path.resolve(__dirname, '../../../../test/stubs/stub-mcp-server.cjs');
const BIND_AGAIN = 'In VS Code, run "SonarQube Tokens: Bind Token to MCP Server…" again.';

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Started {
  /** Resolves with the answer to a ping, proving stdio reaches the server both ways. */
  ping(): Promise<unknown>;
  closeStdin(): void;
  kill(signal: NodeJS.Signals): void;
  readonly done: Promise<Run>;
}

describe('MCP launcher (bundled, real process, real keyring)', function () {
  this.timeout(20_000);
  let session: KeyringSession;
  let build: LauncherBuild;
  let store: KeyringCredentialStore;
  let runtime: LauncherRuntime;
  let record: string;
  const tokens: string[] = [];

  before(async function () {
    session = await keyringSessionFor(this);
    session.enter();
    build = buildLauncher();
    store = new KeyringCredentialStore(() => build.loadKeyring());
    const install = await installLauncher(nodeFileSystem, { distFolder: build.folder, storagePath: path.join(session.home, 'globalStorage'), executable: process.execPath });
    runtime = install.runtime!;
  });
  after(async () => {
    await session?.stop();
    build?.remove();
  });
  beforeEach(() => {
    record = path.join(session.home, `record-${Date.now()}.jsonl`);
  });
  afterEach(function () {
    // The secret canary: no token of this suite in the launcher's folder, whatever the test did.
    const folder = launcherFolder(path.join(session.home, 'globalStorage'));
    for (const file of fs.readdirSync(folder)) {
      const content = fs.readFileSync(path.join(folder, file)).toString('latin1');
      for (const token of tokens) assert.ok(!content.includes(token), `${file} holds a token`);
    }
  });

  const entryFor = (bindingId: string, command = process.execPath): McpClientEntry =>
    launcherEntry(runtime, bindingId, { command, args: [STUB], env: { SONARQUBE_URL: 'https://sq.example.com' }, warnings: [] });

  async function bind(bindingId: string): Promise<string> {
    const token = freshTokenValue();
    tokens.push(token);
    await store.set(mcpCredentialAccount(bindingId), token);
    return token;
  }

  /** Starts the entry exactly as a client would, from a desktop session that exported nothing. */
  function start(entry: McpClientEntry, extraEnv: Record<string, string> = {}): Started {
    const env = { HOME: session.home, PATH: process.env.PATH!, DBUS_SESSION_BUS_ADDRESS: session.address, ...entry.env, STUB_MCP_RECORD: record, ...extraEnv };
    const child = spawn(entry.command, entry.args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const waiting: Array<(answer: unknown) => void> = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.endsWith('\n')) waiting.shift()?.(JSON.parse(stdout.trim().split('\n').pop()!));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<Run>((resolve) => child.once('exit', (code, signal) => resolve({ stdout, stderr, code, signal })));
    return {
      ping: () =>
        new Promise((resolve) => {
          waiting.push(resolve);
          child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) + '\n');
        }),
      closeStdin: () => child.stdin.end(),
      kill: (signal) => child.kill(signal),
      done,
    };
  }

  const recorded = (): Array<{ env?: Record<string, string>; argv?: string[] }> =>
    fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];

  function assertNoLeak(entry: McpClientEntry, run: Run, token: string): void {
    assert.ok(!run.stdout.includes(token), 'stdout holds the token');
    assert.ok(!run.stderr.includes(token), 'stderr holds the token');
    assert.ok(!JSON.stringify(entry).includes(token), 'the entry (argv, env) holds the token');
    for (const line of recorded()) assert.ok(!JSON.stringify(line.argv ?? []).includes(token), "the server's argv holds the token");
  }

  it("hands the stored token to the server's environment, passes stdio through and returns the exit code", async () => {
    const token = await bind('b-run');
    const entry = entryFor('b-run');
    const server = start(entry, { STUB_MCP_EXIT_CODE: '7' });
    assert.deepEqual(await server.ping(), { jsonrpc: '2.0', id: 1, result: {} });
    server.closeStdin();
    const run = await server.done;
    assert.deepEqual([run.code, run.signal, run.stderr], [7, null, '']);
    const [started] = recorded();
    assert.deepEqual(started.env, { SONARQUBE_TOKEN: token, SONARQUBE_URL: 'https://sq.example.com' });
    assert.deepEqual(started.argv!.slice(1), [STUB]);
    assertNoLeak(entry, run, token);
  });

  it('starts an entry written for a runtime and launcher that have since moved, once repaired', async () => {
    const token = await bind('b-moved');
    const current = entryFor('b-moved');
    const stale = { ...current, command: '/opt/VSCode-1.100/code', args: ['/home/old-profile/globalStorage/launcher/launcher.js', ...current.args.slice(1)] };
    const repaired = repairLauncherEntry(stale, runtime)!;
    assert.deepEqual(repaired, current);
    const server = start(repaired);
    await server.ping();
    server.closeStdin();
    const run = await server.done;
    assert.equal(run.code, 0);
    assert.equal(recorded()[0].env!.SONARQUBE_TOKEN, token);
    assertNoLeak(repaired, run, token);
  });

  it('forwards SIGTERM to the server and dies of it too', async () => {
    const token = await bind('b-term');
    const entry = entryFor('b-term');
    const signals = `${record}.signals`;
    const server = start(entry, { STUB_MCP_RECORD_SIGTERM: signals });
    await server.ping();
    server.kill('SIGTERM');
    const run = await server.done;
    assert.deepEqual([run.code, run.signal], [null, 'SIGTERM']);
    assert.equal(fs.readFileSync(signals, 'utf8'), '{"signal":"SIGTERM"}\n');
    assertNoLeak(entry, run, token);
  });

  it('with its entry deleted, prints one line saying what to do and starts nothing', async () => {
    const token = await bind('b-gone');
    await store.delete(mcpCredentialAccount('b-gone'));
    const entry = entryFor('b-gone');
    const run = await start(entry).done;
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `SonarQube Tokens: no token is stored for this MCP server (binding b-gone). ${BIND_AGAIN}\n`);
    assert.equal(run.stdout, '');
    assert.deepEqual(recorded(), []);
    assertNoLeak(entry, run, token);
  });

  it("when the server's command is not on PATH, prints one line naming it", async () => {
    const token = await bind('b-nocmd');
    const entry = entryFor('b-nocmd', 'sqt-no-such-mcp-server');
    const run = await start(entry).done;
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      'SonarQube Tokens: cannot start the MCP server: "sqt-no-such-mcp-server" was not found on this MCP client\'s PATH. Install it, or choose another launch in the VS Code setting sonarqubeTokens.mcp.launcher and run "SonarQube Tokens: Bind Token to MCP Server…" again.\n',
    );
    assertNoLeak(entry, run, token);
  });

  it('without a Secret Service, prints one line saying so and starts nothing', async function () {
    if (process.platform !== 'linux') this.skip();
    const token = await bind('b-nobus');
    const entry = entryFor('b-nobus');
    const run = await start(entry, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/sqt-no-bus' }).done;
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `SonarQube Tokens: cannot read the token of this MCP server (binding b-nobus): No Secret Service (such as GNOME Keyring or KWallet) is running on this machine, as is usual on remote, container and WSL hosts. ${BIND_AGAIN}\n`,
    );
    assert.deepEqual(recorded(), []);
    assertNoLeak(entry, run, token);
  });

  it('refuses an entry it did not write, in one line', async () => {
    const run = await start({ command: process.execPath, args: [runtime.script, 'docker', 'run'], env: {} }).done;
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `SonarQube Tokens: this MCP server entry is not one the extension wrote (expected --binding <id> -- <command>). ${BIND_AGAIN}\n`);
  });
});

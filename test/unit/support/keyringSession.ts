// A private Linux Secret Service for the credential-store tests: a D-Bus session with an unlocked gnome-keyring, its
// keyrings in a temporary HOME (the developer's own keyring is never touched). The tests FAIL when gnome-keyring or
// dbus is missing, unless SQT_SKIP_KEYRING_TESTS=1 says this machine has none (CI never sets it: .ci/run installs them).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SKIP_KEYRING_ENV = 'SQT_SKIP_KEYRING_TESTS';

export interface KeyringSession {
  /** DBUS_SESSION_BUS_ADDRESS of the session. */
  readonly address: string;
  /** The session's HOME, where the keyring files live. */
  readonly home: string;
  /** Makes this process's keyring calls use the session (restored by `stop`). */
  enter(): void;
  stop(): Promise<void>;
}

const TOOLS = ['dbus-run-session', 'gnome-keyring-daemon'];

function missingTools(): string[] {
  return TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0);
}

/** Starts the session in a mocha `before`; skips (with the reason printed) only when SQT_SKIP_KEYRING_TESTS=1. */
export async function keyringSessionFor(context: Mocha.Context): Promise<KeyringSession> {
  context.timeout(20_000);
  const missing = missingTools();
  if (missing.length > 0) {
    const reason = `${missing.join(' and ')} not found: the credential-store tests need a Secret Service (apt-get install gnome-keyring dbus dbus-x11)`;
    if (process.env[SKIP_KEYRING_ENV] === '1') {
      process.stdout.write(`  skipped: ${reason}; ${SKIP_KEYRING_ENV}=1 is set\n`);
      context.skip();
    }
    throw new Error(`${reason}, or set ${SKIP_KEYRING_ENV}=1 to skip them on a machine that has none.`);
  }
  return startKeyringSession();
}

/** The session itself, for callers that are not mocha suites (the bench): fails when the tools are missing. */
export async function startKeyringSession(): Promise<KeyringSession> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-keyring-'));
  const runtimeDir = path.join(home, 'run');
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  // The keyring is unlocked with a throwaway password; `cat` keeps the session alive until stdin closes.
  const script = 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat >/dev/null';
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', script], {
    env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_RUNTIME_DIR: runtimeDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.trim());
    });
    child.once('error', (error) => reject(new Error(`the D-Bus session with gnome-keyring did not start: ${error.message} (apt-get install gnome-keyring dbus dbus-x11)`)));
    child.once('exit', (code) => reject(new Error(`the D-Bus session with gnome-keyring did not start (exit ${code}): ${stderr.trim()}`)));
  });
  const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
  return {
    address,
    home,
    enter: () => void (process.env.DBUS_SESSION_BUS_ADDRESS = address),
    async stop() {
      if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
      await stopSession(child);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

function stopSession(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin!.end();
  });
}

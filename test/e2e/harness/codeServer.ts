// Installs code-server (VS Code in a browser) once into a cache folder outside the repository, so editor tests and
// `npm start` can run a real VS Code on machines that cannot download one. See docs in
// /work/shared/reference/vscode-in-a-browser.md: code-server needs Node 24 and native modules built against its headers.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_PACKAGE = 'node@24';
export const CHROMIUM_PATH = '/usr/bin/chromium';
const INSTALL_LOCK_WAIT_MS = 20 * 60_000;

export interface CodeServerInstall {
  /** Folder holding the completed install. */
  readonly root: string;
  /** The Node 24 binary code-server runs on. */
  readonly nodeBinary: string;
  /** code-server's entry script, run as `<nodeBinary> <entryScript> ...`. */
  readonly entryScript: string;
}

/** Root of everything this project caches outside git; `SONARQUBE_TOKENS_CACHE` overrides it. */
export function cacheRoot(): string {
  return process.env.SONARQUBE_TOKENS_CACHE || path.join(os.homedir(), '.cache', 'sonarqube-tokens');
}

function installLayout(root: string): CodeServerInstall {
  const nodePackage = path.join(root, 'node', 'node_modules', 'node');
  return {
    root,
    nodeBinary: path.join(nodePackage, 'bin', 'node'),
    entryScript: path.join(root, 'server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function isComplete(install: CodeServerInstall): boolean {
  return fs.existsSync(install.nodeBinary) && fs.existsSync(install.entryScript);
}

export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: the editor tests drive Debian's Chromium. ` +
      'Install it with: apt-get install -y chromium');
  }
}

function requireKerberosHeaders(): void {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, 'krb5-config')));
  if (!onPath && !fs.existsSync('/usr/include/krb5.h')) {
    throw new Error('libkrb5 development files are missing (no krb5-config, no /usr/include/krb5.h): code-server\'s ' +
      'native "kerberos" module cannot build. Install them with: apt-get install -y libkrb5-dev');
  }
}

/**
 * Environment for npm and code-server: Node 24 first on PATH, and none of the outer `npm test` run's npm_* variables
 * (they point at Node 22 and the repository's prefix).
 */
export function node24Environment(install: Pick<CodeServerInstall, 'nodeBinary'>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD') env[key] = value;
  }
  env.PATH = [path.dirname(install.nodeBinary), process.env.PATH ?? ''].join(path.delimiter);
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(logFile, 'a');
    fs.writeSync(log, `\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
    child.on('error', (error) => { fs.closeSync(log); reject(error); });
    child.on('exit', (code, signal) => {
      fs.closeSync(log);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); see ${logFile}`));
    });
  });
}

async function npmInstall(folder: string, spec: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--prefix', folder, '--no-audit', '--no-fund', '--no-save', spec], folder, env, logFile);
}

async function installInto(partial: string, logFile: string, log: (line: string) => void): Promise<void> {
  const layout = installLayout(partial);
  fs.mkdirSync(partial, { recursive: true });
  log(`Installing ${NODE_PACKAGE} into ${partial}`);
  // Node 24 lives in a folder of its own: an install next to it would re-run its preinstall and rewrite the headers
  // code-server's native modules are compiling against.
  await npmInstall(path.join(partial, 'node'), NODE_PACKAGE, node24Environment({ nodeBinary: process.execPath }), logFile);
  const headers = path.join(partial, 'node', 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
  if (!fs.existsSync(path.join(headers, 'include', 'node', 'node.h'))) {
    throw new Error(`${NODE_PACKAGE} installed without its headers (expected under ${headers}); see ${logFile}`);
  }
  log(`Installing code-server@${CODE_SERVER_VERSION} (a few minutes, about 620 MB); log: ${logFile}`);
  await npmInstall(path.join(partial, 'server'), `code-server@${CODE_SERVER_VERSION}`,
    node24Environment(layout, { npm_config_nodedir: headers }), logFile);
  if (!isComplete(layout)) throw new Error(`code-server installed without ${layout.entryScript}; see ${logFile}`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An exclusive lock as a directory (mkdir is atomic); a lock left by a dead process is taken over. */
async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + INSTALL_LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readOr(path.join(lockDir, 'pid'), '0'));
      if (owner > 0 && !processIsAlive(owner)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockDir} (held by process ${owner})`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * Returns the cached code-server, installing it first if needed. The install happens in a temporary sibling folder
 * renamed into place only when complete, so a failed or interrupted install never leaves a half tree behind.
 */
export async function ensureCodeServer(log: (line: string) => void = () => undefined): Promise<CodeServerInstall> {
  const root = path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const install = installLayout(root);
  if (isComplete(install)) return install;
  requireKerberosHeaders();
  fs.mkdirSync(cacheRoot(), { recursive: true });
  return withLock(`${root}.lock`, async () => {
    if (isComplete(install)) return install; // another run finished it while we waited
    const partial = `${root}.partial-${process.pid}`;
    const logFile = `${root}.install.log`; // outside the partial folder, so it outlives a failed install
    fs.rmSync(partial, { recursive: true, force: true });
    fs.writeFileSync(logFile, '');
    try {
      await installInto(partial, logFile, log);
      fs.rmSync(root, { recursive: true, force: true });
      fs.renameSync(partial, root);
    } catch (error) {
      fs.rmSync(partial, { recursive: true, force: true });
      throw error;
    }
    log(`code-server ${CODE_SERVER_VERSION} is ready in ${root}`);
    return install;
  });
}

/** Folders one code-server instance keeps its state in. */
export interface CodeServerProfile {
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** HOME of the server and its extension host: MCP client files of other editors land here. */
  readonly home: string;
}

function profileEnvironment(install: CodeServerInstall, profile: CodeServerProfile, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return node24Environment(install, {
    HOME: profile.home,
    XDG_CONFIG_HOME: path.join(profile.home, '.config'),
    XDG_DATA_HOME: path.join(profile.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(profile.home, '.cache'),
    ...extra,
  });
}

function profileArgs(profile: CodeServerProfile): string[] {
  return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Installs VSIX files into a profile (`--force` so a rebuilt VSIX of the same version replaces the old one). */
export async function installExtensions(install: CodeServerInstall, profile: CodeServerProfile, vsixFiles: string[], logFile: string): Promise<void> {
  if (vsixFiles.length === 0) return;
  for (const dir of [profile.userDataDir, profile.extensionsDir, profile.home]) fs.mkdirSync(dir, { recursive: true });
  const args = [install.entryScript, ...profileArgs(profile), '--force'];
  for (const vsix of vsixFiles) args.push('--install-extension', vsix);
  await run(install.nodeBinary, args, profile.home, profileEnvironment(install, profile, {}), logFile);
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  /** Stops code-server and every process it started (its extension host, terminals, MCP servers). */
  stop(): Promise<void>;
}

/** Starts code-server on 127.0.0.1:<port> without auth, telemetry, update checks or workspace trust. */
export async function startCodeServer(options: {
  install: CodeServerInstall;
  profile: CodeServerProfile;
  port: number;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}): Promise<RunningCodeServer> {
  const { install, profile, port, logFile } = options;
  for (const dir of [profile.userDataDir, profile.extensionsDir, profile.home]) fs.mkdirSync(dir, { recursive: true });
  const log = fs.openSync(logFile, 'a');
  const child = spawn(install.nodeBinary, [
    install.entryScript, ...profileArgs(profile),
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
  ], {
    cwd: profile.home,
    env: profileEnvironment(install, profile, options.env ?? {}),
    stdio: ['ignore', log, log],
    // Its own process group, so stop() also reaches the extension host and the processes it spawned.
    detached: true,
  });
  fs.closeSync(log);
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  // Also when the test runner exits abruptly (mocha --exit), no code-server is left behind.
  const onExit = (): void => killGroup('SIGKILL');
  process.once('exit', onExit);
  const running: RunningCodeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      process.removeListener('exit', onExit);
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      if (!exited) await exit;
      clearTimeout(timer);
      killGroup('SIGKILL'); // leftovers that ignored SIGTERM after the main process ended
    },
  };
  try {
    await waitUntilHealthy(running.url, () => exited, logFile);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function waitUntilHealthy(url: string, hasExited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`code-server exited while starting; see ${logFile}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
}

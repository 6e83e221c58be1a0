// `npm start`: the packaged extension in a real VS Code (code-server) next to a fake SonarQube seeded with demo data,
// for a person to try in a browser. Everything lives under the cache folder; Ctrl+C stops it all.
//   npm start [-- --sonarlint-stub]   (the stub stands in for SonarQube for IDE, which cannot be downloaded here)
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, ensureCodeServer, installExtensions, startCodeServer } from '../test/e2e/harness/codeServer';
import type { CodeServerProfile, RunningCodeServer } from '../test/e2e/harness/codeServer';
import { freePort, isPortFree } from '../test/e2e/harness/ports';
import { extensionVsix, sonarLintStubVsix } from '../test/e2e/harness/vsix';

const FAKE_CLI = path.join(__dirname, '..', 'test', 'fake-sonarqube', 'cli.js');
const DEMO_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

async function preferredPort(port: number): Promise<number> {
  return (await isPortFree(port)) ? port : freePort();
}

/** Starts the fake SonarQube CLI; resolves with what it printed once it answers HTTP. */
async function startFakeSonarQube(port: number): Promise<{ child: ChildProcess; url: string; printed: string[] }> {
  if (!fs.existsSync(FAKE_CLI)) throw new Error(`${FAKE_CLI} is missing: run "npm run compile" first.`);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [FAKE_CLI, '--port', String(port), '--seed', 'demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => child.kill());
  const printed: string[] = [];
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    printed.push(...lines);
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the fake SonarQube exited (${child.exitCode}):\n${printed.join('\n')}`);
    try {
      await fetch(`${url}/api/server/version`);
      await new Promise((resolve) => setTimeout(resolve, 300)); // let it finish printing its demo logins
      return { child, url, printed };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  child.kill();
  throw new Error(`the fake SonarQube did not answer on ${url} within 30 s`);
}

function demoProfile(): { profile: CodeServerProfile; folder: string; logFile: string } {
  const root = path.join(cacheRoot(), 'demo-profile');
  const profile: CodeServerProfile = {
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    home: path.join(root, 'home'),
  };
  const folder = path.join(root, 'workspace', 'demo-project');
  fs.mkdirSync(folder, { recursive: true });
  const settings = path.join(profile.userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify(DEMO_SETTINGS, null, 2));
  }
  return { profile, folder, logFile: path.join(root, 'code-server.log') };
}

function banner(lines: string[]): string {
  const rule = '='.repeat(78);
  return ['', rule, ...lines.map((line) => `  ${line}`), rule, ''].join('\n');
}

async function main(): Promise<void> {
  const vsix = extensionVsix();
  const install = await ensureCodeServer((line) => console.log(line));
  const { profile, folder, logFile } = demoProfile();
  const extraVsix = process.argv.includes('--sonarlint-stub') ? [await sonarLintStubVsix()] : [];
  await installExtensions(install, profile, [vsix, ...extraVsix], logFile);

  const running: { fake?: ChildProcess; editor?: RunningCodeServer } = {};
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the fake SonarQube…');
    running.fake?.kill('SIGTERM');
    await running.editor?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const sonar = await startFakeSonarQube(await preferredPort(9000));
  running.fake = sonar.child;
  const editor = await startCodeServer({ install, profile, port: await preferredPort(8080), logFile });
  running.editor = editor;
  const editorUrl = `${editor.url}/?folder=${encodeURIComponent(folder)}`;
  console.log(banner([
    'SonarQube Tokens demo',
    '',
    `Open VS Code in your browser:   ${editorUrl}`,
    `Demo SonarQube (fake) at:       ${sonar.url}`,
    '',
    'What the demo SonarQube printed (logins, the sign-in token of the demo user):',
    ...sonar.printed.map((line) => `  ${line}`),
    '',
    'In VS Code: the key icon in the activity bar ("SonarQube Tokens") > Connect to SonarQube Server,',
    `enter ${sonar.url} and sign in with one of the tokens above.`,
    `The editor's state is kept in ${path.dirname(profile.userDataDir)} (its HOME, where MCP client files go, too).`,
    '',
    `To try the extension in your own VS Code instead:  code --install-extension ${path.basename(vsix)}`,
    '',
    'Ctrl+C stops everything.',
  ]));
  // Whatever the fake prints later (its request log, if any) still shows.
  sonar.child.stdout?.removeAllListeners('data');
  sonar.child.stdout?.on('data', (chunk: string) => process.stdout.write(chunk));
  sonar.child.on('exit', (code) => {
    if (!stopping) {
      console.error(`The fake SonarQube stopped (${code}).`);
      void stop();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

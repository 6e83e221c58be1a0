// `npm run bench`: bundle sizes, activation cost, tree loading and request counts, checked against budgets.
// Prints one table, writes bench/results.json, exits non-zero when a budget is missed.
import { execFileSync, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../src/core/config/fileSystem';
import type { ConnectionRecord } from '../src/core/connections/connectionStore';
import { mcpCredentialAccount } from '../src/core/credentials/credentialStore';
import { KeyringCredentialStore } from '../src/core/credentials/keyringStore';
import type { NativeKeyring } from '../src/core/credentials/keyringStore';
import { ExposureModel } from '../src/core/exposure/exposureModel';
import { createGitProbe } from '../src/core/exposure/gitTracked';
import { knownPlaces, MAX_WORKSPACE_FILES } from '../src/core/exposure/places';
import { nodeScanFiles, scanPlaces } from '../src/core/exposure/scan';
import { launcherEntry } from '../src/core/mcp/launcherEntry';
import type { McpClientEntry } from '../src/core/mcp/launcherEntry';
import { installLauncher, KEYRING_BINARY } from '../src/core/mcp/launcherInstall';
import { englishMessage, silentLogger } from '../src/core/ports';
import { SonarClient } from '../src/core/sonar/client';
import { DispatcherPool } from '../src/core/sonar/transport';
import type { SonarTarget, TokenApi } from '../src/core/sonar/types';
import { TokensModel } from '../src/core/tokens/tokensModel';
import { childrenOf, presentNode } from '../src/core/tokens/treeNodes';
import type { TreeContext, TreeNode } from '../src/core/tokens/treeNodes';
import { FakeSonarQube } from '../test/fake-sonarqube';
import { seedMany } from '../test/fake-sonarqube/seed';
import { readZipEntries } from '../test/unit/packaging/zip';
import { freshTokenValue } from '../test/unit/support/fakeTokenApi';
import { startKeyringSession } from '../test/unit/support/keyringSession';
import { RelativePattern, Uri, vscodeStandIn } from '../test/unit/support/vscodeStandIn';
import type { FakeServerReady } from './fakeServerProcess';

const root = path.resolve(__dirname, '../..');
const KB = 1024;

interface Row {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly budget?: number;
  readonly lowerBound?: number;
  readonly comparison?: string;
}

const rows: Row[] = [];
const record = (row: Row) => rows.push(row);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const elapsed = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};

function bundleSizes(): void {
  const shipped = fs.readdirSync(path.join(root, 'dist')).filter((file) => file.endsWith('.js'));
  let total = 0;
  for (const file of shipped) {
    const bytes = fs.statSync(path.join(root, 'dist', file)).size;
    total += bytes;
    record({ metric: `dist/${file}`, value: bytes / KB, unit: 'KB' });
  }
  record({ metric: 'dist/ (shipped .js)', value: total / KB, unit: 'KB', budget: 700 });
  const vsix = fs.readdirSync(root).find((file) => /^sonarqube-tokens-.*\.vsix$/.test(file));
  if (!vsix) throw new Error('No VSIX: run `npm run package` first (npm run bench does).');
  // The platform's keyring binary (about 1.4 MB compressed) is a library's, not ours: the budget is for the rest.
  const binary = readZipEntries(fs.readFileSync(path.join(root, vsix))).find((entry) => entry.name === 'extension/dist/keyring.node');
  const binaryBytes = binary?.compressedSize ?? 0;
  record({ metric: `${vsix} without the keyring binary`, value: (fs.statSync(path.join(root, vsix)).size - binaryBytes) / KB, unit: 'KB', budget: 400 });
  record({ metric: `${vsix}: keyring binary (compressed)`, value: binaryBytes / KB, unit: 'KB' });
  record({ metric: 'loaded at activation (dist/extension.js)', value: fs.statSync(path.join(root, 'dist/extension.js')).size / KB, unit: 'KB', budget: 60 });
}

function activation(): void {
  const runs = Array.from({ length: 20 }, () => {
    const output = execFileSync(process.execPath, [path.join(__dirname, 'activationRunner.js'), path.join(root, 'dist/extension.js')], { encoding: 'utf8' });
    return JSON.parse(output.trim().split('\n').pop()!) as { elapsedMs: number; connections: number; loadedBundles: string[] };
  });
  record({ metric: 'activation: require + activate() (median of 20 fresh processes)', value: median(runs.map((run) => run.elapsedMs)), unit: 'ms', budget: 15 });
  record({ metric: 'activation: network connections', value: Math.max(...runs.map((run) => run.connections)), unit: 'count', budget: 0 });
  const lazy = runs[0].loadedBundles.filter((file) => file !== 'extension.js');
  record({ metric: `activation: lazy bundles loaded (${lazy.join(', ') || 'none'})`, value: lazy.length, unit: 'count', budget: 0 });
}

function connectionFor(fake: FakeSonarQube, login: string, index: number): ConnectionRecord {
  return { id: `c${index}`, target: { kind: 'server', serverUrl: fake.url }, label: `bench ${index}`, login, addedAt: new Date().toISOString(), serverVersion: fake.version };
}

function treeContext(model: TokensModel, connections: ConnectionRecord[]): TreeContext {
  return {
    connections,
    model,
    isHeld: () => false,
    bindingsOf: () => [],
    now: new Date(),
    warningDays: 7,
    t: englishMessage,
    commands: { signInAgain: 'a', loadMoreUsers: 'b', generateToken: 'c' },
  };
}

/** Resolves every node below `node` as the view would: children, then each child's item. */
function resolveAll(node: TreeNode | undefined, context: TreeContext): number {
  let count = 0;
  for (const child of childrenOf(node, context)) {
    presentNode(child, context);
    count += 1 + (child.kind === 'connection' ? resolveAll(child, context) : 0);
  }
  return count;
}

async function startFakeProcess(users: number, tokensPerUser: number, latencyMs: number): Promise<{ ready: FakeServerReady; stop(): void }> {
  const child = fork(path.join(__dirname, 'fakeServerProcess.js'), [String(users), String(tokensPerUser), String(latencyMs)], { stdio: 'inherit' });
  const ready = await new Promise<FakeServerReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as FakeServerReady));
    child.once('exit', (code) => reject(new Error(`the fake SonarQube exited (${code})`)));
  });
  return { ready, stop: () => child.disconnect() };
}

async function treeLoading(): Promise<void> {
  const latencyMs = 100;
  const server = await startFakeProcess(10, 100, latencyMs);
  const pool = new DispatcherPool();
  try {
    const { url, origin, version, signIn } = server.ready;
    const fake = { url, version } as FakeSonarQube;
    const connections = Object.keys(signIn).map((login, index) => connectionFor(fake, login, index));
    const target: SonarTarget = { kind: 'server', serverUrl: url };
    const clientFor = (connection: ConnectionRecord): TokenApi =>
      new SonarClient({ target, token: signIn[connection.login], dispatcher: pool.get(origin), serverVersion: version, logger: silentLogger });
    // Warm the keep-alive connections and the JIT, as an editor that has made a request before would be.
    await Promise.all(connections.map((connection) => clientFor(connection).searchTokens()));

    const model = new TokensModel({ apiFor: async (id) => clientFor(connections.find((connection) => connection.id === id)!), logger: silentLogger });
    const context = treeContext(model, connections);
    let requests = 0;
    const counting = new TokensModel({
      apiFor: async (id) => {
        const api = clientFor(connections.find((connection) => connection.id === id)!);
        return { ...api, searchTokens: (...args: Parameters<TokenApi['searchTokens']>) => (requests++, api.searchTokens(...args)) } as TokenApi;
      },
      logger: silentLogger,
    });
    await Promise.all(connections.map((connection) => counting.loadTokens(connection.id)));
    let loadedMs = 0;
    const [nodes, parallelMs] = await elapsed(async () => {
      const started = performance.now();
      childrenOf(undefined, context);
      await Promise.all(connections.map((connection) => model.loadTokens(connection.id)));
      loadedMs = performance.now() - started;
      return resolveAll(undefined, context);
    });
    const [, sequentialMs] = await elapsed(async () => {
      for (const connection of connections) await clientFor(connection).searchTokens();
    });
    record({ metric: `first tree load: 10 connections × 100 tokens (${nodes} nodes)`, value: parallelMs, unit: 'ms', budget: 1.5 * latencyMs, lowerBound: latencyMs, comparison: `responses in after ${loadedMs.toFixed(0)} ms; sequential client: ${sequentialMs.toFixed(0)} ms` });
    record({ metric: 'first tree load: requests per connection', value: requests / connections.length, unit: 'count', budget: 1 });
  } finally {
    await pool.close();
    server.stop();
  }
}

async function largeAccounts(): Promise<void> {
  const fake = await FakeSonarQube.start();
  const pool = new DispatcherPool();
  try {
    const { logins } = seedMany(fake, { users: 1, tokensPerUser: 2000 });
    const signIn = fake.createToken(logins[0], { name: 'bench sign-in' });
    const connection = connectionFor(fake, logins[0], 0);
    const api = new SonarClient({ target: connection.target, token: signIn, dispatcher: pool.get(fake.origin), serverVersion: fake.version });
    const model = new TokensModel({ apiFor: async () => api, logger: silentLogger });
    const context = treeContext(model, [connection]);
    await model.loadTokens(connection.id);
    const [root] = childrenOf(undefined, context);
    const [items, buildMs] = await elapsed(() => childrenOf(root, context).map((node) => presentNode(node, context)));
    record({ metric: `${items.length - 1} tokens → tree items`, value: buildMs, unit: 'ms', budget: 50 });

    await adminListing();

    const beforeGenerate = fake.requests.length;
    const [generated, generateMs] = await elapsed(async () => {
      const token = await api.generateToken({ name: 'bench generated' });
      await model.loadTokens(connection.id, true);
      return token;
    });
    record({ metric: 'generate: requests (1 + one listing refresh)', value: fake.requests.length - beforeGenerate, unit: 'count', budget: 2, lowerBound: 1, comparison: `${generateMs.toFixed(0)} ms` });
    const beforeRevoke = fake.requests.length;
    const [, revokeMs] = await elapsed(() => api.revokeToken({ name: generated.name }));
    model.removeToken({ connectionId: connection.id, login: generated.login, name: generated.name });
    record({ metric: 'revoke: requests', value: fake.requests.length - beforeRevoke, unit: 'count', budget: 1, lowerBound: 1, comparison: `${revokeMs.toFixed(0)} ms` });
  } finally {
    await pool.close();
    await fake.close();
  }
}

/** An administrator's view of 10,000 users: the first 500 after one request, then items built from them. */
async function adminListing(): Promise<void> {
  const fake = await FakeSonarQube.start();
  const pool = new DispatcherPool();
  try {
    const { logins } = seedMany(fake, { users: 10_000, tokensPerUser: 0 });
    const admin = { ...connectionFor(fake, logins[0], 0), isAdmin: true };
    const api = new SonarClient({ target: admin.target, token: fake.createToken(logins[0], { name: 'bench sign-in' }), dispatcher: pool.get(fake.origin), serverVersion: fake.version });
    const model = new TokensModel({ apiFor: async () => api, logger: silentLogger });
    const context = treeContext(model, [admin]);
    await model.loadTokens(admin.id);
    const [root] = childrenOf(undefined, context);
    const before = fake.requests.length;
    const [, firstPageMs] = await elapsed(() => model.loadUsers(admin.id));
    const usersNode = childrenOf(root, context).find((node) => node.kind === 'users')!;
    const [users, usersBuildMs] = await elapsed(() => childrenOf(usersNode, context).map((node) => presentNode(node, context)));
    record({ metric: `admin: first page of ${model.usersOf(admin.id).total} users`, value: firstPageMs, unit: 'ms' });
    record({ metric: 'admin: requests for the first page', value: fake.requests.length - before, unit: 'count', budget: 1 });
    record({ metric: `admin: ${users.length - 1} user items (+ "Load more…")`, value: usersBuildMs, unit: 'ms' });
  } finally {
    await pool.close();
    await fake.close();
  }
}

/** Spawn to the answer to `initialize` on stdout: what a client waits for before it can list the tools. */
function timeServerStart(entry: McpClientEntry, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(entry.command, entry.args, { env: { ...env, ...entry.env }, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let answered: number | undefined;
    child.stdout.once('data', () => {
      answered = performance.now() - started;
      child.stdin.end();
    });
    child.once('error', reject);
    child.once('exit', (code) => (answered !== undefined && code === 0 ? resolve(answered) : reject(new Error(`the MCP server exited with ${code} before answering`))));
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } }) + '\n');
  });
}

/** The stub MCP server started as a client starts a launcher entry (installed as activation does, real keyring), and directly. */
async function launcherStart(): Promise<void> {
  const session = await startKeyringSession();
  try {
    session.enter();
    const dist = path.join(root, 'dist');
    const { runtime } = await installLauncher(nodeFileSystem, { distFolder: dist, storagePath: path.join(session.home, 'globalStorage'), executable: process.execPath });
    if (!runtime) throw new Error(`No ${KEYRING_BINARY} in dist/: npm run package copies this machine's.`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const store = new KeyringCredentialStore(() => require(path.join(dist, KEYRING_BINARY)) as NativeKeyring);
    await store.set(mcpCredentialAccount('bench'), freshTokenValue());
    const stub = { command: process.execPath, args: [path.join(root, 'test', 'stubs', 'stub-mcp-server.cjs')], env: {} };
    const direct: McpClientEntry = stub;
    const throughLauncher = launcherEntry(runtime, 'bench', { ...stub, warnings: [] });
    const env = { HOME: session.home, PATH: process.env.PATH ?? '', DBUS_SESSION_BUS_ADDRESS: session.address };
    const directMs: number[] = [];
    const launcherMs: number[] = [];
    // Alternated, so that a busy moment of the machine weighs on both alike.
    for (let run = 0; run < 20; run++) {
      directMs.push(await timeServerStart(direct, env));
      launcherMs.push(await timeServerStart(throughLauncher, env));
    }
    const [withLauncher, withoutLauncher] = [median(launcherMs), median(directMs)];
    record({
      metric: 'MCP server start through the launcher vs the same stub started directly: added (medians of 20)',
      value: withLauncher - withoutLauncher,
      unit: 'ms',
      budget: 60,
      comparison: `through the launcher ${withLauncher.toFixed(0)} ms; directly ${withoutLauncher.toFixed(0)} ms`,
    });
  } finally {
    await session.stop();
  }
}

function printTable(): boolean {
  const header = ['metric', 'value', 'budget', 'lower bound', 'comparison', ''];
  const lines = rows.map((row) => {
    const ok = row.budget === undefined || row.value <= row.budget;
    const format = (value: number) => (row.unit === 'count' ? String(value) : `${value.toFixed(row.unit === 'KB' ? 1 : 1)} ${row.unit}`);
    return [row.metric, format(row.value), row.budget === undefined ? '' : `≤ ${format(row.budget)}`, row.lowerBound === undefined ? '' : format(row.lowerBound), row.comparison ?? '', ok ? 'ok' : 'MISSED'];
  });
  const table = [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  process.stdout.write(`\n${table}\n\n`);
  fs.writeFileSync(
    path.join(root, 'bench', 'results.json'),
    JSON.stringify({ takenAt: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, rows }, null, 2) + '\n',
  );
  return lines.every((line) => line[5] === 'ok');
}

/**
 * The startup scan for exposed tokens: a workspace of 20,000 files of which 20 are known places (none holds a token),
 * found with the stand-in editor's file search (a walk of the folder, slower than VS Code's), read, and checked. A
 * scan that found nothing must not ask any server anything.
 */
async function exposureScan(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-exposure-'));
  const fake = await FakeSonarQube.start();
  try {
    const project = path.join(root, 'project');
    for (let module = 0; module < 200; module++) {
      const dir = path.join(project, 'src', `module${module}`);
      fs.mkdirSync(dir, { recursive: true });
      const known = module < 20;
      for (let file = known ? 1 : 0; file < 100; file++) fs.writeFileSync(path.join(dir, `file${file}.ts`), `export const value${file} = ${file};\n`);
      if (known) fs.writeFileSync(path.join(dir, module % 2 === 0 ? '.env' : 'sonar-project.properties'), `SONAR_HOST_URL=${fake.url}\nsonar.projectKey=module${module}\n`);
    }
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.bashrc'), 'alias ll="ls -l"\n');
    const find = async (folder: string, glob: string, maxResults: number) =>
      ((await vscodeStandIn.workspace.findFiles(new RelativePattern(Uri.file(folder), glob), '{**/node_modules,**/.git}', maxResults)) as Uri[]).map((uri) => uri.fsPath);
    const model = new ExposureModel({
      scan: async () =>
        scanPlaces({ files: nodeScanFiles, git: createGitProbe(), ignored: new Set(), ownPlainText: [] }, await knownPlaces({ platform: 'linux', home, env: {} }, [project], find)),
      files: nodeScanFiles,
      liveness: () => ({ connections: [connectionFor(fake, 'ada', 0)], checkerFor: (target, token, serverVersion) => new SonarClient({ target, token, serverVersion, retry: { maxRetries: 0 } }), logger: silentLogger }),
      logger: silentLogger,
    });
    const before = fake.requests.length;
    const times: number[] = [];
    let filesRead = 0;
    for (let run = 0; run < 11; run++) {
      const [result, ms] = await elapsed(() => model.scan());
      if (result.findings.length > 0) throw new Error('the exposure bench workspace should hold no token');
      filesRead = result.filesRead;
      times.push(ms);
    }
    record({ metric: `startup scan: 20,000 workspace files, 20 known (median of 11; ${filesRead} files read, search capped at ${MAX_WORKSPACE_FILES})`, value: median(times), unit: 'ms', budget: 300 });
    record({ metric: 'startup scan that found nothing: requests to any server', value: fake.requests.length - before, unit: 'count', budget: 0 });
  } finally {
    await fake.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  bundleSizes();
  activation();
  await treeLoading();
  await largeAccounts();
  await launcherStart();
  await exposureScan();
  const ok = printTable();
  process.stdout.write(ok ? 'bench: every budget met\n' : 'bench: budgets missed (see MISSED above)\n');
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import type { FileSystem } from '../../../src/core/config/fileSystem';
import { ExposureModel } from '../../../src/core/exposure/exposureModel';
import type { ExposureFlowDeps } from '../../../src/core/exposure/exposureFlows';
import { checkOnNamedServer, findExposedTokens, fixAllFindings, ignoreFinding, moveToSecureStorage, replaceFound, revokeFound } from '../../../src/core/exposure/exposureFlows';
import { IgnoreList } from '../../../src/core/exposure/ignoreList';
import { userPlaces } from '../../../src/core/exposure/places';
import { nodeScanFiles, scanPlaces } from '../../../src/core/exposure/scan';
import type { Finding, ScanResult } from '../../../src/core/exposure/scan';
import type { McpBindingWriteDeps } from '../../../src/core/flows/bindMcp';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { bundleTranslator } from '../support/bundleTranslator';
import type { TokenRef } from '../../../src/core/secrets/keys';
import { SonarClient } from '../../../src/core/sonar/client';
import { parseServerUrl } from '../../../src/core/sonar/target';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { BindingStore } from '../../../src/core/tokens/bindingStore';
import type { McpBinding } from '../../../src/core/tokens/bindingStore';
import { HeldTokens, TokenVault } from '../../../src/core/tokens/heldTokens';
import { isCancellation } from '../../../src/core/flows/describeError';
import { FakeSonarQube } from '../../fake-sonarqube';
import { LAUNCHER_RUNTIME, launcherEntryText } from '../support/mcpFileTexts';
import { MemoryCredentialStore } from '../support/memoryCredentialStore';
import { memorySecretStore } from '../support/memorySecretStore';
import { memoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';
import { ScriptedPrompter } from '../support/scriptedPrompter';
import type { ScriptStep } from '../support/scriptedPrompter';
import { allFileText, fill, userTokenValue, workspacePlaces, writeFixtures } from './fixtures';

const FILES: Readonly<Record<string, string>> = {
  'home/.cursor/mcp.json':
    '{\n  // mine\n  "mcpServers": {\n    "other": { "command": "x" },\n    "sonarqube": { "command": "docker", "env": { "SONARQUBE_URL": "{knownUrl}", "SONARQUBE_TOKEN": "{cursor}" } }\n  }\n}\n',
  'home/vscode-user/settings.json': '{\r\n  "sonarlint.connectedMode.connections.sonarqube": [\r\n    { "connectionId": "work", "serverUrl": "{knownUrl}", "token": "{sonarlint}" }\r\n  ]\r\n}\r\n',
  'home/.bashrc': 'export SONARQUBE_URL={knownUrl}\nexport SONARQUBE_TOKEN={dead}\nalias ll="ls -l"\n',
  'home/.profile': 'SONAR_HOST_URL={otherUrl}\nSONAR_TOKEN={onOther}\n',
  'project/.env': '\uFEFFSONARQUBE_URL={knownUrl}\r\nSONAR_TOKEN={dotenv}\r\nDEBUG=1\r\n',
  'project/.vscode/mcp.json': '{\r\n\t"servers": {\r\n\t\t"sonar": { "type": "stdio", "command": "npx", "env": { "SONARQUBE_TOKEN": "{workspaceMcp}" } }, // team\r\n\t\t"git": { "command": "git-mcp" }\r\n\t}\r\n}\r\n',
};

/** Cursor's file after its entry became a launcher binding: the comment and the other server as they were. */
const cursorLauncherFile = (bindingId: string, serverUrl: string) => `{
  // mine
  "mcpServers": {
    "other": { "command": "x" },
${launcherEntryText(bindingId, serverUrl, '        "sonarqube-mcp",\n        "--stdio"')}
  }
}
`;

describe('exposure flows: move, revoke, replace, ignore', () => {
  let known: FakeSonarQube;
  let other: FakeSonarQube;
  let signInToken: string;
  let root: string;
  let values: Record<string, string>;
  let names: Record<string, string>;
  let counter = 0;

  before(async () => {
    [known, other] = await Promise.all([FakeSonarQube.start(), FakeSonarQube.start()]);
    for (const fake of [known, other]) fake.addUser({ login: 'ada', name: 'Ada' });
    known.addUser({ login: 'root', name: 'Root', admin: true });
    signInToken = known.createToken('ada', { name: 'sign-in' });
  });
  after(() => Promise.all([known.close(), other.close()]));

  beforeEach(() => {
    counter++;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-flow-'));
    names = { cursor: `cursor-${counter}`, sonarlint: `ide-${counter}`, dotenv: `env-${counter}`, onOther: `team-${counter}`, workspaceMcp: `workspace-${counter}` };
    values = {
      cursor: known.createToken('ada', { name: names.cursor }),
      workspaceMcp: known.createToken('ada', { name: names.workspaceMcp }),
      sonarlint: known.createToken('ada', { name: names.sonarlint }),
      dotenv: known.createToken('ada', { name: names.dotenv }),
      onOther: other.createToken('ada', { name: names.onOther }),
      dead: userTokenValue(),
      knownUrl: known.url,
      otherUrl: other.url,
    };
    writeFixtures(root, FILES, values);
    other.requests.length = 0;
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /**
   * `connection` changes the person's one connection (its login, isAdmin), `signIn` the token it signs in with,
   * `tracked` the files (relative to the test folder) git tracks.
   */
  async function setUp(script: ScriptStep[], options: { mcpFs?: FileSystem; connection?: Partial<ConnectionRecord>; signIn?: string; tracked?: readonly string[] } = {}) {
    const target = (parseServerUrl(known.url) as { ok: true; target: SonarTarget }).target;
    const connection: ConnectionRecord = { id: 'c-1', target, label: 'known', login: 'ada', serverVersion: '2025.1.0.102418', addedAt: '2025-01-01T00:00:00.000Z', ...options.connection };
    const signIn = options.signIn ?? signInToken;
    const state = memoryState();
    const secrets = memorySecretStore();
    const vault = new TokenVault(secrets, new HeldTokens(state));
    await vault.storeSignIn(connection.id, signIn);
    const logger = new RecordingLogger();
    const prompter = new ScriptedPrompter(script);
    const client = (clientTarget: SonarTarget, token: string, serverVersion?: string) => new SonarClient({ target: clientTarget, token, serverVersion, retry: { maxRetries: 0 } });
    const places = [...userPlaces({ platform: 'linux', home: path.join(root, 'home'), env: {}, vscodeUserDir: path.join(root, 'home', 'vscode-user') }), ...workspacePlaces(path.join(root, 'project'))];
    const model = new ExposureModel({
      scan: () => scanPlaces({ files: nodeScanFiles, git: { trackedFiles: async () => (options.tracked ? new Set(options.tracked.map((file) => path.join(root, file))) : undefined) }, ignored: new IgnoreList(state).fingerprints(), ownPlainText: [] }, places),
      files: nodeScanFiles,
      liveness: () => ({ connections: [connection], checkerFor: client, logger }),
      logger,
    });
    await model.scan();
    const credentials = new MemoryCredentialStore();
    const store = new BindingStore(state, logger);
    const mcpBindings: McpBindingWriteDeps = {
      t: bundleTranslator,
      logger,
      prompter,
      fs: options.mcpFs ?? nodeFileSystem,
      credentials,
      store,
      readValue: (ref) => vault.read(ref),
      launchFor: (which) => buildMcpLaunch({ launcher: 'custom', dockerImage: '', customCommand: 'sonarqube-mcp', customArgs: ['--stdio'] }, which.target),
      installLauncher: async () => LAUNCHER_RUNTIME,
      displayPath: (file) => path.relative(root, file),
    };
    const bound: Array<{ kind: string; ref: TokenRef; detail?: string }> = [];
    const unbound: TokenRef[] = [];
    const opened: string[] = [];
    const deps: ExposureFlowDeps = {
      prompter,
      vault,
      clock: { now: () => new Date('2026-12-02T10:00:00Z') },
      t: bundleTranslator,
      logger,
      model,
      files: nodeScanFiles,
      fs: nodeFileSystem,
      ignoreList: new IgnoreList(state),
      connection: (id) => (id === connection.id ? connection : undefined),
      apiFor: async () => client(connection.target, signIn, connection.serverVersion),
      apiWithValue: client,
      displayPath: (file) => path.relative(root, file),
      mcpBindings,
      bindProvider: async (_connection, ref) => void bound.push({ kind: 'provider', ref }),
      handOffToSonarlint: async (ref, section, id) => void bound.push({ kind: 'sonarlint', ref, detail: `${section}/${id}` }),
      removeBindings: async (ref) => {
        unbound.push(ref);
        for (const binding of store.forToken(ref)) await store.remove(binding.id);
      },
      openFile: async (file, line) => void opened.push(`${path.relative(root, file)}:${line}`),
    };
    const finding = (suffix: string): Finding => {
      const found = model.findings.find((candidate) => candidate.place.path.endsWith(suffix));
      assert.ok(found, suffix);
      return found;
    };
    /** The canary: no moved or revoked value in any file, log line, message or non-secret state. */
    const assertGone = (...gone: string[]) => {
      const text = allFileText(root);
      for (const value of gone) {
        assert.ok(!text.includes(value), 'the value is still in a file');
        assert.ok(!logger.lines.join('\n').includes(value), 'the value is in the log');
        assert.ok(!prompter.shownText.includes(value), 'the value was shown');
        assert.ok(!state.dump().includes(value), 'the value is in non-secret state');
        assert.ok(![...credentials.values.keys()].some((account) => account.includes(value)), 'the value names a credential-store entry');
      }
    };
    const read = (relative: string) => fs.readFileSync(path.join(root, relative), 'utf8');
    return { deps, model, vault, secrets, prompter, bound, unbound, opened, finding, assertGone, read, connection, credentials, store, logger };
  }

  it('moves an MCP entry to secure storage: the same entry becomes a launcher binding, the token goes to the credential store', async () => {
    const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }]);
    await moveToSecureStorage(env.deps, env.finding('.cursor/mcp.json'));
    env.prompter.assertDone();
    const [binding] = env.store.list() as McpBinding[];
    assert.equal(env.read('home/.cursor/mcp.json'), cursorLauncherFile(binding.id, known.url));
    const ref = { connectionId: 'c-1', login: 'ada', name: names.cursor };
    assert.equal(await env.vault.read(ref), values.cursor);
    assert.deepEqual([...env.credentials.values], [[`mcp-binding:${binding.id}`, values.cursor]]);
    assert.deepEqual(
      { kind: binding.kind, token: binding.token, target: binding.target, path: binding.path, serverName: binding.serverName, launcher: binding.launcher, createdFile: binding.createdFile, createdKeys: binding.createdKeys },
      { kind: 'mcp', token: ref, target: 'cursorUser', path: path.join(root, 'home/.cursor/mcp.json'), serverName: 'sonarqube', launcher: true, createdFile: false, createdKeys: [] },
    );
    assert.deepEqual(env.bound, [], 'the server was handed to VS Code instead of staying in Cursor');
    assert.match(env.prompter.calls.find((call) => call.kind === 'confirm')!.text, /The MCP server "sonarqube" in home\/.cursor\/mcp.json is rewritten to start through this extension's launcher/);
    assert.ok(!env.model.findings.some((finding) => finding.place.path.endsWith('.cursor/mcp.json')));
    env.assertGone(values.cursor);
  });

  it("rewrites a VS Code workspace entry in place as a launcher binding: tabs, CRLF, its comment and the other server kept, no input added", async () => {
    const env = await setUp([{ pick: `workspace-${counter}` }, { confirm: true }]);
    await moveToSecureStorage(env.deps, env.finding('.vscode/mcp.json'));
    env.prompter.assertDone();
    const [binding] = env.store.list() as McpBinding[];
    assert.equal(
      env.read('project/.vscode/mcp.json'),
      '{\r\n\t"servers": {\r\n\t\t"sonar": {\r\n\t\t\t"type": "stdio",\r\n\t\t\t"command": "/opt/editor/code",\r\n\t\t\t"args": [\r\n' +
        `\t\t\t\t"/home/ada/storage/launcher/launcher.js",\r\n\t\t\t\t"--binding",\r\n\t\t\t\t"${binding.id}",\r\n\t\t\t\t"--",\r\n\t\t\t\t"sonarqube-mcp",\r\n\t\t\t\t"--stdio"\r\n\t\t\t],\r\n` +
        `\t\t\t"env": {\r\n\t\t\t\t"ELECTRON_RUN_AS_NODE": "1",\r\n\t\t\t\t"SONARQUBE_URL": "${known.url}"\r\n\t\t\t}\r\n\t\t}, // team\r\n` +
        '\t\t"git": { "command": "git-mcp" }\r\n\t}\r\n}\r\n',
    );
    assert.equal(binding.target, 'vscodeWorkspace');
    assert.equal(binding.inputId, undefined);
    assert.deepEqual([...env.credentials.values], [[`mcp-binding:${binding.id}`, values.workspaceMcp]]);
    env.assertGone(values.workspaceMcp);
  });

  it('takes the credential-store entry back and leaves the file as it was when the entry cannot be rewritten', async () => {
    const failingRename: FileSystem = { ...nodeFileSystem, rename: async () => Promise.reject(new Error('disk full')) };
    const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }], { mcpFs: failingRename });
    const before = env.read('home/.cursor/mcp.json');
    let credentialWrites = 0;
    const set = env.credentials.set.bind(env.credentials);
    env.credentials.set = async (account, secret) => (credentialWrites++, set(account, secret));
    await assert.rejects(moveToSecureStorage(env.deps, env.finding('.cursor/mcp.json')), /disk full/);
    assert.equal(credentialWrites, 1, 'the credential store was not written first');
    assert.equal(env.credentials.values.size, 0, 'the credential-store entry was left behind');
    assert.equal(env.read('home/.cursor/mcp.json'), before);
    assert.deepEqual(env.store.list(), []);
    assert.ok(env.model.findings.some((finding) => finding.place.path.endsWith('.cursor/mcp.json')), 'the finding was dropped though the file still holds it');
    assert.ok(!env.logger.lines.join('\n').includes(values.cursor), 'the value is in the log');
    assert.ok(!env.prompter.shownText.includes(values.cursor), 'the value was shown');
  });

  it('Fix All goes on past a fix that fails and names every failure and its reason in one message at the end', async () => {
    const failingRename: FileSystem = { ...nodeFileSystem, rename: async () => Promise.reject(new Error('disk full')) };
    const env = await setUp(
      [
        { pickMany: ['home/.cursor/mcp.json:5', 'project/.vscode/mcp.json:3', 'project/.env:2'] },
        { pick: `cursor-${counter}` },
        { confirm: true },
        { pick: `workspace-${counter}` },
        { confirm: true },
        { pick: `env-${counter}` },
        { confirm: true },
      ],
      { mcpFs: failingRename },
    );
    const cursorBefore = env.read('home/.cursor/mcp.json');
    await fixAllFindings(env.deps);
    env.prompter.assertDone();
    assert.equal(env.read('project/.env'), fill('\uFEFFSONARQUBE_URL={knownUrl}\r\nDEBUG=1\r\n', values), 'the fix after the failures was not done');
    assert.equal(env.read('home/.cursor/mcp.json'), cursorBefore);
    assert.deepEqual(env.prompter.messages('error'), [
      [
        '2 fixes failed; the others went ahead:',
        `• home/.cursor/mcp.json:5 (${env.finding('.cursor/mcp.json').masked}): Cannot write ${path.join(root, 'home/.cursor/mcp.json')}: disk full. It was left untouched.`,
        `• project/.vscode/mcp.json:3 (${env.finding('.vscode/mcp.json').masked}): Cannot write ${path.join(root, 'project/.vscode/mcp.json')}: disk full. It was left untouched.`,
      ].join('\n'),
    ]);
    assert.equal(env.credentials.values.size, 0);
    env.assertGone(values.dotenv);
    assert.ok(!env.prompter.shownText.includes(values.cursor) && !env.prompter.shownText.includes(values.workspaceMcp), 'a value was shown');
  });

  it('without a credential store, says so and hands the server to VS Code\'s own MCP support instead', async () => {
    const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }]);
    env.credentials.unavailable = 'No Secret Service is running.';
    await moveToSecureStorage(env.deps, env.finding('.cursor/mcp.json'));
    env.prompter.assertDone();
    assert.equal(env.read('home/.cursor/mcp.json'), '{\n  // mine\n  "mcpServers": {\n    "other": { "command": "x" }\n  }\n}\n');
    assert.deepEqual(env.bound, [{ kind: 'provider', ref: { connectionId: 'c-1', login: 'ada', name: names.cursor } }]);
    assert.match(env.prompter.calls.find((call) => call.kind === 'confirm')!.text, /Cursor cannot start it through the launcher: this computer has no credential store it can use\. No Secret Service is running\./);
    env.assertGone(values.cursor);
  });

  it('moves a .env line to secure storage byte for byte, BOM and CRLF kept', async () => {
    const env = await setUp([{ pick: `env-${counter}` }, { confirm: true }]);
    await moveToSecureStorage(env.deps, env.finding('.env'));
    assert.equal(env.read('project/.env'), fill('\uFEFFSONARQUBE_URL={knownUrl}\r\nDEBUG=1\r\n', values));
    assert.equal(await env.vault.read({ connectionId: 'c-1', login: 'ada', name: names.dotenv }), values.dotenv);
    assert.deepEqual(env.bound, []);
    env.assertGone(values.dotenv);
  });

  it('removes SonarQube for IDE\'s legacy token field and hands the token to its form', async () => {
    const env = await setUp([{ pick: `ide-${counter}` }, { confirm: true }]);
    await moveToSecureStorage(env.deps, env.finding('settings.json'));
    assert.equal(env.read('home/vscode-user/settings.json'), fill('{\r\n  "sonarlint.connectedMode.connections.sonarqube": [\r\n    { "connectionId": "work", "serverUrl": "{knownUrl}" }\r\n  ]\r\n}\r\n', values));
    assert.deepEqual(env.bound, [{ kind: 'sonarlint', ref: { connectionId: 'c-1', login: 'ada', name: names.sonarlint }, detail: 'sonarqube/work' }]);
    env.assertGone(values.sonarlint);
  });

  it('revokes on the server, then removes the value from the file', async () => {
    const env = await setUp([{ pick: `env-${counter}` }, { confirm: true }]);
    await revokeFound(env.deps, env.finding('.env'));
    env.prompter.assertDone();
    assert.ok(!known.tokenNames('ada').includes(names.dotenv), 'the token is still on the server');
    assert.ok(known.tokenNames('ada').includes('sign-in'), 'the sign-in token was revoked');
    assert.equal(env.read('project/.env'), fill('\uFEFFSONARQUBE_URL={knownUrl}\r\nDEBUG=1\r\n', values));
    assert.deepEqual(env.prompter.messages('info'), [`env-${counter} was revoked and removed from project/.env.`], 'one message for the revoke and the edit');
    env.assertGone(values.dotenv);
  });

  it('says the token was revoked when its file then cannot be edited, and keeps the finding listed', async () => {
    const env = await setUp([{ pick: `env-${counter}` }, { confirm: true }]);
    const readOnly: FileSystem = { ...nodeFileSystem, rename: async () => { throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }); } };
    await revokeFound({ ...env.deps, fs: readOnly }, env.finding('.env'));
    env.prompter.assertDone();
    assert.ok(!known.tokenNames('ada').includes(names.dotenv), 'the token is still on the server');
    assert.deepEqual(env.prompter.messages('info'), []);
    const where = path.join(root, 'project', '.env');
    assert.deepEqual(env.prompter.messages('error'), [
      `env-${counter} was revoked, but project/.env could not be edited: Cannot write ${where}: permission denied for its folder. Check its permissions and try again; it was left untouched.`,
    ]);
    assert.equal(env.read('project/.env'), fill(FILES['project/.env'], values), 'the file changed');
    assert.ok(env.model.findings.some((finding) => finding.place.path === where), 'the finding is gone although the value is still in the file');
    assert.ok(!env.logger.lines.join('\n').includes(values.dotenv), 'the value is in the log');
    assert.ok(!env.prompter.shownText.includes(values.dotenv), 'the value was shown');
  });

  it('revoking a found token that is also held and bound removes its bindings, as the Tokens view\'s revoke does', async () => {
    const env = await setUp([{ pick: `env-${counter}` }, { confirm: true }]);
    const ref = { connectionId: 'c-1', login: 'ada', name: names.dotenv };
    await env.vault.store(ref, values.dotenv);
    await revokeFound(env.deps, env.finding('.env'));
    env.prompter.assertDone();
    assert.ok(!known.tokenNames('ada').includes(names.dotenv), 'the token is still on the server');
    assert.deepEqual(env.unbound, [ref]);
    assert.equal(await env.vault.read(ref), undefined, 'the revoked value is still held');
    env.assertGone(values.dotenv);
  });

  it('offers to remove a token no server accepts any more, without picking a name', async () => {
    const env = await setUp([{ confirm: true }]);
    await moveToSecureStorage(env.deps, env.finding('.bashrc'));
    env.prompter.assertDone();
    assert.match(env.prompter.calls[0].text, /is no longer accepted: remove it from home\/.bashrc\?/);
    assert.equal(env.read('home/.bashrc'), fill('export SONARQUBE_URL={knownUrl}\nalias ll="ls -l"\n', values));
    env.assertGone(values.dead);
  });

  it('sends nothing to a server named only in the file unless confirmed by name, then revokes the token there as its own user', async () => {
    const declined = await setUp([{ confirm: false }]);
    await revokeFound(declined.deps, declined.finding('.profile'));
    assert.match(declined.prompter.calls[0].text, new RegExp(`Send the token found in home/.profile to ${new URL(other.url).host.replace('.', '\\.')} to check it\\?`));
    assert.equal(other.requests.length, 0, 'the named server received a request without confirmation');
    assert.ok(other.tokenNames('ada').includes(names.onOther));

    const confirmed = await setUp([{ confirm: true }, { pick: `team-${counter}` }, { confirm: true }]);
    await revokeFound(confirmed.deps, confirmed.finding('.profile'));
    confirmed.prompter.assertDone();
    assert.ok(!other.tokenNames('ada').includes(names.onOther), 'not revoked on the confirmed server');
    assert.equal(confirmed.read('home/.profile'), fill('SONAR_HOST_URL={otherUrl}\n', values));
    confirmed.assertGone(values.onOther);
  });

  it('checks on a named server only when confirmed, and by that name', async () => {
    const env = await setUp([{ confirm: true }]);
    const liveness = await checkOnNamedServer(env.deps, env.finding('.profile'));
    assert.equal(liveness?.state, 'alive');
    assert.deepEqual(env.prompter.calls[0].actions, [`Check on ${new URL(other.url).host}`]);
  });

  it('replaces a token: a new one held and bound where the old was used, the old one revoked', async () => {
    const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }]);
    await replaceFound(env.deps, env.finding('.cursor/mcp.json'));
    env.prompter.assertDone();
    const newName = `cursor-${counter}-2026-12-02`;
    assert.ok(known.tokenNames('ada').includes(newName), 'no new token');
    assert.ok(!known.tokenNames('ada').includes(names.cursor), 'the old token was not revoked');
    const ref = { connectionId: 'c-1', login: 'ada', name: newName };
    const newValue = await env.vault.read(ref);
    assert.ok(newValue?.startsWith('squ_'));
    const [binding] = env.store.list() as McpBinding[];
    assert.deepEqual(binding.token, ref);
    assert.equal(env.read('home/.cursor/mcp.json'), cursorLauncherFile(binding.id, known.url));
    assert.deepEqual([...env.credentials.values], [[`mcp-binding:${binding.id}`, newValue]]);
    assert.deepEqual(env.bound, []);
    env.assertGone(values.cursor, newValue!);
  });

  it('replacing a token that is also held and bound elsewhere removes those bindings and the held value, as revoking it does', async () => {
    const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }]);
    const oldRef = { connectionId: 'c-1', login: 'ada', name: names.cursor };
    await env.vault.store(oldRef, values.cursor);
    const elsewhere = await env.store.add({ kind: 'mcp', token: oldRef, target: 'vscodeProvider', label: 'SonarQube (known)' });
    await replaceFound(env.deps, env.finding('.cursor/mcp.json'));
    env.prompter.assertDone();
    const newName = `cursor-${counter}-2026-12-02`;
    assert.ok(!known.tokenNames('ada').includes(names.cursor), 'the old token was not revoked');
    assert.ok(known.tokenNames('ada').includes(newName), 'no new token');
    assert.deepEqual(env.unbound, [oldRef]);
    assert.equal(env.store.get(elsewhere.id), undefined, 'a binding of the revoked token is left');
    assert.deepEqual(env.store.list().map((binding) => binding.token.name), [newName], 'the new binding went too');
    assert.equal(await env.vault.read(oldRef), undefined, 'the revoked value is still held');
    env.assertGone(values.cursor, (await env.vault.read({ ...oldRef, name: newName }))!);
  });

  it('replacing the token this extension signs in with makes the new token its sign-in, so the connection stays signed in', async () => {
    const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }]);
    await env.vault.storeSignIn('c-1', values.cursor);
    await replaceFound(env.deps, env.finding('.cursor/mcp.json'));
    env.prompter.assertDone();
    const newName = `cursor-${counter}-2026-12-02`;
    const newValue = await env.vault.read({ connectionId: 'c-1', login: 'ada', name: newName });
    assert.ok(newValue?.startsWith('squ_'));
    assert.equal(await env.vault.readSignIn('c-1'), newValue, 'the connection still signs in with the revoked token');
    assert.ok(!known.tokenNames('ada').includes(names.cursor), 'the old token was not revoked');
    const confirm = env.prompter.calls.find((call) => call.kind === 'confirm')!;
    assert.match(confirm.text, new RegExp(`It is also the token this extension signs in to known with: ${newName} takes that place too\\.\n\nThen cursor-${counter} is revoked\\.`));
    assert.match(env.prompter.messages('info')[0], new RegExp(`This extension now signs in to known with ${newName}\\.`));
    env.assertGone(values.cursor, newValue!);
  });

  it('refuses to replace where no secure binding exists, and ignores by SHA-256 only', async () => {
    const env = await setUp([]);
    await replaceFound(env.deps, env.finding('.env'));
    assert.match(env.prompter.messages('error')[0], /only MCP entries and SonarQube for IDE settings/);
    await ignoreFinding(env.deps, env.finding('.env'));
    assert.ok(!env.model.findings.some((finding) => finding.place.path.endsWith('.env')));
    const rescanned = await env.model.scan();
    assert.ok(!rescanned.findings.some((finding) => finding.place.path.endsWith('.env')), 'an ignored finding came back');
    assert.equal(env.read('project/.env'), fill(FILES['project/.env'], values));
  });

  describe('what each fix changes, word for word', () => {
    const write = (relative: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), text, 'utf8');
    };
    const tokenRequests = (fake: FakeSonarQube, action: 'generate' | 'revoke') => fake.requests.filter((request) => request.path === `api/user_tokens/${action}`);
    beforeEach(() => void (known.requests.length = 0));
    afterEach(() => known.clearFaults());

    it('a file that no longer holds the token since the scan: each fix warns, drops the finding and leaves the file as it now is', async () => {
      const env = await setUp([]);
      const now: Record<string, string> = {
        'project/.env': 'SONARQUBE_URL=elsewhere\r\n',
        'home/.cursor/mcp.json': '{ "mcpServers": {} }\n',
        'home/.bashrc': 'alias ll="ls -l"\n',
        'home/vscode-user/settings.json': '{}\n',
      };
      for (const [relative, text] of Object.entries(now)) write(relative, text);
      const before = known.requests.length;
      await moveToSecureStorage(env.deps, env.finding('.env'));
      await replaceFound(env.deps, env.finding('.cursor/mcp.json'));
      await revokeFound(env.deps, env.finding('settings.json'));
      await moveToSecureStorage(env.deps, env.finding('.bashrc'));
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.messages('warn'), [
        'project/.env changed since the scan and no longer holds this token. Scan again.',
        'home/.cursor/mcp.json changed since the scan and no longer holds this token. Scan again.',
        'home/vscode-user/settings.json changed since the scan and no longer holds this token. Scan again.',
        'home/.bashrc changed since the scan and no longer holds this token. Scan again.',
      ]);
      assert.deepEqual(env.prompter.calls.map((call) => call.kind), ['warn', 'warn', 'warn', 'warn'], 'a fix went on to ask or list tokens');
      for (const [relative, text] of Object.entries(now)) assert.equal(env.read(relative), text, relative);
      assert.deepEqual(env.model.findings.map((finding) => path.relative(root, finding.place.path)).sort(), ['home/.profile', 'project/.vscode/mcp.json']);
      assert.equal(known.requests.length, before, 'a request reached the server');
      assert.equal(await env.vault.read({ connectionId: 'c-1', login: 'ada', name: names.dotenv }), undefined);
      assert.deepEqual(env.store.list(), []);
      assert.equal(env.logger.lines.filter((line) => !line.startsWith('debug')).length, 0);
    });

    it('revoking a token that is also on another line of the file: says revoked (not removed) and warns that the file still holds it', async () => {
      write('project/.env', 'SONAR_TOKEN={dotenv}\nSONARQUBE_TOKEN={dotenv}\n'.replaceAll('{dotenv}', values.dotenv));
      const env = await setUp([{ pick: `env-${counter}` }, { confirm: true }]);
      const [first, second] = env.model.findings.filter((finding) => finding.place.path.endsWith('.env'));
      assert.equal(first.line, 1);
      await revokeFound(env.deps, first);
      env.prompter.assertDone();
      assert.equal(env.read('project/.env'), `SONARQUBE_TOKEN=${values.dotenv}\n`);
      assert.deepEqual(env.prompter.messages('warn'), ['The same token is also elsewhere in project/.env: scan again to see where.']);
      assert.deepEqual(env.prompter.messages('info'), [`env-${counter} was revoked.`]);
      assert.deepEqual(env.model.findings.filter((finding) => finding.place.path.endsWith('.env')), [second]);
      assert.ok(!env.logger.lines.join('\n').includes(values.dotenv) && !env.prompter.shownText.includes(values.dotenv), 'the value leaked');
    });

    it('removing a dead token that is also on another line: warns that the file still holds it and does not say it was removed', async () => {
      write('home/.bashrc', `export SONARQUBE_URL=${known.url}\nexport SONARQUBE_TOKEN=${values.dead}\nexport SONAR_TOKEN=${values.dead}\n`);
      const env = await setUp([{ confirm: true }]);
      const [first] = env.model.findings.filter((finding) => finding.place.path.endsWith('.bashrc'));
      await moveToSecureStorage(env.deps, first);
      env.prompter.assertDone();
      assert.equal(env.read('home/.bashrc'), `export SONARQUBE_URL=${known.url}\nexport SONAR_TOKEN=${values.dead}\n`);
      assert.deepEqual(env.prompter.messages('warn'), ['The same token is also elsewhere in home/.bashrc: scan again to see where.']);
      assert.deepEqual(env.prompter.messages('info'), []);
      assert.ok(!env.logger.lines.join('\n').includes(values.dead) && !env.prompter.shownText.includes(values.dead), 'the value leaked');
    });

    it('a dead token: the confirmation says what is removed, with Remove from File, then says it was removed', async () => {
      const dead = userTokenValue();
      write('home/.gemini/settings.json', `{\n  "mcpServers": {\n    "git": { "command": "git-mcp" },\n    "sonarqube": { "command": "docker", "env": { "SONARQUBE_URL": "${known.url}", "SONARQUBE_TOKEN": "${dead}" } }\n  }\n}\n`);
      const env = await setUp([{ confirm: true }]);
      const finding = env.finding('.gemini/settings.json');
      await replaceFound(env.deps, finding);
      env.prompter.assertDone();
      const confirm = env.prompter.calls.find((call) => call.kind === 'confirm')!;
      assert.equal(confirm.text, `${finding.masked} is no longer accepted: remove it from home/.gemini/settings.json?\nThe MCP server "sonarqube" is removed from home/.gemini/settings.json; the rest of the file stays as it is.`);
      assert.deepEqual(confirm.actions, ['Remove from File']);
      assert.equal(env.read('home/.gemini/settings.json'), '{\n  "mcpServers": {\n    "git": { "command": "git-mcp" }\n  }\n}\n');
      assert.deepEqual(env.prompter.messages('info'), ['The dead token was removed from home/.gemini/settings.json.']);
      assert.equal(tokenRequests(known, 'generate').length, 0);
      env.assertGone(dead);
    });

    it('a dead token on a longer line: says to edit it by hand and opens the file at its line on Open File', async () => {
      write('home/.bashrc', `export SONARQUBE_URL=${known.url}\nexport SONARQUBE_TOKEN=${values.dead} && make\n`);
      const env = await setUp([{ warn: 'Open File' }]);
      const finding = env.finding('.bashrc');
      await moveToSecureStorage(env.deps, finding);
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.calls.map((call) => [call.kind, call.text, call.actions]), [
        ['warn', `${finding.masked} is no longer accepted by any of your servers. The value on line 2 of home/.bashrc is part of a longer line: edit it by hand.`, ['Open File']],
      ]);
      assert.deepEqual(env.opened, ['home/.bashrc:2']);
      assert.equal(env.read('home/.bashrc'), `export SONARQUBE_URL=${known.url}\nexport SONARQUBE_TOKEN=${values.dead} && make\n`);
    });

    it('Open File dismissed: the file is not opened', async () => {
      write('home/.bashrc', `export SONARQUBE_URL=${known.url}\nexport SONARQUBE_TOKEN=${values.dead} && make\n`);
      const env = await setUp([]);
      await moveToSecureStorage(env.deps, env.finding('.bashrc'));
      assert.equal(env.prompter.messages('warn').length, 1);
      assert.deepEqual(env.opened, []);
    });

    it('revoking a token on a longer line: says it was revoked and to edit the line by hand, and opens the file on Open File', async () => {
      write('home/.bashrc', `export SONARQUBE_URL=${known.url}\nexport SONARQUBE_TOKEN=${values.dotenv} && make\n`);
      const env = await setUp([{ pick: `env-${counter}` }, { confirm: true }, { warn: 'Open File' }]);
      await revokeFound(env.deps, env.finding('.bashrc'));
      env.prompter.assertDone();
      assert.ok(!known.tokenNames('ada').includes(names.dotenv), 'not revoked');
      assert.deepEqual(env.prompter.messages('warn'), [`env-${counter} was revoked. The value on line 2 of home/.bashrc is part of a longer line: edit it by hand.`]);
      assert.deepEqual(env.opened, ['home/.bashrc:2']);
      assert.equal(env.read('home/.bashrc'), `export SONARQUBE_URL=${known.url}\nexport SONARQUBE_TOKEN=${values.dotenv} && make\n`);
    });

    const geminiFile = (url: string | undefined, token: string) =>
      `{\n  "theme": "dark",\n  "mcpServers": {\n    "sonarqube": { "command": "docker", "env": { ${url ? `"SONARQUBE_URL": "${url}", ` : ''}"SONARQUBE_TOKEN": "${token}" } }\n  }\n}\n`;
    const formOf = (request: { form: Record<string, string> }) => request.form;

    it('replace word for word: the confirmation, the next free name, the expiry carried over as a day, no login sent for one\'s own token, and the message', async () => {
      const name = `gem-${counter}`;
      const old = known.createToken('ada', { name, expirationDate: '2027-06-30' });
      known.createToken('ada', { name: `${name}-2026-12-02` });
      write('home/.gemini/settings.json', geminiFile(known.url, old));
      const env = await setUp([{ pick: name }, { confirm: true }], { connection: { isAdmin: true } });
      const finding = env.finding('.gemini/settings.json');
      await replaceFound(env.deps, finding);
      env.prompter.assertDone();
      const newName = `${name}-2026-12-02-2`;
      const confirm = env.prompter.calls.find((call) => call.kind === 'confirm')!;
      assert.equal(
        confirm.text,
        `Replace ${name} (${finding.masked})?\n` +
          `A new token ${newName} is generated for ada on known and kept in secure storage.\n\n` +
          'The MCP server "sonarqube" in home/.gemini/settings.json is rewritten to start through this extension\'s launcher, which reads the token from the operating system\'s credential store: the entry keeps no value and no variable, and the rest of the file stays as it is.\n\n' +
          `Then ${name} is revoked.`,
      );
      assert.deepEqual(confirm.actions, ['Replace']);
      assert.ok(env.prompter.calls.some((call) => call.kind === 'progress' && call.text === `Generating ${newName}…`));
      assert.deepEqual(tokenRequests(known, 'generate').map(formOf), [{ name: newName, type: 'USER_TOKEN', expirationDate: '2027-06-30' }]);
      assert.deepEqual(tokenRequests(known, 'revoke').map(formOf), [{ name }]);
      assert.deepEqual(env.prompter.messages('info'), [
        `${newName} replaces ${name}, which was revoked; home/.gemini/settings.json no longer holds a token. Gemini CLI starts no MCP server in a folder it does not trust: trust your project folder in Gemini CLI when it asks.`,
      ]);
      assert.ok(!known.tokenNames('ada').includes(name), 'the old token was not revoked');
      const newValue = await env.vault.read({ connectionId: 'c-1', login: 'ada', name: newName });
      assert.ok(newValue?.startsWith('squ_'));
      assert.equal(await env.vault.readSignIn('c-1'), signInToken, 'the sign-in was replaced although the found token was not it');
      env.assertGone(old, newValue!);
    });

    it('an administrator replacing another user\'s token generates and revokes it under that user\'s login', async () => {
      const rootSignIn = known.createToken('root', { name: `root-${counter}` });
      const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }], { connection: { login: 'root', isAdmin: true }, signIn: rootSignIn });
      await replaceFound(env.deps, env.finding('.cursor/mcp.json'));
      env.prompter.assertDone();
      const newName = `cursor-${counter}-2026-12-02`;
      assert.match(env.prompter.calls.find((call) => call.kind === 'confirm')!.text, new RegExp(`\nA new token ${newName} is generated for ada on known and kept in secure storage\\.\n`));
      assert.deepEqual(tokenRequests(known, 'generate').map(formOf), [{ name: newName, type: 'USER_TOKEN', login: 'ada' }]);
      assert.deepEqual(tokenRequests(known, 'revoke').map(formOf), [{ name: `cursor-${counter}`, login: 'ada' }]);
      assert.ok(known.tokenNames('ada').includes(newName) && !known.tokenNames('ada').includes(names.cursor));
      assert.deepEqual(known.tokenNames('root'), [`root-${counter}`]);
      const newValue = await env.vault.read({ connectionId: 'c-1', login: 'ada', name: newName });
      assert.ok(newValue?.startsWith('squ_'), 'the new token is not held under its owner');
      assert.equal(await env.vault.readSignIn('c-1'), rootSignIn);
      env.assertGone(values.cursor, newValue!);
    });

    it('Cancel while the new token is generated stops that request: the file, the old token and secure storage stay as they were', async () => {
      known.inject('POST api/user_tokens/generate', { kind: 'delay', ms: 5_000 });
      const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }, { cancelProgress: 'Generating', when: () => known.received('api/user_tokens/generate') }]);
      const before = env.read('home/.cursor/mcp.json');
      const outcome = await replaceFound(env.deps, env.finding('.cursor/mcp.json')).then(() => 'resolved', (error: unknown) => (isCancellation(error) ? 'cancelled' : String(error)));
      assert.equal(outcome, 'cancelled');
      env.prompter.assertDone();
      assert.deepEqual([...env.prompter.messages('error'), ...env.prompter.messages('warn'), ...env.prompter.messages('info')], []);
      assert.equal(env.read('home/.cursor/mcp.json'), before);
      assert.deepEqual(tokenRequests(known, 'revoke'), []);
      assert.ok(known.tokenNames('ada').includes(names.cursor), 'the old token was revoked');
      assert.equal(await env.vault.read({ connectionId: 'c-1', login: 'ada', name: `cursor-${counter}-2026-12-02` }), undefined);
      assert.deepEqual(env.store.list(), []);
      assert.ok(!env.logger.lines.join('\n').includes(values.cursor) && !env.prompter.shownText.includes(values.cursor), 'the value leaked');
    });

    it('refuses to replace an analysis token, in words, before generating anything', async () => {
      const name = `zz-analysis-${counter}`;
      const analysis = known.createToken('ada', { name, type: 'GLOBAL_ANALYSIS_TOKEN' });
      write('home/.gemini/settings.json', geminiFile(known.url, analysis));
      const env = await setUp([{ pick: name }]);
      await replaceFound(env.deps, env.finding('.gemini/settings.json'));
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.messages('error'), [`${name} is an analysis token: the MCP server and SonarQube for IDE need a user token. Revoke it instead.`]);
      assert.equal(env.prompter.calls.filter((call) => call.kind === 'confirm').length, 0);
      assert.deepEqual(tokenRequests(known, 'generate'), []);
      assert.ok(known.tokenNames('ada').includes(name));
      assert.equal(env.read('home/.gemini/settings.json'), geminiFile(known.url, analysis));
      assert.ok(!env.prompter.shownText.includes(analysis) && !env.logger.lines.join('\n').includes(analysis), 'the value leaked');
    });

    it('when the replaced token cannot be revoked: warns and logs it, keeps the new token bound, and unbinds nothing', async () => {
      known.inject('POST api/user_tokens/revoke', { kind: 'status', status: 500, body: { errors: [{ msg: 'boom' }] } });
      const env = await setUp([{ pick: `cursor-${counter}` }, { confirm: true }]);
      await replaceFound(env.deps, env.finding('.cursor/mcp.json'));
      env.prompter.assertDone();
      const newName = `cursor-${counter}-2026-12-02`;
      assert.deepEqual(env.prompter.messages('warn'), [`${newName} replaces cursor-${counter}, but cursor-${counter} could not be revoked: known had an internal error (HTTP 500). Try again later. The server said: boom Revoke it from the Tokens view.`]);
      assert.deepEqual(env.prompter.messages('info'), []);
      assert.ok(env.logger.lines.includes(`warn [exposure] revoking the replaced token "cursor-${counter}" failed: server 500 api/user_tokens/revoke`));
      assert.ok(known.tokenNames('ada').includes(names.cursor), 'revoked after all');
      const newValue = await env.vault.read({ connectionId: 'c-1', login: 'ada', name: newName });
      assert.ok(newValue?.startsWith('squ_'), 'the new token was not kept');
      const [binding] = env.store.list() as McpBinding[];
      assert.equal(env.read('home/.cursor/mcp.json'), cursorLauncherFile(binding.id, known.url));
      assert.deepEqual(env.unbound, []);
      env.assertGone(values.cursor, newValue!);
    });

    it('without a connection to the server the file names: Replace and Move say which connection to add, and change nothing', async () => {
      write('home/.gemini/settings.json', geminiFile(other.url, values.onOther));
      const env = await setUp([{ confirm: true }, { confirm: true }]);
      await replaceFound(env.deps, env.finding('.gemini/settings.json'));
      await moveToSecureStorage(env.deps, env.finding('.profile'));
      env.prompter.assertDone();
      const host = new URL(other.url).host;
      assert.deepEqual(env.prompter.messages('error'), [
        `To replace the token, add a connection to ${host} as ada with "Add Connection…" first.`,
        `To keep the token here, add a connection to ${host} as ada with "Add Connection…", then move it.`,
      ]);
      assert.equal(env.read('home/.gemini/settings.json'), geminiFile(other.url, values.onOther));
      assert.equal(env.read('home/.profile'), fill(FILES['home/.profile'], values));
      assert.ok(other.tokenNames('ada').includes(names.onOther));
      assert.equal(other.requests.filter((request) => request.path.startsWith('api/user_tokens/')).length, 0);
    });

    it('a server that does not answer: each fix says so under its own name and changes nothing', async () => {
      known.inject('api/authentication/validate', { kind: 'status', status: 503 });
      const env = await setUp([]);
      await moveToSecureStorage(env.deps, env.finding('.env'));
      await revokeFound(env.deps, env.finding('.env'));
      await replaceFound(env.deps, env.finding('.cursor/mcp.json'));
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.messages('error'), [
        'Move to secure storage needs to reach the token\'s server, which did not answer. Try again later.',
        'Revoke needs to reach the token\'s server, which did not answer. Try again later.',
        'Replace needs to reach the token\'s server, which did not answer. Try again later.',
      ]);
      assert.equal(env.read('project/.env'), fill(FILES['project/.env'], values));
      assert.equal(env.read('home/.cursor/mcp.json'), fill(FILES['home/.cursor/mcp.json'], values));
    });

    it('a token no connection can check: each fix says to add a connection to its server', async () => {
      const scoped = `sqco_${'ab'.repeat(20)}`;
      write('home/.zshrc', `export SONAR_TOKEN=${scoped}\n`);
      write('home/.gemini/settings.json', geminiFile(undefined, scoped));
      const env = await setUp([]);
      await moveToSecureStorage(env.deps, env.finding('.zshrc'));
      await revokeFound(env.deps, env.finding('.zshrc'));
      await replaceFound(env.deps, env.finding('.gemini/settings.json'));
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.messages('error'), [
        'Move to secure storage needs the token\'s server: add a connection to it with "Add Connection…", then try again.',
        'Revoke needs the token\'s server: add a connection to it with "Add Connection…", then try again.',
        'Replace needs the token\'s server: add a connection to it with "Add Connection…", then try again.',
      ]);
      assert.equal(env.read('home/.zshrc'), `export SONAR_TOKEN=${scoped}\n`);
      assert.ok(!env.prompter.shownText.includes(scoped));
    });

    it('revoking the token this extension signs in with, found in a file: says the connection must sign in again', async () => {
      const fresh = known.createToken('ada', { name: `sign-in-${counter}` });
      write('project/.env', `SONARQUBE_URL=${known.url}\nSONAR_TOKEN=${fresh}\n`);
      const env = await setUp([{ pick: `sign-in-${counter}` }, { confirm: true }], { signIn: fresh });
      await revokeFound(env.deps, env.finding('.env'));
      env.prompter.assertDone();
      assert.match(env.prompter.calls.find((call) => call.kind === 'confirm')!.text, /This is the token this extension signs in to known with: you will have to sign in again\./);
      assert.deepEqual(env.prompter.messages('info'), [
        `sign-in-${counter} was revoked and removed from project/.env. It was the token this extension signed in with: sign in again to keep using this connection.`,
      ]);
      assert.equal(env.read('project/.env'), `SONARQUBE_URL=${known.url}\n`);
      assert.equal(await env.vault.readSignIn('c-1'), undefined);
      env.assertGone(fresh);
    });

    it('revoking on a server confirmed for the finding only: no sign-in warning, the revoke message alone', async () => {
      const env = await setUp([{ confirm: true }, { pick: `team-${counter}` }, { confirm: true }]);
      await revokeFound(env.deps, env.finding('.profile'));
      env.prompter.assertDone();
      const host = new URL(other.url).host;
      const confirms = env.prompter.calls.filter((call) => call.kind === 'confirm');
      assert.equal(confirms[1].text, `Revoke token team-${counter} on ${host}?\nThese stop working:\n• home/.profile\n\nThis cannot be undone.`);
      assert.deepEqual(env.prompter.messages('info'), [`team-${counter} was revoked and removed from home/.profile.`]);
      env.assertGone(values.onOther);
    });

    it('moving a SonarQube for IDE token: the confirmation word for word, and the connectionId of the token\'s own entry handed over (the second of two, byte order mark)', async () => {
      write('home/vscode-user/settings.json', `\uFEFF{\n  "sonarlint.connectedMode.connections.sonarqube": [\n    { "connectionId": "first", "serverUrl": "${known.url}" },\n    { "connectionId": "second", "serverUrl": "${known.url}", "token": "${values.sonarlint}" },\n  ],\n}\n`);
      const env = await setUp([{ pick: `ide-${counter}` }, { confirm: true }]);
      const finding = env.finding('settings.json');
      await moveToSecureStorage(env.deps, finding);
      env.prompter.assertDone();
      const confirm = env.prompter.calls.find((call) => call.kind === 'confirm')!;
      assert.equal(
        confirm.text,
        `Move ${finding.masked} from home/vscode-user/settings.json to secure storage?\n` +
          `This extension keeps the value in secure storage as token ide-${counter} of ada on known.\n\n` +
          'The "token" entry is removed from home/vscode-user/settings.json; the rest of the file stays as it is.\n\n' +
          'The connection form of SonarQube for IDE then opens so you can paste the token into its own secure storage (the clipboard is cleared again).',
      );
      assert.deepEqual(confirm.actions, ['Move']);
      assert.deepEqual(env.bound, [{ kind: 'sonarlint', ref: { connectionId: 'c-1', login: 'ada', name: names.sonarlint }, detail: 'sonarqube/second' }]);
      assert.equal(env.read('home/vscode-user/settings.json'), `\uFEFF{\n  "sonarlint.connectedMode.connections.sonarqube": [\n    { "connectionId": "first", "serverUrl": "${known.url}" },\n    { "connectionId": "second", "serverUrl": "${known.url}" },\n  ],\n}\n`);
      assert.deepEqual(env.prompter.messages('info'), [`${finding.masked} is now held in secure storage as ide-${counter} and is no longer in home/vscode-user/settings.json.`]);
      env.assertGone(values.sonarlint);
    });

    it('a SonarQube for IDE entry whose connectionId is not a string: no connection id is handed over', async () => {
      write('home/vscode-user/settings.json', `{\n  "sonarlint.connectedMode.connections.sonarqube": [\n    { "connectionId": 7, "serverUrl": "${known.url}", "token": "${values.sonarlint}" }\n  ]\n}\n`);
      const env = await setUp([{ pick: `ide-${counter}` }, { confirm: true }]);
      await moveToSecureStorage(env.deps, env.finding('settings.json'));
      env.prompter.assertDone();
      assert.deepEqual(env.bound, [{ kind: 'sonarlint', ref: { connectionId: 'c-1', login: 'ada', name: names.sonarlint }, detail: 'sonarqube/undefined' }]);
      env.assertGone(values.sonarlint);
    });

    it('a byte order mark inside a connectionId (not at the start of the file) stays part of the id handed over', async () => {
      write('home/vscode-user/settings.json', `{\n  "sonarlint.connectedMode.connections.sonarqube": [\n    { "connectionId": "\uFEFFwork", "serverUrl": "${known.url}", "token": "${values.sonarlint}" }\n  ]\n}\n`);
      const env = await setUp([{ pick: `ide-${counter}` }, { confirm: true }]);
      await moveToSecureStorage(env.deps, env.finding('settings.json'));
      env.prompter.assertDone();
      assert.deepEqual(env.bound.map((entry) => entry.detail), ['sonarqube/\uFEFFwork']);
      env.assertGone(values.sonarlint);
    });

    it('moving from VS Code\'s user mcp.json: the entry is removed and VS Code\'s own MCP support starts it, said word for word', async () => {
      const token = known.createToken('ada', { name: `vsu-${counter}` });
      write('home/vscode-user/mcp.json', `{\n  "servers": {\n    "sonarqube": { "type": "stdio", "command": "docker", "env": { "SONARQUBE_URL": "${known.url}", "SONARQUBE_TOKEN": "${token}" } }\n  }\n}\n`);
      const env = await setUp([{ pick: `vsu-${counter}` }, { confirm: true }]);
      const finding = env.finding('vscode-user/mcp.json');
      await moveToSecureStorage(env.deps, finding);
      env.prompter.assertDone();
      assert.equal(
        env.prompter.calls.find((call) => call.kind === 'confirm')!.text,
        `Move ${finding.masked} from home/vscode-user/mcp.json to secure storage?\n` +
          `This extension keeps the value in secure storage as token vsu-${counter} of ada on known.\n\n` +
          'The MCP server "sonarqube" is removed from home/vscode-user/mcp.json; the rest of the file stays as it is.\n\n' +
          'The server becomes an MCP server of VS Code that starts with the token from secure storage in its environment; VS Code no longer lists it.',
      );
      assert.deepEqual(env.bound, [{ kind: 'provider', ref: { connectionId: 'c-1', login: 'ada', name: `vsu-${counter}` } }]);
      assert.equal(env.read('home/vscode-user/mcp.json'), '{\n  "servers": {}\n}\n');
      assert.ok(env.logger.lines.includes(`info [exposure] moved a found token (${finding.masked}) from ${path.join(root, 'home/vscode-user/mcp.json')} to secure storage as "vsu-${counter}" (provider)`), env.logger.lines.join('\n'));
      env.assertGone(token);
    });

    it('moving from a file git tracks: the confirmation says the token stays in the history and to revoke it instead', async () => {
      const env = await setUp([{ pick: `env-${counter}` }, { confirm: false }], { tracked: ['project/.env'] });
      const finding = env.finding('.env');
      await moveToSecureStorage(env.deps, finding);
      env.prompter.assertDone();
      assert.equal(
        env.prompter.calls.find((call) => call.kind === 'confirm')!.text,
        `Move ${finding.masked} from project/.env to secure storage?\n` +
          `This extension keeps the value in secure storage as token env-${counter} of ada on known.\n\n` +
          'Line 2 (SONAR_TOKEN) is removed from project/.env; the rest of the file stays as it is.\n\n' +
          'The file is tracked by git: the token stays in the repository\'s history. Revoke it instead if it was ever committed.',
      );
      assert.equal(env.read('project/.env'), fill(FILES['project/.env'], values));
      assert.equal(await env.vault.read({ connectionId: 'c-1', login: 'ada', name: names.dotenv }), undefined);
    });

    it('the token list of another user\'s token: the most recently used first and preselected, never-used last; cancelling generates nothing', async () => {
      const login = `lin-${counter}`;
      known.addUser({ login, name: 'Lin' });
      const found = known.createToken(login, { name: 'found' });
      known.createToken(login, { name: 'a-used', lastConnectionDate: '2026-11-01T10:00:00Z', createdAt: '2026-01-01T00:00:00Z' });
      known.createToken(login, { name: 'b-never', createdAt: '2026-02-01T00:00:00Z' });
      known.createToken(login, { name: 'c-recent', lastConnectionDate: '2026-11-20T10:00:00Z', createdAt: '2026-01-01T00:00:00Z' });
      write('home/.gemini/settings.json', geminiFile(known.url, found));
      const env = await setUp([{ pick: undefined }]);
      const finding = env.finding('.gemini/settings.json');
      await replaceFound(env.deps, finding);
      env.prompter.assertDone();
      const pick = env.prompter.calls.find((call) => call.kind === 'pick')!;
      const items = pick.options as Array<{ label: string; description: string; detail?: string; picked: boolean }>;
      assert.deepEqual(items.map((item) => item.label), ['found', 'c-recent', 'a-used', 'b-never']);
      assert.deepEqual(items.slice(1).map((item) => [item.description, item.detail, item.picked]), [
        ['User · last used 2026-11-20', undefined, false],
        ['User · last used 2026-11-01', undefined, false],
        ['User · never used', undefined, false],
      ]);
      assert.deepEqual([items[0].detail, items[0].picked], [`Most likely: the token that matches ${finding.masked}`, true]);
      assert.equal(pick.text, `Which token of ${login} is ${finding.masked}? The server does not say which name a value has: pick the token found in home/.gemini/settings.json`);
      const searches = known.requests.filter((request) => request.path === 'api/user_tokens/search');
      assert.deepEqual(searches.map((request) => [request.authenticatedLogin, request.query.login]), [[login, undefined]], 'listed with the connection\'s sign-in');
      assert.deepEqual(tokenRequests(known, 'generate'), []);
      assert.equal(env.read('home/.gemini/settings.json'), geminiFile(known.url, found));
      assert.ok(!env.prompter.shownText.includes(found));
    });

    it('an administrator lists another user\'s tokens with the connection\'s own sign-in, by that login', async () => {
      const rootSignIn = known.createToken('root', { name: `root-list-${counter}` });
      const env = await setUp([{ pick: undefined }], { connection: { login: 'root', isAdmin: true }, signIn: rootSignIn });
      await revokeFound(env.deps, env.finding('.env'));
      env.prompter.assertDone();
      const searches = known.requests.filter((request) => request.path === 'api/user_tokens/search');
      assert.deepEqual(searches.map((request) => [request.authenticatedLogin, request.query.login]), [['root', 'ada']]);
      assert.ok(env.prompter.calls.some((call) => call.kind === 'progress' && call.text === 'Listing the tokens of ada on known…'));
    });

    it('a token list that comes back empty: says so and asks nothing more', async () => {
      known.inject('api/user_tokens/search', { kind: 'status', status: 200, body: { login: 'ada', userTokens: [] } });
      const env = await setUp([]);
      await revokeFound(env.deps, env.finding('.env'));
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.messages('error'), ['known lists no tokens for ada.']);
      assert.deepEqual(env.prompter.calls.map((call) => call.kind), ['progress', 'error']);
      assert.equal(env.read('project/.env'), fill(FILES['project/.env'], values));
    });

    it('Fix All lists every exposed finding with the fix it recommends (dead: remove; committed: revoke; else: move), and a cancelled list fixes nothing', async () => {
      const env = await setUp([{ pickMany: undefined }], { tracked: ['project/.env'] });
      await fixAllFindings(env.deps);
      env.prompter.assertDone();
      const list = env.prompter.calls.find((call) => call.kind === 'pickMany')!;
      assert.equal(list.text, 'Fix All Exposed Tokens Which ones? Each fix then shows exactly what it changes and asks first.');
      const move = 'Move it to secure storage: this extension keeps it, the file no longer contains it';
      const masked = (suffix: string) => env.finding(suffix).masked;
      assert.deepEqual(
        (list.options as Array<{ label: string; description: string; detail: string; picked: boolean }>).map(({ label, description, detail, picked }) => ({ label, description, detail, picked })).sort((a, b) => a.label.localeCompare(b.label)),
        [
          { label: 'home/.bashrc:2', description: `SONARQUBE_TOKEN · ${masked('.bashrc')}`, detail: 'Remove it from the file: no server accepts it any more', picked: true },
          { label: 'home/.cursor/mcp.json:5', description: `SONARQUBE_TOKEN · ${masked('.cursor/mcp.json')}`, detail: move, picked: true },
          { label: 'home/.profile:2', description: `SONAR_TOKEN · ${masked('.profile')}`, detail: move, picked: true },
          { label: 'home/vscode-user/settings.json:3', description: `token · ${masked('settings.json')}`, detail: move, picked: true },
          { label: 'project/.env:2', description: `SONAR_TOKEN · ${masked('.env')}`, detail: 'Revoke it on the server, then remove it from the file (the file is committed)', picked: true },
          { label: 'project/.vscode/mcp.json:3', description: `SONARQUBE_TOKEN · ${masked('.vscode/mcp.json')}`, detail: move, picked: true },
        ],
      );
      assert.equal(env.read('home/.bashrc'), fill(FILES['home/.bashrc'], values));
      assert.equal(env.model.findings.length, 6);
      assert.deepEqual(tokenRequests(known, 'revoke'), []);
    });

    it('Fix All does the recommended fix: the dead token removed from its file, the committed one revoked then removed', async () => {
      const env = await setUp([{ pickMany: ['home/.bashrc:2', 'project/.env:2'] }, { confirm: true }, { pick: `env-${counter}` }, { confirm: true }], { tracked: ['project/.env'] });
      await fixAllFindings(env.deps);
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.calls.filter((call) => call.kind === 'confirm').map((call) => call.actions), [['Remove from File'], ['Revoke']]);
      assert.equal(env.read('home/.bashrc'), fill('export SONARQUBE_URL={knownUrl}\nalias ll="ls -l"\n', values));
      assert.equal(env.read('project/.env'), fill('\uFEFFSONARQUBE_URL={knownUrl}\r\nDEBUG=1\r\n', values));
      assert.ok(!known.tokenNames('ada').includes(names.dotenv), 'the committed token was not revoked');
      assert.deepEqual(env.prompter.messages('info'), ['The dead token was removed from home/.bashrc.', `env-${counter} was revoked and removed from project/.env.`]);
      assert.deepEqual(env.prompter.messages('error'), []);
      env.assertGone(values.dead, values.dotenv);
    });

    it('Fix All: a cancelled progress stops that fix only, without reporting it as failed', async () => {
      const env = await setUp([{ pickMany: ['home/.cursor/mcp.json:5', 'project/.env:2'] }, { cancelProgress: 'Listing the tokens' }, { pick: `env-${counter}` }, { confirm: true }]);
      await fixAllFindings(env.deps);
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.messages('error'), []);
      assert.equal(env.read('home/.cursor/mcp.json'), fill(FILES['home/.cursor/mcp.json'], values));
      assert.equal(env.read('project/.env'), fill('\uFEFFSONARQUBE_URL={knownUrl}\r\nDEBUG=1\r\n', values));
      assert.equal(env.logger.lines.filter((line) => line.includes('Fix All')).length, 0);
      env.assertGone(values.dotenv);
    });

    it('Fix All with one failure: the heading in the singular and a log line naming the place, never the value', async () => {
      const failingRename: FileSystem = { ...nodeFileSystem, rename: async () => Promise.reject(new Error('disk full')) };
      const env = await setUp([{ pickMany: ['home/.cursor/mcp.json:5'] }, { pick: `cursor-${counter}` }, { confirm: true }], { mcpFs: failingRename });
      await fixAllFindings(env.deps);
      env.prompter.assertDone();
      const masked = env.finding('.cursor/mcp.json').masked;
      const file = path.join(root, 'home/.cursor/mcp.json');
      assert.deepEqual(env.prompter.messages('error'), [`One fix failed; the others went ahead:\n• home/.cursor/mcp.json:5 (${masked}): Cannot write ${file}: disk full. It was left untouched.`]);
      assert.ok(env.logger.lines.includes(`warn [exposure] Fix All: fixing ${masked} at ${file}:5 failed: ConfigFileError`));
      assert.ok(!env.logger.lines.join('\n').includes(values.cursor) && !env.prompter.shownText.includes(values.cursor), 'the value leaked');
    });

    it('replacing a token that is part of a longer string: nothing is generated, it says to edit it by hand', async () => {
      write('home/vscode-user/settings.json', `{\n  "sonarlint.connectedMode.connections.sonarqube": [\n    { "connectionId": "work", "serverUrl": "${known.url}", "token": "was ${values.sonarlint}" }\n  ]\n}\n`);
      const env = await setUp([{ warn: 'Open File' }]);
      await replaceFound(env.deps, env.finding('settings.json'));
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.calls.map((call) => [call.kind, call.text]), [['warn', 'The value on line 3 of home/vscode-user/settings.json is part of a longer line: edit it by hand.']]);
      assert.deepEqual(env.opened, ['home/vscode-user/settings.json:3']);
      assert.equal(tokenRequests(known, 'generate').length, 0);
      assert.ok(known.tokenNames('ada').includes(names.sonarlint));
    });
  });
});

describe('Find Exposed Tokens: what the scan found, in words', () => {
  async function run(result: { exposed: number; own: number; skipped: number; filesRead: number }) {
    const findings = [
      ...Array.from({ length: result.exposed }, (_, index) => ({ id: `exposed-${index}` })),
      ...Array.from({ length: result.own }, (_, index) => ({ id: `own-${index}`, ownBindingId: `binding-${index}` })),
    ];
    const scanResult = { findings, skipped: Array.from({ length: result.skipped }, (_, index) => ({ path: `/big-${index}.json`, size: 9_000_000 })), filesRead: result.filesRead } as unknown as ScanResult;
    const prompter = new ScriptedPrompter([]);
    let shown = 0;
    const model = { scan: async () => scanResult } as unknown as ExposureModel;
    await findExposedTokens({ model, prompter, t: bundleTranslator }, async () => void shown++);
    return { prompter, shown };
  }

  it('nothing found: the number of files read, and the files too large to read', async () => {
    const { prompter, shown } = await run({ exposed: 0, own: 0, skipped: 2, filesRead: 7 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [
      ['progress', 'Looking for exposed SonarQube tokens…'],
      ['info', 'No exposed token found in 7 files. 2 files were too large to be configuration and were not read.'],
    ]);
    assert.equal(shown, 0);
  });

  it('nothing found and nothing skipped: the files read only', async () => {
    const { prompter } = await run({ exposed: 0, own: 0, skipped: 0, filesRead: 3 });
    assert.deepEqual(prompter.messages('info'), ['No exposed token found in 3 files.']);
  });

  it('one exposed token, two plain-text fallbacks of its own and a skipped file: one warning saying all three, the list shown', async () => {
    const { prompter, shown } = await run({ exposed: 1, own: 2, skipped: 1, filesRead: 9 });
    assert.deepEqual(prompter.messages('warn'), [
      '1 exposed token found: see Exposed Tokens in the Tokens view. 2 more are plain-text fallbacks this extension wrote on purpose. 1 files were too large to be configuration and were not read.',
    ]);
    assert.equal(shown, 1);
  });

  it('several exposed tokens and nothing else: the number alone', async () => {
    const { prompter } = await run({ exposed: 3, own: 0, skipped: 0, filesRead: 9 });
    assert.deepEqual(prompter.messages('warn'), ['3 exposed tokens found: see Exposed Tokens in the Tokens view.']);
    assert.deepEqual(prompter.messages('info'), []);
  });
});

// One person's persisted world for the crash matrix: globalState, secret store and config files in a temp folder,
// their user and tokens on the fake SonarQube. A kill switch wraps every collaborator that changes something.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fsSync from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { ConnectionStore } from '../../../src/core/connections/connectionStore';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import type { FileSystem } from '../../../src/core/config/fileSystem';
import { OperationJournal } from '../../../src/core/journal/journal';
import type { JournalOwner } from '../../../src/core/journal/journal';
import type { RecoveryBindings } from '../../../src/core/journal/recovery';
import { mcpCredentialAccount } from '../../../src/core/credentials/credentialStore';
import type { CredentialStore } from '../../../src/core/credentials/credentialStore';
import { removeConnectedModeEffects } from '../../../src/core/flows/bindConnectedMode';
import type { ConnectedModeEffectsDeps, SonarlintSettings } from '../../../src/core/flows/bindConnectedMode';
import { removeMcpBindingEffects, switchMcpBindingToken } from '../../../src/core/flows/bindMcp';
import type { McpBindingEffectsDeps } from '../../../src/core/flows/bindMcp';
import { applyMcpFileBinding } from '../../../src/core/mcp/fileBinding';
import { readLauncherEntry } from '../../../src/core/mcp/launcherEntry';
import type { LauncherRuntime } from '../../../src/core/mcp/launcherEntry';
import { buildMcpLaunch, TOKEN_ENV } from '../../../src/core/mcp/launch';
import type { McpTargetId } from '../../../src/core/mcp/targets';
import { englishMessage } from '../../../src/core/ports';
import type { KeyValueStore, SecretStore } from '../../../src/core/ports';
import { parseSecretKey, sameTokenRef, signInSecretKey } from '../../../src/core/secrets/keys';
import type { TokenRef } from '../../../src/core/secrets/keys';
import { SonarClient } from '../../../src/core/sonar/client';
import type { TokenApi } from '../../../src/core/sonar/types';
import { BindingStore } from '../../../src/core/tokens/bindingStore';
import type { BindingRecord, ConnectedModeBinding, McpBinding } from '../../../src/core/tokens/bindingStore';
import { HeldTokens, TokenVault } from '../../../src/core/tokens/heldTokens';
import { FakeSonarQube } from '../../fake-sonarqube';
import { MemoryCredentialStore } from '../support/memoryCredentialStore';
import { MemorySecretStore } from '../support/memorySecretStore';
import { MemorySonarlintSettings } from '../support/memorySonarlintSettings';
import { MemoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';

/** What the kill switch throws: the extension host is gone, nothing after this point happens. */
export class Killed extends Error {
  constructor() {
    super('extension host killed');
    this.name = 'Killed';
  }
}

/** Counts effects; at effect `at` it kills the host before or after the effect, and refuses every later one. */
export class KillSwitch {
  effects = 0;
  dead = false;
  readonly trail: string[] = [];

  constructor(private readonly at?: { readonly index: number; readonly when: 'before' | 'after' }) {}

  async effect<T>(label: string, run: () => Promise<T>): Promise<T> {
    if (this.dead) throw new Killed();
    this.effects++;
    this.trail.push(label);
    const here = this.at?.index === this.effects;
    if (here && this.at?.when === 'before') this.die();
    const result = await run();
    if (here && this.at?.when === 'after') this.die();
    return result;
  }

  private die(): never {
    this.dead = true;
    throw new Killed();
  }
}

function killableState(inner: KeyValueStore, kill: KillSwitch): KeyValueStore {
  return { get: (key) => inner.get(key), update: (key, value) => kill.effect(`state ${key.replace('sonarqubeTokens.', '')}`, () => inner.update(key, value)) };
}

function killableSecrets(inner: SecretStore, kill: KillSwitch): SecretStore {
  return {
    get: (key) => inner.get(key),
    store: (key, value) => kill.effect('secret store', () => inner.store(key, value)),
    delete: (key) => kill.effect('secret delete', () => inner.delete(key)),
  };
}

function killableFiles(inner: FileSystem, kill: KillSwitch): FileSystem {
  return {
    readFile: (file) => inner.readFile(file),
    stat: (file) => inner.stat(file),
    realpath: (file) => inner.realpath(file),
    writeFile: (file, data, options) => kill.effect(`write ${path.basename(file)}`, () => inner.writeFile(file, data, options)),
    rename: (from, to) => kill.effect(`rename ${path.basename(to)}`, () => inner.rename(from, to)),
    unlink: (file) => kill.effect(`unlink ${path.basename(file)}`, () => inner.unlink(file)),
    mkdir: (folder) => kill.effect('mkdir', () => inner.mkdir(folder)),
    rmdirIfEmpty: (folder) => kill.effect('rmdir', () => inner.rmdirIfEmpty(folder)),
    chmod: (file, mode) => kill.effect(`chmod ${path.basename(file)}`, () => inner.chmod(file, mode)),
  };
}

function killableCredentials(inner: CredentialStore, kill: KillSwitch): CredentialStore {
  return {
    probe: () => inner.probe(),
    get: (account) => inner.get(account),
    set: (account, secret) => kill.effect('credential set', () => inner.set(account, secret)),
    delete: (account) => kill.effect('credential delete', () => inner.delete(account)),
  };
}

function killableSonarlintSettings(inner: SonarlintSettings, kill: KillSwitch): SonarlintSettings {
  return {
    userConnections: () => inner.userConnections(),
    folderProject: (folder) => inner.folderProject(folder),
    writeUserConnections: (section, value) => kill.effect('settings connections', () => inner.writeUserConnections(section, value)),
    writeFolderProject: (folder, value) => kill.effect('settings folder', () => inner.writeFolderProject(folder, value)),
  };
}

/** The server's answers pass; generate and revoke count as effects (after: done on the server, answer lost). */
function killableApi(inner: TokenApi, kill: KillSwitch): TokenApi {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (property === 'generateToken' || property === 'revokeToken') {
        return (...args: unknown[]) => kill.effect(`server ${String(property)}`, () => method.apply(target, args));
      }
      return (...args: unknown[]) => method.apply(target, args);
    },
  });
}

/** Where each client's file keeps its servers (literal: the test states what the files must look like). */
const SERVERS_KEY: Partial<Record<McpTargetId, string>> = { claudeDesktop: 'mcpServers', vscodeWorkspace: 'servers', cursorWorkspace: 'mcpServers', claudeCodeUser: 'mcpServers' };

/** Unbind, undo and rotation's binding effects through the core functions the host's binding manager calls. */
function worldBindings(mcp: McpBindingEffectsDeps, connectedMode: ConnectedModeEffectsDeps): RecoveryBindings {
  const { store } = connectedMode;
  const removeEffects = async (binding: BindingRecord) => {
    if (binding.kind === 'connectedMode') return removeConnectedModeEffects(connectedMode, binding);
    const leftover = await removeMcpBindingEffects(mcp, binding);
    if (leftover) mcp.logger.warn(leftover);
  };
  return {
    store,
    async remove(binding) {
      await removeEffects(binding);
      await store.remove(binding.id);
    },
    undoBind: removeEffects,
    async switchToken(binding, to) {
      if (binding.kind === 'mcp') await switchMcpBindingToken(mcp, binding, to);
      await store.retarget(binding.id, to);
    },
  };
}

/** The collaborators one extension host run gets: over the world's persisted state, optionally killable. */
export interface Session {
  readonly kill: KillSwitch;
  readonly logger: RecordingLogger;
  readonly state: KeyValueStore;
  readonly files: FileSystem;
  readonly vault: TokenVault;
  readonly connections: ConnectionStore;
  readonly store: BindingStore;
  readonly journal: OperationJournal;
  readonly api: TokenApi;
  readonly credentials: CredentialStore;
  readonly settings: SonarlintSettings;
  readonly mcp: McpBindingEffectsDeps;
  readonly connectedMode: ConnectedModeEffectsDeps;
  readonly bindings: RecoveryBindings;
}

export interface WorldFixture {
  readonly fake: FakeSonarQube;
  readonly dispatcher: Dispatcher;
  /** The extension host that crashes: a process that has ended. */
  readonly deadOwner: JournalOwner;
}

/** A fake SonarQube, a dispatcher and an ended process to own the journal: what the worlds of a suite share. */
export async function startWorldFixture(): Promise<WorldFixture> {
  const fake = await FakeSonarQube.start();
  return { fake, dispatcher: new Agent(), deadOwner: { host: os.hostname(), pid: spawnSync(process.execPath, ['-e', '']).pid! } };
}

export async function stopWorldFixture(fixture: WorldFixture): Promise<void> {
  await fixture.dispatcher.close();
  await fixture.fake.close();
}

export interface WorldOptions {
  /** The person is a System Administrator: they list, generate and revoke other users' tokens. */
  readonly admin?: boolean;
}

/** Text of every file and every persisted value that the operation must not touch. */
type Snapshot = Record<string, string | undefined>;

export class World {
  readonly state = new MemoryState();
  readonly secrets = new MemorySecretStore();
  readonly credentials = new MemoryCredentialStore();
  /** SonarQube for IDE's User and folder settings: empty until a connected-mode bind writes them. */
  readonly sonarlint = new MemorySonarlintSettings();
  readonly dir: string;
  readonly connection: ConnectionRecord;
  readonly ide: TokenRef;
  readonly other: TokenRef;
  /** Another connection (another user on the same server) with a held token: removing `connection` keeps it. */
  readonly second: ConnectionRecord;
  readonly spare: TokenRef;
  /**
   * Claude Desktop (plain text) and VS Code workspace (launcher: the value in the credential store) bindings of
   * `ide`, and a Cursor binding of `other`.
   */
  readonly bindingFiles: { readonly claude: string; readonly vscode: string; readonly cursor: string };
  /** The workspace folder of the VS Code binding, which a connected-mode bind binds and shares in. */
  readonly project: { readonly name: string; readonly uri: string; readonly path: string };
  readonly sharedFile: string;
  /** Claude Code's user file, which no binding has written yet (an MCP bind writes it). */
  readonly claudeCodeFile: string;
  private readonly signInToken: string;
  private readonly seededValues: string[];

  private constructor(
    private readonly fixture: WorldFixture,
    readonly login: string,
    options: WorldOptions,
  ) {
    const { fake } = fixture;
    fake.addUser({ login, name: login, admin: options.admin });
    this.signInToken = fake.createToken(login, { name: 'sign-in' });
    this.dir = fsSync.mkdtempSync(path.join(os.tmpdir(), 'sqt-crash-'));
    this.connection = { id: 'conn', target: { kind: 'server', serverUrl: fake.url }, label: 'crash.example', login, addedAt: '2026-01-01T00:00:00.000Z' };
    this.ide = { connectionId: 'conn', login, name: 'ide' };
    this.other = { connectionId: 'conn', login, name: 'other' };
    this.bindingFiles = {
      claude: path.join(this.dir, 'Claude', 'claude_desktop_config.json'),
      vscode: path.join(this.dir, 'project', '.vscode', 'mcp.json'),
      cursor: path.join(this.dir, 'other', '.cursor', 'mcp.json'),
    };
    const projectPath = path.join(this.dir, 'project');
    this.project = { name: 'project', uri: `file://${projectPath}`, path: projectPath };
    this.sharedFile = path.join(projectPath, '.sonarlint', 'connectedMode.json');
    this.claudeCodeFile = path.join(this.dir, 'home', '.claude.json');
    this.second = { id: 'conn-2', target: this.connection.target, label: 'second.example', login: `${login}-b`, addedAt: '2026-01-01T00:00:00.000Z' };
    this.spare = { connectionId: 'conn-2', login: this.second.login, name: 'spare' };
    fake.addUser({ login: this.second.login, name: this.second.login });
    this.seededValues = [this.signInToken, fake.createToken(login, { name: 'ide' }), fake.createToken(login, { name: 'other' }), fake.createToken(this.second.login, { name: 'sign-in' }), fake.createToken(this.second.login, { name: 'spare' })];
  }

  static async create(fixture: WorldFixture, login: string, options: WorldOptions = {}): Promise<World> {
    const world = new World(fixture, login, options);
    const session = world.session();
    await new ConnectionStore(world.state).add(world.connection, world.connection.id);
    await world.secrets.store(signInSecretKey('conn'), world.signInToken);
    await new ConnectionStore(world.state).add(world.second, world.second.id);
    await world.secrets.store(signInSecretKey('conn-2'), world.seededValues[3]);
    await session.vault.store(world.spare, world.seededValues[4]);
    await session.vault.store(world.ide, world.seededValues[1]);
    await session.vault.store(world.other, world.seededValues[2]);
    await world.bind(session, world.ide, 'claudeDesktop', world.bindingFiles.claude);
    await world.bind(session, world.ide, 'vscodeWorkspace', world.bindingFiles.vscode);
    await world.bind(session, world.other, 'cursorWorkspace', world.bindingFiles.cursor);
    return world;
  }

  private async bind(session: Session, ref: TokenRef, target: McpTargetId, file: string): Promise<void> {
    const launch = buildMcpLaunch({ launcher: 'docker', dockerImage: 'mcp/sonarqube' }, this.connection.target);
    const bindingId = randomUUID();
    const value = await session.vault.read(ref);
    const plainTextToken = target === 'claudeDesktop' ? value : undefined;
    const launcher = target === 'vscodeWorkspace' ? { runtime: this.launcherRuntime, bindingId } : undefined;
    if (launcher) await session.credentials.set(mcpCredentialAccount(bindingId), value!);
    const result = await applyMcpFileBinding(session.files, { target, path: file, launch, connectionSlug: 'crash', plainTextToken, launcher });
    assert.equal(result.kind, 'written');
    if (result.kind !== 'written') return;
    await session.store.add({ kind: 'mcp', token: ref, target, path: file, serverName: result.serverName, inputId: result.inputId, createdFile: result.createdFile, createdDirs: result.createdDirs, createdKeys: result.createdKeys, plainText: plainTextToken !== undefined || undefined, launcher: launcher && true }, bindingId);
  }

  /** Where a client would find the launcher; never run here. */
  get launcherRuntime(): LauncherRuntime {
    return { executable: process.execPath, script: path.join(this.dir, 'storage', 'launcher', 'launcher.js') };
  }

  /** A fresh extension host over the same persisted world; `kill` makes it crash at one effect. */
  session(kill = new KillSwitch(), owner?: JournalOwner): Session {
    const logger = new RecordingLogger();
    const state = killableState(this.state, kill);
    const files = killableFiles(nodeFileSystem, kill);
    const vault = new TokenVault(killableSecrets(this.secrets, kill), new HeldTokens(state, logger));
    const store = new BindingStore(state, logger);
    const connections = new ConnectionStore(state, { logger });
    const credentials = killableCredentials(this.credentials, kill);
    const settings = killableSonarlintSettings(this.sonarlint, kill);
    const client = new SonarClient({ target: this.connection.target, token: this.signInToken, dispatcher: this.fixture.dispatcher, serverVersion: this.fixture.fake.version, retry: { maxRetries: 0 }, logger });
    const mcp: McpBindingEffectsDeps = { t: englishMessage, logger, fs: files, credentials, readValue: (ref) => vault.read(ref) };
    const connectedMode: ConnectedModeEffectsDeps = { settings, fs: files, store, targetOf: (id) => connections.get(id)?.target };
    return {
      kill,
      logger,
      state,
      files,
      vault,
      connections,
      store,
      journal: new OperationJournal(state, owner ?? this.fixture.deadOwner, { now: () => new Date() }, logger),
      api: killableApi(client, kill),
      credentials,
      settings,
      mcp,
      connectedMode,
      bindings: worldBindings(mcp, connectedMode),
    };
  }

  serverTokens(): string[] {
    return this.fixture.fake.tokenNames(this.login);
  }

  /**
   * What an operation must leave exactly so: for one on `ide`, the `other` token, its binding file and the
   * connection; for one on the whole connection, the second connection.
   */
  unrelated(scope: 'token' | 'connection'): Snapshot {
    const valueOf = (ref: TokenRef) => [...this.secrets.values.entries()].find(([key]) => { const parsed = parseSecretKey(key); return parsed?.kind === 'token' && sameTokenRef(parsed.ref, ref); })?.[1];
    const second: Snapshot = {
      secondConnection: JSON.stringify(new ConnectionStore(this.state).get('conn-2')),
      secondSignIn: this.secrets.values.get(signInSecretKey('conn-2')),
      spareHeld: String(new HeldTokens(this.state).has(this.spare)),
      spareValue: valueOf(this.spare),
    };
    if (scope === 'connection') return second;
    return {
      ...second,
      cursorFile: fsSync.existsSync(this.bindingFiles.cursor) ? fsSync.readFileSync(this.bindingFiles.cursor, 'utf8') : undefined,
      connections: this.state.values.get('sonarqubeTokens.connections'),
      otherBindings: JSON.stringify(new BindingStore(this.state).forToken(this.other)),
      otherHeld: String(new HeldTokens(this.state).has(this.other)),
      signIn: this.secrets.values.get(signInSecretKey('conn')),
      otherValue: valueOf(this.other),
    };
  }

  /** The invariants every crash point must end in, after recovery. */
  assertConsistent(): void {
    const store = new BindingStore(this.state);
    const held = new HeldTokens(this.state).list();
    const onServer = new Set(this.serverTokens());
    const tokenSecrets = [...this.secrets.values.entries()].flatMap(([key, value]) => {
      const parsed = parseSecretKey(key);
      return parsed?.kind === 'token' ? [{ ref: parsed.ref, value }] : [];
    });
    const valueOf = (ref: TokenRef) => tokenSecrets.find((secret) => sameTokenRef(secret.ref, ref))?.value;

    // Every record matches its file entry, and every entry in the files has its record.
    const all = store.list();
    const records = all.filter((record): record is McpBinding => record.kind === 'mcp');
    for (const record of records) {
      const file = parse(fsSync.readFileSync(record.path!, 'utf8')) as Record<string, Record<string, { env?: Record<string, string> }>>;
      const entry = file[SERVERS_KEY[record.target as McpTargetId]!]?.[record.serverName!];
      assert.ok(entry, `binding ${record.target} of ${record.token.name} has its entry in ${record.path}`);
      if (record.plainText) assert.ok(entry.env?.[TOKEN_ENV] === valueOf(record.token), `the plain-text file holds the value of ${record.token.name}`);
      if (record.launcher) assert.equal(readLauncherEntry(entry)?.bindingId, record.id, `the entry of ${record.target} runs the launcher for its binding`);
    }
    for (const file of [...Object.values(this.bindingFiles), this.claudeCodeFile]) {
      if (!fsSync.existsSync(file)) continue;
      const parsed = parse(fsSync.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
      for (const name of Object.keys(parsed.mcpServers ?? parsed.servers ?? {})) {
        assert.ok(records.some((record) => record.path === file && record.serverName === name), `entry ${name} in ${file} has its binding record`);
      }
    }
    // Every credential-store entry belongs to a launcher binding and holds its token's value, and every launcher
    // binding has its entry.
    for (const [account, secret] of this.credentials.values) {
      const record = records.find((candidate) => mcpCredentialAccount(candidate.id) === account);
      assert.ok(record?.launcher, `credential-store entry ${account} belongs to a launcher binding`);
      assert.ok(secret === valueOf(record.token), `credential-store entry ${account} holds the value of ${record.token.name}`);
    }
    for (const record of records.filter((candidate) => candidate.launcher)) assert.ok(this.credentials.values.has(mcpCredentialAccount(record.id)), `launcher binding of ${record.token.name} has its credential-store entry`);
    // SonarQube for IDE's settings and shared file are there exactly when a connected-mode record names them.
    const sonarlint = all.filter((record): record is ConnectedModeBinding => record.kind === 'connectedMode');
    const expectedSettings = {
      user: sonarlint.length > 0 ? { sonarqube: [{ connectionId: sonarlint[0].sonarlintConnectionId, serverUrl: this.fixture.fake.url }] } : {},
      folders: sonarlint.flatMap((record) => record.folders.map((folder) => [folder, { connectionId: record.sonarlintConnectionId, projectKey: record.projectKey }])),
    };
    assert.equal(this.sonarlint.dump(), JSON.stringify(expectedSettings), 'SonarQube for IDE settings match the connected-mode records');
    const shared = sonarlint.flatMap((record) => record.sharedFiles);
    assert.deepEqual(fsSync.existsSync(this.sharedFile) ? [this.sharedFile] : [], shared, 'the shared file is there exactly when a record created it');
    // No entry points at a missing secret; the index and the secrets agree.
    for (const record of all) assert.ok(valueOf(record.token) !== undefined, `binding of ${record.token.name} has its value`);
    const refKey = (ref: TokenRef) => `${ref.connectionId}|${ref.login}|${ref.name}`;
    assert.deepEqual(held.map(refKey).sort(), tokenSecrets.map((secret) => refKey(secret.ref)).sort(), 'held index and secrets agree');
    // No secret is kept for a revoked token, and no generated token is left without its value.
    for (const { ref } of tokenSecrets) assert.ok(this.fixture.fake.tokenNames(ref.login).includes(ref.name), `value of ${ref.name} kept, but the token is revoked`);
    // (Removing a connection keeps its tokens valid on the server, by design: only while it exists are they checked.)
    const connected = new ConnectionStore(this.state).get('conn') !== undefined;
    for (const name of connected ? onServer : []) assert.ok(name === 'sign-in' || held.some((ref) => ref.name === name), `token ${name} exists on the server without its value`);
    // Nothing is left in the journal, and no token value reached globalState or the logs.
    assert.equal(this.state.values.get('sonarqubeTokens.journal'), undefined, 'journal empty');
    this.assertNoLeak(this.state.dump());
  }

  /** `text` contains none of the values the fake handed out for this world. */
  assertNoLeak(text: string): void {
    const values = this.fixture.fake.issuedTokenValues();
    for (const value of values) assert.ok(!text.includes(value), 'a token value leaked');
  }

  dispose(): void {
    fsSync.rmSync(this.dir, { recursive: true, force: true });
  }
}

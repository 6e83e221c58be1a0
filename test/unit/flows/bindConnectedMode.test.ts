// Binding a token to SonarQube for IDE through the scripted prompter: the connection in User settings (no token),
// the folders bound, the shared file, the record, then the value handed over on the clipboard. Each write is in the
// journal before it is made; a failure takes back what was written; unbind removes exactly what the bind wrote.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import type { FileSystem } from '../../../src/core/config/fileSystem';
import { bindConnectedModeFlow, handOffToSonarlint, removeConnectedModeEffects } from '../../../src/core/flows/bindConnectedMode';
import type { BindConnectedModeDeps } from '../../../src/core/flows/bindConnectedMode';
import { JOURNAL_STATE_KEY, OperationJournal } from '../../../src/core/journal/journal';
import type { JournalEntry } from '../../../src/core/journal/journal';
import type { TokenRef } from '../../../src/core/secrets/keys';
import { BindingStore } from '../../../src/core/tokens/bindingStore';
import { freshTokenValue } from '../support/fakeTokenApi';
import { MemorySonarlintSettings } from '../support/memorySonarlintSettings';
import type { ScriptStep } from '../support/scriptedPrompter';
import { environment, serverConnection } from './harness';

const SHARED_TEXT = '{\n  "sonarQubeUri": "https://sonar.example.com",\n  "projectKey": "shop"\n}\n';
const CONNECTION_ID = 'https-sonar-example-com';
const VIRTUAL_FOLDER = 'vscode-vfs://github/acme/docs';

describe('binding a token to SonarQube for IDE', () => {
  let root: string;
  let shop: string;
  const ref: TokenRef = { connectionId: serverConnection.id, login: 'alice', name: 'laptop' };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindcm-'));
    shop = path.join(root, 'shop');
    fs.mkdirSync(shop);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function setUp(script: ScriptStep[], options: { installed?: boolean; folders?: BindConnectedModeDeps['folders']; files?: FileSystem } = {}) {
    const env = environment(script, { projects: [{ key: 'shop', name: 'Shop' }, { key: 'admin', name: 'Admin' }] });
    const value = freshTokenValue();
    await env.vault.store(ref, value);
    await env.connections.add(serverConnection, serverConnection.id);
    const settings = new MemorySonarlintSettings();
    const store = new BindingStore(env.state, env.logger);
    const journal = new OperationJournal(env.state, undefined, env.deps.clock, env.logger);
    const opened: unknown[][] = [];
    let shownExtension = 0;
    const deps: BindConnectedModeDeps = {
      prompter: env.prompter,
      t: env.deps.t,
      logger: env.logger,
      clipboard: env.deps.clipboard,
      readValue: (which) => env.vault.read(which),
      openConnectionForm: async (...args) => void opened.push(args),
      settings,
      fs: options.files ?? nodeFileSystem,
      store,
      targetOf: (id) => env.connections.get(id)?.target,
      sonarlintInstalled: options.installed ?? true,
      showSonarlintExtension: async () => void shownExtension++,
      folders: options.folders ?? [
        { name: 'shop', uri: `file://${shop}`, path: shop },
        { name: 'docs', uri: VIRTUAL_FOLDER },
      ],
      apiFor: async () => env.api,
      journal,
      displayPath: (file) => file.replace(root, '~'),
    };
    /** The value is only on the clipboard: not in the settings, the shared file, state, logs or messages. */
    const assertNoLeak = () => {
      env.assertNoLeak(value);
      assert.ok(!settings.dump().includes(value), 'token value leaked into the settings');
      const shared = path.join(shop, '.sonarlint', 'connectedMode.json');
      if (fs.existsSync(shared)) assert.ok(!fs.readFileSync(shared, 'utf8').includes(value), 'token value leaked into the shared file');
    };
    return { env, deps, value, settings, store, opened, shownExtension: () => shownExtension, assertNoLeak };
  }

  it('adds the connection without a token, binds both folders, shares the file, records it all and hands the value over', async () => {
    const { env, deps, value, settings, store, opened, assertNoLeak } = await setUp([{ pickMany: ['shop', 'docs'] }, { searchPick: 'shop', query: 'sh' }, { pick: 'Share with the team' }]);
    const binding = await bindConnectedModeFlow(deps, serverConnection, ref);
    assert.ok(binding);
    assert.deepEqual(settings.user, { sonarqube: [{ connectionId: CONNECTION_ID, serverUrl: 'https://sonar.example.com' }] });
    assert.deepEqual([...settings.folders], [
      [`file://${shop}`, { connectionId: CONNECTION_ID, projectKey: 'shop' }],
      [VIRTUAL_FOLDER, { connectionId: CONNECTION_ID, projectKey: 'shop' }],
    ]);
    const shared = path.join(shop, '.sonarlint', 'connectedMode.json');
    assert.equal(fs.readFileSync(shared, 'utf8'), SHARED_TEXT);
    const { id, createdAt, ...record } = binding;
    assert.deepEqual(store.list(), [binding]);
    assert.ok(id && createdAt);
    assert.deepEqual(record, {
      kind: 'connectedMode',
      token: ref,
      section: 'sonarqube',
      sonarlintConnectionId: CONNECTION_ID,
      addedConnection: true,
      folders: [`file://${shop}`, VIRTUAL_FOLDER],
      projectKey: 'shop',
      sharedFiles: [shared],
    });
    assert.equal(env.clipboard.text, value);
    assert.deepEqual(opened, [['sonarqube', CONNECTION_ID]]);
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop is on the clipboard for 30 seconds: paste it into the Token field of the SonarQube for IDE form that just opened, then save.']);
    assert.deepEqual(env.api.calls.map((call) => call.method), ['scannableProjects']);
    assert.equal(env.state.values.get(JOURNAL_STATE_KEY), undefined, 'journal empty once bound');
    assertNoLeak();
    env.prompter.assertDone();
  });

  it('announces every write in the journal before making it, the record last', async () => {
    const seen: string[][] = [];
    let journalOf = (): JournalEntry[] => [];
    const files: FileSystem = {
      ...nodeFileSystem,
      writeFile: async (file, data, options) => {
        seen.push(journalOf().flatMap((entry) => (entry.op === 'bind' && entry.binding.kind === 'connectedMode' ? entry.binding.sharedFiles.map((shared) => path.relative(shop, shared)) : [])));
        return nodeFileSystem.writeFile(file, data, options);
      },
    };
    const { env, deps, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }], files });
    const journal = new OperationJournal(env.state);
    journalOf = () => journal.list();
    const settingsWrites: string[] = [];
    const { settings } = deps;
    const recording: BindConnectedModeDeps = {
      ...deps,
      settings: {
        userConnections: () => settings.userConnections(),
        folderProject: (uri) => settings.folderProject(uri),
        writeUserConnections: (section, value) => (settingsWrites.push(`connections: ${journal.list().length} entry, ${store.list().length} records`), settings.writeUserConnections(section, value)),
        writeFolderProject: (uri, value) => (settingsWrites.push(`folder: ${journal.list().length} entry, ${store.list().length} records`), settings.writeFolderProject(uri, value)),
      },
    };
    const binding = await bindConnectedModeFlow(recording, serverConnection, ref);
    assert.deepEqual(settingsWrites, ['connections: 1 entry, 0 records', 'folder: 1 entry, 0 records']);
    assert.deepEqual(seen, [[path.join('.sonarlint', 'connectedMode.json')]], 'the shared file is in the journal when it is written');
    assert.deepEqual(journal.list(), []);
    assert.ok(binding && store.get(binding.id));
  });

  it('reuses a connection that has an id and keeps a shared file that describes another binding when the person declines', async () => {
    const { env, deps, settings, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }, { warn: undefined }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    const mine = { connectionId: 'corp', serverUrl: 'https://sonar.example.com/', disableNotifications: true };
    await settings.writeUserConnections('sonarqube', [mine]);
    const shared = path.join(shop, '.sonarlint', 'connectedMode.json');
    fs.mkdirSync(path.dirname(shared));
    fs.writeFileSync(shared, '{ "projectKey": "other" }\n');
    const binding = await bindConnectedModeFlow(deps, serverConnection, ref);
    assert.deepEqual(settings.user, { sonarqube: [mine] });
    assert.equal(fs.readFileSync(shared, 'utf8'), '{ "projectKey": "other" }\n');
    assert.equal(binding?.sonarlintConnectionId, 'corp');
    assert.equal(binding?.addedConnection, false);
    assert.deepEqual(binding?.sharedFiles, []);
    assert.deepEqual(env.prompter.messages('warn'), ['~/shop/.sonarlint/connectedMode.json already describes another binding.']);
    assert.equal(store.list().length, 1);
  });

  it('takes back what it wrote when a folder cannot be bound, and records nothing', async () => {
    const { env, deps, settings, store } = await setUp([{ pickMany: ['shop', 'docs'] }, { searchPick: 'shop' }, { pick: 'Only for me' }]);
    settings.readOnlyFolder = VIRTUAL_FOLDER;
    await assert.rejects(bindConnectedModeFlow(deps, serverConnection, ref), /folder settings of vscode-vfs:\/\/github\/acme\/docs: the file is read-only/);
    assert.equal(settings.dump(), JSON.stringify({ user: {}, folders: [] }));
    assert.deepEqual(store.list(), []);
    assert.equal(env.clipboard.text, '');
    assert.equal(env.state.values.get(JOURNAL_STATE_KEY), undefined);
  });

  it('writes nothing when cancelled at the project or at sharing', async () => {
    for (const script of [[{ searchPick: undefined }], [{ searchPick: 'shop' }, { pick: undefined }]] as ScriptStep[][]) {
      const { env, deps, settings, store } = await setUp(script, { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
      assert.equal(await bindConnectedModeFlow(deps, serverConnection, ref), undefined);
      assert.equal(settings.dump(), JSON.stringify({ user: {}, folders: [] }));
      assert.deepEqual(store.list(), []);
      assert.equal(env.state.values.get(JOURNAL_STATE_KEY), undefined);
      assert.equal(env.clipboard.text, '');
    }
  });

  it('says what to do without SonarQube for IDE or without a folder, and asks nothing else', async () => {
    const missing = await setUp([{ warn: 'Show Extension' }], { installed: false });
    assert.equal(await bindConnectedModeFlow(missing.deps, serverConnection, ref), undefined);
    assert.equal(missing.shownExtension(), 1);
    assert.deepEqual(missing.env.prompter.messages('warn'), ['SonarQube for IDE is not installed. Install it, then bind the token again.']);
    const noFolder = await setUp([], { folders: [] });
    assert.equal(await bindConnectedModeFlow(noFolder.deps, serverConnection, ref), undefined);
    assert.deepEqual(noFolder.env.prompter.messages('error'), ['Open the folder of your project first: connected mode binds workspace folders to a SonarQube project.']);
    assert.equal(noFolder.settings.dump(), JSON.stringify({ user: {}, folders: [] }));
  });

  it('unbind removes exactly what the bind wrote: not a connection another binding uses, nor a shared file edited since', async () => {
    const { deps, settings, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Only for me' }, { pickMany: ['shop', 'docs'] }, { searchPick: 'shop' }, { pick: 'Share with the team' }]);
    const first = await bindConnectedModeFlow({ ...deps, folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] }, serverConnection, ref);
    const second = await bindConnectedModeFlow(deps, serverConnection, ref);
    assert.ok(first?.addedConnection && second && !second.addedConnection);
    const shared = path.join(shop, '.sonarlint', 'connectedMode.json');
    fs.appendFileSync(shared, '\n');
    await removeConnectedModeEffects(deps, first);
    await store.remove(first.id);
    assert.deepEqual(settings.user, { sonarqube: [{ connectionId: CONNECTION_ID, serverUrl: 'https://sonar.example.com' }] }, 'the second binding still uses the connection');
    assert.deepEqual([...settings.folders.keys()], [VIRTUAL_FOLDER], 'the shop folder pointed at the project of both');
    await removeConnectedModeEffects(deps, second);
    assert.deepEqual([...settings.folders.keys()], []);
    assert.equal(fs.readFileSync(shared, 'utf8'), `${SHARED_TEXT}\n`, 'edited since: not ours to delete');
    assert.deepEqual(settings.user, { sonarqube: [{ connectionId: CONNECTION_ID, serverUrl: 'https://sonar.example.com' }] }, 'the second did not add it');
  });

  it('unbind of the binding that added the connection, when no other uses it, removes the setting', async () => {
    const { deps, settings, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    const binding = await bindConnectedModeFlow(deps, serverConnection, ref);
    assert.ok(binding);
    await removeConnectedModeEffects(deps, binding);
    await store.remove(binding.id);
    assert.equal(settings.dump(), JSON.stringify({ user: {}, folders: [] }));
    assert.ok(!fs.existsSync(path.join(shop, '.sonarlint', 'connectedMode.json')));
  });

  it('hands a value over that is not cleared when clearing is off, and says so when the value is not on this computer', async () => {
    const { env, deps, value } = await setUp([]);
    await handOffToSonarlint({ ...deps, clipboard: { ...deps.clipboard, clearSeconds: 0 } }, 'sonarcloud', 'acme', ref);
    assert.equal(env.clipboard.text, value);
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop is on the clipboard: paste it into the Token field of the SonarQube for IDE form that just opened, then save.']);
    await assert.rejects(handOffToSonarlint(deps, 'sonarqube', undefined, { ...ref, name: 'elsewhere' }), /The value of token elsewhere is not in secure storage on this computer: generate a new token to bind it\./);
  });

  it('asks folders, project and sharing in three counted steps under one title, each item explained, and logs the bind', async () => {
    const { env, deps } = await setUp([{ pickMany: ['shop'] }, { searchPick: 'shop' }, { pick: 'Only for me' }]);
    const binding = await bindConnectedModeFlow(deps, serverConnection, ref);
    assert.deepEqual(
      env.prompter.calls.filter((call) => call.kind !== 'info').map((call) => [call.kind, `${call.step}/${call.totalSteps}`, call.text, call.labels]),
      [
        ['pickMany', '1/3', 'Bind laptop to SonarQube for IDE Which folders belong to the project?', [`shop ${shop}`, `docs ${VIRTUAL_FOLDER}`]],
        ['searchPick', '2/3', 'Bind laptop to SonarQube for IDE Project on sonar.example.com', ['Shop', 'Admin']],
        ['pick', '3/3', 'Bind laptop to SonarQube for IDE ', ['Share with the team', 'Only for me']],
      ],
    );
    const folders = env.prompter.calls[0].options as Array<{ label: string; picked?: boolean }>;
    assert.deepEqual(folders.map((item) => item.picked), [true, true], 'every folder chosen to begin with');
    const share = env.prompter.calls.find((call) => call.kind === 'pick')?.options as Array<{ label: string; detail?: string }>;
    assert.deepEqual(share.map((item) => item.detail), ['Also write .sonarlint/connectedMode.json (no secret in it) so teammates are offered the same binding.', undefined]);
    assert.deepEqual(binding?.folders, [`file://${shop}`]);
    assert.deepEqual(env.logger.lines, [`info [bind] laptop bound to SonarQube for IDE connection ${CONNECTION_ID}, project shop`]);
  });

  it('binds nothing when no folder is chosen, and shows nothing when the missing extension\'s message is dismissed', async () => {
    const none = await setUp([{ pickMany: [] }]);
    assert.equal(await bindConnectedModeFlow(none.deps, serverConnection, ref), undefined);
    none.env.prompter.assertDone();
    assert.deepEqual(none.env.api.calls, []);
    assert.equal(none.settings.dump(), JSON.stringify({ user: {}, folders: [] }));

    const dismissed = await setUp([{ warn: undefined }], { installed: false });
    assert.equal(await bindConnectedModeFlow(dismissed.deps, serverConnection, ref), undefined);
    assert.deepEqual(dismissed.env.prompter.calls.map((call) => call.actions), [['Show Extension']]);
    assert.equal(dismissed.shownExtension(), 0);
  });

  it('leaves alone a shared file that already says the same, asking nothing, and so never deletes it on unbind', async () => {
    const { env, deps, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    const shared = path.join(shop, '.sonarlint', 'connectedMode.json');
    fs.mkdirSync(path.dirname(shared));
    fs.writeFileSync(shared, SHARED_TEXT);
    const binding = await bindConnectedModeFlow(deps, serverConnection, ref);
    assert.deepEqual(env.prompter.messages('warn'), []);
    assert.deepEqual(binding?.sharedFiles, []);
    await removeConnectedModeEffects(deps, binding!);
    await store.remove(binding!.id);
    assert.equal(fs.readFileSync(shared, 'utf8'), SHARED_TEXT, 'the team\'s file stays');
  });

  it('replaces a shared file describing another binding only when asked, and never deletes it on unbind: it was there before', async () => {
    const { env, deps, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }, { warn: 'Replace' }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    const shared = path.join(shop, '.sonarlint', 'connectedMode.json');
    fs.mkdirSync(path.dirname(shared));
    fs.writeFileSync(shared, '{ "projectKey": "other" }\n');
    const binding = await bindConnectedModeFlow(deps, serverConnection, ref);
    assert.deepEqual(env.prompter.calls.find((call) => call.kind === 'warn')?.actions, ['Replace']);
    assert.equal(fs.readFileSync(shared, 'utf8'), SHARED_TEXT);
    assert.deepEqual(binding?.sharedFiles, []);
    await removeConnectedModeEffects(deps, binding!);
    await store.remove(binding!.id);
    assert.equal(fs.readFileSync(shared, 'utf8'), SHARED_TEXT);
  });

  it('unbind removes the connection it added although another binding uses another connection', async () => {
    const { env, deps, settings, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Only for me' }, { searchPick: 'shop' }, { pick: 'Only for me' }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    const other = { ...serverConnection, id: 'conn-2', target: { kind: 'server' as const, serverUrl: 'https://other.example.com' }, label: 'other.example.com' };
    await env.connections.add(other, other.id);
    const otherRef = { ...ref, connectionId: other.id, name: 'other' };
    await env.vault.store(otherRef, freshTokenValue());
    const first = await bindConnectedModeFlow(deps, serverConnection, ref);
    const second = await bindConnectedModeFlow(deps, other, otherRef);
    assert.ok(first?.addedConnection && second?.addedConnection);
    await removeConnectedModeEffects(deps, first);
    await store.remove(first.id);
    assert.deepEqual(settings.user, { sonarqube: [{ connectionId: 'https-other-example-com', serverUrl: 'https://other.example.com' }] });
  });

  it('writes no shared file through a link leading out of the folder when the person declines, and binds the folder only', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(shop, '.sonarlint'));
    const { env, deps, settings, store } = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }, { confirm: false }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    const binding = await bindConnectedModeFlow(deps, serverConnection, ref);
    const [question] = env.prompter.calls.filter((call) => call.kind === 'confirm');
    assert.deepEqual({ text: question.text, actions: question.actions }, {
      text:
        `${shop}/.sonarlint/connectedMode.json leads outside the folder ${shop}: a link makes it ${fs.realpathSync(elsewhere)}/connectedMode.json.\n` +
        'A cloned repository can contain links that send a write elsewhere, such as into your own settings. Write there only if you made the link yourself.',
      actions: ['Write to connectedMode.json'],
    });
    assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing written where the link leads');
    assert.deepEqual(fs.readdirSync(shop), ['.sonarlint']);
    assert.ok(fs.lstatSync(path.join(shop, '.sonarlint')).isSymbolicLink(), 'the link itself is left as it was');
    assert.deepEqual(binding?.sharedFiles, []);
    assert.deepEqual([...settings.folders], [[`file://${shop}`, { connectionId: CONNECTION_ID, projectKey: 'shop' }]]);
    assert.deepEqual(store.list(), [binding]);
    assert.deepEqual(env.prompter.messages('warn'), []);
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop is on the clipboard for 30 seconds: paste it into the Token field of the SonarQube for IDE form that just opened, then save.']);
    env.prompter.assertDone();
  });

  it('without a journal, binds and shares all the same, and takes back a failed bind without a word in the log', async () => {
    const shared = path.join(shop, '.sonarlint', 'connectedMode.json');
    const bound = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    const binding = await bindConnectedModeFlow({ ...bound.deps, journal: undefined }, serverConnection, ref);
    assert.deepEqual(binding?.sharedFiles, [shared]);
    assert.equal(fs.readFileSync(shared, 'utf8'), SHARED_TEXT);
    assert.deepEqual(bound.store.list(), [binding]);
    assert.deepEqual(bound.env.logger.lines, [`info [bind] laptop bound to SonarQube for IDE connection ${CONNECTION_ID}, project shop`]);
    fs.rmSync(path.dirname(shared), { recursive: true });

    const failed = await setUp([{ searchPick: 'shop' }, { pick: 'Share with the team' }], { folders: [{ name: 'shop', uri: `file://${shop}`, path: shop }] });
    failed.env.state.failUpdates = true;
    await assert.rejects(bindConnectedModeFlow({ ...failed.deps, journal: undefined }, serverConnection, ref), /^Error: state is read-only$/);
    assert.ok(!fs.existsSync(shared), 'the shared file it wrote is taken back');
    assert.equal(failed.settings.dump(), JSON.stringify({ user: {}, folders: [] }));
    assert.deepEqual(failed.store.list(), []);
    assert.deepEqual(failed.env.logger.lines, []);
  });

  it('when taking back a failed bind fails too, keeps the bind in the journal for the next start and logs why', async () => {
    const { env, deps, settings } = await setUp([{ pickMany: ['shop', 'docs'] }, { searchPick: 'shop' }, { pick: 'Only for me' }]);
    settings.readOnlyFolder = VIRTUAL_FOLDER;
    const write = settings.writeUserConnections.bind(settings);
    let writes = 0;
    settings.writeUserConnections = async (section, value) => {
      if (++writes === 2) throw new Error('settings.json is read-only');
      return write(section, value);
    };
    await assert.rejects(bindConnectedModeFlow(deps, serverConnection, ref), /read-only/);
    assert.deepEqual(env.logger.lines, ['warn [bind] could not take back the connected-mode bind of laptop: Error']);
    const entries = deps.journal!.list();
    assert.deepEqual(entries.map((entry) => [entry.op, entry.step]), [['bind', 'writing']]);
  });
});

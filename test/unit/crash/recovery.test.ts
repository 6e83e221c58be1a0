// Recovery's decisions, one at a time: what it asks, what each answer does, and what it leaves alone.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Agent } from 'undici';
import { writeMcpBinding } from '../../../src/core/flows/bindMcp';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import { hasJournalEntries, JOURNAL_STATE_KEY, OperationJournal } from '../../../src/core/journal/journal';
import { ownerGone, recoverOperations } from '../../../src/core/journal/recovery';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { mcpTarget } from '../../../src/core/mcp/targets';
import { englishMessage } from '../../../src/core/ports';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { FakeSonarQube } from '../../fake-sonarqube';
import { FakeClipboard, manualTimers } from '../flows/harness';
import { memoryState } from '../support/memoryState';
import { ScriptedPrompter } from '../support/scriptedPrompter';
import type { ScriptStep } from '../support/scriptedPrompter';
import { KillSwitch, World } from './world';
import type { Session, WorldFixture } from './world';

const clock = { now: () => new Date() };

describe('crash recovery decisions', () => {
  let fixture: WorldFixture;
  let worlds = 0;

  before(async () => {
    const fake = await FakeSonarQube.start();
    fixture = { fake, dispatcher: new Agent(), deadOwner: { host: os.hostname(), pid: spawnSync(process.execPath, ['-e', '']).pid! } };
  });

  after(async () => {
    await fixture.dispatcher.close();
    await fixture.fake.close();
  });

  /** A world whose host was killed right after the server generated `fresh`: the value never reached storage. */
  async function lostValue(name = 'fresh'): Promise<World> {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const session = world.session(new KillSwitch({ index: 2, when: 'after' }));
    const prompter = new ScriptedPrompter([{ input: name }, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]);
    await generateTokenFlow(
      { prompter, vault: session.vault, clock, t: englishMessage, logger: session.logger, api: session.api, journal: session.journal, machineName: 'box', clipboard: { clipboard: new FakeClipboard(), clearSeconds: 30, timers: manualTimers } },
      world.connection,
    );
    assert.ok(world.serverTokens().includes(name) && hasJournalEntries(world.state));
    return world;
  }

  function recover(world: World, script: ScriptStep[], session: Session = world.session()) {
    const prompter = new ScriptedPrompter(script);
    const run = recoverOperations({ journal: session.journal, vault: session.vault, connections: session.connections, bindings: session.bindings, apiFor: async () => session.api, prompter, t: englishMessage, logger: session.logger, clock });
    return run.then((summary) => ({ summary, prompter }));
  }

  it('offers to revoke a token whose value was lost, in one notification, and revokes it', async () => {
    const world = await lostValue();
    const { summary, prompter } = await recover(world, [{ warn: 'Revoke' }]);
    prompter.assertDone();
    assert.deepEqual(prompter.calls.map((call) => call.kind), ['warn']);
    assert.equal(
      prompter.calls[0].text,
      'SonarQube Tokens was closed in the middle of an operation. Token fresh was generated on crash.example, but its value was lost before it reached secure storage and cannot be shown again. Revoke it?',
    );
    assert.deepEqual(prompter.calls[0].actions, ['Revoke', 'Keep']);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.ok(!world.serverTokens().includes('fresh'));
    world.assertConsistent();
    world.dispose();
  });

  it('keeps the token when asked to, and forgets the entry', async () => {
    const world = await lostValue();
    const { summary } = await recover(world, [{ warn: 'Keep' }]);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.ok(world.serverTokens().includes('fresh'));
    assert.equal(world.state.values.get(JOURNAL_STATE_KEY), undefined);
    world.dispose();
  });

  it('asks again at the next start when the notification is dismissed', async () => {
    const world = await lostValue();
    assert.deepEqual((await recover(world, [{ warn: undefined }])).summary, { resolved: 0, pending: 1 });
    const again = await recover(world, [{ warn: 'Revoke' }]);
    assert.deepEqual(again.summary, { resolved: 1, pending: 0 });
    world.assertConsistent();
    world.dispose();
  });

  it('names every interrupted operation in the same notification, with one action for all', async () => {
    const world = await lostValue('first');
    const second = world.session(new KillSwitch({ index: 2, when: 'after' }));
    await generateTokenFlow(
      { prompter: new ScriptedPrompter([{ input: 'second' }, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]), vault: second.vault, clock, t: englishMessage, logger: second.logger, api: second.api, journal: second.journal, machineName: 'box', clipboard: { clipboard: new FakeClipboard(), clearSeconds: 30, timers: manualTimers } },
      world.connection,
    );
    const { prompter, summary } = await recover(world, [{ warn: 'Revoke All' }]);
    assert.equal(prompter.calls.length, 1);
    assert.match(prompter.calls[0].text, /Token first was generated .* Token second was generated/);
    assert.deepEqual(summary, { resolved: 2, pending: 0 });
    world.assertConsistent();
    world.dispose();
  });

  it('says so and asks again at the next start when the chosen revoke fails', async () => {
    const world = await lostValue();
    const session = world.session();
    const api = Object.create(session.api, { revokeToken: { value: () => Promise.reject(new SonarApiError('server', 'An error has occurred')) } }) as Session['api'];
    const { prompter, summary } = await recover(world, [{ warn: 'Revoke' }], { ...session, api });
    assert.deepEqual(summary, { resolved: 0, pending: 1 });
    assert.match(prompter.messages('error')[0], /^Token fresh could not be revoked on crash\.example: .* You are asked again at the next start\.$/);
    assert.ok(world.serverTokens().includes('fresh') && hasJournalEntries(world.state));
    world.dispose();
  });

  /** A world whose host was killed `when` an MCP bind wrote its record (found by a run that was not killed). */
  async function bindKilledAtRecord(when: 'before' | 'after'): Promise<World> {
    const bind = (world: World, session: Session) =>
      writeMcpBinding(
        { ...session.mcp, prompter: new ScriptedPrompter([]), store: session.store, launchFor: (connection) => buildMcpLaunch({ launcher: 'docker', dockerImage: 'mcp/sonarqube' }, connection.target), installLauncher: async () => world.launcherRuntime, displayPath: (file) => file, journal: session.journal },
        { connection: world.connection, ref: world.ide, row: mcpTarget('claudeCodeUser'), file: world.claudeCodeFile, delivery: 'launcher' },
      );
    const dry = await World.create(fixture, `decide-${++worlds}`);
    const trail = dry.session();
    await bind(dry, trail);
    dry.dispose();
    const world = await World.create(fixture, `decide-${++worlds}`);
    const session = world.session(new KillSwitch({ index: trail.kill.trail.indexOf('state bindings') + 1, when }));
    await bind(world, session).catch(() => undefined);
    assert.ok(session.kill.dead && hasJournalEntries(world.state));
    return world;
  }

  it('takes back a bind killed before its record, and asks to bind again', async () => {
    const world = await bindKilledAtRecord('before');
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.messages('info'), ['SonarQube Tokens was closed in the middle of an operation. Binding token ide was not finished, and what it had written is taken back: bind it again.']);
    assert.ok(!fs.existsSync(world.claudeCodeFile), 'the file it created is gone');
    assert.equal(world.credentials.values.size, 1, 'only the credential-store entry of the binding made before');
    world.assertConsistent();
    world.dispose();
  });

  it('keeps a bind killed after its record: it is complete', async () => {
    const world = await bindKilledAtRecord('after');
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.messages('info'), ['SonarQube Tokens was closed in the middle of an operation. Binding token ide was finished.']);
    assert.ok(fs.existsSync(world.claudeCodeFile));
    assert.equal(world.credentials.values.size, 2);
    world.assertConsistent();
    world.dispose();
  });

  it('leaves an entry alone while the window that wrote it is still running', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const live = world.session(new KillSwitch(), { host: os.hostname(), pid: process.ppid });
    await live.journal.begin({ op: 'generate', step: 'generating', ref: world.ide });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 0, pending: 0 });
    assert.equal(prompter.calls.length, 0);
    assert.ok(hasJournalEntries(world.state));
    world.dispose();
  });

  it('tries again at the next start when the server cannot be reached, and says so', async () => {
    const world = await lostValue();
    const session = world.session();
    const api = Object.create(session.api, { searchTokens: { value: () => Promise.reject(new Error('connect ECONNREFUSED')) } }) as Session['api'];
    const unreachable: Session = { ...session, api };
    const { prompter, summary } = await recover(world, [], unreachable);
    assert.deepEqual(summary, { resolved: 0, pending: 1 });
    assert.deepEqual(prompter.messages('warn'), ['SonarQube Tokens was closed in the middle of an operation. Generating token fresh on crash.example could not be repaired now; this is tried again at the next start.']);
    assert.ok(hasJournalEntries(world.state));
    world.dispose();
  });
});

describe('operation journal', () => {
  const owner = { host: 'box', pid: 42 };
  const ref = { connectionId: 'c', login: 'ada', name: 'ide' };

  it('records the step of an operation without any value, and forgets it at the end', async () => {
    const state = memoryState();
    const journal = new OperationJournal(state, owner, { now: () => new Date('2026-01-02T03:04:05Z') });
    const entry = await journal.begin({ op: 'generate', step: 'generating', ref });
    const [stored] = journal.list();
    assert.deepEqual({ ...stored, id: 'id' }, { op: 'generate', step: 'generating', ref, id: 'id', owner, startedAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z' });
    await entry.advance({ step: 'generated' });
    assert.equal(journal.list()[0].step, 'generated');
    await entry.end();
    assert.equal(state.values.get(JOURNAL_STATE_KEY), undefined);
    assert.equal(hasJournalEntries(state), false);
  });

  it('ignores entries it did not write, and never fails the operation when globalState cannot be written', async () => {
    const state = memoryState({ [JOURNAL_STATE_KEY]: [{ op: 'generate', step: 'someday', ref }, 'junk', { op: 'wipe', step: 'x', id: 'a', owner, startedAt: '', updatedAt: '' }] });
    const journal = new OperationJournal(state, owner);
    assert.deepEqual(journal.list(), []);
    state.failUpdates = true;
    const entry = await journal.begin({ op: 'revoke', step: 'revoking', ref });
    await entry.end();
  });

  it('counts an entry as abandoned only when its host process has ended (or, from another machine, after an hour)', () => {
    const entry = { op: 'generate', step: 'generating', ref, id: 'a', owner, startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' } as const;
    const now = new Date('2026-01-01T00:30:00Z');
    assert.equal(ownerGone(entry, now, { host: 'box', pid: 7 }, () => false), true);
    assert.equal(ownerGone(entry, now, { host: 'box', pid: 7 }, () => true), false);
    assert.equal(ownerGone(entry, now, { host: 'box', pid: 42 }, () => false), false, 'never the running host itself');
    assert.equal(ownerGone(entry, now, { host: 'other', pid: 7 }, () => false), false);
    assert.equal(ownerGone(entry, new Date('2026-01-01T01:00:01Z'), { host: 'other', pid: 7 }, () => false), true);
  });
});

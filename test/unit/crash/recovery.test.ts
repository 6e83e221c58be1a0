// Recovery's decisions, one at a time: what it asks, what each answer does, and what it leaves alone.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { ConnectionStore } from '../../../src/core/connections/connectionStore';
import { switchMcpBindingToken, writeMcpBinding } from '../../../src/core/flows/bindMcp';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import { hasJournalEntries, JOURNAL_STATE_KEY, OperationJournal } from '../../../src/core/journal/journal';
import { ownerGone, processRunning, recoverOperations } from '../../../src/core/journal/recovery';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { mcpTarget } from '../../../src/core/mcp/targets';
import { englishMessage } from '../../../src/core/ports';
import { signInSecretKey } from '../../../src/core/secrets/keys';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { BindingStore } from '../../../src/core/tokens/bindingStore';
import { HeldTokens } from '../../../src/core/tokens/heldTokens';
import { FakeClipboard, manualTimers } from '../flows/harness';
import { memoryState } from '../support/memoryState';
import { ScriptedPrompter } from '../support/scriptedPrompter';
import type { ScriptStep } from '../support/scriptedPrompter';
import { KillSwitch, startWorldFixture, stopWorldFixture, World } from './world';
import type { Session, WorldFixture } from './world';

const clock = { now: () => new Date() };

describe('crash recovery decisions', () => {
  let fixture: WorldFixture;
  let worlds = 0;

  before(async () => {
    fixture = await startWorldFixture();
  });

  after(() => stopWorldFixture(fixture));

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
    assert.deepEqual(prompter.messages('error'), ['Token fresh could not be revoked on crash.example: crash.example had an internal error (HTTP 500). Try again later. You are asked again at the next start.']);
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
    const session = world.session();
    const { prompter, summary } = await recover(world, [], session);
    assert.deepEqual(summary, { resolved: 0, pending: 0 });
    assert.equal(prompter.calls.length, 0);
    assert.deepEqual(session.logger.lines, [], 'nothing to recover, nothing logged');
    assert.ok(hasJournalEntries(world.state));
    world.dispose();
  });

  it('asks the isAbandoned it is given which entries to recover, instead of looking for their process', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const live = world.session(new KillSwitch(), { host: os.hostname(), pid: process.pid });
    await live.journal.begin({ op: 'generate', step: 'generating', ref: { ...world.ide, name: 'ghost' } });
    const session = world.session();
    const prompter = new ScriptedPrompter([]);
    const asked: string[] = [];
    const summary = await recoverOperations({
      journal: session.journal, vault: session.vault, connections: session.connections, bindings: session.bindings, apiFor: async () => session.api, prompter, t: englishMessage, logger: session.logger, clock,
      isAbandoned: (entry, now) => (asked.push(`${entry.op} ${now instanceof Date}`), true),
    });
    assert.deepEqual(asked, ['generate true']);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.messages('info'), ['SonarQube Tokens was closed in the middle of an operation. Token ghost was not generated on crash.example: generate it again if you need it.']);
    world.dispose();
  });

  it('tries again at the next start when the server cannot be reached, and says so', async () => {
    const world = await lostValue();
    const { prompter, summary } = await recover(world, [], unreachable(world.session()));
    assert.deepEqual(summary, { resolved: 0, pending: 1 });
    assert.deepEqual(prompter.messages('warn'), ['SonarQube Tokens was closed in the middle of an operation. Generating token fresh on crash.example could not be repaired now; this is tried again at the next start.']);
    assert.ok(hasJournalEntries(world.state));
    world.dispose();
  });

  /** Writes an entry as the killed extension host would have left it. */
  async function interrupted(world: World, record: Parameters<OperationJournal['begin']>[0]): Promise<void> {
    await world.session().journal.begin(record);
  }

  /** The session with a server that cannot be reached for listing (and, when asked, for revoking). */
  function unreachable(session: Session): Session {
    const refused = () => Promise.reject(new Error('connect ECONNREFUSED'));
    return { ...session, api: Object.create(session.api, { searchTokens: { value: refused }, revokeToken: { value: refused } }) as Session['api'] };
  }

  const intro = 'SonarQube Tokens was closed in the middle of an operation.';

  /** What recovery itself logged (the client's request lines left out), after the line that counts the entries. */
  function recoveryLog(session: Session, from = 1): string[] {
    return session.logger.lines.filter((line) => line.includes('[recovery]')).slice(from);
  }

  it('logs how many operations were interrupted, and which, at which step', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'generate', step: 'generated', ref: world.ide });
    await interrupted(world, { op: 'revoke', step: 'revoking', ref: world.other });
    const session = world.session();
    await recover(world, [{ warn: 'Keep' }], session);
    assert.deepEqual(recoveryLog(session, 0).slice(0, 1), ['info [recovery] 2 interrupted operations: generate at generated, revoke at revoking']);
    world.dispose();
  });

  it('logs a single interrupted operation in the singular', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'revoke', step: 'revoking', ref: world.other });
    const session = world.session();
    await recover(world, [{ warn: 'Keep' }], session);
    assert.deepEqual(recoveryLog(session, 0).slice(0, 1), ['info [recovery] 1 interrupted operation: revoke at revoking']);
    world.dispose();
  });

  it('keeps a generated token whose value reached secure storage, and lists it again as held', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await new HeldTokens(world.state).remove(world.ide);
    await interrupted(world, { op: 'generate', step: 'generated', ref: world.ide });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [['info', `${intro} Token ide was generated on crash.example and is kept in secure storage.`]]);
    assert.ok(new HeldTokens(world.state).has(world.ide), 'the value is in the index again');
    world.assertConsistent();
    world.dispose();
  });

  it('says a token the server never generated was not generated, and asks nothing', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'generate', step: 'generating', ref: { ...world.ide, name: 'ghost' } });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [['info', `${intro} Token ghost was not generated on crash.example: generate it again if you need it.`]]);
    world.assertConsistent();
    world.dispose();
  });

  it('forgets, without a word, an operation on a connection that is gone', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'generate', step: 'generated', ref: { connectionId: 'removed', login: world.login, name: 'ide' } });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.equal(prompter.calls.length, 0);
    assert.equal(world.state.values.get(JOURNAL_STATE_KEY), undefined);
    world.dispose();
  });

  it('offers to revoke a token whose revoke never reached the server; Keep keeps its value and bindings', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'revoke', step: 'revoking', ref: world.ide });
    const { prompter, summary } = await recover(world, [{ warn: 'Keep' }]);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text, call.actions]), [
      ['warn', `${intro} Token ide on crash.example was not revoked: the server never got the request, so it is still valid. Revoke it?`, ['Revoke', 'Keep']],
    ]);
    assert.ok(world.serverTokens().includes('ide'));
    assert.deepEqual(new BindingStore(world.state).forToken(world.ide).map((binding) => binding.kind === 'mcp' && binding.target), ['claudeDesktop', 'vscodeWorkspace']);
    assert.equal(world.state.values.get(JOURNAL_STATE_KEY), undefined);
    world.assertConsistent();
    world.dispose();
  });

  it('revokes, when asked, a token whose revoke never reached the server, with its value and bindings, and keeps the sign-in', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'revoke', step: 'revoking', ref: world.ide });
    const session = world.session();
    const { summary } = await recover(world, [{ warn: 'Revoke' }], session);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(world.serverTokens().sort(), ['other', 'sign-in']);
    assert.deepEqual(new BindingStore(world.state).forToken(world.ide), []);
    assert.ok(world.secrets.values.has(signInSecretKey('conn')), 'the sign-in token was not the one revoked');
    assert.deepEqual(recoveryLog(session), ['info [recovery] revoked "ide" on crash.example']);
    world.assertConsistent();
    world.dispose();
  });

  it('forgets the sign-in when the token it revokes at the person\'s request was the sign-in token', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'revoke', step: 'revoking', ref: { connectionId: 'conn', login: world.login, name: 'sign-in' } });
    const { summary } = await recover(world, [{ warn: 'Revoke' }]);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.ok(!world.serverTokens().includes('sign-in'));
    assert.equal(world.secrets.values.has(signInSecretKey('conn')), false, 'a revoked sign-in token is not kept');
    world.dispose();
  });

  it('finishes a revoke the server confirmed even when it cannot be reached now, keeping the sign-in', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await world.session().api.revokeToken({ name: 'ide' });
    await interrupted(world, { op: 'revoke', step: 'revoked', ref: world.ide });
    const { prompter, summary } = await recover(world, [], unreachable(world.session()));
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [['info', `${intro} Token ide was revoked on crash.example; its value and bindings are removed now.`]]);
    assert.deepEqual(new BindingStore(world.state).forToken(world.ide), []);
    assert.ok(world.secrets.values.has(signInSecretKey('conn')), 'the sign-in is kept unless the revoke signed out');
    world.assertConsistent();
    world.dispose();
  });

  it('forgets the sign-in too when the revoke the server confirmed had signed the connection out', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await world.session().api.revokeToken({ name: 'other' });
    await interrupted(world, { op: 'revoke', step: 'revoked', ref: world.other, signedOut: true });
    const { summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.equal(world.secrets.values.has(signInSecretKey('conn')), false);
    assert.ok(world.secrets.values.has(signInSecretKey('conn-2')), 'only the sign-in of this connection');
    world.dispose();
  });

  it('finishes a revoke the server did receive although its step was not written, without asking', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await world.session().api.revokeToken({ name: 'ide' });
    await interrupted(world, { op: 'revoke', step: 'revoking', ref: world.ide });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.messages('info'), [`${intro} Token ide was revoked on crash.example; its value and bindings are removed now.`]);
    world.assertConsistent();
    world.dispose();
  });

  it('finishes a rotation past the old token\'s revoke, even when the server cannot be reached: the replacement everywhere', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const next = { ...world.ide, name: 'ide-next' };
    const session = world.session();
    await session.vault.store(next, fixture.fake.createToken(world.login, { name: 'ide-next' }));
    await session.api.revokeToken({ name: 'ide' });
    const bindingIds = session.store.forToken(world.ide).map((binding) => binding.id);
    await interrupted(world, { op: 'rotate', step: 'revokedOld', old: world.ide, newName: 'ide-next', bindingIds, replacement: next });
    const { prompter, summary } = await recover(world, [], unreachable(world.session()));
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [['info', `${intro} Rotating token ide on crash.example was finished: ide-next replaces it everywhere it was bound.`]]);
    assert.deepEqual(new BindingStore(world.state).forToken(next).map((binding) => binding.id), bindingIds);
    assert.equal(new HeldTokens(world.state).has(world.ide), false, 'the old value is deleted');
    world.assertConsistent();
    world.dispose();
  });

  it('undoes a rotation before the old token\'s revoke: the replacement is revoked and forgotten, the old token stays bound', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const next = { ...world.ide, name: 'ide-next' };
    fixture.fake.createToken(world.login, { name: 'ide-next' });
    const bindingIds = world.session().store.forToken(world.ide).map((binding) => binding.id);
    await interrupted(world, { op: 'rotate', step: 'generated', old: world.ide, newName: 'ide-next', bindingIds, replacement: next });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [['info', `${intro} Rotating token ide on crash.example was undone: ide is still valid and bound. Rotate it again.`]]);
    assert.deepEqual(world.serverTokens().sort(), ['ide', 'other', 'sign-in']);
    assert.deepEqual(new BindingStore(world.state).forToken(world.ide).map((binding) => binding.id), bindingIds);
    world.assertConsistent();
    world.dispose();
  });

  /** `ide-next` generated on the server and held, as a rotation of `ide` leaves it once the value is stored. */
  async function storedReplacement(world: World, session: Session) {
    const next = { ...world.ide, name: 'ide-next' };
    await session.vault.store(next, fixture.fake.createToken(world.login, { name: 'ide-next' }));
    return { next, bindings: session.store.forToken(world.ide) };
  }

  it('finishes a rotation whose old token the server revoked though the step was not written, skipping a binding removed since', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const session = world.session();
    const { next, bindings } = await storedReplacement(world, session);
    for (const binding of bindings) await session.bindings.switchToken(binding, next);
    await session.api.revokeToken({ name: 'ide' });
    const bindingIds = [...bindings.map((binding) => binding.id), 'removed-since'];
    await interrupted(world, { op: 'rotate', step: 'revokingOld', old: world.ide, newName: 'ide-next', bindingIds, replacement: next });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.messages('info'), [`${intro} Rotating token ide on crash.example was finished: ide-next replaces it everywhere it was bound.`]);
    assert.deepEqual(new BindingStore(world.state).forToken(next).map((binding) => binding.id), bindingIds.slice(0, 2));
    world.assertConsistent();
    world.dispose();
  });

  it('undoes a rotation killed while switching: switched bindings point at the old token again, value included, and the replacement is gone', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const session = world.session();
    const { next, bindings } = await storedReplacement(world, session);
    const claude = bindings.find((binding) => binding.kind === 'mcp' && binding.plainText);
    assert.ok(claude);
    await session.bindings.switchToken(claude, next);
    const bindingIds = bindings.map((binding) => binding.id);
    await interrupted(world, { op: 'rotate', step: 'switching', old: world.ide, newName: 'ide-next', bindingIds, replacement: next });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.messages('info'), [`${intro} Rotating token ide on crash.example was undone: ide is still valid and bound. Rotate it again.`]);
    assert.deepEqual(new BindingStore(world.state).forToken(world.ide).map((binding) => binding.id), bindingIds);
    assert.equal(new HeldTokens(world.state).has(next), false, 'the replacement\'s value is deleted');
    assert.deepEqual(world.serverTokens().sort(), ['ide', 'other', 'sign-in']);
    world.assertConsistent(); // the plain-text file holds the value of ide again
    world.dispose();
  });

  it('undoes a rotation killed between writing a binding\'s value and its record: the plain-text file and the credential store get the old value back', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const session = world.session();
    const { next, bindings } = await storedReplacement(world, session);
    for (const binding of bindings) if (binding.kind === 'mcp') await switchMcpBindingToken(session.mcp, binding, next);
    await interrupted(world, { op: 'rotate', step: 'switching', old: world.ide, newName: 'ide-next', bindingIds: bindings.map((binding) => binding.id), replacement: next });
    const { summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(world.serverTokens().sort(), ['ide', 'other', 'sign-in']);
    world.assertConsistent(); // the file and the credential-store entry hold the value of ide
    world.dispose();
  });

  it('finishes a rotation of a token bound without its value: the binding\'s record points at the replacement', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const session = world.session();
    const next = { ...world.other, name: 'other-next' };
    await session.vault.store(next, fixture.fake.createToken(world.login, { name: 'other-next' }));
    await session.api.revokeToken({ name: 'other' });
    const [cursor] = session.store.forToken(world.other);
    await interrupted(world, { op: 'rotate', step: 'revokedOld', old: world.other, newName: 'other-next', bindingIds: [cursor.id], replacement: next });
    const { summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(new BindingStore(world.state).forToken(next).map((binding) => binding.id), [cursor.id]);
    assert.deepEqual(new BindingStore(world.state).forToken(world.other), []);
    world.dispose();
  });

  it('undoes a rotation killed before the server\'s answer: the replacement is found by its new name and revoked', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    fixture.fake.createToken(world.login, { name: 'ide-next' });
    await interrupted(world, { op: 'rotate', step: 'generating', old: world.ide, newName: 'ide-next', bindingIds: [] });
    const { summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(world.serverTokens().sort(), ['ide', 'other', 'sign-in']);
    world.assertConsistent();
    world.dispose();
  });

  it('finishes removing a connection, and says so', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    await interrupted(world, { op: 'removeConnection', step: 'removing', connectionId: 'conn' });
    const { prompter, summary } = await recover(world, []);
    assert.deepEqual(summary, { resolved: 1, pending: 0 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [['info', `${intro} The connection to crash.example was removed from this computer, with its token values and bindings.`]]);
    assert.equal(new ConnectionStore(world.state).get('conn'), undefined);
    assert.deepEqual(new BindingStore(world.state).forConnection('conn'), []);
    assert.ok(new ConnectionStore(world.state).get('conn-2'), 'the other connection stays');
    world.assertConsistent();
    world.dispose();
  });

  it('names each operation it could not repair, logs why, and keeps them all for the next start', async () => {
    const world = await World.create(fixture, `decide-${++worlds}`);
    const binding = { kind: 'mcp', id: 'b-new', createdAt: '2026-01-01T00:00:00.000Z', token: world.ide, target: 'claudeCodeUser', path: world.claudeCodeFile } as const;
    await interrupted(world, { op: 'generate', step: 'generated', ref: { ...world.ide, name: 'ghost' } });
    await interrupted(world, { op: 'rotate', step: 'generating', old: world.ide, newName: 'ide-next', bindingIds: [] });
    await interrupted(world, { op: 'revoke', step: 'revoking', ref: world.other });
    await interrupted(world, { op: 'bind', step: 'writing', binding });
    await interrupted(world, { op: 'removeConnection', step: 'removing', connectionId: 'conn' });
    const session = unreachable(world.session());
    const broken = () => Promise.reject(new Error('EACCES: permission denied'));
    const { prompter, summary } = await recover(world, [], { ...session, bindings: { ...session.bindings, remove: broken, undoBind: broken } });
    assert.deepEqual(summary, { resolved: 0, pending: 5 });
    const later = 'could not be repaired now; this is tried again at the next start.';
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.text]), [
      ['warn', `${intro} Generating token ghost on crash.example ${later} Rotating token ide on crash.example ${later} Revoking token other on crash.example ${later} Binding token ide on crash.example ${later} Removing the connection on crash.example ${later}`],
    ]);
    assert.deepEqual(recoveryLog(session), [
      'warn [recovery] generate at generated could not be repaired: Error',
      'warn [recovery] rotate at generating could not be repaired: Error',
      'warn [recovery] revoke at revoking could not be repaired: Error',
      'warn [recovery] bind at writing could not be repaired: Error',
      'warn [recovery] removeConnection at removing could not be repaired: Error',
    ]);
    assert.equal(session.journal.list().length, 5);
    assert.ok(new ConnectionStore(world.state).get('conn'));
    world.dispose();
  });

  it('counts a decision and a failure apart: one revoked, one left for the next start, in one warning', async () => {
    const world = await lostValue();
    const binding = { kind: 'mcp', id: 'b-new', createdAt: '2026-01-01T00:00:00.000Z', token: world.ide, target: 'claudeCodeUser', path: world.claudeCodeFile } as const;
    await interrupted(world, { op: 'bind', step: 'writing', binding });
    const session = world.session();
    const { prompter, summary } = await recover(world, [{ warn: 'Revoke' }], { ...session, bindings: { ...session.bindings, undoBind: () => Promise.reject(new Error('EACCES')) } });
    assert.deepEqual(summary, { resolved: 1, pending: 1 });
    assert.deepEqual(prompter.calls.map((call) => [call.kind, call.actions]), [['warn', ['Revoke', 'Keep']]]);
    assert.match(prompter.calls[0].text, /Revoke it\? Binding token ide on crash\.example could not be repaired now; this is tried again at the next start\.$/);
    assert.ok(!world.serverTokens().includes('fresh'));
    assert.equal(session.journal.list().length, 1);
    world.dispose();
  });

  it('offers Revoke All and Keep for two lost values; Keep keeps both tokens and forgets both entries', async () => {
    const world = await lostValue('first');
    fixture.fake.createToken(world.login, { name: 'second' });
    await interrupted(world, { op: 'generate', step: 'generated', ref: { ...world.ide, name: 'second' } });
    const { prompter, summary } = await recover(world, [{ warn: 'Keep' }]);
    assert.deepEqual(summary, { resolved: 2, pending: 0 });
    assert.deepEqual(prompter.calls[0].actions, ['Revoke All', 'Keep']);
    assert.deepEqual(world.serverTokens().sort(), ['first', 'ide', 'other', 'second', 'sign-in']);
    assert.equal(world.state.values.get(JOURNAL_STATE_KEY), undefined);
    world.dispose();
  });

  it('with Revoke All, counts a revoke that fails as pending and says so, and revokes the other', async () => {
    const world = await lostValue('first');
    fixture.fake.createToken(world.login, { name: 'second' });
    await interrupted(world, { op: 'generate', step: 'generated', ref: { ...world.ide, name: 'second' } });
    const session = world.session();
    const revokeToken = (request: { name: string }) => (request.name === 'first' ? Promise.reject(new SonarApiError('server', 'An error has occurred')) : session.api.revokeToken(request));
    const { prompter, summary } = await recover(world, [{ warn: 'Revoke All' }], { ...session, api: Object.create(session.api, { revokeToken: { value: revokeToken } }) as Session['api'] });
    assert.deepEqual(summary, { resolved: 1, pending: 1 });
    assert.deepEqual(prompter.messages('error'), ['Token first could not be revoked on crash.example: crash.example had an internal error (HTTP 500). Try again later. You are asked again at the next start.']);
    assert.deepEqual(recoveryLog(session), ['warn [recovery] revoking "first" failed: server', 'info [recovery] revoked "second" on crash.example']);
    assert.deepEqual(world.serverTokens().sort(), ['first', 'ide', 'other', 'sign-in']);
    assert.deepEqual(session.journal.list().map((entry) => entry.op === 'generate' && entry.ref.name), ['first']);
    world.dispose();
  });

  describe('an administrator\'s interrupted operations on another user\'s token', () => {
    /** An admin's world where `bob` has tokens `lost` and `ci`, and the admin has tokens of the same names. */
    async function adminWorld(): Promise<{ world: World; bob: string }> {
      const world = await World.create(fixture, `admin-${++worlds}`, { admin: true });
      const bob = `bob-${worlds}`;
      fixture.fake.addUser({ login: bob, name: bob });
      for (const name of ['lost', 'ci', 'ci-next']) fixture.fake.createToken(bob, { name });
      for (const name of ['lost', 'ghost', 'ci-next']) fixture.fake.createToken(world.login, { name });
      return { world, bob };
    }

    it('lists and revokes the other user\'s token, never the administrator\'s own of the same name', async () => {
      const { world, bob } = await adminWorld();
      await interrupted(world, { op: 'generate', step: 'generated', ref: { connectionId: 'conn', login: bob, name: 'lost' }, forLogin: bob });
      await interrupted(world, { op: 'generate', step: 'generated', ref: { connectionId: 'conn', login: bob, name: 'ghost' }, forLogin: bob });
      const { prompter, summary } = await recover(world, [{ warn: 'Revoke' }]);
      assert.deepEqual(summary, { resolved: 2, pending: 0 });
      assert.equal(
        prompter.calls[0].text,
        `${intro} Token lost was generated on crash.example, but its value was lost before it reached secure storage and cannot be shown again. Revoke it? Token ghost was not generated on crash.example: generate it again if you need it.`,
      );
      assert.deepEqual(fixture.fake.tokenNames(bob).sort(), ['ci', 'ci-next']);
      assert.deepEqual(world.serverTokens().sort(), ['ci-next', 'ghost', 'ide', 'lost', 'other', 'sign-in']);
      assert.ok(world.secrets.values.has(signInSecretKey('conn')), 'the administrator is still signed in');
      world.dispose();
    });

    it('revokes, when asked, the other user\'s token whose revoke never reached the server, not the administrator\'s', async () => {
      const { world, bob } = await adminWorld();
      await interrupted(world, { op: 'revoke', step: 'revoking', ref: { connectionId: 'conn', login: bob, name: 'lost' }, forLogin: bob });
      const { prompter, summary } = await recover(world, [{ warn: 'Revoke' }]);
      assert.deepEqual(summary, { resolved: 1, pending: 0 });
      assert.deepEqual(prompter.calls.map((call) => call.text), [`${intro} Token lost on crash.example was not revoked: the server never got the request, so it is still valid. Revoke it?`]);
      assert.deepEqual(fixture.fake.tokenNames(bob).sort(), ['ci', 'ci-next']);
      assert.deepEqual(world.serverTokens().sort(), ['ci-next', 'ghost', 'ide', 'lost', 'other', 'sign-in']);
      world.dispose();
    });

    it('undoes a rotation of the other user\'s token by revoking their replacement, not the administrator\'s', async () => {
      const { world, bob } = await adminWorld();
      await interrupted(world, { op: 'rotate', step: 'generating', old: { connectionId: 'conn', login: bob, name: 'ci' }, newName: 'ci-next', bindingIds: [], forLogin: bob });
      const { prompter, summary } = await recover(world, []);
      assert.deepEqual(summary, { resolved: 1, pending: 0 });
      assert.deepEqual(prompter.messages('info'), [`${intro} Rotating token ci on crash.example was undone: ci is still valid and bound. Rotate it again.`]);
      assert.deepEqual(fixture.fake.tokenNames(bob).sort(), ['ci', 'lost']);
      assert.deepEqual(world.serverTokens().sort(), ['ci-next', 'ghost', 'ide', 'lost', 'other', 'sign-in']);
      world.dispose();
    });
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

  it('counts another machine\'s entry as abandoned only once an hour has passed since its last step', () => {
    const entry = { op: 'generate', step: 'generated', ref, id: 'a', owner, startedAt: '2025-12-31T20:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' } as const;
    const elsewhere = { host: 'laptop', pid: 7 };
    assert.equal(ownerGone(entry, new Date('2026-01-01T01:00:00.000Z'), elsewhere, () => false), false, 'exactly an hour: still within the timeout');
    assert.equal(ownerGone(entry, new Date('2026-01-01T01:00:00.001Z'), elsewhere, () => false), true, 'a millisecond past the hour');
    assert.equal(ownerGone(entry, new Date('2026-01-01T00:59:59.999Z'), elsewhere, () => false), false, 'counted from the last step, not the start');
    assert.equal(ownerGone(entry, new Date('2026-01-01T00:00:01.000Z'), elsewhere, () => false), false, 'a process of another machine is not looked for here');
  });

  it('tells a running process (this one, or one of another user) from one that has ended', () => {
    assert.equal(processRunning(process.pid), true);
    assert.equal(processRunning(spawnSync(process.execPath, ['-e', '']).pid!), false);
    const kill = process.kill;
    try {
      process.kill = (() => {
        throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      }) as typeof process.kill;
      assert.equal(processRunning(1), true, 'EPERM: it runs, under another user');
      process.kill = (() => {
        throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      }) as typeof process.kill;
      assert.equal(processRunning(1), false);
    } finally {
      process.kill = kill;
    }
  });
});

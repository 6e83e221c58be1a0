// The operation journal as stored in globalState: which entries it accepts, and what it logs about the rest.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { hasJournalEntries, JOURNAL_STATE_KEY, OperationJournal } from '../../../src/core/journal/journal';
import type { KeyValueStore } from '../../../src/core/ports';
import { memoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';

const owner = { host: 'box', pid: 42 };
const ref = { connectionId: 'c', login: 'ada', name: 'ide' };
const stamps = { id: 'e1', owner, startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };

function journalOver(entries: unknown[]): { journal: OperationJournal; logger: RecordingLogger } {
  const logger = new RecordingLogger();
  return { journal: new OperationJournal(memoryState({ [JOURNAL_STATE_KEY]: entries }), owner, { now: () => new Date('2026-01-02T00:00:00Z') }, logger), logger };
}

describe('operation journal: stored entries', () => {
  it('ignores, without failing, an entry whose operation is a name every object has (constructor, toString, __proto__)', () => {
    const valid = { op: 'generate', step: 'generating', ref, ...stamps };
    const { journal, logger } = journalOver([
      { op: 'constructor', step: 'generating', ref, ...stamps, id: 'e2' },
      { op: 'toString', step: 'generating', ref, ...stamps, id: 'e3' },
      { op: 'hasOwnProperty', step: 'generating', ref, ...stamps, id: 'e4' },
      JSON.parse('{"op":"__proto__","step":"generating","id":"e5","owner":{"host":"box","pid":42},"startedAt":"x","updatedAt":"x"}') as unknown,
      valid,
    ]);
    assert.deepEqual(journal.list(), [valid]);
    assert.deepEqual(logger.lines, [
      'warn [journal] ignoring entry #0: not a valid record',
      'warn [journal] ignoring entry #1: not a valid record',
      'warn [journal] ignoring entry #2: not a valid record',
      'warn [journal] ignoring entry #3: not a valid record',
    ]);
  });
});

describe('operation journal: which entries it accepts', () => {
  const binding = { kind: 'mcp', id: 'b1', createdAt: '2026-01-01T00:00:00.000Z', token: ref, target: 'cursorUser', path: '/home/ada/.cursor/mcp.json' };
  const valid: Record<string, Record<string, unknown>> = {
    generate: { op: 'generate', step: 'generated', ref, ...stamps },
    'generate for another user': { op: 'generate', step: 'generating', ref, forLogin: 'bob', ...stamps },
    revoke: { op: 'revoke', step: 'revoked', ref, signedOut: true, ...stamps },
    rotate: { op: 'rotate', step: 'revokedOld', old: ref, newName: 'ide-2', bindingIds: ['b1', 'b2'], replacement: { ...ref, name: 'ide-2' }, ...stamps },
    'rotate before the replacement': { op: 'rotate', step: 'generating', old: ref, newName: 'ide-2', bindingIds: [], ...stamps },
    removeConnection: { op: 'removeConnection', step: 'removing', connectionId: 'c', ...stamps },
    bind: { op: 'bind', step: 'writing', binding, ...stamps },
  };
  for (const [name, entry] of Object.entries(valid)) {
    it(`accepts a ${name} entry as this version writes it`, () => {
      const { journal, logger } = journalOver([entry]);
      assert.deepEqual(journal.list(), [entry]);
      assert.deepEqual(logger.lines, []);
    });
  }

  it('accepts a rotation at each of its six steps, and a generate and a revoke at each of their two', () => {
    const entries = [
      ...['generating', 'generated', 'stored', 'switching', 'revokingOld', 'revokedOld'].map((step) => ({ ...valid.rotate, step })),
      ...['generating', 'generated'].map((step) => ({ ...valid.generate, step })),
      ...['revoking', 'revoked'].map((step) => ({ ...valid.revoke, step })),
    ];
    const { journal, logger } = journalOver(entries);
    assert.deepEqual(journal.list(), entries);
    assert.deepEqual(logger.lines, []);
  });

  const { id: _id, owner: _owner, startedAt: _startedAt, updatedAt: _updatedAt, ...generateOnly } = valid.generate;
  const invalid: Record<string, unknown> = {
    null: null,
    'a string': 'generate',
    'without an id': { ...generateOnly, owner, startedAt: stamps.startedAt, updatedAt: stamps.updatedAt },
    'with a numeric id': { ...valid.generate, id: 1 },
    'without startedAt': { ...generateOnly, id: 'e1', owner, updatedAt: stamps.updatedAt },
    'without updatedAt': { ...generateOnly, id: 'e1', owner, startedAt: stamps.startedAt },
    'without an owner': { ...generateOnly, id: 'e1', startedAt: stamps.startedAt, updatedAt: stamps.updatedAt },
    'with an owner without host': { ...valid.generate, owner: { pid: 42 } },
    'with an owner whose pid is text': { ...valid.generate, owner: { host: 'box', pid: '42' } },
    'with an unknown operation': { ...valid.generate, op: 'wipe' },
    'with a step of another operation': { ...valid.generate, step: 'revoking' },
    'with a step of no operation': { ...valid.removeConnection, step: 'someday' },
    'with a numeric forLogin': { ...valid.generate, forLogin: 7 },
    'generate without a ref': { ...valid.generate, ref: undefined },
    'revoke with a ref missing its login': { ...valid.revoke, ref: { connectionId: 'c', name: 'ide' } },
    'rotate without the old token': { ...valid.rotate, old: undefined },
    'rotate without the new name': { ...valid.rotate, newName: undefined },
    'rotate whose binding ids are not a list': { ...valid.rotate, bindingIds: 'b1' },
    'rotate with a numeric binding id': { ...valid.rotate, bindingIds: ['b1', 2] },
    'rotate with a replacement that is no token': { ...valid.rotate, replacement: 'ide-2' },
    'removeConnection without its connection': { ...valid.removeConnection, connectionId: undefined },
    'bind without a valid binding': { ...valid.bind, binding: { ...binding, kind: 'file' } },
  };
  for (const [name, entry] of Object.entries(invalid)) {
    it(`ignores an entry ${name}, and logs it by position`, () => {
      const { journal, logger } = journalOver([valid.generate, entry]);
      assert.deepEqual(journal.list(), [valid.generate]);
      assert.deepEqual(logger.lines, ['warn [journal] ignoring entry #1: not a valid record']);
    });
  }

  it('holds no entries when globalState has none, an empty list, or something else', () => {
    for (const stored of [undefined, [], 'junk', { length: 1 }]) {
      const state = memoryState(stored === undefined ? {} : { [JOURNAL_STATE_KEY]: stored });
      assert.equal(hasJournalEntries(state), false, JSON.stringify(stored));
      assert.deepEqual(new OperationJournal(state, owner).list(), []);
    }
    assert.equal(hasJournalEntries(memoryState({ [JOURNAL_STATE_KEY]: ['junk'] })), true, 'any stored entry makes activation load recovery');
  });
});

describe('operation journal: writing', () => {
  let now: Date;
  const clock = { now: () => now };
  beforeEach(() => {
    now = new Date('2026-03-01T10:00:00Z');
  });

  it('advances only its own entry, stamping the time of the step, and ends only its own entry', async () => {
    const state = memoryState();
    const journal = new OperationJournal(state, owner, clock);
    const first = await journal.begin({ op: 'generate', step: 'generating', ref });
    now = new Date('2026-03-01T10:00:05Z');
    const second = await journal.begin({ op: 'revoke', step: 'revoking', ref: { ...ref, name: 'old' } });
    now = new Date('2026-03-01T10:01:00Z');
    await first.advance({ step: 'generated' });
    const [a, b] = journal.list();
    assert.deepEqual({ ...a, id: 'first' }, { op: 'generate', step: 'generated', ref, id: 'first', owner, startedAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:01:00.000Z' });
    assert.deepEqual({ ...b, id: 'second' }, { op: 'revoke', step: 'revoking', ref: { ...ref, name: 'old' }, id: 'second', owner, startedAt: '2026-03-01T10:00:05.000Z', updatedAt: '2026-03-01T10:00:05.000Z' });
    assert.notEqual(a.id, b.id);
    await first.end();
    assert.deepEqual(journal.list(), [b]);
    await second.end();
    assert.equal(state.values.get(JOURNAL_STATE_KEY), undefined, 'an empty journal is removed from globalState, not kept as []');
  });

  it('records this extension host and the time now when given no owner or clock', async () => {
    const state = memoryState();
    const before = Date.now();
    await new OperationJournal(state).begin({ op: 'removeConnection', step: 'removing', connectionId: 'c' });
    const [entry] = new OperationJournal(state, owner).list();
    assert.deepEqual(entry.owner, { host: os.hostname(), pid: process.pid });
    const started = Date.parse(entry.startedAt);
    assert.ok(started >= before && started <= Date.now(), `${entry.startedAt} is now`);
    assert.equal(entry.updatedAt, entry.startedAt);
  });

  it('logs a step it cannot record and goes on, whether globalState throws an error or anything else', async () => {
    const logger = new RecordingLogger();
    const state = memoryState();
    state.failUpdates = true;
    const handle = await new OperationJournal(state, owner, clock, logger).begin({ op: 'generate', step: 'generating', ref });
    await handle.advance({ step: 'generated' });
    await handle.end();
    const throwsText: KeyValueStore = { get: () => undefined, update: () => Promise.reject('quota exceeded') };
    await new OperationJournal(throwsText, owner, clock, logger).begin({ op: 'generate', step: 'generating', ref });
    assert.deepEqual(logger.lines, [
      'warn [journal] could not record a step: state is read-only',
      'warn [journal] could not record a step: state is read-only',
      'warn [journal] could not record a step: state is read-only',
      'warn [journal] could not record a step: quota exceeded',
    ]);
  });

  it('reads and writes without a logger: entries it ignores and writes that fail are silent', async () => {
    const state = memoryState({ [JOURNAL_STATE_KEY]: ['junk'] });
    state.failUpdates = true;
    const journal = new OperationJournal(state, owner, clock);
    assert.deepEqual(journal.list(), []);
    await (await journal.begin({ op: 'generate', step: 'generating', ref })).end();
    assert.equal(state.values.get(JOURNAL_STATE_KEY), '["junk"]');
  });
});

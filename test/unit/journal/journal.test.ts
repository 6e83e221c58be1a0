// The operation journal as stored in globalState: which entries it accepts, and what it logs about the rest.
import * as assert from 'node:assert/strict';
import { JOURNAL_STATE_KEY, OperationJournal } from '../../../src/core/journal/journal';
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

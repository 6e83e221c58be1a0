// Ignored findings are remembered by the SHA-256 of the value only: anything else is refused, and a stored entry that
// is not a SHA-256 in lowercase hex (hand-edited, or from elsewhere) is dropped when the list is read.
import * as assert from 'node:assert/strict';
import { IGNORED_STATE_KEY, IgnoreList } from '../../../src/core/exposure/ignoreList';
import { memoryState } from '../support/memoryState';
import { userTokenValue } from './fixtures';

// Made-up fingerprints: 64 lowercase hex digits.
const FIRST = '0123456789abcdef'.repeat(4);
const SECOND = 'fedcba9876543210'.repeat(4);

describe('exposure ignore list: findings ignored by fingerprint', () => {
  it('remembers a fingerprint once and tells its listeners once, however often it is ignored', async () => {
    const state = memoryState();
    const list = new IgnoreList(state);
    let changes = 0;
    list.onDidChange(() => changes++);
    await list.ignore(FIRST);
    await list.ignore(FIRST);
    await list.ignore(SECOND);
    assert.deepEqual(state.get(IGNORED_STATE_KEY), [FIRST, SECOND]);
    assert.deepEqual([...list.fingerprints()], [FIRST, SECOND]);
    assert.equal(changes, 2);
  });

  it('refuses anything but a SHA-256 in lowercase hex, and stores nothing of it', async () => {
    const value = userTokenValue();
    const refused = [value, value.slice(4), `${FIRST}0`, `0${FIRST}`, `x${FIRST}`, `${FIRST}x`, `${FIRST}\n`, FIRST.slice(1), FIRST.toUpperCase(), ''];
    const state = memoryState();
    const list = new IgnoreList(state);
    let changes = 0;
    list.onDidChange(() => changes++);
    for (const candidate of refused) await assert.rejects(list.ignore(candidate), /^Error: Only a SHA-256 fingerprint can be ignored$/, JSON.stringify(candidate));
    assert.equal(state.dump(), '');
    assert.equal(changes, 0);
  });

  it('reads back only the well-formed fingerprints of what is stored', () => {
    const stored = [FIRST, `x${FIRST}`, `${FIRST}x`, `${FIRST}00`, FIRST.toUpperCase(), FIRST.slice(2), 42, null, { fingerprint: SECOND }, SECOND];
    assert.deepEqual([...new IgnoreList(memoryState({ [IGNORED_STATE_KEY]: stored })).fingerprints()], [FIRST, SECOND]);
  });

  it('reads nothing from a stored value that is not a list', () => {
    for (const stored of [FIRST, { [FIRST]: true }, 7]) assert.deepEqual([...new IgnoreList(memoryState({ [IGNORED_STATE_KEY]: stored })).fingerprints()], [], JSON.stringify(stored));
  });

  it('keeps the earlier fingerprints when it adds one, and drops the malformed entries it finds', async () => {
    const state = memoryState({ [IGNORED_STATE_KEY]: [FIRST, `${SECOND}!`] });
    await new IgnoreList(state).ignore(SECOND);
    assert.deepEqual(state.get(IGNORED_STATE_KEY), [FIRST, SECOND]);
  });
});

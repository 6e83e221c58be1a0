// The names under which the extension keeps its records in globalState. They are what an update finds on disk: a
// renamed key orphans every stored connection, token index, binding, interrupted operation or ignored finding, so
// each is written out literally here, in both directions (written under it, and read back from it).
import * as assert from 'node:assert/strict';
import { ConnectionStore } from '../../../src/core/connections/connectionStore';
import { IgnoreList } from '../../../src/core/exposure/ignoreList';
import { OperationJournal, hasJournalEntries } from '../../../src/core/journal/journal';
import { BindingStore } from '../../../src/core/tokens/bindingStore';
import { HeldTokens } from '../../../src/core/tokens/heldTokens';
import { memoryState } from '../support/memoryState';

const ref = { connectionId: 'c1', login: 'alice', name: 'laptop' };
const fingerprint = 'a'.repeat(64);

describe('stored names in globalState', () => {
  it('connections are kept under sonarqubeTokens.connections', async () => {
    const state = memoryState();
    const added = await new ConnectionStore(state, { newId: () => 'c1' }).add({ target: { kind: 'server', serverUrl: 'https://sq.example.com' }, login: 'alice' });
    assert.deepEqual([...state.values.keys()], ['sonarqubeTokens.connections']);
    assert.deepEqual(new ConnectionStore(memoryState({ 'sonarqubeTokens.connections': [added] })).list(), [added]);
  });

  it('the index of held tokens is kept under sonarqubeTokens.heldTokens', async () => {
    const state = memoryState();
    await new HeldTokens(state).add(ref);
    assert.deepEqual([...state.values.keys()], ['sonarqubeTokens.heldTokens']);
    assert.deepEqual(new HeldTokens(memoryState({ 'sonarqubeTokens.heldTokens': [ref] })).list(), [ref]);
  });

  it('bindings are kept under sonarqubeTokens.bindings', async () => {
    const state = memoryState();
    const binding = await new BindingStore(state).add({ kind: 'mcp', token: ref, target: 'cursor', path: '/home/alice/.cursor/mcp.json', serverName: 'sonarqube' }, 'b1');
    assert.deepEqual([...state.values.keys()], ['sonarqubeTokens.bindings']);
    assert.deepEqual(new BindingStore(memoryState({ 'sonarqubeTokens.bindings': [binding] })).list(), [binding]);
  });

  it('interrupted operations are kept under sonarqubeTokens.journal, and activation finds them there', async () => {
    const state = memoryState();
    await new OperationJournal(state).begin({ op: 'generate', step: 'generating', ref });
    assert.deepEqual([...state.values.keys()], ['sonarqubeTokens.journal']);
    const stored = state.get<unknown[]>('sonarqubeTokens.journal');
    const earlier = memoryState({ 'sonarqubeTokens.journal': stored });
    assert.equal(hasJournalEntries(earlier), true);
    assert.deepEqual(new OperationJournal(earlier).list(), stored);
  });

  it('ignored findings are kept under sonarqubeTokens.ignoredExposures', async () => {
    const state = memoryState();
    await new IgnoreList(state).ignore(fingerprint);
    assert.deepEqual([...state.values.keys()], ['sonarqubeTokens.ignoredExposures']);
    assert.deepEqual([...new IgnoreList(memoryState({ 'sonarqubeTokens.ignoredExposures': [fingerprint] })).fingerprints()], [fingerprint]);
  });
});

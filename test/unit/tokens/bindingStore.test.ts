import * as assert from 'node:assert/strict';
import { BINDINGS_STATE_KEY, BindingStore } from '../../../src/core/tokens/bindingStore';
import { memoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';

const ide = { connectionId: 'c1', login: 'alice', name: 'ide' };
const other = { connectionId: 'c2', login: 'alice', name: 'ci' };

describe('binding store', () => {
  it('adds, finds by token and connection, retargets and removes', async () => {
    const state = memoryState();
    const store = new BindingStore(state, undefined, () => new Date('2026-11-22T10:00:00Z'));
    let changes = 0;
    store.onDidChange(() => changes++);
    const mcp = await store.add({ kind: 'mcp', token: ide, target: 'vscodeProvider', label: 'SonarQube (sq)' });
    await store.add({ kind: 'connectedMode', token: other, section: 'sonarqube', sonarlintConnectionId: 'https-sq', addedConnection: true, folders: ['file:///w'], projectKey: 'p', sharedFiles: [] });
    assert.equal(store.forToken(ide).length, 1);
    assert.equal(store.forConnection('c2')[0].kind, 'connectedMode');
    assert.equal(mcp.createdAt, '2026-11-22T10:00:00.000Z');
    const rotated = { ...ide, name: 'ide-2' };
    await store.retarget(mcp.id, rotated);
    assert.deepEqual(store.forToken(ide), []);
    assert.equal(store.forToken(rotated)[0].id, mcp.id);
    await store.remove(mcp.id);
    assert.equal(store.list().length, 1);
    assert.equal(changes, 4);
  });

  it('ignores corrupted entries instead of failing', () => {
    const state = memoryState({ [BINDINGS_STATE_KEY]: [{ id: 'x' }, null, { id: 'y', kind: 'mcp', token: ide, target: 'cursorUser', createdAt: 'now' }] });
    assert.deepEqual(new BindingStore(state).list().map((binding) => binding.id), ['y']);
    assert.deepEqual(new BindingStore(memoryState({ [BINDINGS_STATE_KEY]: 'garbage' })).list(), []);
  });

  it('keeps Connected Mode bindings of both SonarLint sections and warns by position about any other', () => {
    const connectedMode = (id: string, section: string) => ({
      id, kind: 'connectedMode', token: other, createdAt: '2026-11-22T10:00:00.000Z', section, sonarlintConnectionId: 'sl', projectKey: 'p', folders: ['file:///w'], sharedFiles: [],
    });
    const stored = [connectedMode('server', 'sonarqube'), connectedMode('odd', 'sonarlint'), connectedMode('cloud', 'sonarcloud'), connectedMode('blank', '')];
    const logger = new RecordingLogger();
    const store = new BindingStore(memoryState({ [BINDINGS_STATE_KEY]: stored }), logger);
    assert.deepEqual(store.list().map((binding) => binding.id), ['server', 'cloud']);
    assert.deepEqual(logger.lines, [
      'warn [bindings] ignoring stored binding #1: not a valid record',
      'warn [bindings] ignoring stored binding #3: not a valid record',
    ]);
  });
});

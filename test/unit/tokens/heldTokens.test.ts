// A stored index that cannot be trusted is ignored with a warning and never rewritten by reading it; a failing secret
// store says which operation failed and why, without the value.
import * as assert from 'node:assert/strict';
import type { SecretStore } from '../../../src/core/ports';
import { HELD_TOKENS_STATE_KEY, HeldTokens, SecretStoreError, TokenVault } from '../../../src/core/tokens/heldTokens';
import { freshTokenValue } from '../support/fakeTokenApi';
import { memorySecretStore } from '../support/memorySecretStore';
import { memoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';

const laptop = { connectionId: 'c1', login: 'alice', name: 'laptop' };
const ci = { connectionId: 'c1', login: 'alice', name: 'ci' };
const other = { connectionId: 'c2', login: 'bob', name: 'build' };

function indexOver(stored: unknown) {
  const state = memoryState({ [HELD_TOKENS_STATE_KEY]: stored });
  const logger = new RecordingLogger();
  return { state, logger, index: new HeldTokens(state, logger) };
}

describe('held tokens index read from state', () => {
  it('ignores a stored index that is not a list, with a warning, and leaves it as it was', () => {
    const stored = { connectionId: 'c1', login: 'alice', name: 'laptop' };
    const { state, logger, index } = indexOver(stored);
    assert.deepEqual(index.list(), []);
    assert.deepEqual(index.listFor('c1'), []);
    assert.equal(index.has(laptop), false);
    assert.deepEqual(state.get(HELD_TOKENS_STATE_KEY), stored);
    assert.deepEqual(logger.lines, Array(3).fill('warn [heldTokens] ignoring the stored index: not a list'));
  });

  it('keeps the valid entries of a list and warns with the number of invalid ones', () => {
    const stored = [laptop, 'laptop', ci, { connectionId: 'c1', login: 'alice' }, other, null];
    const { state, logger, index } = indexOver(stored);
    assert.deepEqual(index.list(), [laptop, ci, other]);
    assert.deepEqual(logger.lines, ['warn [heldTokens] ignoring 3 invalid entries']);
    assert.deepEqual(state.get(HELD_TOKENS_STATE_KEY), stored, 'reading does not rewrite the index');
  });

  it('says nothing about an index that is all valid or not stored yet', () => {
    for (const stored of [[laptop, other], undefined]) {
      const { logger, index } = indexOver(stored);
      index.list();
      assert.deepEqual(logger.lines, []);
    }
  });
});

describe('secret store failures', () => {
  it('names the failed operation and the cause, keeping the cause attached', async () => {
    const secrets = memorySecretStore();
    const vault = new TokenVault(secrets, new HeldTokens(memoryState()));
    const value = freshTokenValue();
    const cases: { operation: 'store' | 'delete' | 'get'; run: () => Promise<unknown>; expected: string }[] = [
      { operation: 'store', run: () => vault.store(laptop, value), expected: 'store' },
      { operation: 'store', run: () => vault.storeSignIn('c1', value), expected: 'store' },
      { operation: 'get', run: () => vault.read(laptop), expected: 'read' },
      { operation: 'get', run: () => vault.readSignIn('c1'), expected: 'read' },
      { operation: 'delete', run: () => vault.delete(laptop), expected: 'delete' },
      { operation: 'delete', run: () => vault.deleteSignIn('c1'), expected: 'delete' },
    ];
    for (const { operation, run, expected } of cases) {
      secrets.failing.clear();
      secrets.failing.add(operation);
      const error = await run().then(() => assert.fail('expected a failure'), (caught: unknown) => caught);
      assert.ok(error instanceof SecretStoreError);
      assert.equal(error.operation, expected);
      assert.equal(error.message, `Secure storage failed to ${expected} a secret: Error: keychain is locked (${operation})`);
      assert.ok(error.cause instanceof Error);
      assert.equal(error.cause.message, `keychain is locked (${operation})`);
      assert.ok(!error.message.includes(value));
    }
  });

  it('says "unknown error" when the store throws something that is not an Error, without serialising it', async () => {
    const value = freshTokenValue();
    const thrown = { detail: value };
    const throwing: SecretStore = {
      get: () => Promise.reject(thrown),
      store: () => Promise.reject(thrown),
      delete: () => Promise.reject(thrown),
    };
    const vault = new TokenVault(throwing, new HeldTokens(memoryState()));
    const error = await vault.read(laptop).then(() => assert.fail('expected a failure'), (caught: unknown) => caught);
    assert.ok(error instanceof SecretStoreError);
    assert.equal(error.message, 'Secure storage failed to read a secret: unknown error');
    assert.equal(error.cause, thrown);
  });
});

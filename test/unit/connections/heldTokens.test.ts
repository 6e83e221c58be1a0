import * as assert from 'node:assert/strict';
import { HELD_TOKENS_STATE_KEY, HeldTokens, SecretStoreError, TokenVault } from '../../../src/core/tokens/heldTokens';
import { signInSecretKey, tokenSecretKey } from '../../../src/core/secrets/keys';
import { freshTokenValue } from '../support/fakeTokenApi';
import { memorySecretStore } from '../support/memorySecretStore';
import { memoryState } from '../support/memoryState';

const ref = { connectionId: 'c1', login: 'alice', name: 'laptop' };

function vault() {
  const state = memoryState();
  const secrets = memorySecretStore();
  const index = new HeldTokens(state);
  return { state, secrets, index, vault: new TokenVault(secrets, index) };
}

describe('TokenVault and HeldTokens', () => {
  it('stores the value under its key and lists it as held, without the value in state', async () => {
    const { state, secrets, index, vault: tokens } = vault();
    const value = freshTokenValue();
    await tokens.store(ref, value);
    assert.equal(secrets.values.get(tokenSecretKey(ref)), value);
    assert.deepEqual(index.list(), [ref]);
    assert.equal(index.has(ref), true);
    assert.equal(await tokens.read(ref), value);
    assert.ok(!state.dump().includes(value));
  });

  it('writes the secret first: a failed store leaves the index untouched', async () => {
    const { secrets, index, vault: tokens } = vault();
    secrets.failing.add('store');
    await assert.rejects(tokens.store(ref, freshTokenValue()), SecretStoreError);
    assert.deepEqual(index.list(), []);
  });

  it('deletes the secret first: a failed delete keeps the token listed as held', async () => {
    const { secrets, index, vault: tokens } = vault();
    await tokens.store(ref, freshTokenValue());
    secrets.failing.add('delete');
    await assert.rejects(tokens.delete(ref), SecretStoreError);
    assert.equal(index.has(ref), true);
    secrets.failing.clear();
    await tokens.delete(ref);
    assert.equal(index.has(ref), false);
    assert.equal(secrets.values.size, 0);
  });

  it('keeps "missing" and "unreadable" apart', async () => {
    const { secrets, vault: tokens } = vault();
    assert.equal(await tokens.read(ref), undefined);
    secrets.failing.add('get');
    await assert.rejects(tokens.read(ref), (error: unknown) => error instanceof SecretStoreError && error.operation === 'read');
    await assert.rejects(tokens.readSignIn('c1'), SecretStoreError);
  });

  it('keeps sign-in tokens under their own key and removes a connection entirely', async () => {
    const { secrets, index, vault: tokens } = vault();
    const signIn = freshTokenValue();
    await tokens.storeSignIn('c1', signIn);
    await tokens.store(ref, freshTokenValue());
    await tokens.store({ ...ref, connectionId: 'c2' }, freshTokenValue());
    assert.equal(secrets.values.get(signInSecretKey('c1')), signIn);
    assert.equal(await tokens.readSignIn('c1'), signIn);
    await tokens.deleteConnection('c1');
    assert.deepEqual(index.list(), [{ ...ref, connectionId: 'c2' }]);
    assert.deepEqual([...secrets.values.keys()], [tokenSecretKey({ ...ref, connectionId: 'c2' })]);
  });

  it('adds each ref once, fires changes, and drops invalid stored entries', async () => {
    const state = memoryState({ [HELD_TOKENS_STATE_KEY]: [ref, { connectionId: 'c1' }, 7] });
    const index = new HeldTokens(state);
    let changes = 0;
    index.onDidChange(() => changes++);
    assert.deepEqual(index.list(), [ref]);
    await index.add(ref);
    assert.equal(changes, 0);
    await index.add({ ...ref, name: 'other' });
    assert.deepEqual(index.listFor('c1').map((held) => held.name), ['laptop', 'other']);
    assert.equal(changes, 1);
  });
});

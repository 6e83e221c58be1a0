// The SecretStorage keys are a stored format: every token already held is found under them. They are written out
// literally here, so a change that would orphan every stored token fails instead of round-tripping with itself.
import * as assert from 'node:assert/strict';
import { parseSecretKey, sameTokenRef, signInSecretKey, tokenSecretKey } from '../../../src/core/secrets/keys';

describe('secret storage keys', () => {
  it('stores the sign-in token of a connection under sonarqubeTokens.signIn:<connection id>', () => {
    assert.equal(signInSecretKey('conn-1'), 'sonarqubeTokens.signIn:conn-1');
    assert.deepEqual(parseSecretKey('sonarqubeTokens.signIn:conn-1'), { kind: 'signIn', connectionId: 'conn-1' });
  });

  it('stores a held token under sonarqubeTokens.token:<connection>|<login>|<name>, each part URI-encoded', () => {
    const ref = { connectionId: 'conn|1', login: 'alice@example.com', name: 'ci 100% | nightly' };
    const key = 'sonarqubeTokens.token:conn%7C1|alice%40example.com|ci%20100%25%20%7C%20nightly';
    assert.equal(tokenSecretKey(ref), key);
    assert.deepEqual(parseSecretKey(key), { kind: 'token', ref });
  });

  it('reads back the keys written by version 0.1.0', () => {
    assert.deepEqual(parseSecretKey('sonarqubeTokens.token:b7e0c2d4|bob|laptop'), { kind: 'token', ref: { connectionId: 'b7e0c2d4', login: 'bob', name: 'laptop' } });
  });

  it('ignores keys that are not its own or not whole', () => {
    for (const key of [
      'sonarlint.token:conn-1',
      'sonarqubeTokens.signIn:',
      'sonarqubeTokens.token:conn|alice',
      'sonarqubeTokens.token:conn|alice|name|extra',
      'xsonarqubeTokens.token:conn|alice|name',
      'sonarqubeTokensXtoken:conn|alice|name',
    ]) {
      assert.equal(parseSecretKey(key), undefined, key);
    }
  });

  it('tells token refs apart by connection, login and name', () => {
    const ref = { connectionId: 'c', login: 'alice', name: 'ci' };
    assert.equal(sameTokenRef(ref, { ...ref }), true);
    assert.equal(sameTokenRef(ref, { ...ref, connectionId: 'd' }), false);
    assert.equal(sameTokenRef(ref, { ...ref, login: 'bob' }), false);
    assert.equal(sameTokenRef(ref, { ...ref, name: 'cd' }), false);
  });
});

import * as assert from 'node:assert/strict';
import { revokeTokenFlow } from '../../../src/core/flows/revokeToken';
import { signInSecretKey, tokenSecretKey } from '../../../src/core/secrets/keys';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { ScriptStep } from '../support/scriptedPrompter';
import { freshTokenValue } from '../support/fakeTokenApi';
import { environment, serverConnection } from './harness';

const ref = { connectionId: 'conn-1', login: 'alice', name: 'laptop' };

async function heldEnvironment(script: ScriptStep[], apiOptions = {}) {
  const env = environment(script, { tokens: { alice: [{ name: 'laptop', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] }, ...apiOptions });
  const value = freshTokenValue();
  await env.vault.store(ref, value);
  return { ...env, value };
}

describe('revokeTokenFlow', () => {
  it('does nothing unless confirmed', async () => {
    const env = await heldEnvironment([{ confirm: false }]);
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [] }), { revoked: false });
    assert.equal(env.api.calls.length, 0);
    assert.ok(env.index.has(ref));
  });

  it('names the token, the connection and what uses it, then revokes and forgets the value', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    const result = await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: ['SonarQube for IDE connection "acme"', 'MCP server in .vscode/mcp.json'] });
    assert.deepEqual(result, { revoked: true, signedOut: false });
    const confirm = env.prompter.calls[0];
    assert.match(confirm.text, /^Revoke token laptop on sonar\.example\.com\?/);
    assert.match(confirm.text, /These stop working:\n• SonarQube for IDE connection "acme"\n• MCP server in \.vscode\/mcp\.json/);
    assert.doesNotMatch(confirm.text, /sign in again/);
    // The sign-in still works afterwards: the revoked token was not the one this connection signs in with.
    assert.deepEqual(env.api.calls, [{ method: 'revokeToken', args: { name: 'laptop' } }, { method: 'currentUser', args: undefined }]);
    assert.equal(env.secrets.values.has(tokenSecretKey(ref)), false);
    assert.deepEqual(env.index.list(), []);
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop was revoked on sonar.example.com.']);
    env.assertNoLeak(env.value);
  });

  it('warns when it is the sign-in token, and removes that secret too', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    await env.vault.storeSignIn('conn-1', 'sign-in-token-value');
    const result = await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [], isSignInToken: true });
    assert.deepEqual(result, { revoked: true, signedOut: true });
    assert.match(env.prompter.calls[0].text, /the token this extension signs in to sonar\.example\.com with: you will have to sign in again/);
    assert.equal(env.secrets.values.has(signInSecretKey('conn-1')), false);
    assert.match(env.prompter.messages('info')[0], /sign in again to keep using this connection/);
  });

  it('finds out after the revoke that it was the sign-in token, and says to sign in again', async () => {
    const env = await heldEnvironment([{ confirm: true }], { signInTokenName: 'laptop' });
    await env.vault.storeSignIn('conn-1', 'sign-in-token-value');
    const result = await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [] });
    assert.deepEqual(result, { revoked: true, signedOut: true });
    assert.equal(env.secrets.values.has(signInSecretKey('conn-1')), false);
    assert.deepEqual(env.prompter.messages('info'), [
      'Token laptop was revoked on sonar.example.com. It was the token this extension signed in with: sign in again to keep using this connection.',
    ]);
  });

  it('keeps the sign-in when the check after the revoke fails for another reason', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    await env.vault.storeSignIn('conn-1', 'sign-in-token-value');
    env.api.failNext('currentUser', new SonarApiError('network', 'socket hang up', { code: 'ECONNRESET' }));
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [] }), { revoked: true, signedOut: false });
    assert.equal(env.secrets.values.has(signInSecretKey('conn-1')), true);
  });

  it('revokes another user\'s token with their login', async () => {
    const env = environment([{ confirm: true }], { user: { isAdmin: true }, tokens: { bob: [{ name: 'ci', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } });
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, { login: 'bob', name: 'ci' }, { usedBy: [] }), { revoked: true, signedOut: false });
    // Another user's token is never the one this connection signs in with: no check afterwards.
    assert.deepEqual(env.api.calls, [{ method: 'revokeToken', args: { name: 'ci', login: 'bob' } }]);
    assert.match(env.prompter.calls[0].text, /belongs to bob/);
  });

  it('reports an unknown outcome as unconfirmed and keeps the value', async () => {
    for (const error of [
      new SonarApiError('timeout', 'timed out', { maybeDelivered: true }),
      new SonarApiError('network', 'socket hang up', { code: 'ECONNRESET', maybeDelivered: true }),
    ]) {
      const env = await heldEnvironment([{ confirm: true }]);
      env.api.failNext('revokeToken', error);
      assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [] }), { revoked: 'unconfirmed' });
      assert.match(env.prompter.messages('warn')[0], /not confirmed that token laptop was revoked on sonar\.example\.com/);
      assert.ok(env.index.has(ref));
      env.assertNoLeak(env.value);
    }
  });

  it('shows a refusal and keeps the value', async () => {
    const env = await heldEnvironment([{ confirm: true }], { user: { isAdmin: false } });
    const result = await revokeTokenFlow(env.deps, serverConnection, { login: 'bob', name: 'ci' }, { usedBy: [] });
    assert.deepEqual(result, { revoked: false });
    assert.match(env.prompter.messages('error')[0], /sonar\.example\.com refused: your account lacks the permission for this\. The server said: Insufficient privileges/);
    assert.ok(env.index.has(ref));
  });

  it('still reports the revoke when secure storage fails to forget the value', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    env.secrets.failing.add('delete');
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [] }), { revoked: true, signedOut: false });
    assert.match(env.prompter.messages('warn')[0], /was revoked, but its value could not be removed from secure storage/);
  });
});

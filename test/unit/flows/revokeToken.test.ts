import * as assert from 'node:assert/strict';
import { revokeTokenFlow } from '../../../src/core/flows/revokeToken';
import { signInSecretKey, tokenSecretKey } from '../../../src/core/secrets/keys';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { ScriptStep } from '../support/scriptedPrompter';
import { freshTokenValue } from '../support/fakeTokenApi';
import { environment, recordedJournal, serverConnection } from './harness';

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

  it('asks word for word with everything that breaks, revokes under a progress naming the token, and logs each step', async () => {
    const env = environment([{ confirm: true }], { user: { isAdmin: true }, tokens: { bob: [{ name: 'ci', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } });
    const bobRef = { connectionId: 'conn-1', login: 'bob', name: 'ci' };
    const value = freshTokenValue();
    await env.vault.store(bobRef, value);
    const cleaned: unknown[] = [];
    const result = await revokeTokenFlow(env.deps, serverConnection, { login: 'bob', name: 'ci' }, { usedBy: ['MCP server in .vscode/mcp.json'], isSignInToken: false, cleanUp: async (which) => void cleaned.push(which) });
    assert.deepEqual(result, { revoked: true, signedOut: false });
    assert.deepEqual(env.prompter.calls, [
      {
        kind: 'confirm',
        text: 'Revoke token ci on sonar.example.com?\nThe token belongs to bob.\n\nThese stop working:\n• MCP server in .vscode/mcp.json\n\nThis cannot be undone.',
        actions: ['Revoke'],
      },
      { kind: 'progress', text: 'Revoking token ci on sonar.example.com…' },
      { kind: 'info', text: 'Token ci was revoked on sonar.example.com.', actions: [] },
    ]);
    assert.deepEqual(env.logger.lines, ['info [revoke] revoked "ci" of bob on sonar.example.com']);
    assert.deepEqual(cleaned, [bobRef]);
    assert.equal(env.secrets.values.has(tokenSecretKey(bobRef)), false);
    env.assertNoLeak(value);
  });

  it('says only that it cannot be undone when nothing uses the token, and tells of the sign-in when it is that token', async () => {
    const plain = await heldEnvironment([{ confirm: false }]);
    await revokeTokenFlow(plain.deps, serverConnection, ref, { usedBy: [] });
    assert.equal(plain.prompter.calls[0].text, 'Revoke token laptop on sonar.example.com?\nThis cannot be undone.');

    const signIn = await heldEnvironment([{ confirm: false }]);
    await revokeTokenFlow(signIn.deps, serverConnection, ref, { usedBy: [], isSignInToken: true });
    assert.equal(
      signIn.prompter.calls[0].text,
      'Revoke token laptop on sonar.example.com?\nThis is the token this extension signs in to sonar.example.com with: you will have to sign in again.\n\nThis cannot be undone.',
    );
    assert.deepEqual(signIn.api.calls, []);
  });

  it('when told the token is not the sign-in one, asks the server nothing more and keeps the sign-in', async () => {
    const env = await heldEnvironment([{ confirm: true }], { signInTokenName: 'laptop' });
    await env.vault.storeSignIn('conn-1', 'sign-in-token-value');
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [], isSignInToken: false }), { revoked: true, signedOut: false });
    assert.deepEqual(env.api.calls.map((call) => call.method), ['revokeToken']);
    assert.equal(env.secrets.values.get(signInSecretKey('conn-1')), 'sign-in-token-value');
  });

  it('logs that the revoked token was the sign-in token, and removes both values', async () => {
    const env = await heldEnvironment([{ confirm: true }], { signInTokenName: 'laptop' });
    await env.vault.storeSignIn('conn-1', 'sign-in-token-value');
    await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [] });
    assert.deepEqual(env.logger.lines, ['info [revoke] revoked "laptop" of alice on sonar.example.com', 'info [revoke] "laptop" was the sign-in token of sonar.example.com']);
    assert.deepEqual(env.secrets.values, new Map());
    env.assertNoLeak(env.value);
  });

  it('when the caller reports, says nothing itself but still forgets the value and cleans up', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    let cleanedUp = 0;
    const result = await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [], reportsSuccess: false, cleanUp: async () => void cleanedUp++ });
    assert.deepEqual(result, { revoked: true, signedOut: false });
    assert.deepEqual(env.prompter.calls.map((call) => call.kind), ['confirm', 'progress']);
    assert.equal(cleanedUp, 1);
    assert.deepEqual(env.index.list(), []);
  });

  it('Cancel before the revoke went out keeps the value, the bindings and says nothing', async () => {
    const env = await heldEnvironment([{ confirm: true }, { cancelProgress: 'Revoking token' }]);
    env.api.hangNext('revokeToken');
    let cleanedUp = 0;
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [], cleanUp: async () => void cleanedUp++ }), { revoked: false });
    env.prompter.assertDone();
    assert.deepEqual(env.prompter.calls.map((call) => call.kind), ['confirm', 'progress']);
    assert.equal(cleanedUp, 0);
    assert.equal(env.secrets.values.get(tokenSecretKey(ref)), env.value);
    assert.deepEqual(env.logger.lines, ['warn [revoke] revoking "laptop" on sonar.example.com failed: cancelled revokeToken']);
  });

  it('on a refusal keeps the value and the bindings, and logs why', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    env.api.failNext('revokeToken', new SonarApiError('forbidden', 'HTTP 403', { status: 403, endpoint: 'api/user_tokens/revoke' }));
    let cleanedUp = 0;
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [], cleanUp: async () => void cleanedUp++ }), { revoked: false });
    assert.equal(cleanedUp, 0);
    assert.equal(env.secrets.values.get(tokenSecretKey(ref)), env.value);
    assert.deepEqual(env.logger.lines, ['warn [revoke] revoking "laptop" on sonar.example.com failed: forbidden 403 api/user_tokens/revoke']);
    assert.deepEqual(env.prompter.messages('error'), ['sonar.example.com refused: your account lacks the permission for this.']);
  });

  it('an unconfirmed revoke says how to find out, word for word, and cleans nothing up', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    env.api.failNext('revokeToken', new SonarApiError('timeout', 'timed out', { maybeDelivered: true, endpoint: 'api/user_tokens/revoke' }));
    let cleanedUp = 0;
    assert.deepEqual(await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [], cleanUp: async () => void cleanedUp++ }), { revoked: 'unconfirmed' });
    assert.equal(cleanedUp, 0);
    assert.deepEqual(env.prompter.messages('error'), []);
    assert.deepEqual(env.prompter.messages('warn'), [
      'It is not confirmed that token laptop was revoked on sonar.example.com: sonar.example.com did not answer in time. Check your network and proxy, or raise the setting sonarqubeTokens.requestTimeoutSeconds. Refresh the Tokens view to check, or revoke it again.',
    ]);
  });

  it('when secure storage cannot forget the value, logs the error\'s name and says so word for word', async () => {
    const env = await heldEnvironment([{ confirm: true }]);
    env.secrets.failing.add('delete');
    await revokeTokenFlow(env.deps, serverConnection, ref, { usedBy: [] });
    assert.deepEqual(env.logger.lines.filter((line) => line.startsWith('error')), ['error [revoke] removing the value of "laptop" from secure storage failed: SecretStoreError']);
    assert.deepEqual(env.prompter.messages('warn'), [
      'Token laptop was revoked, but its value could not be removed from secure storage: Secure storage is not available (Secure storage failed to delete a secret: Error: keychain is locked (delete)). Check that your system keychain is unlocked, then try again.',
    ]);
    env.assertNoLeak(env.value);
  });

  it('keeps in the journal which token it revokes until the server answered, then that it was revoked and whether it signed out, then nothing', async () => {
    const env = await heldEnvironment([{ confirm: true }], { signInTokenName: 'laptop' });
    const { journal, written } = recordedJournal(env);
    const cleanUps: unknown[] = [];
    await revokeTokenFlow({ ...env.deps, journal }, serverConnection, ref, { usedBy: [], cleanUp: async () => void cleanUps.push(structuredClone(written.at(-1))) });
    assert.deepEqual(written, [
      [{ op: 'revoke', step: 'revoking', ref }],
      [{ op: 'revoke', step: 'revoked', ref, signedOut: true }],
      [],
    ]);
    assert.deepEqual(cleanUps, [[{ op: 'revoke', step: 'revoked', ref, signedOut: true }]], 'bindings are removed while the journal says revoked');

    const other = environment([{ confirm: true }], { user: { isAdmin: true }, tokens: { bob: [{ name: 'ci', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } });
    const recorded = recordedJournal(other);
    await revokeTokenFlow({ ...other.deps, journal: recorded.journal }, serverConnection, { login: 'bob', name: 'ci' }, { usedBy: [] });
    assert.deepEqual(recorded.written[0], [{ op: 'revoke', step: 'revoking', ref: { connectionId: 'conn-1', login: 'bob', name: 'ci' }, forLogin: 'bob' }]);
  });

  it('leaves nothing in the journal when the revoke fails or is unconfirmed', async () => {
    for (const error of [new SonarApiError('forbidden', 'HTTP 403', { status: 403 }), new SonarApiError('timeout', 'timed out', { maybeDelivered: true })]) {
      const env = await heldEnvironment([{ confirm: true }]);
      const { journal, written } = recordedJournal(env);
      env.api.failNext('revokeToken', error);
      await revokeTokenFlow({ ...env.deps, journal }, serverConnection, ref, { usedBy: [] });
      assert.deepEqual(written, [[{ op: 'revoke', step: 'revoking', ref }], []]);
    }
  });
});

// Add Connection, Sign in again and Remove Connection as the commands run them: the same question of how to sign in
// (browser or paste) for both sign-ins, then the checks before anything is stored or removed.
import * as assert from 'node:assert/strict';
import { removeConnection } from '../../../src/core/flows/removeConnection';
import { renewSignIn, signInAgain } from '../../../src/core/flows/renewSignIn';
import { addConnection } from '../../../src/core/flows/signIn';
import type { AddConnectionDeps } from '../../../src/core/flows/signIn';
import type { BrowserSignInRequest } from '../../../src/core/flows/signInWithBrowser';
import { signInSecretKey, tokenSecretKey } from '../../../src/core/secrets/keys';
import type { TokenRef } from '../../../src/core/secrets/keys';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { SonarTarget } from '../../../src/core/sonar/types';
import type { ScriptStep } from '../support/scriptedPrompter';
import { freshTokenValue } from '../support/fakeTokenApi';
import type { FakeTokenApiOptions } from '../support/fakeTokenApi';
import { environment, recordedJournal, serverConnection } from './harness';

const BROWSER = '$(globe) Sign in with browser';
const PASTE = '$(key) Paste a user token';

/** `browserToken` is what the browser sign-in hands over (undefined: the person gave up in the browser). */
function connectionEnvironment(script: ScriptStep[], browserToken?: string, apiOptions: FakeTokenApiOptions = {}) {
  const env = environment(script, { ...apiOptions, user: { login: 'alice', name: 'Alice', isAdmin: false, canScan: true, ...apiOptions.user } });
  const browserRequests: BrowserSignInRequest[] = [];
  const apiTokens: string[] = [];
  const deps: AddConnectionDeps = {
    ...env.deps,
    parseServerUrl: (input) => ({ ok: true, target: { kind: 'server', serverUrl: input.trim() } }),
    createApi: (_target: SonarTarget, token: string) => {
      apiTokens.push(token);
      return env.api;
    },
    tokenFromBrowser: async (request) => {
      browserRequests.push(request);
      return browserToken;
    },
  };
  return { ...env, deps, browserRequests, apiTokens };
}

describe('addConnection', () => {
  it('pastes a user token after asking where and how (each way explained), then stores the connection', async () => {
    const token = freshTokenValue();
    const env = connectionEnvironment([
      { input: 'https://sonar.example.com' },
      {
        pick: (items) => {
          assert.deepEqual(items.map((item) => [item.label, item.detail]), [
            [BROWSER, 'Allow the connection on https://sonar.example.com; the token comes straight to secure storage.'],
            [PASTE, 'A user token from My Account > Security.'],
          ]);
          return items[1].value;
        },
      },
      { input: async (options) => (assert.equal(options.password, true), assert.match((await options.validate?.(freshTokenValue('GLOBAL_ANALYSIS_TOKEN'))) ?? '', /analysis tokens/), ` ${token} `) },
    ]);
    const record = await addConnection(env.deps, 'server');
    env.prompter.assertDone();
    assert.equal(record?.login, 'alice');
    assert.equal(env.secrets.values.get(signInSecretKey(record!.id)), token);
    assert.deepEqual(env.apiTokens, [token]);
    assert.deepEqual(env.browserRequests, []);
    assert.equal(env.prompter.calls[1].text, 'Add SonarQube Connection How do you want to sign in?');
    assert.deepEqual(env.prompter.messages('info'), ['Signed in to sonar.example.com as Alice.']);
    env.assertNoLeak(token);
  });

  it('takes the token the browser sign-in delivered, and checks it before storing', async () => {
    const token = freshTokenValue();
    const env = connectionEnvironment([{ pick: 'SonarQube Cloud (EU)' }, { pick: BROWSER }, { pick: 'Acme' }], token, { organizations: [{ key: 'acme', name: 'Acme' }] });
    const record = await addConnection(env.deps);
    env.prompter.assertDone();
    assert.deepEqual(env.browserRequests, [{ target: { kind: 'cloud', region: 'EU' }, title: 'Add SonarQube Connection' }]);
    assert.deepEqual(record?.target, { kind: 'cloud', region: 'EU', organization: 'acme' });
    assert.equal(env.secrets.values.get(signInSecretKey(record!.id)), token);
    env.assertNoLeak(token);
  });

  it('adds nothing and asks nothing more when the person cancels the URL, the method, the paste or the browser', async () => {
    const scripts: Array<[ScriptStep[], string | undefined]> = [
      [[{ input: undefined }], undefined],
      [[{ input: 'https://sonar.example.com' }, { pick: undefined }], undefined],
      [[{ input: 'https://sonar.example.com' }, { pick: PASTE }, { input: undefined }], undefined],
      [[{ input: 'https://sonar.example.com' }, { pick: BROWSER }], undefined],
    ];
    for (const [script, browserToken] of scripts) {
      const env = connectionEnvironment(script, browserToken);
      assert.equal(await addConnection(env.deps, 'server'), undefined);
      env.prompter.assertDone();
      assert.deepEqual(env.apiTokens, []);
      assert.equal(env.state.dump(), '');
      assert.equal(env.secrets.values.size, 0);
    }
  });
});

describe('signInAgain', () => {
  it('replaces the sign-in token with a pasted one of the same user, asking under the connection\'s name', async () => {
    const old = freshTokenValue();
    const token = freshTokenValue();
    const env = connectionEnvironment([
      { pick: PASTE },
      { input: async (options) => (assert.equal(options.prompt, 'Paste a user token of alice'), assert.equal(await options.validate?.('  '), 'Paste a user token.'), `${token}\n`) },
    ]);
    await env.connections.add({ ...serverConnection }, serverConnection.id);
    await env.vault.storeSignIn(serverConnection.id, old);
    assert.equal(await signInAgain(env.deps, serverConnection), true);
    env.prompter.assertDone();
    assert.equal(env.prompter.calls[0].text, 'Sign in to sonar.example.com How do you want to sign in?');
    assert.equal(env.secrets.values.get(signInSecretKey(serverConnection.id)), token);
    assert.deepEqual(env.prompter.messages('info'), ['Signed in to sonar.example.com again as alice.']);
    env.assertNoLeak(old, token);
  });

  it('records when the new sign-in token expires, and says so in the log', async () => {
    const token = freshTokenValue();
    const env = connectionEnvironment([{ pick: PASTE }, { input: token }], undefined, { user: { tokenExpiration: '2026-03-10T00:00:00+0000' } });
    await env.connections.add({ ...serverConnection }, serverConnection.id);
    assert.equal(await signInAgain(env.deps, serverConnection), true);
    assert.equal(env.connections.list()[0].signInExpiresAt, '2026-03-10T00:00:00+0000');
    assert.deepEqual(env.logger.lines, ['info [signIn] sign-in token of sonar.example.com replaced; it expires 2026-03-10T00:00:00+0000']);
    env.assertNoLeak(token);
  });

  /** Sign in again with a pasted token whose check fails as set up by `arrange`; the old token must stay. */
  async function renewalKeepingTheOldToken(arrange: (env: ReturnType<typeof connectionEnvironment>) => void, script: ScriptStep[] = [], apiOptions: FakeTokenApiOptions = {}) {
    const old = freshTokenValue();
    const token = freshTokenValue();
    const env = connectionEnvironment([{ pick: PASTE }, { input: token }, ...script], undefined, apiOptions);
    await env.connections.add({ ...serverConnection }, serverConnection.id);
    await env.vault.storeSignIn(serverConnection.id, old);
    arrange(env);
    assert.equal(await signInAgain(env.deps, serverConnection), false);
    env.prompter.assertDone();
    assert.equal(env.secrets.values.get(signInSecretKey(serverConnection.id)), old);
    assert.deepEqual(env.prompter.messages('info'), []);
    env.assertNoLeak(old, token);
    return env;
  }

  it('keeps the old token when the new one belongs to another user, and says whose it is', async () => {
    const env = await renewalKeepingTheOldToken(() => undefined, [], { user: { login: 'bob' } });
    assert.deepEqual(env.prompter.messages('error'), [
      'That token belongs to bob, but this connection signs in as alice. Use a token of alice, or add a new connection for bob.',
    ]);
  });

  it('keeps the old token when the server refuses the new one, and says why', async () => {
    const env = await renewalKeepingTheOldToken((setup) =>
      setup.api.failNext('currentUser', new SonarApiError('unauthorized', 'HTTP 401', { status: 401, endpoint: 'api/users/current' })),
    );
    assert.deepEqual(env.prompter.messages('error'), [
      'sonar.example.com did not accept the sign-in token: it may have expired or been revoked. Sign in again.',
    ]);
    assert.deepEqual(env.logger.lines, ['warn [signIn] renewing the sign-in of sonar.example.com failed: unauthorized 401 api/users/current']);
  });

  it('keeps the old token and says nothing when the person cancels the check', async () => {
    const env = await renewalKeepingTheOldToken((setup) => setup.api.hangNext('searchTokens'), [{ cancelProgress: 'Checking the token with sonar.example.com' }]);
    assert.deepEqual(env.prompter.messages('error'), []);
    assert.deepEqual(env.logger.lines, []);
  });

  it('asks the browser for a token of the connection\'s login, and keeps the old one when the browser gives none', async () => {
    const old = freshTokenValue();
    const env = connectionEnvironment([{ pick: BROWSER }]);
    await env.vault.storeSignIn(serverConnection.id, old);
    assert.equal(await signInAgain(env.deps, serverConnection), false);
    env.prompter.assertDone();
    assert.deepEqual(env.browserRequests, [{ target: serverConnection.target, title: 'Sign in to sonar.example.com', login: 'alice' }]);
    assert.equal(env.secrets.values.get(signInSecretKey(serverConnection.id)), old);
    assert.deepEqual(env.apiTokens, []);
    env.assertNoLeak(old);
  });
});

describe('renewSignIn', () => {
  it('checks the new token as the connection\'s user under a progress, replaces the old one and clears an expiry the new one does not have', async () => {
    const old = freshTokenValue();
    const token = freshTokenValue();
    const env = connectionEnvironment([]);
    await env.connections.add({ ...serverConnection, signInExpiresAt: '2025-03-11T00:00:00+0000' }, serverConnection.id);
    await env.vault.storeSignIn(serverConnection.id, old);
    assert.equal(await renewSignIn(env.deps, serverConnection, token), true);
    assert.deepEqual(env.apiTokens, [token]);
    assert.deepEqual(env.api.calls.map((call) => call.method), ['currentUser', 'searchTokens']);
    assert.deepEqual(env.prompter.calls, [
      { kind: 'progress', text: 'Checking the token with sonar.example.com…' },
      { kind: 'info', text: 'Signed in to sonar.example.com again as alice.', actions: [] },
    ]);
    assert.equal(env.secrets.values.get(signInSecretKey(serverConnection.id)), token);
    assert.equal(env.connections.get(serverConnection.id)?.signInExpiresAt, undefined, 'the old token\'s expiry is not the new one\'s');
    assert.deepEqual(env.logger.lines.filter((line) => line.includes('[signIn]')), ['info [signIn] sign-in token of sonar.example.com replaced']);
    env.assertNoLeak(old, token);
  });

  it('keeps the old token when the new one cannot list tokens, and says it is not a user token', async () => {
    const old = freshTokenValue();
    const token = freshTokenValue();
    const env = connectionEnvironment([]);
    await env.connections.add({ ...serverConnection }, serverConnection.id);
    await env.vault.storeSignIn(serverConnection.id, old);
    env.api.failNext('searchTokens', new SonarApiError('forbidden', 'HTTP 403', { status: 403, endpoint: 'api/user_tokens/search' }));
    assert.equal(await renewSignIn(env.deps, serverConnection, token), false);
    assert.equal(env.secrets.values.get(signInSecretKey(serverConnection.id)), old);
    assert.deepEqual(env.prompter.messages('error'), ['This token cannot manage tokens: analysis tokens can only run analyses; create a user token in My Account > Security.']);
    assert.deepEqual(env.logger.lines, ['info [signIn] sonar.example.com refused to list tokens with the new sign-in token: not a user token']);
    env.assertNoLeak(old, token);
  });

  it('refuses an analysis token as it is typed, and without asking the server when one is given anyway', async () => {
    const analysis = freshTokenValue('GLOBAL_ANALYSIS_TOKEN');
    const env = connectionEnvironment([
      { pick: PASTE },
      {
        input: async (options) => {
          assert.equal(await options.validate?.(` ${freshTokenValue('PROJECT_ANALYSIS_TOKEN')}`), 'This token cannot manage tokens: analysis tokens can only run analyses; create a user token in My Account > Security.');
          assert.equal(await options.validate?.(freshTokenValue()), undefined);
          return undefined;
        },
      },
    ]);
    assert.equal(await signInAgain(env.deps, serverConnection), false);
    env.prompter.assertDone();
    assert.equal(await renewSignIn(env.deps, serverConnection, analysis), false);
    assert.deepEqual(env.apiTokens, []);
    assert.deepEqual(env.prompter.messages('error'), ['This token cannot manage tokens: analysis tokens can only run analyses; create a user token in My Account > Security.']);
    env.assertNoLeak(analysis);
  });

  it('pastes under the connection\'s title, hidden as it is typed', async () => {
    const token = freshTokenValue();
    const env = connectionEnvironment([{ pick: PASTE }, { input: async (options) => (assert.deepEqual([options.title, options.password], ['Sign in to sonar.example.com', true]), token) }]);
    await env.connections.add({ ...serverConnection }, serverConnection.id);
    assert.equal(await signInAgain(env.deps, serverConnection), true);
    env.prompter.assertDone();
    env.assertNoLeak(token);
  });
});

describe('removeConnection', () => {
  const ref: TokenRef = { connectionId: serverConnection.id, login: 'alice', name: 'ci' };

  it('says how many values go, and removes bindings, values, sign-in and record only once confirmed', async () => {
    const signIn = freshTokenValue();
    const held = freshTokenValue();
    const removedBindings: string[] = [];
    for (const confirm of [false, true]) {
      const env = connectionEnvironment([{ confirm }]);
      await env.connections.add({ ...serverConnection }, serverConnection.id);
      await env.vault.storeSignIn(serverConnection.id, signIn);
      await env.vault.store(ref, held);
      const deps = { ...env.deps, removeBindings: async (id: string) => void removedBindings.push(id) };
      assert.equal(await removeConnection(deps, serverConnection), confirm);
      env.prompter.assertDone();
      assert.equal(
        env.prompter.calls[0].text,
        'Remove the connection to sonar.example.com?\nIts sign-in token, the 1 token values kept for it and every binding made from it are removed from this computer. The tokens stay valid on the server: revoke them first if they should stop working.',
      );
      assert.deepEqual(env.prompter.calls[0].actions, ['Remove']);
      assert.equal(env.connections.list().length, confirm ? 0 : 1);
      assert.equal(env.secrets.values.size, confirm ? 0 : 2);
      env.assertNoLeak(signIn, held);
    }
    assert.deepEqual(removedBindings, [serverConnection.id]);
  });

  it('removes the bindings first: when they cannot go, the values and the record stay, and no journal entry is left for a retry', async () => {
    const env = connectionEnvironment([{ confirm: true }]);
    const { journal, written } = recordedJournal(env);
    await env.connections.add({ ...serverConnection }, serverConnection.id);
    const held = freshTokenValue();
    await env.vault.store(ref, held);
    const deps = { ...env.deps, journal, removeBindings: () => Promise.reject(new Error('~/.claude.json is read-only')) };
    await assert.rejects(removeConnection(deps, serverConnection), /read-only/);
    assert.equal(env.secrets.values.get(tokenSecretKey(ref)), held);
    assert.deepEqual(env.connections.list().map((record) => record.id), [serverConnection.id]);
    assert.deepEqual(written, [[{ op: 'removeConnection', step: 'removing', connectionId: serverConnection.id }], []]);
    env.assertNoLeak(held);
  });

  it('keeps in the journal which connection it removes until the record is gone, and leaves other connections\' values alone', async () => {
    const env = connectionEnvironment([{ confirm: true }]);
    const { journal, written } = recordedJournal(env);
    await env.connections.add({ ...serverConnection }, serverConnection.id);
    const other: TokenRef = { connectionId: 'conn-2', login: 'alice', name: 'other' };
    const otherValue = freshTokenValue();
    await env.vault.store(other, otherValue);
    await env.vault.store(ref, freshTokenValue());
    let journalDuringRecordRemoval: unknown;
    const remove = env.connections.remove.bind(env.connections);
    env.connections.remove = async (id) => ((journalDuringRecordRemoval = structuredClone(written.at(-1))), remove(id));
    assert.equal(await removeConnection({ ...env.deps, journal, removeBindings: async () => {} }, serverConnection), true);
    assert.deepEqual(journalDuringRecordRemoval, [{ op: 'removeConnection', step: 'removing', connectionId: serverConnection.id }]);
    assert.deepEqual(written.at(-1), []);
    assert.deepEqual([...env.secrets.values.values()], [otherValue]);
    assert.deepEqual(env.index.list(), [other]);
  });
});


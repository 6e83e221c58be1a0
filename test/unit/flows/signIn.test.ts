import * as assert from 'node:assert/strict';
import { addConnection, askSignInTarget, completeSignIn } from '../../../src/core/flows/signIn';
import type { AddConnectionDeps, ServerUrlParser } from '../../../src/core/flows/signIn';
import { signInSecretKey } from '../../../src/core/secrets/keys';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { SonarTarget } from '../../../src/core/sonar/types';
import type { ScriptStep } from '../support/scriptedPrompter';
import { freshTokenValue } from '../support/fakeTokenApi';
import type { FakeTokenApiOptions } from '../support/fakeTokenApi';
import { ConnectionStore } from '../../../src/core/connections/connectionStore';
import { NOW, environment } from './harness';

/** Enough of `parseServerUrl` for these flows: the real one is tested with the Web API client. */
const parseServerUrl: ServerUrlParser = (input) => {
  const text = input.trim();
  if (!/^https?:\/\/[^/?#]+/.test(text)) return { ok: false, reason: 'Start the URL with https:// or http://' };
  if (/sonarcloud\.io/.test(text)) return { ok: true, target: { kind: 'cloud', region: 'EU' } };
  return { ok: true, target: { kind: 'server', serverUrl: text.replace(/\/+$/, '') } };
};

function signInEnvironment(script: ScriptStep[], apiOptions: FakeTokenApiOptions = {}) {
  const env = environment(script, apiOptions);
  const apiTokens: string[] = [];
  const deps: AddConnectionDeps = {
    ...env.deps,
    parseServerUrl,
    tokenFromBrowser: () => Promise.reject(new Error('these tests paste the token')),
    createApi: (_target: SonarTarget, token: string) => {
      apiTokens.push(token);
      return env.api;
    },
  };
  return { ...env, deps, apiTokens };
}

const PASTE: ScriptStep = { pick: '$(key) Paste a user token' };

describe('Add Connection with a pasted token', () => {
  it('checks the token with the server, then stores the secret and the connection', async () => {
    const token = freshTokenValue();
    const env = signInEnvironment(
      [
        { pick: 'SonarQube Server' },
        {
          input: async (options) => {
            assert.match((await options.validate?.('sonar.example.com')) ?? '', /https:\/\//);
            return 'https://sonar.example.com/sq/';
          },
        },
        PASTE,
        { input: ` ${token} ` },
      ],
      { user: { login: 'alice', name: 'Alice', isAdmin: true, canScan: true }, version: '10.7.0.96327' },
    );
    const record = await addConnection(env.deps);
    env.prompter.assertDone();
    assert.deepEqual(
      { ...record, id: undefined },
      { id: undefined, target: { kind: 'server', serverUrl: 'https://sonar.example.com/sq' }, login: 'alice', userName: 'Alice', isAdmin: true, canScan: true, serverVersion: '10.7.0.96327', label: 'sonar.example.com/sq', addedAt: '2025-03-10T09:00:00.000Z' },
    );
    assert.ok(record);
    assert.deepEqual(env.apiTokens, [token]);
    assert.equal(env.secrets.values.get(signInSecretKey(record.id)), token);
    assert.deepEqual(env.connections.list(), [record]);
    assert.deepEqual(env.api.calls.map((call) => call.method), ['currentUser', 'searchTokens', 'serverInfo']);
    assert.deepEqual(env.prompter.calls.filter((call) => call.kind === 'progress').map((call) => call.text), ['Checking the token with sonar.example.com/sq…']);
    assert.deepEqual(env.logger.lines, [`info [signIn] added connection ${record.id} to sonar.example.com/sq as alice`]);
    assert.deepEqual(env.prompter.messages('info'), ['Signed in to sonar.example.com/sq as Alice.']);
    env.assertNoLeak(token);
  });

  it('asks where, the URL, how and the token, each saying what to enter', async () => {
    const token = freshTokenValue();
    const env = signInEnvironment([
      { pick: 'SonarQube Server' },
      { input: async (options) => (assert.equal(options.placeholder, 'https://sonarqube.example.com'), 'https://sonar.example.com') },
      PASTE,
      {
        input: async (options) => {
          assert.equal(await options.validate?.('   '), 'Paste a user token.');
          assert.equal(
            await options.validate?.(` ${freshTokenValue('GLOBAL_ANALYSIS_TOKEN')}`),
            'This token cannot manage tokens: analysis tokens can only run analyses; create a user token in My Account > Security.',
          );
          return token;
        },
      },
    ]);
    assert.ok(await addConnection(env.deps));
    env.prompter.assertDone();
    assert.deepEqual(
      env.prompter.calls.filter((call) => call.kind !== 'progress').map((call) => [call.kind, `${call.step}/${call.totalSteps}`, call.text, call.labels]),
      [
        ['pick', '1/3', 'Add SonarQube Connection Where do you want to sign in?', ["SonarQube Server your organization's own server", 'SonarQube Cloud (EU) sonarcloud.io', 'SonarQube Cloud (US) sonarqube.us']],
        ['input', '2/3', 'Add SonarQube Connection The URL of your SonarQube Server, with its context path if it has one', undefined],
        ['pick', 'undefined/undefined', 'Add SonarQube Connection How do you want to sign in?', ['$(globe) Sign in with browser', '$(key) Paste a user token']],
        ['input', 'undefined/undefined', 'Add SonarQube Connection Paste a user token from My Account > Security on sonar.example.com', undefined],
        ['info', 'undefined/undefined', 'Signed in to sonar.example.com as Alice.', undefined],
      ],
    );
    env.assertNoLeak(token);
  });

  for (const method of ['currentUser', 'searchTokens', 'serverInfo', 'listOrganizations'] as const) {
    it(`stores nothing and says nothing when the person cancels the check while ${method} is asked`, async () => {
      const token = freshTokenValue();
      const env = signInEnvironment([{ cancelProgress: 'Checking the token with' }], { organizations: [{ key: 'acme', name: 'Acme' }] });
      env.api.hangNext(method);
      const target: SonarTarget = method === 'listOrganizations' ? { kind: 'cloud', region: 'EU' } : { kind: 'server', serverUrl: 'https://sonar.example.com' };
      assert.equal(await completeSignIn(env.deps, target, token), undefined);
      env.prompter.assertDone();
      assert.deepEqual(env.prompter.calls.filter((call) => call.kind !== 'progress'), []);
      assert.equal(env.secrets.values.size, 0);
      assert.equal(env.state.dump(), '');
      env.assertNoLeak(token);
    });
  }

  it('refuses analysis tokens as they are typed, and in completeSignIn without asking the server', async () => {
    for (const type of ['GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'] as const) {
      const token = freshTokenValue(type);
      const env = signInEnvironment([
        { pick: 'SonarQube Cloud (EU)' },
        PASTE,
        {
          input: async (options) => {
            assert.match((await options.validate?.(token)) ?? '', /analysis tokens can only run analyses; .*My Account > Security/);
            assert.equal(options.password, true);
            return undefined;
          },
        },
      ]);
      assert.equal(await addConnection(env.deps), undefined);
      assert.equal(await completeSignIn(env.deps, { kind: 'cloud', region: 'EU' }, token), undefined);
      assert.match(env.prompter.messages('error')[0], /analysis tokens can only run analyses/);
      assert.deepEqual(env.apiTokens, []);
      assert.equal(env.secrets.values.size, 0);
    }
  });

  it('refuses a token the server will not let list tokens, and stores nothing', async () => {
    const token = freshTokenValue().slice(4);
    const env = signInEnvironment([]);
    env.api.failNext('searchTokens', new SonarApiError('forbidden', 'HTTP 403', { status: 403, endpoint: 'api/user_tokens/search' }));
    assert.equal(await completeSignIn(env.deps, { kind: 'server', serverUrl: 'https://sonar.example.com' }, token), undefined);
    assert.match(env.prompter.messages('error')[0], /analysis tokens can only run analyses; create a user token in My Account > Security/i);
    assert.deepEqual(env.logger.lines, ['info [signIn] sonar.example.com refused to list tokens with the given token: not a user token']);
    assert.equal(env.secrets.values.size, 0);
    assert.equal(env.state.dump(), '');
    env.assertNoLeak(token);
  });

  it('says why the server did not accept the token, and stores nothing', async () => {
    const token = freshTokenValue();
    const env = signInEnvironment([]);
    env.api.failNext('currentUser', new SonarApiError('unauthorized', 'HTTP 401', { status: 401 }));
    assert.equal(await completeSignIn(env.deps, { kind: 'server', serverUrl: 'https://sonar.example.com' }, token), undefined);
    assert.match(env.prompter.messages('error')[0], /sonar\.example\.com did not accept the sign-in token/);
    assert.deepEqual(env.logger.lines, ['warn [signIn] checking the token with sonar.example.com failed: unauthorized 401']);
    assert.equal(env.secrets.values.size, 0);
    env.assertNoLeak(token);
  });

  it('on Cloud picks the organization from the user\'s memberships', async () => {
    const organizations = [{ key: 'acme', name: 'Acme' }, { key: 'oss', name: 'Open Source' }];
    const env = signInEnvironment([{ pick: 'SonarQube Cloud (US)' }, PASTE, { input: freshTokenValue().slice(4) }, { pick: 'Open Source' }], { organizations });
    const record = await addConnection(env.deps);
    assert.deepEqual(record?.target, { kind: 'cloud', region: 'US', organization: 'oss' });
    assert.equal(record?.label, 'oss (US)');
    // Only the first question is counted: the way to sign in, the paste and the organization come unnumbered.
    assert.deepEqual(env.prompter.calls.filter((call) => call.step).map((call) => `${call.step}/${call.totalSteps}`), ['1/3']);
  });

  it('adds the connection without a version when the server does not say its version, and says so in the log', async () => {
    const env = signInEnvironment([]);
    env.api.failNext('serverInfo', new SonarApiError('notFound', 'HTTP 404', { status: 404, endpoint: 'api/server/version' }));
    const record = await completeSignIn(env.deps, { kind: 'server', serverUrl: 'https://sonar.example.com' }, freshTokenValue());
    assert.equal(record?.serverVersion, undefined);
    assert.deepEqual(env.connections.list().map((stored) => stored.id), [record?.id]);
    assert.equal(env.logger.lines[0], 'warn [signIn] server version of sonar.example.com unknown: notFound 404 api/server/version');
  });

  it('on Cloud asks which organization under the Add Connection title, each named with its key', async () => {
    const organizations = [{ key: 'acme', name: 'Acme' }, { key: 'oss', name: 'Open Source' }];
    const env = signInEnvironment([{ pick: 'Acme' }], { organizations });
    const record = await completeSignIn(env.deps, { kind: 'cloud', region: 'EU' }, freshTokenValue());
    assert.deepEqual(record?.target, { kind: 'cloud', region: 'EU', organization: 'acme' });
    assert.deepEqual(env.prompter.calls[1], { kind: 'pick', text: 'Add SonarQube Connection Organization', step: undefined, totalSteps: undefined, labels: ['Acme acme', 'Open Source oss'], options: env.prompter.calls[1].options });
  });

  it('on Cloud with the organization given, accepts it when the user is a member of it among others', async () => {
    const env = signInEnvironment([], { organizations: [{ key: 'acme', name: 'Acme' }, { key: 'oss', name: 'Open Source' }] });
    const record = await completeSignIn(env.deps, { kind: 'cloud', region: 'EU', organization: 'oss' }, freshTokenValue());
    assert.deepEqual(record?.target, { kind: 'cloud', region: 'EU', organization: 'oss' });
    assert.deepEqual(env.prompter.messages('error'), []);
  });

  it('on Cloud without memberships, or for an organization the user is not in, adds nothing', async () => {
    const none = signInEnvironment([]);
    assert.equal(await completeSignIn(none.deps, { kind: 'cloud', region: 'EU' }, 'abc123abc123'), undefined);
    assert.match(none.prompter.messages('error')[0], /not a member of any organization/);
    const other = signInEnvironment([], { organizations: [{ key: 'acme', name: 'Acme' }] });
    assert.equal(await completeSignIn(other.deps, { kind: 'cloud', region: 'EU', organization: 'oss' }, 'abc123abc123'), undefined);
    assert.match(other.prompter.messages('error')[0], /not a member of the organization oss/);
    assert.equal(none.secrets.values.size + other.secrets.values.size, 0);
  });

  it('refuses a second connection to the same place as the same user, before storing anything', async () => {
    const env = signInEnvironment([]);
    const target: SonarTarget = { kind: 'server', serverUrl: 'https://sonar.example.com' };
    assert.ok(await completeSignIn(env.deps, target, 'first-token-value'));
    const storedBefore = env.secrets.values.size;
    assert.equal(await completeSignIn(env.deps, { kind: 'server', serverUrl: 'https://SONAR.example.com/' }, 'second-token-value'), undefined);
    assert.match(env.prompter.messages('error')[0], /already signed in to sonar\.example\.com as alice/);
    assert.equal(env.secrets.values.size, storedBefore);
  });

  it('refuses a duplicate before touching secure storage, so a locked keychain does not hide the reason', async () => {
    const env = signInEnvironment([]);
    const target: SonarTarget = { kind: 'server', serverUrl: 'https://sonar.example.com' };
    assert.ok(await completeSignIn(env.deps, target, freshTokenValue()));
    env.secrets.failing.add('store');
    assert.equal(await completeSignIn(env.deps, target, freshTokenValue()), undefined);
    assert.deepEqual(env.prompter.messages('error'), ['You are already signed in to sonar.example.com as alice (connection "sonar.example.com").']);
  });

  it('when another window adds the same connection meanwhile, says so and removes the secret it stored', async () => {
    const token = freshTokenValue();
    const env = signInEnvironment([]);
    const target: SonarTarget = { kind: 'server', serverUrl: 'https://sonar.example.com' };
    const otherWindow = new ConnectionStore(env.state, { logger: env.logger, clock: { now: () => NOW } });
    const store = env.secrets.store.bind(env.secrets);
    env.secrets.store = async (key, value) => {
      await otherWindow.add({ target, login: 'alice', canScan: true });
      return store(key, value);
    };
    assert.equal(await completeSignIn(env.deps, target, token), undefined);
    assert.deepEqual(env.prompter.messages('error'), ['You are already signed in to sonar.example.com as alice (connection "sonar.example.com").']);
    assert.deepEqual(env.secrets.values, new Map());
    assert.equal(env.connections.list().length, 1);
    env.assertNoLeak(token);
  });

  it('removes the stored secret again when the connection cannot be recorded', async () => {
    const env = signInEnvironment([]);
    env.state.failUpdates = true;
    await assert.rejects(completeSignIn(env.deps, { kind: 'server', serverUrl: 'https://sonar.example.com' }, 'some-token-value'), /read-only/);
    assert.equal(env.secrets.values.size, 0);
  });

  it('says in the log when the secret of a connection that could not be recorded cannot be removed either', async () => {
    const env = signInEnvironment([]);
    env.state.failUpdates = true;
    env.secrets.failing.add('delete');
    await assert.rejects(completeSignIn(env.deps, { kind: 'server', serverUrl: 'https://sonar.example.com' }, 'some-token-value'), /read-only/);
    assert.deepEqual(env.logger.lines.filter((line) => line.startsWith('error ')), ['error [signIn] could not remove the sign-in token of the connection that was not added: SecretStoreError']);
  });

  it('asks only the region or only the URL when the kind is given', async () => {
    const cloud = signInEnvironment([{ pick: (items) => (assert.deepEqual(items.map((item) => item.label), ['SonarQube Cloud (EU)', 'SonarQube Cloud (US)']), items[1].value) }]);
    assert.deepEqual(await askSignInTarget(cloud.deps, 'cloud'), { kind: 'cloud', region: 'US' });
    const server = signInEnvironment([{ input: 'https://sonar.example.com' }]);
    assert.deepEqual(await askSignInTarget(server.deps, 'server'), { kind: 'server', serverUrl: 'https://sonar.example.com' });
    assert.equal(server.prompter.calls[0].step, 1);
  });

  it('stores nothing when cancelled at any step', async () => {
    const scripts: ScriptStep[][] = [
      [{ pick: undefined }],
      [{ pick: 'SonarQube Server' }, { input: undefined }],
      [{ pick: 'SonarQube Server' }, { input: 'https://sonar.example.com' }, { pick: undefined }],
      [{ pick: 'SonarQube Server' }, { input: 'https://sonar.example.com' }, PASTE, { input: undefined }],
      [{ pick: 'SonarQube Cloud (EU)' }, PASTE, { input: undefined }],
      [{ pick: 'SonarQube Cloud (EU)' }, PASTE, { input: 'abc123abc123' }, { pick: undefined }],
    ];
    for (const script of scripts) {
      const env = signInEnvironment(script, { organizations: [{ key: 'acme', name: 'Acme' }] });
      assert.equal(await addConnection(env.deps), undefined);
      env.prompter.assertDone();
      assert.equal(env.secrets.values.size, 0);
      assert.equal(env.state.dump(), '');
    }
  });

  it('names the user by login when the server gives no name, and records when the sign-in token expires', async () => {
    const token = freshTokenValue();
    const env = signInEnvironment([], { user: { login: 'alice', name: '', tokenExpiration: '2026-03-10T00:00:00+0000' } });
    const record = await completeSignIn(env.deps, { kind: 'server', serverUrl: 'https://sonar.example.com' }, token);
    assert.equal(record?.signInExpiresAt, '2026-03-10T00:00:00+0000');
    assert.deepEqual(env.prompter.messages('info'), ['Signed in to sonar.example.com as alice.']);
    env.assertNoLeak(token);
  });

  it('on Cloud shows each organization\'s description under its name', async () => {
    const organizations = [{ key: 'acme', name: 'Acme', description: 'The shop and its API' }];
    const env = signInEnvironment([{ pick: 'Acme' }], { organizations });
    await completeSignIn(env.deps, { kind: 'cloud', region: 'EU' }, freshTokenValue());
    const items = env.prompter.calls.find((call) => call.kind === 'pick')?.options as Array<{ detail?: string }>;
    assert.deepEqual(items.map((item) => item.detail), ['The shop and its API']);
  });
});


import * as assert from 'node:assert/strict';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import { tokenSecretKey } from '../../../src/core/secrets/keys';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { ScriptStep } from '../support/scriptedPrompter';
import { environment, recordedJournal, serverConnection } from './harness';

const acceptSuggestion: ScriptStep = { input: async (options) => options.value };
const userTokenScript: ScriptStep[] = [acceptSuggestion, { pick: 'User' }, { pick: '90 days' }, { pick: 'Keep in secure storage' }];
const lostAnswer = () => new SonarApiError('network', 'socket hang up', { code: 'ECONNRESET', maybeDelivered: true, endpoint: 'api/user_tokens/generate' });

describe('generateTokenFlow', () => {
  it('generates a User token with the suggested name and keeps the value in secure storage only', async () => {
    const env = environment(userTokenScript, { tokens: { alice: [{ name: 'ci', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } });
    const result = await generateTokenFlow(env.deps, serverConnection);
    env.prompter.assertDone();
    const ref = { connectionId: 'conn-1', login: 'alice', name: 'vscode-devbox-2025-03-10' };
    assert.deepEqual(result, { ref, type: 'USER_TOKEN', afterAction: 'keep' });
    const generate = env.api.calls.filter((call) => call.method === 'generateToken');
    assert.deepEqual(generate.map((call) => call.args), [{ name: ref.name, type: 'USER_TOKEN', expirationDate: '2025-06-08' }]);
    const value = env.secrets.values.get(tokenSecretKey(ref));
    assert.ok(value?.startsWith('squ_'));
    assert.deepEqual(env.index.list(), [ref]);
    assert.deepEqual(env.prompter.calls.filter((call) => call.step).map((call) => `${call.step}/${call.totalSteps}`), ['1/4', '2/4', '3/4', '4/4']);
    assert.match(env.prompter.messages('info')[0], /vscode-devbox-2025-03-10 was generated on sonar\.example\.com and is kept in secure storage/);
    env.assertNoLeak(String(value));
  });

  it('validates the name live against the listed tokens', async () => {
    const env = environment(
      [
        {
          input: async (options) => {
            assert.match((await options.validate?.('ci')) ?? '', /"ci" already exists/);
            assert.equal(await options.validate?.('CI'), undefined);
            return undefined;
          },
        },
      ],
      { tokens: { alice: [{ name: 'ci', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } },
    );
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    env.prompter.assertDone();
  });

  it('copies once to the clipboard after keeping the value, and arranges the clear', async () => {
    const env = environment([acceptSuggestion, { pick: 'User' }, { pick: '30 days' }, { pick: 'Copy once to the clipboard' }]);
    const result = await generateTokenFlow(env.deps, serverConnection);
    assert.equal(result?.afterAction, 'copy');
    assert.ok(result?.pendingClear);
    const value = env.secrets.values.get(tokenSecretKey(result.ref));
    assert.equal(env.clipboard.text, value);
    assert.match(env.prompter.messages('info')[0], /copied\. The clipboard will be cleared in 30 seconds/);
    env.assertNoLeak(value ?? '');
    result.pendingClear.dispose();
  });

  it('returns the caller\'s extra action', async () => {
    const env = environment([acceptSuggestion, { pick: 'User' }, { pick: 'No expiration' }, { pick: 'Bind now…' }]);
    const result = await generateTokenFlow(env.deps, serverConnection, { extraActions: [{ id: 'bind', label: 'Bind now…' }] });
    assert.equal(result?.afterAction, 'bind');
    assert.equal((env.api.calls.find((call) => call.method === 'generateToken')?.args as { expirationDate?: string }).expirationDate, undefined);
  });

  it('offers Global Analysis only with the scan permission, and picks a project for Project Analysis', async () => {
    const projects = [{ key: 'acme:web', name: 'Acme Web' }, { key: 'acme:api', name: 'Acme API' }];
    const env = environment(
      [
        acceptSuggestion,
        {
          pick: (items) => {
            assert.deepEqual(items.map((item) => item.label), ['User', 'Project Analysis']);
            return items[1].value;
          },
        },
        { searchPick: 'acme:api', query: 'api' },
        { pick: '30 days' },
        { pick: 'Keep in secure storage' },
      ],
      { user: { canScan: false }, projects },
    );
    const result = await generateTokenFlow(env.deps, { ...serverConnection, canScan: false });
    assert.equal(result?.type, 'PROJECT_ANALYSIS_TOKEN');
    const search = env.prompter.calls.find((call) => call.kind === 'searchPick');
    assert.deepEqual(search?.labels, ['Acme API']);
    assert.deepEqual(env.prompter.calls.filter((call) => call.step).map((call) => `${call.step}/${call.totalSteps}`), ['1/4', '2/4', '3/5', '4/5', '5/5']);
    assert.equal((env.api.calls.find((call) => call.method === 'generateToken')?.args as { projectKey?: string }).projectKey, 'acme:api');
  });

  it('for another user (admin) asks no type, sends the login and keeps the value under that login', async () => {
    const env = environment([acceptSuggestion, { pick: '90 days' }, { pick: 'Keep in secure storage' }], { user: { isAdmin: true }, tokens: { bob: [] } });
    const result = await generateTokenFlow(env.deps, serverConnection, { forLogin: 'bob' });
    assert.deepEqual(result?.ref, { connectionId: 'conn-1', login: 'bob', name: 'vscode-devbox-2025-03-10' });
    const generate = env.api.calls.find((call) => call.method === 'generateToken')?.args as { login?: string; type?: string };
    assert.deepEqual([generate.login, generate.type], ['bob', 'USER_TOKEN']);
    assert.ok(env.secrets.values.has(tokenSecretKey(result.ref)));
    assert.ok(env.prompter.calls[1].text.includes('for bob'));
  });

  it('takes a custom date within an enforced maximum', async () => {
    const env = environment(
      [
        acceptSuggestion,
        { pick: 'User' },
        {
          pick: (items) => {
            assert.deepEqual(items.map((item) => item.label), ['30 days', 'Custom date…']);
            return items[1].value;
          },
        },
        {
          input: async (options) => {
            assert.match((await options.validate?.('2025-04-10')) ?? '', /at most 30 days/);
            return '2025-04-09';
          },
        },
        { pick: 'Keep in secure storage' },
      ],
      { maxLifetime: { enforced: true, days: 30 } },
    );
    const result = await generateTokenFlow(env.deps, serverConnection);
    assert.ok(result);
    assert.equal((env.api.calls.find((call) => call.method === 'generateToken')?.args as { expirationDate?: string }).expirationDate, '2025-04-09');
    assert.deepEqual(env.prompter.calls.filter((call) => call.step).map((call) => call.totalSteps), [4, 4, 4, 5, 5]);
  });

  it('generates nothing, rather than a token that never expires, when the typed date stops being valid at midnight', async () => {
    let now = new Date('2025-03-10T23:59:59Z');
    const env = environment([
      acceptSuggestion,
      { pick: 'User' },
      { pick: 'Custom date…' },
      {
        input: async (options) => {
          assert.equal(await options.validate?.('2025-03-11'), undefined, 'tomorrow, when typed');
          now = new Date('2025-03-11T00:00:01Z');
          return '2025-03-11';
        },
      },
    ]);
    assert.equal(await generateTokenFlow({ ...env.deps, clock: { now: () => now } }, serverConnection), undefined);
    env.prompter.assertDone();
    assert.equal(env.api.calls.some((call) => call.method === 'generateToken'), false);
    assert.equal(env.secrets.values.size, 0);
  });

  it('stores nothing and generates nothing when cancelled at any step', async () => {
    const steps: ScriptStep[] = [acceptSuggestion, { pick: 'Project Analysis' }, { searchPick: 'p', query: '' }, { pick: 'Custom date…' }, { input: '2025-05-01' }, { pick: 'Keep in secure storage' }];
    const cancel: ScriptStep[] = [{ input: undefined }, { pick: undefined }, { searchPick: undefined }, { pick: undefined }, { input: undefined }, { pick: undefined }];
    for (let at = 0; at < steps.length; at++) {
      const env = environment([...steps.slice(0, at), cancel[at]], { projects: [{ key: 'p', name: 'P' }] });
      assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined, `cancel at step ${at + 1}`);
      env.prompter.assertDone();
      assert.equal(env.api.calls.filter((call) => call.method === 'generateToken').length, 0);
      assert.equal(env.secrets.values.size, 0);
      assert.equal(env.state.dump(), '');
    }
  });

  it('shows the server\'s refusal in words and stores nothing', async () => {
    const env = environment(userTokenScript);
    env.api.failNext('generateToken', new SonarApiError('badRequest', 'HTTP 400', { status: 400, serverMessages: ['Tokens expiring after 2025-04-09 are not allowed. Please use a valid expiration date.'] }));
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    assert.deepEqual(env.prompter.messages('error'), ['sonar.example.com refused the request. The server said: Tokens expiring after 2025-04-09 are not allowed. Please use a valid expiration date.']);
    assert.equal(env.secrets.values.size, 0);
    assert.deepEqual(env.index.list(), []);
  });

  it('tells the person when listing the tokens fails, before asking anything', async () => {
    const env = environment([]);
    env.api.failNext('searchTokens', new SonarApiError('unauthorized', 'HTTP 401', { status: 401 }));
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    assert.match(env.prompter.messages('error')[0], /did not accept the sign-in token.*Sign in again/);
  });

  it('after a lost answer does not retry: finds the token, says its value was lost and revokes it on request', async () => {
    const env = environment([...userTokenScript, { warn: 'Revoke' }]);
    env.api.failNext('generateToken', lostAnswer(), { afterEffect: true });
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    env.prompter.assertDone();
    assert.equal(env.api.calls.filter((call) => call.method === 'generateToken').length, 1);
    assert.match(env.prompter.messages('warn')[0], /vscode-devbox-2025-03-10 was created on sonar\.example\.com, but its value was lost/);
    assert.deepEqual(env.api.calls.at(-1), { method: 'revokeToken', args: { name: 'vscode-devbox-2025-03-10' } });
    assert.deepEqual(env.api.tokens.get('alice'), []);
    assert.equal(env.secrets.values.size, 0);
  });

  it('after a lost answer for a token that does not exist says it was not created', async () => {
    const env = environment(userTokenScript);
    env.api.failNext('generateToken', lostAnswer());
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    assert.match(env.prompter.messages('error')[0], /vscode-devbox-2025-03-10 was not created\. Could not reach sonar\.example\.com \(ECONNRESET\)/);
    assert.equal(env.api.calls.filter((call) => call.method === 'generateToken').length, 1);
  });

  it('when secure storage fails, offers to copy the value once or revoke the token', async () => {
    const copyEnv = environment([...userTokenScript, { error: 'Copy to Clipboard' }]);
    copyEnv.secrets.failing.add('store');
    assert.equal(await generateTokenFlow(copyEnv.deps, serverConnection), undefined);
    assert.match(copyEnv.clipboard.text, /^squ_/);
    assert.match(copyEnv.prompter.messages('error')[0], /secure storage could not keep it/);
    copyEnv.assertNoLeak(copyEnv.clipboard.text);

    const revokeEnv = environment([...userTokenScript, { error: 'Revoke' }]);
    revokeEnv.secrets.failing.add('store');
    assert.equal(await generateTokenFlow(revokeEnv.deps, serverConnection), undefined);
    assert.deepEqual(revokeEnv.api.tokens.get('alice'), []);
    assert.deepEqual(revokeEnv.index.list(), []);
  });

  it('when secure storage fails and the person dismisses the message, copies nothing and revokes nothing', async () => {
    const env = environment(userTokenScript);
    env.secrets.failing.add('store');
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    env.prompter.assertDone();
    assert.equal(env.clipboard.text, '');
    assert.deepEqual(env.api.tokens.get('alice')?.map((token) => token.name), ['vscode-devbox-2025-03-10']);
    assert.equal(env.api.calls.some((call) => call.method === 'revokeToken'), false);
  });

  it('after a lost answer, dismissing the warning keeps the token on the server', async () => {
    const env = environment(userTokenScript);
    env.api.failNext('generateToken', lostAnswer(), { afterEffect: true });
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    env.prompter.assertDone();
    assert.deepEqual(env.api.tokens.get('alice')?.map((token) => token.name), ['vscode-devbox-2025-03-10']);
    assert.equal(env.api.calls.some((call) => call.method === 'revokeToken'), false);
  });

  it('for another user, revokes the token whose value was lost under that user\'s login and says so', async () => {
    const env = environment([acceptSuggestion, { pick: '90 days' }, { pick: 'Keep in secure storage' }, { error: 'Revoke' }], { user: { isAdmin: true }, tokens: { alice: [], bob: [] } });
    env.secrets.failing.add('store');
    assert.equal(await generateTokenFlow(env.deps, serverConnection, { forLogin: 'bob' }), undefined);
    env.prompter.assertDone();
    assert.deepEqual(env.api.calls.at(-1), { method: 'revokeToken', args: { name: 'vscode-devbox-2025-03-10', login: 'bob' } });
    assert.deepEqual(env.api.tokens.get('bob'), []);
    assert.equal(env.prompter.calls.filter((call) => call.kind === 'progress').at(-1)?.text, 'Revoking token vscode-devbox-2025-03-10 on sonar.example.com…');
    assert.deepEqual(env.prompter.messages('info'), ['Token vscode-devbox-2025-03-10 was revoked on sonar.example.com.']);
    assert.ok(env.logger.lines.includes('info [generate] revoked "vscode-devbox-2025-03-10" whose value was lost'));
  });

  it('a failed revoke of a lost token says why; a cancelled one says nothing', async () => {
    const failing = environment([...userTokenScript, { error: 'Revoke' }]);
    failing.secrets.failing.add('store');
    failing.api.failNext('revokeToken', new SonarApiError('forbidden', 'HTTP 403', { status: 403, endpoint: 'api/user_tokens/revoke' }));
    assert.equal(await generateTokenFlow(failing.deps, serverConnection), undefined);
    assert.equal(failing.prompter.messages('error').at(-1), 'sonar.example.com refused: your account lacks the permission for this.');
    assert.ok(failing.logger.lines.includes('warn [generate] revoking "vscode-devbox-2025-03-10" failed: forbidden 403 api/user_tokens/revoke'));

    const cancelled = environment([...userTokenScript, { error: 'Revoke' }, { cancelProgress: 'Revoking token' }]);
    cancelled.secrets.failing.add('store');
    cancelled.api.hangNext('revokeToken');
    assert.equal(await generateTokenFlow(cancelled.deps, serverConnection), undefined);
    cancelled.prompter.assertDone();
    assert.equal(cancelled.prompter.messages('error').length, 1, 'only the secure-storage message');
    assert.deepEqual(cancelled.prompter.messages('info'), []);
  });

  it('Cancel before the generate request went out says nothing and stores nothing', async () => {
    const env = environment([...userTokenScript, { cancelProgress: 'Generating token' }]);
    env.api.hangNext('generateToken');
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    env.prompter.assertDone();
    assert.deepEqual([env.prompter.messages('error'), env.prompter.messages('warn'), env.prompter.messages('info')], [[], [], []]);
    assert.equal(env.secrets.values.size, 0);
  });
});

/** What the person read, in order: kind, step, text, and the items or actions offered. */
function transcript(env: ReturnType<typeof environment>) {
  return env.prompter.calls.map((call) => [call.kind, call.step === undefined ? '' : `${call.step}/${call.totalSteps}`, call.text, call.labels ?? call.actions ?? []]);
}

describe('generateTokenFlow, word for word', () => {
  it('asks name, type, expiration and what next under one title with each item explained, and says where the value went', async () => {
    const env = environment([acceptSuggestion, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]);
    const result = await generateTokenFlow(env.deps, serverConnection, { extraActions: [{ id: 'bind', label: 'Bind now…', description: 'to an MCP server', userTokensOnly: true }] });
    env.prompter.assertDone();
    assert.deepEqual(transcript(env), [
      ['progress', '', 'Reading tokens on sonar.example.com…', []],
      ['input', '1/4', "Generate a token on sonar.example.com Token name (unique among this user's tokens)", []],
      ['pick', '2/4', 'Generate a token on sonar.example.com Token type', ['User for SonarQube for IDE, the MCP server and the Web API', 'Global Analysis runs analyses of any project', 'Project Analysis runs analyses of one project']],
      ['pick', '3/4', 'Generate a token on sonar.example.com Expiration', ['30 days expires on 2025-04-09', '90 days expires on 2025-06-08', '365 days expires on 2026-03-10', 'No expiration', 'Custom date… from 2025-03-11 on']],
      ['pick', '4/4', 'Generate a token on sonar.example.com After generating', ['Keep in secure storage copy, bind or rotate it later from the Tokens view', 'Copy once to the clipboard also kept in secure storage', 'Bind now… to an MCP server']],
      ['progress', '', 'Generating token vscode-devbox-2025-03-10 on sonar.example.com…', []],
      ['info', '', 'Token vscode-devbox-2025-03-10 was generated on sonar.example.com and is kept in secure storage.', []],
    ]);
    const picked = env.prompter.calls.filter((call) => call.kind === 'pick').map((call) => (call.options as Array<{ label: string; picked?: boolean }>).filter((item) => item.picked).map((item) => item.label));
    assert.deepEqual(picked, [['User'], ['90 days'], ['Keep in secure storage']]);
    assert.equal((env.prompter.calls[1].options as { value?: string }).value, 'vscode-devbox-2025-03-10');
    assert.deepEqual(env.logger.lines, ['info [generate] generated USER_TOKEN "vscode-devbox-2025-03-10" for alice on sonar.example.com; value kept in secure storage']);
    assert.deepEqual(env.api.calls.map((call) => call.method), ['searchTokens', 'capabilities', 'maxTokenLifetime', 'generateToken']);
    assert.deepEqual(env.api.calls[0].args, { login: undefined });
    assert.deepEqual(result, { ref: { connectionId: 'conn-1', login: 'alice', name: 'vscode-devbox-2025-03-10' }, type: 'USER_TOKEN', afterAction: 'keep' });
    const value = env.secrets.values.get(tokenSecretKey(result.ref));
    assert.match(value ?? '', /^squ_[0-9a-f]{40}$/);
    env.assertNoLeak(value ?? '');
  });

  it('asks for another user under a title naming them, lists that user\'s tokens, and offers no extra action meant for user tokens only when the type is analysis', async () => {
    const forBob = environment([acceptSuggestion, { pick: '30 days' }, { pick: 'Keep in secure storage' }], { user: { isAdmin: true }, tokens: { bob: [] } });
    await generateTokenFlow(forBob.deps, serverConnection, { forLogin: 'bob' });
    assert.deepEqual(forBob.api.calls[0], { method: 'searchTokens', args: { login: 'bob' } });
    assert.deepEqual(transcript(forBob).slice(1, 3).map(([kind, step, text]) => [kind, step, text]), [
      ['input', '1/3', "Generate a token for bob on sonar.example.com Token name (unique among this user's tokens)"],
      ['pick', '2/3', 'Generate a token for bob on sonar.example.com Expiration'],
    ]);

    const self = environment([acceptSuggestion, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }], { user: { isAdmin: true } });
    await generateTokenFlow(self.deps, serverConnection, { forLogin: 'alice' });
    assert.deepEqual(self.api.calls[0], { method: 'searchTokens', args: { login: undefined } }, 'one\'s own login is not another user');
    assert.equal(self.prompter.calls[1].text, "Generate a token on sonar.example.com Token name (unique among this user's tokens)");

    const analysis = environment([acceptSuggestion, { pick: 'Global Analysis' }, { pick: 'No expiration' }, { pick: 'Keep in secure storage' }]);
    const result = await generateTokenFlow(analysis.deps, serverConnection, { extraActions: [{ id: 'bind', label: 'Bind now…', userTokensOnly: true }, { id: 'note', label: 'Note it' }] });
    assert.deepEqual(analysis.prompter.calls.find((call) => call.text.endsWith('After generating'))?.labels, [
      'Keep in secure storage copy, bind or rotate it later from the Tokens view',
      'Copy once to the clipboard also kept in secure storage',
      'Note it',
    ]);
    assert.equal(result?.type, 'GLOBAL_ANALYSIS_TOKEN');
    assert.deepEqual(analysis.api.calls.at(-1)?.args, { name: 'vscode-devbox-2025-03-10', type: 'GLOBAL_ANALYSIS_TOKEN' });
  });

  it('asks a custom date in an extra step that says the format, and takes the date as typed, trimmed', async () => {
    const env = environment([
      acceptSuggestion,
      { pick: 'User' },
      { pick: 'Custom date…' },
      { input: async (options) => (assert.equal(await options.validate?.('tomorrow'), 'Enter a date as YYYY-MM-DD, for example 2025-04-09.'), ' 2025-05-01 ') },
      { pick: 'Keep in secure storage' },
    ]);
    await generateTokenFlow(env.deps, serverConnection);
    env.prompter.assertDone();
    assert.deepEqual(env.prompter.calls.filter((call) => call.kind === 'input').map((call) => [call.step, call.totalSteps, call.text]), [
      [1, 4, "Generate a token on sonar.example.com Token name (unique among this user's tokens)"],
      [4, 5, 'Generate a token on sonar.example.com Expiration date (YYYY-MM-DD, UTC)'],
    ]);
    assert.deepEqual(env.api.calls.at(-1)?.args, { name: 'vscode-devbox-2025-03-10', type: 'USER_TOKEN', expirationDate: '2025-05-01' });
  });

  it('takes the name as typed without surrounding spaces', async () => {
    const env = environment([{ input: '  ci-nightly ' }, { pick: 'User' }, { pick: 'No expiration' }, { pick: 'Keep in secure storage' }]);
    const result = await generateTokenFlow(env.deps, serverConnection);
    assert.equal(result?.ref.name, 'ci-nightly');
    assert.deepEqual(env.api.calls.at(-1)?.args, { name: 'ci-nightly', type: 'USER_TOKEN' });
  });

  it('goes on without the lifetime limit when the server does not say it, and says so in the log only', async () => {
    const env = environment([acceptSuggestion, { pick: 'User' }, { pick: 'No expiration' }, { pick: 'Keep in secure storage' }]);
    env.api.failNext('maxTokenLifetime', new SonarApiError('forbidden', 'HTTP 403', { status: 403, endpoint: 'api/settings/values' }));
    assert.ok(await generateTokenFlow(env.deps, serverConnection));
    env.prompter.assertDone();
    assert.deepEqual(env.logger.lines[0], 'warn [generate] maximum token lifetime of sonar.example.com unknown: forbidden 403 api/settings/values');
    assert.deepEqual(env.prompter.messages('error'), []);
  });

  it('logs why listing the tokens failed, and shows the reason once', async () => {
    const env = environment([]);
    env.api.failNext('searchTokens', new SonarApiError('unauthorized', 'HTTP 401', { status: 401 }));
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    assert.deepEqual(env.logger.lines, ['warn [generate] listing tokens on sonar.example.com failed: unauthorized 401']);
    assert.equal(env.prompter.messages('error').length, 1);
  });

  it('logs why generating failed, naming the token', async () => {
    const env = environment(userTokenScript);
    env.api.failNext('generateToken', new SonarApiError('badRequest', 'HTTP 400', { status: 400, endpoint: 'api/user_tokens/generate' }));
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    assert.deepEqual(env.logger.lines, ['warn [generate] generating "vscode-devbox-2025-03-10" on sonar.example.com failed: badRequest 400 api/user_tokens/generate']);
  });

  it('after a lost answer, when the check fails too, says it is not known whether the token exists', async () => {
    const env = environment(userTokenScript);
    env.api.failNext('generateToken', lostAnswer(), { afterEffect: true });
    const check = new SonarApiError('network', 'socket hang up', { code: 'ECONNREFUSED', endpoint: 'api/user_tokens/search' });
    const search = env.api.searchTokens.bind(env.api);
    let searches = 0;
    // The listing before the steps answers; the check after the lost answer fails.
    env.api.searchTokens = (login, options) => (++searches === 2 ? Promise.reject(check) : search(login, options));
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    env.prompter.assertDone();
    assert.deepEqual(transcript(env).slice(-2), [
      ['progress', '', 'Checking whether token vscode-devbox-2025-03-10 was created on sonar.example.com…', []],
      ['warn', '', 'It is not known whether token vscode-devbox-2025-03-10 was created on sonar.example.com: Could not reach sonar.example.com (ECONNRESET). Check the URL, your network and the proxy setting (http.proxy). Refresh the Tokens view to check, and revoke it if it is listed.', []],
    ]);
    assert.deepEqual(env.logger.lines, [
      'warn [generate] generating "vscode-devbox-2025-03-10" on sonar.example.com failed: network api/user_tokens/generate ECONNRESET',
      'warn [generate] checking whether "vscode-devbox-2025-03-10" exists failed: network api/user_tokens/search ECONNREFUSED',
    ]);
    assert.equal(env.api.calls.some((call) => call.method === 'revokeToken'), false);
  });

  it('after a lost answer, Cancel on the check stops the request and says it is not known whether the token exists', async () => {
    const env = environment([...userTokenScript, { cancelProgress: 'Checking whether token' }]);
    env.api.failNext('generateToken', lostAnswer(), { afterEffect: true });
    // The listing before the steps answers; the check after the lost answer waits for Cancel.
    env.api.hangNext('searchTokens', { after: 1 });
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    env.prompter.assertDone();
    assert.deepEqual(env.prompter.messages('warn'), [
      'It is not known whether token vscode-devbox-2025-03-10 was created on sonar.example.com: Could not reach sonar.example.com (ECONNRESET). Check the URL, your network and the proxy setting (http.proxy). Refresh the Tokens view to check, and revoke it if it is listed.',
    ]);
    assert.deepEqual(env.logger.lines.at(-1), 'warn [generate] checking whether "vscode-devbox-2025-03-10" exists failed: cancelled searchTokens');
    assert.equal(env.api.calls.some((call) => call.method === 'revokeToken'), false);
  });

  it('after a lost answer for another user, looks for the token among that user\'s tokens', async () => {
    const env = environment([acceptSuggestion, { pick: '90 days' }, { pick: 'Keep in secure storage' }, { warn: 'Revoke' }], { user: { isAdmin: true }, tokens: { bob: [] } });
    env.api.failNext('generateToken', lostAnswer(), { afterEffect: true });
    assert.equal(await generateTokenFlow(env.deps, serverConnection, { forLogin: 'bob' }), undefined);
    env.prompter.assertDone();
    assert.deepEqual(env.api.calls.filter((call) => call.method === 'searchTokens').map((call) => call.args), [{ login: 'bob' }, { login: 'bob' }]);
    assert.deepEqual(env.prompter.messages('warn'), ['Token vscode-devbox-2025-03-10 was created on sonar.example.com, but its value was lost on the way: the connection broke before the answer arrived. Revoke it and generate a new one.']);
    assert.deepEqual(env.api.tokens.get('bob'), []);
  });

  it('when secure storage fails, says so with both ways out and logs only the error\'s name', async () => {
    const env = environment([...userTokenScript, { error: 'Copy to Clipboard' }]);
    env.secrets.failing.add('store');
    assert.equal(await generateTokenFlow(env.deps, serverConnection), undefined);
    const [message] = transcript(env).filter(([kind]) => kind === 'error');
    assert.deepEqual(message.slice(2), [
      'Token vscode-devbox-2025-03-10 was generated on sonar.example.com, but secure storage could not keep it: Secure storage is not available (Secure storage failed to store a secret: Error: keychain is locked (store)). Check that your system keychain is unlocked, then try again. Copy its value now or revoke it; it cannot be shown again.',
      ['Copy to Clipboard', 'Revoke'],
    ]);
    assert.deepEqual(env.logger.lines.filter((line) => line.startsWith('error')), ['error [generate] keeping "vscode-devbox-2025-03-10" in secure storage failed: SecretStoreError']);
    assert.deepEqual(env.prompter.messages('info'), ['Token vscode-devbox-2025-03-10 copied. The clipboard will be cleared in 30 seconds.']);
    assert.equal(env.api.calls.some((call) => call.method === 'revokeToken'), false);
    env.assertNoLeak(env.clipboard.text);
  });

  it('keeps in the journal the token it is generating, then the made one until its value is kept, then nothing', async () => {
    const env = environment(userTokenScript);
    const { journal, written } = recordedJournal(env);
    const result = await generateTokenFlow({ ...env.deps, journal }, serverConnection);
    const ref = { connectionId: 'conn-1', login: 'alice', name: 'vscode-devbox-2025-03-10' };
    assert.deepEqual(result?.ref, ref);
    assert.deepEqual(written, [[{ op: 'generate', step: 'generating', ref }], [{ op: 'generate', step: 'generated', ref }], []]);

    const forBob = environment([acceptSuggestion, { pick: '90 days' }, { pick: 'Keep in secure storage' }], { user: { isAdmin: true }, tokens: { bob: [] } });
    const bob = recordedJournal(forBob);
    await generateTokenFlow({ ...forBob.deps, journal: bob.journal }, serverConnection, { forLogin: 'bob' });
    assert.deepEqual(bob.written[0], [{ op: 'generate', step: 'generating', ref: { ...ref, login: 'bob' }, forLogin: 'bob' }]);
  });

  it('leaves nothing in the journal when generating fails or the value cannot be kept', async () => {
    const refused = environment(userTokenScript);
    const first = recordedJournal(refused);
    refused.api.failNext('generateToken', new SonarApiError('badRequest', 'HTTP 400', { status: 400 }));
    await generateTokenFlow({ ...refused.deps, journal: first.journal }, serverConnection);
    assert.deepEqual(first.written.at(-1), []);
    assert.equal(first.written.length, 2);

    const unkept = environment(userTokenScript);
    const second = recordedJournal(unkept);
    unkept.secrets.failing.add('store');
    await generateTokenFlow({ ...unkept.deps, journal: second.journal }, serverConnection);
    assert.deepEqual(second.written.map((entries) => entries.map((entry) => entry.step)), [['generating'], ['generated'], []]);
  });
});

// Pressing Cancel on a progress notification while its request is in flight: a read is silent, a change that may
// have reached the server is treated as ambiguous. Through the real client and the fake SonarQube.
import * as assert from 'node:assert/strict';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import { revokeTokenFlow } from '../../../src/core/flows/revokeToken';
import { SonarClient } from '../../../src/core/sonar/client';
import { FakeSonarQube } from '../../fake-sonarqube';
import type { ScriptStep } from '../support/scriptedPrompter';
import { environment, NOW, serverConnection } from './harness';

const acceptSuggestion: ScriptStep = { input: async (options) => options.value };

describe('cancelling a request in flight', () => {
  let fake: FakeSonarQube;
  let signInToken: string;

  beforeEach(async () => {
    fake = await FakeSonarQube.start({ now: () => NOW });
    fake.addUser({ login: 'alice', name: 'Alice' });
    signInToken = fake.createToken('alice', { name: 'sign-in' });
  });
  afterEach(() => fake.close());

  function flowEnvironment(script: ScriptStep[]) {
    const env = environment(script);
    const api = new SonarClient({ target: { kind: 'server', serverUrl: fake.url }, token: signInToken, timeoutMs: 10_000 });
    return { ...env, deps: { ...env.deps, api } };
  }

  it('Cancel on "Reading tokens…" ends Generate silently', async () => {
    fake.inject('api/user_tokens/search', { kind: 'delay', ms: 5_000 });
    const env = flowEnvironment([{ cancelProgress: 'Reading tokens', when: () => fake.received('api/user_tokens/search') }]);
    const result = await generateTokenFlow(env.deps, serverConnection);
    env.prompter.assertDone();
    assert.equal(result, undefined);
    assert.deepEqual(env.prompter.messages('error'), []);
    assert.deepEqual(env.prompter.messages('warn'), []);
    assert.deepEqual(fake.tokenNames('alice'), ['sign-in']);
  });

  const generateScript = (): ScriptStep[] => [
    acceptSuggestion,
    { pick: 'User' },
    { pick: '30 days' },
    { pick: 'Keep in secure storage' },
    { cancelProgress: 'Generating', when: () => fake.received('api/user_tokens/generate') },
  ];

  it('Cancel while generating, before the server made the token: looked up, then silent', async () => {
    fake.inject('POST api/user_tokens/generate', { kind: 'delay', ms: 5_000 });
    const env = flowEnvironment(generateScript());
    const result = await generateTokenFlow(env.deps, serverConnection);
    env.prompter.assertDone();
    assert.equal(result, undefined);
    assert.ok(env.prompter.calls.some((call) => call.kind === 'progress' && /Checking whether token vscode-devbox-2025-03-10 was created/.test(call.text)));
    assert.deepEqual([...env.prompter.messages('error'), ...env.prompter.messages('warn')], []);
  });

  it('Cancel while generating, after the server made the token: says it exists and offers to revoke it', async () => {
    fake.inject('POST api/user_tokens/generate', { kind: 'trickle', bytesPerSecond: 5 });
    const env = flowEnvironment(generateScript());
    const result = await generateTokenFlow(env.deps, serverConnection);
    assert.equal(result, undefined);
    assert.deepEqual(env.prompter.messages('error'), []);
    const [warning] = env.prompter.messages('warn');
    assert.match(warning ?? '', /Token vscode-devbox-2025-03-10 was created on sonar\.example\.com, but its value was lost/);
    assert.deepEqual(env.prompter.calls.find((call) => call.kind === 'warn')?.actions, ['Revoke']);
    assert.equal(env.secrets.values.size, 0);
  });

  it('Cancel while revoking leaves the token marked unconfirmed, not as an error', async () => {
    fake.createToken('alice', { name: 'old' });
    fake.inject('POST api/user_tokens/revoke', { kind: 'delay', ms: 5_000 });
    const env = flowEnvironment([{ confirm: true }, { cancelProgress: 'Revoking', when: () => fake.received('api/user_tokens/revoke') }]);
    const result = await revokeTokenFlow(env.deps, serverConnection, { login: 'alice', name: 'old' }, { usedBy: [] });
    assert.equal(result.revoked, 'unconfirmed');
    assert.deepEqual(env.prompter.messages('error'), []);
  });
});

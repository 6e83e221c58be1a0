// Generate offers only what the server can make, and says so when the server made something else.
import * as assert from 'node:assert/strict';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import type { GeneratedToken, GenerateTokenRequest } from '../../../src/core/sonar/types';
import { FakeTokenApi } from '../support/fakeTokenApi';
import type { ScriptStep } from '../support/scriptedPrompter';
import { environment, serverConnection } from './harness';

const acceptSuggestion: ScriptStep = { input: async (options) => options.value };

const cloudConnection: ConnectionRecord = {
  ...serverConnection,
  id: 'conn-cloud',
  target: { kind: 'cloud', region: 'US', organization: 'acme' },
  label: 'SonarQube Cloud (US), organization acme',
};

/** A server that makes a user token that never expires whatever it is asked, like one that ignores the parameters. */
class IgnoringApi extends FakeTokenApi {
  override async generateToken(request: GenerateTokenRequest): Promise<GeneratedToken> {
    const generated = await super.generateToken(request);
    return { ...generated, type: 'USER_TOKEN', projectKey: undefined, expirationDate: undefined };
  }
}

describe('generateTokenFlow per server version', () => {
  it('asks neither type nor expiration on 9.4, whose tokens are user tokens that never expire', async () => {
    const env = environment([acceptSuggestion, { pick: 'Keep in secure storage' }], { version: '9.4.0.54424' });
    const result = await generateTokenFlow(env.deps, serverConnection);
    env.prompter.assertDone();
    assert.equal(result?.type, 'USER_TOKEN');
    assert.deepEqual(env.prompter.calls.filter((call) => call.step).map((call) => `${call.step}/${call.totalSteps}`), ['1/2', '2/2']);
    assert.deepEqual(env.api.calls.find((call) => call.method === 'generateToken')?.args, { name: 'vscode-devbox-2025-03-10', type: 'USER_TOKEN' });
    assert.match(env.prompter.messages('info')[0], /was generated on sonar\.example\.com and is kept in secure storage/);
  });

  it('asks the type but no expiration on 9.5', async () => {
    const env = environment(
      [
        acceptSuggestion,
        { pick: (items) => (assert.deepEqual(items.map((item) => item.label), ['User', 'Global Analysis', 'Project Analysis']), items[1].value) },
        { pick: 'Keep in secure storage' },
      ],
      { version: '9.5.0.56709' },
    );
    assert.equal((await generateTokenFlow(env.deps, serverConnection))?.type, 'GLOBAL_ANALYSIS_TOKEN');
    env.prompter.assertDone();
  });

  it('says so, instead of reporting success, when the server made another type or no expiry', async () => {
    const env = environment([acceptSuggestion, { pick: 'Global Analysis' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]);
    const api = new IgnoringApi();
    const result = await generateTokenFlow({ ...env.deps, api }, serverConnection);
    assert.equal(result?.type, 'USER_TOKEN');
    assert.deepEqual(env.prompter.messages('info'), []);
    assert.deepEqual(env.prompter.messages('warn'), [
      'Token vscode-devbox-2025-03-10 was generated on sonar.example.com and kept in secure storage, but not as asked: it is a User token, not a Global Analysis token; it never expires (asked: 2025-04-09).',
    ]);
  });

  it('offers user tokens on SonarQube Cloud and points to Scoped Organization Tokens on the organization page', async () => {
    const opened: string[] = [];
    const env = environment(
      [
        acceptSuggestion,
        { pick: (items) => (assert.deepEqual(items.map((item) => item.label), ['User', 'Scoped Organization Token']), items[1].value) },
        { info: 'Open Organization Page' },
      ],
      { product: 'cloud' },
    );
    const result = await generateTokenFlow({ ...env.deps, openUrl: async (url) => (opened.push(url), true) }, cloudConnection);
    env.prompter.assertDone();
    assert.equal(result, undefined);
    assert.deepEqual(opened, ['https://sonarqube.us/organizations/acme']);
    assert.match(env.prompter.messages('info')[0], /Scoped Organization Tokens: an organization admin creates them under Administration > Scoped Organization Tokens/);
    assert.equal(env.api.calls.some((call) => call.method === 'generateToken'), false);
  });
});

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

/** A server that makes the asked token with its own expiration date (`undefined`: none). */
class RedatingApi extends FakeTokenApi {
  constructor(private readonly madeExpiration: string | undefined) {
    super();
  }
  override async generateToken(request: GenerateTokenRequest): Promise<GeneratedToken> {
    return { ...(await super.generateToken(request)), expirationDate: this.madeExpiration };
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

  it('says which date the server gave a token instead of the one asked, or that it gave one when none was asked, and logs it', async () => {
    const other = environment([acceptSuggestion, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]);
    assert.ok(await generateTokenFlow({ ...other.deps, api: new RedatingApi('2025-05-01T00:00:00+0000') }, serverConnection));
    assert.deepEqual(other.prompter.messages('warn'), [
      'Token vscode-devbox-2025-03-10 was generated on sonar.example.com and kept in secure storage, but not as asked: it expires on 2025-05-01 (asked: 2025-04-09).',
    ]);
    assert.deepEqual(other.prompter.messages('info'), []);
    assert.deepEqual(other.logger.lines.at(-1), 'warn [generate] sonar.example.com made "vscode-devbox-2025-03-10" differently from what was asked: it expires on 2025-05-01 (asked: 2025-04-09).');

    const unasked = environment([acceptSuggestion, { pick: 'User' }, { pick: 'No expiration' }, { pick: 'Keep in secure storage' }]);
    assert.ok(await generateTokenFlow({ ...unasked.deps, api: new RedatingApi('2025-05-01T00:00:00+0000') }, serverConnection));
    assert.deepEqual(unasked.prompter.messages('warn'), [
      'Token vscode-devbox-2025-03-10 was generated on sonar.example.com and kept in secure storage, but not as asked: it expires on 2025-05-01 (asked: no expiration).',
    ]);
  });

  it('reports success when the server made exactly what was asked, its date sent as a date and time', async () => {
    const env = environment([acceptSuggestion, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]);
    assert.ok(await generateTokenFlow({ ...env.deps, api: new RedatingApi('2025-04-09T00:00:00+0000') }, serverConnection));
    assert.deepEqual(env.prompter.messages('warn'), []);
    assert.deepEqual(env.prompter.messages('info'), ['Token vscode-devbox-2025-03-10 was generated on sonar.example.com and is kept in secure storage.']);
  });

  it('still copies the value when the server made the token differently, after saying so', async () => {
    const env = environment([acceptSuggestion, { pick: 'User' }, { pick: '30 days' }, { pick: 'Copy once to the clipboard' }]);
    const result = await generateTokenFlow({ ...env.deps, api: new RedatingApi(undefined) }, serverConnection);
    assert.equal(result?.afterAction, 'copy');
    assert.match(env.clipboard.text, /^squ_/);
    assert.deepEqual(env.prompter.messages('warn'), ['Token vscode-devbox-2025-03-10 was generated on sonar.example.com and kept in secure storage, but not as asked: it never expires (asked: 2025-04-09).']);
    assert.deepEqual(env.prompter.messages('info'), ['Token vscode-devbox-2025-03-10 copied. The clipboard will be cleared in 30 seconds.']);
    env.assertNoLeak(env.clipboard.text);
    result?.pendingClear?.dispose();
  });

  it('on SonarQube Cloud offers no button for the organization page when the host cannot open one, and opens nothing when dismissed', async () => {
    const scoped: ScriptStep[] = [acceptSuggestion, { pick: 'Scoped Organization Token' }];
    const noBrowser = environment(scoped, { product: 'cloud' });
    assert.equal(await generateTokenFlow(noBrowser.deps, cloudConnection), undefined);
    assert.deepEqual(noBrowser.prompter.calls.at(-1), {
      kind: 'info',
      text: "SonarQube Cloud analysis tokens are Scoped Organization Tokens: an organization admin creates them under Administration > Scoped Organization Tokens on the organization's page (Team and Enterprise plans).",
      actions: [],
    });
    const opened: string[] = [];
    const dismissed = environment(scoped, { product: 'cloud' });
    assert.equal(await generateTokenFlow({ ...dismissed.deps, openUrl: async (url) => (opened.push(url), true) }, cloudConnection), undefined);
    assert.deepEqual(dismissed.prompter.calls.at(-1)?.actions, ['Open Organization Page']);
    assert.deepEqual(opened, []);
    assert.deepEqual(dismissed.prompter.calls.find((call) => call.kind === 'pick')?.labels, [
      'User for SonarQube for IDE, the MCP server and the Web API',
      'Scoped Organization Token analysis tokens of an organization, made by its admins on SonarQube Cloud',
    ]);
  });

  it('on SonarQube Cloud without an organization opens the region\'s home page for Scoped Organization Tokens', async () => {
    const opened: string[] = [];
    const env = environment([acceptSuggestion, { pick: 'Scoped Organization Token' }, { info: 'Open Organization Page' }], { product: 'cloud' });
    const noOrganization: ConnectionRecord = { ...cloudConnection, target: { kind: 'cloud', region: 'EU' } };
    assert.equal(await generateTokenFlow({ ...env.deps, openUrl: async (url) => (opened.push(url), true) }, noOrganization), undefined);
    assert.deepEqual(opened, ['https://sonarcloud.io']);
  });

  it('on SonarQube Cloud asks no type for another user: only a User token can be made for someone else', async () => {
    const env = environment([acceptSuggestion, { pick: '30 days' }, { pick: 'Keep in secure storage' }], { product: 'cloud', user: { isAdmin: true }, tokens: { bob: [] } });
    const result = await generateTokenFlow(env.deps, cloudConnection, { forLogin: 'bob' });
    env.prompter.assertDone();
    assert.equal(result?.type, 'USER_TOKEN');
    assert.deepEqual(env.api.calls.at(-1)?.args, { name: 'vscode-devbox-2025-03-10', type: 'USER_TOKEN', expirationDate: '2025-04-09', login: 'bob' });
  });
});


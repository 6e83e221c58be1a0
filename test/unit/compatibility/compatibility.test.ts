// The table-driven compatibility suite: every feature against the fake playing each server version, checking what is
// offered, what is sent and what the person is told. The run's findings are docs/compatibility.md (`npm run
// compatibility` rewrites it; otherwise the suite fails when the page no longer matches).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { startBrowserSignIn } from '../../../src/core/auth/browserSignIn';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import type { PickItem } from '../../../src/core/flows/prompter';
import { revokeTokenFlow } from '../../../src/core/flows/revokeToken';
import { completeSignIn } from '../../../src/core/flows/signIn';
import { tokenFromBrowser } from '../../../src/core/flows/signInWithBrowser';
import { englishMessage, silentLogger } from '../../../src/core/ports';
import { tokenSecretKey } from '../../../src/core/secrets/keys';
import { DAY_MS } from '../../../src/core/policy/dates';
import { tokenTypeLabel } from '../../../src/core/policy/tokenState';
import { cloudCapabilities, serverCapabilities } from '../../../src/core/sonar/capabilities';
import { SonarClient } from '../../../src/core/sonar/client';
import { apiBaseUrl, parseServerUrl } from '../../../src/core/sonar/target';
import type { SonarTarget, TokenType } from '../../../src/core/sonar/types';
import { signInRemindersFor } from '../../../src/core/tokens/expiryReminders';
import { TokensModel } from '../../../src/core/tokens/tokensModel';
import { childrenOf, presentNode } from '../../../src/core/tokens/treeNodes';
import type { TreeContext } from '../../../src/core/tokens/treeNodes';
import { FakeSonarQube } from '../../fake-sonarqube';
import { profileOptions, serverProfiles } from '../../fake-sonarqube/versions';
import type { ServerProfile } from '../../fake-sonarqube/versions';
import { NOW, environment } from '../flows/harness';
import { playHandshakePage } from '../support/handshakePage';
import type { ScriptStep } from '../support/scriptedPrompter';
import { CompatibilityTable } from './table';
import type { Feature } from './table';

const docPath = path.resolve(__dirname, '../../../../docs/compatibility.md');
const table = new CompatibilityTable(serverProfiles);
const acceptSuggestion: ScriptStep = { input: async (options) => options.value };
const allTypes: readonly TokenType[] = ['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'];
const typeRows = { USER_TOKEN: 'Generate: User token', GLOBAL_ANALYSIS_TOKEN: 'Generate: Global Analysis token', PROJECT_ANALYSIS_TOKEN: 'Generate: Project Analysis token' } as const;

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The world of one version: a fake playing it, Ada (developer, Execute Analysis) and an administrator. */
class World {
  readonly cloud: boolean;
  readonly enterprise: boolean;
  fake!: FakeSonarQube;
  target!: SonarTarget;
  adaToken!: string;
  adminToken!: string;
  private dispatcher?: Dispatcher;

  constructor(readonly profile: ServerProfile) {
    this.cloud = profile.flavour === 'cloud';
    this.enterprise = profile.edition === 'enterprise';
  }

  async start(): Promise<void> {
    // Enterprise enforces a maximum lifetime: the suite runs those versions with the longest one.
    this.fake = await FakeSonarQube.start({ ...profileOptions(this.profile), now: () => NOW, ...(this.enterprise ? { maxTokenLifetime: '1 year' as const } : {}) });
    this.fake.addUser({ login: 'admin', name: 'Administrator', admin: true });
    this.fake.addUser({ login: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' });
    this.fake.addProject({ key: 'shop', name: 'Shop', ...(this.cloud ? { organization: 'acme' } : {}) });
    if (this.cloud) this.fake.addOrganization({ key: 'acme', name: 'ACME', members: ['admin', 'ada'] });
    this.fake.setBrowserSignInUser('ada');
    const expiry = this.enterprise ? { expirationDate: new Date(NOW.getTime() + 30 * DAY_MS) } : {};
    this.adaToken = this.fake.createToken('ada', { name: 'pasted', ...expiry });
    this.adminToken = this.fake.createToken('admin', { name: 'pasted', ...expiry });
    if (this.cloud) {
      // SonarQube Cloud's addresses are fixed: its requests go to the loopback fake instead.
      const origin = new URL(this.fake.url).origin;
      this.dispatcher = new Agent().compose((dispatch) => (options, handler) => dispatch({ ...options, origin }, handler));
      this.target = { kind: 'cloud', region: this.profile.region ?? 'EU', organization: 'acme' };
    } else {
      const parsed = parseServerUrl(this.fake.url);
      assert.ok(parsed.ok);
      this.target = parsed.target;
    }
  }

  async close(): Promise<void> {
    await this.fake.close();
    await this.dispatcher?.close();
  }

  readonly createApi = (target: SonarTarget, token: string) => new SonarClient({ target, token, dispatcher: this.dispatcher, retry: { maxRetries: 0 } });

  get capabilities() {
    return this.cloud ? cloudCapabilities : serverCapabilities(this.profile.version);
  }

  get scheme(): 'bearer' | 'basic' {
    return this.capabilities.authScheme;
  }

  /** The authentication schemes of the requests since `from` that carried credentials. */
  schemesSince(from: number): string[] {
    return unique(this.fake.requests.slice(from).filter((request) => request.auth !== 'none').map((request) => request.auth));
  }

  signInDeps(env: ReturnType<typeof environment>) {
    return { ...env.deps, createApi: this.createApi, parseServerUrl: (input: string) => parseServerUrl(input) };
  }

  record(feature: Feature, status: 'works' | 'degraded' | 'not offered', note: string): void {
    table.record(feature, this.profile, { status, note });
  }
}

function treeContext(connection: ConnectionRecord, model: TokensModel): TreeContext {
  return {
    connections: [connection],
    model,
    isHeld: () => false,
    bindingsOf: () => [],
    now: NOW,
    warningDays: 7,
    t: englishMessage,
    commands: { signInAgain: 'signIn', loadMoreUsers: 'more', generateToken: 'generate' },
  };
}

describe('compatibility with each server version', function () {
  this.timeout(30_000);

  after(() => {
    const text = table.markdown();
    if (process.env.UPDATE_COMPATIBILITY) writeFileSync(docPath, text);
    else if (!text.includes('**not run**')) assert.equal(readFileSync(docPath, 'utf8'), text, 'docs/compatibility.md is not what this run found: run npm run compatibility');
  });

  for (const profile of serverProfiles) {
    describe(profile.label, () => {
      const world = new World(profile);
      let connection: ConnectionRecord;
      let adminConnection: ConnectionRecord | undefined;
      const generatedNames: Partial<Record<TokenType, string>> = {};
      let expirationLabels: string[] = [];

      before(() => world.start());
      after(() => world.close());

      it('signs in with a pasted token, authenticating as SonarSource\'s IDE client does', async () => {
        const env = environment([]);
        const from = world.fake.requests.length;
        const added = await completeSignIn(world.signInDeps(env), world.target, world.adaToken);
        assert.ok(added);
        connection = added;
        assert.deepEqual([connection.login, connection.userName], ['ada', 'Ada Lovelace']);
        assert.deepEqual(world.schemesSince(from), [world.scheme]);
        assert.deepEqual(env.prompter.messages('info'), [`Signed in to ${connection.label} as Ada Lovelace.`]);
        env.assertNoLeak(world.adaToken);
        world.record(
          'Sign in: paste a token',
          'works',
          world.scheme === 'bearer' ? 'Bearer' : 'Basic `token:`',
        );
        const admin = await completeSignIn(world.signInDeps(environment([])), world.target, world.adminToken);
        assert.equal(admin?.isAdmin, true);
        adminConnection = admin;
      });

      it('signs in through the browser on the handshake page this version has, and learns when that token expires', async () => {
        const env = environment([]);
        const route = world.capabilities.handshakeRoute;
        assert.ok(route, 'every tested version has a handshake page');
        const opened: string[] = [];
        let delivered: ReturnType<typeof playHandshakePage> | undefined;
        const token = await tokenFromBrowser(
          {
            ...env.deps,
            createApi: world.createApi,
            listen: (serverOrigin, signal) => startBrowserSignIn({ serverOrigin, ideName: 'Visual Studio Code', signal, timeoutMs: 20_000 }),
            openUrl: async (url) => {
              opened.push(url);
              delivered = playHandshakePage(world.fake, url, apiBaseUrl(world.target));
              return true;
            },
          },
          { target: world.target, title: 'Add SonarQube Connection' },
        );
        assert.ok(token);
        assert.deepEqual(await delivered, { route, delivered: 200 });
        assert.deepEqual(opened.map((url) => url.replace(/port=\d+/, 'port=N')), [`${apiBaseUrl(world.target)}/${route}?ideName=Visual%20Studio%20Code&port=N`]);
        assert.ok(world.fake.tokenNames('ada').includes('SonarQube for IDE - Visual Studio Code'));
        const browserConnection = await completeSignIn(world.signInDeps(env), world.target, token);
        assert.equal(browserConnection?.signInExpiresAt, '2026-03-10T00:00:00+0000', 'a year, the longest the page allows here');
        env.assertNoLeak(token, world.adaToken);
        world.record('Sign in: browser', 'works', `\`/${route}\``);

        // The connection shows the expiry; the reminder comes a week before.
        const model = new TokensModel({ apiFor: async () => world.createApi(world.target, token), logger: silentLogger });
        const context = { ...treeContext(browserConnection, model), now: new Date(NOW.getTime() + 360 * DAY_MS) };
        await model.loadTokens(browserConnection.id);
        const [node] = childrenOf(undefined, context);
        assert.equal(presentNode(node, context).description, 'ada · sign-in token expires in 4 days');
        assert.deepEqual(signInRemindersFor([browserConnection], NOW, 7), []);
        assert.deepEqual(signInRemindersFor([browserConnection], context.now, 7).map((reminder) => reminder.reason), [{ kind: 'expiring', days: 4 }]);
        world.record('Sign-in token expiry', 'works', 'a year; shown, reminded');
      });

      for (const type of allTypes) {
        it(`generates a ${tokenTypeLabel(type)} token where it is offered, sending only what the version knows`, async () => {
          const offered = world.capabilities.tokenTypes.includes(type);
          let typeLabels: string[] = [];
          const script: ScriptStep[] = [acceptSuggestion];
          const typeStep = world.capabilities.tokenTypes.length > 1 || world.cloud;
          if (typeStep) {
            script.push({
              pick: <T>(items: ReadonlyArray<PickItem<T>>) => {
                typeLabels = items.map((item) => item.label);
                return items.find((item) => item.label === tokenTypeLabel(type))?.value;
              },
            });
          }
          if (!offered) {
            const env = environment(script);
            const api = world.createApi(world.target, world.adaToken);
            assert.equal(await generateTokenFlow({ ...env.deps, api, machineName: 'devbox' }, connection), undefined);
            assert.ok(!typeLabels.includes(tokenTypeLabel(type)), `${type} is not offered`);
            assert.deepEqual(typeLabels, ['User', 'Scoped Organization Token']);
            world.record(typeRows[type], 'not offered', 'Scoped Organization Tokens, on the organization\'s page');
            return;
          }
          if (type === 'PROJECT_ANALYSIS_TOKEN') script.push({ searchPick: 'shop', query: 'sh' });
          script.push({
            pick: <T>(items: ReadonlyArray<PickItem<T>>) => {
              expirationLabels = items.map((item) => item.label);
              return items.find((item) => item.label === '30 days')?.value;
            },
          });
          script.push({ pick: 'Keep in secure storage' });
          const env = environment(script);
          const api = world.createApi(world.target, world.adaToken);
          const from = world.fake.requests.length;
          const result = await generateTokenFlow({ ...env.deps, api, machineName: 'devbox' }, connection);
          env.prompter.assertDone();
          assert.equal(result?.type, type);
          generatedNames[type] = result.ref.name;
          const sent = world.fake.requests.slice(from).find((request) => request.path === 'api/user_tokens/generate')!;
          const expected = {
            name: result.ref.name,
            ...(world.cloud ? {} : { type }),
            ...(type === 'PROJECT_ANALYSIS_TOKEN' ? { projectKey: 'shop' } : {}),
            expirationDate: '2025-04-09',
          };
          assert.deepEqual(sent.form, expected);
          assert.equal(sent.status, 200);
          assert.deepEqual(world.schemesSince(from), [world.scheme]);
          assert.deepEqual(env.prompter.messages('info'), [`Token ${result.ref.name} was generated on ${connection.label} and is kept in secure storage.`]);
          assert.deepEqual(env.prompter.messages('warn'), []);
          const value = env.secrets.values.get(tokenSecretKey(result.ref));
          assert.ok(value && world.fake.issuedTokenValues().includes(value));
          env.assertNoLeak(value, world.adaToken);
          if (world.cloud) assert.deepEqual(typeLabels, ['User', 'Scoped Organization Token']);
          const sentWords = Object.keys(expected).filter((key) => key !== 'name').map((key) => `\`${key}\``).join(', ');
          world.record(typeRows[type], 'works', `sends ${sentWords}`);
          if (type === 'USER_TOKEN') {
            const noLimit = expirationLabels.includes('No expiration');
            world.record('Generate: expiration', 'works', noLimit ? 'presets, none or a date' : 'presets or a date up to the maximum (1 year)');
          }
        });
      }

      it('revokes a token it generated, and says so', async () => {
        const name = generatedNames.USER_TOKEN;
        assert.ok(name);
        const env = environment([{ confirm: true }]);
        const api = world.createApi(world.target, world.adaToken);
        const from = world.fake.requests.length;
        const result = await revokeTokenFlow({ ...env.deps, api }, connection, { login: 'ada', name }, { usedBy: [] });
        assert.deepEqual(result, { revoked: true, signedOut: false });
        const sent = world.fake.requests.slice(from).find((request) => request.path === 'api/user_tokens/revoke')!;
        assert.deepEqual([sent.form, sent.status], [{ name }, 204]);
        assert.ok(!world.fake.tokenNames('ada').includes(name));
        assert.deepEqual(env.prompter.messages('info'), [`Token ${name} was revoked on ${connection.label}.`]);
        world.record('Revoke', 'works', 'sends `name`');
      });

      it('lists the signed-in user\'s tokens in the tree', async () => {
        const model = new TokensModel({ apiFor: async () => world.createApi(world.target, world.adaToken), logger: silentLogger });
        const context = treeContext(connection, model);
        await model.loadTokens(connection.id);
        const [root] = childrenOf(undefined, context);
        const labels = childrenOf(root, context).map((node) => presentNode(node, context).label);
        const expected = ['pasted', 'SonarQube for IDE - Visual Studio Code', generatedNames.GLOBAL_ANALYSIS_TOKEN, generatedNames.PROJECT_ANALYSIS_TOKEN].filter(
          (name): name is string => name !== undefined,
        );
        assert.deepEqual(labels.filter((label) => expected.includes(label)).sort(), [...expected].sort());
        world.record('Token listing', 'works', 'in the tree');
      });

      it('lists users for an administrator where the product has such a listing', async () => {
        assert.ok(adminConnection);
        const model = new TokensModel({ apiFor: async () => world.createApi(world.target, world.adminToken), logger: silentLogger });
        const context = treeContext(adminConnection, model);
        await model.loadTokens(adminConnection.id);
        const [root] = childrenOf(undefined, context);
        const usersNode = childrenOf(root, context).find((node) => node.kind === 'users');
        if (world.cloud) {
          assert.equal(usersNode, undefined);
          world.record('Admin listing of users', 'not offered', 'no instance administrator on Cloud');
          return;
        }
        assert.ok(usersNode);
        await model.loadUsers(adminConnection.id);
        const users = childrenOf(usersNode, context).map((node) => presentNode(node, context).label);
        assert.ok(users.includes('Ada Lovelace') && users.includes('Administrator'), users.join(', '));
        world.record('Admin listing of users', 'works', world.profile.version.startsWith('9.') ? '`api/users/search`' : '`api/users/search` (deprecated, served)');
      });
    });
  }
});

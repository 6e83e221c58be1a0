import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { FakeSonarQube, startTunnelProxy } from '../../fake-sonarqube';
import type { FakeSonarOptions, Fault } from '../../fake-sonarqube';
import { SonarClient, isVersionAtLeast } from '../../../src/core/sonar/client';
import type { SonarClientOptions } from '../../../src/core/sonar/client';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { parseServerUrl } from '../../../src/core/sonar/target';
import { createDispatcher } from '../../../src/core/sonar/transport';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { recordingLogger, rejectionOf } from './support';

type FakeOptions = FakeSonarOptions;

// Everything the client logged or threw in this suite, checked at the end against every token value seen.
const logger = recordingLogger();
const thrown: unknown[] = [];
const tokenValues = new Set<string>();
const fakes: FakeSonarQube[] = [];
const dispatchers: Dispatcher[] = [];

async function startFake(options: FakeOptions): Promise<FakeSonarQube> {
  const fake = await FakeSonarQube.start(options);
  fakes.push(fake);
  return fake;
}

function serverTarget(fake: FakeSonarQube): SonarTarget {
  const parsed = parseServerUrl(fake.url);
  assert.ok(parsed.ok);
  return parsed.target;
}

/** Cloud targets are fixed to sonarcloud.io: this dispatcher sends their requests to the loopback fake instead. */
function toFake(fake: FakeSonarQube): Dispatcher {
  const agent = new Agent();
  dispatchers.push(agent);
  return agent.compose((dispatch) => (options, handler) => dispatch({ ...options, origin: new URL(fake.url).origin }, handler));
}

async function tokenFor(fake: FakeSonarQube, login: string, name = `t-${login}`): Promise<string> {
  const value = await fake.createToken(login, { name, type: 'USER_TOKEN' });
  tokenValues.add(value);
  return value;
}

function client(target: SonarTarget, token: string, options: Partial<SonarClientOptions> = {}): SonarClient {
  const agent = new Agent();
  dispatchers.push(agent);
  tokenValues.add(token);
  return new SonarClient({ target, token, dispatcher: agent, logger, retry: { sleep: async () => {}, ...options.retry }, ...options });
}

async function failureOf(promise: Promise<unknown>): Promise<SonarApiError> {
  const error = await rejectionOf(promise);
  thrown.push(error);
  assert.ok(error instanceof SonarApiError, `expected a SonarApiError, got ${String(error)}`);
  return error;
}

describe('SonarClient against the fake SonarQube', () => {
  after(async () => {
    for (const fake of fakes) for (const value of fake.issuedTokenValues()) tokenValues.add(value);
    await Promise.allSettled([...fakes.map((fake) => fake.close()), ...dispatchers.map((dispatcher) => dispatcher.close())]);
  });

  describe('a SonarQube Server 10.x (Enterprise, 90 days maximum lifetime)', () => {
    let fake: FakeSonarQube;
    let adminToken: string;
    let adaToken: string;
    before(async () => {
      fake = await startFake({ flavour: 'server', version: '10.7.0.96327', edition: 'enterprise', maxTokenLifetime: '90 days' });
      await fake.addUser({ login: 'root', admin: true, scan: true });
      await fake.addUser({ login: 'ada', admin: false, scan: false });
      adminToken = await tokenFor(fake, 'root');
      adaToken = await tokenFor(fake, 'ada');
    });

    it('probes the version once, without credentials, then uses Bearer', async () => {
      const sonar = client(serverTarget(fake), adminToken);
      const before = fake.requests.length;
      const info = await sonar.serverInfo();
      await sonar.currentUser();
      await sonar.searchTokens();
      assert.deepEqual(info, { product: 'server', version: '10.7.0.96327', status: 'UP', authScheme: 'bearer' });
      const requests = fake.requests.slice(before);
      const probes = requests.filter((request) => request.path.endsWith('api/server/version'));
      assert.equal(probes.length, 1);
      assert.equal(probes[0]!.auth, 'none');
      assert.deepEqual(new Set(requests.filter((request) => !request.path.endsWith('api/server/version')).map((request) => request.auth)), new Set(['bearer']));
    });

    it('skips the probe when the version is already known', async () => {
      const before = fake.requests.length;
      await client(serverTarget(fake), adaToken, { serverVersion: '9.9.8.100196' }).currentUser();
      assert.deepEqual(fake.requests.slice(before).map((request) => [request.path, request.auth]), [['api/users/current', 'basic']]);
    });

    it('waits between retries with the default sleep, and stops waiting when cancelled', async () => {
      const sonar = new SonarClient({ target: serverTarget(fake), token: adaToken, logger, retry: { baseDelayMs: 20 } });
      await sonar.currentUser();
      fake.inject('api/user_tokens/search', { kind: 'status', status: 504 }, { times: 1 });
      assert.equal((await sonar.searchTokens()).login, 'ada');

      fake.inject('api/user_tokens/search', { kind: 'status', status: 503 }, { times: 1 });
      const slow = new SonarClient({ target: serverTarget(fake), token: adaToken, logger, retry: { baseDelayMs: 60_000 } });
      await slow.currentUser();
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 50);
      const error = await failureOf(slow.searchTokens(undefined, { signal: controller.signal }));
      assert.equal(error.kind, 'cancelled');
      assert.ok(Date.now() - started < 5000);
    });

    it('identifies the current user and their permissions', async () => {
      const root = await client(serverTarget(fake), adminToken).currentUser();
      assert.equal(root.login, 'root');
      assert.equal(root.isAdmin, true);
      assert.equal(root.canScan, true);
      const ada = await client(serverTarget(fake), adaToken).currentUser();
      assert.deepEqual([ada.login, ada.isAdmin, ada.canScan], ['ada', false, false]);
    });

    it('generates, lists and revokes a token, POSTing form fields', async () => {
      const sonar = client(serverTarget(fake), adaToken);
      const generated = await sonar.generateToken({ name: 'laptop', expirationDate: farDate(30) });
      tokenValues.add(generated.token);
      assert.equal(generated.login, 'ada');
      assert.equal(generated.name, 'laptop');
      assert.equal(generated.type, 'USER_TOKEN');
      assert.equal(generated.expirationDate, `${farDate(30)}T00:00:00+0000`);
      assert.ok(fake.issuedTokenValues().includes(generated.token));
      const post = fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('api/user_tokens/generate')).at(-1)!;
      assert.deepEqual({ ...post.form }, { name: 'laptop', expirationDate: farDate(30) });

      assert.ok((await sonar.searchTokens()).tokens.some((token) => token.name === 'laptop'));
      await sonar.revokeToken({ name: 'laptop' });
      assert.ok(!(await sonar.searchTokens()).tokens.some((token) => token.name === 'laptop'));
      await sonar.revokeToken({ name: 'never-existed' });
    });

    it('lets an admin act for another user, and refuses a non-admin', async () => {
      const admin = client(serverTarget(fake), adminToken);
      const generated = await admin.generateToken({ name: 'for-ada', login: 'ada', expirationDate: farDate(20) });
      tokenValues.add(generated.token);
      assert.equal(generated.login, 'ada');
      assert.equal((await admin.searchTokens('ada')).login, 'ada');
      const forbidden = await failureOf(client(serverTarget(fake), adaToken).searchTokens('root'));
      assert.equal(forbidden.kind, 'forbidden');
      assert.equal(forbidden.status, 403);
      await admin.revokeToken({ name: 'for-ada', login: 'ada' });
    });

    it("reports the server's own words for a refused generate", async () => {
      const sonar = client(serverTarget(fake), adaToken);
      tokenValues.add((await sonar.generateToken({ name: 'twice', expirationDate: farDate(10) })).token);
      const duplicate = await failureOf(sonar.generateToken({ name: 'twice', expirationDate: farDate(10) }));
      assert.equal(duplicate.kind, 'badRequest');
      assert.ok(duplicate.serverMessages.some((message) => message.includes("name 'twice' already exists")));
      assert.ok(duplicate.message.includes("name 'twice' already exists"));
      await sonar.revokeToken({ name: 'twice' });
    });

    it('reads the enforced maximum lifetime from api/settings/values without keys', async () => {
      const before = fake.requests.length;
      assert.deepEqual(await client(serverTarget(fake), adaToken).maxTokenLifetime(), { enforced: true, days: 90 });
      const settings = fake.requests.slice(before).find((request) => request.path.endsWith('api/settings/values'))!;
      assert.equal(settings.query.keys, undefined);
    });

    it('pages users with a clamped page size and a minimum query length', async () => {
      const sonar = client(serverTarget(fake), adminToken);
      const page = await sonar.searchUsers({ q: 'ad', page: 1, pageSize: 1000 });
      assert.ok(page.items.some((user) => user.login === 'ada'));
      assert.equal(page.pageIndex, 1);
      const request = fake.requests.filter((entry) => entry.path.endsWith('api/users/search')).at(-1)!;
      assert.equal(request.query.ps, '500');
      assert.equal(request.query.q, 'ad');
      await sonar.searchUsers({ q: 'a' });
      assert.equal(fake.requests.filter((entry) => entry.path.endsWith('api/users/search')).at(-1)!.query.q, undefined);
    });

    it('lists scannable projects, falling back to the component search on 404', async () => {
      const sonar = client(serverTarget(fake), adminToken);
      await sonar.scannableProjects('pro');
      assert.ok(fake.requests.at(-1)!.path.endsWith('api/projects/search_my_scannable_projects'));
      fake.inject('api/projects/search_my_scannable_projects', { kind: 'status', status: 404, body: { errors: [{ msg: 'Unknown url' }] } }, { times: 1 });
      await sonar.scannableProjects('pro');
      const fallback = fake.requests.at(-1)!;
      assert.ok(fallback.path.endsWith('api/components/search'));
      assert.equal(fallback.query.qualifiers, 'TRK');
      assert.equal(fallback.query.ps, '500');
    });

    it('returns no organizations for a Server without asking', async () => {
      const before = fake.requests.length;
      assert.deepEqual(await client(serverTarget(fake), adaToken).listOrganizations(), []);
      assert.equal(fake.requests.length, before);
    });

    it('maps a bad token to unauthorized', async () => {
      const error = await failureOf(client(serverTarget(fake), `not-a-token-${Date.now()}`).currentUser());
      assert.equal(error.kind, 'unauthorized');
      assert.equal(error.status, 401);
    });

    describe('faults', () => {
      afterEach(() => fake.clearFaults());

      const invalid: Array<[string, Fault, string | RegExp]> = [
        ['an HTML page', { kind: 'html' }, 'an HTML page'],
        ['a redirect to the login page', { kind: 'redirectToLogin' }, 'a redirect to a login page'],
        ['malformed JSON', { kind: 'malformedJson' }, 'a body that is not JSON'],
        ['an empty body', { kind: 'emptyBody' }, 'an empty body'],
        ['a wrong shape', { kind: 'wrongShape' }, /^userTokens|^login/],
        ['a huge body', { kind: 'hugeBody', bytes: 6 * 1024 * 1024 }, /larger than/],
      ];
      for (const [what, fault, detail] of invalid) {
        it(`turns ${what} into invalidResponse`, async () => {
          fake.inject('api/user_tokens/search', fault, { times: 1 });
          const error = await failureOf(client(serverTarget(fake), adaToken).searchTokens());
          assert.equal(error.kind, 'invalidResponse');
          if (typeof detail === 'string') assert.equal(error.detail, detail);
          else assert.match(error.detail ?? '', detail);
        });
      }

      it('retries a GET on 502/503/504 with jittered backoff, at most twice', async () => {
        const waits: number[] = [];
        const sonar = client(serverTarget(fake), adaToken, { retry: { baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void waits.push(ms) } });
        await sonar.currentUser();
        fake.inject('api/user_tokens/search', { kind: 'status', status: 503 }, { times: 2 });
        const before = countOf(fake, 'GET', 'api/user_tokens/search');
        await sonar.searchTokens();
        assert.equal(countOf(fake, 'GET', 'api/user_tokens/search') - before, 3);
        assert.deepEqual(waits, [75, 150]);

        fake.inject('api/user_tokens/search', { kind: 'status', status: 502 }, { times: 5 });
        const again = countOf(fake, 'GET', 'api/user_tokens/search');
        const error = await failureOf(sonar.searchTokens());
        assert.equal(error.kind, 'server');
        assert.equal(countOf(fake, 'GET', 'api/user_tokens/search') - again, 3);
      });

      it('does not retry a 500', async () => {
        fake.inject('api/user_tokens/search', { kind: 'status', status: 500, body: { errors: [{ msg: 'An error has occurred. Please contact your administrator' }] } }, { times: 1 });
        const sonar = client(serverTarget(fake), adaToken);
        await sonar.currentUser();
        const before = countOf(fake, 'GET', 'api/user_tokens/search');
        const error = await failureOf(sonar.searchTokens());
        assert.equal(error.kind, 'server');
        assert.deepEqual(error.serverMessages, ['An error has occurred. Please contact your administrator']);
        assert.equal(countOf(fake, 'GET', 'api/user_tokens/search') - before, 1);
      });

      it('retries a GET once after a dropped connection', async () => {
        const waits: number[] = [];
        const sonar = client(serverTarget(fake), adaToken, { retry: { baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void waits.push(ms) } });
        fake.inject('api/users/current', { kind: 'drop' }, { times: 1 });
        const before = countOf(fake, 'GET', 'api/users/current');
        assert.equal((await sonar.currentUser()).login, 'ada');
        assert.equal(countOf(fake, 'GET', 'api/users/current') - before, 2, 'the dropped request and one retry');
        assert.deepEqual(waits, [75]);
      });

      it('honours a short Retry-After and gives up on a long one', async () => {
        const waits: number[] = [];
        const sonar = client(serverTarget(fake), adaToken, { retry: { sleep: async (ms) => void waits.push(ms) } });
        await sonar.currentUser();
        fake.inject('api/user_tokens/search', { kind: 'rateLimit', retryAfterSeconds: 3 }, { times: 1 });
        await sonar.searchTokens();
        assert.deepEqual(waits, [3000]);
        fake.inject('api/user_tokens/search', { kind: 'rateLimit', retryAfterSeconds: 120 }, { times: 1 });
        const error = await failureOf(sonar.searchTokens());
        assert.equal(error.kind, 'rateLimited');
        assert.equal(error.retryAfterSeconds, 120);
        assert.deepEqual(waits, [3000]);
      });

      it('sends generate exactly once when the connection drops after the server handled it', async () => {
        const sonar = client(serverTarget(fake), adaToken);
        await sonar.currentUser();
        const issuedBefore = fake.issuedTokenValues().length;
        const postsBefore = countOf(fake, 'POST', 'api/user_tokens/generate');
        fake.inject('api/user_tokens/generate', { kind: 'dropAfterHandling' }, { times: 1 });
        const error = await failureOf(sonar.generateToken({ name: 'dropped', expirationDate: farDate(5) }));
        assert.equal(error.kind, 'network');
        assert.equal(error.maybeDelivered, true);
        assert.equal(countOf(fake, 'POST', 'api/user_tokens/generate') - postsBefore, 1);
        assert.equal(fake.issuedTokenValues().length - issuedBefore, 1);
        await sonar.revokeToken({ name: 'dropped' });
      });

      it('never replays a POST on 503 or 429', async () => {
        const sonar = client(serverTarget(fake), adaToken);
        await sonar.currentUser();
        for (const fault of [{ kind: 'status', status: 503 }, { kind: 'rateLimit', retryAfterSeconds: 1 }] as const) {
          fake.inject('api/user_tokens/revoke', fault, { times: 1 });
          const before = countOf(fake, 'POST', 'api/user_tokens/revoke');
          const error = await failureOf(sonar.revokeToken({ name: 'whatever' }));
          assert.ok(['server', 'rateLimited'].includes(error.kind));
          assert.equal(countOf(fake, 'POST', 'api/user_tokens/revoke') - before, 1);
        }
      });

      it('times out, without retrying', async () => {
        const sonar = client(serverTarget(fake), adaToken, { timeoutMs: 150 });
        await sonar.currentUser();
        fake.inject('api/user_tokens/search', { kind: 'delay', ms: 1000 }, { times: 1 });
        const before = countOf(fake, 'GET', 'api/user_tokens/search');
        const error = await failureOf(sonar.searchTokens());
        assert.equal(error.kind, 'timeout');
        assert.equal(countOf(fake, 'GET', 'api/user_tokens/search') - before, 1);
      });

      it('times out a body that stalls midway', async () => {
        const sonar = client(serverTarget(fake), adaToken, { timeoutMs: 200 });
        await sonar.currentUser();
        fake.inject('api/user_tokens/search', { kind: 'stallMidBody' }, { times: 1 });
        assert.equal((await failureOf(sonar.searchTokens())).kind, 'timeout');
      });

      it('cancels on the caller signal', async () => {
        const sonar = client(serverTarget(fake), adaToken);
        await sonar.currentUser();
        fake.inject('api/user_tokens/search', { kind: 'delay', ms: 1000 }, { times: 1 });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const error = await failureOf(sonar.searchTokens(undefined, { signal: controller.signal }));
        assert.equal(error.kind, 'cancelled');
      });

      it('maps injected statuses to kinds', async () => {
        const sonar = client(serverTarget(fake), adaToken, { retry: { maxRetries: 0 } });
        await sonar.currentUser();
        const cases: Array<[number, string]> = [[400, 'badRequest'], [401, 'unauthorized'], [403, 'forbidden'], [404, 'notFound'], [405, 'methodNotAllowed'], [429, 'rateLimited'], [502, 'server']];
        for (const [status, kind] of cases) {
          fake.inject('api/user_tokens/search', { kind: 'status', status, body: status === 401 ? '' : { errors: [{ msg: `said ${status}` }] } }, { times: 1 });
          const error = await failureOf(sonar.searchTokens());
          assert.equal(error.kind, kind, `HTTP ${status}`);
          if (status !== 401) assert.deepEqual(error.serverMessages, [`said ${status}`]);
        }
      });
    });
  });

  describe('a SonarQube Server 9.9 Community under a context path, over HTTPS', () => {
    let fake: FakeSonarQube;
    let token: string;
    before(async () => {
      fake = await startFake({ flavour: 'server', version: '9.9.8.100196', edition: 'community', contextPath: '/sonarqube', https: true });
      await fake.addUser({ login: 'grace', admin: false, scan: true });
      token = await tokenFor(fake, 'grace');
    });

    function httpsClient(): SonarClient {
      const dispatcher = createDispatcher(fake.url, { ca: [fake.caCertificate!] }, {});
      dispatchers.push(dispatcher);
      return client(serverTarget(fake), token, { dispatcher });
    }

    it('keeps the context path and uses Basic authentication', async () => {
      assert.match(fake.url, /^https:\/\/127\.0\.0\.1:\d+\/sonarqube$/);
      const sonar = httpsClient();
      const before = fake.requests.length;
      assert.equal((await sonar.currentUser()).login, 'grace');
      assert.equal((await sonar.serverInfo()).authScheme, 'basic');
      const requests = fake.requests.slice(before).filter((request) => !request.path.endsWith('api/server/version'));
      assert.ok(requests.length > 0);
      assert.ok(requests.every((request) => request.auth === 'basic'));
      assert.ok(requests.every((request) => request.path.startsWith('api/')));
    });

    it('does not enforce a maximum lifetime on Community', async () => {
      assert.deepEqual(await httpsClient().maxTokenLifetime(), { enforced: false });
    });

    it('refuses an untrusted certificate as tls', async () => {
      const error = await failureOf(client(serverTarget(fake), token).currentUser());
      assert.equal(error.kind, 'tls');
      assert.equal(error.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    });
  });

  describe('older servers', () => {
    it('uses the component search on servers before 9.5', async () => {
      const fake = await startFake({ flavour: 'server', version: '9.4.0.54424', edition: 'developer' });
      await fake.addUser({ login: 'lin', admin: false, scan: true });
      const sonar = client(serverTarget(fake), await tokenFor(fake, 'lin'));
      await sonar.scannableProjects();
      assert.ok(fake.requests.at(-1)!.path.endsWith('api/components/search'));
      assert.equal(fake.requests.at(-1)!.auth, 'basic');
    });

    it('reads each enforced lifetime value', async () => {
      for (const [setting, expected] of [['30 days', { enforced: true, days: 30 }], ['1 year', { enforced: true, days: 365 }], ['No expiration', { enforced: false }]] as const) {
        const fake = await startFake({ flavour: 'server', version: '2025.1.0.102418', edition: 'enterprise', maxTokenLifetime: setting });
        await fake.addUser({ login: 'u', admin: false, scan: false });
        assert.deepEqual(await client(serverTarget(fake), await tokenFor(fake, 'u')).maxTokenLifetime(), expected, setting);
      }
    });
  });

  describe('SonarQube Cloud', () => {
    let fake: FakeSonarQube;
    let token: string;
    before(async () => {
      fake = await startFake({ flavour: 'cloud' } as FakeOptions);
      fake.addUser({ login: 'cloudy', admin: false, scan: true });
      fake.addOrganization({ key: 'acme', name: 'Acme', description: 'Rockets', members: ['cloudy'] });
      fake.addOrganization({ key: 'other', name: 'Other', members: ['cloudy'] });
      fake.addOrganization({ key: 'closed', name: 'Closed', members: [] });
      fake.addProject({ key: 'acme_web', name: 'Web', organization: 'acme' });
      fake.addProject({ key: 'other_web', name: 'Other web', organization: 'other' });
      token = await tokenFor(fake, 'cloudy');
    });

    it('uses Bearer without probing, and no lifetime request', async () => {
      const sonar = client({ kind: 'cloud', region: 'EU', organization: 'acme' }, token, { dispatcher: toFake(fake) });
      const before = fake.requests.length;
      assert.equal((await sonar.currentUser()).login, 'cloudy');
      assert.deepEqual(await sonar.maxTokenLifetime(), { enforced: false });
      const requests = fake.requests.slice(before);
      assert.deepEqual(requests.map((request) => [request.path, request.auth]), [['api/users/current', 'bearer']]);
    });

    it('lists all organization pages and searches projects within the organization', async () => {
      const sonar = client({ kind: 'cloud', region: 'EU', organization: 'acme' }, token, { dispatcher: toFake(fake) });
      const organizations = await sonar.listOrganizations();
      assert.deepEqual([...organizations].sort((a, b) => a.key.localeCompare(b.key)), [
        { key: 'acme', name: 'Acme', description: 'Rockets' },
        { key: 'other', name: 'Other' },
      ]);
      const search = fake.requests.filter((request) => request.path.endsWith('api/organizations/search'));
      assert.ok(search.every((request) => request.query.member === 'true' && request.query.ps === '500'));
      assert.deepEqual(await sonar.scannableProjects('web'), [{ key: 'acme_web', name: 'Web' }]);
      const projects = fake.requests.at(-1)!;
      assert.ok(projects.path.endsWith('api/components/search'));
      assert.equal(projects.query.organization, 'acme');
      assert.equal(projects.query.q, 'web');
    });

    it('reaches sonarqube.us by its name through a tunnelling proxy, its certificate checked', async () => {
      const us = await startFake({ flavour: 'cloud', https: { hostNames: ['sonarqube.us'] } });
      us.addUser({ login: 'cloudy', admin: false, scan: true });
      const usToken = await tokenFor(us, 'cloudy');
      const proxy = await startTunnelProxy((target) => (target === 'sonarqube.us:443' ? { host: '127.0.0.1', port: Number(new URL(us.url).port) } : undefined));
      try {
        const settings = { proxyUrl: proxy.url, ca: [us.caCertificate!] };
        const dispatcher = createDispatcher('https://sonarqube.us', settings);
        dispatchers.push(dispatcher);
        assert.equal((await client({ kind: 'cloud', region: 'US' }, usToken, { dispatcher }).currentUser()).login, 'cloudy');
        assert.deepEqual(proxy.tunnels, ['sonarqube.us:443']);

        // Without the fake's CA the same path is refused as a certificate problem.
        const untrusted = createDispatcher('https://sonarqube.us', { proxyUrl: proxy.url });
        dispatchers.push(untrusted);
        assert.equal((await failureOf(client({ kind: 'cloud', region: 'US' }, usToken, { dispatcher: untrusted }).currentUser())).kind, 'tls');
      } finally {
        await proxy.close();
      }
    });

    it('asks for an organization before searching Cloud projects', async () => {
      const error = await failureOf(client({ kind: 'cloud', region: 'EU' }, token, { dispatcher: toFake(fake) }).scannableProjects());
      assert.equal(error.kind, 'badRequest');
    });
  });

  it('compares versions', () => {
    assert.equal(isVersionAtLeast('10.0.0.68432', 10), true);
    assert.equal(isVersionAtLeast('9.9.8.100196', 10), false);
    assert.equal(isVersionAtLeast('9.5.0.1', 9, 5), true);
    assert.equal(isVersionAtLeast('9.4.0.1', 9, 5), false);
    assert.equal(isVersionAtLeast('2025.1.0.102418', 10), true);
    assert.equal(isVersionAtLeast('26.1.0.1', 10), true);
    assert.equal(isVersionAtLeast('unknown', 10), false);
  });
});

// A sibling suite runs after the one above (and its nested suites), so it sees everything they logged and threw.
describe('SonarClient token hygiene', () => {
  it('never logged or threw a token value', () => {
    for (const fake of fakes) for (const value of fake.issuedTokenValues()) tokenValues.add(value);
    assert.ok(tokenValues.size > 3 && logger.lines.length > 10 && thrown.length > 10, 'the suite exercised tokens, logs and errors');
    const haystacks = [...logger.lines, ...thrown.map((error) => `${inspect(error, { depth: 5, showHidden: true })} ${JSON.stringify(error)} ${String((error as Error).stack)}`)];
    for (const value of tokenValues) {
      const forms = [value, Buffer.from(`${value}:`).toString('base64')];
      for (const haystack of haystacks) for (const form of forms) assert.ok(!haystack.includes(form), 'a token value leaked into a log line or an error');
    }
  });
});

function farDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function countOf(fake: FakeSonarQube, method: string, endpoint: string): number {
  return fake.requests.filter((request) => request.method === method && request.path.endsWith(endpoint)).length;
}

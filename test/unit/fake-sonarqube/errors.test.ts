// Every error the fake answers, with the real servers' status codes and exact texts.
import * as assert from 'node:assert/strict';
import type { FakeSonarQube } from '../../fake-sonarqube';
import { call, errorTexts, fakeLifecycle } from './support';
import type { CallOptions } from './support';

describe('fake SonarQube: error answers', () => {
  const startFake = fakeLifecycle();
  let fake: FakeSonarQube;
  let admin: string;
  let ada: string;
  let noScan: string;

  // 2025-03-10 12:00 UTC: tomorrow is 2025-03-11.
  const now = () => new Date('2025-03-10T12:00:00Z');

  async function world(options: Parameters<typeof startFake>[0] = {}): Promise<void> {
    fake = await startFake({ now, ...options });
    fake.addUser({ login: 'root', admin: true });
    fake.addUser({ login: 'ada' });
    fake.addUser({ login: 'linus', scan: false });
    fake.addProject({ key: 'shop', name: 'Shop' });
    admin = fake.createToken('root', { name: 'sign-in' });
    ada = fake.createToken('ada', { name: 'sign-in' });
    noScan = fake.createToken('linus', { name: 'sign-in' });
  }

  async function expectError(path: string, options: CallOptions, status: number, text: string): Promise<void> {
    const result = await call(fake, path, options);
    assert.equal(result.status, status, `${path}: ${result.text}`);
    assert.deepEqual(errorTexts(result), [text]);
    assert.match(String(result.headers['content-type']), /^application\/json/);
  }

  const generate = (token: string, form: Record<string, string>): CallOptions => ({ token, form });

  describe('authentication and permissions', () => {
    beforeEach(() => world());

    for (const [path, method] of [
      ['api/user_tokens/search', 'GET'],
      ['api/user_tokens/generate', 'POST'],
      ['api/user_tokens/revoke', 'POST'],
      ['api/projects/search_my_scannable_projects', 'GET'],
    ] as const) {
      it(`${path} without credentials: 401 Authentication is required`, () =>
        expectError(path, { method, ...(method === 'POST' ? { form: { name: 'x' } } : {}) }, 401, 'Authentication is required'));
    }

    it('401 with an empty body for an unknown, a revoked and an expired token, and for a deactivated user', async () => {
      const expiring = fake.createToken('ada', { name: 'expired', expirationDate: '2025-03-10' });
      fake.addUser({ login: 'gone', active: false });
      const gone = fake.createToken('gone', { name: 'old' });
      const revoked = fake.createToken('ada', { name: 'revoked' });
      assert.equal((await call(fake, 'api/user_tokens/revoke', { token: ada, form: { name: 'revoked' } })).status, 204);
      for (const token of [`squ_${'0'.repeat(40)}`, revoked, expiring, gone]) {
        const result = await call(fake, 'api/user_tokens/search', { token });
        assert.equal(result.status, 401);
        assert.equal(result.text, '');
      }
    });

    it('403 Insufficient privileges for another login, also an unknown one, before any lookup', async () => {
      await expectError('api/user_tokens/search', { token: ada, query: { login: 'root' } }, 403, 'Insufficient privileges');
      await expectError('api/user_tokens/search', { token: ada, query: { login: 'nobody' } }, 403, 'Insufficient privileges');
      await expectError('api/user_tokens/generate', generate(ada, { login: 'nobody', name: 'x' }), 403, 'Insufficient privileges');
      await expectError('api/user_tokens/revoke', { token: ada, form: { login: 'root', name: 'sign-in' } }, 403, 'Insufficient privileges');
      assert.deepEqual(fake.tokenNames('root'), ['sign-in']);
    });

    it("404 User with login '<login>' doesn't exist for an administrator", async () => {
      await expectError('api/user_tokens/search', { token: admin, query: { login: 'nobody' } }, 404, "User with login 'nobody' doesn't exist");
      await expectError('api/user_tokens/generate', generate(admin, { login: 'nobody', name: 'x' }), 404, "User with login 'nobody' doesn't exist");
      await expectError('api/user_tokens/revoke', { token: admin, form: { login: 'nobody', name: 'x' } }, 404, "User with login 'nobody' doesn't exist");
    });

    it('analysis tokens: 401 with no body outside the scanner endpoints on 9.x, served as their owner from 10.0', async () => {
      const analysis = fake.createToken('ada', { name: 'scanner', type: 'GLOBAL_ANALYSIS_TOKEN' });
      const listed = await call(fake, 'api/user_tokens/search', { token: analysis });
      assert.equal(listed.status, 200);
      assert.equal((listed.json() as { login: string }).login, 'ada');
      await world({ version: '9.9.8.100196' });
      const old = fake.createToken('ada', { name: 'scanner', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop' });
      for (const path of ['api/user_tokens/search', 'api/users/current']) {
        const refused = await call(fake, path, { token: old, scheme: 'basic' });
        assert.deepEqual([refused.status, refused.text], [401, ''], path);
      }
      const settings = await call(fake, 'api/settings/values', { token: old, scheme: 'basic' });
      assert.equal(settings.status, 200, 'a scanner endpoint');
      assert.equal(fake.requests.at(-1)!.authenticatedLogin, 'ada');
    });

    it('405 HTTP method POST is required for GET on the POST actions', async () => {
      await expectError('api/user_tokens/generate', { token: ada, query: { name: 'x' } }, 405, 'HTTP method POST is required');
      await expectError('api/user_tokens/revoke', { token: ada, query: { name: 'sign-in' } }, 405, 'HTTP method POST is required');
      assert.deepEqual(fake.tokenNames('ada'), ['sign-in']);
    });

    it('404 for an unknown Web API path', () => expectError('api/nothing/here', { token: ada }, 404, 'Unknown url : /api/nothing/here'));
  });

  describe('api/user_tokens/generate validation', () => {
    beforeEach(() => world());

    it('name: missing, longer than 100, a duplicate after trimming', async () => {
      await expectError('api/user_tokens/generate', generate(ada, {}), 400, "The 'name' parameter is missing");
      await expectError('api/user_tokens/generate', generate(ada, { name: 'n'.repeat(101) }), 400, "'name' length (101) is longer than the maximum authorized (100)");
      assert.equal((await call(fake, 'api/user_tokens/generate', generate(ada, { name: 'n'.repeat(100) }))).status, 200);
      assert.equal((await call(fake, 'api/user_tokens/generate', generate(ada, { name: '  laptop ' }))).status, 200);
      await expectError('api/user_tokens/generate', generate(ada, { name: 'laptop' }), 400, "A user token for login 'ada' and name 'laptop' already exists");
      await expectError('api/user_tokens/generate', generate(admin, { login: 'ada', name: 'laptop' }), 400, "A user token for login 'ada' and name 'laptop' already exists");
    });

    it('type: one of the three', () =>
      expectError('api/user_tokens/generate', generate(ada, { name: 'x', type: 'ADMIN_TOKEN' }), 400,
        "Value of parameter 'type' (ADMIN_TOKEN) must be one of: [USER_TOKEN, GLOBAL_ANALYSIS_TOKEN, PROJECT_ANALYSIS_TOKEN]"));

    it('expirationDate: ISO date only, from tomorrow (UTC)', async () => {
      const format = 'Supplied date format for parameter expirationDate is wrong. Please supply date in the ISO 8601 date format (YYYY-MM-DD)';
      for (const date of ['2025-13-01', '2025-02-30', '11/03/2025', '2025-03-11T00:00:00Z', '']) {
        await expectError('api/user_tokens/generate', generate(ada, { name: `d${date}`, expirationDate: date }), 400, format);
      }
      await expectError('api/user_tokens/generate', generate(ada, { name: 'today', expirationDate: '2025-03-10' }), 400, 'The minimum value for parameter expirationDate is 2025-03-11.');
      const ok = await call(fake, 'api/user_tokens/generate', generate(ada, { name: 'tomorrow', expirationDate: '2025-03-11' }));
      assert.equal((ok.json() as { expirationDate: string }).expirationDate, '2025-03-11T00:00:00+0000');
    });

    it('analysis tokens: only for yourself, need scan, project tokens need an existing projectKey', async () => {
      await expectError('api/user_tokens/generate', generate(admin, { login: 'ada', name: 'g', type: 'GLOBAL_ANALYSIS_TOKEN' }), 400, 'A Global Analysis Token cannot be generated for another user.');
      await expectError('api/user_tokens/generate', generate(admin, { login: 'ada', name: 'p', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop' }), 400, 'A Project Analysis Token cannot be generated for another user.');
      await expectError('api/user_tokens/generate', generate(ada, { name: 'p', type: 'PROJECT_ANALYSIS_TOKEN' }), 400, 'A projectKey is needed when creating Project Analysis Token');
      await expectError('api/user_tokens/generate', generate(ada, { name: 'p', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'nope' }), 404, "Project key 'nope' not found");
      await expectError('api/user_tokens/generate', generate(noScan, { name: 'g', type: 'GLOBAL_ANALYSIS_TOKEN' }), 403, 'Insufficient privileges');
      await expectError('api/user_tokens/generate', generate(noScan, { name: 'p', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop' }), 403, 'Insufficient privileges');
      const project = (await call(fake, 'api/user_tokens/generate', generate(ada, { name: 'p', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: ' shop ' }))).json();
      assert.deepEqual({ ...(project as object), token: undefined, createdAt: undefined }, {
        login: 'ada', name: 'p', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop', token: undefined, createdAt: undefined,
      });
    });
  });

  describe('maximum token lifetime', () => {
    for (const edition of ['enterprise', 'datacenter'] as const) {
      it(`is enforced on ${edition}: at most today + N days, and a date is required`, async () => {
        await world({ edition, maxTokenLifetime: '30 days' });
        assert.equal((await call(fake, 'api/user_tokens/generate', generate(ada, { name: 'edge', expirationDate: '2025-04-09' }))).status, 200);
        await expectError('api/user_tokens/generate', generate(ada, { name: 'late', expirationDate: '2025-04-10' }), 400,
          'Tokens expiring after 2025-04-09 are not allowed. Please use a valid expiration date.');
        await expectError('api/user_tokens/generate', generate(ada, { name: 'forever' }), 400,
          'Tokens expiring after 2025-04-09 are not allowed. Please use an expiration date.');
      });
    }

    it('1 year means 365 days', async () => {
      await world({ edition: 'enterprise', maxTokenLifetime: '1 year' });
      assert.equal((await call(fake, 'api/user_tokens/generate', generate(ada, { name: 'a', expirationDate: '2026-03-10' }))).status, 200);
      await expectError('api/user_tokens/generate', generate(ada, { name: 'b', expirationDate: '2026-03-11' }), 400,
        'Tokens expiring after 2026-03-10 are not allowed. Please use a valid expiration date.');
    });

    for (const edition of ['community', 'developer'] as const) {
      it(`is not enforced on ${edition}`, async () => {
        await world({ edition, maxTokenLifetime: '30 days' });
        assert.equal((await call(fake, 'api/user_tokens/generate', generate(ada, { name: 'forever' }))).status, 200);
        assert.equal((await call(fake, 'api/user_tokens/generate', generate(ada, { name: 'late', expirationDate: '2030-01-01' }))).status, 200);
      });
    }
  });

  describe('searches', () => {
    beforeEach(() => world());

    it('api/users/search: ps at most 500, q at least 2 characters, integers only', async () => {
      assert.equal((await call(fake, 'api/users/search', { token: admin, query: { ps: '500' } })).status, 200);
      await expectError('api/users/search', { token: admin, query: { ps: '501' } }, 400, "The 'ps' parameter must be less than 500");
      await expectError('api/users/search', { token: admin, query: { q: 'a' } }, 400, "'q' length (1) is shorter than the minimum authorized (2)");
      await expectError('api/users/search', { token: admin, query: { p: 'two' } }, 400, "The 'p' parameter cannot be parsed as an integer value: two");
    });

    it('api/components/search needs qualifiers; on Cloud an existing organization', async () => {
      await expectError('api/components/search', { token: ada }, 400, "The 'qualifiers' parameter is missing");
      const cloud = await startFake({ flavour: 'cloud' });
      cloud.addUser({ login: 'ada' });
      const token = cloud.createToken('ada', { name: 'x' });
      fake = cloud;
      await expectError('api/components/search', { token, query: { qualifiers: 'TRK' } }, 400, "The 'organization' parameter is missing");
      await expectError('api/components/search', { token, query: { qualifiers: 'TRK', organization: 'nope' } }, 404, "No organization for key 'nope'");
    });
  });
});

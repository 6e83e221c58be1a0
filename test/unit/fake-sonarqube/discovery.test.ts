// The discovery endpoints a token manager reads: users, settings, projects, organizations.
import * as assert from 'node:assert/strict';
import type { FakeSonarQube } from '../../fake-sonarqube';
import { call, fakeLifecycle } from './support';

interface UsersPage {
  paging: { pageIndex: number; pageSize: number; total: number };
  users: Record<string, unknown>[];
}

describe('fake SonarQube: discovery endpoints', () => {
  const startFake = fakeLifecycle();

  describe('api/users/search', () => {
    let fake: FakeSonarQube;
    let admin: string;
    let ada: string;

    beforeEach(async () => {
      fake = await startFake();
      fake.addUser({ login: 'root', name: 'Root', email: 'root@example.com', admin: true });
      fake.addUser({ login: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' });
      for (const login of ['bob', 'carol', 'dave', 'erin']) fake.addUser({ login, name: login.toUpperCase(), email: `${login}@corp.test` });
      fake.addUser({ login: 'gone', active: false });
      admin = fake.createToken('root', { name: 'admin' });
      ada = fake.createToken('ada', { name: 'ide' });
      fake.createToken('ada', { name: 'second' });
    });

    const search = async (token: string, query: Record<string, string> = {}) => (await call(fake, 'api/users/search', { token, query })).json() as UsersPage;

    it('pages active users by login', async () => {
      const page = await search(admin, { p: '2', ps: '2' });
      assert.deepEqual(page.paging, { pageIndex: 2, pageSize: 2, total: 6 });
      assert.deepEqual(page.users.map((user) => user.login), ['carol', 'dave']);
      assert.deepEqual((await search(admin)).paging, { pageIndex: 1, pageSize: 50, total: 6 });
      assert.deepEqual((await search(admin, { deactivated: 'true' })).users.map((user) => user.login), ['gone']);
    });

    it('q matches login, name or email, case-insensitively', async () => {
      assert.deepEqual((await search(admin, { q: 'LOVE' })).users.map((user) => user.login), ['ada']);
      assert.deepEqual((await search(admin, { q: 'corp.test' })).users.map((user) => user.login), ['bob', 'carol', 'dave', 'erin']);
    });

    it('email, groups, tokensCount and lastConnectionDate only for administrators or yourself', async () => {
      assert.equal((await search(admin, { q: 'ada' })).users[0]!.lastConnectionDate, undefined);
      await call(fake, 'api/users/current', { token: ada });
      const asAdmin = (await search(admin, { q: 'ada' })).users[0]!;
      assert.deepEqual(Object.keys(asAdmin).sort(), [
        'active', 'avatar', 'email', 'externalIdentity', 'externalProvider', 'groups', 'lastConnectionDate', 'local', 'login', 'managed', 'name', 'tokensCount',
      ]);
      assert.equal(asAdmin.tokensCount, 2);
      const asAda = await search(ada);
      const self = asAda.users.find((user) => user.login === 'ada')!;
      const other = asAda.users.find((user) => user.login === 'bob')!;
      assert.equal(self.email, 'ada@example.com');
      assert.deepEqual(Object.keys(other).sort(), ['active', 'avatar', 'externalIdentity', 'externalProvider', 'local', 'login', 'managed', 'name']);
    });
  });

  describe('api/settings/values', () => {
    const settingsOf = async (options: Parameters<typeof startFake>[0], query: Record<string, string> = {}) => {
      const fake = await startFake(options);
      return ((await call(fake, 'api/settings/values', { query })).json() as { settings: { key: string; value: string }[] }).settings;
    };
    const lifetimeKey = 'sonar.auth.token.max.allowed.lifetime';

    it('without keys: every setting, the max lifetime included on Enterprise and Data Center', async () => {
      const enterprise = await settingsOf({ edition: 'enterprise', maxTokenLifetime: '90 days' });
      assert.equal(enterprise.find((setting) => setting.key === lifetimeKey)?.value, '90 days');
      assert.ok(enterprise.length > 1);
      const datacenter = await settingsOf({ edition: 'datacenter' });
      assert.equal(datacenter.find((setting) => setting.key === lifetimeKey)?.value, 'No expiration');
      for (const edition of ['community', 'developer'] as const) {
        assert.equal((await settingsOf({ edition, maxTokenLifetime: '30 days' })).find((setting) => setting.key === lifetimeKey), undefined);
      }
    });

    it('with keys: only those', async () => {
      const settings = await settingsOf({ edition: 'enterprise', maxTokenLifetime: '1 year' }, { keys: lifetimeKey });
      assert.deepEqual(settings, [{ key: lifetimeKey, value: '1 year' }]);
    });
  });

  describe('projects', () => {
    it('api/projects/search_my_scannable_projects on Server 9.5 and later, filtered by q', async () => {
      const fake = await startFake({ version: '9.9.8.100196' });
      fake.addUser({ login: 'ada' });
      fake.addUser({ login: 'linus', scan: false });
      fake.addProject({ key: 'shop', name: 'Shop' });
      fake.addProject({ key: 'payments', name: 'Payments API' });
      const token = fake.createToken('ada', { name: 'ide' });
      const search = async (query: Record<string, string>, as = token) => (await call(fake, 'api/projects/search_my_scannable_projects', { token: as, query, scheme: 'basic' })).json();
      assert.deepEqual(await search({}), { projects: [{ key: 'payments', name: 'Payments API' }, { key: 'shop', name: 'Shop' }] });
      assert.deepEqual(await search({ q: 'SHO' }), { projects: [{ key: 'shop', name: 'Shop' }] });
      assert.deepEqual(await search({}, fake.createToken('linus', { name: 'ide' })), { projects: [] });

      const old = await startFake({ version: '9.4.0.54424' });
      assert.equal((await call(old, 'api/projects/search_my_scannable_projects')).status, 404);
      const cloud = await startFake({ flavour: 'cloud' });
      assert.equal((await call(cloud, 'api/projects/search_my_scannable_projects')).status, 404);
    });

    it('api/components/search: projects (TRK), on Cloud of one organization', async () => {
      const server = await startFake();
      server.addProject({ key: 'shop', name: 'Shop' });
      server.addProject({ key: 'app', name: 'App' });
      const body = (await call(server, 'api/components/search', { query: { qualifiers: 'TRK', ps: '1', p: '2' } })).json();
      assert.deepEqual(body, { paging: { pageIndex: 2, pageSize: 1, total: 2 }, components: [{ key: 'shop', qualifier: 'TRK', name: 'Shop', project: 'shop' }] });

      const cloud = await startFake({ flavour: 'cloud' });
      cloud.addUser({ login: 'ada' });
      cloud.addOrganization({ key: 'acme', name: 'ACME', members: ['ada'] });
      cloud.addOrganization({ key: 'other', name: 'Other', members: [] });
      cloud.addProject({ key: 'acme_shop', name: 'Shop', organization: 'acme' });
      cloud.addProject({ key: 'other_app', name: 'App', organization: 'other' });
      const token = cloud.createToken('ada', { name: 'ide' });
      const cloudBody = (await call(cloud, 'api/components/search', { token, query: { qualifiers: 'TRK', organization: 'acme', q: 'sh' } })).json();
      assert.deepEqual(cloudBody, {
        paging: { pageIndex: 1, pageSize: 100, total: 1 },
        components: [{ organization: 'acme', key: 'acme_shop', qualifier: 'TRK', name: 'Shop', project: 'acme_shop' }],
      });
    });
  });

  describe('api/organizations/search (Cloud)', () => {
    it('member=true: the caller\'s organizations, paged', async () => {
      const cloud = await startFake({ flavour: 'cloud' });
      cloud.addUser({ login: 'ada' });
      for (let i = 1; i <= 5; i++) cloud.addOrganization({ key: `org-${i}`, name: `Org ${i}`, description: i === 1 ? 'First' : undefined, members: i === 3 ? [] : ['ada'] });
      const token = cloud.createToken('ada', { name: 'ide' });
      const page = async (p: string) => (await call(cloud, 'api/organizations/search', { token, query: { member: 'true', ps: '2', p } })).json();
      assert.deepEqual(await page('1'), {
        paging: { pageIndex: 1, pageSize: 2, total: 4 },
        organizations: [{ key: 'org-1', name: 'Org 1', description: 'First' }, { key: 'org-2', name: 'Org 2' }],
      });
      assert.deepEqual(((await page('2')) as { organizations: { key: string }[] }).organizations.map((org) => org.key), ['org-4', 'org-5']);
      const anonymous = await call(cloud, 'api/organizations/search', { query: { member: 'true' } });
      assert.equal(anonymous.status, 401);
      const server = await startFake();
      assert.equal((await call(server, 'api/organizations/search')).status, 404);
    });
  });
});

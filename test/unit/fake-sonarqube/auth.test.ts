// Authentication per flavour and version, token values, expiry and last-connection bookkeeping.
import * as assert from 'node:assert/strict';
import { call, fakeLifecycle, manualClock } from './support';

interface SearchBody {
  userTokens: { name: string; lastConnectionDate?: string; expirationDate?: string; isExpired?: boolean }[];
}

describe('fake SonarQube: authentication', () => {
  const startFake = fakeLifecycle();

  const versions = [
    { version: '9.9.8.100196', bearer: false },
    { version: '10.7.0.96327', bearer: true },
    { version: '2025.1.0.102418', bearer: true },
  ];
  for (const { version, bearer } of versions) {
    it(`Server ${version}: Basic token: works${bearer ? ', Bearer too' : ', Bearer is refused with 401'}`, async () => {
      const fake = await startFake({ version });
      fake.addUser({ login: 'ada' });
      const token = fake.createToken('ada', { name: 'ide' });
      assert.equal((await call(fake, 'api/server/version')).text, version);
      const basic = await call(fake, 'api/users/current', { token, scheme: 'basic' });
      assert.equal((basic.json() as { login: string }).login, 'ada');
      const viaBearer = await call(fake, 'api/users/current', { token, scheme: 'bearer' });
      assert.equal(viaBearer.status, bearer ? 200 : 401);
      if (!bearer) assert.equal(viaBearer.text, '');
      const validate = await call(fake, 'api/authentication/validate', { token, scheme: 'bearer' });
      assert.deepEqual(validate.json(), { valid: bearer });
    });
  }

  it('Cloud: Bearer and Basic, token values are 40 hex characters', async () => {
    const fake = await startFake({ flavour: 'cloud' });
    fake.addUser({ login: 'ada' });
    const token = fake.createToken('ada', { name: 'ide' });
    assert.match(token, /^[0-9a-f]{40}$/);
    for (const scheme of ['bearer', 'basic'] as const) assert.equal((await call(fake, 'api/users/current', { token, scheme })).status, 200);
    const generated = (await call(fake, 'api/user_tokens/generate', { token, form: { name: 'new' } })).json() as { token: string };
    assert.match(generated.token, /^[0-9a-f]{40}$/);
  });

  it('Server token values carry the type prefix', async () => {
    const fake = await startFake();
    fake.addUser({ login: 'ada' });
    fake.addProject({ key: 'p', name: 'P' });
    const token = fake.createToken('ada', { name: 'ide' });
    const prefixes = { USER_TOKEN: 'squ_', GLOBAL_ANALYSIS_TOKEN: 'sqa_', PROJECT_ANALYSIS_TOKEN: 'sqp_' };
    for (const [type, prefix] of Object.entries(prefixes)) {
      const body = (await call(fake, 'api/user_tokens/generate', { token, form: { name: type, type, projectKey: 'p' } })).json() as { token: string };
      assert.match(body.token, new RegExp(`^${prefix}[0-9a-f]{40}$`));
    }
  });

  it('Basic with a password is not a token: 401', async () => {
    const fake = await startFake();
    fake.addUser({ login: 'ada' });
    fake.createToken('ada', { name: 'ide' });
    const result = await call(fake, 'api/users/current', { headers: { authorization: `Basic ${Buffer.from('ada:secret').toString('base64')}` } });
    assert.equal(result.status, 401);
  });

  it('anonymous callers: users/current says not logged in; forced authentication answers 401 but keeps public endpoints', async () => {
    const open = await startFake();
    assert.deepEqual((await call(open, 'api/users/current')).json(), {
      isLoggedIn: false,
      permissions: { global: [] },
      dismissedNotices: { educationPrinciples: false, sonarlintAd: false },
    });
    assert.deepEqual((await call(open, 'api/authentication/validate')).json(), { valid: true });
    assert.deepEqual((await call(open, 'api/authentication/validate', { token: 'wrong' })).json(), { valid: false });

    const forced = await startFake({ forceAuthentication: true });
    const current = await call(forced, 'api/users/current');
    assert.equal(current.status, 401);
    assert.equal(current.text, '');
    assert.deepEqual((await call(forced, 'api/authentication/validate')).json(), { valid: false });
    assert.equal((await call(forced, 'api/server/version')).status, 200);
    assert.equal((await call(forced, 'api/system/status')).status, 200);
  });

  it('api/system/status: 9.x shows anonymous callers only the status', async () => {
    const old = await startFake({ version: '9.9.8.100196' });
    assert.deepEqual((await call(old, 'api/system/status')).json(), { status: 'UP' });
    const recent = await startFake({ version: '10.7.0.96327' });
    const body = (await call(recent, 'api/system/status')).json() as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['id', 'status', 'version']);
    assert.equal(body.version, '10.7.0.96327');
  });

  it('global permissions: admin, scan, and the narrower analysis tokens', async () => {
    const fake = await startFake();
    fake.addUser({ login: 'root', admin: true });
    fake.addUser({ login: 'linus', scan: false });
    fake.addProject({ key: 'p', name: 'P' });
    const permissions = async (token: string) => ((await call(fake, 'api/users/current', { token })).json() as { permissions: { global: string[] } }).permissions.global;
    assert.deepEqual(await permissions(fake.createToken('root', { name: 'u' })), ['admin', 'gateadmin', 'profileadmin', 'provisioning', 'scan']);
    assert.deepEqual(await permissions(fake.createToken('root', { name: 'g', type: 'GLOBAL_ANALYSIS_TOKEN' })), ['scan']);
    assert.deepEqual(await permissions(fake.createToken('root', { name: 'p', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'p' })), []);
    assert.deepEqual(await permissions(fake.createToken('linus', { name: 'u' })), []);
  });

  it('expiry follows the clock: isExpired in the search, then 401; the expiration header while valid', async () => {
    const clock = manualClock('2025-03-10T12:00:00Z');
    const fake = await startFake({ now: clock.now });
    fake.addUser({ login: 'root', admin: true });
    fake.addUser({ login: 'ada' });
    const admin = fake.createToken('root', { name: 'admin' });
    const ada = fake.createToken('ada', { name: 'short', expirationDate: '2025-03-12' });
    const first = await call(fake, 'api/users/current', { token: ada });
    assert.equal(first.headers['sonarqube-authentication-token-expiration'], '2025-03-12T00:00:00+0000');
    assert.equal((await call(fake, 'api/users/current', { token: admin })).headers['sonarqube-authentication-token-expiration'], undefined);
    const listed = async () => ((await call(fake, 'api/user_tokens/search', { token: admin, query: { login: 'ada' } })).json() as SearchBody).userTokens[0]!;
    assert.equal((await listed()).isExpired, false);

    clock.set('2025-03-12T00:00:00Z');
    assert.equal((await listed()).isExpired, true);
    assert.equal((await call(fake, 'api/users/current', { token: ada })).status, 401);
  });

  it('lastConnectionDate is set on use and moves at most once an hour', async () => {
    const clock = manualClock('2025-03-10T12:00:00Z');
    const fake = await startFake({ now: clock.now });
    fake.addUser({ login: 'root', admin: true });
    fake.addUser({ login: 'ada' });
    const admin = fake.createToken('root', { name: 'admin' });
    const ada = fake.createToken('ada', { name: 'ide' });
    const lastConnection = async () =>
      ((await call(fake, 'api/user_tokens/search', { token: admin, query: { login: 'ada' } })).json() as SearchBody).userTokens[0]!.lastConnectionDate;
    assert.equal(await lastConnection(), undefined);
    await call(fake, 'api/users/current', { token: ada });
    assert.equal(await lastConnection(), '2025-03-10T12:00:00+0000');
    clock.advance(59 * 60_000);
    await call(fake, 'api/users/current', { token: ada });
    assert.equal(await lastConnection(), '2025-03-10T12:00:00+0000');
    clock.advance(60_000);
    await call(fake, 'api/users/current', { token: ada });
    assert.equal(await lastConnection(), '2025-03-10T13:00:00+0000');
  });
});

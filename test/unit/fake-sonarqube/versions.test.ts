// The fake plays each version as the real servers behave: ignored parameters, authentication schemes, check order.
import * as assert from 'node:assert/strict';
import type { FakeSonarQube } from '../../fake-sonarqube';
import { featuresOf, serverProfiles } from '../../fake-sonarqube/versions';
import { call, errorTexts, fakeLifecycle } from './support';

const now = () => new Date('2025-03-10T12:00:00Z');

describe('fake SonarQube: versions', () => {
  const startFake = fakeLifecycle();

  async function world(version: string): Promise<{ fake: FakeSonarQube; token: string }> {
    const fake = await startFake({ version, now });
    fake.addUser({ login: 'ada' });
    fake.addProject({ key: 'shop', name: 'Shop' });
    return { fake, token: fake.createToken('ada', { name: 'sign-in' }) };
  }

  it('9.4 ignores type and projectKey, 9.5 expirationDate: plain user tokens that never expire', async () => {
    const asked = { name: 'scan', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop', expirationDate: '2025-04-01' };
    const answers: Record<string, unknown> = {};
    for (const version of ['9.4.0.54424', '9.5.0.56709', '9.6.1.59531']) {
      const { fake, token } = await world(version);
      const generated = (await call(fake, 'api/user_tokens/generate', { token, scheme: 'basic', form: asked })).json() as Record<string, string>;
      const prefix = /^sq[upa]_/.exec(generated.token!)?.[0] ?? 'none';
      answers[version] = { type: generated.type, projectKey: generated.projectKey, expirationDate: generated.expirationDate, prefix };
    }
    assert.deepEqual(answers, {
      '9.4.0.54424': { type: 'USER_TOKEN', projectKey: undefined, expirationDate: undefined, prefix: 'none' },
      '9.5.0.56709': { type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop', expirationDate: undefined, prefix: 'sqp_' },
      '9.6.1.59531': { type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop', expirationDate: '2025-04-01T00:00:00+0000', prefix: 'sqp_' },
    });
  });

  it('Bearer from 10.0, Basic everywhere; anonymous status and managed users from 10.0', async () => {
    for (const [version, bearer] of [['9.9.8.100196', 401], ['10.0.0.68432', 200]] as const) {
      const { fake, token } = await world(version);
      assert.equal((await call(fake, 'api/users/current', { token })).status, bearer, version);
      assert.equal((await call(fake, 'api/users/current', { token, scheme: 'basic' })).status, 200, version);
      const status = (await call(fake, 'api/system/status')).json() as Record<string, string>;
      assert.deepEqual(Object.keys(status).sort(), version.startsWith('9') ? ['status'] : ['id', 'status', 'version']);
    }
  });

  it('checks generate in the real order: type and login, expiration, login, admin, project, duplicate', async () => {
    const fake = await startFake({ now, edition: 'enterprise', maxTokenLifetime: '30 days' });
    fake.addUser({ login: 'ada' });
    const ada = fake.createToken('ada', { name: 'sign-in', expirationDate: '2025-03-20' });
    const texts = async (form: Record<string, string>, token?: string) => errorTexts(await call(fake, 'api/user_tokens/generate', { token, form }));
    // Anonymous and for someone else: the combination comes before "Authentication is required".
    assert.deepEqual(await texts({ name: 'g', type: 'GLOBAL_ANALYSIS_TOKEN', login: 'ada' }), ['A Global Analysis Token cannot be generated for another user.']);
    assert.deepEqual(await texts({ name: 'x', expirationDate: '2025-03-10' }), ['The minimum value for parameter expirationDate is 2025-03-11.']);
    assert.deepEqual(await texts({ name: 'x' }), ['Tokens expiring after 2025-04-09 are not allowed. Please use an expiration date.']);
    assert.deepEqual(await texts({ name: 'x', expirationDate: '2025-04-01' }), ['Authentication is required']);
    assert.deepEqual(await texts({ name: 'x', expirationDate: '2025-04-01', login: 'nobody' }, ada), ['Insufficient privileges']);
    assert.deepEqual(await texts({ name: 'p', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'none', expirationDate: '2025-04-01' }, ada), ["Project key 'none' not found"]);
    assert.deepEqual(await texts({ name: 'sign-in', expirationDate: '2025-04-01' }, ada), ["A user token for login 'ada' and name 'sign-in' already exists"]);
    const revoke = await call(fake, 'api/user_tokens/revoke', { form: {} });
    assert.deepEqual(errorTexts(revoke), ["The 'name' parameter is missing"], 'revoke checks the name before the login');
  });

  it('project analysis tokens need Execute Analysis on that project or globally', async () => {
    const fake = await startFake({ now });
    fake.addUser({ login: 'linus', scan: false });
    fake.addProject({ key: 'shop', name: 'Shop', scanners: ['linus'] });
    fake.addProject({ key: 'bank', name: 'Bank' });
    const token = fake.createToken('linus', { name: 'sign-in' });
    const generate = (projectKey: string) => call(fake, 'api/user_tokens/generate', { token, form: { name: projectKey, type: 'PROJECT_ANALYSIS_TOKEN', projectKey } });
    assert.equal((await generate('shop')).status, 200);
    assert.deepEqual(errorTexts(await generate('bank')), ['Insufficient privileges']);
    const scannable = (await call(fake, 'api/projects/search_my_scannable_projects', { token })).json() as { projects: { key: string }[] };
    assert.deepEqual(scannable.projects.map((project) => project.key), ['shop']);
  });

  it('SonarQube Cloud makes user tokens only', async () => {
    const fake = await startFake({ now, flavour: 'cloud' });
    fake.addUser({ login: 'ada' });
    const token = fake.createToken('ada', { name: 'sign-in' });
    const refused = await call(fake, 'api/user_tokens/generate', { token, form: { name: 'g', type: 'GLOBAL_ANALYSIS_TOKEN' } });
    assert.deepEqual([refused.status, errorTexts(refused)], [400, ["Value of parameter 'type' (GLOBAL_ANALYSIS_TOKEN) must be one of: [USER_TOKEN]"]]);
  });

  it('has a profile for every version the compatibility suite runs, each with the features of its version', () => {
    assert.deepEqual(serverProfiles.map((profile) => profile.id), ['9.9', '10.4', '10.8', '2025.1', '2026.x', 'community-26.x', 'cloud-eu', 'cloud-us']);
    const handshakes = serverProfiles.map((profile) => {
      const features = featuresOf(profile.flavour, profile.version);
      return [profile.id, features.legacyHandshake, features.authHandshake, features.bearer];
    });
    assert.deepEqual(handshakes, [
      ['9.9', true, false, false],
      ['10.4', true, false, true],
      ['10.8', true, false, true],
      ['2025.1', true, false, true],
      ['2026.x', true, true, true],
      ['community-26.x', true, true, true],
      ['cloud-eu', true, true, true],
      ['cloud-us', true, true, true],
    ]);
  });
});

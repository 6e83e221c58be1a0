// The request log: what tests can assert on, and that no token value ever lands in it.
import * as assert from 'node:assert/strict';
import { authorization, call, fakeLifecycle } from './support';

describe('fake SonarQube: request log', () => {
  const startFake = fakeLifecycle();

  it('records method, path without context path, query, form, scheme, login and Origin', async () => {
    const fake = await startFake({ contextPath: '/sonarqube' });
    assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+\/sonarqube$/);
    assert.equal(fake.url, `${fake.origin}/sonarqube`);
    fake.addUser({ login: 'ada' });
    const token = fake.createToken('ada', { name: 'ide' });
    await call(fake, 'api/user_tokens/search', { token, scheme: 'basic', query: { login: 'ada' }, headers: { origin: 'http://example.test' } });
    await call(fake, 'api/user_tokens/generate', { token, form: { name: 'new', type: 'USER_TOKEN' } });
    await call(fake, 'api/users/current', { token: 'wrong' });
    await call(fake, 'api/server/version');
    assert.deepEqual(fake.requests, [
      { method: 'GET', path: 'api/user_tokens/search', query: { login: 'ada' }, form: {}, auth: 'basic', authenticatedLogin: 'ada', origin: 'http://example.test', status: 200 },
      { method: 'POST', path: 'api/user_tokens/generate', query: {}, form: { name: 'new', type: 'USER_TOKEN' }, auth: 'bearer', authenticatedLogin: 'ada', status: 200 },
      { method: 'GET', path: 'api/users/current', query: {}, form: {}, auth: 'bearer', status: 401 },
      { method: 'GET', path: 'api/server/version', query: {}, form: {}, auth: 'none', status: 200 },
    ]);
  });

  it('never holds an issued token value, in any form, even when a caller puts one in a parameter', async () => {
    const fake = await startFake();
    fake.addUser({ login: 'root', admin: true });
    fake.addUser({ login: 'ada' });
    const admin = fake.createToken('root', { name: 'admin' });
    const ada = fake.createToken('ada', { name: 'ide' });
    const generated = (await call(fake, 'api/user_tokens/generate', { token: admin, form: { login: 'ada', name: 'made' } })).json() as { token: string };
    await call(fake, 'api/user_tokens/search', { token: ada, scheme: 'basic', query: { token: generated.token } });
    await call(fake, 'api/user_tokens/revoke', { token: admin, form: { login: 'ada', name: 'made', password: generated.token } });
    // A revoked value is still redacted.
    await call(fake, 'api/users/current', { token: generated.token, query: { t: generated.token } });
    fake.inject('api/users/current', { kind: 'drop' }, { times: 1 });
    await assert.rejects(call(fake, 'api/users/current', { token: ada }));

    const values = fake.issuedTokenValues();
    assert.deepEqual(values.sort(), [admin, ada, generated.token].sort());
    const log = JSON.stringify(fake.requests);
    assert.equal(fake.requests.length, 5);
    for (const value of values) {
      for (const form of [value, authorization(value, 'basic'), Buffer.from(`${value}:`).toString('base64'), value.slice(4)]) {
        assert.ok(!log.includes(form), 'a token value is in the request log');
      }
    }
    assert.equal(fake.requests[1]!.query.token, '<redacted>');
    assert.equal(fake.requests[2]!.form.password, '<redacted>');
  });
});

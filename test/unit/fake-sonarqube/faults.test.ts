// Injected faults: what each one does on the wire, how often, and on which routes.
import * as assert from 'node:assert/strict';
import type { FakeSonarQube } from '../../fake-sonarqube';
import { call, errorTexts, fakeLifecycle } from './support';

describe('fake SonarQube: faults', () => {
  const startFake = fakeLifecycle();
  let fake: FakeSonarQube;
  let token: string;

  beforeEach(async () => {
    fake = await startFake({ contextPath: '/sonarqube' });
    fake.addUser({ login: 'ada' });
    token = fake.createToken('ada', { name: 'ide' });
  });

  const search = () => call(fake, 'api/user_tokens/search', { token });

  it('status: the given status, body and headers, for `times` requests only', async () => {
    fake.inject('api/user_tokens/search', { kind: 'status', status: 503, body: { errors: [{ msg: 'down' }] }, headers: { 'Retry-After': '7' } }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const result = await search();
      assert.equal(result.status, 503);
      assert.deepEqual(errorTexts(result), ['down']);
      assert.equal(result.headers['retry-after'], '7');
    }
    assert.equal((await search()).status, 200);
  });

  it('a route with a method only hits that method; a later inject replaces, times 0 removes, clearFaults clears', async () => {
    fake.inject('POST api/user_tokens/search', { kind: 'status', status: 500 });
    assert.equal((await search()).status, 200);
    fake.inject('api/user_tokens/search', { kind: 'status', status: 502 });
    fake.inject('api/user_tokens/search', { kind: 'status', status: 504 });
    assert.equal((await search()).status, 504);
    fake.inject('api/user_tokens/search', { kind: 'status', status: 504 }, { times: 0 });
    assert.equal((await search()).status, 200);
    fake.inject('api/users/current', { kind: 'status', status: 500 });
    fake.clearFaults();
    assert.equal((await call(fake, 'api/users/current', { token })).status, 200);
  });

  it('drop: the connection closes before any answer and nothing is processed', async () => {
    fake.inject('POST api/user_tokens/generate', { kind: 'drop' }, { times: 1 });
    await assert.rejects(call(fake, 'api/user_tokens/generate', { token, form: { name: 'lost' } }));
    assert.deepEqual(fake.tokenNames('ada'), ['ide']);
  });

  it('dropAfterHandling: the token is created, the answer never arrives', async () => {
    fake.inject('POST api/user_tokens/generate', { kind: 'dropAfterHandling' }, { times: 1 });
    await assert.rejects(call(fake, 'api/user_tokens/generate', { token, form: { name: 'created' } }));
    assert.deepEqual(fake.tokenNames('ada'), ['created', 'ide']);
    assert.equal(fake.issuedTokenValues().length, 2);
  });

  it('resetMidBody: processed, then reset after half the body', async () => {
    fake.inject('POST api/user_tokens/generate', { kind: 'resetMidBody' }, { times: 1 });
    await assert.rejects(call(fake, 'api/user_tokens/generate', { token, form: { name: 'half' } }));
    assert.deepEqual(fake.tokenNames('ada'), ['half', 'ide']);
  });

  it('stallMidBody: half a body, then silence until the client gives up', async () => {
    fake.inject('api/user_tokens/search', { kind: 'stallMidBody' }, { times: 1 });
    const started = Date.now();
    await assert.rejects(call(fake, 'api/user_tokens/search', { token, signal: AbortSignal.timeout(300) }));
    assert.ok(Date.now() - started >= 250);
  });

  it('html, redirectToLogin, malformedJson, wrongShape, emptyBody', async () => {
    fake.inject('api/user_tokens/search', { kind: 'html' }, { times: 1 });
    const html = await search();
    assert.equal(html.status, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.text, /<form/);

    fake.inject('api/user_tokens/search', { kind: 'redirectToLogin' }, { times: 1 });
    const redirect = await search();
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.location, '/sonarqube/sessions/new?return_to=%2Fsonarqube%2Fapi%2Fuser_tokens%2Fsearch');
    assert.match((await call(fake, 'sessions/new')).text, /Log in/);

    fake.inject('api/user_tokens/search', { kind: 'malformedJson' }, { times: 1 });
    const malformed = await search();
    assert.match(String(malformed.headers['content-type']), /^application\/json/);
    assert.throws(() => malformed.json(), SyntaxError);

    fake.inject('api/user_tokens/search', { kind: 'wrongShape' }, { times: 1 });
    const wrong = (await search()).json() as Record<string, unknown>;
    assert.equal(typeof wrong.login, 'number');
    assert.ok(!Array.isArray(wrong.userTokens));

    fake.inject('api/user_tokens/search', { kind: 'emptyBody' }, { times: 1 });
    const empty = await search();
    assert.equal(empty.status, 200);
    assert.equal(empty.text, '');
  });

  it('rateLimit: 429 with Retry-After when asked', async () => {
    fake.inject('api/user_tokens/search', { kind: 'rateLimit', retryAfterSeconds: 30 }, { times: 1 });
    const limited = await search();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '30');
    fake.inject('api/user_tokens/search', { kind: 'rateLimit' }, { times: 1 });
    assert.equal((await search()).headers['retry-after'], undefined);
  });

  it('delay, trickle and latency slow the real answer down', async () => {
    fake.inject('api/user_tokens/search', { kind: 'delay', ms: 200 }, { times: 1 });
    let started = Date.now();
    assert.equal((await search()).status, 200);
    assert.ok(Date.now() - started >= 190);

    fake.inject('api/user_tokens/search', { kind: 'trickle', bytesPerSecond: 200 }, { times: 1 });
    started = Date.now();
    const trickled = await search();
    assert.equal((trickled.json() as { login: string }).login, 'ada');
    // About 100 bytes at 200 bytes per second.
    assert.ok(Date.now() - started >= (trickled.text.length / 200) * 1000 - 150, `${Date.now() - started} ms`);

    fake.setLatency(150);
    started = Date.now();
    await search();
    assert.ok(Date.now() - started >= 140);
  });

  it('hugeBody: valid JSON of the asked size', async () => {
    fake.inject('api/user_tokens/search', { kind: 'hugeBody', bytes: 3_000_000 }, { times: 1 });
    const huge = await search();
    assert.equal(huge.text.length, 3_000_000);
    assert.equal(typeof (huge.json() as { padding: string }).padding, 'string');
  });

  it('close() ends stalled answers', async () => {
    fake.inject('api/user_tokens/search', { kind: 'stallMidBody' });
    const pending = search();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fake.close();
    await assert.rejects(pending);
  });
});

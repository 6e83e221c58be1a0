// The `/sonarlint/auth` page: a real browser hands a new user token to a local IDE listener, with the Origin header.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { chromium } from 'playwright-core';
import type { FakeSonarQube } from '../../fake-sonarqube';
import { call, fakeLifecycle } from './support';

const chromiumPath = '/usr/bin/chromium';

interface IdeListener {
  readonly port: number;
  readonly received: { path: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A stand-in for SonarQube for IDE's local server, on the first free port of 64120-64130. */
async function startIdeListener(allowedOrigin: string): Promise<IdeListener> {
  const received: IdeListener['received'] = [];
  const server: Server = createServer((req, res) => {
    // Other test runs on this machine probe the same ports for SonarQube for IDE: only requests from the page (its
    // origin) are recorded and answered, so a stray probe neither fails this test nor finds an IDE here.
    if (req.headers.origin !== allowedOrigin) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: `${req.method} ${req.url}`, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.setHeader('Access-Control-Allow-Origin', allowedOrigin);
      if (req.url === '/sonarlint/api/status') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ ideName: 'Visual Studio Code', description: 'test', needsToken: true, capabilities: {} }));
      } else res.end();
    });
  });
  for (let port = 64120; port <= 64130; port++) {
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  throw new Error('No free port in 64120-64130');
}

function nonceOf(html: string): string {
  return /"nonce":"([^"]+)"/.exec(html)![1]!;
}

// 2025-03-10 12:00 UTC: a year on is 2026-03-10.
const now = () => new Date('2025-03-10T12:00:00Z');

/** Views the page and presses its button without a browser: the token the page would hand to the IDE. */
async function issueThroughPage(fake: FakeSonarQube, route: string, query: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const page = await call(fake, route, { query: { port: '64120', ...query } });
  assert.equal(page.status, 200, page.text);
  const issued = await call(fake, 'sonarlint/api/_issue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce: nonceOf(page.text) }) });
  return { status: issued.status, body: issued.json() as Record<string, string> };
}

describe('fake SonarQube: the handshake page per version', () => {
  const startFake = fakeLifecycle();

  async function signedIn(options: Parameters<typeof startFake>[0]): Promise<FakeSonarQube> {
    const fake = await startFake({ now, ...options });
    fake.addUser({ login: 'ada', name: 'Ada' });
    fake.setBrowserSignInUser('ada');
    return fake;
  }

  const routes = async (fake: FakeSonarQube) => {
    const served: string[] = [];
    for (const route of ['sonarlint/auth', 'auth']) {
      if ((await call(fake, route, { query: { ideName: 'Code', port: '64120' } })).status === 200) served.push(route);
    }
    return served;
  };

  it('serves sonarlint/auth from 9.7 and auth from 2026.2 and Community Build 26.2, both on Cloud', async () => {
    const expected: Array<[Parameters<typeof startFake>[0], string[]]> = [
      [{ version: '9.6.1.59531' }, []],
      [{ version: '9.7.0.61563' }, ['sonarlint/auth']],
      [{ version: '2025.1.0.102418' }, ['sonarlint/auth']],
      [{ version: '2026.1.0.110000' }, ['sonarlint/auth']],
      [{ version: '2026.2.0.119245' }, ['sonarlint/auth', 'auth']],
      [{ version: '26.1.0.118079' }, ['sonarlint/auth']],
      [{ version: '26.2.0.119303' }, ['sonarlint/auth', 'auth']],
      [{ flavour: 'cloud' }, ['sonarlint/auth', 'auth']],
    ];
    for (const [options, served] of expected) assert.deepEqual(await routes(await signedIn(options)), served, JSON.stringify(options));
  });

  it('names tokens after the product, then -1, -2, and gives them a year', async () => {
    const fake = await signedIn({ version: '2026.2.0.119245' });
    const names: string[] = [];
    for (let view = 0; view < 3; view++) names.push((await issueThroughPage(fake, 'auth', { ideName: 'Visual Studio Code' })).body.name!);
    assert.deepEqual(names, ['SonarQube for IDE - Visual Studio Code', 'SonarQube for IDE - Visual Studio Code-1', 'SonarQube for IDE - Visual Studio Code-2']);
    const cli = await issueThroughPage(fake, 'auth', { product: 'cli' });
    assert.deepEqual([cli.body.name, cli.body.expirationDate, cli.body.type], ['SonarQube CLI', '2026-03-10T00:00:00+0000', 'USER_TOKEN']);
    assert.equal((await issueThroughPage(fake, 'auth', {})).body.name, 'Unknown origin');
  });

  it('gives the longest lifetime an enforced maximum leaves', async () => {
    const fake = await signedIn({ version: '2025.1.0.102418', edition: 'enterprise', maxTokenLifetime: '90 days' });
    const issued = await issueThroughPage(fake, 'sonarlint/auth', { ideName: 'Code' });
    assert.equal(issued.body.expirationDate, '2025-06-08T00:00:00+0000');
    const { token } = issued.body;
    const current = await call(fake, 'api/users/current', { token });
    assert.equal(current.headers['sonarqube-authentication-token-expiration'], '2025-06-08T00:00:00+0000');
  });

  it('fails like the real page when the name would be longer than 100 characters', async () => {
    const fake = await signedIn({});
    const issued = await issueThroughPage(fake, 'sonarlint/auth', { ideName: 'x'.repeat(90) });
    assert.equal(issued.status, 400);
    assert.deepEqual(fake.tokenNames('ada'), []);
  });
});

describe('fake SonarQube: /sonarlint/auth', () => {
  const startFake = fakeLifecycle();
  let fake: FakeSonarQube;

  beforeEach(async () => {
    fake = await startFake({ contextPath: '/sonarqube', now });
    fake.addUser({ login: 'ada', name: 'Ada' });
  });

  it('redirects to the login page until someone is signed in in the browser', async () => {
    const page = await call(fake, 'sonarlint/auth', { query: { ideName: 'Code', port: '64120' } });
    assert.equal(page.status, 302);
    assert.match(String(page.headers.location), /^\/sonarqube\/sessions\/new\?return_to=/);
  });

  it('refuses ports outside 64120-64130 and does not exist before 9.7', async () => {
    fake.setBrowserSignInUser('ada');
    const page = await call(fake, 'sonarlint/auth', { query: { ideName: 'Code', port: '8080' } });
    assert.match(page.text, /Error: the port must be between 64120 and 64130/);
    assert.doesNotMatch(page.text, /Allow connection<\/button>/);
    const old = await startFake({ version: '9.6.1.59531' });
    assert.equal((await call(old, 'sonarlint/auth', { query: { ideName: 'Code', port: '64120' } })).status, 404);
  });

  it('issues one token per page view, for the signed-in user, and escapes the IDE name', async () => {
    fake.setBrowserSignInUser('ada');
    const page = await call(fake, 'sonarlint/auth', { query: { ideName: '</script><b>Code', port: '64120' } });
    assert.doesNotMatch(page.text, /<\/script><b>/);
    const nonce = nonceOf(page.text);
    const issue = () => call(fake, 'sonarlint/api/_issue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce }) });
    assert.equal(fake.tokenNames('ada').length, 0);
    const first = await issue();
    assert.equal(first.status, 200);
    const { token } = first.json() as { token: string };
    assert.equal(((await call(fake, 'api/users/current', { token })).json() as { login: string }).login, 'ada');
    assert.equal((await issue()).status, 400);
    assert.equal(fake.tokenNames('ada').length, 1);
  });

  it('in a browser: Allow connection delivers a new token to the IDE with the server origin', async function () {
    if (!existsSync(chromiumPath)) this.skip();
    this.timeout(60_000);
    fake.setBrowserSignInUser('ada');
    const ide = await startIdeListener(fake.origin);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${fake.url}/sonarlint/auth?ideName=${encodeURIComponent('Visual Studio Code')}&port=${ide.port}`);
      assert.equal(await page.textContent('#user'), 'ada');
      assert.equal(fake.tokenNames('ada').length, 0, 'no token before the click');
      await page.getByRole('button', { name: 'Allow connection' }).click();
      await page.locator('#outcome').filter({ hasText: /^(Connected|Error|The IDE)/ }).waitFor();
      assert.equal(await page.textContent('#outcome'), 'Connected');
    } finally {
      await browser.close();
      await ide.close();
    }
    // As the real page: no /status probe, one text/plain POST of the whole new token.
    assert.deepEqual(ide.received.map((request) => request.path), ['POST /sonarlint/api/token']);
    const tokenPost = ide.received[0]!;
    assert.equal(tokenPost.headers.origin, fake.origin);
    assert.match(String(tokenPost.headers['content-type']), /^text\/plain/);
    const body = JSON.parse(tokenPost.body) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['createdAt', 'expirationDate', 'login', 'name', 'token', 'type']);
    assert.deepEqual({ ...body, token: undefined, createdAt: undefined }, {
      login: 'ada',
      name: 'SonarQube for IDE - Visual Studio Code',
      expirationDate: '2026-03-10T00:00:00+0000',
      type: 'USER_TOKEN',
      token: undefined,
      createdAt: undefined,
    });
    assert.ok(fake.issuedTokenValues().includes(body.token!));
    assert.deepEqual(fake.tokenNames('ada'), ['SonarQube for IDE - Visual Studio Code']);
    const issueRequest = fake.requests.find((request) => request.path === 'sonarlint/api/_issue')!;
    assert.equal(issueRequest.origin, fake.origin);
  });
});

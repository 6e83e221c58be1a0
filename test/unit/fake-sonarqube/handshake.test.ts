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

describe('fake SonarQube: /sonarlint/auth', () => {
  const startFake = fakeLifecycle();
  let fake: FakeSonarQube;

  beforeEach(async () => {
    fake = await startFake({ contextPath: '/sonarqube' });
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
    const tokenPost = ide.received.find((request) => request.path === 'POST /sonarlint/api/token')!;
    assert.ok(ide.received.some((request) => request.path === 'GET /sonarlint/api/status'));
    assert.equal(tokenPost.headers.origin, fake.origin);
    const { token } = JSON.parse(tokenPost.body) as { token: string };
    assert.ok(fake.issuedTokenValues().includes(token));
    assert.deepEqual(fake.tokenNames('ada'), ['SonarQube for IDE Visual Studio Code']);
    const issueRequest = fake.requests.find((request) => request.path === 'sonarlint/api/_issue')!;
    assert.equal(issueRequest.origin, fake.origin);
  });
});

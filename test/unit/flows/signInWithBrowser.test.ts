// Sign in with browser per server version, against the fake's real handshake pages and the real loopback listener.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { startBrowserSignIn } from '../../../src/core/auth/browserSignIn';
import type { BrowserSignIn } from '../../../src/core/auth/browserSignIn';
import { completeSignIn } from '../../../src/core/flows/signIn';
import { accountSecurityUrl, tokenFromBrowser } from '../../../src/core/flows/signInWithBrowser';
import type { BrowserSignInDeps } from '../../../src/core/flows/signInWithBrowser';
import { SonarClient } from '../../../src/core/sonar/client';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { parseServerUrl } from '../../../src/core/sonar/target';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { FakeSonarQube } from '../../fake-sonarqube';
import { freshTokenValue } from '../support/fakeTokenApi';
import type { FakeTokenApiOptions } from '../support/fakeTokenApi';
import { playHandshakePage } from '../support/handshakePage';
import type { PlayedPage } from '../support/handshakePage';
import { NOW, environment } from './harness';

const progressTitles = (env: ReturnType<typeof environment>) => env.prompter.calls.filter((call) => call.kind === 'progress').map((call) => call.text);

/** Connects to the loopback port once: rejects (ECONNREFUSED) when nothing listens there any more. */
function connectOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

describe('sign in with browser per server version', () => {
  const fakes: FakeSonarQube[] = [];
  afterEach(async () => {
    await Promise.allSettled(fakes.splice(0).map((fake) => fake.close()));
  });

  /** `browserOpens: false` is a browser that could not be started: the page is never played. */
  async function world(version: string, script: Parameters<typeof environment>[0] = [], { browserOpens = true } = {}) {
    const fake = await FakeSonarQube.start({ version, now: () => NOW });
    fakes.push(fake);
    fake.addUser({ login: 'ada', name: 'Ada' });
    fake.setBrowserSignInUser('ada');
    const parsed = parseServerUrl(fake.url);
    assert.ok(parsed.ok);
    const target: SonarTarget = parsed.target;
    const env = environment(script);
    const opened: string[] = [];
    let played: Promise<PlayedPage> | undefined;
    const apiTokens: string[] = [];
    const createApi = (apiTarget: SonarTarget, token: string) => {
      apiTokens.push(token);
      return new SonarClient({ target: apiTarget, token, retry: { maxRetries: 0 } });
    };
    const deps: BrowserSignInDeps = {
      ...env.deps,
      createApi,
      listen: (serverOrigin, signal) => startBrowserSignIn({ serverOrigin, ideName: 'Visual Studio Code', signal, timeoutMs: 20_000 }),
      openUrl: async (url) => {
        opened.push(url);
        if (!browserOpens) return false;
        if (!url.endsWith('/account/security')) played = playHandshakePage(fake, url, fake.url);
        return true;
      },
    };
    return { fake, target, env, deps, opened, apiTokens, played: () => played, signInDeps: { ...env.deps, createApi, parseServerUrl: (input: string) => parseServerUrl(input) } };
  }

  for (const [version, route] of [
    ['10.8.1.101195', 'sonarlint/auth'],
    ['2026.2.0.119245', 'auth'],
  ] as const) {
    it(`${version}: the ${route} page hands over a token that expires in a year, and the connection shows when`, async () => {
      const { fake, target, deps, opened, played, env, signInDeps, apiTokens } = await world(version);
      const token = await tokenFromBrowser(deps, { target, title: 'Add SonarQube Connection' });
      assert.ok(token && fake.issuedTokenValues().includes(token));
      assert.deepEqual(apiTokens, [''], 'the version is asked without a token');
      assert.deepEqual(progressTitles(env), [`Checking ${fake.url}…`, 'Waiting for you to allow the connection in your browser…']);
      assert.deepEqual(env.logger.lines, [`info [signIn] browser sign-in on ${fake.url} through /${route}`]);
      assert.deepEqual(opened.map((url) => url.replace(/port=\d+/, 'port=N')), [`${fake.url}/${route}?ideName=Visual%20Studio%20Code&port=N`]);
      assert.deepEqual(await played(), { route, delivered: 200 });
      assert.deepEqual(fake.tokenNames('ada'), ['SonarQube for IDE - Visual Studio Code']);
      const connection = await completeSignIn(signInDeps, target, token);
      assert.equal(connection?.signInExpiresAt, '2026-03-10T00:00:00+0000');
      env.assertNoLeak(token);
    });
  }

  it('9.6: opens My Account > Security and asks for a paste at once, without waiting for a browser', async () => {
    const pasted = 'squ_' + 'a'.repeat(40);
    const { fake, target, deps, opened, env } = await world('9.6.1.59531', [
      {
        input: async (options) => {
          assert.equal(
            options.prompt,
            'SonarQube 9.6.1.59531 cannot sign in through the browser (that needs 9.7 or later). Create a user token on the page that opened (My Account > Security) and paste it here.',
          );
          assert.equal(options.password, true);
          return ` ${pasted} `;
        },
      },
    ]);
    assert.equal(await tokenFromBrowser(deps, { target, title: 'Add SonarQube Connection' }), pasted);
    env.prompter.assertDone();
    assert.deepEqual(opened, [`${fake.url}/account/security`]);
    assert.deepEqual(progressTitles(env), [`Checking ${fake.url}…`]);
    assert.deepEqual(env.logger.lines, [`info [signIn] ${fake.url} (9.6.1.59531) has no browser sign-in: opening My Account > Security for a paste`]);
    env.assertNoLeak(pasted);
  });

  it('9.6, signing in again: names the account whose token to paste, refuses a blank paste, and gives no token when the person cancels', async () => {
    const { target, deps, env } = await world('9.6.1.59531', [
      {
        input: async (options) => {
          assert.equal(options.title, 'Sign in to 127.0.0.1');
          assert.equal(
            options.prompt,
            'SonarQube 9.6.1.59531 cannot sign in through the browser (that needs 9.7 or later). Create a user token of ada on the page that opened (My Account > Security) and paste it here.',
          );
          assert.equal(await options.validate?.('  '), 'Paste a user token.');
          return undefined;
        },
      },
    ]);
    assert.equal(await tokenFromBrowser(deps, { target, title: 'Sign in to 127.0.0.1', login: 'ada' }), undefined);
    env.prompter.assertDone();
  });

  it('opens nothing and says nothing when the person cancels while the server is being checked', async () => {
    const { fake, target, deps, opened, env } = await world('2025.1.0.102418', [{ cancelProgress: 'Checking', when: () => fake.received('api/server/version') }]);
    fake.inject('api/server/version', { kind: 'delay', ms: 5_000 });
    assert.equal(await tokenFromBrowser(deps, { target, title: 'Add SonarQube Connection' }), undefined);
    env.prompter.assertDone();
    assert.deepEqual(opened, []);
    assert.deepEqual(env.prompter.calls.filter((call) => call.kind !== 'progress'), []);
    assert.deepEqual(env.logger.lines, []);
  });

  it('gives no token and frees the listener\'s port when the browser does not open', async () => {
    const { target, deps, opened, env } = await world('10.8.1.101195', [], { browserOpens: false });
    assert.equal(await tokenFromBrowser(deps, { target, title: 'Add SonarQube Connection' }), undefined);
    assert.equal(opened.length, 1);
    const port = Number(new URL(opened[0]).searchParams.get('port'));
    await assert.rejects(connectOnce(port), { code: 'ECONNREFUSED' });
    assert.deepEqual(env.prompter.messages('error'), []);
  });

  it('says what went wrong when the server cannot be reached, and opens nothing', async () => {
    const { fake, target, deps, opened, env } = await world('2025.1.0.102418');
    await fake.close();
    assert.equal(await tokenFromBrowser(deps, { target, title: 'Add SonarQube Connection' }), undefined);
    assert.deepEqual(opened, []);
    assert.deepEqual(env.prompter.messages('error'), [`Could not reach ${fake.url} (ECONNREFUSED). Check the URL, your network and the proxy setting (http.proxy).`]);
    assert.deepEqual(env.logger.lines, [`warn [signIn] version of ${fake.url} unknown: network api/server/version ECONNREFUSED`]);
  });
});

describe('sign in with browser, what the flow asks of the listener and the browser', () => {
  /** A listener that records what it was asked and hands over `token` (or fails with it, when it is an Error). */
  function fakeListener(token: string | Error) {
    const events: string[] = [];
    const listen = async (serverOrigin: string, signal: AbortSignal): Promise<BrowserSignIn> => {
      events.push(`listen ${serverOrigin} ${signal instanceof AbortSignal && !signal.aborted}`);
      return {
        port: 64120,
        authUrl: (serverBaseUrl, route) => `${serverBaseUrl}/${route}?ideName=Test&port=64120`,
        token: token instanceof Error ? Promise.reject(token) : Promise.resolve(token),
        close: () => void events.push('close'),
      };
    };
    return { events, listen };
  }

  function browserWorld(script: Parameters<typeof environment>[0], token: string | Error, apiOptions: FakeTokenApiOptions = {}, browserOpens = true) {
    const env = environment(script, apiOptions);
    const listener = fakeListener(token);
    const opened: string[] = [];
    const apiTokens: string[] = [];
    const deps: BrowserSignInDeps = {
      ...env.deps,
      createApi: (_target, apiToken) => (apiTokens.push(apiToken), env.api),
      listen: listener.listen,
      openUrl: async (url) => (opened.push(url), browserOpens),
    };
    return { env, deps, events: listener.events, opened, apiTokens };
  }

  const server: SonarTarget = { kind: 'server', serverUrl: 'https://sonar.example.com/sq' };

  it('listens for the server\'s origin, opens its handshake page under the context path, returns the token and frees the port', async () => {
    const token = freshTokenValue();
    const { env, deps, events, opened, apiTokens } = browserWorld([], token, { version: '10.8.1.101195' });
    assert.equal(await tokenFromBrowser(deps, { target: server, title: 'Add SonarQube Connection' }), token);
    assert.deepEqual(events, ['listen https://sonar.example.com true', 'close']);
    assert.deepEqual(opened, ['https://sonar.example.com/sq/sonarlint/auth?ideName=Test&port=64120']);
    assert.deepEqual(apiTokens, ['']);
    assert.deepEqual(env.api.calls.map((call) => call.method), ['capabilities']);
    assert.deepEqual(progressTitles(env), ['Checking https://sonar.example.com/sq…', 'Waiting for you to allow the connection in your browser…']);
    assert.deepEqual(env.logger.lines, ['info [signIn] browser sign-in on https://sonar.example.com/sq through /sonarlint/auth']);
    env.assertNoLeak(token);
  });

  it('on SonarQube Cloud opens the auth page of the region', async () => {
    const { deps, opened, events } = browserWorld([], freshTokenValue(), { product: 'cloud' });
    assert.ok(await tokenFromBrowser(deps, { target: { kind: 'cloud', region: 'US' }, title: 'Add SonarQube Connection' }));
    assert.deepEqual(opened, ['https://sonarqube.us/auth?ideName=Test&port=64120']);
    assert.deepEqual(events, ['listen https://sonarqube.us true', 'close']);
  });

  it('frees the port when the listener fails (a timeout), and leaves the failure to the caller to show', async () => {
    const timeout = new Error('No answer from the browser within 5 minutes.');
    const { env, deps, events } = browserWorld([], timeout, { version: '10.8.1.101195' });
    await assert.rejects(tokenFromBrowser(deps, { target: server, title: 'Add SonarQube Connection' }), timeout);
    assert.deepEqual(events, ['listen https://sonar.example.com true', 'close']);
    assert.deepEqual(env.prompter.messages('error'), []);
  });

  it('gives no token when the browser does not open, without waiting for one, and frees the port', async () => {
    const { deps, events } = browserWorld([], new Error('never asked for'), { version: '10.8.1.101195' }, false);
    assert.equal(await tokenFromBrowser(deps, { target: server, title: 'Add SonarQube Connection' }), undefined);
    assert.deepEqual(events, ['listen https://sonar.example.com true', 'close']);
  });

  it('on a server too old for the browser opens My Account > Security under the context path, listens for nothing and takes the paste trimmed', async () => {
    const token = freshTokenValue();
    const { env, deps, events, opened } = browserWorld([{ input: ` ${token} ` }], new Error('never asked for'), { version: '9.6.1.59531' });
    assert.equal(await tokenFromBrowser(deps, { target: server, title: 'Add SonarQube Connection' }), token);
    assert.deepEqual(events, []);
    assert.deepEqual(opened, ['https://sonar.example.com/sq/account/security']);
    const [input] = env.prompter.calls.filter((call) => call.kind === 'input');
    assert.equal((input.options as { title: string }).title, 'Add SonarQube Connection');
    assert.deepEqual(env.logger.lines, ['info [signIn] https://sonar.example.com/sq (9.6.1.59531) has no browser sign-in: opening My Account > Security for a paste']);
    env.assertNoLeak(token);
  });

  it('says why the server could not be asked its version, logs it, and opens nothing', async () => {
    const { env, deps, events, opened } = browserWorld([], freshTokenValue());
    env.api.failNext('capabilities', new SonarApiError('notFound', 'HTTP 404', { status: 404, endpoint: 'api/server/version' }));
    assert.equal(await tokenFromBrowser(deps, { target: server, title: 'Add SonarQube Connection' }), undefined);
    assert.deepEqual(events, []);
    assert.deepEqual(opened, []);
    assert.equal(env.prompter.messages('error').length, 1);
    assert.deepEqual(env.logger.lines, ['warn [signIn] version of https://sonar.example.com/sq unknown: notFound 404 api/server/version']);
  });

  it('gives the account page of a server or of a Cloud region', () => {
    assert.equal(accountSecurityUrl(server), 'https://sonar.example.com/sq/account/security');
    assert.equal(accountSecurityUrl({ kind: 'cloud', region: 'EU' }), 'https://sonarcloud.io/account/security');
  });
});

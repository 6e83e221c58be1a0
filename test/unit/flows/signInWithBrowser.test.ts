// Sign in with browser per server version, against the fake's real handshake pages and the real loopback listener.
import * as assert from 'node:assert/strict';
import { startBrowserSignIn } from '../../../src/core/auth/browserSignIn';
import { completeSignIn } from '../../../src/core/flows/signIn';
import { tokenFromBrowser } from '../../../src/core/flows/signInWithBrowser';
import type { BrowserSignInDeps } from '../../../src/core/flows/signInWithBrowser';
import { SonarClient } from '../../../src/core/sonar/client';
import { parseServerUrl } from '../../../src/core/sonar/target';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { FakeSonarQube } from '../../fake-sonarqube';
import { playHandshakePage } from '../support/handshakePage';
import type { PlayedPage } from '../support/handshakePage';
import { NOW, environment } from './harness';

describe('sign in with browser per server version', () => {
  const fakes: FakeSonarQube[] = [];
  afterEach(async () => {
    await Promise.allSettled(fakes.splice(0).map((fake) => fake.close()));
  });

  async function world(version: string, script: Parameters<typeof environment>[0] = []) {
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
    const createApi = (apiTarget: SonarTarget, token: string) => new SonarClient({ target: apiTarget, token, retry: { maxRetries: 0 } });
    const deps: BrowserSignInDeps = {
      ...env.deps,
      createApi,
      listen: (serverOrigin, signal) => startBrowserSignIn({ serverOrigin, ideName: 'Visual Studio Code', signal, timeoutMs: 20_000 }),
      openUrl: async (url) => {
        opened.push(url);
        if (!url.endsWith('/account/security')) played = playHandshakePage(fake, url, fake.url);
        return true;
      },
    };
    return { fake, target, env, deps, opened, played: () => played, signInDeps: { ...env.deps, createApi, parseServerUrl: (input: string) => parseServerUrl(input) } };
  }

  for (const [version, route] of [
    ['10.8.1.101195', 'sonarlint/auth'],
    ['2026.2.0.119245', 'auth'],
  ] as const) {
    it(`${version}: the ${route} page hands over a token that expires in a year, and the connection shows when`, async () => {
      const { fake, target, deps, opened, played, env, signInDeps } = await world(version);
      const token = await tokenFromBrowser(deps, { target, title: 'Add SonarQube Connection' });
      assert.ok(token && fake.issuedTokenValues().includes(token));
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
    assert.deepEqual(env.prompter.calls.filter((call) => call.kind === 'progress' && /Waiting/.test(call.text)), []);
  });

  it('says what went wrong when the server cannot be reached, and opens nothing', async () => {
    const { fake, target, deps, opened, env } = await world('2025.1.0.102418');
    await fake.close();
    assert.equal(await tokenFromBrowser(deps, { target, title: 'Add SonarQube Connection' }), undefined);
    assert.deepEqual(opened, []);
    assert.equal(env.prompter.messages('error').length, 1);
  });
});

// An http:// server was accepted without a word, though the token then crosses the network in clear text with
// every request.
import * as assert from 'node:assert/strict';
import { completeSignIn } from '../../../src/core/flows/signIn';
import type { SignInDeps } from '../../../src/core/flows/signIn';
import { freshTokenValue } from '../support/fakeTokenApi';
import { environment } from '../flows/harness';

async function connectTo(serverUrl: string) {
  const env = environment([], { user: { login: 'alice', name: 'Alice', isAdmin: false, canScan: true } });
  const deps: SignInDeps = { ...env.deps, parseServerUrl: () => ({ ok: false, reason: 'unused' }), createApi: () => env.api };
  const token = freshTokenValue();
  assert.ok(await completeSignIn(deps, { kind: 'server', serverUrl }, token));
  env.assertNoLeak(token);
  return env;
}

describe('attack: a token sent over plain HTTP', () => {
  it('says once, at connect, that the token travels unencrypted to an http:// server', async () => {
    const env = await connectTo('http://sonar.example.com');
    assert.deepEqual(env.prompter.messages('warn'), [
      'Signed in to sonar.example.com as Alice. Its address starts with http://, so the token travels unencrypted with every request and anyone on the network in between can read it. Use https:// if the server offers it.',
    ]);
    assert.deepEqual(env.prompter.messages('info'), []);
  });

  it('stays quiet for https:// and for a server on this machine', async () => {
    for (const url of ['https://sonar.example.com', 'http://localhost:9000', 'http://127.0.0.1:9000', 'http://127.10.10.10:9000', 'http://[::1]:9000']) {
      const env = await connectTo(url);
      assert.deepEqual(env.prompter.messages('warn'), [], url);
      assert.equal(env.prompter.messages('info').length, 1, url);
    }
  });

  it('warns for a host that only looks like this machine\'s', async () => {
    for (const host of ['localhost.example.com', 'mylocalhost', '127.0.0.1.example.com']) {
      const env = await connectTo(`http://${host}`);
      assert.deepEqual(env.prompter.messages('warn'), [
        `Signed in to ${host} as Alice. Its address starts with http://, so the token travels unencrypted with every request and anyone on the network in between can read it. Use https:// if the server offers it.`,
      ]);
    }
  });
});

import * as assert from 'node:assert/strict';
import { ConfigFileError } from '../../../src/core/config/configFileError';
import { describeError, describeSonarError, errorSummary, isAmbiguous, isCancellation, WordedError } from '../../../src/core/flows/describeError';
import { SecretStoreError } from '../../../src/core/tokens/heldTokens';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { messageText } from '../../../src/core/ports';
import type { Translate } from '../../../src/core/ports';
import type { SonarErrorKind } from '../../../src/core/sonar/errors';
import { bundleTranslator } from '../support/bundleTranslator';
import { freshTokenValue } from '../support/fakeTokenApi';

const label = 'sonar.example.com';

describe('describeSonarError', () => {
  const expectations: Record<SonarErrorKind, RegExp> = {
    unauthorized: /sonar\.example\.com did not accept the sign-in token.*Sign in again/,
    forbidden: /sonar\.example\.com refused: your account lacks the permission/,
    notFound: /sonar\.example\.com could not find/,
    badRequest: /sonar\.example\.com refused the request/,
    methodNotAllowed: /sonar\.example\.com does not support this request/,
    rateLimited: /sonar\.example\.com is limiting requests\. Wait a few minutes/,
    server: /sonar\.example\.com had an internal error \(HTTP 500\)/,
    network: /Could not reach sonar\.example\.com\. Check the URL, your network and the proxy/,
    timeout: /sonar\.example\.com did not answer in time.*requestTimeoutSeconds/,
    tls: /certificate of sonar\.example\.com is not trusted \(TLS\).*http\.systemCertificates.*NODE_EXTRA_CA_CERTS/,
    invalidResponse: /sonar\.example\.com sent an answer this extension cannot read \(unexpected content\)/,
    cancelled: /request to sonar\.example\.com was cancelled/,
  };

  it('words a server error by its status: a gateway for 502 to 504, an internal error otherwise, and the wait when the server gave one', () => {
    const said = (status: number | undefined, retryAfterSeconds?: number) => describeSonarError(new SonarApiError('server', 'x', { status, retryAfterSeconds }), label, bundleTranslator);
    assert.equal(said(501), 'sonar.example.com had an internal error (HTTP 501). Try again later.');
    assert.equal(said(502), 'sonar.example.com or a gateway in front of it is unavailable (HTTP 502). Wait a few minutes and try again.');
    assert.equal(said(504), 'sonar.example.com or a gateway in front of it is unavailable (HTTP 504). Wait a few minutes and try again.');
    assert.equal(said(505), 'sonar.example.com had an internal error (HTTP 505). Try again later.');
    assert.equal(said(undefined), 'sonar.example.com had an internal error (HTTP 500). Try again later.');
    assert.equal(said(undefined, 7), 'sonar.example.com is unavailable (HTTP 500). Wait 7 s and try again.');
  });

  for (const [kind, expected] of Object.entries(expectations)) {
    it(`words ${kind}`, () => {
      assert.match(describeSonarError(new SonarApiError(kind as SonarErrorKind, 'x'), label, bundleTranslator), expected);
    });
  }

  it('uses the wait time, the low-level code, the detail and the server\'s own words', () => {
    assert.match(describeSonarError(new SonarApiError('rateLimited', 'x', { retryAfterSeconds: 12 }), label, bundleTranslator), /Wait 12 s and try again/);
    assert.match(describeSonarError(new SonarApiError('server', 'x', { status: 503, retryAfterSeconds: 5 }), label, bundleTranslator), /unavailable \(HTTP 503\)\. Wait 5 s/);
    assert.match(describeSonarError(new SonarApiError('network', 'x', { code: 'ENOTFOUND' }), label, bundleTranslator), /\(ENOTFOUND\)/);
    assert.match(describeSonarError(new SonarApiError('tls', 'x', { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), label, bundleTranslator), /\(SELF_SIGNED_CERT_IN_CHAIN\)/);
    assert.match(describeSonarError(new SonarApiError('invalidResponse', 'x', { detail: 'an HTML page' }), label, bundleTranslator), /\(an HTML page\)/);
    assert.match(
      describeSonarError(new SonarApiError('notFound', 'x', { serverMessages: ["Project key 'web' not found", 'Try again.'] }), label),
      /could not find what was asked for\. The server said: Project key 'web' not found Try again\.$/,
    );
  });

  it('words a file that cannot be edited in the person\'s language, naming the file and the place', () => {
    const error = new ConfigFileError('/home/ada/.cursor/mcp.json', 'parse', (t) => t('Cannot edit {0} at line {1}.', '/home/ada/.cursor/mcp.json', 5), 5, 1);
    assert.equal(error.message, 'Cannot edit /home/ada/.cursor/mcp.json at line 5.');
    const pirate: Translate = (message, ...args) => `Arr! ${messageText(message).replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]))}`;
    assert.equal(describeSonarError(error, label, pirate), 'Arr! Cannot edit /home/ada/.cursor/mcp.json at line 5.');
  });

  it('words other errors with the connection', () => {
    assert.equal(describeSonarError(new Error('boom'), label, bundleTranslator), 'Something went wrong with sonar.example.com: boom');
  });
});

describe('isCancellation and isAmbiguous', () => {
  const named = (name: string) => Object.assign(new Error(name), { name });
  const cases: Array<[string, unknown, boolean, boolean]> = [
    ['a cancelled read', new SonarApiError('cancelled', 'x', { maybeDelivered: false }), true, false],
    ['a cancelled change that may have reached the server', new SonarApiError('cancelled', 'x', { maybeDelivered: true }), true, true],
    ['an AbortError', named('AbortError'), true, false],
    ["the host's cancellation (VS Code's CancellationError)", named('Canceled'), true, false],
    ['a lost answer to a change', new SonarApiError('network', 'x', { maybeDelivered: true }), false, true],
    ['a timed-out read', new SonarApiError('timeout', 'x', { maybeDelivered: false }), false, false],
    ['any other error', new Error('boom'), false, false],
  ];
  for (const [what, error, cancelled, ambiguous] of cases) {
    it(`${what}: cancellation ${cancelled}, ambiguous ${ambiguous}`, () => {
      assert.equal(isCancellation(error), cancelled);
      assert.equal(isAmbiguous(error), ambiguous);
    });
  }
});

describe('describeError (no connection known: the command runner, a failed search)', () => {
  it('names "the SonarQube server" for a server error', () => {
    assert.equal(describeError(new SonarApiError('forbidden', 'x'), bundleTranslator), 'the SonarQube server refused: your account lacks the permission for this.');
  });

  it('words a locked keychain as secure storage, not as internal English', () => {
    const words = describeError(new SecretStoreError('read', new Error('Cannot create an item in a locked collection')));
    assert.match(words, /^Secure storage is not available \(.*locked collection\)\. Check that your system keychain is unlocked, then try again\.$/);
  });

  it('passes a worded error through unchanged, translated where it was thrown', () => {
    const t: Translate = (message, ...args) => `[fr] ${messageText(message).replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]))}`;
    assert.equal(describeError(new WordedError(t('The connection no longer exists.')), t), '[fr] The connection no longer exists.');
  });

  it('says something went wrong, in the translated sentence, for anything else', () => {
    const t: Translate = (message, ...args) => `<${messageText(message)}|${args.join(',')}>`;
    assert.equal(describeError(new TypeError('x is undefined'), t), '<Something went wrong: {0}|x is undefined>');
  });
});

describe('errorSummary (what a log line says about an error)', () => {
  it('names the kind, status, endpoint and code of a server error, never its message or the server\'s words', () => {
    const canary = freshTokenValue();
    const refused = new SonarApiError('badRequest', `HTTP 400 for ${canary}`, { status: 400, endpoint: 'api/user_tokens/generate', serverMessages: [`bad token ${canary}`] });
    assert.equal(errorSummary(refused), 'badRequest 400 api/user_tokens/generate');
    assert.equal(errorSummary(new SonarApiError('network', `connect ${canary}`, { endpoint: 'api/server/version', code: 'ECONNREFUSED' })), 'network api/server/version ECONNREFUSED');
  });

  it('names only the type of any other error, and "unknown error" for what is not an error', () => {
    const canary = freshTokenValue();
    assert.equal(errorSummary(new TypeError(`cannot read ${canary}`)), 'TypeError');
    assert.equal(errorSummary(canary), 'unknown error');
  });
});

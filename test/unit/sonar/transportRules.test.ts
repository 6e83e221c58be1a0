// Which requests go through the proxy, and what a failure says about whether the request reached the server.
import * as assert from 'node:assert/strict';
import { Agent, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { DispatcherPool, selectProxy, sendRequest } from '../../../src/core/sonar/transport';
import type { SonarRequest } from '../../../src/core/sonar/transport';
import { rejectionOf, startLocalServer } from './support';

const proxy = 'http://proxy.corp:3128';

describe('sonar transport rules', () => {
  describe('a request goes through the proxy unless NO_PROXY really names its host', () => {
    const cases: ReadonlyArray<[noProxy: string, target: string, bypasses: boolean]> = [
      ['[::1]:9000', 'http://[::1]:9000', true],
      ['[::1]:9000', 'http://[::1]:9001', false],
      ['[::1]', 'http://[::1]:9000', true],
      ['a[::1]', 'http://[::1]:9000', false],
      ['[::1]:9000abc', 'http://[::1]:9000', false],
      ['sonar.corp:9000x', 'http://sonar.corp:9000', false],
      ['sonar.corp:80', 'http://sonar.corp', true],
      ['sonar.corp:80', 'https://sonar.corp', false],
      ['sonar.corp:443', 'https://sonar.corp', true],
      ['sonar.corp:443', 'http://sonar.corp', false],
      ['other.corp,,  SONAR.Corp', 'https://sonar.corp', true],
      ['other.corp\tsonar.corp', 'https://sonar.corp', true],
      [' , ', 'https://sonar.corp.', false],
      ['other.corp', 'https://sonar.corp', false],
    ];
    for (const [noProxy, target, bypasses] of cases) {
      it(`NO_PROXY ${JSON.stringify(noProxy)} ${bypasses ? 'sends' : 'does not send'} ${target} directly`, () => {
        assert.equal(selectProxy(target, {}, { HTTP_PROXY: proxy, NO_PROXY: noProxy }), bypasses ? undefined : proxy);
      });
    }

    it('reads the editor’s noProxy entries trimmed, in any case, skipping empty ones', () => {
      assert.equal(selectProxy('https://sonar.corp', { proxyUrl: proxy, noProxy: ['  Sonar.CORP  '] }), undefined);
      assert.equal(selectProxy('https://sonar.corp', { proxyUrl: proxy, noProxy: ['', '   '] }), proxy);
      assert.equal(selectProxy('https://sonar.corp.', { proxyUrl: proxy, noProxy: [''] }), proxy);
    });

    it('trims the proxy URLs, and treats blank ones as no proxy', () => {
      assert.equal(selectProxy('https://sonar.corp', { proxyUrl: `  ${proxy}  ` }), proxy);
      assert.equal(selectProxy('https://sonar.corp', { proxyUrl: '   ' }, { HTTPS_PROXY: ` ${proxy}\t` }), proxy);
      assert.equal(selectProxy('https://sonar.corp', {}, { HTTPS_PROXY: '  ', HTTP_PROXY: 'http://plain:1' }), 'http://plain:1');
      assert.equal(selectProxy('https://sonar.corp', {}, { HTTPS_PROXY: '  ' }), undefined);
    });
  });

  it('a dispatcher pool applies the proxy of the environment it was given', async () => {
    const pool = new DispatcherPool({ HTTPS_PROXY: proxy, NO_PROXY: 'direct.corp' });
    try {
      assert.ok(pool.get('https://sonar.corp') instanceof ProxyAgent);
      assert.ok(!(pool.get('https://direct.corp') instanceof ProxyAgent));
    } finally {
      await pool.close();
    }
  });

  describe('what a failure says about the request', () => {
    const dispatchers: Dispatcher[] = [];
    after(async () => {
      await Promise.allSettled(dispatchers.map((dispatcher) => dispatcher.close()));
    });

    /** A dispatcher whose connection fails with `code` before anything is sent. */
    function failingWith(code: string): Dispatcher {
      const agent = new Agent();
      dispatchers.push(agent);
      return agent.compose(() => (_options, handler) => {
        handler.onError!(Object.assign(new Error(`simulated ${code}`), { code }));
        return true;
      });
    }

    const generate: SonarRequest = { method: 'POST', baseUrl: 'http://127.0.0.1:9', endpoint: 'api/user_tokens/generate', form: { name: 'ci' }, expect: 'json' };
    const cases: ReadonlyArray<[code: string, kind: string, maybeDelivered: boolean, message: string]> = [
      ['ECONNREFUSED', 'network', false, 'The request to api/user_tokens/generate failed on the network (ECONNREFUSED).'],
      ['ENOTFOUND', 'network', false, 'The request to api/user_tokens/generate failed on the network (ENOTFOUND).'],
      ['EAI_AGAIN', 'network', false, 'The request to api/user_tokens/generate failed on the network (EAI_AGAIN).'],
      ['EHOSTUNREACH', 'network', false, 'The request to api/user_tokens/generate failed on the network (EHOSTUNREACH).'],
      ['ENETUNREACH', 'network', false, 'The request to api/user_tokens/generate failed on the network (ENETUNREACH).'],
      ['EADDRNOTAVAIL', 'network', false, 'The request to api/user_tokens/generate failed on the network (EADDRNOTAVAIL).'],
      ['UND_ERR_ABORTED', 'network', false, 'The request to api/user_tokens/generate failed on the network (UND_ERR_ABORTED).'],
      ['UND_ERR_PRX_TLS', 'network', false, 'The request to api/user_tokens/generate failed on the network (UND_ERR_PRX_TLS).'],
      ['UND_ERR_CONNECT_TIMEOUT', 'timeout', false, 'The request to api/user_tokens/generate timed out (UND_ERR_CONNECT_TIMEOUT).'],
      ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true, 'The request to api/user_tokens/generate timed out (UND_ERR_HEADERS_TIMEOUT).'],
      ['UND_ERR_BODY_TIMEOUT', 'timeout', true, 'The request to api/user_tokens/generate timed out (UND_ERR_BODY_TIMEOUT).'],
      ['ECONNRESET', 'network', true, 'The request to api/user_tokens/generate failed on the network (ECONNRESET).'],
      ['SSL_ERROR', 'tls', false, "The server's certificate for api/user_tokens/generate is not trusted (SSL_ERROR)."],
      ['ERR_OSSL_EVP_UNSUPPORTED', 'network', true, 'The request to api/user_tokens/generate failed on the network (ERR_OSSL_EVP_UNSUPPORTED).'],
    ];
    for (const [code, kind, maybeDelivered, message] of cases) {
      it(`a generate failing with ${code} is ${kind}, ${maybeDelivered ? 'maybe' : 'never'} delivered`, async () => {
        const error = await rejectionOf(sendRequest(generate, { dispatcher: failingWith(code) }));
        assert.ok(error instanceof SonarApiError, String(error));
        assert.deepEqual([error.kind, error.code, error.maybeDelivered, error.message], [kind, code, maybeDelivered, message]);
      });
    }

    it('keeps Retry-After only from 429 and 503 answers', async () => {
      const server = await startLocalServer((request, response) => {
        response.writeHead(Number(new URL(request.url, 'http://x').searchParams.get('status')), { 'retry-after': '4' });
        response.end();
      });
      try {
        const seen: Array<[number, number | undefined]> = [];
        for (const status of [429, 503, 500, 502, 504, 403]) {
          const error = await rejectionOf(sendRequest({ method: 'GET', baseUrl: server.url, endpoint: 'api/things/list', query: { status }, expect: 'json' }));
          assert.ok(error instanceof SonarApiError);
          seen.push([status, error.retryAfterSeconds]);
        }
        assert.deepEqual(seen, [[429, 4], [503, 4], [500, undefined], [502, undefined], [504, undefined], [403, undefined]]);
      } finally {
        await server.close();
      }
    });
  });
});

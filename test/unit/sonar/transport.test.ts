import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent, ProxyAgent } from 'undici';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { startTunnelProxy } from '../../fake-sonarqube';
import {
  DispatcherPool,
  bypassesProxy,
  createDispatcher,
  parseRetryAfter,
  selectProxy,
  sendRequest,
} from '../../../src/core/sonar/transport';
import type { SonarRequest, TransportOptions } from '../../../src/core/sonar/transport';
import { readFixture, recordingLogger, rejectionOf, sendJson, startLocalServer } from './support';
import type { Handler, LocalServer } from './support';

function get(baseUrl: string, expect: SonarRequest['expect'] = 'json'): SonarRequest {
  return { method: 'GET', baseUrl, endpoint: 'api/things/list', expect };
}

async function failureOf(request: SonarRequest, options: TransportOptions = {}): Promise<SonarApiError> {
  const error = await rejectionOf(sendRequest(request, options));
  assert.ok(error instanceof SonarApiError, `expected a SonarApiError, got ${String(error)}`);
  return error;
}

describe('sonar transport', () => {
  describe('proxy selection', () => {
    const env = { HTTPS_PROXY: 'http://secure-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128' };

    it('uses HTTPS_PROXY for https and HTTP_PROXY for http targets', () => {
      assert.equal(selectProxy('https://sonar.corp', {}, env), 'http://secure-proxy:3128');
      assert.equal(selectProxy('http://sonar.corp', {}, env), 'http://plain-proxy:3128');
      assert.equal(selectProxy('https://sonar.corp', {}, { HTTP_PROXY: 'http://plain-proxy:3128' }), 'http://plain-proxy:3128');
      assert.equal(selectProxy('https://sonar.corp', {}, { https_proxy: 'http://lower:1' }), 'http://lower:1');
      assert.equal(selectProxy('https://sonar.corp', {}, {}), undefined);
    });

    it('lets an explicit proxy win over the environment', () => {
      assert.equal(selectProxy('https://sonar.corp', { proxyUrl: 'http://explicit:8080' }, env), 'http://explicit:8080');
    });

    it('honours NO_PROXY from the environment, and explicit noProxy over it', () => {
      const withNoProxy = { ...env, NO_PROXY: 'localhost, .internal,*.lan  sonar.corp:9000' };
      assert.equal(selectProxy('http://localhost:9000', {}, withNoProxy), undefined);
      assert.equal(selectProxy('https://sonar.internal', {}, withNoProxy), undefined);
      assert.equal(selectProxy('https://a.b.lan', {}, withNoProxy), undefined);
      assert.equal(selectProxy('http://sonar.corp:9000', {}, withNoProxy), undefined);
      assert.equal(selectProxy('https://sonar.corp', {}, withNoProxy), 'http://secure-proxy:3128');
      assert.equal(selectProxy('https://sonar.corp', { proxyUrl: 'http://explicit:8080' }, withNoProxy), 'http://explicit:8080');
      assert.equal(selectProxy('https://sonar.corp', { proxyUrl: 'http://explicit:8080', noProxy: ['sonar.corp'] }, withNoProxy), undefined);
      assert.equal(selectProxy('http://localhost:9000', { noProxy: [] }, withNoProxy), 'http://plain-proxy:3128');
    });

    it('matches NO_PROXY entries by host, domain suffix, port and wildcard', () => {
      const url = new URL('https://sonar.example.com');
      assert.equal(bypassesProxy(url, ['*']), true);
      assert.equal(bypassesProxy(url, ['example.com']), true);
      assert.equal(bypassesProxy(url, ['.example.com']), true);
      assert.equal(bypassesProxy(url, ['*.example.com']), true);
      assert.equal(bypassesProxy(url, ['sonar.example.com:443']), true);
      assert.equal(bypassesProxy(url, ['sonar.example.com:8443']), false);
      assert.equal(bypassesProxy(url, ['ample.com']), false);
      assert.equal(bypassesProxy(new URL('http://[::1]:9000'), ['[::1]']), true);
      assert.equal(bypassesProxy(new URL('http://127.0.0.1:9000'), ['127.0.0.1']), true);
    });

    it('creates a ProxyAgent only when a proxy applies', async () => {
      const proxied = createDispatcher('https://sonar.corp', {}, { HTTPS_PROXY: 'http://127.0.0.1:9' });
      const direct = createDispatcher('https://sonar.corp', {}, { HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: 'sonar.corp' });
      try {
        assert.ok(proxied instanceof ProxyAgent);
        assert.ok(direct instanceof Agent);
      } finally {
        await Promise.all([proxied.close(), direct.close()]);
      }
    });

    it('sends requests through the selected proxy', async () => {
      const server = await startLocalServer((_request, response) => sendJson(response, 200, { ok: true }));
      const proxy = await startTunnelProxy();
      const proxyUrl = proxy.url;
      const dispatcher = createDispatcher(server.url, {}, { HTTP_PROXY: proxyUrl });
      try {
        const response = await sendRequest(get(server.url), { dispatcher });
        assert.deepEqual(response.body, { ok: true });
        assert.deepEqual(proxy.tunnels, [`127.0.0.1:${server.port}`]);
      } finally {
        await dispatcher.close();
        await proxy.close();
        await server.close();
      }
    });
  });

  describe('DispatcherPool', () => {
    it('keeps one dispatcher per origin and settings, and closes them all', async () => {
      const pool = new DispatcherPool({});
      const first = pool.get('https://sonar.corp/sonarqube');
      assert.equal(pool.get('https://sonar.corp'), first);
      assert.notEqual(pool.get('https://other.corp'), first);
      assert.notEqual(pool.get('https://sonar.corp', { strictSSL: false }), first);
      assert.equal(pool.size, 3);
      await pool.close();
      assert.equal(pool.size, 0);
      assert.equal((first as Agent).closed, true);
    });
  });

  describe('requests', () => {
    let server: LocalServer | undefined;
    let handler: Handler;
    before(async () => {
      server = await startLocalServer((request, response) => handler(request, response));
    });
    after(async () => {
      await server?.close();
    });
    const base = () => server!.url;

    it('sends query, form and authorization, and returns parsed JSON', async () => {
      handler = (_request, response) => sendJson(response, 200, { answer: 42 });
      const logger = recordingLogger();
      const response = await sendRequest(
        { method: 'POST', baseUrl: `${base()}/sonarqube`, endpoint: 'api/do/it', query: { a: 'x y', skip: undefined }, form: { name: 'n&m', none: undefined }, authorization: 'Bearer abc', expect: 'json' },
        { logger },
      );
      assert.deepEqual(response, { status: 200, body: { answer: 42 } });
      const recorded = server!.requests.at(-1)!;
      assert.equal(recorded.method, 'POST');
      assert.equal(recorded.url, '/sonarqube/api/do/it?a=x+y');
      assert.equal(recorded.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(recorded.headers.authorization, 'Bearer abc');
      assert.equal(recorded.body, 'name=n%26m');
      assert.equal(logger.lines.length, 1);
      assert.match(logger.lines[0]!, /^info POST api\/do\/it 200 \d+ ms$/);
    });

    it('returns trimmed text and nothing for 204 answers', async () => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('10.7.0.96327\n');
      };
      assert.deepEqual(await sendRequest(get(base(), 'text')), { status: 200, body: '10.7.0.96327' });
      handler = (_request, response) => {
        response.writeHead(204);
        response.end();
      };
      assert.deepEqual(await sendRequest(get(base(), 'none')), { status: 204, body: undefined });
    });

    const statuses: Array<[string, number, string, Record<string, string>, Partial<SonarApiError>]> = [
      ['401 with an empty body', 401, '', {}, { kind: 'unauthorized', status: 401, serverMessages: [] }],
      ['403', 403, '{"errors":[{"msg":"Insufficient privileges"}]}', {}, { kind: 'forbidden', serverMessages: ['Insufficient privileges'] }],
      ['404', 404, '{"errors":[{"msg":"User with login \'x\' doesn\'t exist"}]}', {}, { kind: 'notFound' }],
      ['400 with several messages', 400, '{"errors":[{"msg":"first"},{"msg":"second"}]}', {}, { kind: 'badRequest', serverMessages: ['first', 'second'] }],
      ['405', 405, '{"errors":[{"msg":"HTTP method POST is required"}]}', {}, { kind: 'methodNotAllowed' }],
      ['429 with Retry-After seconds', 429, '', { 'retry-after': '7' }, { kind: 'rateLimited', retryAfterSeconds: 7 }],
      ['500', 500, '{"errors":[{"msg":"An error has occurred. Please contact your administrator"}]}', {}, { kind: 'server', status: 500 }],
      ['503 with Retry-After', 503, '<html>busy</html>', { 'retry-after': '2', 'content-type': 'text/html' }, { kind: 'server', retryAfterSeconds: 2, serverMessages: [] }],
      ['another 4xx', 409, '', {}, { kind: 'badRequest', status: 409 }],
    ];
    for (const [what, status, body, headers, expected] of statuses) {
      it(`maps ${what}`, async () => {
        handler = (_request, response) => {
          response.writeHead(status, headers);
          response.end(body);
        };
        const error = await failureOf(get(base()));
        for (const [key, value] of Object.entries(expected)) assert.deepEqual(error[key as keyof SonarApiError], value, key);
        assert.equal(error.endpoint, 'api/things/list');
        assert.equal(error.maybeDelivered, true);
        assert.match(error.message, new RegExp(`HTTP ${status} from api/things/list`));
        for (const text of error.serverMessages) assert.ok(error.message.includes(text));
      });
    }

    it('reads Retry-After as an HTTP date', () => {
      const now = Date.parse('2025-01-01T00:00:00Z');
      assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30);
      assert.equal(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter(undefined, now), undefined);
    });

    const invalid: Array<[string, Handler, SonarRequest['expect'], string]> = [
      ['an HTML page', (_r, response) => { response.writeHead(200, { 'content-type': 'text/html' }); response.end('<!DOCTYPE html><html></html>'); }, 'json', 'an HTML page'],
      ['an HTML page where text is expected', (_r, response) => { response.writeHead(200); response.end('<html>login</html>'); }, 'text', 'an HTML page'],
      ['an HTML page where nothing is expected', (_r, response) => { response.writeHead(200, { 'content-type': 'text/html' }); response.end('<html>login</html>'); }, 'none', 'an HTML page'],
      ['a redirect to a login page', (_r, response) => { response.writeHead(302, { location: '/sessions/new?return_to=%2Fapi' }); response.end(); }, 'json', 'a redirect to a login page'],
      ['another redirect', (_r, response) => { response.writeHead(301, { location: 'https://elsewhere.example/' }); response.end(); }, 'json', 'a redirect'],
      ['a body that is not JSON', (_r, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.end('{"broken":'); }, 'json', 'a body that is not JSON'],
      ['an empty body', (_r, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.end(); }, 'json', 'an empty body'],
    ];
    for (const [what, serve, expect, detail] of invalid) {
      it(`refuses ${what} as invalidResponse`, async () => {
        handler = serve;
        const error = await failureOf(get(base(), expect));
        assert.equal(error.kind, 'invalidResponse');
        assert.equal(error.detail, detail);
        assert.ok(error.message.includes(detail));
      });
    }

    it('caps the response size, declared or streamed', async () => {
      handler = (_request, response) => sendJson(response, 200, { data: 'x'.repeat(2000) });
      const declared = await failureOf(get(base()), { maxResponseBytes: 1000 });
      assert.equal(declared.kind, 'invalidResponse');
      assert.match(declared.detail ?? '', /larger than 1000 bytes/);
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('["');
        for (let i = 0; i < 20; i++) response.write('y'.repeat(100));
        response.end('"]');
      };
      const streamed = await failureOf(get(base()), { maxResponseBytes: 1000 });
      assert.equal(streamed.kind, 'invalidResponse');
    });

    it('times out a slow server', async () => {
      handler = (_request, response) => {
        // Far beyond the timeout, so that even a busy machine tells "timed out" from "waited for the answer".
        setTimeout(() => sendJson(response, 200, {}), 30_000).unref();
      };
      const logger = recordingLogger();
      const started = Date.now();
      const error = await failureOf(get(base()), { timeoutMs: 100, logger });
      assert.equal(error.kind, 'timeout');
      assert.ok(Date.now() - started < 15_000);
      assert.match(logger.lines[0]!, /^warn GET api\/things\/list timeout \d+ ms$/);
    });

    it('times out a body that stalls midway', async () => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"a":');
      };
      const error = await failureOf(get(base()), { timeoutMs: 150 });
      assert.equal(error.kind, 'timeout');
    });

    it('reports cancellation, before and during the request', async () => {
      const before = await failureOf(get(base()), { signal: AbortSignal.abort() });
      assert.equal(before.kind, 'cancelled');
      assert.equal(before.maybeDelivered, false);

      handler = (_request, response) => {
        setTimeout(() => sendJson(response, 200, {}), 1000).unref();
      };
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const during = await failureOf(get(base()), { signal: controller.signal, timeoutMs: 5000 });
      assert.equal(during.kind, 'cancelled');
      assert.equal(during.maybeDelivered, false, 'a read changes nothing, so its cancel is only a cancel');

      const posting = new AbortController();
      setTimeout(() => posting.abort(), 50);
      const duringPost = await failureOf({ ...get(base()), method: 'POST', form: { name: 'x' } }, { signal: posting.signal, timeoutMs: 5000 });
      assert.equal(duringPost.kind, 'cancelled');
      assert.equal(duringPost.maybeDelivered, true, 'a change may have been made');
    });

    it('maps a connection dropped after the request as a network error; only a POST may have been delivered', async () => {
      handler = (_request, response) => response.socket?.destroy();
      const error = await failureOf(get(base()));
      assert.equal(error.kind, 'network');
      assert.equal(error.code, 'UND_ERR_SOCKET');
      assert.equal(error.maybeDelivered, false);
      const posted = await failureOf({ ...get(base()), method: 'POST', form: { name: 'x' } });
      assert.equal(posted.kind, 'network');
      assert.equal(posted.maybeDelivered, true);
    });
  });

  describe('network and TLS failures', () => {
    it('maps a refused connection with its code, not delivered', async () => {
      const closed = net.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const logger = recordingLogger();
      const error = await failureOf(get(`http://127.0.0.1:${port}`), { logger });
      assert.equal(error.kind, 'network');
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.maybeDelivered, false);
      assert.match(logger.lines[0]!, /^warn GET api\/things\/list network ECONNREFUSED \d+ ms$/);
    });

    it('maps an unknown host', async () => {
      const dispatcher = new Agent({
        connect: {
          lookup: (_host: string, _options: unknown, callback: (error: Error) => void) =>
            callback(Object.assign(new Error('getaddrinfo ENOTFOUND sonar.invalid'), { code: 'ENOTFOUND' })),
        } as never,
      });
      try {
        const error = await failureOf(get('http://sonar.invalid'), { dispatcher });
        assert.equal(error.kind, 'network');
        assert.equal(error.code, 'ENOTFOUND');
        assert.equal(error.maybeDelivered, false);
      } finally {
        await dispatcher.close();
      }
    });

    const key = readFixture('tls/leaf.key');
    const ca = readFixture('tls/ca.crt');
    const certificates: Array<[string, string, RegExp]> = [
      ['a self-signed certificate', 'selfsigned.crt', /SELF_SIGNED/],
      ['an expired certificate', 'expired.crt', /^CERT_HAS_EXPIRED$/],
      ['a certificate for another host', 'wronghost.crt', /^ERR_TLS_CERT_ALTNAME_INVALID$/],
    ];
    for (const [what, file, code] of certificates) {
      it(`maps ${what} to tls`, async () => {
        const server = await startLocalServer((_request, response) => sendJson(response, 200, {}), { cert: readFixture(`tls/${file}`), key });
        const dispatcher = createDispatcher(server.url, { ca: [ca] }, {});
        try {
          const error = await failureOf(get(server.url), { dispatcher });
          assert.equal(error.kind, 'tls');
          assert.match(error.code ?? '', code);
          assert.equal(error.maybeDelivered, false);
        } finally {
          await dispatcher.close();
          await server.close();
        }
      });
    }

    it('maps an unknown certificate authority to tls, and trusts it once given as ca', async () => {
      const server = await startLocalServer((_request, response) => sendJson(response, 200, { ok: 1 }), { cert: readFixture('tls/valid.crt'), key });
      const untrusting = createDispatcher(server.url, {}, {});
      const trusting = createDispatcher(server.url, { ca: [ca] }, {});
      const lenient = createDispatcher(server.url, { strictSSL: false }, {});
      try {
        const error = await failureOf(get(server.url), { dispatcher: untrusting });
        assert.equal(error.kind, 'tls');
        assert.equal(error.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
        assert.deepEqual((await sendRequest(get(server.url), { dispatcher: trusting })).body, { ok: 1 });
        assert.equal((await failureOf(get(server.url), { dispatcher: lenient })).kind, 'tls', 'http.proxyStrictSSL is for proxied connections only');
      } finally {
        await Promise.all([untrusting.close(), trusting.close(), lenient.close()]);
        await server.close();
      }
    });
  });
});

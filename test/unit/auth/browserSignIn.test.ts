import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  BrowserSignInError,
  HANDSHAKE_PORTS,
  MAX_TOKEN_BODY_BYTES,
  describeSignInTimeout,
  isLoopbackAddress,
  parseTokenBody,
  refusalOfTokenRequest,
  startBrowserSignIn,
} from '../../../src/core/auth/browserSignIn';
import type { BrowserSignIn, BrowserSignInOptions } from '../../../src/core/auth/browserSignIn';
import type { Logger } from '../../../src/core/ports';
import { SonarApiError } from '../../../src/core/sonar/errors';

const SERVER_ORIGIN = 'https://sonar.example.com';
// Generated per run: no real-looking token is committed.
const newToken = (): string => `squ_${randomBytes(20).toString('hex')}`;

/** Ports the OS just handed out and took back: free now, and outside the real handshake range. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Resolves true when something accepts TCP connections on the port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request with full control over the headers (Host, Content-Length), unlike fetch. */
function rawRequest(port: number, method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function postToken(port: number, token: string, origin = SERVER_ORIGIN): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/sonarlint/api/token`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new assert.AssertionError({ message: 'expected a rejection' });
}

/** Races `promise` against a short delay: 'pending' when it has not settled yet. */
async function stateOf(promise: Promise<unknown>): Promise<'pending' | 'settled'> {
  const pending = Symbol('pending');
  const winner = await Promise.race([promise.then(() => 'settled' as const, () => 'settled' as const), new Promise((resolve) => setTimeout(() => resolve(pending), 30))]);
  return winner === pending ? 'pending' : 'settled';
}

class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(message: string): void {
    this.lines.push(message);
  }
  info(message: string): void {
    this.lines.push(message);
  }
  warn(message: string): void {
    this.lines.push(message);
  }
  error(message: string): void {
    this.lines.push(message);
  }
}

describe('browser sign-in listener', () => {
  let listener: BrowserSignIn | undefined;
  let logger: RecordingLogger;
  let ports: number[];

  async function start(options: Partial<BrowserSignInOptions> = {}): Promise<BrowserSignIn> {
    listener = await startBrowserSignIn({ serverOrigin: SERVER_ORIGIN, ideName: 'Visual Studio Code', description: 'SonarQube Tokens', ports, logger, ...options });
    return listener;
  }

  beforeEach(async () => {
    logger = new RecordingLogger();
    ports = await freePorts(2);
  });

  afterEach(() => {
    listener?.close();
    listener = undefined;
  });

  it('defaults to the handshake range 64120-64130', () => {
    assert.deepEqual([HANDSHAKE_PORTS[0], HANDSHAKE_PORTS.at(-1), HANDSHAKE_PORTS.length], [64120, 64130, 11]);
  });

  it('answers the status, takes the token from the server origin, then closes the port', async () => {
    const signIn = await start({ serverOrigin: `${SERVER_ORIGIN}/sonarqube/` });
    assert.equal(signIn.port, ports[0]);
    assert.equal(signIn.authUrl(`${SERVER_ORIGIN}/sonarqube/`, 'sonarlint/auth'), `${SERVER_ORIGIN}/sonarqube/sonarlint/auth?ideName=Visual%20Studio%20Code&port=${ports[0]}`);
    assert.equal(signIn.authUrl(`${SERVER_ORIGIN}/sonarqube`, 'auth'), `${SERVER_ORIGIN}/sonarqube/auth?ideName=Visual%20Studio%20Code&port=${ports[0]}`);

    const status = await fetch(`http://127.0.0.1:${signIn.port}/sonarlint/api/status`, { headers: { origin: SERVER_ORIGIN } });
    assert.equal(status.status, 200);
    assert.equal(status.headers.get('access-control-allow-origin'), SERVER_ORIGIN);
    assert.deepEqual(await status.json(), { ideName: 'Visual Studio Code', description: 'SonarQube Tokens', needsToken: true, capabilities: { canOpenFixSuggestion: false } });

    const token = newToken();
    const posted = await postToken(signIn.port, token);
    assert.equal(posted.status, 200);
    assert.equal(posted.headers.get('access-control-allow-origin'), SERVER_ORIGIN);
    const answer = await posted.text();
    assert.equal(await signIn.token, token);
    assert.ok(!answer.includes(token));
    assert.equal(await isListening(signIn.port), false);
    assert.ok(logger.lines.some((line) => line.includes('received a token')));
    assert.ok(logger.lines.every((line) => !line.includes(token)));
  });

  it('lists no CORS permission for other origins on the status', async () => {
    const signIn = await start();
    const status = await fetch(`http://127.0.0.1:${signIn.port}/sonarlint/api/status`, { headers: { origin: 'https://evil.example' } });
    assert.equal(status.status, 200);
    assert.equal(status.headers.get('access-control-allow-origin'), null);
  });

  it('refuses tokens from any other origin, or without one, and keeps waiting', async () => {
    const signIn = await start();
    const token = newToken();
    for (const origin of ['https://evil.example', 'http://sonar.example.com', 'https://sonar.example.com:8443', 'https://sonar.example.com.evil.example', 'null']) {
      const refused = await postToken(signIn.port, token, origin);
      assert.equal(refused.status, 403, origin);
      assert.equal(refused.headers.get('access-control-allow-origin'), null, origin);
      assert.ok(!(await refused.text()).includes(token));
    }
    const withoutOrigin = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { 'content-type': 'application/json' }, JSON.stringify({ token }));
    assert.equal(withoutOrigin.status, 403);
    assert.equal(await stateOf(signIn.token), 'pending');

    const good = newToken();
    assert.equal((await postToken(signIn.port, good)).status, 200);
    assert.equal(await signIn.token, good);
    assert.ok(logger.lines.every((line) => !line.includes(token) && !line.includes(good)));
  });

  it('refuses requests addressed to a host name other than loopback (DNS rebinding)', async () => {
    const signIn = await start();
    const refused = await rawRequest(signIn.port, 'GET', '/sonarlint/api/status', { host: `evil.example:${signIn.port}`, origin: SERVER_ORIGIN });
    assert.equal(refused.status, 403);
    const viaLocalhost = await rawRequest(signIn.port, 'GET', '/sonarlint/api/status', { host: `localhost:${signIn.port}` });
    assert.equal(viaLocalhost.status, 200);
  });

  it('accepts exactly one token: a second POST while the first is being read is refused and never replaces it', async () => {
    const signIn = await start();
    const first = newToken();
    const body = JSON.stringify({ token: first });
    let markSecondRefused!: () => void;
    const secondRefused = new Promise<void>((resolve) => (markSecondRefused = resolve));
    const firstResponse = new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: signIn.port, method: 'POST', path: '/sonarlint/api/token', agent: false, headers: { origin: SERVER_ORIGIN, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, 5));
      // Finish the body only once the second POST has been refused.
      secondRefused.then(() => request.end(body.slice(5)), reject);
    });

    // An oversized POST is refused with 409 once the first one holds the slot (413 before): wait for that.
    let probe = 0;
    while (probe !== 409) {
      probe = (await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, 'content-length': MAX_TOKEN_BODY_BYTES + 1 })).status;
    }
    const second = newToken();
    const secondResponse = await postToken(signIn.port, second);
    assert.equal(secondResponse.status, 409);
    assert.ok(!(await secondResponse.text()).includes(second));
    markSecondRefused();

    assert.equal(await firstResponse, 200);
    assert.equal(await signIn.token, first);
    assert.equal(await isListening(signIn.port), false);
  });

  it('answers the CORS preflight for the server origin only, with Private Network Access when asked', async () => {
    const signIn = await start();
    const preflight = (origin: string, extra: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${signIn.port}/sonarlint/api/token`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', ...extra },
      });
    const allowed = await preflight(SERVER_ORIGIN, { 'access-control-request-private-network': 'true' });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), SERVER_ORIGIN);
    assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    assert.equal(allowed.headers.get('access-control-allow-headers'), 'content-type');
    assert.equal(allowed.headers.get('access-control-allow-private-network'), 'true');

    const withoutPrivateNetwork = await preflight(SERVER_ORIGIN);
    assert.equal(withoutPrivateNetwork.headers.get('access-control-allow-private-network'), null);

    const foreign = await preflight('https://evil.example', { 'access-control-request-private-network': 'true' });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    assert.equal(foreign.headers.get('access-control-allow-private-network'), null);
  });

  it('refuses oversized and malformed bodies without giving up on the next proper one', async () => {
    const signIn = await start();
    const tooLarge = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN }, JSON.stringify({ token: 'x'.repeat(MAX_TOKEN_BODY_BYTES) }));
    assert.equal(tooLarge.status, 413);
    const chunked = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, 'transfer-encoding': 'chunked' }, 'y'.repeat(MAX_TOKEN_BODY_BYTES + 1));
    assert.equal(chunked.status, 413);
    const malformed = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN }, '{"token": 42}');
    assert.equal(malformed.status, 400);
    assert.equal(await stateOf(signIn.token), 'pending');
    const token = newToken();
    assert.equal((await postToken(signIn.port, token)).status, 200);
    assert.equal(await signIn.token, token);
  });

  it('skips a port somebody else holds', async () => {
    const occupier = net.createServer();
    await new Promise<void>((resolve) => occupier.listen(ports[0], '127.0.0.1', resolve));
    try {
      const signIn = await start();
      assert.equal(signIn.port, ports[1]);
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it('skips a port somebody holds on ::1 only, where a browser calling localhost may land', async function () {
    const occupier = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      occupier.once('error', () => resolve(false));
      occupier.listen(ports[0], '::1', () => resolve(true));
    });
    if (!bound) this.skip(); // no IPv6 loopback on this machine
    try {
      const signIn = await start();
      assert.equal(signIn.port, ports[1]);
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it('says so when every port is taken', async () => {
    const occupiers = await Promise.all(
      ports.map((port) => new Promise<net.Server>((resolve) => {
        const server = net.createServer();
        server.listen(port, '127.0.0.1', () => resolve(server));
      })),
    );
    try {
      const error = await rejectionOf(start());
      assert.ok(error instanceof BrowserSignInError);
      assert.equal(error.kind, 'noFreePort');
      assert.match(error.message, new RegExp(`${Math.min(...ports)} and ${Math.max(...ports)}`));
    } finally {
      await Promise.all(occupiers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('times out with a clear error and frees the port', async () => {
    const signIn = await start({ timeoutMs: 100 });
    const token = newToken();
    assert.equal((await postToken(signIn.port, token, 'https://evil.example')).status, 403);
    const error = await rejectionOf(signIn.token);
    assert.ok(error instanceof BrowserSignInError);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /No sign-in arrived from https:\/\/sonar\.example\.com within 1 seconds/);
    assert.ok(!String(error.stack).includes(token) && !JSON.stringify(error).includes(token));
    assert.ok(logger.lines.every((line) => !line.includes(token)));
    assert.equal(await isListening(signIn.port), false);
  });

  it('rejects as cancelled and frees the port when aborted', async () => {
    const controller = new AbortController();
    const signIn = await start({ signal: controller.signal });
    controller.abort();
    const error = await rejectionOf(signIn.token);
    assert.ok(error instanceof SonarApiError);
    assert.equal(error.kind, 'cancelled');
    assert.equal(await isListening(signIn.port), false);
  });

  it('does not listen at all when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(start({ signal: controller.signal }));
    assert.ok(error instanceof SonarApiError && error.kind === 'cancelled');
    assert.equal(await isListening(ports[0]!), false);
  });

  it('rejects as cancelled and leaves no listener when aborted while the port is being bound', async () => {
    const controller = new AbortController();
    const starting = start({ signal: controller.signal });
    controller.abort();
    const error = await rejectionOf(starting);
    assert.ok(error instanceof SonarApiError && error.kind === 'cancelled');
    assert.equal(await isListening(ports[0]!), false);
    assert.equal(await isListening(ports[1]!), false);
  });

  it('rejects as cancelled and frees the port on close()', async () => {
    const signIn = await start();
    signIn.close();
    signIn.close();
    const error = await rejectionOf(signIn.token);
    assert.ok(error instanceof SonarApiError && error.kind === 'cancelled');
    assert.equal(await isListening(signIn.port), false);
  });

  it('refuses a server address that is not http(s)', async () => {
    const error = await rejectionOf(start({ serverOrigin: 'ftp://sonar.example.com' }));
    assert.ok(error instanceof BrowserSignInError && error.kind === 'invalidServer');
  });
});

describe('browser sign-in guards', () => {
  it('knows loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3']) assert.equal(isLoopbackAddress(address), true, address);
    for (const address of [undefined, '', '10.0.0.5', '::ffff:10.0.0.5', '0.0.0.0', '128.0.0.1', 'fe80::1', '127.0.0.1.evil']) assert.equal(isLoopbackAddress(address), false, String(address));
  });

  it('lets only local connections from the server origin deliver a token', () => {
    assert.equal(refusalOfTokenRequest({ remoteAddress: '127.0.0.1', origin: SERVER_ORIGIN }, SERVER_ORIGIN), undefined);
    assert.equal(refusalOfTokenRequest({ remoteAddress: '::1', origin: SERVER_ORIGIN }, SERVER_ORIGIN), undefined);
    assert.equal(refusalOfTokenRequest({ remoteAddress: '192.168.1.20', origin: SERVER_ORIGIN }, SERVER_ORIGIN), 'notLoopback');
    assert.equal(refusalOfTokenRequest({ remoteAddress: undefined, origin: SERVER_ORIGIN }, SERVER_ORIGIN), 'notLoopback');
    assert.equal(refusalOfTokenRequest({ remoteAddress: '127.0.0.1', origin: undefined }, SERVER_ORIGIN), 'wrongOrigin');
    assert.equal(refusalOfTokenRequest({ remoteAddress: '127.0.0.1', origin: `${SERVER_ORIGIN}/` }, SERVER_ORIGIN), 'wrongOrigin');
  });

  it('words the timeout in minutes when it is whole minutes', () => {
    assert.match(describeSignInTimeout(300_000, SERVER_ORIGIN), /within 5 minutes/);
    assert.match(describeSignInTimeout(1_500, SERVER_ORIGIN), /within 2 seconds/);
  });

  it('reads only {"token": "<printable, no spaces>"}', () => {
    const token = newToken();
    assert.equal(parseTokenBody(JSON.stringify({ token })), token);
    for (const body of ['', 'not json', '[]', 'null', '{}', '{"token":""}', '{"token":42}', '{"token":"a b"}', '{"token":"a\\nb"}', JSON.stringify({ token: 'x'.repeat(1025) })]) {
      assert.equal(parseTokenBody(body), undefined, body);
    }
  });
});

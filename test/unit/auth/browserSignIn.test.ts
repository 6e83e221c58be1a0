import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import type { AddressInfo } from 'node:net';
import {
  BrowserSignInError,
  HANDSHAKE_PORTS,
  MAX_TOKEN_BODY_BYTES,
  describeSignInTimeout,
  isBrowserSignInError,
  isLoopbackAddress,
  parseTokenBody,
  refusalOfTokenRequest,
  startBrowserSignIn,
} from '../../../src/core/auth/browserSignIn';
import type { BrowserSignIn, BrowserSignInOptions } from '../../../src/core/auth/browserSignIn';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { bundleTranslator } from '../support/bundleTranslator';
import { RecordingLogger } from '../support/recordingLogger';

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

/** The headers an answer is judged by, those present only (Node adds date, content-length and keep-alive itself). */
function judged(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const names = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age', 'vary', 'content-type', 'cache-control', 'connection'];
  return Object.fromEntries(names.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]!]));
}

/** Asks to keep the connection, so a `connection: close` in the answer is the listener's own doing. */
const KEEP_ALIVE = { connection: 'keep-alive' } as const;

/** A token POST whose body is sent only in part: the test decides whether the rest follows. */
function partialPost(port: number, headers: http.OutgoingHttpHeaders, firstPart: string): { request: http.ClientRequest; response: Promise<RawResponse> } {
  let request!: http.ClientRequest;
  const response = new Promise<RawResponse>((resolve, reject) => {
    request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/sonarlint/api/token', headers, agent: false }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
  });
  request.write(firstPart);
  return { request, response };
}

/** Probes until the one delivery slot is `state` (for a second at most): an oversized POST is answered 409 while another POST holds it, 413 while it is free. */
async function deliverySlotBecomes(port: number, state: 'held' | 'free'): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const probe = await rawRequest(port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, 'content-length': MAX_TOKEN_BODY_BYTES + 1 });
    if (probe.status === (state === 'held' ? 409 : 413)) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** `{"token":"…"}` padded with JSON whitespace to exactly `size` bytes. */
function tokenBodyOfSize(token: string, size: number): string {
  const body = JSON.stringify({ token });
  return body + ' '.repeat(size - Buffer.byteLength(body));
}

interface ListenCall {
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly ipv6Only: boolean | undefined;
}

interface ListenFault {
  readonly host: string;
  /** Every port when left out. */
  readonly port?: number;
  readonly code: string;
}

/**
 * Plays the operating system at `listen` for the listener's own (HTTP) servers while `run` runs: records every call and
 * fails those a fault names with its error code, as a machine without IPv6, a port below 1024 or a race would.
 * Everything else listens for real.
 */
async function withListen<T>(faults: readonly ListenFault[], run: (calls: ListenCall[]) => Promise<T>): Promise<T> {
  const prototype = http.Server.prototype as { listen: (...args: unknown[]) => http.Server };
  const original = prototype.listen;
  const calls: ListenCall[] = [];
  prototype.listen = function (this: http.Server, ...args: unknown[]): http.Server {
    const options = args[0] as net.ListenOptions;
    calls.push({ host: options.host, port: options.port, ipv6Only: options.ipv6Only });
    const fault = faults.find((candidate) => candidate.host === options.host && (candidate.port === undefined || candidate.port === options.port));
    if (!fault) return original.apply(this, args);
    const error = Object.assign(new Error(`listen ${fault.code} ${options.host}:${options.port}`), { code: fault.code, syscall: 'listen' });
    process.nextTick(() => this.emit('error', error));
    return this;
  };
  try {
    return await run(calls);
  } finally {
    delete (prototype as { listen?: unknown }).listen;
    if (prototype.listen !== original) prototype.listen = original;
  }
}

/** Resolves true when something accepts TCP connections on `[::1]:port`. */
function isListeningOnIpv6(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '::1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** This machine's first non-loopback IPv4 address, to connect from: a peer that is not local. */
function nonLoopbackAddress(): string | undefined {
  return Object.values(os.networkInterfaces()).flat().find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
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
    assert.equal(signIn.authUrl(`${SERVER_ORIGIN}/sonarqube//`, 'auth'), `${SERVER_ORIGIN}/sonarqube/auth?ideName=Visual%20Studio%20Code&port=${ports[0]}`);

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

  it('says which ports were all taken, in words its translators\' note keeps findable', async () => {
    const occupiers = await Promise.all(
      ports.map((port) => new Promise<net.Server>((resolve) => {
        const server = net.createServer();
        server.listen(port, '127.0.0.1', () => resolve(server));
      })),
    );
    try {
      const error = await rejectionOf(start({ t: bundleTranslator }));
      assert.ok(error instanceof BrowserSignInError);
      assert.equal(error.kind, 'noFreePort');
      assert.equal(
        error.message,
        `No free port between ${Math.min(...ports)} and ${Math.max(...ports)} for the browser sign-in: other programs (SonarQube for IDE in other windows, perhaps) hold them all. Close some of them, or paste a token instead.`,
      );
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

  describe('answers', () => {
    it('answers the status as JSON that no cache keeps, with an empty description when none is given', async () => {
      const signIn = await start({ description: undefined });
      const status = await rawRequest(signIn.port, 'GET', '/sonarlint/api/status?from=page', { origin: SERVER_ORIGIN, ...KEEP_ALIVE });
      assert.equal(status.status, 200);
      assert.deepEqual(judged(status.headers), {
        'access-control-allow-origin': SERVER_ORIGIN,
        vary: 'Origin',
        'content-type': 'application/json',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      assert.equal(status.body, '{"ideName":"Visual Studio Code","description":"","needsToken":true,"capabilities":{"canOpenFixSuggestion":false}}');
      const foreign = await rawRequest(signIn.port, 'GET', '/sonarlint/api/status', { origin: 'https://evil.example', ...KEEP_ALIVE });
      assert.deepEqual(judged(foreign.headers), { vary: 'Origin', 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'keep-alive' });
    });

    it('answers the token with an empty JSON object, closes that connection, and logs only that one arrived', async () => {
      const started = Date.now();
      const signIn = await start({ timeoutMs: 500 });
      const token = newToken();
      const answer = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, 'content-type': 'text/plain;charset=UTF-8', ...KEEP_ALIVE }, JSON.stringify({ token }));
      assert.equal(answer.status, 200);
      assert.equal(answer.body, '{}');
      assert.deepEqual(judged(answer.headers), {
        'access-control-allow-origin': SERVER_ORIGIN,
        vary: 'Origin',
        'content-type': 'application/json',
        'cache-control': 'no-store',
        connection: 'close',
      });
      assert.equal(await signIn.token, token);
      // Past the 500 ms timeout: a token that arrived stops the countdown, so no "nothing arrived" follows.
      await new Promise((resolve) => setTimeout(resolve, started + 550 - Date.now()));
      assert.deepEqual(logger.lines, [
        `info Browser sign-in: waiting on 127.0.0.1 and ::1 port ${signIn.port} for https://sonar.example.com`,
        'info Browser sign-in: received a token from https://sonar.example.com',
      ]);
    });

    it('no longer listens to the abort signal once the token arrived', async () => {
      const controller = new AbortController();
      const signIn = await start({ signal: controller.signal });
      const token = newToken();
      assert.equal((await postToken(signIn.port, token)).status, 200);
      assert.equal(await signIn.token, token);
      controller.abort();
      assert.deepEqual(logger.lines, [
        `info Browser sign-in: waiting on 127.0.0.1 and ::1 port ${signIn.port} for https://sonar.example.com`,
        'info Browser sign-in: received a token from https://sonar.example.com',
      ]);
    });
  });

  describe('refusals', () => {
    const JSON_ANSWER = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

    it('refuses a host name other than loopback (DNS rebinding) with 403 "unexpected host", and takes localhost, 127.0.0.1 and [::1]', async () => {
      const signIn = await start();
      for (const host of [`evil.example:${signIn.port}`, 'localhost', `localhost:${signIn.port + 1}`, `127.0.0.2:${signIn.port}`]) {
        const refused = await rawRequest(signIn.port, 'GET', '/sonarlint/api/status', { host, origin: SERVER_ORIGIN, ...KEEP_ALIVE });
        assert.equal(refused.status, 403, host);
        assert.equal(refused.body, '{"error":"unexpected host"}', host);
        assert.deepEqual(judged(refused.headers), { 'access-control-allow-origin': SERVER_ORIGIN, vary: 'Origin', ...JSON_ANSWER, connection: 'keep-alive' }, host);
      }
      for (const host of [`localhost:${signIn.port}`, `127.0.0.1:${signIn.port}`, `[::1]:${signIn.port}`]) {
        assert.equal((await rawRequest(signIn.port, 'GET', '/sonarlint/api/status', { host })).status, 200, host);
      }
      assert.equal(logger.lines[1], `debug Browser sign-in: refused GET /sonarlint/api/status (unexpected host; origin https://sonar.example.com)`);
    });

    it('refuses any other path with 404 "not found"', async () => {
      const signIn = await start();
      for (const path of ['/', '/sonarlint/api', '/sonarlint/api/status/', '/sonarlint/api/tokens']) {
        const refused = await rawRequest(signIn.port, 'GET', path, { origin: SERVER_ORIGIN, ...KEEP_ALIVE });
        assert.equal(refused.status, 404, path);
        assert.equal(refused.body, '{"error":"not found"}', path);
        assert.deepEqual(judged(refused.headers), { 'access-control-allow-origin': SERVER_ORIGIN, vary: 'Origin', ...JSON_ANSWER, connection: 'keep-alive' }, path);
      }
      assert.equal(logger.lines[1], 'debug Browser sign-in: refused GET / (not found; origin https://sonar.example.com)');
    });

    it('refuses anything but GET on the status and POST on the token with 405 "method not allowed"', async () => {
      const signIn = await start();
      const token = newToken();
      for (const [method, path] of [['POST', '/sonarlint/api/status'], ['PUT', '/sonarlint/api/status'], ['GET', '/sonarlint/api/token'], ['PUT', '/sonarlint/api/token']] as const) {
        const refused = await rawRequest(signIn.port, method, path, { origin: SERVER_ORIGIN, ...KEEP_ALIVE }, method === 'GET' ? undefined : JSON.stringify({ token }));
        assert.equal(refused.status, 405, `${method} ${path}`);
        assert.equal(refused.body, '{"error":"method not allowed"}', `${method} ${path}`);
        assert.deepEqual(judged(refused.headers), { 'access-control-allow-origin': SERVER_ORIGIN, vary: 'Origin', ...JSON_ANSWER, connection: 'keep-alive' });
      }
      assert.equal(await stateOf(signIn.token), 'pending');
      assert.ok(logger.lines.includes('debug Browser sign-in: refused PUT /sonarlint/api/token (method not allowed; origin https://sonar.example.com)'));
      assert.ok(logger.lines.every((line) => !line.includes(token)));
    });

    it('refuses a token from another origin, or none, with 403 "origin not allowed" and no CORS permission', async () => {
      const signIn = await start();
      const token = newToken();
      const foreign = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: 'https://evil.example', ...KEEP_ALIVE }, JSON.stringify({ token }));
      const none = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', KEEP_ALIVE, JSON.stringify({ token }));
      for (const refused of [foreign, none]) {
        assert.equal(refused.status, 403);
        assert.equal(refused.body, '{"error":"origin not allowed"}');
        assert.deepEqual(judged(refused.headers), { vary: 'Origin', ...JSON_ANSWER, connection: 'keep-alive' });
      }
      assert.deepEqual(logger.lines.slice(1), [
        'debug Browser sign-in: refused POST /sonarlint/api/token (origin not allowed; origin https://evil.example)',
        'debug Browser sign-in: refused POST /sonarlint/api/token (origin not allowed; origin none)',
      ]);
      assert.equal(await stateOf(signIn.token), 'pending');
    });

    it('refuses a token from a peer that is not this machine\'s loopback with 403 "not a local connection"', async function () {
      const localAddress = nonLoopbackAddress();
      if (!localAddress) this.skip(); // no network interface besides loopback
      const signIn = await start();
      const token = newToken();
      const refused = await new Promise<RawResponse>((resolve, reject) => {
        const request = http.request(
          { host: '127.0.0.1', port: signIn.port, localAddress, method: 'POST', path: '/sonarlint/api/token', agent: false, headers: { origin: SERVER_ORIGIN, ...KEEP_ALIVE } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify({ token }));
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body, '{"error":"not a local connection"}');
      assert.deepEqual(judged(refused.headers), { 'access-control-allow-origin': SERVER_ORIGIN, vary: 'Origin', ...JSON_ANSWER, connection: 'keep-alive' });
      assert.deepEqual(logger.lines.slice(1), ['debug Browser sign-in: refused POST /sonarlint/api/token (not a local connection; origin https://sonar.example.com)']);
      assert.equal(await stateOf(signIn.token), 'pending');
      assert.ok(logger.lines.every((line) => !line.includes(token)));
    });

    it('refuses a second token while the first is being read with 409 "a token was already received"', async () => {
      const signIn = await start();
      const first = newToken();
      const body = JSON.stringify({ token: first });
      const reading = partialPost(signIn.port, { origin: SERVER_ORIGIN, 'content-length': Buffer.byteLength(body) }, body.slice(0, 5));
      assert.ok(await deliverySlotBecomes(signIn.port, 'held'));
      const token = newToken();
      const second = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, ...KEEP_ALIVE }, JSON.stringify({ token }));
      reading.request.end(body.slice(5));
      assert.equal(second.status, 409);
      assert.equal(second.body, '{"error":"a token was already received"}');
      assert.deepEqual(judged(second.headers), { 'access-control-allow-origin': SERVER_ORIGIN, vary: 'Origin', ...JSON_ANSWER, connection: 'keep-alive' });
      assert.equal((await reading.response).status, 200);
      assert.equal(await signIn.token, first);
      assert.ok(logger.lines.includes('debug Browser sign-in: refused POST /sonarlint/api/token (a token was already received; origin https://sonar.example.com)'));
      assert.ok(logger.lines.every((line) => !line.includes(first) && !line.includes(token)));
    });

    it('refuses a body that is not {"token":"..."} with 400 saying what it expects', async () => {
      const signIn = await start();
      const token = newToken();
      const malformed = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, ...KEEP_ALIVE }, `{"token":"${token} "}`);
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body, '{"error":"expected {\\"token\\":\\"...\\"}"}');
      assert.deepEqual(judged(malformed.headers), { 'access-control-allow-origin': SERVER_ORIGIN, vary: 'Origin', ...JSON_ANSWER, connection: 'keep-alive' });
      assert.deepEqual(logger.lines.slice(1), ['debug Browser sign-in: refused POST /sonarlint/api/token (expected {"token":"..."}; origin https://sonar.example.com)']);
      assert.equal(await stateOf(signIn.token), 'pending');
    });
  });

  describe('CORS preflight', () => {
    const preflight = (port: number, origin: string, requestedHeaders?: string) =>
      rawRequest(port, 'OPTIONS', '/sonarlint/api/token', {
        origin,
        'access-control-request-method': 'POST',
        ...(requestedHeaders === undefined ? {} : { 'access-control-request-headers': requestedHeaders }),
        ...KEEP_ALIVE,
      });

    it('allows the server origin GET, POST and OPTIONS for 10 minutes, with no body', async () => {
      const signIn = await start();
      const allowed = await preflight(signIn.port, SERVER_ORIGIN, 'content-type');
      assert.equal(allowed.status, 204);
      assert.equal(allowed.body, '');
      assert.deepEqual(judged(allowed.headers), {
        'access-control-allow-origin': SERVER_ORIGIN,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
        vary: 'Origin',
        connection: 'keep-alive',
      });
    });

    it('echoes only plain, comma-separated header names, and offers Content-Type otherwise', async () => {
      const signIn = await start();
      const cases: Array<[string | undefined, string]> = [
        [undefined, 'Content-Type'],
        ['content-type, x-requested-with', 'content-type, x-requested-with'],
        ['content-type,x-b', 'content-type,x-b'],
        ['content-type , x-b', 'content-type , x-b'],
        ['content-type;q=1', 'Content-Type'],
        ['content-type x-b', 'Content-Type'],
        ['(x) content-type', 'Content-Type'],
        ['content-type, *', 'Content-Type'],
      ];
      for (const [requested, offered] of cases) {
        const answer = await preflight(signIn.port, SERVER_ORIGIN, requested);
        assert.equal(answer.status, 204, String(requested));
        assert.equal(answer.headers['access-control-allow-headers'], offered, String(requested));
      }
    });

    it('refuses another origin with 403 "origin not allowed" and no CORS headers at all', async () => {
      const signIn = await start();
      const refused = await preflight(signIn.port, 'https://evil.example', 'content-type');
      assert.equal(refused.status, 403);
      assert.equal(refused.body, '{"error":"origin not allowed"}');
      assert.deepEqual(judged(refused.headers), { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'keep-alive' });
      assert.deepEqual(logger.lines.slice(1), ['debug Browser sign-in: refused OPTIONS /sonarlint/api/token (origin not allowed; origin https://evil.example)']);
    });
  });

  describe('body limits', () => {
    const TOO_LARGE = { 'access-control-allow-origin': SERVER_ORIGIN, vary: 'Origin', 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' };

    it(`takes a body of exactly MAX_TOKEN_BODY_BYTES (${MAX_TOKEN_BODY_BYTES}) announced by Content-Length`, async () => {
      const signIn = await start();
      const token = newToken();
      const body = tokenBodyOfSize(token, MAX_TOKEN_BODY_BYTES);
      const answer = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, 'content-length': MAX_TOKEN_BODY_BYTES }, body);
      assert.equal(answer.status, 200);
      assert.equal(await signIn.token, token);
    });

    it(`takes a chunked body of exactly MAX_TOKEN_BODY_BYTES (${MAX_TOKEN_BODY_BYTES})`, async () => {
      const signIn = await start();
      const token = newToken();
      const answer = await rawRequest(signIn.port, 'POST', '/sonarlint/api/token', { origin: SERVER_ORIGIN, 'transfer-encoding': 'chunked' }, tokenBodyOfSize(token, MAX_TOKEN_BODY_BYTES));
      assert.equal(answer.status, 200);
      assert.equal(await signIn.token, token);
    });

    it('refuses a Content-Length of MAX_TOKEN_BODY_BYTES + 1 with 413 before reading the body, and closes that connection', async () => {
      // A slow body would be refused with 408 after 100 ms: the 413 comes from the announced length alone.
      const signIn = await start({ bodyTimeoutMs: 100 });
      const announced = partialPost(signIn.port, { origin: SERVER_ORIGIN, 'content-length': MAX_TOKEN_BODY_BYTES + 1, ...KEEP_ALIVE }, '{"tok');
      const refused = await announced.response;
      announced.request.destroy();
      assert.equal(refused.status, 413);
      assert.equal(refused.body, '{"error":"body too large"}');
      assert.deepEqual(judged(refused.headers), TOO_LARGE);
      assert.deepEqual(logger.lines.slice(1), ['debug Browser sign-in: refused POST /sonarlint/api/token (body too large; origin https://sonar.example.com)']);
    });

    it('refuses a chunked body that grows past MAX_TOKEN_BODY_BYTES with 413, once, and takes the next proper token', async () => {
      const signIn = await start();
      const oversized = partialPost(signIn.port, { origin: SERVER_ORIGIN, 'transfer-encoding': 'chunked', ...KEEP_ALIVE }, 'x'.repeat(MAX_TOKEN_BODY_BYTES));
      oversized.request.write('y');
      oversized.request.write('z'); // arrives after the refusal: not answered again
      oversized.request.end('z');
      const refused = await oversized.response;
      assert.equal(refused.status, 413);
      assert.equal(refused.body, '{"error":"body too large"}');
      assert.deepEqual(judged(refused.headers), TOO_LARGE);
      assert.deepEqual(logger.lines.slice(1), ['debug Browser sign-in: refused POST /sonarlint/api/token (body too large; origin https://sonar.example.com)']);
      const token = newToken();
      assert.equal((await postToken(signIn.port, token)).status, 200);
      assert.equal(await signIn.token, token);
    });

    it('refuses a body slower than bodyTimeoutMs with 408, closes that connection, and frees the slot', async () => {
      const signIn = await start({ bodyTimeoutMs: 50 });
      const token = newToken();
      const body = JSON.stringify({ token });
      const slow = partialPost(signIn.port, { origin: SERVER_ORIGIN, 'content-length': Buffer.byteLength(body), ...KEEP_ALIVE }, body.slice(0, 14));
      const refused = await slow.response;
      assert.equal(refused.status, 408);
      assert.equal(refused.body, '{"error":"body too slow"}');
      assert.deepEqual(judged(refused.headers), TOO_LARGE);
      await new Promise<void>((resolve) => (slow.request.socket?.destroyed ? resolve() : slow.request.socket?.once('close', () => resolve())));
      assert.deepEqual(logger.lines.slice(1), ['debug Browser sign-in: refused POST /sonarlint/api/token (body too slow; origin https://sonar.example.com)']);
      const good = newToken();
      assert.equal((await postToken(signIn.port, good)).status, 200);
      assert.equal(await signIn.token, good);
      assert.ok(logger.lines.every((line) => !line.includes(token) && !line.includes(good)));
    });

    it('frees the slot for a proper attempt when a sender goes away mid-body', async () => {
      // Long enough that only the sender's going away can free the slot within the test.
      const signIn = await start({ bodyTimeoutMs: 60_000 });
      const gone = partialPost(signIn.port, { origin: SERVER_ORIGIN, 'content-length': 100 }, '{"token":"sq');
      gone.response.catch(() => undefined);
      assert.ok(await deliverySlotBecomes(signIn.port, 'held'));
      gone.request.destroy();
      assert.ok(await deliverySlotBecomes(signIn.port, 'free'), 'the slot is freed');
      const token = newToken();
      assert.equal((await postToken(signIn.port, token)).status, 200);
      assert.equal(await signIn.token, token);
    });
  });

  describe('ending', () => {
    it('rejects as cancelled, in those words, and logs the cancellation when the signal aborts', async () => {
      const controller = new AbortController();
      const signIn = await start({ signal: controller.signal, t: bundleTranslator });
      controller.abort();
      const error = await rejectionOf(signIn.token);
      assert.ok(error instanceof SonarApiError);
      assert.equal(error.message, 'The browser sign-in was cancelled.');
      assert.deepEqual(logger.lines, [`info Browser sign-in: waiting on 127.0.0.1 and ::1 port ${signIn.port} for https://sonar.example.com`, 'info Browser sign-in: cancelled']);
    });

    it('leaves no unhandled rejection when the caller only calls close()', async () => {
      const unhandled: unknown[] = [];
      const record = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', record);
      try {
        const signIn = await start();
        signIn.close();
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        process.off('unhandledRejection', record);
      }
      assert.deepEqual(unhandled, []);
    });

    it('logs the timeout and words it for the person', async () => {
      const signIn = await start({ timeoutMs: 100, t: bundleTranslator });
      const error = await rejectionOf(signIn.token);
      assert.ok(error instanceof BrowserSignInError);
      assert.equal(error.message, 'No sign-in arrived from https://sonar.example.com within 1 seconds. Start the sign-in again and allow the connection in your browser.');
      assert.deepEqual(logger.lines, [
        `info Browser sign-in: waiting on 127.0.0.1 and ::1 port ${signIn.port} for https://sonar.example.com`,
        'warn Browser sign-in: nothing arrived from https://sonar.example.com within 100 ms',
      ]);
    });

    it('refuses a server address that is not a URL, in words', async () => {
      for (const serverOrigin of ['not a url', 'ftp://sonar.example.com']) {
        const error = await rejectionOf(start({ serverOrigin, t: bundleTranslator }));
        assert.ok(error instanceof BrowserSignInError && error.kind === 'invalidServer', serverOrigin);
        assert.equal(error.message, `${serverOrigin} is not an http or https address, so it cannot take part in the browser sign-in.`);
      }
    });
  });

  describe('listening', () => {
    it('listens on 127.0.0.1 and on ::1 as IPv6 only, on the same port', async () => {
      await withListen([], async (calls) => {
        const signIn = await start();
        assert.deepEqual(calls, [
          { host: '127.0.0.1', port: ports[0], ipv6Only: false },
          { host: '::1', port: ports[0], ipv6Only: true },
        ]);
        assert.equal(await isListening(signIn.port), true);
        assert.equal(await isListeningOnIpv6(signIn.port), true);
      });
    });

    for (const held of ['127.0.0.1', '::1']) {
      it(`does not even try to listen on a port another listener answers on ${held} only`, async function () {
        const occupier = net.createServer();
        const bound = await new Promise<boolean>((resolve) => {
          occupier.once('error', () => resolve(false));
          occupier.listen(ports[0], held, () => resolve(true));
        });
        if (!bound) this.skip(); // no such loopback address on this machine
        try {
          await withListen([], async (calls) => {
            const signIn = await start();
            assert.equal(signIn.port, ports[1]);
            assert.deepEqual(calls.map((call) => call.port), [ports[1], ports[1]]);
          });
        } finally {
          await new Promise((resolve) => occupier.close(resolve));
        }
      });
    }

    for (const code of ['EADDRINUSE', 'EACCES']) {
      it(`skips a port that ::1 refuses with ${code}, and lets go of its 127.0.0.1 side`, async () => {
        await withListen([{ host: '::1', port: ports[0], code }], async () => {
          const signIn = await start();
          assert.equal(signIn.port, ports[1]);
          assert.equal(await isListening(ports[0]!), false);
          assert.equal(logger.lines[0], `info Browser sign-in: waiting on 127.0.0.1 and ::1 port ${ports[1]} for https://sonar.example.com`);
        });
      });

      it(`skips a port that 127.0.0.1 refuses with ${code}, without trying ::1 on it`, async () => {
        await withListen([{ host: '127.0.0.1', port: ports[0], code }], async (calls) => {
          const signIn = await start();
          assert.equal(signIn.port, ports[1]);
          assert.deepEqual(calls.map((call) => `${call.host} ${call.port}`), [`127.0.0.1 ${ports[0]}`, `127.0.0.1 ${ports[1]}`, `::1 ${ports[1]}`]);
        });
      });
    }

    for (const code of ['EADDRNOTAVAIL', 'EAFNOSUPPORT']) {
      it(`listens on 127.0.0.1 alone where ::1 is absent (${code})`, async () => {
        await withListen([{ host: '::1', code }], async () => {
          const signIn = await start();
          assert.equal(signIn.port, ports[0]);
          assert.equal((await rawRequest(signIn.port, 'GET', '/sonarlint/api/status', {})).status, 200);
          assert.equal(logger.lines[0], `info Browser sign-in: waiting on 127.0.0.1 port ${ports[0]} for https://sonar.example.com`);
        });
      });

      it(`listens on ::1 alone where 127.0.0.1 is absent (${code})`, async () => {
        await withListen([{ host: '127.0.0.1', code }], async () => {
          const signIn = await start();
          assert.equal(signIn.port, ports[0]);
          assert.equal(await isListeningOnIpv6(signIn.port), true);
          assert.equal(logger.lines[0], `info Browser sign-in: waiting on ::1 port ${ports[0]} for https://sonar.example.com`);
        });
      });
    }

    it('fails, and tries no other port, when neither loopback address exists', async () => {
      await withListen([{ host: '127.0.0.1', code: 'EADDRNOTAVAIL' }, { host: '::1', code: 'EAFNOSUPPORT' }], async (calls) => {
        const error = await rejectionOf(start());
        assert.ok(error instanceof Error);
        assert.equal(error.message, 'Neither 127.0.0.1 nor ::1 can be listened on.');
        assert.equal(calls.length, 2);
      });
    });

    it('passes on any other listen error, tries no other port, and leaves nothing listening', async () => {
      await withListen([{ host: '::1', code: 'EPERM' }], async (calls) => {
        const error = await rejectionOf(start());
        assert.ok(error instanceof Error);
        assert.equal((error as NodeJS.ErrnoException).code, 'EPERM');
        assert.equal(error.message, `listen EPERM ::1:${ports[0]}`);
        assert.equal(calls.length, 2);
        assert.equal(await isListening(ports[0]!), false);
      });
    });
  });

});

describe('browser sign-in guards', () => {
  it('knows loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3']) assert.equal(isLoopbackAddress(address), true, address);
    for (const address of [undefined, '', '10.0.0.5', '::ffff:10.0.0.5', '0.0.0.0', '128.0.0.1', 'fe80::1', '127.0.0.1.evil']) assert.equal(isLoopbackAddress(address), false, String(address));
  });

  it('knows 127.x.y.z with octets of any width, both spellings of ::1, and their IPv4-mapped forms', () => {
    for (const address of ['127.10.200.30', '127.255.255.254', '::ffff:127.100.20.3', '0:0:0:0:0:0:0:1']) assert.equal(isLoopbackAddress(address), true, address);
    for (const address of ['1127.0.0.1', '127.0.0.1000', '127.0.1', '0:0:0:0:0:0:0:2']) assert.equal(isLoopbackAddress(address), false, address);
  });

  it('recognises its errors by name and kind, as another bundle sees them', () => {
    assert.equal(isBrowserSignInError(new BrowserSignInError('timeout', 'No sign-in arrived.')), true);
    assert.equal(isBrowserSignInError(Object.assign(new Error('No sign-in arrived.'), { name: 'BrowserSignInError', kind: 'timeout' })), true);
    assert.equal(isBrowserSignInError(Object.assign(new Error('No sign-in arrived.'), { name: 'BrowserSignInError' })), false);
    assert.equal(isBrowserSignInError(Object.assign(new Error('No sign-in arrived.'), { kind: 'timeout' })), false);
    assert.equal(isBrowserSignInError(new SonarApiError('cancelled', 'The browser sign-in was cancelled.')), false);
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
    // 1024 characters is the longest value taken; 1025 below is refused.
    assert.equal(parseTokenBody(JSON.stringify({ token: 'x'.repeat(1024) })), 'x'.repeat(1024));
    for (const body of ['', 'not json', '[]', 'null', '{}', '{"token":""}', '{"token":42}', '{"token":"a b"}', '{"token":"a\\nb"}', JSON.stringify({ token: 'x'.repeat(1025) })]) {
      assert.equal(parseTokenBody(body), undefined, body);
    }
  });
});

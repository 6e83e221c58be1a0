// The browser token handshake of SonarQube for IDE: the server's `/sonarlint/auth` page, once the person agrees,
// POSTs a fresh user token to a listener on this machine (ports 64120-64130). The listener accepts exactly one
// token, only from the server's own origin and only over loopback, then closes; the value never appears in an
// error, a log line or a response.
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { englishMessage, silentLogger } from '../ports';
import type { Logger, Translate } from '../ports';
import type { HandshakeRoute } from '../sonar/capabilities';
import { SonarApiError } from '../sonar/errors';
import { HANDSHAKE_PORTS } from './handshakePorts';
import { isErrorNamed } from '../util/namedError';
import { PRODUCT } from '../productNames';

// SonarQube for IDE may already hold some of the handshake ports: the listener takes the first free one.
export { HANDSHAKE_PORTS };
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;
/** A token body is `{"token":"…"}`: anything near this size is not one. */
export const MAX_TOKEN_BODY_BYTES = 8 * 1024;
/** A token body is a few dozen bytes: one that takes longer than this is holding the one delivery slot. */
export const DEFAULT_BODY_TIMEOUT_MS = 5_000;
/** A browser calling `localhost` may use either: both are held, so nobody else can take the other. */
const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'] as const;

const STATUS_PATH = '/sonarlint/api/status';
const TOKEN_PATH = '/sonarlint/api/token';
const MAX_TOKEN_LENGTH = 1024;
/** Printable ASCII without spaces: what every SonarQube token is made of. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

export type BrowserSignInErrorKind = 'timeout' | 'noFreePort' | 'invalidServer';

/** A handshake failure the person should read; cancellation is a `SonarApiError` of kind `cancelled` instead. */
export class BrowserSignInError extends Error {
  readonly kind: BrowserSignInErrorKind;

  constructor(kind: BrowserSignInErrorKind, message: string) {
    super(message);
    this.name = 'BrowserSignInError';
    this.kind = kind;
  }
}

export function isBrowserSignInError(error: unknown): error is BrowserSignInError {
  return isErrorNamed(error, 'BrowserSignInError') && 'kind' in error;
}

export interface BrowserSignInOptions {
  /** The server's URL; only its origin (scheme://host:port) counts, any context path is dropped. */
  readonly serverOrigin: string;
  readonly ideName: string;
  readonly description?: string;
  /** Candidate ports, first free one wins. Defaults to 64120-64130. */
  readonly ports?: readonly number[];
  readonly timeoutMs?: number;
  /** How long a token request's body may take to arrive. */
  readonly bodyTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly t?: Translate;
  readonly logger?: Logger;
}

export interface BrowserSignIn {
  readonly port: number;
  /** `<server>/<route>?ideName=…&port=…`, the page to open in the browser (the route depends on the server version). */
  authUrl(serverBaseUrl: string, route: HandshakeRoute): string;
  /** The one token the page sent. Rejects on timeout, abort or `close()` before it arrived. */
  readonly token: Promise<string>;
  /** Frees the port; idempotent. */
  close(): void;
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ipv4 = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4) || address === '::1' || address === '0:0:0:0:0:0:0:1';
}

export type TokenRequestRefusal = 'notLoopback' | 'wrongOrigin';

/** Who may deliver the token: a local connection whose `Origin` is exactly the server's. */
export function refusalOfTokenRequest(
  request: { readonly remoteAddress: string | undefined; readonly origin: string | undefined },
  serverOrigin: string,
): TokenRequestRefusal | undefined {
  if (!isLoopbackAddress(request.remoteAddress)) return 'notLoopback';
  if (request.origin !== serverOrigin) return 'wrongOrigin';
  return undefined;
}

/** The token out of `{"token":"…"}`, or undefined when the body is anything else. */
export function parseTokenBody(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const token = (parsed as { token?: unknown }).token;
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_CHARACTERS.test(token)) return undefined;
  return token;
}

function originOf(serverUrl: string, t: Translate): string {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BrowserSignInError('invalidServer', t('{0} is not an http or https address, so it cannot take part in the browser sign-in.', serverUrl));
  }
  return url.origin;
}

/** Host names a browser on this machine uses to reach the listener; anything else is DNS rebinding. */
function allowedHosts(port: number): Set<string> {
  return new Set(['localhost', '127.0.0.1', '[::1]'].map((name) => `${name}:${port}`));
}

function corsHeaders(request: http.IncomingMessage, serverOrigin: string): http.OutgoingHttpHeaders {
  if (request.headers.origin !== serverOrigin) return { vary: 'Origin' };
  return { 'access-control-allow-origin': serverOrigin, vary: 'Origin' };
}

function preflightHeaders(request: http.IncomingMessage, serverOrigin: string): http.OutgoingHttpHeaders {
  const requested = request.headers['access-control-request-headers'];
  return {
    ...corsHeaders(request, serverOrigin),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // Echo plain header names only; the origin is already known to be the server's.
    'access-control-allow-headers': requested && /^[\w-]+(\s*,\s*[\w-]+)*$/.test(requested) ? requested : 'Content-Type',
    'access-control-max-age': '600',
    ...(request.headers['access-control-request-private-network'] === 'true' ? { 'access-control-allow-private-network': 'true' } : {}),
  };
}

function send(response: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** True when something accepts connections on `address:port` (unreachable addresses count as free). */
function answers(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The browser calls `localhost`, which may mean ::1 as well as 127.0.0.1: a port another listener holds on
 * either address (SonarQube for IDE, say) would receive the page's requests, even if our own bind succeeds.
 */
async function heldByAnotherListener(port: number): Promise<boolean> {
  const [ipv4, ipv6] = await Promise.all([answers('127.0.0.1', port), answers('::1', port)]);
  return ipv4 || ipv6;
}

type ListenOutcome = 'listening' | 'busy' | 'noSuchAddress' | Error;

function listenOn(server: http.Server, host: string, port: number): Promise<ListenOutcome> {
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve('busy');
      // A machine without IPv6 loopback: nobody else can listen on ::1 either.
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') resolve('noSuchAddress');
      else resolve(error);
    });
    server.listen({ port, host, ipv6Only: host === '::1' }, () => resolve('listening'));
  });
}

/**
 * Listens on the first port of `ports` nobody else holds, on both loopback addresses for the whole handshake: a port
 * free on only one of them is busy, since whoever holds the other would receive what a browser sends to `localhost`.
 */
async function listenOnFirstFreePort(handler: http.RequestListener, ports: readonly number[]): Promise<{ servers: http.Server[]; port: number } | undefined> {
  for (const port of ports) {
    if (await heldByAnotherListener(port)) continue;
    const servers: http.Server[] = [];
    let outcome: ListenOutcome = 'listening';
    for (const host of LOOPBACK_ADDRESSES) {
      const server = http.createServer(handler);
      outcome = await listenOn(server, host, port);
      if (outcome === 'listening') servers.push(server);
      else if (outcome !== 'noSuchAddress') break;
    }
    if (outcome === 'listening' || outcome === 'noSuchAddress') {
      if (servers.length > 0) return { servers, port: (servers[0].address() as AddressInfo).port };
      outcome = new Error('Neither 127.0.0.1 nor ::1 can be listened on.');
    }
    for (const server of servers) server.close();
    if (outcome !== 'busy') throw outcome;
  }
  return undefined;
}

export function describeSignInTimeout(timeoutMs: number, serverOrigin: string, t: Translate = englishMessage): string {
  return timeoutMs % 60_000 === 0
    ? t('No sign-in arrived from {0} within {1} minutes. Start the sign-in again and allow the connection in your browser.', serverOrigin, timeoutMs / 60_000)
    : t('No sign-in arrived from {0} within {1} seconds. Start the sign-in again and allow the connection in your browser.', serverOrigin, Math.ceil(timeoutMs / 1000));
}

type Refuse = (status: number, reason: string, headers?: http.OutgoingHttpHeaders) => void;

/**
 * One handshake: the listener's state is what a person can see of it. `waiting` until a POST starts reading its body
 * (`receiving`, which holds the one delivery slot), then `settled` once a token arrived or it failed; the ports are
 * freed on settling. A second token request meanwhile gets 409.
 */
class BrowserSignInListener implements BrowserSignIn {
  readonly token: Promise<string>;
  private resolveToken!: (token: string) => void;
  private rejectToken!: (error: Error) => void;
  private phase: 'waiting' | 'receiving' | 'settled' = 'waiting';
  private hosts = new Set<string>();
  private servers: http.Server[] = [];
  private timer?: NodeJS.Timeout;
  private closed = false;
  port = 0;
  private readonly onAbort = () => {
    this.logger.info('Browser sign-in: cancelled');
    this.fail(this.cancelled());
  };

  constructor(
    private readonly options: BrowserSignInOptions,
    private readonly serverOrigin: string,
    private readonly t: Translate,
    private readonly logger: Logger,
  ) {
    this.token = new Promise<string>((resolve, reject) => {
      this.resolveToken = resolve;
      this.rejectToken = reject;
    });
    this.token.catch(() => undefined); // a caller that only calls close() must not cause an unhandled rejection
  }

  cancelled(): SonarApiError {
    return new SonarApiError('cancelled', this.t('The browser sign-in was cancelled.'));
  }

  /** Starts taking requests on `port` and counting down to the timeout. */
  listenOn(servers: http.Server[], port: number, timeoutMs: number): void {
    this.servers = servers;
    this.port = port;
    this.hosts = allowedHosts(port);
    this.logger.info(`Browser sign-in: waiting on ${servers.map((server) => (server.address() as AddressInfo).address).join(' and ')} port ${port} for ${this.serverOrigin}`);
    this.timer = setTimeout(() => {
      this.logger.warn(`Browser sign-in: nothing arrived from ${this.serverOrigin} within ${timeoutMs} ms`);
      this.fail(new BrowserSignInError('timeout', describeSignInTimeout(timeoutMs, this.serverOrigin, this.t)));
    }, timeoutMs);
    this.timer.unref();
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  authUrl(serverBaseUrl: string, route: HandshakeRoute): string {
    return `${serverBaseUrl.replace(/\/+$/, '')}/${route}?ideName=${encodeURIComponent(this.options.ideName)}&port=${this.port}`;
  }

  close(): void {
    this.fail(this.cancelled());
  }

  readonly handle: http.RequestListener = (request, response) => {
    const { serverOrigin } = this;
    const path = (request.url ?? '').split('?')[0];
    const refuse: Refuse = (status, reason, headers = corsHeaders(request, serverOrigin)) => {
      this.logger.debug(`Browser sign-in: refused ${request.method} ${path} (${reason}; origin ${request.headers.origin ?? 'none'})`);
      send(response, status, headers, { error: reason });
    };
    if (!this.hosts.has(request.headers.host ?? '')) return refuse(403, 'unexpected host');
    if (path !== STATUS_PATH && path !== TOKEN_PATH) return refuse(404, 'not found');
    if (request.method === 'OPTIONS') {
      if (request.headers.origin !== serverOrigin) return refuse(403, 'origin not allowed', {});
      return send(response, 204, preflightHeaders(request, serverOrigin));
    }
    if (path === STATUS_PATH) {
      if (request.method !== 'GET') return refuse(405, 'method not allowed');
      return send(response, 200, corsHeaders(request, serverOrigin), {
        ideName: this.options.ideName,
        description: this.options.description ?? '',
        needsToken: true,
        // What SonarQube for IDE answers here; this listener cannot open fix suggestions from the server.
        capabilities: { canOpenFixSuggestion: false },
      });
    }
    if (request.method !== 'POST') return refuse(405, 'method not allowed');
    const refusal = refusalOfTokenRequest({ remoteAddress: request.socket.remoteAddress, origin: request.headers.origin }, serverOrigin);
    if (refusal) return refuse(403, refusal === 'notLoopback' ? 'not a local connection' : 'origin not allowed');
    if (this.phase !== 'waiting') return refuse(409, 'a token was already received');
    if (Number(request.headers['content-length'] ?? 0) > MAX_TOKEN_BODY_BYTES) {
      return refuse(413, 'body too large', { ...corsHeaders(request, serverOrigin), connection: 'close' });
    }
    this.receiveToken(request, response, refuse);
  };

  private receiveToken(request: http.IncomingMessage, response: http.ServerResponse, refuse: Refuse): void {
    const { serverOrigin } = this;
    this.phase = 'receiving';
    const chunks: Buffer[] = [];
    let size = 0;
    /** This request is finished with: answered, refused or gone. */
    let done = false;
    const release = () => {
      done = true;
      if (this.phase === 'receiving') this.phase = 'waiting';
      clearTimeout(bodyTimer);
    };
    const bodyTimer = setTimeout(() => {
      if (done) return;
      release();
      refuse(408, 'body too slow', { ...corsHeaders(request, serverOrigin), connection: 'close' });
      request.socket.destroySoon();
    }, this.options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
    bodyTimer.unref();
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_TOKEN_BODY_BYTES) {
        release();
        refuse(413, 'body too large', { ...corsHeaders(request, serverOrigin), connection: 'close' });
        return;
      }
      chunks.push(chunk);
    });
    request.on('close', () => {
      if (!done && !request.complete) release(); // the sender went away mid-body: let a proper attempt through
    });
    request.on('end', () => {
      if (done) return;
      if (this.phase === 'settled') return release(); // timed out or cancelled meanwhile: the connection is already being closed
      const received = parseTokenBody(Buffer.concat(chunks).toString('utf8'));
      if (received === undefined) {
        release();
        return refuse(400, 'expected {"token":"..."}');
      }
      done = true;
      clearTimeout(bodyTimer);
      this.phase = 'settled';
      this.logger.info(`Browser sign-in: received a token from ${serverOrigin}`);
      // The token is handed over once the page has its answer, so closing the port cannot cut that answer off.
      response.once('close', () => {
        this.shutdown();
        this.resolveToken(received);
      });
      send(response, 200, { ...corsHeaders(request, serverOrigin), connection: 'close' }, {});
    });
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const server of this.servers) {
      server.close();
      server.closeAllConnections();
    }
  }

  private fail(error: Error): void {
    if (this.phase === 'settled') return this.shutdown();
    this.phase = 'settled';
    this.shutdown();
    this.rejectToken(error);
  }
}

/**
 * Opens the loopback listener and resolves once it listens. The caller opens `authUrl(...)` in the browser,
 * awaits `token`, and calls `close()` in a `finally`.
 */
export async function startBrowserSignIn(options: BrowserSignInOptions): Promise<BrowserSignIn> {
  const t = options.t ?? englishMessage;
  const ports = options.ports ?? HANDSHAKE_PORTS;
  const listener = new BrowserSignInListener(options, originOf(options.serverOrigin, t), t, options.logger ?? silentLogger);
  if (options.signal?.aborted) throw listener.cancelled();
  const listening = await listenOnFirstFreePort(listener.handle, ports);
  if (!listening) {
    throw new BrowserSignInError(
      'noFreePort',
      t(
        {
          message: 'No free port between {0} and {1} for the browser sign-in: other programs ({2} in other windows, perhaps) hold them all. Close some of them, or paste a token instead.',
          comment: ['{0} and {1} are port numbers; {2} is a product name, SonarQube for IDE.'],
        },
        Math.min(...ports),
        Math.max(...ports),
        PRODUCT.sonarQubeForIde,
      ),
    );
  }
  if (options.signal?.aborted) {
    for (const server of listening.servers) server.close(); // aborted while the port was being bound
    throw listener.cancelled();
  }
  listener.listenOn(listening.servers, listening.port, options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS);
  return listener;
}

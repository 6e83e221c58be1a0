// One HTTP exchange with SonarQube over undici: proxies and certificates, timeouts and cancellation, a size cap,
// and the translation of every way it can fail into a SonarApiError. Knows nothing about tokens or endpoints' meaning.
import { rootCertificates } from 'node:tls';
import { Agent, ProxyAgent, getGlobalDispatcher, request as undiciRequest } from 'undici';
import type { Dispatcher } from 'undici';
import { authorizationForms } from '../logging/knownSecrets';
import { redactSecrets } from '../logging/redact';
import { silentLogger } from '../ports';
import type { Logger } from '../ports';
import { SonarApiError, isSonarApiError } from './errors';
import type { SonarErrorKind } from './errors';
import { serverMessagesOf } from './schemas';

export const defaultTimeoutMs = 15_000;
export const defaultMaxResponseBytes = 5 * 1024 * 1024;

export interface DispatcherSettings {
  /** An explicit proxy (the editor's `http.proxy`): wins over the environment. */
  readonly proxyUrl?: string;
  /** Hosts that bypass the proxy; when absent, `NO_PROXY` from the environment applies. */
  readonly noProxy?: readonly string[];
  /**
   * False accepts any certificate on connections through a proxy (the editor's `http.proxyStrictSSL`, for proxies
   * that inspect TLS); default true. A direct connection is always verified.
   */
  readonly strictSSL?: boolean;
  /** Extra PEM certificate authorities, trusted in addition to the built-in ones. */
  readonly ca?: readonly string[];
  readonly connectTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
}

export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

function environmentValue(env: ProxyEnvironment, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** `host:port`, `[v6]:port` or a bare host (a bare IPv6 address has several colons and no port). */
function splitHostPort(entry: string): { entryHost: string; entryPort?: string } {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? (entry.split(':').length === 2 ? /^([^:]+):(\d+)$/.exec(entry) : null);
  const host = match ? match[1]! : entry;
  return { entryHost: host.replace(/^\*?\./, ''), ...(match?.[2] !== undefined && { entryPort: match[2] }) };
}

/** `NO_PROXY` semantics as curl and undici read them: `*`, exact hosts, domain suffixes (`.corp`, `*.corp`), optional `:port`. */
export function bypassesProxy(target: URL, noProxy: readonly string[]): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || defaultPort(target.protocol);
  return noProxy.some((rawEntry) => {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') return false;
    if (entry === '*') return true;
    const { entryHost, entryPort } = splitHostPort(entry);
    if (entryPort !== undefined && entryPort !== port) return false;
    return host === entryHost || host.endsWith(`.${entryHost}`);
  });
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(/[\s,]+/).filter((entry) => entry !== '') : [];
}

/** The proxy a request to `targetUrl` goes through, or undefined for a direct connection. */
export function selectProxy(targetUrl: string, settings: DispatcherSettings = {}, env: ProxyEnvironment = {}): string | undefined {
  const target = new URL(targetUrl);
  const proxy =
    settings.proxyUrl?.trim() ||
    (target.protocol === 'https:' ? environmentValue(env, 'HTTPS_PROXY') : undefined) ||
    environmentValue(env, 'HTTP_PROXY');
  if (!proxy) return undefined;
  const noProxy = settings.noProxy ?? splitList(environmentValue(env, 'NO_PROXY'));
  return bypassesProxy(target, noProxy) ? undefined : proxy;
}

/** A keep-alive dispatcher for one origin: an `Agent`, or a `ProxyAgent` when a proxy applies to that origin. */
export function createDispatcher(origin: string, settings: DispatcherSettings = {}, env: ProxyEnvironment = process.env): Dispatcher {
  const proxy = selectProxy(origin, settings, env);
  const tls = {
    rejectUnauthorized: proxy ? (settings.strictSSL ?? true) : true,
    ...(settings.ca && settings.ca.length > 0 && { ca: [...rootCertificates, ...settings.ca] }),
    ...(settings.connectTimeoutMs !== undefined && { timeout: settings.connectTimeoutMs }),
  };
  const agentOptions = {
    connect: tls,
    ...(settings.keepAliveTimeoutMs !== undefined && { keepAliveTimeout: settings.keepAliveTimeoutMs }),
  };
  return proxy ? new ProxyAgent({ ...agentOptions, uri: proxy, requestTls: tls, proxyTls: tls }) : new Agent(agentOptions);
}

/** One dispatcher per origin and settings, so connections are kept alive across calls; close them all on dispose. */
export class DispatcherPool {
  private readonly dispatchers = new Map<string, Dispatcher>();

  constructor(private readonly env: ProxyEnvironment = process.env) {}

  get(origin: string, settings: DispatcherSettings = {}): Dispatcher {
    const key = JSON.stringify([new URL(origin).origin, settings.proxyUrl, settings.noProxy, settings.strictSSL, settings.ca, settings.connectTimeoutMs, settings.keepAliveTimeoutMs]);
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = createDispatcher(new URL(origin).origin, settings, this.env);
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  get size(): number {
    return this.dispatchers.size;
  }

  async close(): Promise<void> {
    const closing = [...this.dispatchers.values()].map((dispatcher) => dispatcher.close());
    this.dispatchers.clear();
    await Promise.allSettled(closing);
  }
}

/** What the caller wants back: parsed JSON, plain text (`api/server/version`) or nothing (204 answers). */
export type Expectation = 'json' | 'text' | 'none';

export interface SonarRequest {
  readonly method: 'GET' | 'POST';
  /** Server URL (with context path) or Cloud base, without trailing slash. */
  readonly baseUrl: string;
  /** Web API path such as `api/user_tokens/search`: what errors and log lines name. */
  readonly endpoint: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Sent as `application/x-www-form-urlencoded`. */
  readonly form?: Readonly<Record<string, string | undefined>>;
  /** The `Authorization` header value; never logged nor put into errors. */
  readonly authorization?: string;
  readonly expect: Expectation;
}

export interface TransportOptions {
  readonly dispatcher?: Dispatcher;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

export interface SonarResponse {
  readonly status: number;
  /** Parsed JSON for `json`, the trimmed text for `text`, undefined for `none`. */
  readonly body: unknown;
  /** `SonarQube-Authentication-Token-Expiration`: when the token the request was made with expires, if it does. */
  readonly tokenExpiration?: string;
}

function definedEntries(values: Readonly<Record<string, string | number | undefined>> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values ?? {})) {
    if (value !== undefined) params.append(name, String(value));
  }
  return params.toString();
}

export function cancelledError(endpoint: string, maybeDelivered: boolean): SonarApiError {
  return new SonarApiError('cancelled', `The request to ${endpoint} was cancelled.`, { endpoint, maybeDelivered });
}

/** Joins the user's cancellation and our deadline, remembering which one fired. */
function deadline(userSignal: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let cause: 'cancelled' | 'timeout' | undefined;
  const onCancel = () => {
    cause ??= 'cancelled';
    controller.abort();
  };
  userSignal?.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(() => {
    cause ??= 'timeout';
    controller.abort();
  }, timeoutMs);
  return {
    signal: controller.signal,
    cause: () => cause,
    dispose: () => {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onCancel);
    },
  };
}

function tooLarge(endpoint: string, maxBytes: number): SonarApiError {
  return new SonarApiError('invalidResponse', `The answer to ${endpoint} is larger than ${maxBytes} bytes.`, {
    endpoint,
    detail: `a body larger than ${maxBytes} bytes`,
    maybeDelivered: true,
  });
}

async function readCapped(body: Dispatcher.ResponseData['body'], declaredLength: string | undefined, maxBytes: number, endpoint: string): Promise<string> {
  if (declaredLength !== undefined && Number(declaredLength) > maxBytes) {
    body.destroy();
    throw tooLarge(endpoint, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(endpoint, maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` as seconds: either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const statusKinds: ReadonlyArray<{ readonly matches: (status: number) => boolean; readonly kind: SonarErrorKind; readonly sentence: string }> = [
  { matches: (status) => status === 401, kind: 'unauthorized', sentence: 'The server did not accept the credentials' },
  { matches: (status) => status === 403, kind: 'forbidden', sentence: 'The server refused this for lack of permission' },
  { matches: (status) => status === 404, kind: 'notFound', sentence: 'The server did not find what was asked for' },
  { matches: (status) => status === 405, kind: 'methodNotAllowed', sentence: 'The server does not allow this method here' },
  { matches: (status) => status === 429, kind: 'rateLimited', sentence: 'The server asks to slow down' },
  { matches: (status) => status >= 500, kind: 'server', sentence: 'The server failed to handle the request' },
  { matches: () => true, kind: 'badRequest', sentence: 'The server refused the request' },
];

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('text/html') || /^\s*</.test(text);
}

function invalidResponse(endpoint: string, status: number, what: string): SonarApiError {
  return new SonarApiError(
    'invalidResponse',
    `The server answered ${endpoint} with ${what} (HTTP ${status}) instead of what SonarQube sends; check the server URL and any proxy or sign-in page in between.`,
    { endpoint, status, detail: what, maybeDelivered: true },
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A server or proxy may quote the request's `Authorization` header in its messages: what it echoes is masked. */
function withoutEchoedCredentials(messages: readonly string[], authorization: string | undefined): string[] {
  const forms = authorizationForms(authorization);
  return messages.map((message) => redactSecrets(message, forms));
}

function statusError(endpoint: string, status: number, headers: Dispatcher.ResponseData['headers'], text: string, authorization: string | undefined): SonarApiError {
  if (status >= 300 && status < 400) {
    const location = headerValue(headers, 'location') ?? '';
    return invalidResponse(endpoint, status, /login|sessions|signin|sso|oauth|auth/i.test(location) ? 'a redirect to a login page' : 'a redirect');
  }
  const { kind, sentence } = statusKinds.find((candidate) => candidate.matches(status))!;
  const parsed = parseJson(text);
  const serverMessages = parsed.ok ? withoutEchoedCredentials(serverMessagesOf(parsed.value), authorization) : [];
  const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(headerValue(headers, 'retry-after')) : undefined;
  const said = serverMessages.length > 0 ? `: ${serverMessages.join(' ')}` : '.';
  return new SonarApiError(kind, `${sentence} (HTTP ${status} from ${endpoint})${said}`, {
    status,
    endpoint,
    serverMessages,
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    maybeDelivered: true,
  });
}

function interpret(request: SonarRequest, status: number, headers: Dispatcher.ResponseData['headers'], text: string): SonarResponse {
  if (status < 200 || status >= 300) throw statusError(request.endpoint, status, headers, text, request.authorization);
  const contentType = headerValue(headers, 'content-type');
  if (text.trim() !== '' && looksLikeHtml(text, contentType)) throw invalidResponse(request.endpoint, status, 'an HTML page');
  const expiration = headerValue(headers, 'sonarqube-authentication-token-expiration')?.trim();
  const tokenExpiration = expiration ? { tokenExpiration: expiration } : {};
  if (request.expect === 'none') return { status, body: undefined, ...tokenExpiration };
  if (text.trim() === '') throw invalidResponse(request.endpoint, status, 'an empty body');
  if (request.expect === 'text') return { status, body: text.trim(), ...tokenExpiration };
  const parsed = parseJson(text);
  if (!parsed.ok) throw invalidResponse(request.endpoint, status, 'a body that is not JSON');
  return { status, body: parsed.value, ...tokenExpiration };
}

/** The first `code` along the `cause` chain: undici wraps socket and TLS errors. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// Failures while connecting: the request cannot have reached the server.
const connectPhaseCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_ABORTED', 'UND_ERR_PRX_TLS']);

function isTlsCode(code: string): boolean {
  return /CERT|^ERR_TLS_|^ERR_SSL_|^SSL_|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);
}

function transportError(endpoint: string, error: unknown, changesSomething: boolean): SonarApiError {
  const code = errorCode(error) ?? 'UNKNOWN';
  if (isTlsCode(code)) {
    return new SonarApiError('tls', `The server's certificate for ${endpoint} is not trusted (${code}).`, { endpoint, code, maybeDelivered: false });
  }
  const maybeDelivered = changesSomething && !connectPhaseCodes.has(code);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new SonarApiError('timeout', `The request to ${endpoint} timed out (${code}).`, { endpoint, code, maybeDelivered });
  }
  return new SonarApiError('network', `The request to ${endpoint} failed on the network (${code}).`, { endpoint, code, maybeDelivered });
}

/** Sends one request and returns its checked body; every failure is a SonarApiError. Logs one line, never values. */
export async function sendRequest(request: SonarRequest, options: TransportOptions = {}): Promise<SonarResponse> {
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const started = Date.now();
  const logLine = (outcome: string) => `${request.method} ${request.endpoint} ${outcome} ${Date.now() - started} ms`;
  if (options.signal?.aborted) {
    logger.warn(logLine('cancelled'));
    throw cancelledError(request.endpoint, false);
  }
  const timer = deadline(options.signal, timeoutMs);
  try {
    const query = definedEntries(request.query);
    const url = `${request.baseUrl}/${request.endpoint}${query === '' ? '' : `?${query}`}`;
    const headers: Record<string, string> = { accept: request.expect === 'json' ? 'application/json' : '*/*' };
    if (request.authorization !== undefined) headers.authorization = request.authorization;
    let body: string | undefined;
    if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = definedEntries(request.form);
    }
    const response = await undiciRequest(url, {
      dispatcher: options.dispatcher ?? getGlobalDispatcher(),
      method: request.method,
      headers,
      body,
      signal: timer.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await readCapped(response.body, headerValue(response.headers, 'content-length'), options.maxResponseBytes ?? defaultMaxResponseBytes, request.endpoint);
    const result = interpret(request, response.statusCode, response.headers, text);
    logger.info(logLine(String(response.statusCode)));
    return result;
  } catch (error) {
    const cause = timer.cause();
    // Only a request that changes something can leave the server in an unknown state when its answer is lost.
    const changesSomething = request.method !== 'GET';
    const failure =
      cause === 'cancelled'
        ? cancelledError(request.endpoint, changesSomething)
        : cause === 'timeout'
          ? new SonarApiError('timeout', `The request to ${request.endpoint} took longer than ${timeoutMs} ms.`, { endpoint: request.endpoint, maybeDelivered: changesSomething })
          : isSonarApiError(error)
            ? error
            : transportError(request.endpoint, error, changesSomething);
    logger.warn(logLine([failure.status, failure.kind, failure.code].filter((part) => part !== undefined).join(' ')));
    throw failure;
  } finally {
    timer.dispose();
  }
}

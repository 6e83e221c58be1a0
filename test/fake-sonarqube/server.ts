// The fake SonarQube: a node:http(s) server over the model, with fault injection and a redacted request log.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FakeSonarApi, scannerEndpoints } from './api';
import type { ApiEnvironment, Session } from './api';
import { authenticate, readCredentials } from './auth';
import type { Authentication } from './auth';
import { FaultBook, deliver, isReplacing, replacingResponse, streamHugeBody } from './faults';
import { emptyResponse, errorResponse, escapeHtml, jsonResponse, loginPage, textResponse } from './http';
import type { FakeResponse } from './http';
import { FakeSonarModel } from './model';
import { formatSonarDateTime, startOfUtcDay } from './sonarDate';
import { handshakePage, handshakeTokenName } from './sonarlintAuth';
import { createServerCertificates } from './tls';
import type { FakeSonarOptions, Fault, Flavour, OrganizationInput, ProjectInput, RecordedRequest, TokenInput, UserInput } from './types';
import { featuresOf } from './versions';

const defaultVersions = { server: '2025.1.0.102418', cloud: '8.0.0.74829' } as const;
const maxRequestBodyBytes = 1024 * 1024;
const redacted = '<redacted>';

interface Incoming {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly form: URLSearchParams;
  readonly jsonBody?: unknown;
}

export class FakeSonarQube {
  readonly url: string;
  readonly origin: string;
  readonly flavour: Flavour;
  readonly version: string;
  readonly caCertificate?: string;
  /** Every request in arrival order; credentials are never part of an entry. */
  readonly requests: RecordedRequest[] = [];
  /** Tests waiting for a request to a path (`received`). */
  private readonly awaitedPaths = new Set<{ readonly path: string; readonly arrived: () => void }>();

  private readonly model: FakeSonarModel;
  private readonly api: FakeSonarApi;
  private readonly faults = new FaultBook();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Page views of the handshake page not yet used: nonce -> the token name's source (the page's query). */
  private readonly handshakeNonces = new Map<string, URLSearchParams>();
  private latencyMs: number;
  private browserSignInUser?: string;

  private constructor(
    private readonly server: Server,
    private readonly env: ApiEnvironment,
    private readonly contextPath: string,
    origin: string,
    caCertificate: string | undefined,
    options: FakeSonarOptions,
  ) {
    this.origin = origin;
    this.flavour = env.flavour;
    this.version = env.version;
    this.url = origin + contextPath;
    this.caCertificate = caCertificate;
    this.latencyMs = options.latencyMs ?? 0;
    const now = options.now ?? (() => new Date());
    this.model = new FakeSonarModel(env.flavour, env.features.tokenTypes, now);
    this.api = new FakeSonarApi(env, this.model);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch(() => {
        if (!res.headersSent) this.send(res, errorResponse(500, 'An error has occurred. Please contact your administrator'));
        else res.destroy();
      });
    });
  }

  static async start(options: FakeSonarOptions = {}): Promise<FakeSonarQube> {
    const flavour = options.flavour ?? 'server';
    const version = options.version ?? defaultVersions[flavour];
    const env: ApiEnvironment = {
      flavour,
      version,
      features: featuresOf(flavour, version),
      edition: options.edition ?? 'developer',
      maxTokenLifetime: options.maxTokenLifetime ?? 'No expiration',
      forceAuthentication: options.forceAuthentication ?? false,
      utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
      serverId: `${randomBytes(4).toString('hex').toUpperCase()}-${randomBytes(8).toString('base64url')}`,
    };
    const contextPath = (options.contextPath ?? '').replace(/\/+$/, '').replace(/^(?=[^/])/, '/');
    const httpsOptions = typeof options.https === 'object' ? options.https : {};
    const tls = options.https ? createServerCertificates({ expired: httpsOptions.expired, hostNames: httpsOptions.hostNames }) : undefined;
    const server = tls ? createHttpsServer({ key: tls.key, cert: tls.certificate }) : createHttpServer();
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const origin = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return new FakeSonarQube(server, env, contextPath, origin, tls?.caCertificate, options);
  }

  /** Resolves once a request to `path` (such as `api/server/version`) has arrived, at once if one already has. */
  received(path: string): Promise<void> {
    if (this.requests.some((request) => request.path === path)) return Promise.resolve();
    return new Promise((arrived) => this.awaitedPaths.add({ path, arrived }));
  }

  addUser(user: UserInput): void {
    this.model.addUser(user);
  }

  addProject(project: ProjectInput): void {
    this.model.addProject(project);
  }

  addOrganization(org: OrganizationInput): void {
    this.model.addOrganization(org);
  }

  /** As if made in the web UI: no validation beyond what keeps the data consistent. Returns the value. */
  createToken(login: string, token: TokenInput): string {
    return this.model.createToken(login, token);
  }

  /** The fake's clock (the `now` option), for seeding relative dates. */
  now(): Date {
    return this.model.now();
  }

  tokenNames(login: string): string[] {
    return this.model.tokensOf(login).map((token) => token.name);
  }

  inject(route: string, fault: Fault, options: { times?: number } = {}): void {
    this.faults.add(route, fault, options.times);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Every token value the fake ever handed out, for tests that scan for leaks. */
  issuedTokenValues(): string[] {
    return this.model.issuedTokenValues();
  }

  /** Who the `/sonarlint/auth` page is signed in as; until set, the page redirects to the login page. */
  setBrowserSignInUser(login: string): void {
    this.model.requireUser(login);
    this.browserSignInUser = login;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const incoming = await this.read(req);
    if (!incoming) {
      this.send(res, textResponse(404, 'Not found', 'text/html'));
      return;
    }
    const credentials = readCredentials(req.headers.authorization);
    const isApi = incoming.path.startsWith('api/');
    const authentication = isApi ? this.authenticate(credentials, incoming.path) : { outcome: 'none' as const };
    const record: RecordedRequest = {
      method: incoming.method,
      path: incoming.path,
      query: this.redact(incoming.query),
      form: this.redact(incoming.form),
      auth: credentials.scheme,
      ...(authentication.outcome === 'accepted' ? { authenticatedLogin: authentication.session.user.login } : {}),
      ...(typeof req.headers.origin === 'string' ? { origin: req.headers.origin } : {}),
    };
    this.requests.push(record);
    for (const waiting of this.awaitedPaths) {
      if (waiting.path !== record.path) continue;
      this.awaitedPaths.delete(waiting);
      waiting.arrived();
    }
    res.on('finish', () => (record.status = res.statusCode));

    await this.sleep(this.latencyMs);
    const fault = this.faults.take(incoming.method, incoming.path);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hugeBody') {
      streamHugeBody(res, fault.bytes);
      return;
    }
    if (fault && isReplacing(fault)) {
      this.send(res, replacingResponse(fault, this.contextPath, incoming.path));
      return;
    }
    if (fault?.kind === 'delay') await this.sleep(fault.ms);

    let response: FakeResponse;
    if (isApi) {
      if (authentication.outcome === 'rejected' && !this.api.isPublic(incoming.path)) response = emptyResponse(401);
      else {
        const session: Session = authentication.outcome === 'accepted' ? authentication.session : { kind: 'anonymous' };
        if (session.kind === 'token') this.model.recordConnection(session.token, session.user);
        const params = new Map([...incoming.query, ...incoming.form]);
        response = this.api.handle({
          method: incoming.method,
          path: incoming.path,
          params,
          session,
          credentialsRejected: authentication.outcome === 'rejected',
        });
        if (session.kind === 'token' && session.token.expiresAt) {
          response.headers['SonarQube-Authentication-Token-Expiration'] = formatSonarDateTime(session.token.expiresAt, this.env.utcOffsetMinutes);
        }
      }
    } else response = this.page(incoming);
    deliver(res, response, fault, this.timers);
  }

  /** 9.x refuses analysis tokens outside the scanner's endpoints, as if the token were unknown. */
  private authenticate(credentials: ReturnType<typeof readCredentials>, path: string): Authentication {
    const authentication = authenticate(credentials, this.model, this.env.features.bearer);
    const scannerOnly =
      authentication.outcome === 'accepted' && authentication.session.token.type !== 'USER_TOKEN' && this.env.features.analysisTokensScannerOnly;
    return scannerOnly && !scannerEndpoints.has(path) ? { outcome: 'rejected' } : authentication;
  }

  private send(res: ServerResponse, response: FakeResponse): void {
    deliver(res, response, undefined, this.timers);
  }

  /** Method, path without the context path, query and form; undefined when outside the context path. */
  private async read(req: IncomingMessage): Promise<Incoming | undefined> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxRequestBodyBytes) throw new Error('Request body too large');
      chunks.push(chunk);
    }
    if (url.pathname !== this.contextPath && !url.pathname.startsWith(`${this.contextPath}/`)) return undefined;
    const body = Buffer.concat(chunks).toString('utf8');
    const contentType = req.headers['content-type'] ?? '';
    const isJson = contentType.startsWith('application/json');
    let jsonBody: unknown;
    if (isJson) {
      try {
        jsonBody = JSON.parse(body);
      } catch {
        jsonBody = undefined;
      }
    }
    return {
      method: req.method ?? 'GET',
      path: url.pathname.slice(this.contextPath.length).replace(/^\/+/, ''),
      query: url.searchParams,
      form: isJson || body === '' ? new URLSearchParams() : new URLSearchParams(body),
      jsonBody,
    };
  }

  /** Fields for the log: any value that is (or was) a token of this server is blanked out. */
  private redact(fields: URLSearchParams): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of fields) result[key] = this.model.wasIssued(value) ? redacted : value;
    return result;
  }

  /** Browser pages: home, login, the IDE handshake. */
  private page(incoming: Incoming): FakeResponse {
    const { method, path } = incoming;
    const { features } = this.env;
    if (path === '') return textResponse(200, `<!DOCTYPE html><html><body><h1>Fake SonarQube</h1><p>${escapeHtml(this.env.version)}</p></body></html>`, 'text/html');
    if (path === 'sessions/new') return loginPage(this.contextPath);
    const handshakeRoute = (path === 'sonarlint/auth' && features.legacyHandshake) || (path === 'auth' && features.authHandshake);
    if (handshakeRoute && method === 'GET') return this.handshake(incoming);
    if (path === 'sonarlint/api/_issue' && method === 'POST' && (features.legacyHandshake || features.authHandshake)) return this.issueHandshakeToken(incoming);
    return textResponse(404, '<!DOCTYPE html><html><body><h1>Not found</h1></body></html>', 'text/html');
  }

  private handshake(incoming: Incoming): FakeResponse {
    if (!this.browserSignInUser) {
      const returnTo = `${this.contextPath}/${incoming.path}?${incoming.query.toString()}`;
      return { status: 302, headers: { Location: `${this.contextPath}/sessions/new?return_to=${encodeURIComponent(returnTo)}` }, body: Buffer.alloc(0) };
    }
    const nonce = randomUUID();
    this.handshakeNonces.set(nonce, incoming.query);
    const productName = handshakeTokenName(incoming.query, () => false);
    return handshakePage({ contextPath: this.contextPath, productName, port: incoming.query.get('port') ?? '', nonce, signedInAs: this.browserSignInUser });
  }

  /**
   * One token per page view (the nonce is spent here), as the real page makes it: named after the product, expiring
   * after the longest lifetime the server allows (1 year, or the enforced 30 or 90 days).
   */
  private issueHandshakeToken(incoming: Incoming): FakeResponse {
    const nonce = (incoming.jsonBody as { nonce?: unknown } | undefined)?.nonce;
    const query = typeof nonce === 'string' ? this.handshakeNonces.get(nonce) : undefined;
    if (typeof nonce !== 'string' || query === undefined || !this.browserSignInUser) {
      return errorResponse(400, 'This page has expired. Please reload it.');
    }
    this.handshakeNonces.delete(nonce);
    const login = this.browserSignInUser;
    const name = handshakeTokenName(query, (candidate) => this.model.findToken(login, candidate) !== undefined);
    if (name.length > 100) return errorResponse(400, `'name' length (${name.length}) is longer than the maximum authorized (100)`);
    const now = this.model.now();
    const expiresAt = startOfUtcDay(now, this.api.longestLifetimeDays());
    const token = this.model.issueToken(login, { name, type: 'USER_TOKEN', createdAt: now, expiresAt });
    const date = (value: Date) => formatSonarDateTime(value, this.env.utcOffsetMinutes);
    return jsonResponse(200, { login, name, createdAt: date(now), expirationDate: date(expiresAt), token, type: 'USER_TOKEN' });
  }
}

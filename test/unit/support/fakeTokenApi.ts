import { randomBytes } from 'node:crypto';
import { cloudCapabilities, serverCapabilities } from '../../../src/core/sonar/capabilities';
import type { ServerCapabilities } from '../../../src/core/sonar/capabilities';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { cancelledError } from '../../../src/core/sonar/transport';
import type {
  CallOptions,
  CurrentUser,
  GeneratedToken,
  GenerateTokenRequest,
  MaxTokenLifetime,
  Organization,
  Page,
  ProjectRef,
  ServerInfo,
  TokenApi,
  TokenList,
  TokenType,
  UserSummary,
  UserToken,
} from '../../../src/core/sonar/types';

const PREFIXES: Record<TokenType, string> = { USER_TOKEN: 'squ_', GLOBAL_ANALYSIS_TOKEN: 'sqa_', PROJECT_ANALYSIS_TOKEN: 'sqp_' };

/** A token value made at run time: prefix + 40 hex, like the server's. */
export function freshTokenValue(type: TokenType = 'USER_TOKEN'): string {
  return PREFIXES[type] + randomBytes(20).toString('hex');
}

type Method = keyof TokenApi;

/**
 * Waits for Cancel, then fails as the real client does for a request cancelled before it went out: nothing can have
 * reached the server.
 */
function untilCancelled(method: Method, signal: AbortSignal | undefined): Promise<never> {
  if (!signal) return Promise.reject(new Error(`FakeTokenApi: ${method} was called without a signal, so Cancel could not stop it`));
  const cancelled = () => cancelledError(method, false);
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(cancelled()), { once: true }));
}

export interface FakeTokenApiOptions {
  readonly user?: Partial<CurrentUser>;
  readonly tokens?: Record<string, UserToken[]>;
  readonly maxLifetime?: MaxTokenLifetime;
  readonly organizations?: Organization[];
  readonly projects?: ProjectRef[];
  readonly version?: string;
  /** Default `server`: what `capabilities()` answers follows `version` there. */
  readonly product?: 'server' | 'cloud';
  /** The name of the token the client signs in with: once it is revoked, calls are refused as unauthorized. */
  readonly signInTokenName?: string;
}

/**
 * An in-memory SonarQube for one signed-in user, with the server's rules for generate and revoke.
 * `failNext(method, error)` makes the next call throw; with `{ afterEffect: true }` the call takes effect first
 * (a generate whose answer was lost). `hangNext(method)` holds the next call until Cancel. `calls` records method
 * names and non-secret arguments.
 */
export class FakeTokenApi implements TokenApi {
  readonly user: CurrentUser;
  readonly tokens: Map<string, UserToken[]>;
  readonly calls: Array<{ readonly method: Method; readonly args: unknown }> = [];
  private readonly failures = new Map<Method, { error: unknown; afterEffect: boolean }>();
  /** Per method, how many calls still get through before one hangs. */
  private readonly hanging = new Map<Method, number>();

  constructor(private readonly options: FakeTokenApiOptions = {}) {
    this.user = { login: 'alice', name: 'Alice', globalPermissions: [], isAdmin: false, canScan: true, ...options.user };
    this.tokens = new Map(Object.entries(options.tokens ?? {}));
    if (!this.tokens.has(this.user.login)) this.tokens.set(this.user.login, []);
  }

  failNext(method: Method, error: unknown, { afterEffect = false } = {}): this {
    this.failures.set(method, { error, afterEffect });
    return this;
  }

  /**
   * The next call to `method` (after `after` more that are answered) gets no answer until its signal aborts (Cancel on
   * the progress), then fails as cancelled, as the real client does. A call made without a signal fails at once:
   * Cancel could not have stopped it.
   */
  hangNext(method: Method, { after = 0 } = {}): this {
    this.hanging.set(method, after);
    return this;
  }

  private hangsNow(method: Method): boolean {
    const passing = this.hanging.get(method);
    if (passing === undefined) return false;
    if (passing > 0) {
      this.hanging.set(method, passing - 1);
      return false;
    }
    this.hanging.delete(method);
    return true;
  }

  private async call<T>(method: Method, args: unknown, callOptions: CallOptions | undefined, action: () => T): Promise<T> {
    this.calls.push({ method, args });
    if (this.hangsNow(method)) await untilCancelled(method, callOptions?.signal);
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      if (failure.afterEffect) action();
      throw failure.error;
    }
    return action();
  }

  private forbidden(): never {
    throw new SonarApiError('forbidden', 'Insufficient privileges', { status: 403, serverMessages: ['Insufficient privileges'] });
  }

  private badRequest(message: string): never {
    throw new SonarApiError('badRequest', message, { status: 400, serverMessages: [message], endpoint: 'api/user_tokens/generate' });
  }

  private loginFor(login: string | undefined): string {
    const effective = login ?? this.user.login;
    if (effective !== this.user.login && !this.user.isAdmin) this.forbidden();
    return effective;
  }

  serverInfo(callOptions?: CallOptions): Promise<ServerInfo> {
    return this.call('serverInfo', undefined, callOptions, () => ({ product: 'server' as const, version: this.options.version ?? '2025.1.0.102418', authScheme: 'bearer' as const }));
  }

  capabilities(callOptions?: CallOptions): Promise<ServerCapabilities> {
    return this.call('capabilities', undefined, callOptions, () =>
      this.options.product === 'cloud' ? cloudCapabilities : serverCapabilities(this.options.version ?? '2025.1.0.102418'),
    );
  }

  currentUser(callOptions?: CallOptions): Promise<CurrentUser> {
    return this.call('currentUser', undefined, callOptions, () => {
      if (this.signInRevoked) throw new SonarApiError('unauthorized', 'HTTP 401');
      return this.user;
    });
  }

  private get signInRevoked(): boolean {
    const name = this.options.signInTokenName;
    return name !== undefined && !(this.tokens.get(this.user.login) ?? []).some((token) => token.name === name);
  }

  searchTokens(login?: string, callOptions?: CallOptions): Promise<TokenList> {
    return this.call('searchTokens', { login }, callOptions, () => {
      const effective = this.loginFor(login);
      return { login: effective, tokens: [...(this.tokens.get(effective) ?? [])] };
    });
  }

  generateToken(request: GenerateTokenRequest, callOptions?: CallOptions): Promise<GeneratedToken> {
    return this.call('generateToken', request, callOptions, () => {
      const login = this.loginFor(request.login);
      const type = request.type ?? 'USER_TOKEN';
      if (login !== this.user.login && type !== 'USER_TOKEN') {
        this.badRequest(`A ${type === 'GLOBAL_ANALYSIS_TOKEN' ? 'Global' : 'Project'} Analysis Token cannot be generated for another user.`);
      }
      // Project analysis needs scan on that project only, which this fake grants for every listed project.
      if (type === 'GLOBAL_ANALYSIS_TOKEN' && !this.user.canScan) this.forbidden();
      const existing = this.tokens.get(login) ?? [];
      if (existing.some((token) => token.name === request.name)) {
        this.badRequest(`A user token for login '${login}' and name '${request.name}' already exists`);
      }
      const createdAt = '2025-01-01T00:00:00+0000';
      const project = request.projectKey ? this.options.projects?.find((candidate) => candidate.key === request.projectKey) : undefined;
      this.tokens.set(login, [
        ...existing,
        { name: request.name, type, createdAt, ...(request.expirationDate ? { expirationDate: `${request.expirationDate}T00:00:00+0000`, isExpired: false } : {}), ...(project ? { project } : {}) },
      ]);
      return { login, name: request.name, token: freshTokenValue(type), createdAt, type, projectKey: request.projectKey, expirationDate: request.expirationDate };
    });
  }

  revokeToken(request: { readonly name: string; readonly login?: string }, callOptions?: CallOptions): Promise<void> {
    return this.call('revokeToken', request, callOptions, () => {
      const login = this.loginFor(request.login);
      this.tokens.set(login, (this.tokens.get(login) ?? []).filter((token) => token.name !== request.name));
    });
  }

  maxTokenLifetime(callOptions?: CallOptions): Promise<MaxTokenLifetime> {
    return this.call('maxTokenLifetime', undefined, callOptions, () => this.options.maxLifetime ?? { enforced: false });
  }

  searchUsers(query: { readonly q?: string; readonly page?: number; readonly pageSize?: number }, callOptions?: CallOptions): Promise<Page<UserSummary>> {
    return this.call('searchUsers', query, callOptions, () => {
      const items = [...this.tokens.keys()].map((login) => ({ login, name: login, active: true }));
      return { items, pageIndex: 1, pageSize: items.length, total: items.length };
    });
  }

  listOrganizations(callOptions?: CallOptions): Promise<readonly Organization[]> {
    return this.call('listOrganizations', undefined, callOptions, () => this.options.organizations ?? []);
  }

  scannableProjects(q?: string, callOptions?: CallOptions): Promise<readonly ProjectRef[]> {
    return this.call('scannableProjects', { q }, callOptions, () =>
      (this.options.projects ?? []).filter((project) => !q || project.name.toLowerCase().includes(q.toLowerCase()) || project.key.includes(q)),
    );
  }
}

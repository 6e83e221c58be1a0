// The SonarQube Web API operations the extension uses, over the transport: authentication scheme, retries, schemas.
import type { Dispatcher } from 'undici';
import type { Logger } from '../ports';
import { SonarApiError, isSonarApiError } from './errors';
import {
  authenticationValidateSchema,
  componentsSearchSchema,
  currentUserSchema,
  generatedTokenSchema,
  organizationsSearchSchema,
  parseResponse,
  scannableProjectsSchema,
  settingsValuesSchema,
  systemStatusSchema,
  toCurrentUser,
  toGeneratedToken,
  toMaxTokenLifetime,
  toOrganizations,
  toProjectRefs,
  toTokenList,
  toUserPage,
  tokenSearchSchema,
  usersSearchSchema,
} from './schemas';
import { cloudCapabilities, serverCapabilities } from './capabilities';
import type { ServerCapabilities } from './capabilities';
import { apiBaseUrl } from './target';
import { cancelledError, sendRequest } from './transport';
import type { SonarRequest, SonarResponse } from './transport';
import type {
  CallOptions,
  CurrentUser,
  GenerateTokenRequest,
  GeneratedToken,
  MaxTokenLifetime,
  Organization,
  Page,
  ProjectRef,
  ServerInfo,
  SonarTarget,
  TokenApi,
  TokenList,
  UserSummary,
} from './types';

export interface RetryOptions {
  /** At most 2 whatever is asked: a user waiting on a tree should get an answer soon. */
  readonly maxRetries?: number;
  readonly baseDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the error (with `retryAfterSeconds`) goes to the user. */
  readonly maxRetryAfterMs?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface SonarClientOptions {
  readonly target: SonarTarget;
  readonly token: string;
  readonly dispatcher?: Dispatcher;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly logger?: Logger;
  readonly retry?: RetryOptions;
  /** A version learnt earlier (e.g. stored with the connection): skips the `api/server/version` probe. */
  readonly serverVersion?: string;
}

const retryableStatuses = new Set([502, 503, 504]);
const maxPages = 50;

/** Waits, but returns early when cancelled: the retry loop then reports the cancellation. */
function sleepUntilCancelled(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done, { once: true });
  });
}

export { isVersionAtLeast, versionParts } from './capabilities';

/** The servers' own searches refuse a `q` shorter than 2 characters: a shorter filter means no filter. */
function searchText(q: string | undefined): string | undefined {
  const text = q?.trim();
  return text && text.length >= 2 ? text : undefined;
}

export class SonarClient implements TokenApi {
  private readonly target: SonarTarget;
  private readonly token: string;
  private readonly baseUrl: string;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private versionProbe?: Promise<string>;

  constructor(private readonly options: SonarClientOptions) {
    this.target = options.target;
    this.token = options.token;
    this.baseUrl = apiBaseUrl(options.target);
    this.maxRetries = Math.max(0, Math.min(2, options.retry?.maxRetries ?? 2));
    this.baseDelayMs = options.retry?.baseDelayMs ?? 500;
    this.maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? 10_000;
    this.random = options.retry?.random ?? Math.random;
    this.sleep = options.retry?.sleep ?? sleepUntilCancelled;
    if (options.serverVersion) this.versionProbe = Promise.resolve(options.serverVersion);
  }

  async serverInfo(options: CallOptions = {}): Promise<ServerInfo> {
    const version = await this.version(options);
    const status = parseResponse(systemStatusSchema, (await this.get('api/system/status', {}, options)).body, 'api/system/status');
    return {
      product: this.target.kind,
      version,
      status: status.status,
      authScheme: (await this.capabilities(options)).authScheme,
    };
  }

  /** `api/authentication/validate`: whether the server accepts this client's token (false for revoked or expired). */
  async validateCredentials(options: CallOptions = {}): Promise<boolean> {
    const endpoint = 'api/authentication/validate';
    return parseResponse(authenticationValidateSchema, (await this.get(endpoint, {}, options)).body, endpoint).valid;
  }

  /** SonarQube Cloud's are fixed; a Server's follow from its version (asked once, without credentials). */
  async capabilities(options: CallOptions = {}): Promise<ServerCapabilities> {
    return this.target.kind === 'cloud' ? cloudCapabilities : serverCapabilities(await this.version(options));
  }

  async currentUser(options: CallOptions = {}): Promise<CurrentUser> {
    const endpoint = 'api/users/current';
    const response = await this.get(endpoint, {}, options);
    const user = toCurrentUser(parseResponse(currentUserSchema, response.body, endpoint), endpoint);
    return response.tokenExpiration === undefined ? user : { ...user, tokenExpiration: response.tokenExpiration };
  }

  async searchTokens(login?: string, options: CallOptions = {}): Promise<TokenList> {
    const endpoint = 'api/user_tokens/search';
    return toTokenList(parseResponse(tokenSearchSchema, (await this.get(endpoint, { login }, options)).body, endpoint));
  }

  /**
   * Sends only the parameters this server knows (`type`/`projectKey` from 9.5, `expirationDate` from 9.6; on Cloud
   * no `type`): the caller compares the answer with its request and says so when they differ.
   */
  async generateToken(request: GenerateTokenRequest, options: CallOptions = {}): Promise<GeneratedToken> {
    const endpoint = 'api/user_tokens/generate';
    const capabilities = await this.capabilities(options);
    const typed = capabilities.tokenTypes.length > 1;
    const response = await this.post(
      endpoint,
      {
        name: request.name,
        type: typed ? request.type : undefined,
        projectKey: typed ? request.projectKey : undefined,
        expirationDate: capabilities.expirationDate ? request.expirationDate : undefined,
        login: request.login,
      },
      'json',
      options,
    );
    return toGeneratedToken(parseResponse(generatedTokenSchema, response.body, endpoint));
  }

  async revokeToken(request: { readonly name: string; readonly login?: string }, options: CallOptions = {}): Promise<void> {
    await this.post('api/user_tokens/revoke', { name: request.name, login: request.login }, 'none', options);
  }

  async maxTokenLifetime(options: CallOptions = {}): Promise<MaxTokenLifetime> {
    if (this.target.kind === 'cloud') return { enforced: false };
    // Without `keys`, as the SonarQube UI does: asking for the key directly can return a database fallback.
    const endpoint = 'api/settings/values';
    return toMaxTokenLifetime(parseResponse(settingsValuesSchema, (await this.get(endpoint, {}, options)).body, endpoint));
  }

  async searchUsers(query: { readonly q?: string; readonly page?: number; readonly pageSize?: number }, options: CallOptions = {}): Promise<Page<UserSummary>> {
    const endpoint = 'api/users/search';
    const pageSize = Math.max(1, Math.min(500, Math.floor(query.pageSize ?? 50)));
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const response = await this.get(endpoint, { q: searchText(query.q), p: page, ps: pageSize }, options);
    return toUserPage(parseResponse(usersSearchSchema, response.body, endpoint));
  }

  async listOrganizations(options: CallOptions = {}): Promise<readonly Organization[]> {
    if (this.target.kind !== 'cloud') return [];
    const endpoint = 'api/organizations/search';
    const organizations: Organization[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const response = await this.get(endpoint, { member: 'true', ps: 500, p: page }, options);
      const data = parseResponse(organizationsSearchSchema, response.body, endpoint);
      organizations.push(...toOrganizations(data));
      if (data.organizations.length === 0 || organizations.length >= data.paging.total) break;
    }
    return organizations;
  }

  async scannableProjects(q?: string, options: CallOptions = {}): Promise<readonly ProjectRef[]> {
    if (this.target.kind === 'server' && (await this.capabilities(options)).tokenTypes.includes('PROJECT_ANALYSIS_TOKEN')) {
      const endpoint = 'api/projects/search_my_scannable_projects';
      try {
        const response = await this.get(endpoint, { q: q?.trim() || undefined }, options);
        return toProjectRefs(parseResponse(scannableProjectsSchema, response.body, endpoint).projects);
      } catch (error) {
        // An internal endpoint: a server without it falls back to the public component search.
        if (!(isSonarApiError(error) && error.kind === 'notFound')) throw error;
      }
    }
    return this.searchComponents(q, options);
  }

  private async searchComponents(q: string | undefined, options: CallOptions): Promise<ProjectRef[]> {
    const endpoint = 'api/components/search';
    const organization = this.target.kind === 'cloud' ? this.target.organization : undefined;
    if (this.target.kind === 'cloud' && organization === undefined) {
      throw new SonarApiError('badRequest', `${endpoint} on SonarQube Cloud needs an organization.`, { endpoint });
    }
    const response = await this.get(endpoint, { qualifiers: 'TRK', ps: 500, p: 1, organization, q: searchText(q) }, options);
    return toProjectRefs(parseResponse(componentsSearchSchema, response.body, endpoint).components);
  }

  /** `api/server/version` asked once per client, without credentials (it is public). */
  private version(options: CallOptions): Promise<string> {
    if (!this.versionProbe) {
      const probe = this.send({ method: 'GET', baseUrl: this.baseUrl, endpoint: 'api/server/version', expect: 'text' }, true, options).then(
        (response) => response.body as string,
      );
      // A failed probe is not cached: the next call asks again.
      probe.catch(() => {
        if (this.versionProbe === probe) this.versionProbe = undefined;
      });
      this.versionProbe = probe;
    }
    return this.versionProbe;
  }

  private async authorization(options: CallOptions): Promise<string> {
    return (await this.capabilities(options)).authScheme === 'bearer'
      ? `Bearer ${this.token}`
      : `Basic ${Buffer.from(`${this.token}:`, 'utf8').toString('base64')}`;
  }

  private async get(endpoint: string, query: SonarRequest['query'], options: CallOptions): Promise<SonarResponse> {
    const authorization = await this.authorization(options);
    return this.send({ method: 'GET', baseUrl: this.baseUrl, endpoint, query, authorization, expect: 'json' }, true, options);
  }

  /** POSTs create or revoke tokens: sent exactly once, a replay could create a token whose value is lost. */
  private async post(endpoint: string, form: SonarRequest['form'], expect: SonarRequest['expect'], options: CallOptions): Promise<SonarResponse> {
    const authorization = await this.authorization(options);
    return this.send({ method: 'POST', baseUrl: this.baseUrl, endpoint, form, authorization, expect }, false, options);
  }

  private async send(request: SonarRequest, idempotent: boolean, options: CallOptions): Promise<SonarResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await sendRequest(request, {
          dispatcher: this.options.dispatcher,
          timeoutMs: this.options.timeoutMs,
          maxResponseBytes: this.options.maxResponseBytes,
          logger: this.options.logger,
          signal: options.signal,
        });
      } catch (error) {
        const delayMs = idempotent && attempt < this.maxRetries ? this.retryDelayMs(error, attempt) : undefined;
        if (delayMs === undefined) throw error;
        await this.sleep(delayMs, options.signal);
        if (options.signal?.aborted) throw cancelledError(request.endpoint, false);
      }
    }
  }

  /** How long to wait before retrying a GET, or undefined when this failure is not worth a retry. */
  private retryDelayMs(error: unknown, attempt: number): number | undefined {
    if (!isSonarApiError(error)) return undefined;
    const transient =
      error.kind === 'network' || error.kind === 'rateLimited' || (error.kind === 'server' && error.status !== undefined && retryableStatuses.has(error.status));
    if (!transient) return undefined;
    if (error.retryAfterSeconds !== undefined) {
      const askedMs = error.retryAfterSeconds * 1000;
      return askedMs <= this.maxRetryAfterMs ? askedMs : undefined;
    }
    // Equal jitter: half the exponential backoff fixed, half random, so clients that failed together spread out.
    const backoffMs = this.baseDelayMs * 2 ** attempt;
    return backoffMs / 2 + this.random() * (backoffMs / 2);
  }
}

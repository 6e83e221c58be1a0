// Plain data shapes of the SonarQube Web API as the rest of the extension sees them.
// The zod schemas in schemas.ts turn raw responses into these; nothing here loads undici or zod.
import type { ServerCapabilities } from './capabilities';

export type Region = 'EU' | 'US';

/** Where a connection points. Server URLs are normalised (no trailing slash, context path kept). */
export type SonarTarget =
  | { readonly kind: 'server'; readonly serverUrl: string }
  | { readonly kind: 'cloud'; readonly region: Region; readonly organization?: string };

export type TokenType = 'USER_TOKEN' | 'GLOBAL_ANALYSIS_TOKEN' | 'PROJECT_ANALYSIS_TOKEN';

export interface ProjectRef {
  readonly key: string;
  readonly name: string;
}

/** One token as `api/user_tokens/search` lists it: never the value. */
export interface UserToken {
  readonly name: string;
  readonly type: TokenType;
  readonly createdAt: string;
  readonly lastConnectionDate?: string;
  readonly expirationDate?: string;
  readonly isExpired?: boolean;
  readonly project?: ProjectRef;
}

export interface TokenList {
  readonly login: string;
  readonly tokens: readonly UserToken[];
}

export interface GenerateTokenRequest {
  readonly name: string;
  readonly type?: TokenType;
  readonly projectKey?: string;
  /** `YYYY-MM-DD`; absent means no expiration. */
  readonly expirationDate?: string;
  /** Another user's login (admins only); absent means the caller. */
  readonly login?: string;
}

/** The only response that ever carries a token value: hand `token` to the secret store and drop it. */
export interface GeneratedToken {
  readonly login: string;
  readonly name: string;
  readonly token: string;
  readonly createdAt: string;
  readonly type: TokenType;
  readonly projectKey?: string;
  readonly expirationDate?: string;
}

export interface ServerInfo {
  readonly product: 'server' | 'cloud';
  /** e.g. `2025.1.0.102418`, `10.7.0.96327`, `9.9.8.100196`; Cloud reports its own build string. */
  readonly version: string;
  readonly status?: string;
  readonly authScheme: 'bearer' | 'basic';
}

export interface CurrentUser {
  readonly login: string;
  readonly name: string;
  readonly email?: string;
  readonly globalPermissions: readonly string[];
  /** System Administrator (`admin` in the global permissions). */
  readonly isAdmin: boolean;
  /** Execute Analysis (`scan` in the global permissions). */
  readonly canScan: boolean;
  /** When the token this was asked with expires (the server's `SonarQube-Authentication-Token-Expiration`), if it does. */
  readonly tokenExpiration?: string;
}

/** `sonar.auth.token.max.allowed.lifetime`: enforced only on Enterprise and Data Center editions. */
export type MaxTokenLifetime = { readonly enforced: false } | { readonly enforced: true; readonly days: 30 | 90 | 365 };

export interface UserSummary {
  readonly login: string;
  readonly name: string;
  readonly active: boolean;
  readonly email?: string;
  readonly tokensCount?: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly pageIndex: number;
  readonly pageSize: number;
  readonly total: number;
}

export interface Organization {
  readonly key: string;
  readonly name: string;
  readonly description?: string;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** What the rest of the extension needs from a SonarQube; `SonarClient` implements it, tests may fake it. */
export interface TokenApi {
  serverInfo(options?: CallOptions): Promise<ServerInfo>;
  /** What to offer on this server: token types, expiration, the browser sign-in route. */
  capabilities(options?: CallOptions): Promise<ServerCapabilities>;
  currentUser(options?: CallOptions): Promise<CurrentUser>;
  searchTokens(login?: string, options?: CallOptions): Promise<TokenList>;
  /** Sent exactly once, never retried: a replay could create a second token whose value is lost. */
  generateToken(request: GenerateTokenRequest, options?: CallOptions): Promise<GeneratedToken>;
  /** Succeeds also when no token has that name (the server answers 204 either way). */
  revokeToken(request: { readonly name: string; readonly login?: string }, options?: CallOptions): Promise<void>;
  maxTokenLifetime(options?: CallOptions): Promise<MaxTokenLifetime>;
  searchUsers(query: { readonly q?: string; readonly page?: number; readonly pageSize?: number }, options?: CallOptions): Promise<Page<UserSummary>>;
  /** SonarQube Cloud: the organizations the user is a member of (all pages). */
  listOrganizations(options?: CallOptions): Promise<readonly Organization[]>;
  /** Projects the user can create a Project Analysis Token for. */
  scannableProjects(q?: string, options?: CallOptions): Promise<readonly ProjectRef[]>;
}

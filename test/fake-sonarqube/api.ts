// The Web API actions the extension uses, with the real servers' parameters, checks and exact error texts.
import { createHash } from 'node:crypto';
import { ApiFailure, authenticationRequired, badRequest, emptyResponse, insufficientPrivileges, jsonResponse, notFound, textResponse } from './http';
import type { FakeResponse } from './http';
import type { FakeSonarModel, TokenRecord, UserRecord } from './model';
import { formatSonarDateTime, parseDay, startOfUtcDay, utcDay } from './sonarDate';
import type { Edition, Flavour, MaxTokenLifetimeSetting, TokenType } from './types';
import type { VersionFeatures } from './versions';

export interface ApiEnvironment {
  readonly flavour: Flavour;
  readonly version: string;
  readonly edition: Edition;
  readonly maxTokenLifetime: MaxTokenLifetimeSetting;
  readonly forceAuthentication: boolean;
  readonly utcOffsetMinutes: number;
  readonly serverId: string;
  readonly features: VersionFeatures;
}

/** Who is calling: nobody, or a user through one of their tokens. */
export type Session = { readonly kind: 'anonymous' } | { readonly kind: 'token'; readonly user: UserRecord; readonly token: TokenRecord };

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  /** Query and POST fields together, as the real server reads them. */
  readonly params: ReadonlyMap<string, string>;
  readonly session: Session;
  /** Credentials were sent but did not authenticate (only public actions get this far with them). */
  readonly credentialsRejected: boolean;
}

interface Action {
  readonly post?: boolean;
  /** Answers whatever the credentials: invalid ones are treated as anonymous. */
  readonly public?: boolean;
  readonly available?: (env: ApiEnvironment) => boolean;
  readonly handle: (call: ApiCall) => FakeResponse;
}

const tokenTypes: readonly TokenType[] = ['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'];
const lifetimeDays: Record<MaxTokenLifetimeSetting, number | undefined> = {
  '30 days': 30,
  '90 days': 90,
  '1 year': 365,
  'No expiration': undefined,
};
const maxLifetimeKey = 'sonar.auth.token.max.allowed.lifetime';
const adminPermissions = ['admin', 'gateadmin', 'profileadmin', 'provisioning'];

/**
 * What a 9.x server lets an analysis token call: the scanner's endpoints (the fake serves only these of them).
 * Everything else answers 401 to such a token there.
 */
export const scannerEndpoints: ReadonlySet<string> = new Set(['api/server/version', 'api/system/status', 'api/authentication/validate', 'api/settings/values']);

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export class FakeSonarApi {
  private readonly actions: ReadonlyMap<string, Action>;

  constructor(
    private readonly env: ApiEnvironment,
    private readonly model: FakeSonarModel,
  ) {
    this.actions = new Map<string, Action>([
      ['api/server/version', { public: true, handle: () => textResponse(200, this.env.version) }],
      ['api/system/status', { public: true, handle: (call) => this.systemStatus(call) }],
      ['api/authentication/validate', { public: true, handle: (call) => jsonResponse(200, { valid: this.validate(call) }) }],
      ['api/users/current', { handle: (call) => this.currentUser(call) }],
      ['api/users/search', { handle: (call) => this.searchUsers(call) }],
      ['api/user_tokens/search', { handle: (call) => this.searchTokens(call) }],
      ['api/user_tokens/generate', { post: true, handle: (call) => this.generateToken(call) }],
      ['api/user_tokens/revoke', { post: true, handle: (call) => this.revokeToken(call) }],
      ['api/settings/values', { handle: (call) => this.settingsValues(call) }],
      [
        'api/projects/search_my_scannable_projects',
        { available: (e) => e.features.scannableProjects, handle: (call) => this.scannableProjects(call) },
      ],
      ['api/components/search', { handle: (call) => this.searchComponents(call) }],
      ['api/organizations/search', { available: (e) => e.flavour === 'cloud', handle: (call) => this.searchOrganizations(call) }],
    ]);
  }

  /** Whether a path is answered without looking at the credentials' validity. */
  isPublic(path: string): boolean {
    return this.actions.get(path)?.public ?? false;
  }

  handle(call: ApiCall): FakeResponse {
    const action = this.actions.get(call.path);
    if (!action || !(action.available?.(this.env) ?? true)) return notFound(`Unknown url : /${call.path}`).toResponse();
    if (action.post && call.method !== 'POST') return new ApiFailure(405, 'HTTP method POST is required').toResponse();
    try {
      if (!action.public && this.env.forceAuthentication && call.session.kind === 'anonymous') throw new ApiFailure(401, '', true);
      return action.handle(call);
    } catch (error) {
      if (error instanceof ApiFailure) return error.toResponse();
      throw error;
    }
  }

  private date(date: Date): string {
    return formatSonarDateTime(date, this.env.utcOffsetMinutes);
  }

  private systemStatus(call: ApiCall): FakeResponse {
    // Servers before 10.0 show only the status to anonymous callers.
    if (!this.env.features.fullAnonymousStatus && call.session.kind === 'anonymous') {
      return jsonResponse(200, { status: 'UP' });
    }
    return jsonResponse(200, { id: this.env.serverId, version: this.env.version, status: 'UP' });
  }

  private validate(call: ApiCall): boolean {
    if (call.session.kind === 'token') return true;
    // No credentials: "valid" when the server lets anonymous users in. Bad credentials: false.
    return !this.env.forceAuthentication && !call.credentialsRejected;
  }

  private globalPermissions(session: Session & { kind: 'token' }): string[] {
    const { user, token } = session;
    if (token.type === 'PROJECT_ANALYSIS_TOKEN') return [];
    if (token.type === 'GLOBAL_ANALYSIS_TOKEN') return user.scan ? ['scan'] : [];
    return [...(user.admin ? adminPermissions : []), ...(user.scan ? ['scan'] : [])];
  }

  private currentUser(call: ApiCall): FakeResponse {
    const dismissedNotices = { educationPrinciples: false, sonarlintAd: false };
    if (call.session.kind === 'anonymous') {
      return jsonResponse(200, { isLoggedIn: false, permissions: { global: [] }, dismissedNotices });
    }
    const { user } = call.session;
    return jsonResponse(200, {
      isLoggedIn: true,
      login: user.login,
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      local: true,
      externalIdentity: user.login,
      externalProvider: 'sonarqube',
      scmAccounts: [],
      groups: this.groups(user),
      permissions: { global: this.globalPermissions(call.session) },
      ...(user.email ? { avatar: md5(user.email.toLowerCase()) } : {}),
      homepage: { type: 'PROJECTS' },
      usingSonarLintConnectedMode: false,
      dismissedNotices,
      id: user.id,
    });
  }

  private groups(user: UserRecord): string[] {
    return user.admin ? ['sonar-administrators', 'sonar-users'] : ['sonar-users'];
  }

  private loggedIn(call: ApiCall): Session & { kind: 'token' } {
    if (call.session.kind === 'anonymous') throw authenticationRequired();
    return call.session;
  }

  /** The user a token action is about: yourself, or (System Administrators only) any login. */
  private targetUser(call: ApiCall): UserRecord {
    const session = this.loggedIn(call);
    const login = call.params.get('login');
    if (login === undefined || login === session.user.login) return session.user;
    // Checked before the lookup, so a non-admin cannot probe which logins exist.
    if (!session.user.admin) throw insufficientPrivileges();
    const user = this.model.users.get(login);
    if (!user) throw notFound(`User with login '${login}' doesn't exist`);
    return user;
  }

  private searchTokens(call: ApiCall): FakeResponse {
    const user = this.targetUser(call);
    const now = this.model.now();
    return jsonResponse(200, {
      login: user.login,
      userTokens: this.model.tokensOf(user.login).map((token) => {
        const project = token.projectKey ? this.model.projects.get(token.projectKey) : undefined;
        return {
          name: token.name,
          createdAt: this.date(token.createdAt),
          ...(token.lastConnectionDate ? { lastConnectionDate: this.date(token.lastConnectionDate) } : {}),
          type: token.type,
          ...(project ? { project: { key: project.key, name: project.name } } : {}),
          ...(token.expiresAt ? { expirationDate: this.date(token.expiresAt), isExpired: this.model.isExpired(token, now) } : {}),
        };
      }),
    });
  }

  /**
   * The real order of checks: the name (the web service framework), the type and login combination, the expiration
   * date, logged in, admin for another login, the project, then the name's uniqueness. Parameters a version does not
   * know are ignored, not refused: 9.4 makes a user token whatever `type` says, 9.5 one that never expires.
   */
  private generateToken(call: ApiCall): FakeResponse {
    const rawName = mandatory(call, 'name');
    checkMaxLength('name', rawName, 100);
    const name = rawName.trim();
    const type = this.env.features.tokenTypes ? (oneOf(call, 'type', this.offeredTypes()) ?? 'USER_TOKEN') : 'USER_TOKEN';
    const caller = call.session.kind === 'token' ? call.session.user.login : undefined;
    const forYourself = (call.params.get('login') ?? caller) === caller;
    if (type === 'GLOBAL_ANALYSIS_TOKEN' && !forYourself) throw badRequest('A Global Analysis Token cannot be generated for another user.');
    if (type === 'PROJECT_ANALYSIS_TOKEN' && !forYourself) throw badRequest('A Project Analysis Token cannot be generated for another user.');
    const now = this.model.now();
    const expiresAt = this.env.features.expirationDate ? this.expirationDate(call, now) : undefined;
    if (this.env.features.expirationDate) this.checkLifetime(expiresAt, now);
    const session = this.loggedIn(call);
    const user = this.targetUser(call);
    let projectKey: string | undefined;
    if (type === 'GLOBAL_ANALYSIS_TOKEN' && !session.user.scan) throw insufficientPrivileges();
    if (type === 'PROJECT_ANALYSIS_TOKEN') {
      projectKey = call.params.get('projectKey')?.trim();
      if (!projectKey) throw badRequest('A projectKey is needed when creating Project Analysis Token');
      if (!this.model.projects.has(projectKey)) throw notFound(`Project key '${projectKey}' not found`);
      if (!this.model.canScan(session.user, projectKey)) throw insufficientPrivileges();
    }
    if (this.model.findToken(user.login, name)) {
      throw badRequest(`A user token for login '${user.login}' and name '${name}' already exists`);
    }
    const token = this.model.issueToken(user.login, { name, type, projectKey, createdAt: now, expiresAt });
    return jsonResponse(200, {
      login: user.login,
      name,
      createdAt: this.date(now),
      token,
      type,
      ...(projectKey ? { projectKey } : {}),
      ...(expiresAt ? { expirationDate: this.date(expiresAt) } : {}),
    });
  }

  /** SonarQube Cloud makes user tokens only (its analysis tokens are the organization's scoped tokens). */
  private offeredTypes(): readonly TokenType[] {
    return this.env.flavour === 'cloud' ? ['USER_TOKEN'] : tokenTypes;
  }

  private expirationDate(call: ApiCall, now: Date): Date | undefined {
    const text = call.params.get('expirationDate');
    if (text === undefined) return undefined;
    const date = parseDay(text);
    if (!date) {
      throw badRequest('Supplied date format for parameter expirationDate is wrong. Please supply date in the ISO 8601 date format (YYYY-MM-DD)');
    }
    const tomorrow = startOfUtcDay(now, 1);
    if (date.getTime() < tomorrow.getTime()) throw badRequest(`The minimum value for parameter expirationDate is ${utcDay(tomorrow)}.`);
    return date;
  }

  /** What the handshake page gives its token: the longest choice the lifetime limit leaves (1 year without one). */
  longestLifetimeDays(): number {
    return this.enforcedLifetimeDays() ?? 365;
  }

  private enforcedLifetimeDays(): number | undefined {
    const enforcing = this.env.flavour === 'server' && (this.env.edition === 'enterprise' || this.env.edition === 'datacenter');
    return enforcing ? lifetimeDays[this.env.maxTokenLifetime] : undefined;
  }

  private checkLifetime(expiresAt: Date | undefined, now: Date): void {
    const days = this.enforcedLifetimeDays();
    if (days === undefined) return;
    const latest = startOfUtcDay(now, days);
    if (!expiresAt) throw badRequest(`Tokens expiring after ${utcDay(latest)} are not allowed. Please use an expiration date.`);
    if (expiresAt.getTime() > latest.getTime()) {
      throw badRequest(`Tokens expiring after ${utcDay(latest)} are not allowed. Please use a valid expiration date.`);
    }
  }

  private revokeToken(call: ApiCall): FakeResponse {
    // The mandatory name is checked by the framework, before the login; not trimmed: revoking needs the exact name.
    const name = mandatory(call, 'name');
    const user = this.targetUser(call);
    this.model.revokeToken(user.login, name);
    return emptyResponse(204);
  }

  private settingsValues(call: ApiCall): FakeResponse {
    const settings: { key: string; value: string; inherited?: boolean }[] = [
      { key: 'sonar.forceAuthentication', value: String(this.env.forceAuthentication) },
      { key: 'sonar.lf.enableGravatar', value: 'false', inherited: true },
    ];
    if (this.env.flavour === 'server' && (this.env.edition === 'enterprise' || this.env.edition === 'datacenter')) {
      const setting = this.env.maxTokenLifetime;
      settings.push({ key: maxLifetimeKey, value: setting, ...(setting === 'No expiration' ? { inherited: true } : {}) });
    }
    const keys = call.params.get('keys')?.split(',').map((key) => key.trim()).filter((key) => key !== '');
    return jsonResponse(200, { settings: keys && keys.length > 0 ? settings.filter((setting) => keys.includes(setting.key)) : settings });
  }

  private searchUsers(call: ApiCall): FakeResponse {
    const { page, pageSize } = paging(call, 50);
    const q = searchText(call);
    const caller = call.session.kind === 'token' ? call.session.user : undefined;
    const includeDeactivated = call.params.get('deactivated') === 'true';
    const matching = [...this.model.users.values()]
      .filter((user) => user.active !== includeDeactivated)
      .filter((user) => !q || [user.login, user.name, user.email ?? ''].some((text) => text.toLowerCase().includes(q)))
      .sort((a, b) => a.login.localeCompare(b.login));
    const users = matching.slice((page - 1) * pageSize, page * pageSize).map((user) => {
      const seesDetails = caller !== undefined && (caller.admin || caller.login === user.login);
      return {
        login: user.login,
        name: user.name,
        active: user.active,
        ...(seesDetails && user.email ? { email: user.email } : {}),
        ...(seesDetails ? { groups: this.groups(user), tokensCount: this.model.tokenCount(user.login) } : {}),
        local: true,
        externalIdentity: user.login,
        externalProvider: 'sonarqube',
        ...(user.email ? { avatar: md5(user.email.toLowerCase()) } : {}),
        ...(seesDetails && user.lastConnectionDate ? { lastConnectionDate: this.date(user.lastConnectionDate) } : {}),
        ...(this.env.features.managedUsers ? { managed: false } : {}),
      };
    });
    return jsonResponse(200, { paging: { pageIndex: page, pageSize, total: matching.length }, users });
  }

  private scannableProjects(call: ApiCall): FakeResponse {
    const session = this.loggedIn(call);
    const q = call.params.get('q')?.trim().toLowerCase();
    const projects =
      session.token.type === 'PROJECT_ANALYSIS_TOKEN' ? [] : [...this.model.projects.values()].filter((project) => this.model.canScan(session.user, project.key));
    return jsonResponse(200, {
      projects: projects
        .filter((project) => !q || project.key.toLowerCase().includes(q) || project.name.toLowerCase().includes(q))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((project) => ({ key: project.key, name: project.name })),
    });
  }

  private searchComponents(call: ApiCall): FakeResponse {
    const qualifiers = mandatory(call, 'qualifiers').split(',');
    const organization = call.params.get('organization');
    if (this.env.flavour === 'cloud') {
      if (organization === undefined) throw badRequest("The 'organization' parameter is missing");
      if (!this.model.organizations.has(organization)) throw notFound(`No organization for key '${organization}'`);
    }
    const { page, pageSize } = paging(call, 100);
    const q = searchText(call);
    const matching = qualifiers.includes('TRK')
      ? [...this.model.projects.values()]
          .filter((project) => this.env.flavour === 'server' || project.organization === organization)
          .filter((project) => !q || project.key.toLowerCase().includes(q) || project.name.toLowerCase().includes(q))
          .sort((a, b) => a.name.localeCompare(b.name))
      : [];
    const components = matching.slice((page - 1) * pageSize, page * pageSize).map((project) => ({
      ...(this.env.flavour === 'cloud' ? { organization: project.organization } : {}),
      key: project.key,
      qualifier: 'TRK',
      name: project.name,
      project: project.key,
    }));
    return jsonResponse(200, { paging: { pageIndex: page, pageSize, total: matching.length }, components });
  }

  private searchOrganizations(call: ApiCall): FakeResponse {
    const { page, pageSize } = paging(call, 100);
    const memberOnly = call.params.get('member') === 'true';
    const login = memberOnly ? this.loggedIn(call).user.login : undefined;
    const keys = call.params.get('organizations')?.split(',');
    const matching = [...this.model.organizations.values()]
      .filter((org) => login === undefined || org.members.has(login))
      .filter((org) => !keys || keys.includes(org.key))
      .sort((a, b) => a.key.localeCompare(b.key));
    return jsonResponse(200, {
      paging: { pageIndex: page, pageSize, total: matching.length },
      organizations: matching.slice((page - 1) * pageSize, page * pageSize).map((org) => ({
        key: org.key,
        name: org.name,
        ...(org.description ? { description: org.description } : {}),
      })),
    });
  }
}

function mandatory(call: ApiCall, param: string): string {
  const value = call.params.get(param);
  if (value === undefined || value === '') throw badRequest(`The '${param}' parameter is missing`);
  return value;
}

function checkMaxLength(param: string, value: string, max: number): void {
  if (value.length > max) throw badRequest(`'${param}' length (${value.length}) is longer than the maximum authorized (${max})`);
}

function oneOf<T extends string>(call: ApiCall, param: string, values: readonly T[]): T | undefined {
  const value = call.params.get(param);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw badRequest(`Value of parameter '${param}' (${value}) must be one of: [${values.join(', ')}]`);
  }
  return value as T;
}

function integer(call: ApiCall, param: string): number | undefined {
  const text = call.params.get(param);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw badRequest(`The '${param}' parameter cannot be parsed as an integer value: ${text}`);
  return Number(text);
}

/** `p` and `ps` of the paged searches: `ps` at most 500. */
function paging(call: ApiCall, defaultPageSize: number): { page: number; pageSize: number } {
  const page = integer(call, 'p') ?? 1;
  const pageSize = integer(call, 'ps') ?? defaultPageSize;
  if (pageSize > 500) throw badRequest("The 'ps' parameter must be less than 500");
  if (page < 1) throw badRequest('Page index must be strictly positive');
  if (pageSize < 1) throw badRequest('Page size must be strictly positive');
  return { page, pageSize };
}

/** `q`, lower-cased; the searches refuse fewer than 2 characters. */
function searchText(call: ApiCall): string | undefined {
  const q = call.params.get('q');
  if (q === undefined || q === '') return undefined;
  if (q.length < 2) throw badRequest(`'q' length (${q.length}) is shorter than the minimum authorized (2)`);
  return q.toLowerCase();
}

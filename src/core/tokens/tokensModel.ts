// What the Tokens view shows, as data: per connection the signed-in user's tokens, and for admins the users and
// their tokens. Loads lazily, in parallel under a cap, one request per list; the host only draws it.
import type { Logger } from '../ports';
import type { TokenApi, UserSummary, UserToken } from '../sonar/types';
import { isSonarApiError } from '../sonar/errors';
import type { TokenRef } from '../secrets/keys';
import { createLimiter } from '../util/limiter';
import { Emitter } from '../util/emitter';

export type LoadStatus = 'idle' | 'loading' | 'ok' | 'authFailed' | 'unreachable' | 'failed';

export interface TokenListState {
  readonly status: LoadStatus;
  readonly login?: string;
  readonly tokens: readonly UserToken[];
  readonly error?: unknown;
}

export interface UsersState {
  readonly status: LoadStatus;
  readonly filter?: string;
  readonly users: readonly UserSummary[];
  readonly total: number;
  /** The next page to ask for, or undefined when every user is listed. */
  readonly nextPage?: number;
  readonly error?: unknown;
}

/** Which part of the tree changed: a connection (its token list), its users list, or one user's tokens. */
export interface ModelChange {
  readonly connectionId?: string;
  readonly part?: 'tokens' | 'users' | 'userTokens';
  readonly login?: string;
}

export const USERS_PAGE_SIZE = 500;
/** Enough for every connection most people have at once, while a long list still cannot flood the network. */
export const LOAD_CONCURRENCY = 12;

const EMPTY_LIST: TokenListState = { status: 'idle', tokens: [] };
const EMPTY_USERS: UsersState = { status: 'idle', users: [], total: 0 };

export function statusOf(error: unknown): LoadStatus {
  if (!isSonarApiError(error)) return 'failed';
  switch (error.kind) {
    case 'unauthorized':
      return 'authFailed';
    case 'network':
    case 'timeout':
    case 'tls':
      return 'unreachable';
    default:
      return 'failed';
  }
}

function unconfirmedKey(ref: TokenRef): string {
  return JSON.stringify([ref.connectionId, ref.login, ref.name]);
}

export interface TokensModelDeps {
  /** The API client signed in for a connection (reads the sign-in secret: once per load, never per token). */
  apiFor(connectionId: string): Promise<TokenApi>;
  readonly logger: Logger;
  readonly concurrency?: number;
}

export class TokensModel {
  private readonly lists = new Map<string, TokenListState>();
  private readonly users = new Map<string, UsersState>();
  private readonly userTokens = new Map<string, TokenListState>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly unconfirmed = new Set<string>();
  private readonly changes = new Emitter<ModelChange>();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;

  readonly onDidChange = this.changes.event;

  constructor(private readonly deps: TokensModelDeps) {
    this.limit = createLimiter(deps.concurrency ?? LOAD_CONCURRENCY);
  }

  tokenList(connectionId: string): TokenListState {
    return this.lists.get(connectionId) ?? EMPTY_LIST;
  }

  usersOf(connectionId: string): UsersState {
    return this.users.get(connectionId) ?? EMPTY_USERS;
  }

  tokensOfUser(connectionId: string, login: string): TokenListState {
    return this.userTokens.get(`${connectionId}\n${login}`) ?? EMPTY_LIST;
  }

  isRevocationUnconfirmed(ref: TokenRef): boolean {
    return this.unconfirmed.size > 0 && this.unconfirmed.has(unconfirmedKey(ref));
  }

  /** Loads the signed-in user's tokens unless they are loaded or loading; `force` reloads. */
  loadTokens(connectionId: string, force = false): Promise<void> {
    const state = this.tokenList(connectionId);
    if (!force && state.status !== 'idle') return this.inFlight.get(connectionId) ?? Promise.resolve();
    return this.track(connectionId, async () => {
      this.lists.set(connectionId, { ...state, status: 'loading', error: undefined });
      this.changes.fire({ connectionId, part: 'tokens' });
      try {
        const list = await this.limit(async () => (await this.deps.apiFor(connectionId)).searchTokens());
        this.lists.set(connectionId, { status: 'ok', login: list.login, tokens: list.tokens });
        this.settleUnconfirmed(connectionId, list.login, list.tokens);
      } catch (error) {
        this.deps.logger.warn(`Loading tokens of connection ${connectionId} failed: ${error instanceof Error ? error.message : String(error)}`);
        this.lists.set(connectionId, { status: statusOf(error), tokens: [], error });
      }
      this.changes.fire({ connectionId, part: 'tokens' });
    });
  }

  /** Admin listing: the first page, or the next one with `more`; a new filter starts again at page 1. */
  loadUsers(connectionId: string, options: { more?: boolean; filter?: string | null } = {}): Promise<void> {
    const key = `users\n${connectionId}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const previous = this.usersOf(connectionId);
    const filter = options.filter === null ? undefined : (options.filter ?? previous.filter);
    const restart = !options.more || filter !== previous.filter;
    const page = restart ? 1 : (previous.nextPage ?? 1);
    return this.track(key, async () => {
      this.users.set(connectionId, { ...(restart ? EMPTY_USERS : previous), filter, status: 'loading' });
      this.changes.fire({ connectionId, part: 'users' });
      try {
        const result = await this.limit(async () =>
          (await this.deps.apiFor(connectionId)).searchUsers({ q: filter, page, pageSize: USERS_PAGE_SIZE }),
        );
        const users = restart ? [...result.items] : [...previous.users, ...result.items];
        const nextPage = users.length < result.total && result.items.length > 0 ? page + 1 : undefined;
        this.users.set(connectionId, { status: 'ok', filter, users, total: result.total, nextPage });
      } catch (error) {
        this.users.set(connectionId, { ...this.usersOf(connectionId), status: statusOf(error), error });
      }
      this.changes.fire({ connectionId, part: 'users' });
    });
  }

  loadUserTokens(connectionId: string, login: string, force = false): Promise<void> {
    const key = `${connectionId}\n${login}`;
    const state = this.tokensOfUser(connectionId, login);
    if (!force && state.status !== 'idle') return this.inFlight.get(key) ?? Promise.resolve();
    return this.track(key, async () => {
      this.userTokens.set(key, { ...state, status: 'loading' });
      this.changes.fire({ connectionId, part: 'userTokens', login });
      try {
        const list = await this.limit(async () => (await this.deps.apiFor(connectionId)).searchTokens(login));
        this.userTokens.set(key, { status: 'ok', login, tokens: list.tokens });
        this.settleUnconfirmed(connectionId, login, list.tokens);
      } catch (error) {
        this.userTokens.set(key, { status: statusOf(error), login, tokens: [], error });
      }
      this.changes.fire({ connectionId, part: 'userTokens', login });
    });
  }

  /** After a confirmed revoke: drop the token without asking the server again. */
  removeToken(ref: TokenRef): void {
    this.unconfirmed.delete(unconfirmedKey(ref));
    const own = this.lists.get(ref.connectionId);
    if (own?.login === ref.login) {
      this.lists.set(ref.connectionId, { ...own, tokens: own.tokens.filter((token) => token.name !== ref.name) });
      this.changes.fire({ connectionId: ref.connectionId, part: 'tokens' });
    }
    const key = `${ref.connectionId}\n${ref.login}`;
    const other = this.userTokens.get(key);
    if (other) {
      this.userTokens.set(key, { ...other, tokens: other.tokens.filter((token) => token.name !== ref.name) });
      this.changes.fire({ connectionId: ref.connectionId, part: 'userTokens', login: ref.login });
    }
  }

  /** A revoke whose answer never came: shown as such until a listing proves the token gone. */
  markRevocationUnconfirmed(ref: TokenRef): void {
    this.unconfirmed.add(unconfirmedKey(ref));
    this.changes.fire({ connectionId: ref.connectionId, part: 'tokens' });
    this.changes.fire({ connectionId: ref.connectionId, part: 'userTokens', login: ref.login });
  }

  /** Reloads what was shown for a connection (or every connection), keeping nothing stale. */
  async refresh(connectionIds: readonly string[]): Promise<void> {
    await Promise.all(
      connectionIds.flatMap((connectionId) => {
        const loads = [this.loadTokens(connectionId, true)];
        if (this.users.has(connectionId)) loads.push(this.loadUsers(connectionId, { filter: this.usersOf(connectionId).filter }));
        for (const key of this.userTokens.keys()) {
          const [owner, login] = key.split('\n');
          if (owner === connectionId) loads.push(this.loadUserTokens(connectionId, login, true));
        }
        return loads;
      }),
    );
  }

  forget(connectionId: string): void {
    this.lists.delete(connectionId);
    this.users.delete(connectionId);
    for (const key of [...this.userTokens.keys()]) if (key.startsWith(`${connectionId}\n`)) this.userTokens.delete(key);
    this.changes.fire({});
  }

  private settleUnconfirmed(connectionId: string, login: string, tokens: readonly UserToken[]): void {
    const listed = new Set(tokens.map((token) => token.name));
    for (const key of [...this.unconfirmed]) {
      const [owner, tokenLogin, name] = JSON.parse(key) as [string, string, string];
      if (owner === connectionId && tokenLogin === login && !listed.has(name)) this.unconfirmed.delete(key);
    }
  }

  private track(key: string, run: () => Promise<void>): Promise<void> {
    const running = run().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, running);
    return running;
  }
}

// The connections the person added: non-secret records in globalState. Sign-in tokens live in SecretStorage.
import { randomUUID } from 'node:crypto';
import { englishMessage, silentLogger, systemClock } from '../ports';
import type { Clock, KeyValueStore, Logger, Translate } from '../ports';
import type { SonarTarget } from '../sonar/types';
import { Emitter } from '../util/emitter';
import { isErrorNamed } from '../util/namedError';

export const CONNECTIONS_STATE_KEY = 'sonarqubeTokens.connections';

export interface ConnectionRecord {
  readonly id: string;
  readonly target: SonarTarget;
  readonly label: string;
  /** The login the sign-in token belongs to. */
  readonly login: string;
  readonly userName?: string;
  readonly isAdmin?: boolean;
  readonly canScan?: boolean;
  readonly serverVersion?: string;
  /**
   * When the sign-in token expires, as the server wrote it (`SonarQube-Authentication-Token-Expiration`); absent when
   * it never does or is not known (connections added before this was recorded). Browser sign-ins always expire.
   */
  readonly signInExpiresAt?: string;
  /** ISO date-time. */
  readonly addedAt: string;
}

/** `host[:port][/context]` for a Server, `organization (EU)` for Cloud. */
export function connectionLabel(target: SonarTarget): string {
  if (target.kind === 'cloud') return `${target.organization ?? 'SonarQube Cloud'} (${target.region})`;
  const url = new URL(target.serverUrl);
  const contextPath = url.pathname.replace(/\/+$/, '');
  return `${url.host}${contextPath}`;
}

/** Server URLs compare without case in scheme and host, and without a trailing slash; the path keeps its case. */
function sameTarget(a: SonarTarget, b: SonarTarget): boolean {
  if (a.kind === 'server' && b.kind === 'server') {
    const [left, right] = [new URL(a.serverUrl), new URL(b.serverUrl)];
    return left.origin === right.origin && left.pathname.replace(/\/+$/, '') === right.pathname.replace(/\/+$/, '');
  }
  if (a.kind === 'cloud' && b.kind === 'cloud') return a.region === b.region && a.organization === b.organization;
  return false;
}

export class DuplicateConnectionError extends Error {
  constructor(readonly existing: ConnectionRecord, message: string) {
    super(message);
    this.name = 'DuplicateConnectionError';
  }
}

export function isDuplicateConnectionError(error: unknown): error is DuplicateConnectionError {
  return isErrorNamed(error, 'DuplicateConnectionError') && 'existing' in error;
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isTarget(value: unknown): value is SonarTarget {
  if (typeof value !== 'object' || value === null) return false;
  const target = value as Record<string, unknown>;
  if (target.kind === 'server') {
    return isString(target.serverUrl) && URL.canParse(target.serverUrl) && /^https?:$/.test(new URL(target.serverUrl).protocol);
  }
  return target.kind === 'cloud' && (target.region === 'EU' || target.region === 'US') && (target.organization === undefined || isString(target.organization));
}

function optional(value: unknown, type: 'string' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}

/** A record as stored by this or an older version; anything else (hand-edited, corrupted) is refused. */
export function isConnectionRecord(value: unknown): value is ConnectionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    isString(record.id) &&
    isTarget(record.target) &&
    isString(record.label) &&
    isString(record.login) &&
    isString(record.addedAt) &&
    optional(record.userName, 'string') &&
    optional(record.isAdmin, 'boolean') &&
    optional(record.canScan, 'boolean') &&
    optional(record.serverVersion, 'string') &&
    optional(record.signInExpiresAt, 'string')
  );
}

export type NewConnection = Omit<ConnectionRecord, 'id' | 'addedAt' | 'label'> & { readonly label?: string };
export type ConnectionUpdate = Partial<Omit<ConnectionRecord, 'id' | 'addedAt'>>;

export interface ConnectionStoreOptions {
  readonly t?: Translate;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly newId?: () => string;
}

export class ConnectionStore {
  private readonly changed = new Emitter<readonly ConnectionRecord[]>();
  private readonly t: Translate;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly newId: () => string;
  /** Fires with the full list after every change made through this store. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: KeyValueStore, options: ConnectionStoreOptions = {}) {
    this.t = options.t ?? englishMessage;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
  }

  list(): ConnectionRecord[] {
    const stored = this.state.get<unknown>(CONNECTIONS_STATE_KEY);
    if (stored === undefined) return [];
    if (!Array.isArray(stored)) {
      this.logger.warn(`[connections] ignoring stored connections: not a list`);
      return [];
    }
    const seen = new Set<string>();
    return stored.filter((entry: unknown, index): entry is ConnectionRecord => {
      if (!isConnectionRecord(entry)) {
        this.logger.warn(`[connections] ignoring stored connection #${index}: not a valid record`);
        return false;
      }
      if (seen.has(entry.id)) {
        this.logger.warn(`[connections] ignoring stored connection #${index}: id ${entry.id} is used twice`);
        return false;
      }
      seen.add(entry.id);
      return true;
    });
  }

  get(id: string): ConnectionRecord | undefined {
    return this.list().find((record) => record.id === id);
  }

  /** A fresh id no stored connection has: the sign-in secret is stored under it before the record is added. */
  createId(): string {
    const taken = new Set(this.list().map((record) => record.id));
    let id = this.newId();
    while (taken.has(id)) id = this.newId();
    return id;
  }

  /** The connection that already signs in to the same place as the same user. */
  findDuplicate(target: SonarTarget, login: string): ConnectionRecord | undefined {
    return this.list().find((record) => record.login === login && sameTarget(record.target, target));
  }

  duplicateMessage(existing: ConnectionRecord): string {
    return this.t('You are already signed in to {0} as {1} (connection "{2}").', connectionLabel(existing.target), existing.login, existing.label);
  }

  /** Adds a connection; throws `DuplicateConnectionError` when one for the same place and user exists. */
  async add(connection: NewConnection, id: string = this.createId()): Promise<ConnectionRecord> {
    const records = this.list();
    const existing = this.findDuplicate(connection.target, connection.login);
    if (existing) throw new DuplicateConnectionError(existing, this.duplicateMessage(existing));
    if (records.some((record) => record.id === id)) throw new Error(`Connection id ${id} is already in use`);
    const record: ConnectionRecord = {
      ...connection,
      id,
      label: connection.label ?? connectionLabel(connection.target),
      addedAt: this.clock.now().toISOString(),
    };
    await this.save([...records, record]);
    return record;
  }

  /** Changes a stored connection; undefined when it no longer exists. */
  async update(id: string, changes: ConnectionUpdate): Promise<ConnectionRecord | undefined> {
    const records = this.list();
    const index = records.findIndex((record) => record.id === id);
    if (index < 0) return undefined;
    const updated: ConnectionRecord = { ...records[index], ...changes, id, addedAt: records[index].addedAt };
    if (!isConnectionRecord(updated)) throw new Error(`Refusing to store an invalid connection ${id}`);
    await this.save(records.map((record, position) => (position === index ? updated : record)));
    return updated;
  }

  /** True when a connection was removed. */
  async remove(id: string): Promise<boolean> {
    const records = this.list();
    const remaining = records.filter((record) => record.id !== id);
    if (remaining.length === records.length) return false;
    await this.save(remaining);
    return true;
  }

  private async save(records: readonly ConnectionRecord[]): Promise<void> {
    await this.state.update(CONNECTIONS_STATE_KEY, records);
    this.changed.fire(records);
  }
}

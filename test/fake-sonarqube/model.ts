// The fake's data: users, projects, organizations and tokens, looked up by SHA-384 hash like the real server.
import { hash, randomBytes, randomUUID } from 'node:crypto';
import { parseSeedDate } from './sonarDate';
import type { Flavour, OrganizationInput, ProjectInput, TokenInput, TokenType, UserInput } from './types';

export interface UserRecord {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly email?: string;
  readonly admin: boolean;
  readonly scan: boolean;
  readonly active: boolean;
  lastConnectionDate?: Date;
}

export interface ProjectRecord {
  readonly key: string;
  readonly name: string;
  readonly organization?: string;
  /** Logins with Execute Analysis on this project alone. */
  readonly scanners: ReadonlySet<string>;
}

export interface OrganizationRecord {
  readonly key: string;
  readonly name: string;
  readonly description?: string;
  readonly members: ReadonlySet<string>;
}

export interface TokenRecord {
  readonly login: string;
  readonly name: string;
  readonly type: TokenType;
  readonly projectKey?: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  lastConnectionDate?: Date;
}

const valuePrefixes: Record<TokenType, string> = {
  USER_TOKEN: 'squ_',
  GLOBAL_ANALYSIS_TOKEN: 'sqa_',
  PROJECT_ANALYSIS_TOKEN: 'sqp_',
};

const oneHourMs = 3_600_000;

export function hashToken(value: string): string {
  // The one-shot `hash` is several times faster than createHash for short inputs: it keeps bulk seeding quick.
  return hash('sha384', value, 'hex');
}

/** Random bytes drawn in blocks: one `randomBytes` call per token is what makes bulk seeding slow. */
class RandomHexPool {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(bytes: number): string {
    if (this.offset + bytes > this.pool.length) {
      this.pool = randomBytes(64 * 1024);
      this.offset = 0;
    }
    const hex = this.pool.toString('hex', this.offset, this.offset + bytes);
    this.offset += bytes;
    return hex;
  }
}

export class FakeSonarModel {
  readonly users = new Map<string, UserRecord>();
  readonly projects = new Map<string, ProjectRecord>();
  readonly organizations = new Map<string, OrganizationRecord>();
  private readonly tokensByHash = new Map<string, TokenRecord>();
  private readonly hashOf = new WeakMap<TokenRecord, string>();
  /** New tokens wait here until the first lookup: bulk seeding then never pays for hashing. */
  private unhashed: [string, TokenRecord][] = [];
  private readonly tokensByLogin = new Map<string, Map<string, TokenRecord>>();
  private readonly issuedValues: string[] = [];
  private readonly issuedValueSet = new Set<string>();
  private readonly random = new RandomHexPool();

  constructor(
    private readonly flavour: Flavour,
    /** Tokens made by servers before 9.5 carry no type prefix. */
    private readonly prefixedValues: boolean,
    readonly now: () => Date,
  ) {}

  addUser(input: UserInput): UserRecord {
    if (this.users.has(input.login)) throw new Error(`User ${input.login} already exists`);
    const user: UserRecord = {
      id: randomUUID(),
      login: input.login,
      name: input.name ?? input.login,
      email: input.email,
      admin: input.admin ?? false,
      scan: input.scan ?? true,
      active: input.active ?? true,
    };
    this.users.set(user.login, user);
    return user;
  }

  addProject(input: ProjectInput): void {
    if (this.projects.has(input.key)) throw new Error(`Project ${input.key} already exists`);
    this.projects.set(input.key, { key: input.key, name: input.name, organization: input.organization, scanners: new Set(input.scanners ?? []) });
  }

  addOrganization(input: OrganizationInput): void {
    if (this.organizations.has(input.key)) throw new Error(`Organization ${input.key} already exists`);
    this.organizations.set(input.key, {
      key: input.key,
      name: input.name,
      description: input.description,
      members: new Set(input.members),
    });
  }

  requireUser(login: string): UserRecord {
    const user = this.users.get(login);
    if (!user) throw new Error(`No user ${login} in the fake`);
    return user;
  }

  /** Execute Analysis on the project: the global `scan` permission, or the project's own. */
  canScan(user: UserRecord, projectKey: string): boolean {
    return user.scan || (this.projects.get(projectKey)?.scanners.has(user.login) ?? false);
  }

  tokensOf(login: string): TokenRecord[] {
    return [...(this.tokensByLogin.get(login)?.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  tokenCount(login: string): number {
    return this.tokensByLogin.get(login)?.size ?? 0;
  }

  findToken(login: string, name: string): TokenRecord | undefined {
    return this.tokensByLogin.get(login)?.get(name);
  }

  /** Stores a new token and returns its value; the value itself is kept only in the list of issued values. */
  issueToken(
    login: string,
    fields: { name: string; type: TokenType; projectKey?: string; createdAt: Date; expiresAt?: Date; lastConnectionDate?: Date },
  ): string {
    if (this.findToken(login, fields.name)) throw new Error(`User ${login} already has a token named ${fields.name}`);
    const value = this.newValue(fields.type);
    const record: TokenRecord = {
      login,
      name: fields.name,
      type: fields.type,
      projectKey: fields.projectKey,
      createdAt: fields.createdAt,
      expiresAt: fields.expiresAt,
      lastConnectionDate: fields.lastConnectionDate,
    };
    this.unhashed.push([value, record]);
    let byName = this.tokensByLogin.get(login);
    if (!byName) this.tokensByLogin.set(login, (byName = new Map()));
    byName.set(record.name, record);
    this.issuedValues.push(value);
    this.issuedValueSet.add(value);
    return value;
  }

  /** `createToken` of the public API: dates given as text, defaults as the web UI would set them. */
  createToken(login: string, input: TokenInput): string {
    this.requireUser(login);
    const type = input.type ?? 'USER_TOKEN';
    if (type === 'PROJECT_ANALYSIS_TOKEN') {
      if (!input.projectKey || !this.projects.has(input.projectKey)) throw new Error(`Project analysis token needs a known projectKey`);
    }
    return this.issueToken(login, {
      name: input.name,
      type,
      projectKey: type === 'PROJECT_ANALYSIS_TOKEN' ? input.projectKey : undefined,
      createdAt: input.createdAt ? parseSeedDate(input.createdAt, 'createdAt') : this.now(),
      expiresAt: input.expirationDate ? parseSeedDate(input.expirationDate, 'expirationDate') : undefined,
      lastConnectionDate: input.lastConnectionDate ? parseSeedDate(input.lastConnectionDate, 'lastConnectionDate') : undefined,
    });
  }

  revokeToken(login: string, name: string): void {
    const record = this.tokensByLogin.get(login)?.get(name);
    if (!record) return;
    this.hashPending();
    this.tokensByLogin.get(login)?.delete(name);
    this.tokensByHash.delete(this.hashOf.get(record)!);
  }

  /** The token a value belongs to, or undefined (unknown or revoked). Expiry is the caller's decision. */
  lookupToken(value: string): TokenRecord | undefined {
    this.hashPending();
    return this.tokensByHash.get(hashToken(value));
  }

  private hashPending(): void {
    for (const [value, record] of this.unhashed) {
      const hash = hashToken(value);
      this.tokensByHash.set(hash, record);
      this.hashOf.set(record, hash);
    }
    this.unhashed = [];
  }

  isExpired(token: TokenRecord, now = this.now()): boolean {
    return token.expiresAt !== undefined && token.expiresAt.getTime() <= now.getTime();
  }

  /** Like the real server: the token's and the user's last connection move at most once an hour. */
  recordConnection(token: TokenRecord, user: UserRecord, now = this.now()): void {
    if (!token.lastConnectionDate || now.getTime() - token.lastConnectionDate.getTime() >= oneHourMs) token.lastConnectionDate = now;
    if (!user.lastConnectionDate || now.getTime() - user.lastConnectionDate.getTime() >= oneHourMs) user.lastConnectionDate = now;
  }

  wasIssued(value: string): boolean {
    return this.issuedValueSet.has(value);
  }

  issuedTokenValues(): string[] {
    return [...this.issuedValues];
  }

  private newValue(type: TokenType): string {
    const hex = this.random.next(20);
    if (this.flavour === 'cloud' || !this.prefixedValues) return hex;
    return valuePrefixes[type] + hex;
  }
}

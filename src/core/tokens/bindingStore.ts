// Which token is bound where, so that revoke, rotate and unbind find every use. Not secret: ids, paths, names.
import { randomUUID } from 'node:crypto';
import type { KeyValueStore, Logger } from '../ports';
import { silentLogger } from '../ports';
import type { TokenRef } from '../secrets/keys';
import { isTokenRef, sameTokenRef } from '../secrets/keys';
import { Emitter } from '../util/emitter';

export const BINDINGS_STATE_KEY = 'sonarqubeTokens.bindings';

/** What an MCP binding wrote, so that unbind removes exactly that. */
export interface McpBinding {
  readonly id: string;
  readonly kind: 'mcp';
  readonly token: TokenRef;
  /** An `McpTargetId` from `src/core/mcp/targets.ts`. */
  readonly target: string;
  /** The provider's server label (built-in) or the config file edited. */
  readonly label?: string;
  readonly path?: string;
  readonly serverName?: string;
  readonly inputId?: string;
  readonly createdFile?: boolean;
  readonly createdDirs?: readonly string[];
  readonly createdKeys?: readonly string[];
  /** The value itself is in the file (Claude Desktop without a credential store). */
  readonly plainText?: boolean;
  /** The entry runs the launcher; the token is in the OS credential store under `mcpCredentialAccount(id)`. */
  readonly launcher?: boolean;
  readonly createdAt: string;
}

/** What a connected-mode binding set up for SonarQube for IDE. */
export interface ConnectedModeBinding {
  readonly id: string;
  readonly kind: 'connectedMode';
  readonly token: TokenRef;
  readonly section: 'sonarqube' | 'sonarcloud';
  readonly sonarlintConnectionId: string;
  /** True when this binding added the User-settings connection (unbind then removes it, unless others use it). */
  readonly addedConnection: boolean;
  /** Workspace folder URIs bound to the project. */
  readonly folders: readonly string[];
  readonly projectKey: string;
  /** `.sonarlint/connectedMode.json` files this binding created. */
  readonly sharedFiles: readonly string[];
  readonly createdAt: string;
}

export type BindingRecord = McpBinding | ConnectedModeBinding;
export type NewBinding = Omit<McpBinding, 'id' | 'createdAt'> | Omit<ConnectedModeBinding, 'id' | 'createdAt'>;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

export function isBindingRecord(value: unknown): value is BindingRecord {
  const record = value as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null) return false;
  if (typeof record.id !== 'string' || typeof record.createdAt !== 'string' || !isTokenRef(record.token)) return false;
  if (record.kind === 'mcp') return typeof record.target === 'string' && (record.path === undefined || typeof record.path === 'string');
  return (
    record.kind === 'connectedMode' &&
    (record.section === 'sonarqube' || record.section === 'sonarcloud') &&
    typeof record.sonarlintConnectionId === 'string' &&
    typeof record.projectKey === 'string' &&
    isStringArray(record.folders) &&
    isStringArray(record.sharedFiles)
  );
}

export class BindingStore {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: KeyValueStore,
    private readonly logger: Logger = silentLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  list(): BindingRecord[] {
    const stored = this.state.get<unknown>(BINDINGS_STATE_KEY);
    if (!Array.isArray(stored)) return [];
    return stored.filter((entry, index): entry is BindingRecord => {
      const valid = isBindingRecord(entry);
      if (!valid) this.logger.warn(`[bindings] ignoring stored binding #${index}: not a valid record`);
      return valid;
    });
  }

  get(id: string): BindingRecord | undefined {
    return this.list().find((binding) => binding.id === id);
  }

  forToken(ref: TokenRef): BindingRecord[] {
    return this.list().filter((binding) => sameTokenRef(binding.token, ref));
  }

  forConnection(connectionId: string): BindingRecord[] {
    return this.list().filter((binding) => binding.token.connectionId === connectionId);
  }

  /** `id` is given when something outside the record was named after it first (the launcher's credential-store entry). */
  async add(binding: NewBinding, id: string = randomUUID()): Promise<BindingRecord> {
    const record = { ...binding, id, createdAt: this.clock().toISOString() } as BindingRecord;
    await this.write([...this.list(), record]);
    return record;
  }

  async remove(id: string): Promise<void> {
    await this.write(this.list().filter((binding) => binding.id !== id));
  }

  /** Points one binding at another token (rotation). */
  async retarget(id: string, to: TokenRef): Promise<void> {
    await this.write(this.list().map((binding) => (binding.id === id ? { ...binding, token: to } : binding)));
  }

  private async write(bindings: BindingRecord[]): Promise<void> {
    await this.state.update(BINDINGS_STATE_KEY, bindings);
    this.changed.fire();
  }
}

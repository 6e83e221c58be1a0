// The step each multi-step operation is in, kept in globalState (ids, names and paths only, never a value) so that
// the next activation can finish or roll back what a killed extension host left half done.
import * as os from 'node:os';
import { randomUUID } from 'node:crypto';
import { silentLogger, systemClock } from '../ports';
import type { Clock, KeyValueStore, Logger } from '../ports';
import { isTokenRef } from '../secrets/keys';
import type { TokenRef } from '../secrets/keys';
import { isBindingRecord } from '../tokens/bindingStore';
import type { BindingRecord } from '../tokens/bindingStore';

export const JOURNAL_STATE_KEY = 'sonarqubeTokens.journal';

/** The extension host that runs an operation: recovery leaves alone what a live one is still doing. */
export interface JournalOwner {
  readonly host: string;
  readonly pid: number;
}

/** Generate → store: `generating` until the server answered, `generated` until the value is in secure storage. */
export interface GenerateRecord {
  readonly op: 'generate';
  readonly step: 'generating' | 'generated';
  readonly ref: TokenRef;
  /** Another user's login (admin): the token is listed and revoked with it. */
  readonly forLogin?: string;
}

/** Rotation, in the order of `rotateToken`; before `revokedOld` it is rolled back, from it on finished. */
export interface RotateRecord {
  readonly op: 'rotate';
  readonly step: 'generating' | 'generated' | 'stored' | 'switching' | 'revokingOld' | 'revokedOld';
  readonly old: TokenRef;
  readonly newName: string;
  readonly forLogin?: string;
  /** The bindings that are switched, all of them, whatever their record says when recovery reads it. */
  readonly bindingIds: readonly string[];
  readonly replacement?: TokenRef;
}

/** Revoke + clean-up: `revoking` until the server confirmed, `revoked` until the value and bindings are gone. */
export interface RevokeRecord {
  readonly op: 'revoke';
  readonly step: 'revoking' | 'revoked';
  readonly ref: TokenRef;
  readonly forLogin?: string;
  /** Known once the server confirmed: the connection's sign-in token was the one revoked. */
  readonly signedOut?: boolean;
}

/** Remove connection: bindings, then values and sign-in, then the record; always finished, never undone. */
export interface RemoveConnectionRecord {
  readonly op: 'removeConnection';
  readonly step: 'removing';
  readonly connectionId: string;
}

/**
 * Bind: every write is announced here before it is made, as the binding record it becomes (what unbind removes).
 * The record is stored last: with it the bind is complete, without it recovery takes back what was written.
 */
export interface BindRecord {
  readonly op: 'bind';
  readonly step: 'writing';
  readonly binding: BindingRecord;
}

export type OperationRecord = GenerateRecord | RotateRecord | RevokeRecord | RemoveConnectionRecord | BindRecord;

export type JournalEntry = OperationRecord & {
  readonly id: string;
  readonly owner: JournalOwner;
  readonly startedAt: string;
  readonly updatedAt: string;
};

type RecordOf<Op extends OperationRecord['op']> = Extract<OperationRecord, { readonly op: Op }>;
type Changes<R extends OperationRecord> = Partial<Omit<R, 'op'>>;

/** One open operation: `advance` at each step boundary, `end` when it is complete (or fully undone). */
export interface JournalHandle<R extends OperationRecord> {
  advance(changes: Changes<R>): Promise<void>;
  end(): Promise<void>;
}

export const currentOwner = (): JournalOwner => ({ host: os.hostname(), pid: process.pid });

const STEPS: { readonly [Op in OperationRecord['op']]: readonly string[] } = {
  generate: ['generating', 'generated'],
  rotate: ['generating', 'generated', 'stored', 'switching', 'revokingOld', 'revokedOld'],
  revoke: ['revoking', 'revoked'],
  removeConnection: ['removing'],
  bind: ['writing'],
};

/** An entry as this version writes it; anything else (hand-edited, from a future version) is ignored. */
export function isJournalEntry(value: unknown): value is JournalEntry {
  const entry = value as Record<string, unknown> | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'string' || typeof entry.startedAt !== 'string' || typeof entry.updatedAt !== 'string') return false;
  const owner = entry.owner as Partial<JournalOwner> | undefined;
  if (typeof owner?.host !== 'string' || typeof owner.pid !== 'number') return false;
  if (typeof entry.op !== 'string' || !Object.hasOwn(STEPS, entry.op) || !STEPS[entry.op as OperationRecord['op']].includes(entry.step as string)) return false;
  if (entry.forLogin !== undefined && typeof entry.forLogin !== 'string') return false;
  switch (entry.op) {
    case 'generate':
    case 'revoke':
      return isTokenRef(entry.ref);
    case 'rotate':
      return (
        isTokenRef(entry.old) &&
        typeof entry.newName === 'string' &&
        Array.isArray(entry.bindingIds) &&
        entry.bindingIds.every((id) => typeof id === 'string') &&
        (entry.replacement === undefined || isTokenRef(entry.replacement))
      );
    case 'removeConnection':
      return typeof entry.connectionId === 'string';
    case 'bind':
      return isBindingRecord(entry.binding);
    default:
      return false;
  }
}

/** True when globalState holds any entry: activation checks this without loading the recovery code. */
export function hasJournalEntries(state: KeyValueStore): boolean {
  const stored = state.get<unknown>(JOURNAL_STATE_KEY);
  return Array.isArray(stored) && stored.length > 0;
}

export class OperationJournal {
  constructor(
    private readonly state: KeyValueStore,
    private readonly owner: JournalOwner = currentOwner(),
    private readonly clock: Clock = systemClock,
    private readonly logger: Logger = silentLogger,
  ) {}

  list(): JournalEntry[] {
    const stored = this.state.get<unknown>(JOURNAL_STATE_KEY);
    if (!Array.isArray(stored)) return [];
    return stored.filter((entry, index): entry is JournalEntry => {
      const valid = isJournalEntry(entry);
      if (!valid) this.logger.warn(`[journal] ignoring entry #${index}: not a valid record`);
      return valid;
    });
  }

  /** Records that an operation starts; its first step is in `record`. */
  async begin<Op extends OperationRecord['op']>(record: RecordOf<Op>): Promise<JournalHandle<RecordOf<Op>>> {
    const now = this.clock.now().toISOString();
    const id = randomUUID();
    await this.write((entries) => [...entries, { ...record, id, owner: this.owner, startedAt: now, updatedAt: now } as JournalEntry]);
    return {
      advance: (changes) => this.update(id, changes as Changes<OperationRecord>),
      end: () => this.remove(id),
    };
  }

  async update(id: string, changes: Changes<OperationRecord>): Promise<void> {
    const updatedAt = this.clock.now().toISOString();
    await this.write((entries) => entries.map((entry) => (entry.id === id ? ({ ...entry, ...changes, updatedAt } as JournalEntry) : entry)));
  }

  async remove(id: string): Promise<void> {
    await this.write((entries) => entries.filter((entry) => entry.id !== id));
  }

  /**
   * The journal is a safety net: when globalState cannot be written the operation still runs, it is only not
   * recoverable, so a failed write is logged instead of failing what the person asked for.
   */
  private async write(change: (entries: JournalEntry[]) => JournalEntry[]): Promise<void> {
    try {
      const next = change(this.list());
      await this.state.update(JOURNAL_STATE_KEY, next.length > 0 ? next : undefined);
    } catch (error) {
      this.logger.warn(`[journal] could not record a step: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

// At activation: finish or roll back what a killed extension host left in the journal, then tell the person once.
// A token whose value was lost, or whose revoke never reached the server, is the person's to decide: revoke or keep.
import type { ConnectionStore, ConnectionRecord } from '../connections/connectionStore';
import type { Prompter } from '../flows/prompter';
import { describeSonarError, errorSummary } from '../flows/describeError';
import { removeConnectionData } from '../flows/removeConnection';
import { signInRefused } from '../flows/revokeToken';
import type { Clock, Logger, Translate } from '../ports';
import { sameTokenRef } from '../secrets/keys';
import type { TokenRef } from '../secrets/keys';
import type { TokenApi } from '../sonar/types';
import type { BindingRecord, BindingStore } from '../tokens/bindingStore';
import type { TokenVault } from '../tokens/heldTokens';
import type { BindRecord, GenerateRecord, JournalEntry, JournalOwner, OperationJournal, RemoveConnectionRecord, RevokeRecord, RotateRecord } from './journal';
import { currentOwner } from './journal';
import { PRODUCT } from '../productNames';

/** What recovery does to bindings: the same effects as unbind and rotation. */
export interface RecoveryBindings {
  readonly store: BindingStore;
  /** Removes what the binding wrote, then its record. */
  remove(binding: BindingRecord): Promise<void>;
  /** Takes back what an interrupted bind wrote, whose record was never stored: unbind's effects without the record. */
  undoBind(binding: BindingRecord): Promise<void>;
  /** Points the binding at `to`: its record and, for a plain-text file, the value in the file. */
  switchToken(binding: BindingRecord, to: TokenRef): Promise<void>;
}

export interface RecoveryDeps {
  readonly journal: OperationJournal;
  readonly vault: TokenVault;
  readonly connections: ConnectionStore;
  readonly bindings: RecoveryBindings;
  readonly apiFor: (connectionId: string) => Promise<TokenApi>;
  readonly prompter: Prompter;
  readonly t: Translate;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Whether the extension host that wrote an entry is gone (default: `ownerGone`). */
  readonly isAbandoned?: (entry: JournalEntry, now: Date) => boolean;
}

/** An entry of another machine's extension host (remote window) counts as abandoned after this long. */
export const FOREIGN_ENTRY_TIMEOUT_MS = 60 * 60 * 1000;

/** True when the process is running (signal 0 only checks; EPERM means it runs under another user). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another window's live extension host may be in the middle of this very operation: leave it alone. */
export function ownerGone(entry: JournalEntry, now: Date, here: JournalOwner = currentOwner(), running: (pid: number) => boolean = processRunning): boolean {
  if (entry.owner.host !== here.host) return now.getTime() - Date.parse(entry.updatedAt) > FOREIGN_ENTRY_TIMEOUT_MS;
  return entry.owner.pid !== here.pid && !running(entry.owner.pid);
}

/** A token for the person to decide on: revoke it or keep it. */
interface Decision {
  readonly entry: JournalEntry;
  readonly connection: ConnectionRecord;
  readonly ref: TokenRef;
  readonly forLogin?: string;
}

type Outcome = { readonly message: string; readonly decision?: Decision; readonly failed?: boolean };

export interface RecoverySummary {
  /** Entries finished or rolled back. */
  readonly resolved: number;
  /** Entries left for the next start: the person did not answer, or the server could not be reached. */
  readonly pending: number;
}

export async function recoverOperations(deps: RecoveryDeps): Promise<RecoverySummary> {
  const { t, prompter, logger, journal } = deps;
  const now = deps.clock.now();
  const isAbandoned = deps.isAbandoned ?? ownerGone;
  const entries = journal.list().filter((entry) => isAbandoned(entry, now));
  if (entries.length === 0) return { resolved: 0, pending: 0 };
  logger.info(`[recovery] ${entries.length} interrupted operation${entries.length === 1 ? '' : 's'}: ${entries.map((entry) => `${entry.op} at ${entry.step}`).join(', ')}`);

  const outcomes: Outcome[] = [];
  for (const entry of entries) {
    const connection = deps.connections.get(connectionIdOf(entry));
    if (!connection) {
      // The connection's record goes last when it is removed, after its values and bindings: nothing is left.
      await journal.remove(entry.id);
      continue;
    }
    try {
      const outcome = await recoverEntry(deps, entry, connection);
      if (!outcome.decision) await journal.remove(entry.id);
      outcomes.push(outcome);
    } catch (error) {
      logger.warn(`[recovery] ${entry.op} at ${entry.step} could not be repaired: ${errorSummary(error)}`);
      outcomes.push({ message: t('{0} on {1} could not be repaired now; this is tried again at the next start.', operationName(entry, t), connection.label), failed: true });
    }
  }
  if (outcomes.length === 0) return { resolved: entries.length, pending: 0 };

  const decisions = outcomes.flatMap((outcome) => (outcome.decision ? [outcome.decision] : []));
  const text = [t({ message: '{0} was closed in the middle of an operation.', comment: ['{0} is the name of this extension, SonarQube Tokens.'] }, PRODUCT.sonarQubeTokens), ...outcomes.map((outcome) => outcome.message)].join(' ');
  const failed = outcomes.filter((outcome) => outcome.failed).length;
  if (decisions.length === 0) {
    void (failed > 0 ? prompter.warn(text) : prompter.info(text));
    return { resolved: entries.length - failed, pending: failed };
  }
  const revoke = decisions.length === 1 ? t('Revoke') : t('Revoke All');
  const keep = t('Keep');
  const answer = await prompter.warn(text, revoke, keep);
  let unresolved = decisions.length;
  if (answer === keep) {
    for (const decision of decisions) await journal.remove(decision.entry.id);
    unresolved = 0;
  }
  if (answer === revoke) {
    for (const decision of decisions) {
      if (await revokeDecided(deps, decision)) unresolved--;
    }
  }
  return { resolved: entries.length - failed - unresolved, pending: failed + unresolved };
}

function connectionIdOf(entry: JournalEntry): string {
  if (entry.op === 'removeConnection') return entry.connectionId;
  if (entry.op === 'bind') return entry.binding.token.connectionId;
  return (entry.op === 'rotate' ? entry.old : entry.ref).connectionId;
}

function operationName(entry: JournalEntry, t: Translate): string {
  switch (entry.op) {
    case 'generate':
      return t('Generating token {0}', entry.ref.name);
    case 'rotate':
      return t('Rotating token {0}', entry.old.name);
    case 'revoke':
      return t('Revoking token {0}', entry.ref.name);
    case 'removeConnection':
      return t('Removing the connection');
    case 'bind':
      return t('Binding token {0}', entry.binding.token.name);
  }
}

function recoverEntry(deps: RecoveryDeps, entry: JournalEntry, connection: ConnectionRecord): Promise<Outcome> {
  switch (entry.op) {
    case 'generate':
      return recoverGenerate(deps, entry, connection);
    case 'rotate':
      return recoverRotate(deps, entry, connection);
    case 'revoke':
      return recoverRevoke(deps, entry, connection);
    case 'removeConnection':
      return recoverRemoveConnection(deps, entry, connection);
    case 'bind':
      return recoverBind(deps, entry);
  }
}

/** The record is the bind's last write: with it the bind is complete; without it, what was written is taken back. */
async function recoverBind(deps: RecoveryDeps, entry: JournalEntry & BindRecord): Promise<Outcome> {
  const { t } = deps;
  const { binding } = entry;
  if (deps.bindings.store.get(binding.id)) return { message: t('Binding token {0} was finished.', binding.token.name) };
  await deps.bindings.undoBind(binding);
  return { message: t('Binding token {0} was not finished, and what it had written is taken back: bind it again.', binding.token.name) };
}

/** The person confirmed the removal: finish it. */
async function recoverRemoveConnection(deps: RecoveryDeps, entry: JournalEntry & RemoveConnectionRecord, connection: ConnectionRecord): Promise<Outcome> {
  await removeConnectionData({ vault: deps.vault, connections: deps.connections, removeBindings: (id) => removeAll(deps, deps.bindings.store.forConnection(id)) }, entry.connectionId);
  return { message: deps.t('The connection to {0} was removed from this computer, with its token values and bindings.', connection.label) };
}

async function removeAll(deps: RecoveryDeps, bindings: readonly BindingRecord[]): Promise<void> {
  for (const binding of bindings) await deps.bindings.remove(binding);
}

async function listed(deps: RecoveryDeps, ref: TokenRef, forLogin: string | undefined): Promise<boolean> {
  const api = await deps.apiFor(ref.connectionId);
  return (await api.searchTokens(forLogin)).tokens.some((token) => token.name === ref.name);
}

async function recoverGenerate(deps: RecoveryDeps, entry: JournalEntry & GenerateRecord, connection: ConnectionRecord): Promise<Outcome> {
  const { t, vault } = deps;
  if ((await vault.read(entry.ref)) !== undefined) {
    // The value reached secure storage; only the index entry written after it may be missing.
    await vault.index.add(entry.ref);
    return { message: t('Token {0} was generated on {1} and is kept in secure storage.', entry.ref.name, connection.label) };
  }
  if (!(await listed(deps, entry.ref, entry.forLogin))) {
    return { message: t('Token {0} was not generated on {1}: generate it again if you need it.', entry.ref.name, connection.label) };
  }
  return {
    message: t('Token {0} was generated on {1}, but its value was lost before it reached secure storage and cannot be shown again. Revoke it?', entry.ref.name, connection.label),
    decision: { entry, connection, ref: entry.ref, forLogin: entry.forLogin },
  };
}

async function recoverRevoke(deps: RecoveryDeps, entry: JournalEntry & RevokeRecord, connection: ConnectionRecord): Promise<Outcome> {
  const { t } = deps;
  if (entry.step === 'revoking' && (await listed(deps, entry.ref, entry.forLogin))) {
    return {
      message: t('Token {0} on {1} was not revoked: the server never got the request, so it is still valid. Revoke it?', entry.ref.name, connection.label),
      decision: { entry, connection, ref: entry.ref, forLogin: entry.forLogin },
    };
  }
  // The server revoked it (and, since listing still works, it was not the sign-in token when `signedOut` is unknown).
  await forgetRevoked(deps, entry.ref, entry.signedOut === true);
  return { message: t('Token {0} was revoked on {1}; its value and bindings are removed now.', entry.ref.name, connection.label) };
}

/** A revoked value is useless: delete it, its sign-in use, and every binding of it. */
async function forgetRevoked(deps: RecoveryDeps, ref: TokenRef, signedOut: boolean): Promise<void> {
  await deps.vault.delete(ref);
  if (signedOut) await deps.vault.deleteSignIn(ref.connectionId);
  await removeAll(deps, deps.bindings.store.forToken(ref));
}

async function revokeDecided(deps: RecoveryDeps, decision: Decision): Promise<boolean> {
  const { t, logger, prompter } = deps;
  const { ref, forLogin, connection } = decision;
  try {
    const api = await deps.apiFor(ref.connectionId);
    await api.revokeToken({ name: ref.name, ...(forLogin !== undefined ? { login: forLogin } : {}) });
    logger.info(`[recovery] revoked "${ref.name}" on ${connection.label}`);
    await forgetRevoked(deps, ref, forLogin === undefined && (await signInRefused({ api })));
    await deps.journal.remove(decision.entry.id);
    return true;
  } catch (error) {
    logger.warn(`[recovery] revoking "${ref.name}" failed: ${errorSummary(error)}`);
    void prompter.error(t('Token {0} could not be revoked on {1}: {2} You are asked again at the next start.', ref.name, connection.label, describeSonarError(error, connection.label, t)));
    return false;
  }
}

async function recoverRotate(deps: RecoveryDeps, entry: JournalEntry & RotateRecord, connection: ConnectionRecord): Promise<Outcome> {
  const { t } = deps;
  // The server decides, not the step alone: a step written just before a power loss may be missing.
  const oldRevoked = entry.step === 'revokedOld' || (entry.replacement !== undefined && !(await listed(deps, entry.old, entry.forLogin)));
  if (oldRevoked && entry.replacement) {
    await switchBindings(deps, entry, entry.replacement);
    await deps.vault.delete(entry.old);
    return { message: t('Rotating token {0} on {1} was finished: {2} replaces it everywhere it was bound.', entry.old.name, connection.label, entry.replacement.name) };
  }
  // Not revoked yet: undo, so that the old token stays valid and bound and no replacement is left behind.
  if (entry.replacement) await switchBindings(deps, entry, entry.old);
  const replacement = entry.replacement ?? { connectionId: entry.old.connectionId, login: entry.old.login, name: entry.newName };
  if (await listed(deps, replacement, entry.forLogin)) {
    const api = await deps.apiFor(replacement.connectionId);
    await api.revokeToken({ name: replacement.name, ...(entry.forLogin !== undefined ? { login: entry.forLogin } : {}) });
  }
  await deps.vault.delete(replacement);
  return { message: t('Rotating token {0} on {1} was undone: {0} is still valid and bound. Rotate it again.', entry.old.name, connection.label) };
}

/** Every binding the rotation covered points at `to` afterwards, value included, whatever step it had reached. */
async function switchBindings(deps: RecoveryDeps, entry: RotateRecord, to: TokenRef): Promise<void> {
  for (const id of entry.bindingIds) {
    const binding = deps.bindings.store.get(id);
    if (!binding) continue;
    // A plain-text file or a launcher's credential-store entry may hold the other value whatever the record says.
    const holdsValue = binding.kind === 'mcp' && (binding.plainText === true || binding.launcher === true);
    if (holdsValue || !sameTokenRef(binding.token, to)) await deps.bindings.switchToken(binding, to);
  }
}

// Which token values this extension holds. The index is non-secret (globalState) so the tree never reads a secret;
// the values live only in SecretStorage. Writes go secret first, index second, so the index never claims a value
// that was not stored; deletes go secret first too, so a failed delete leaves the index pointing at the value.
import { silentLogger } from '../ports';
import type { KeyValueStore, Logger, SecretStore } from '../ports';
import { isTokenRef, sameTokenRef, signInSecretKey, tokenRef, tokenSecretKey } from '../secrets/keys';
import type { TokenRef } from '../secrets/keys';
import { Emitter } from '../util/emitter';
import { isErrorNamed } from '../util/namedError';

export const HELD_TOKENS_STATE_KEY = 'sonarqubeTokens.heldTokens';

/** The non-secret list of held tokens. */
export class HeldTokens {
  private readonly changed = new Emitter<readonly TokenRef[]>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: KeyValueStore, private readonly logger: Logger = silentLogger) {}

  list(): TokenRef[] {
    const stored = this.state.get<unknown>(HELD_TOKENS_STATE_KEY);
    if (stored === undefined) return [];
    if (!Array.isArray(stored)) {
      this.logger.warn('[heldTokens] ignoring the stored index: not a list');
      return [];
    }
    const valid = stored.filter(isTokenRef);
    if (valid.length !== stored.length) this.logger.warn(`[heldTokens] ignoring ${stored.length - valid.length} invalid entries`);
    return valid.map(tokenRef);
  }

  listFor(connectionId: string): TokenRef[] {
    return this.list().filter((ref) => ref.connectionId === connectionId);
  }

  has(ref: TokenRef): boolean {
    return this.list().some((held) => sameTokenRef(held, ref));
  }

  async add(ref: TokenRef): Promise<void> {
    const refs = this.list();
    if (refs.some((held) => sameTokenRef(held, ref))) return;
    await this.save([...refs, tokenRef(ref)]);
  }

  async remove(ref: TokenRef): Promise<void> {
    const refs = this.list();
    const remaining = refs.filter((held) => !sameTokenRef(held, ref));
    if (remaining.length !== refs.length) await this.save(remaining);
  }

  private async save(refs: readonly TokenRef[]): Promise<void> {
    await this.state.update(HELD_TOKENS_STATE_KEY, refs);
    this.changed.fire(refs);
  }
}

/** SecretStorage could not be read or written (locked keychain, broken backend): not the same as "not held". */
export class SecretStoreError extends Error {
  constructor(readonly operation: 'read' | 'store' | 'delete', cause: unknown) {
    super(`Secure storage failed to ${operation} a secret: ${describeCause(cause)}`, { cause });
    this.name = 'SecretStoreError';
  }
}

export function isSecretStoreError(error: unknown): error is SecretStoreError {
  return isErrorNamed(error, 'SecretStoreError') && 'operation' in error;
}

/** Only the error's class and message: a secret store's error object is not ours to serialise. */
function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : 'unknown error';
}

async function guarded<T>(operation: SecretStoreError['operation'], action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new SecretStoreError(operation, error);
  }
}

/** Token values in SecretStorage, kept in step with the `HeldTokens` index. */
export class TokenVault {
  constructor(private readonly secrets: SecretStore, readonly index: HeldTokens) {}

  /** Stores the value, then records it as held. */
  async store(ref: TokenRef, value: string): Promise<void> {
    await guarded('store', () => this.secrets.store(tokenSecretKey(ref), value));
    await this.index.add(ref);
  }

  /** The value, or undefined when it is not in secure storage; throws `SecretStoreError` when storage fails. */
  read(ref: TokenRef): Promise<string | undefined> {
    return guarded('read', () => this.secrets.get(tokenSecretKey(ref)));
  }

  /** Deletes the value, then drops it from the index. Deleting a value that is not held is fine. */
  async delete(ref: TokenRef): Promise<void> {
    await guarded('delete', () => this.secrets.delete(tokenSecretKey(ref)));
    await this.index.remove(ref);
  }

  /** Deletes every held value of a connection (when the connection is removed) and its sign-in token. */
  async deleteConnection(connectionId: string): Promise<void> {
    for (const ref of this.index.listFor(connectionId)) await this.delete(ref);
    await this.deleteSignIn(connectionId);
  }

  storeSignIn(connectionId: string, value: string): Promise<void> {
    return guarded('store', () => this.secrets.store(signInSecretKey(connectionId), value));
  }

  readSignIn(connectionId: string): Promise<string | undefined> {
    return guarded('read', () => this.secrets.get(signInSecretKey(connectionId)));
  }

  deleteSignIn(connectionId: string): Promise<void> {
    return guarded('delete', () => this.secrets.delete(signInSecretKey(connectionId)));
  }
}

import type { CredentialStore, CredentialStoreStatus } from '../../../src/core/credentials/credentialStore';

/** The OS credential store in a Map; `unavailable` plays a machine without one, `failing` a locked keychain. */
export class MemoryCredentialStore implements CredentialStore {
  readonly values = new Map<string, string>();
  readonly failing = new Set<'get' | 'set' | 'delete'>();
  unavailable: string | undefined;

  private check(operation: 'get' | 'set' | 'delete'): void {
    if (this.unavailable !== undefined) throw new Error(this.unavailable);
    if (this.failing.has(operation)) throw new Error(`credential store is locked (${operation})`);
  }

  async probe(): Promise<CredentialStoreStatus> {
    return this.unavailable === undefined ? { available: true } : { available: false, reason: this.unavailable };
  }

  async get(account: string): Promise<string | undefined> {
    this.check('get');
    return this.values.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.check('set');
    this.values.set(account, secret);
  }

  async delete(account: string): Promise<void> {
    this.check('delete');
    this.values.delete(account);
  }
}

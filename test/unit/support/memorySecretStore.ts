import type { SecretStore } from '../../../src/core/ports';

/** SecretStorage in a Map; `failing` makes the named operations throw, like a locked keychain. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  readonly failing = new Set<'get' | 'store' | 'delete'>();

  private check(operation: 'get' | 'store' | 'delete'): void {
    if (this.failing.has(operation)) throw new Error(`keychain is locked (${operation})`);
  }

  async get(key: string): Promise<string | undefined> {
    this.check('get');
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.check('store');
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.check('delete');
    this.values.delete(key);
  }
}

export function memorySecretStore(): MemorySecretStore {
  return new MemorySecretStore();
}

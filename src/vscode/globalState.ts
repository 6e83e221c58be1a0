import type * as vscode from 'vscode';
import type { KeyValueStore } from '../core/ports';

/** Connection and binding metadata: not secret, so it may live in globalState and follow Settings Sync. */
export class GlobalStateStore implements KeyValueStore {
  constructor(private readonly memento: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {}

  get<T>(key: string): T | undefined {
    return this.memento.get<T>(key);
  }

  update(key: string, value: unknown): Promise<void> {
    return Promise.resolve(this.memento.update(key, value));
  }

  syncKeys(keys: readonly string[]): void {
    this.memento.setKeysForSync(keys);
  }
}

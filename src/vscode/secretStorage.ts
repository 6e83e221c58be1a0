import type * as vscode from 'vscode';
import type { SecretStore } from '../core/ports';
import { SECRET_PREFIX } from '../core/secrets/keys';

/**
 * SecretStorage as the core's SecretStore. Failures are passed on, never read as "no secret":
 * a locked or broken keychain must not look like a token that is not held.
 */
export class VsCodeSecretStore implements SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(key));
  }

  store(key: string, value: string): Promise<void> {
    return Promise.resolve(this.secrets.store(key, value));
  }

  delete(key: string): Promise<void> {
    return Promise.resolve(this.secrets.delete(key));
  }

  /** Fires for changes to this extension's keys only, also those made by another window. */
  onDidChange(listener: (key: string) => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key.startsWith(SECRET_PREFIX)) listener(event.key);
    });
  }
}

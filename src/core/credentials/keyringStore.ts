// The real credential store: @napi-rs/keyring's native module (macOS Keychain, Windows Credential Manager, Linux Secret
// Service). The module is loaded on first use through an injected loader, so an install without the binary (the
// universal VSIX, an unknown platform) reports the store as unavailable instead of failing to activate.
import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import { CREDENTIAL_SERVICE } from './credentialStore';
import type { CredentialStore, CredentialStoreStatus } from './credentialStore';

/** The part of @napi-rs/keyring used here. `AsyncEntry` runs on a worker thread: a keychain prompt never blocks the caller. */
export interface NativeKeyring {
  AsyncEntry: new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => NativeKeyringEntry;
}

export interface NativeKeyringEntry {
  setPassword(password: string): Promise<void>;
  /** Null when there is no entry. */
  getPassword(): Promise<string | null>;
  /** False when there was nothing to delete. */
  deletePassword(): Promise<boolean>;
}

/** Loads the native module; throws when this install has none for the platform. */
export type NativeKeyringLoader = () => NativeKeyring;

/** The account the probe writes and deletes again: it never names a binding and holds no secret. */
export const PROBE_ACCOUNT = 'probe';
const PROBE_VALUE = 'sonarqube-tokens probe';
/**
 * Linux: the Secret Service only. keyring-rs would otherwise fall back to the kernel keyring, which lives only as long
 * as the login session and is not shared with an MCP client started from another one: the entry would seem to work.
 */
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

export type CredentialStoreFailure = 'missingLibrary' | 'unavailable' | 'locked' | 'failed';

export const CREDENTIAL_STORE_ERROR = 'CredentialStoreError';

/** A store operation that failed; `message` is a plain sentence for the user and never holds a value. */
export class CredentialStoreError extends Error {
  constructor(
    readonly failure: CredentialStoreFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = CREDENTIAL_STORE_ERROR;
  }
}

export interface KeyringStoreOptions {
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
  readonly t?: Translate;
}

export class KeyringCredentialStore implements CredentialStore {
  private loaded: { keyring: NativeKeyring } | { error: CredentialStoreError } | undefined;
  private readonly platform: NodeJS.Platform;
  private readonly arch: string;
  private readonly t: Translate;

  constructor(
    private readonly load: NativeKeyringLoader,
    options: KeyringStoreOptions = {},
  ) {
    this.platform = options.platform ?? process.platform;
    this.arch = options.arch ?? process.arch;
    this.t = options.t ?? englishMessage;
  }

  async probe(): Promise<CredentialStoreStatus> {
    // A write, not a read: a locked keyring answers a read of a missing entry, and the bind that follows writes.
    try {
      await this.set(PROBE_ACCOUNT, PROBE_VALUE);
      await this.delete(PROBE_ACCOUNT);
      return { available: true };
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
  }

  get(account: string): Promise<string | undefined> {
    return this.run(account, async (entry) => (await entry.getPassword()) ?? undefined);
  }

  set(account: string, secret: string): Promise<void> {
    return this.run(account, (entry) => entry.setPassword(secret));
  }

  async delete(account: string): Promise<void> {
    await this.run(account, (entry) => entry.deletePassword());
  }

  private async run<T>(account: string, operation: (entry: NativeKeyringEntry) => Promise<T>): Promise<T> {
    const keyring = this.keyring();
    try {
      // The constructor too fails when there is no session bus.
      return await operation(new keyring.AsyncEntry(CREDENTIAL_SERVICE, account, ENTRY_OPTIONS));
    } catch (error) {
      throw this.describe(error);
    }
  }

  private keyring(): NativeKeyring {
    if (!this.loaded) {
      try {
        this.loaded = { keyring: this.load() };
      } catch (error) {
        const message = this.t('This installation of the extension has no credential-store library for {0}-{1}: install the extension built for this platform.', this.platform, this.arch);
        this.loaded = { error: new CredentialStoreError('missingLibrary', message, { cause: error }) };
      }
    }
    if ('error' in this.loaded) throw this.loaded.error;
    return this.loaded.keyring;
  }

  /** keyring-rs errors ("Couldn't access platform storage: AccessDenied", "Platform failure: DBus error: …") in plain words. */
  private describe(error: unknown): CredentialStoreError {
    const detail = error instanceof Error ? error.message : String(error);
    if (/locked|unlock|prompt was dismissed|No storage access/i.test(detail)) {
      return new CredentialStoreError('locked', this.t('The credential store is locked: unlock it (on Linux, the login keyring), then restart the MCP server.'), { cause: error });
    }
    if (/Couldn't access platform storage|Platform failure|DBus error/i.test(detail)) {
      const message =
        this.platform === 'linux'
          ? this.t('No Secret Service (such as GNOME Keyring or KWallet) is running on this machine, as is usual on remote, container and WSL hosts.')
          : this.t("The operating system's credential store cannot be reached ({0}).", detail);
      return new CredentialStoreError('unavailable', message, { cause: error });
    }
    return new CredentialStoreError('failed', this.t('The credential store failed: {0}.', detail), { cause: error });
  }
}

// The credential store over a stand-in for @napi-rs/keyring: where each entry is filed, what the probe writes, and
// the words and cause of each failure the native module can report.
import * as assert from 'node:assert/strict';
import { mcpCredentialAccount } from '../../../src/core/credentials/credentialStore';
import { CredentialStoreError, KeyringCredentialStore } from '../../../src/core/credentials/keyringStore';
import type { NativeKeyring } from '../../../src/core/credentials/keyringStore';
import { freshTokenValue } from '../support/fakeTokenApi';

interface FakeKeyring {
  readonly keyring: NativeKeyring;
  /** Every call, with the service, account and options of its entry. */
  readonly calls: unknown[];
  readonly values: Map<string, string>;
}

/** A keyring in memory; `failure`, when given, is what every entry operation (or, `atEntry`, the entry's constructor) throws. */
function fakeKeyring(failure?: unknown, atEntry = false): FakeKeyring {
  const calls: unknown[] = [];
  const values = new Map<string, string>();
  const fail = (): never => {
    throw failure;
  };
  class AsyncEntry {
    constructor(
      private readonly service: string,
      private readonly account: string,
      private readonly options?: unknown,
    ) {
      if (failure !== undefined && atEntry) fail();
    }
    private record(call: string, ...args: unknown[]): void {
      calls.push([call, this.service, this.account, this.options, ...args]);
      if (failure !== undefined) fail();
    }
    async setPassword(password: string): Promise<void> {
      this.record('set', password);
      values.set(this.account, password);
    }
    async getPassword(): Promise<string | null> {
      this.record('get');
      return values.get(this.account) ?? null;
    }
    async deletePassword(): Promise<boolean> {
      this.record('delete');
      return values.delete(this.account);
    }
  }
  return { keyring: { AsyncEntry }, calls, values };
}

const secretServiceOnly = { linux: { store: 'secret-service' } };

describe('credential store over the native module', () => {
  it('files each entry under the service and the binding account, on Linux in the Secret Service only', async () => {
    const fake = fakeKeyring();
    const store = new KeyringCredentialStore(() => fake.keyring);
    const value = freshTokenValue();
    const account = mcpCredentialAccount('b1');
    await store.set(account, value);
    assert.equal(await store.get(account), value);
    await store.delete(account);
    assert.equal(await store.get(account), undefined, 'a missing entry reads as undefined, not null');
    assert.deepEqual(fake.calls, [
      ['set', 'sonarqube-tokens', 'mcp-binding:b1', secretServiceOnly, value],
      ['get', 'sonarqube-tokens', 'mcp-binding:b1', secretServiceOnly],
      ['delete', 'sonarqube-tokens', 'mcp-binding:b1', secretServiceOnly],
      ['get', 'sonarqube-tokens', 'mcp-binding:b1', secretServiceOnly],
    ]);
  });

  it('probes by writing and deleting an entry that names no binding and holds no secret', async () => {
    const fake = fakeKeyring();
    assert.deepEqual(await new KeyringCredentialStore(() => fake.keyring).probe(), { available: true });
    assert.deepEqual(fake.calls, [
      ['set', 'sonarqube-tokens', 'probe', secretServiceOnly, 'sonarqube-tokens probe'],
      ['delete', 'sonarqube-tokens', 'probe', secretServiceOnly],
    ]);
    assert.equal(fake.values.size, 0);
  });

  it('names this platform when no library was installed for it, with the loader\'s error as the cause', async () => {
    const missing = new Error("Cannot find module './keyring.node'");
    const store = new KeyringCredentialStore(() => {
      throw missing;
    });
    await assert.rejects(store.set('a', 'b'), (error: unknown) => {
      assert.ok(error instanceof CredentialStoreError);
      assert.equal(error.failure, 'missingLibrary');
      assert.equal(error.message, `This installation of the extension has no credential-store library for ${process.platform}-${process.arch}: install the extension built for this platform.`);
      assert.equal(error.cause, missing);
      return true;
    });
  });

  const locked = ['Secret Service: the collection is Locked', 'unlock failed', 'Platform failure: prompt was dismissed', 'No storage access', 'NO STORAGE ACCESS'];
  for (const detail of locked) {
    it(`words "${detail}" as a locked store, with the native error as the cause`, async () => {
      const native = new Error(detail);
      const store = new KeyringCredentialStore(() => fakeKeyring(native).keyring, { platform: 'linux' });
      await assert.rejects(store.get('a'), (error: unknown) => {
        assert.ok(error instanceof CredentialStoreError);
        assert.deepEqual([error.failure, error.message, error.cause], ['locked', 'The credential store is locked: unlock it (on Linux, the login keyring), then restart the MCP server.', native]);
        return true;
      });
    });
  }

  const unreachable = ["Couldn't access platform storage: errSecNotAvailable", 'Platform failure: no backend', 'DBus error: org.freedesktop.DBus.Error.ServiceUnknown', 'dbus ERROR: timeout'];
  for (const detail of unreachable) {
    it(`words "${detail}" as an unreachable store: no Secret Service on Linux, the error elsewhere`, async () => {
      const native = new Error(detail);
      for (const [platform, message] of [
        ['linux', 'No Secret Service (such as GNOME Keyring or KWallet) is running on this machine, as is usual on remote, container and WSL hosts.'],
        ['win32', `The operating system's credential store cannot be reached (${detail}).`],
      ] as const) {
        const store = new KeyringCredentialStore(() => fakeKeyring(native).keyring, { platform });
        await assert.rejects(store.set('a', 'b'), (error: unknown) => {
          assert.ok(error instanceof CredentialStoreError);
          assert.deepEqual([error.failure, error.message, error.cause], ['unavailable', message, native]);
          return true;
        });
      }
    });
  }

  it('words an entry that cannot even be made (no session bus) like a failed operation', async () => {
    const native = new Error('Platform failure: DBus error: no session bus');
    const store = new KeyringCredentialStore(() => fakeKeyring(native, true).keyring, { platform: 'linux' });
    assert.deepEqual(await store.probe(), { available: false, reason: 'No Secret Service (such as GNOME Keyring or KWallet) is running on this machine, as is usual on remote, container and WSL hosts.' });
  });

  it('passes any other error through as a plain failure naming it, whatever was thrown', async () => {
    const native = new Error('Ambiguous: 2 credentials match');
    await assert.rejects(new KeyringCredentialStore(() => fakeKeyring(native).keyring).delete('a'), (error: unknown) => {
      assert.ok(error instanceof CredentialStoreError);
      assert.deepEqual([error.failure, error.message, error.cause], ['failed', 'The credential store failed: Ambiguous: 2 credentials match.', native]);
      return true;
    });
    await assert.rejects(new KeyringCredentialStore(() => fakeKeyring('bad entry').keyring).get('a'), (error: unknown) => {
      assert.ok(error instanceof CredentialStoreError);
      assert.deepEqual([error.failure, error.message, error.cause], ['failed', 'The credential store failed: bad entry.', 'bad entry']);
      return true;
    });
  });
});

// The credential store over @napi-rs/keyring, against a real Secret Service (gnome-keyring in a private D-Bus session)
// and, for the failures a desktop shows rarely, against the native module replaced by one that throws its errors.
import * as assert from 'node:assert/strict';
import { CREDENTIAL_SERVICE, mcpCredentialAccount } from '../../../src/core/credentials/credentialStore';
import { CredentialStoreError, KeyringCredentialStore, PROBE_ACCOUNT } from '../../../src/core/credentials/keyringStore';
import type { NativeKeyring, NativeKeyringEntry } from '../../../src/core/credentials/keyringStore';
import { freshTokenValue } from '../support/fakeTokenApi';
import { buildLauncher } from '../support/launcherBuild';
import type { LauncherBuild } from '../support/launcherBuild';
import { keyringSessionFor } from '../support/keyringSession';
import type { KeyringSession } from '../support/keyringSession';

describe('credential store (OS keyring)', () => {
  let build: LauncherBuild;
  const loadHostKeyring = () => build.loadKeyring();
  before(function () {
    this.timeout(30_000);
    build = buildLauncher();
  });
  after(() => build?.remove());

  describe('with a Secret Service', () => {
    let session: KeyringSession;
    let store: KeyringCredentialStore;
    before(async function () {
      session = await keyringSessionFor(this);
      session.enter();
      store = new KeyringCredentialStore(loadHostKeyring);
    });
    after(async () => session?.stop());

    it('is available, and the probe leaves no entry behind', async () => {
      assert.deepEqual(await store.probe(), { available: true });
      assert.equal(await store.get(PROBE_ACCOUNT), undefined);
    });

    it('stores, reads back, replaces and deletes a token under the service and the binding account', async () => {
      const account = mcpCredentialAccount('b-store');
      const first = freshTokenValue();
      const second = freshTokenValue();
      assert.equal(await store.get(account), undefined);
      await store.set(account, first);
      assert.equal(await store.get(account), first);
      // Filed under the service and account the launcher reads, as any other program would find it.
      assert.equal(await new (loadHostKeyring().AsyncEntry)(CREDENTIAL_SERVICE, 'mcp-binding:b-store').getPassword(), first);
      await store.set(account, second);
      assert.equal(await store.get(account), second);
      await store.delete(account);
      assert.equal(await store.get(account), undefined);
      await store.delete(account); // deleting what is not there is not an error
    });
  });

  describe('without a Secret Service', () => {
    let previous: string | undefined;
    before(() => {
      previous = process.env.DBUS_SESSION_BUS_ADDRESS;
      process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/sqt-no-bus';
    });
    after(() => {
      if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
    });

    it('says so in plain words, and never falls back to the session-only kernel keyring', async function () {
      if (process.platform !== 'linux') this.skip();
      const store = new KeyringCredentialStore(loadHostKeyring, { platform: 'linux' });
      assert.deepEqual(await store.probe(), {
        available: false,
        reason: 'No Secret Service (such as GNOME Keyring or KWallet) is running on this machine, as is usual on remote, container and WSL hosts.',
      });
      await assert.rejects(store.set(mcpCredentialAccount('b-nobus'), freshTokenValue()), (error: unknown) => error instanceof CredentialStoreError && error.failure === 'unavailable');
      await assert.rejects(store.get(mcpCredentialAccount('b-nobus')), (error: unknown) => error instanceof CredentialStoreError && error.failure === 'unavailable');
    });
  });

  describe('failures of the native module', () => {
    const throwing = (message: string): NativeKeyring => {
      const fail = async (): Promise<never> => {
        throw new Error(message);
      };
      const entry: NativeKeyringEntry = { setPassword: fail, getPassword: fail, deletePassword: fail };
      return { AsyncEntry: function () { return entry; } as unknown as NativeKeyring['AsyncEntry'] };
    };

    it('an install without the binary is unavailable, loaded once, and never throws at construction', async () => {
      let loads = 0;
      const store = new KeyringCredentialStore(() => {
        loads++;
        throw new Error("Cannot find module './keyring.node'");
      }, { platform: 'linux', arch: 'arm64' });
      assert.deepEqual(await store.probe(), {
        available: false,
        reason: 'This installation of the extension has no credential-store library for linux-arm64: install the extension built for this platform.',
      });
      await assert.rejects(store.get('a'), (error: unknown) => error instanceof CredentialStoreError && error.failure === 'missingLibrary');
      assert.equal(loads, 1);
    });

    it('a locked keyring (a dismissed unlock prompt) says to unlock it', async () => {
      const store = new KeyringCredentialStore(() => throwing("Couldn't access platform storage: Secret Service: unlock prompt was dismissed"));
      await assert.rejects(store.get('a'), {
        name: 'CredentialStoreError',
        failure: 'locked',
        message: 'The credential store is locked: unlock it (on Linux, the login keyring), then restart the MCP server.',
      });
    });

    it('an unreachable store elsewhere than Linux names the error, and anything else is a plain failure', async () => {
      const mac = new KeyringCredentialStore(() => throwing("Couldn't access platform storage: errSecNotAvailable"), { platform: 'darwin' });
      assert.deepEqual(await mac.probe(), { available: false, reason: "The operating system's credential store cannot be reached (Couldn't access platform storage: errSecNotAvailable)." });
      const other = new KeyringCredentialStore(() => throwing('Ambiguous: 2 credentials match'));
      await assert.rejects(other.set('a', 'b'), { failure: 'failed', message: 'The credential store failed: Ambiguous: 2 credentials match.' });
    });

    it('passes the messages through the translation it is given', async () => {
      const store = new KeyringCredentialStore(() => throwing('No storage access: locked'), { t: (message) => `[fr] ${message}` });
      await assert.rejects(store.delete('a'), { message: '[fr] The credential store is locked: unlock it (on Linux, the login keyring), then restart the MCP server.' });
    });
  });
});

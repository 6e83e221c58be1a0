// What binding to a client outside the editor needs from this installation: the OS credential store and the launcher
// in global storage. The real ones (the keyring module, the installed launcher) are wired here.
import type { CredentialStore } from '../core/credentials/credentialStore';
import type { LauncherRuntime } from '../core/mcp/launcherEntry';

export interface LauncherHost {
  readonly credentials: CredentialStore;
  /** Copies the launcher into global storage when missing or outdated; what a client's entry runs. */
  installLauncher(): Promise<LauncherRuntime>;
}

/** Until the launcher ships, no credential store is offered: every bind takes the explained fallback. */
export function createLauncherHost(): LauncherHost {
  const reason = 'this build of the extension has no launcher';
  return {
    credentials: {
      probe: async () => ({ available: false, reason }),
      get: async () => undefined,
      set: async () => Promise.reject(new Error(reason)),
      delete: async () => undefined,
    },
    installLauncher: async () => Promise.reject(new Error(reason)),
  };
}

// What binding to a client outside the editor needs from this installation: the OS credential store and the launcher
// in global storage. The keyring module is the one shipped beside the bundles (dist/keyring.node in a platform build;
// the universal VSIX has none, so the store reports itself unavailable and binds take the explained fallback).
import * as path from 'node:path';
import { nodeFileSystem } from '../core/config/fileSystem';
import type { CredentialStore } from '../core/credentials/credentialStore';
import { KeyringCredentialStore } from '../core/credentials/keyringStore';
import type { NativeKeyring } from '../core/credentials/keyringStore';
import type { LauncherRuntime } from '../core/mcp/launcherEntry';
import { installLauncher, KEYRING_BINARY } from '../core/mcp/launcherInstall';
import type { Logger } from '../core/ports';
import { t } from './l10n';

export interface LauncherHost {
  readonly credentials: CredentialStore;
  /** Copies the launcher into global storage when missing or outdated; what a client's entry runs. */
  installLauncher(): Promise<LauncherRuntime>;
}

/** The bundles' folder (dist/ in the VSIX): launcher.js and the platform build's keyring.node are there. */
const BUNDLE_FOLDER = __dirname;

export function createLauncherHost(storagePath: string, logger: Logger, bundleFolder = BUNDLE_FOLDER): LauncherHost {
  // Loaded from the install folder, not from the copy in global storage: the extension host would keep that in use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const credentials = new KeyringCredentialStore(() => require(path.join(bundleFolder, KEYRING_BINARY)) as NativeKeyring, { t });
  let installed: Promise<LauncherRuntime> | undefined;
  return {
    credentials,
    installLauncher() {
      installed ??= updateInstalledLauncher(storagePath, logger, bundleFolder).then((runtime) => {
        if (!runtime) throw new Error(t('This build of the extension has no MCP launcher for this platform.'));
        return runtime;
      });
      // A failed copy (a full disk) is tried again by the next bind.
      installed.catch(() => (installed = undefined));
      return installed;
    },
  };
}

/** Brings the copy in global storage up to this version's (at activation, when bindings exist); undefined without one. */
export async function updateInstalledLauncher(storagePath: string, logger: Logger, bundleFolder = BUNDLE_FOLDER): Promise<LauncherRuntime | undefined> {
  const { runtime, written } = await installLauncher(nodeFileSystem, { distFolder: bundleFolder, storagePath, executable: process.execPath });
  if (!runtime) logger.info('MCP launcher: this build has no keyring library for this platform; nothing installed.');
  for (const file of written) logger.info(`MCP launcher: installed ${file}`);
  return runtime;
}

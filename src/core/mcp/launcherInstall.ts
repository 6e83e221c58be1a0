// Keeps the launcher at a stable path. The extension's install folder changes with every update, and MCP clients'
// files must keep working: the launcher script and the keyring binary it loads are copied from the extension's dist/
// into <global storage>/launcher/, and rewritten only when their content differs.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { FileSystem } from '../config/fileSystem';
import type { LauncherRuntime } from './launcherEntry';

export const LAUNCHER_FOLDER = 'launcher';
export const LAUNCHER_SCRIPT = 'launcher.js';
/** The native keyring module, beside the script (the launcher requires it by this name). */
export const KEYRING_BINARY = 'keyring.node';

export interface LauncherInstallOptions {
  /** The extension's dist/ folder: holds launcher.js and, in a platform build, keyring.node. */
  readonly distFolder: string;
  /** The extension's global storage folder. */
  readonly storagePath: string;
  /** The runtime MCP clients start the script with: the editor's own (`process.execPath`). */
  readonly executable: string;
}

export interface LauncherInstall {
  /** Undefined when this build ships no launcher or no keyring binary (the universal VSIX): nothing was installed. */
  readonly runtime: LauncherRuntime | undefined;
  /** The files (re)written this time, in order; empty when the installed copy was current. */
  readonly written: string[];
}

export function launcherFolder(storagePath: string): string {
  return path.join(storagePath, LAUNCHER_FOLDER);
}

export async function installLauncher(fs: FileSystem, options: LauncherInstallOptions): Promise<LauncherInstall> {
  const script = await fs.readFile(path.join(options.distFolder, LAUNCHER_SCRIPT));
  const binary = await fs.readFile(path.join(options.distFolder, KEYRING_BINARY));
  if (!script || !binary) return { runtime: undefined, written: [] };
  const folder = launcherFolder(options.storagePath);
  await fs.mkdir(folder);
  const written: string[] = [];
  // The binary first: a script is never left beside a binary older than the one it was built with.
  for (const [name, content] of [[KEYRING_BINARY, binary], [LAUNCHER_SCRIPT, script]] as const) {
    const target = path.join(folder, name);
    await fs.unlink(asideName(target)).catch(() => undefined);
    const installed = await fs.readFile(target);
    if (installed?.equals(content)) continue;
    await replace(fs, target, content);
    written.push(target);
  }
  return { runtime: { executable: options.executable, script: path.join(folder, LAUNCHER_SCRIPT) }, written };
}

function asideName(target: string): string {
  return `${target}.old`;
}

/** Writes beside the target and renames over it: an MCP client starting meanwhile runs the old file or the new one. */
async function replace(fs: FileSystem, target: string, content: Buffer): Promise<void> {
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temporary, content);
    try {
      await fs.rename(temporary, target);
    } catch (error) {
      // Windows refuses to replace a binary a running launcher has loaded, but lets it be renamed: move it aside (it is
      // removed at the next install) and put the new one in its place.
      if ((await fs.stat(target)) === undefined) throw error;
      await fs.rename(target, asideName(target));
      await fs.rename(temporary, target);
    }
  } finally {
    await fs.unlink(temporary);
  }
}

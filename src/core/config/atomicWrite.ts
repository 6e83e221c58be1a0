// Replace a file in one step: write a temporary file next to it, then rename it over the original.
// A crash in between leaves the original untouched; a symlink stays a symlink (the real target is replaced).
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ConfigFileError, isConfigFileError } from './configFileError';
import type { FileSystem } from './fileSystem';

export interface AtomicWriteOptions {
  /** Mode of a file that does not exist yet (an existing file keeps its own). */
  readonly mode?: number;
  /**
   * The text holds a secret: the temporary file is created readable by its owner only and the result stays so,
   * whatever the old file's mode was (widening it first would expose the value for a moment).
   */
  readonly secret?: boolean;
  /**
   * The content the file had when it was read (null: it did not exist). Checked right before the rename, so a write
   * by another program in between is not silently replaced.
   */
  readonly unchangedSince?: Buffer | null;
  /** Test hook: runs between the temporary write and the rename. */
  readonly beforeRename?: () => Promise<void>;
}

const DEFAULT_MODE = 0o644;
export const SECRET_FILE_MODE = 0o600;

function isPermissionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

export function notAFileError(file: string): ConfigFileError {
  return new ConfigFileError(file, 'notAFile', (t) => t('Cannot edit {0}: it is a folder, not a file. Rename or remove the folder and try again.', file));
}

async function assertUnchanged(fs: FileSystem, file: string, expected: Buffer | null): Promise<void> {
  const current = (await fs.readFile(file)) ?? null;
  const same = current === null || expected === null ? current === expected : current.equals(expected);
  if (!same) {
    throw new ConfigFileError(file, 'changedMeanwhile', (t) =>
      t('Cannot edit {0}: another program kept changing it at the same time. Close the program that writes it, or wait a moment, and try again; its changes were kept.', file),
    );
  }
}

export async function writeFileAtomic(fs: FileSystem, file: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  const existing = await fs.stat(file);
  if (existing?.isDirectory) throw notAFileError(file);
  const target = existing ? await fs.realpath(file) : file;
  if (existing && (existing.mode & 0o200) === 0) {
    throw new ConfigFileError(file, 'readOnly', (t) => t('Cannot edit {0}: the file is read-only. Make it writable and try again; it was left untouched.', file));
  }
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    if (options.secret) {
      await fs.writeFile(temporary, data, { mode: SECRET_FILE_MODE });
    } else {
      await fs.writeFile(temporary, data, { mode: existing?.mode ?? options.mode ?? DEFAULT_MODE });
      if (existing) await fs.chmod(temporary, existing.mode); // the umask may have narrowed it
    }
    await options.beforeRename?.();
    if (options.unchangedSince !== undefined) await assertUnchanged(fs, file, options.unchangedSince);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    if (isConfigFileError(error)) throw error;
    if (isPermissionError(error)) {
      throw new ConfigFileError(file, 'readOnly', (t) => t('Cannot write {0}: permission denied for its folder. Check its permissions and try again; it was left untouched.', file), undefined, undefined, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(file, 'io', (t) => t('Cannot write {0}: {1}. It was left untouched.', file, reason), undefined, undefined, { cause: error });
  }
}

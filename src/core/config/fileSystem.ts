// The file operations config editing needs, behind a port so tests can inject failures.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface FileStat {
  readonly mode: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

export interface FileSystem {
  /** Undefined when the file does not exist. */
  readFile(file: string): Promise<Buffer | undefined>;
  /** Creates a new file: fails when `file` exists (a file, or a link planted there, is never followed). */
  writeFile(file: string, data: string | Buffer, options?: { mode?: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Creates the folder and its missing parents; returns the folders it created, outermost first. */
  mkdir(folder: string): Promise<string[]>;
  /** Removes the folder when it is empty; otherwise leaves it. */
  rmdirIfEmpty(folder: string): Promise<void>;
  stat(file: string): Promise<FileStat | undefined>;
  realpath(file: string): Promise<string>;
  chmod(file: string, mode: number): Promise<void>;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export const nodeFileSystem: FileSystem = {
  async readFile(file) {
    try {
      return await fs.readFile(file);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  async writeFile(file, data, options = {}) {
    const handle = await fs.open(file, 'wx', options.mode);
    try {
      await handle.writeFile(data);
      // The rename that follows must not expose an empty file after a power loss.
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fs.rename(from, to),
  unlink: async (file) => {
    try {
      await fs.unlink(file);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  },
  async mkdir(folder) {
    const missing: string[] = [];
    for (let current = path.resolve(folder); ; current = path.dirname(current)) {
      if ((await nodeFileSystem.stat(current)) !== undefined) break;
      missing.unshift(current);
      if (path.dirname(current) === current) break;
    }
    await fs.mkdir(folder, { recursive: true });
    return missing;
  },
  async rmdirIfEmpty(folder) {
    try {
      await fs.rmdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
    }
  },
  async stat(file) {
    try {
      const stats = await fs.stat(file);
      return { mode: stats.mode & 0o777, isFile: stats.isFile(), isDirectory: stats.isDirectory() };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  realpath: (file) => fs.realpath(file),
  chmod: (file, mode) => fs.chmod(file, mode),
};

// Whether a file is tracked by git: a committed token is exposed to everyone who has the repository and stays in
// its history. Asked only for files that hold a finding, one `git ls-files` per folder.
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export interface GitProbe {
  /** The files (of those given) that git tracks; undefined when git could not tell (not installed, failed). */
  trackedFiles(files: readonly string[]): Promise<ReadonlySet<string> | undefined>;
}

const GIT_TIMEOUT_MS = 5000;

function run(folder: string, names: readonly string[], gitPath: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(gitPath, ['-C', folder, 'ls-files', '-z', '--', ...names], { timeout: GIT_TIMEOUT_MS, maxBuffer: 1024 * 1024, windowsHide: true }, (error, stdout) => {
      // Outside a repository git exits 128: nothing there is tracked.
      if (error && (error as { code?: unknown }).code === 128) resolve('');
      else resolve(error ? undefined : stdout);
    });
  });
}

export function createGitProbe(gitPath = 'git'): GitProbe {
  return {
    async trackedFiles(files) {
      const byFolder = new Map<string, string[]>();
      for (const file of files) byFolder.set(path.dirname(file), [...(byFolder.get(path.dirname(file)) ?? []), path.basename(file)]);
      const tracked = new Set<string>();
      for (const [folder, names] of byFolder) {
        const output = await run(folder, names, gitPath);
        if (output === undefined) return undefined;
        const listed = new Set(output.split('\0').filter((name) => name !== ''));
        for (const name of names) if (listed.has(name)) tracked.add(path.join(folder, name));
      }
      return tracked;
    },
  };
}

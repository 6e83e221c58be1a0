// A cloned repository can hold links: `.vscode -> ~/.config/Code/User`, `.mcp.json -> ~/.claude.json`. A file we
// write "in the workspace folder" must really be there, or the person must agree to the place it leads to.
import * as path from 'node:path';
import type { Prompter } from '../flows/prompter';
import type { Translate } from '../ports';
import type { FileSystem } from './fileSystem';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** Where `file` really is, links resolved; for a file not there yet, its nearest existing folder's real place. */
export async function realLocation(fs: FileSystem, file: string): Promise<string> {
  const missing: string[] = [];
  for (let current = path.resolve(file); ; current = path.dirname(current)) {
    try {
      return path.join(await fs.realpath(current), ...missing);
    } catch (error) {
      if (!isMissing(error) || path.dirname(current) === current) throw error;
      missing.unshift(path.basename(current));
    }
  }
}

/** The real place of `file` when a link takes it outside `folder`; undefined when it stays inside. */
export async function escapesFolder(fs: FileSystem, folder: string, file: string): Promise<string | undefined> {
  const [realFolder, realFile] = await Promise.all([realLocation(fs, folder), realLocation(fs, file)]);
  const relative = path.relative(realFolder, realFile);
  const inside = relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
  return inside ? undefined : realFile;
}

/**
 * True when `file` may be written: it is inside `folder`, or the person agreed to the real place a link leads to,
 * which the question names.
 */
export async function confirmWorkspaceFile(deps: { fs: FileSystem; prompter: Prompter; t: Translate }, folder: string, file: string): Promise<boolean> {
  const realFile = await escapesFolder(deps.fs, folder, file);
  if (realFile === undefined) return true;
  const { t } = deps;
  return deps.prompter.confirm(t('{0} leads outside the folder {1}: a link makes it {2}.', file, folder, realFile), {
    confirmLabel: t('Write to {0}', path.basename(realFile)),
    detail: t('A cloned repository can contain links that send a write elsewhere, such as into your own settings. Write there only if you made the link yourself.'),
  });
}

// Taking a found value out of its file, touching nothing else: JSON files through the same JSONC editing every other
// edit uses (comments, BOM, line ends and other entries kept), line-based files byte for byte (the one line goes, or
// the value is replaced by a reference to the secret where the file format has one).
import { writeFileAtomic } from '../config/atomicWrite';
import type { FileSystem } from '../config/fileSystem';
import { editJsoncFile } from '../config/jsoncFile';
import type { JSONPath } from 'jsonc-parser';
import type { Translate } from '../ports';
import type { CiSystem } from './places';
import { mcpServerNameOf } from './scan';
import type { Finding, LocatedValue } from './scan';

export type FileFix =
  /** The MCP entry holding the value goes (the server is bound securely elsewhere, or the token is revoked). */
  | { readonly kind: 'removeMcpEntry'; readonly topKey: string; readonly serverName: string }
  | { readonly kind: 'removeJsonProperty'; readonly jsonPath: JSONPath }
  | { readonly kind: 'removeLine' }
  /** CI files: the value becomes a reference to the CI system's own secret. */
  | { readonly kind: 'reference'; readonly reference: string; readonly secretName: string }
  /** Nothing this extension can edit safely: the value is part of a longer line or string. */
  | { readonly kind: 'manual' };

/** A line that is nothing but `KEY=value` (with `export`, fish `set -gx`, PowerShell `$env:`, quotes, a comment). */
const LONE_ASSIGNMENT =
  /^[ \t]*(?:#[ \t]*)?(?:-[ \t]+)?(?:export[ \t]+|set[ \t]+(?:-[A-Za-z]+[ \t]+)*|\$env:|setx[ \t]+)?["']?[A-Za-z_][A-Za-z0-9_.-]*["']?[ \t]*(?:=|:|[ \t])[ \t]*(["']?)\uE000\1[ \t]*;?[ \t]*(?:#.*)?$/;

/** Stands for the value in the line: a line read byte for byte (latin1) cannot contain a character above U+00FF. */
const VALUE_MARK = '\uE000';

interface LineSpan {
  readonly start: number;
  /** After the line's ending. */
  readonly end: number;
  readonly content: string;
}

/** A byte order mark (UTF-8 read byte for byte, or decoded): it belongs to the file, not to its first line. */
const BOM = /^(?:\u00EF\u00BB\u00BF|\uFEFF)/;

function lineAround(text: string, offset: number): LineSpan {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  if (start === 0) start = BOM.exec(text)?.[0].length ?? 0;
  let contentEnd = offset;
  while (contentEnd < text.length && text[contentEnd] !== '\n' && text[contentEnd] !== '\r') contentEnd++;
  const end = text.startsWith('\r\n', contentEnd) ? contentEnd + 2 : contentEnd < text.length ? contentEnd + 1 : contentEnd;
  return { start, end, content: text.slice(start, contentEnd) };
}

function isLoneAssignment(text: string, located: LocatedValue): boolean {
  const line = lineAround(text, located.offset);
  const marked = line.content.slice(0, located.offset - line.start) + VALUE_MARK + line.content.slice(located.offset - line.start + located.length);
  return LONE_ASSIGNMENT.test(marked);
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

function ciReference(ci: CiSystem, key: string | undefined): { reference: string; secretName: string } | undefined {
  const secretName = key && ENV_NAME.test(key) ? key : 'SONAR_TOKEN';
  return ci === 'github' ? { reference: `\${{ secrets.${secretName} }}`, secretName } : undefined;
}

/** What taking the value out of its file means for this finding. */
export function planRemoval(finding: Finding, located: LocatedValue): FileFix {
  const serverName = mcpServerNameOf(finding);
  if (serverName !== undefined && finding.place.mcp) return { kind: 'removeMcpEntry', topKey: finding.place.mcp.topKey, serverName };
  if (finding.place.syntax === 'json') return finding.jsonPath && finding.wholeString ? { kind: 'removeJsonProperty', jsonPath: finding.jsonPath } : { kind: 'manual' };
  if (finding.place.ci) {
    // Only where the CI system has a reference syntax; removing a line from a pipeline could change its structure.
    const reference = ciReference(finding.place.ci, finding.key);
    return reference ? { kind: 'reference', ...reference } : { kind: 'manual' };
  }
  return isLoneAssignment(located.text, located) ? { kind: 'removeLine' } : { kind: 'manual' };
}

/** One sentence saying exactly what the edit changes, for the confirmation. */
export function describeFileFix(fix: FileFix, finding: Finding, file: string, t: Translate): string {
  switch (fix.kind) {
    case 'removeMcpEntry':
      return t('The MCP server "{0}" is removed from {1}; the rest of the file stays as it is.', fix.serverName, file);
    case 'removeJsonProperty':
      return t('The "{0}" entry is removed from {1}; the rest of the file stays as it is.', String(fix.jsonPath[fix.jsonPath.length - 1]), file);
    case 'removeLine':
      return t('Line {0} ({1}) is removed from {2}; the rest of the file stays as it is.', finding.line, finding.key ?? t('the token'), file);
    case 'reference':
      return t('The value on line {0} of {1} is replaced by {2}: add the token as the repository secret {3} in the CI settings.', finding.line, file, fix.reference, fix.secretName);
    case 'manual':
      return t('The value on line {0} of {1} is part of a longer line: edit it by hand.', finding.line, file);
  }
}

/** Applies the edit (never `manual`); the file is written atomically, every byte outside the edit kept. */
export async function applyFileFix(fs: FileSystem, finding: Finding, located: LocatedValue, fix: FileFix): Promise<void> {
  const file = finding.place.path;
  switch (fix.kind) {
    case 'removeMcpEntry':
      await editJsoncFile(fs, file, (document) => document.remove([fix.topKey, fix.serverName]));
      return;
    case 'removeJsonProperty':
      await editJsoncFile(fs, file, (document) => document.remove(fix.jsonPath));
      return;
    case 'removeLine': {
      const line = lineAround(located.text, located.offset);
      await writeFileAtomic(fs, file, Buffer.from(located.text.slice(0, line.start) + located.text.slice(line.end), 'latin1'));
      return;
    }
    case 'reference': {
      const text = located.text.slice(0, located.offset) + fix.reference + located.text.slice(located.offset + located.length);
      await writeFileAtomic(fs, file, Buffer.from(text, 'latin1'));
      return;
    }
    case 'manual':
      throw new Error('A manual fix cannot be applied');
  }
}

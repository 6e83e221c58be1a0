// Edit JSON-with-comments files the way a person would: only the entry that changes, everything else byte for byte.
import * as path from 'node:path';
import { applyEdits, createScanner, findNodeAtLocation, format, modify, parse, parseTree, printParseErrorCode, SyntaxKind } from 'jsonc-parser';
import type { FormattingOptions, JSONPath, Node, ParseError } from 'jsonc-parser';
import { notAFileError, writeFileAtomic } from './atomicWrite';
import { ConfigFileError, isConfigFileError } from './configFileError';
import type { FileSystem } from './fileSystem';

const BOM = '\uFEFF';

export interface JsoncDocument {
  /** The current parsed value (updated after every change). */
  readonly value: unknown;
  readonly text: string;
  set(jsonPath: JSONPath, value: unknown): void;
  remove(jsonPath: JSONPath): void;
}

export interface JsoncFile {
  readonly exists: boolean;
  readonly text: string;
  readonly value: unknown;
}

export interface EditResult {
  readonly changed: boolean;
  readonly createdFile: boolean;
  /** Folders created for a new file, outermost first. */
  readonly createdDirs: string[];
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Where the comments of `text` end, in order. */
function commentEnds(text: string): number[] {
  const scanner = createScanner(text, false);
  const ends: number[] = [];
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia) ends.push(scanner.getTokenOffset() + scanner.getTokenLength());
  }
  return ends;
}

function parseOrThrow(file: string, text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length > 0) {
    const { line, column } = lineAndColumn(text, errors[0].offset);
    const what = printParseErrorCode(errors[0].error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    throw new ConfigFileError(file, 'parse', (t) => t('Cannot edit {0}: it is not valid JSON (line {1}, column {2}: {3}). Fix the file and try again; it was left untouched.', file, line, column, what), line, column);
  }
  return value;
}

/** The file's bytes, undefined when missing; a folder in its place is said so, not a raw `EISDIR`. */
export async function readConfigFile(fs: FileSystem, file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'EISDIR') throw notAFileError(file);
    throw error;
  }
}

/**
 * The first key along `jsonPath` that its object holds more than once, with its line. JSON parsers disagree on which
 * of the two counts (ours takes the last, an edit finds the first), so editing there could leave a value behind.
 */
export function duplicateKeyOnPath(text: string, jsonPath: JSONPath): { key: string; line: number } | undefined {
  let node: Node | undefined = parseTree(text, [], { allowTrailingComma: true });
  for (const segment of jsonPath) {
    if (!node) return undefined;
    if (node.type === 'array' && typeof segment === 'number') {
      node = node.children?.[segment];
      continue;
    }
    if (node.type !== 'object' || typeof segment !== 'string') return undefined;
    const matching = (node.children ?? []).filter((property) => property.children?.[0]?.value === segment);
    if (matching.length > 1) return { key: segment, line: lineAndColumn(text, matching[1].offset).line };
    node = matching[0]?.children?.[1];
  }
  return undefined;
}

/** Reads and parses a JSONC file; a missing file reads as `{}`. An unparsable one throws, naming the line. */
export async function readJsoncFile(fs: FileSystem, file: string): Promise<JsoncFile> {
  const raw = await readConfigFile(fs, file);
  if (raw === undefined) return { exists: false, text: '', value: {} };
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = text.trim() === '' ? undefined : parseOrThrow(file, text);
  // Comments only parse as no value at all; `null` is a value (not an object).
  return { exists: true, text, value: parsed === undefined ? {} : parsed };
}

/** Indentation and line ends as the file already has them, so edits look hand-made. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = [...text.matchAll(/\n([ \t]+)\S/g)].map((match) => match[1]);
  const insertSpaces = !(indents[0]?.startsWith('\t') ?? false);
  const widths = indents.filter((indent) => !indent.includes('\t')).map((indent) => indent.length);
  const tabSize = widths.length > 0 ? Math.min(...widths) : 2;
  return { eol, insertSpaces, tabSize, insertFinalNewline: false };
}

/**
 * One change, formatted like the file but touching only the inserted text: jsonc-parser's own formatting would
 * reformat the neighbouring lines too (a one-line sibling entry would be spread over several).
 */
export function modifyText(text: string, jsonPath: JSONPath, value: unknown, formatting: FormattingOptions): string {
  const lastItemRemoved = value === undefined ? (removeLastArrayItem(text, jsonPath) ?? removeOnlyProperty(text, jsonPath)) : undefined;
  if (lastItemRemoved !== undefined) return lastItemRemoved;
  let result = text;
  for (const edit of modify(text, jsonPath, value, {})) {
    result = applyEdits(result, [edit]);
    if (edit.content.length > 0) {
      result = applyEdits(result, format(result, insertedRange(result, edit.offset, edit.content.length), { ...formatting, keepLines: false }));
    }
  }
  if (value === undefined) result = collapseEmptyParent(result, jsonPath.slice(0, -1));
  return result;
}

/**
 * jsonc-parser removes the last item of an array together with the line break before `]` (it expects to reformat
 * afterwards); removing only `, item` leaves the rest as it was before the item was added.
 */
function removeLastArrayItem(text: string, jsonPath: JSONPath): string | undefined {
  const index = jsonPath[jsonPath.length - 1];
  const tree = parseTree(text);
  const parent = tree && findNodeAtLocation(tree, jsonPath.slice(0, -1));
  const items = parent?.type === 'array' ? (parent.children ?? []) : [];
  if (typeof index !== 'number' || items.length < 2 || index !== items.length - 1) return undefined;
  const previous = items[index - 1];
  const removed = items[index];
  return text.slice(0, previous.offset + previous.length) + text.slice(removed.offset + removed.length);
}

/**
 * jsonc-parser removes an object's only entry from the `{` on, and with it the person's comments above the entry;
 * removing from the end of the last such comment keeps them.
 */
function removeOnlyProperty(text: string, jsonPath: JSONPath): string | undefined {
  const tree = parseTree(text);
  const parent = tree && findNodeAtLocation(tree, jsonPath.slice(0, -1));
  const property = parent?.type === 'object' && parent.children?.length === 1 ? parent.children[0] : undefined;
  if (!parent || !property || property.children?.[0]?.value !== jsonPath[jsonPath.length - 1]) return undefined;
  const commentEnd = commentEnds(text.slice(parent.offset + 1, property.offset)).pop();
  if (commentEnd === undefined) return undefined;
  return text.slice(0, parent.offset + 1 + commentEnd) + text.slice(property.offset + property.length);
}

/** A file of comments only holds no value yet: the object goes after the comments, which stay. */
function withRootObject(text: string): string {
  const errors: ParseError[] = [];
  if (parseTree(text, errors, { allowTrailingComma: true, allowEmptyContent: true }) !== undefined || errors.length > 0) return text;
  return `${text}${/[\r\n]$/.test(text) ? '' : detectFormatting(text).eol}{}`;
}

/** The inserted text, plus the brackets around it when it went into an empty object or array (to break the lines). */
function insertedRange(text: string, offset: number, length: number): { offset: number; length: number } {
  let begin = offset;
  let end = offset + length;
  let before = begin - 1;
  while (before >= 0 && /\s/.test(text[before])) before--;
  if (text[before] === '{' || text[before] === '[') begin = before;
  let after = end;
  while (after < text.length && /\s/.test(text[after])) after++;
  if (begin !== offset && (text[after] === '}' || text[after] === ']')) end = after + 1;
  return { offset: begin, length: end - begin };
}

/** After removing the last entry, `{\n}` becomes `{}` again: what the file most likely was before the entry came. */
function collapseEmptyParent(text: string, parentPath: JSONPath): string {
  const tree = parseTree(text);
  const parent = tree && (parentPath.length === 0 ? tree : findNodeAtLocation(tree, parentPath));
  if (!parent || (parent.type !== 'object' && parent.type !== 'array') || (parent.children?.length ?? 0) > 0) return text;
  const inner = text.slice(parent.offset + 1, parent.offset + parent.length - 1);
  if (inner.trim() !== '') return text;
  return text.slice(0, parent.offset + 1) + text.slice(parent.offset + parent.length - 1);
}

export interface EditOptions {
  /** Mode of a file that does not exist yet. */
  readonly newFileMode?: number;
  /** The file will hold a token: written owner-only from the start. */
  readonly secret?: boolean;
  /** Text that must not be left in the file after the edit (a removed plain-text token): it is not written then. */
  readonly mustNotContain?: string;
  /** Test hook passed to the atomic write. */
  readonly beforeRename?: () => Promise<void>;
}

/** Another program's write between our read and our rename: the edit is redone on its text this many times in all. */
const EDIT_ATTEMPTS = 2;

/**
 * Applies `edit` to the file and writes it atomically when something changed. A file that does not parse, or holds
 * the edited key twice, is never written; a missing file (and its folders) is created. When another program writes
 * the file meanwhile, the edit is made again on its version; the edit callback must therefore be repeatable.
 */
export async function editJsoncFile(fs: FileSystem, file: string, edit: (document: JsoncDocument) => void, options: EditOptions = {}): Promise<EditResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await editOnce(fs, file, edit, options);
    } catch (error) {
      if (!isConfigFileError(error) || error.reason !== 'changedMeanwhile' || attempt >= EDIT_ATTEMPTS) throw error;
    }
  }
}

async function editOnce(fs: FileSystem, file: string, edit: (document: JsoncDocument) => void, options: EditOptions): Promise<EditResult> {
  const raw = await readConfigFile(fs, file);
  const original = raw?.toString('utf8');
  const hadBom = original?.startsWith(BOM) ?? false;
  const existingText = original === undefined ? undefined : hadBom ? original.slice(1) : original;
  const startText = existingText === undefined || existingText.trim() === '' ? '{}' : withRootObject(existingText);
  let value = parseOrThrow(file, startText);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigFileError(file, 'shape', (t) => t('Cannot edit {0}: it does not hold a JSON object. Fix the file and try again; it was left untouched.', file));
  }
  const formatting = existingText === undefined ? { eol: '\n', insertSpaces: true, tabSize: 2 } : detectFormatting(startText);
  let text = startText;
  const apply = (jsonPath: JSONPath, newValue: unknown) => {
    const duplicate = duplicateKeyOnPath(text, jsonPath);
    if (duplicate) {
      throw new ConfigFileError(
        file,
        'duplicateKeys',
        (t) => t('Cannot edit {0}: "{1}" appears more than once in it (line {2}), so which one counts is unclear. Remove the extra one and try again; the file was left untouched.', file, duplicate.key, duplicate.line),
        duplicate.line,
      );
    }
    text = modifyText(text, jsonPath, newValue, formatting);
    value = parse(text, [], { allowTrailingComma: true });
  };
  edit({
    get value() {
      return value;
    },
    get text() {
      return text;
    },
    set: (jsonPath, newValue) => apply(jsonPath, newValue),
    remove: (jsonPath) => apply(jsonPath, undefined),
  });
  if (options.mustNotContain && text.includes(options.mustNotContain)) {
    const { line } = lineAndColumn(text, text.indexOf(options.mustNotContain));
    throw new ConfigFileError(
      file,
      'valueRemains',
      (t) => t('The token still appears in {0} (line {1}) with its binding removed. Delete it there and remove the binding again; the file was left untouched.', file, line),
      line,
    );
  }
  if (text === startText) return { changed: false, createdFile: false, createdDirs: [] };
  const createdDirs = raw === undefined ? await fs.mkdir(path.dirname(file)) : [];
  const output = (hadBom ? BOM : '') + text + (existingText === undefined ? '\n' : '');
  await writeFileAtomic(fs, file, output, { mode: options.newFileMode, secret: options.secret, unchangedSince: raw ?? null, beforeRename: options.beforeRename });
  return { changed: true, createdFile: raw === undefined, createdDirs };
}

/**
 * Unbind of a file the extension created: once it is back to `{}`, delete it and the folders made for it, if empty.
 * A comment in it is the person's own writing, so such a file stays.
 */
export async function deleteIfEmptyObject(fs: FileSystem, file: string, createdDirs: readonly string[]): Promise<boolean> {
  const { exists, text, value } = await readJsoncFile(fs, file);
  if (!exists || typeof value !== 'object' || value === null || Object.keys(value).length > 0 || commentEnds(text).length > 0) return false;
  await fs.unlink(file);
  for (const folder of [...createdDirs].reverse()) await fs.rmdirIfEmpty(folder);
  return true;
}

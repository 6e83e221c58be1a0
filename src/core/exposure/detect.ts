// What looks like a SonarQube token in a file's text, and where exactly: the value's offset, line, key and JSON path.
// The matches carry offsets into the text the caller passed; the value itself is only ever sliced from that text by
// whoever needs it (liveness check, fix) and is never copied into a finding.
import { visit } from 'jsonc-parser';
import type { JSONPath } from 'jsonc-parser';

/** How a file is read: JSON (with comments) is walked by path, everything else line by line. */
export type Syntax = 'json' | 'lines';

/** A bare 40-hex value is a Cloud user token or an older Server token: the type cannot be told from its shape. */
export type ExposedTokenType = 'USER_TOKEN' | 'GLOBAL_ANALYSIS_TOKEN' | 'PROJECT_ANALYSIS_TOKEN' | 'SCOPED_ORGANIZATION_TOKEN' | 'UNTYPED';

export interface TokenMatch {
  /** Offset and length of the value in the text that was scanned. */
  readonly offset: number;
  readonly length: number;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** The name the value is assigned to (`SONARQUBE_TOKEN`, `sonar.token`, `token`), when there is one. */
  readonly key?: string;
  /** JSON files: where the string holding the value is. */
  readonly jsonPath?: JSONPath;
  /** JSON files: the string holding the value is exactly the value (so the property can be removed or replaced). */
  readonly wholeString?: boolean;
  readonly type: ExposedTokenType;
}

const PREFIXES: Record<string, ExposedTokenType> = {
  squ_: 'USER_TOKEN',
  sqa_: 'GLOBAL_ANALYSIS_TOKEN',
  sqp_: 'PROJECT_ANALYSIS_TOKEN',
  sqco_: 'SCOPED_ORGANIZATION_TOKEN',
};

// Not glued to a longer word or hex run on either side: `xsqu_…` or a 41st hex digit is something else.
const PREFIXED = /(?<![A-Za-z0-9])(squ_|sqa_|sqp_|sqco_)[0-9a-f]{40}(?![0-9A-Za-z])/g;
const BARE_HEX = /(?<![A-Za-z0-9_])[0-9a-f]{40}(?![0-9A-Za-z_])/g;

/** `sonar.token`, `sonar.login`, `SONAR_TOKEN`, `SONARQUBE_TOKEN`, `SONARCLOUD_TOKEN`, `systemProp.sonar.token`… */
const SONAR_KEY = /^(?:systemProp\.)?sonar(?:qube|cloud)?[._-]?(?:token|login|auth[._-]?token)$/i;

/** The name just before a value: `KEY=`, `KEY: `, `"KEY": "`, `set -gx KEY `, `$env:KEY = "`, `-e KEY=`. */
const KEY_BEFORE = /([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?:=|:|[ \t])[ \t]*["']?$/;

export function isSonarKeyName(name: string): boolean {
  return SONAR_KEY.test(name);
}

/** First 4 and last 4 characters, the most a finding ever shows of a value. */
export function maskValue(value: string): string {
  return value.length <= 12 ? '…' : `${value.slice(0, 4)}…${value.slice(-4)}`;
}

function keyBefore(textBefore: string): string | undefined {
  const key = KEY_BEFORE.exec(textBefore)?.[1];
  // `Authorization: Bearer squ_…`: the scheme is not the key.
  if (key && /^(bearer|basic)$/i.test(key)) return keyBefore(textBefore.slice(0, textBefore.toLowerCase().lastIndexOf(key.toLowerCase())));
  return key;
}

/** A byte order mark, decoded as UTF-8 or byte for byte (latin1): not part of the first line's columns. */
const BOM = /^(?:\uFEFF|\u00EF\u00BB\u00BF)/;

class LineIndex {
  private readonly starts: number[];
  constructor(text: string) {
    this.starts = [BOM.exec(text)?.[0].length ?? 0];
    for (let index = 0; index < text.length; index++) {
      const char = text.charCodeAt(index);
      if (char === 10 || (char === 13 && text.charCodeAt(index + 1) !== 10)) this.starts.push(index + 1);
    }
  }
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
  lineStart(offset: number): number {
    return this.starts[this.position(offset).line - 1];
  }
}

interface RawHit {
  readonly offset: number;
  readonly length: number;
  readonly type: ExposedTokenType;
}

/** Token-shaped runs in `text`; bare hex only when `bareAllowed` says the place names a Sonar key. */
function hitsIn(text: string, bareAllowed: (offset: number) => boolean): RawHit[] {
  const hits: RawHit[] = [];
  for (const match of text.matchAll(PREFIXED)) hits.push({ offset: match.index, length: match[0].length, type: PREFIXES[match[1]] });
  for (const match of text.matchAll(BARE_HEX)) {
    if (bareAllowed(match.index)) hits.push({ offset: match.index, length: match[0].length, type: 'UNTYPED' });
  }
  return hits.sort((a, b) => a.offset - b.offset);
}

/** Quick rejection: most files hold nothing token-shaped at all, and every token shape holds 40 hex digits in a row. */
function mayHoldToken(text: string): boolean {
  return /[0-9a-f]{40}/.test(text);
}

function detectInLines(text: string, lines: LineIndex): TokenMatch[] {
  return hitsIn(text, (offset) => {
    const key = keyBefore(text.slice(lines.lineStart(offset), offset));
    return key !== undefined && isSonarKeyName(key);
  }).map((hit) => {
    const { line, column } = lines.position(hit.offset);
    return { offset: hit.offset, length: hit.length, line, column, key: keyBefore(text.slice(lines.lineStart(hit.offset), hit.offset)), type: hit.type };
  });
}

/** SonarQube for IDE's legacy field: `sonarlint.connectedMode.connections.sonarqube[n].token` (flat or nested keys). */
function isSonarlintTokenPath(path: JSONPath): boolean {
  const names = path.filter((part): part is string => typeof part === 'string').join('.');
  return /(^|\.)sonarlint\.connectedMode\.connections\.(sonarqube|sonarcloud)\.token$/.test(names);
}

function detectInJson(text: string, lines: LineIndex): TokenMatch[] | undefined {
  const matches: TokenMatch[] = [];
  let broken = false;
  visit(
    text,
    {
      onLiteralValue: (value: unknown, offset: number, length: number, _line: number, _column: number, pathSupplier: () => JSONPath) => {
        if (typeof value !== 'string' || !mayHoldToken(value)) return;
        const raw = text.slice(offset + 1, offset + length - 1);
        const path = pathSupplier();
        const last = path[path.length - 1];
        const property = typeof last === 'string' ? last : undefined;
        const propertyIsSonar = property !== undefined && (isSonarKeyName(property) || isSonarlintTokenPath(path));
        for (const hit of hitsIn(raw, (at) => propertyIsSonar || isSonarKeyName(keyBefore(raw.slice(0, at)) ?? ''))) {
          const { line, column } = lines.position(offset + 1 + hit.offset);
          const key = (hit.offset > 0 ? keyBefore(raw.slice(0, hit.offset)) : undefined) ?? property;
          matches.push({ offset: offset + 1 + hit.offset, length: hit.length, line, column, key, jsonPath: path, wholeString: raw.length === hit.length, type: hit.type });
        }
      },
      onError: () => {
        broken = true;
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return broken ? undefined : matches;
}

/**
 * Every token-shaped value in `text`. A JSON file that does not parse is read line by line instead (its findings then
 * have no JSON path, and fixes that need one are not offered).
 */
export function detectTokens(text: string, syntax: Syntax): TokenMatch[] {
  if (!mayHoldToken(text)) return [];
  const lines = new LineIndex(text);
  if (syntax === 'json') {
    const found = detectInJson(text.replace(/^\uFEFF/, ' '), lines);
    if (found) return found;
  }
  return detectInLines(text, lines);
}

// The scan: read each known place (bounded in size), detect token-shaped values, and describe each one as a finding
// that holds no value: where it is, its key and type, first 4 and last 4 characters, a SHA-256 for "ignore", whether
// git tracks the file, and which server the file names (a hint, never a destination on its own).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { parse } from 'jsonc-parser';
import type { JSONPath } from 'jsonc-parser';
import { detectTokens, maskValue } from './detect';
import type { ExposedTokenType } from './detect';
import type { GitProbe } from './gitTracked';
import type { KnownPlace } from './places';

/** A file larger than this is not a configuration file someone pasted a token into: it is skipped and reported. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface ScanFiles {
  /** Size in bytes, or undefined when the file does not exist (or is not a file). */
  size(file: string): Promise<number | undefined>;
  read(file: string): Promise<Buffer | undefined>;
}

export const nodeScanFiles: ScanFiles = {
  async size(file) {
    try {
      const stats = await fs.stat(file);
      return stats.isFile() ? stats.size : undefined;
    } catch {
      return undefined;
    }
  },
  async read(file) {
    try {
      return await fs.readFile(file);
    } catch {
      return undefined;
    }
  },
};

/** The server a file names next to the token (`SONARQUBE_URL`, `sonar.host.url`, `serverUrl`, an organization). */
export interface ServerHint {
  readonly url?: string;
  readonly organization?: string;
}

/** An MCP entry this extension wrote with the value on purpose (Claude Desktop cannot reference a secret). */
export interface OwnPlainTextBinding {
  readonly bindingId: string;
  readonly path: string;
  readonly serverName: string;
}

export interface Finding {
  /** Stable across scans while the value stays where it is. */
  readonly id: string;
  readonly place: KnownPlace;
  readonly line: number;
  readonly column: number;
  readonly key?: string;
  readonly jsonPath?: JSONPath;
  readonly wholeString?: boolean;
  readonly type: ExposedTokenType;
  /** First 4 and last 4 characters. */
  readonly masked: string;
  /** SHA-256 of the value, hex: what "ignore" remembers and how a fix finds the value again. */
  readonly fingerprint: string;
  /** Undefined when git could not tell. */
  readonly tracked?: boolean;
  readonly hint?: ServerHint;
  /** Set when this extension wrote the value there itself. */
  readonly ownBindingId?: string;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: 'tooLarge';
  readonly bytes: number;
}

export interface ScanResult {
  readonly findings: readonly Finding[];
  readonly skipped: readonly SkippedFile[];
  /** Files that existed and were read. */
  readonly filesRead: number;
}

export interface ScanDeps {
  readonly files: ScanFiles;
  readonly git: GitProbe;
  /** Fingerprints the person chose to ignore. */
  readonly ignored: ReadonlySet<string>;
  readonly ownPlainText: readonly OwnPlainTextBinding[];
  readonly maxFileBytes?: number;
}

export function fingerprintOf(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Line-based files are read byte for byte (latin1), so a fix can write back every byte it did not change. */
export function decodePlace(place: KnownPlace, raw: Buffer): string {
  return raw.toString(place.syntax === 'json' ? 'utf8' : 'latin1');
}

const URL_KEYS = /(?:SONAR_HOST_URL|SONARQUBE_URL|SONARQUBE_SERVER_URL|SONAR_URL|sonar\.host\.url)["']?[ \t]*[=: \t][ \t]*["']?(https?:\/\/[^\s"'#]+)/;
const ORG_KEYS = /(?:SONARQUBE_ORG|SONAR_ORGANIZATION|sonar\.organization)["']?[ \t]*[=: \t][ \t]*["']?([A-Za-z0-9_.-]+)/;

type JsonObject = Record<string, unknown>;
const asObject = (value: unknown): JsonObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
const stringAt = (object: JsonObject | undefined, ...keys: string[]) =>
  keys.map((key) => object?.[key]).find((value): value is string => typeof value === 'string' && value !== '');

/** The object holding the value: an MCP entry's `env`, a SonarQube for IDE connection. Its siblings name the server. */
function jsonHint(root: unknown, jsonPath: JSONPath): ServerHint | undefined {
  let parent: unknown = root;
  for (const part of jsonPath.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[part];
  const siblings = asObject(parent);
  const url = stringAt(siblings, 'SONARQUBE_URL', 'SONAR_HOST_URL', 'serverUrl', 'sonarQubeUri');
  const organization = stringAt(siblings, 'SONARQUBE_ORG', 'organizationKey', 'sonarCloudOrganization');
  const region = stringAt(siblings, 'region');
  if (!url && organization) return { organization, url: region?.toUpperCase() === 'US' ? 'https://sonarqube.us' : undefined };
  return url || organization ? { url, organization } : undefined;
}

function lineHint(text: string): ServerHint | undefined {
  const url = URL_KEYS.exec(text)?.[1];
  const organization = ORG_KEYS.exec(text)?.[1];
  return url || organization ? { url, organization } : undefined;
}

function findingId(place: KnownPlace, key: string | undefined, jsonPath: JSONPath | undefined, fingerprint: string, occurrence: number): string {
  return createHash('sha256').update(JSON.stringify([place.path, key ?? '', jsonPath ?? [], fingerprint, occurrence])).digest('hex').slice(0, 24);
}

/** The MCP entry a JSON path points into: `[topKey, serverName, ...]`. */
export function mcpServerNameOf(finding: Pick<Finding, 'place' | 'jsonPath'>): string | undefined {
  const [top, name] = finding.jsonPath ?? [];
  return finding.place.mcp && top === finding.place.mcp.topKey && typeof name === 'string' ? name : undefined;
}

/** The findings in one file's text (exported for fixes, which find the value again the same way). */
export function findingsInText(place: KnownPlace, text: string): Array<Finding & { readonly offset: number; readonly length: number }> {
  const matches = detectTokens(text, place.syntax);
  if (matches.length === 0) return [];
  const root = place.syntax === 'json' ? parse(text.replace(/^\uFEFF/, ''), [], { allowTrailingComma: true }) : undefined;
  const fileHint = place.syntax === 'json' ? undefined : lineHint(text);
  const seen = new Map<string, number>();
  return matches.map((match) => {
    const value = text.slice(match.offset, match.offset + match.length);
    const fingerprint = fingerprintOf(value);
    const occurrenceKey = `${fingerprint}\n${match.key ?? ''}\n${JSON.stringify(match.jsonPath ?? [])}`;
    const occurrence = seen.get(occurrenceKey) ?? 0;
    seen.set(occurrenceKey, occurrence + 1);
    return {
      id: findingId(place, match.key, match.jsonPath, fingerprint, occurrence),
      place,
      line: match.line,
      column: match.column,
      key: match.key,
      jsonPath: match.jsonPath,
      wholeString: match.wholeString,
      type: match.type,
      masked: maskValue(value),
      fingerprint,
      hint: match.jsonPath ? jsonHint(root, match.jsonPath) : fileHint,
      offset: match.offset,
      length: match.length,
    };
  });
}

/** Reads every place once (a path listed twice is read once), in parallel; git is asked only about files with findings. */
export async function scanPlaces(deps: ScanDeps, places: readonly KnownPlace[]): Promise<ScanResult> {
  const maxBytes = deps.maxFileBytes ?? MAX_FILE_BYTES;
  const unique = [...new Map(places.map((place) => [place.path, place])).values()];
  const skipped: SkippedFile[] = [];
  let filesRead = 0;
  const perFile = await Promise.all(
    unique.map(async (place) => {
      const bytes = await deps.files.size(place.path);
      if (bytes === undefined) return [];
      if (bytes > maxBytes) {
        skipped.push({ path: place.path, reason: 'tooLarge', bytes });
        return [];
      }
      const raw = await deps.files.read(place.path);
      if (raw === undefined) return [];
      filesRead++;
      return findingsInText(place, decodePlace(place, raw)).map(({ offset: _offset, length: _length, ...finding }): Finding => finding);
    }),
  );
  const found = perFile.flat().filter((finding) => !deps.ignored.has(finding.fingerprint));
  if (found.length === 0) return { findings: [], skipped, filesRead };
  const tracked = await deps.git.trackedFiles([...new Set(found.map((finding) => finding.place.path))]);
  const findings = found.map((finding): Finding => {
    const serverName = mcpServerNameOf(finding);
    const own = serverName === undefined ? undefined : deps.ownPlainText.find((binding) => binding.path === finding.place.path && binding.serverName === serverName);
    return { ...finding, tracked: tracked ? tracked.has(finding.place.path) : undefined, ownBindingId: own?.bindingId };
  });
  return { findings, skipped, filesRead };
}

export interface LocatedValue {
  /** The file's text as scanned (`decodePlace`), for an edit that keeps every other byte. */
  readonly text: string;
  readonly offset: number;
  readonly length: number;
  readonly value: string;
}

/** Reads the finding's value again from its file; undefined when the file changed and the value is no longer there. */
export async function locateFinding(files: ScanFiles, finding: Finding): Promise<LocatedValue | undefined> {
  const raw = await files.read(finding.place.path);
  if (raw === undefined) return undefined;
  const text = decodePlace(finding.place, raw);
  const match = findingsInText(finding.place, text).find((candidate) => candidate.id === finding.id);
  return match && { text, offset: match.offset, length: match.length, value: text.slice(match.offset, match.offset + match.length) };
}

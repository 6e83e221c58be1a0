// SonarQube for IDE's connected-mode settings, written as it would write them itself, minus the token.
import type { SonarTarget } from '../sonar/types';

export interface SonarlintConnections {
  readonly sonarqube: readonly unknown[];
  readonly sonarcloud: readonly unknown[];
}

export type ConnectionSection = 'sonarqube' | 'sonarcloud';

export interface ConnectionPlan {
  readonly section: ConnectionSection;
  readonly connectionId: string;
  /** An entry for this server or organization was there already (it is not removed with the binding). */
  readonly reused: boolean;
  /** `next` differs from what was there: a new entry, or an id given to a reused entry that had none. */
  readonly writeConnections: boolean;
  readonly next: SonarlintConnections;
}

/** What SonarQube for IDE calls a connection without an id. */
const DEFAULT_CONNECTION_ID = '<default>';

type Entry = Record<string, unknown>;

function asEntry(value: unknown): Entry | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Entry) : undefined;
}

function normalisedUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
}

/** SonarQube for IDE's own suggestion: the server URL (no trailing slash) with each run of other characters one `-`; the organization key on Cloud. */
export function sonarlintConnectionId(target: SonarTarget): string {
  if (target.kind === 'cloud') return target.organization ?? 'sonarcloud';
  return target.serverUrl.replace(/\/+$/, '').replace(/[^A-Za-z0-9]+/g, '-');
}

function connectionIdOf(entry: Entry): string {
  return typeof entry.connectionId === 'string' && entry.connectionId !== '' ? entry.connectionId : DEFAULT_CONNECTION_ID;
}

function matches(entry: Entry, target: SonarTarget): boolean {
  if (target.kind === 'server') return typeof entry.serverUrl === 'string' && normalisedUrl(entry.serverUrl) === normalisedUrl(target.serverUrl);
  const region = typeof entry.region === 'string' && entry.region.toUpperCase() === 'US' ? 'US' : 'EU';
  return entry.organizationKey === target.organization && region === target.region;
}

function freeConnectionId(existing: SonarlintConnections, target: SonarTarget): string {
  const taken = new Set([...existing.sonarqube, ...existing.sonarcloud].map(asEntry).flatMap((entry) => (entry ? [connectionIdOf(entry)] : [])));
  const base = sonarlintConnectionId(target);
  let connectionId = base;
  for (let counter = 2; taken.has(connectionId); counter++) connectionId = `${base}-${counter}`;
  return connectionId;
}

/**
 * An entry without `connectionId` is `<default>` to SonarQube for IDE's folder bindings, but its edit command looks
 * entries up by `connectionId ===` and finds nothing for `<default>`. Writing `<default>` into the entry makes the
 * form open and changes nothing else: folder bindings without an id still resolve to it. When another entry is
 * `<default>` too, that name is ambiguous already, so the entry gets a fresh id of its own.
 */
function withExplicitId(existing: SonarlintConnections, section: ConnectionSection, found: Entry, target: SonarTarget): { connectionId: string; next: SonarlintConnections } {
  const defaults = [...existing.sonarqube, ...existing.sonarcloud].map(asEntry).filter((entry) => entry !== undefined && connectionIdOf(entry) === DEFAULT_CONNECTION_ID);
  const connectionId = defaults.length > 1 ? freeConnectionId(existing, target) : DEFAULT_CONNECTION_ID;
  const entries = existing[section].map((value) => (asEntry(value) === found ? { ...found, connectionId } : value));
  return { connectionId, next: { ...existing, [section]: entries } };
}

/** Reuses the entry for the same server or organization (giving it an id if it has none); otherwise adds one. Never writes a token. */
export function planConnectedModeConnection(existing: SonarlintConnections, target: SonarTarget): ConnectionPlan {
  const section: ConnectionSection = target.kind === 'server' ? 'sonarqube' : 'sonarcloud';
  const current = existing[section];
  const found = current.map(asEntry).find((entry): entry is Entry => entry !== undefined && matches(entry, target));
  if (found && typeof found.connectionId === 'string' && found.connectionId !== '') {
    return { section, connectionId: found.connectionId, reused: true, writeConnections: false, next: existing };
  }
  if (found) return { section, reused: true, writeConnections: true, ...withExplicitId(existing, section, found, target) };
  const connectionId = freeConnectionId(existing, target);
  const entry =
    target.kind === 'server'
      ? { connectionId, serverUrl: target.serverUrl.replace(/\/+$/, '') }
      : { connectionId, organizationKey: target.organization ?? '', region: target.region };
  return { section, connectionId, reused: false, writeConnections: true, next: { ...existing, [section]: [...current, entry] } };
}

export function removeConnectedModeConnection(existing: SonarlintConnections, section: ConnectionSection, connectionId: string): SonarlintConnections {
  return { ...existing, [section]: existing[section].filter((value) => { const entry = asEntry(value); return !entry || connectionIdOf(entry) !== connectionId; }) };
}

/** `.sonarlint/connectedMode.json` exactly as SonarQube for IDE reads it; it holds no secret and is meant to be committed. */
export function sharedConnectedModeJson(target: SonarTarget, projectKey: string): string {
  const content =
    target.kind === 'server'
      ? { sonarQubeUri: target.serverUrl.replace(/\/+$/, ''), projectKey }
      : { sonarCloudOrganization: target.organization ?? '', projectKey, region: target.region };
  return `${JSON.stringify(content, null, 2)}\n`;
}

export function projectBindingValue(connectionId: string, projectKey: string): { connectionId: string; projectKey: string } {
  return { connectionId, projectKey };
}

const ALLOWED: Record<ConnectionSection, { required: string[]; optional: string[] }> = {
  sonarqube: { required: ['serverUrl'], optional: ['connectionId', 'token', 'disableNotifications'] },
  sonarcloud: { required: ['organizationKey'], optional: ['connectionId', 'region', 'token', 'disableNotifications'] },
};

/** Problems against SonarQube for IDE's schema (`additionalProperties: false`); a `token` is allowed there but reported by `containsToken`. */
export function validateConnectedModeConnections(section: ConnectionSection, value: unknown): string[] {
  if (!Array.isArray(value)) return [`${section} must be an array`];
  return value.flatMap((item, index) => {
    const entry = asEntry(item);
    if (!entry) return [`${section}[${index}] must be an object`];
    const { required, optional } = ALLOWED[section];
    const problems = required.filter((key) => typeof entry[key] !== 'string').map((key) => `${section}[${index}].${key} is required`);
    for (const key of Object.keys(entry)) if (!required.includes(key) && !optional.includes(key)) problems.push(`${section}[${index}].${key} is not allowed`);
    if (section === 'sonarcloud' && entry.region !== undefined && entry.region !== 'EU' && entry.region !== 'US') problems.push(`${section}[${index}].region must be EU or US`);
    return problems;
  });
}

export function containsToken(connections: SonarlintConnections): boolean {
  return [...connections.sonarqube, ...connections.sonarcloud].some((entry) => asEntry(entry)?.token !== undefined);
}

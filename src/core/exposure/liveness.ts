// Is a found token still alive? Asked only of servers the person already connected to, or of the one server a file
// names once the person confirmed it by name for that finding: a file could point at anyone's server, and sending the
// token there would hand it over. One `api/authentication/validate` and one `api/users/current` per server asked.
import { connectionLabel } from '../connections/connectionStore';
import type { ConnectionRecord } from '../connections/connectionStore';
import type { Logger } from '../ports';
import { isSonarApiError } from '../sonar/errors';
import { parseServerUrl } from '../sonar/target';
import type { CallOptions, CurrentUser, SonarTarget } from '../sonar/types';
import type { Finding } from './scan';

/** What the check needs from a client that signs in with the found value (no retries: one request each). */
export interface TokenChecker {
  validateCredentials(options?: CallOptions): Promise<boolean>;
  currentUser(options?: CallOptions): Promise<CurrentUser>;
}

export type Liveness =
  | {
      readonly state: 'alive';
      /** The connection it was checked on; absent for a server the person confirmed for this finding. */
      readonly connectionId?: string;
      readonly target: SonarTarget;
      readonly serverLabel: string;
      readonly login: string;
      readonly userName: string;
    }
  /** Refused by every server asked: revoked, expired, or a token of another server. */
  | { readonly state: 'dead'; readonly refusedBy: readonly string[] }
  | { readonly state: 'unknown'; readonly reason: 'noServer' | 'unreachable' }
  /** The file names a server the person has no connection to: asked only after they confirm it by name. */
  | { readonly state: 'unknown'; readonly reason: 'needsConfirmation'; readonly host: string; readonly target: SonarTarget };

export interface LivenessDeps {
  readonly connections: readonly ConnectionRecord[];
  checkerFor(target: SonarTarget, token: string, serverVersion?: string): TokenChecker;
  readonly logger: Logger;
}

/** Where a finding may be checked without asking: connections only; a server named in the file but unknown waits. */
export interface CheckPlan {
  readonly connections: readonly ConnectionRecord[];
  readonly unconfirmed?: { readonly target: SonarTarget; readonly host: string };
}

function sameServer(a: SonarTarget, b: SonarTarget): boolean {
  if (a.kind === 'server' && b.kind === 'server') {
    const [left, right] = [new URL(a.serverUrl), new URL(b.serverUrl)];
    return left.origin === right.origin && left.pathname.replace(/\/+$/, '') === right.pathname.replace(/\/+$/, '');
  }
  return a.kind === 'cloud' && b.kind === 'cloud' && a.region === b.region;
}

function hintedTarget(finding: Finding): SonarTarget | undefined {
  const { hint } = finding;
  if (hint?.url) {
    const parsed = parseServerUrl(hint.url);
    return parsed.ok ? parsed.target : undefined;
  }
  return hint?.organization ? { kind: 'cloud', region: 'EU', organization: hint.organization } : undefined;
}

export function hostOf(target: SonarTarget): string {
  return target.kind === 'server' ? new URL(target.serverUrl).host : new URL(target.region === 'US' ? 'https://sonarqube.us' : 'https://sonarcloud.io').host;
}

export function planCheck(finding: Finding, connections: readonly ConnectionRecord[]): CheckPlan {
  const named = hintedTarget(finding);
  if (named) {
    const matching = connections.filter((connection) => sameServer(connection.target, named));
    return matching.length > 0 ? { connections: matching } : { connections: [], unconfirmed: { target: named, host: hostOf(named) } };
  }
  if (finding.hint?.url) return { connections: [] };
  const servers = connections.filter((connection) => connection.target.kind === 'server');
  const clouds = connections.filter((connection) => connection.target.kind === 'cloud');
  switch (finding.type) {
    case 'SCOPED_ORGANIZATION_TOKEN':
      return { connections: clouds };
    case 'UNTYPED':
      return { connections: [...clouds, ...servers] };
    default:
      return { connections: servers };
  }
}

interface Destination {
  readonly target: SonarTarget;
  readonly label: string;
  readonly connectionId?: string;
  readonly serverVersion?: string;
}

async function checkOn(deps: LivenessDeps, destination: Destination, value: string, signal?: AbortSignal): Promise<Liveness | 'refused' | 'unreachable'> {
  const checker = deps.checkerFor(destination.target, value, destination.serverVersion);
  try {
    if (!(await checker.validateCredentials({ signal }))) return 'refused';
    const user = await checker.currentUser({ signal });
    return { state: 'alive', connectionId: destination.connectionId, target: destination.target, serverLabel: destination.label, login: user.login, userName: user.name };
  } catch (error) {
    // A token the server refuses outright (401 on users/current) is as dead as `valid: false`.
    if (isSonarApiError(error) && error.kind === 'unauthorized') return 'refused';
    deps.logger.warn(`[exposure] checking a found token on ${destination.label} failed: ${isSonarApiError(error) ? error.kind : 'error'}`);
    return 'unreachable';
  }
}

/**
 * Checks one finding's value on the planned connections (first alive wins), or on `confirmed`: a server the person
 * confirmed by name for this finding. Never on a server named in the file otherwise.
 */
export async function checkLiveness(deps: LivenessDeps, finding: Finding, value: string, options: { confirmed?: SonarTarget; signal?: AbortSignal } = {}): Promise<Liveness> {
  const plan = planCheck(finding, deps.connections);
  const destinations: Destination[] = options.confirmed
    ? [{ target: options.confirmed, label: connectionLabel(options.confirmed) }]
    : plan.connections.map((connection) => ({ target: connection.target, label: connection.label, connectionId: connection.id, serverVersion: connection.serverVersion }));
  if (destinations.length === 0) {
    return plan.unconfirmed ? { state: 'unknown', reason: 'needsConfirmation', ...plan.unconfirmed } : { state: 'unknown', reason: 'noServer' };
  }
  const refusedBy: string[] = [];
  let unreachable = false;
  for (const destination of destinations) {
    const outcome = await checkOn(deps, destination, value, options.signal);
    if (outcome === 'refused') refusedBy.push(destination.label);
    else if (outcome === 'unreachable') unreachable = true;
    else return outcome;
  }
  return unreachable ? { state: 'unknown', reason: 'unreachable' } : { state: 'dead', refusedBy };
}

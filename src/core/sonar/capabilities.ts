// What a SonarQube can do for a token manager, decided by product and version (facts: "Version facts" in the Web API
// reference). Plain data, no undici or zod: flows and the tree decide what to offer from this.
import type { TokenType } from './types';

/** Where the browser handshake page lives; undefined: the server has none, sign in by pasting a token. */
export type HandshakeRoute = 'auth' | 'sonarlint/auth';

export interface ServerCapabilities {
  readonly product: 'server' | 'cloud';
  /** As the server reported it; undefined on SonarQube Cloud (never asked). */
  readonly version?: string;
  /** Bearer from 10.4, as SonarSource's own IDE client switches (documented from 10.0); Basic `token:` before. */
  readonly authScheme: 'bearer' | 'basic';
  /** The types `api/user_tokens/generate` can make: `type` and `projectKey` exist from 9.5; Cloud makes user tokens. */
  readonly tokenTypes: readonly TokenType[];
  /** `expirationDate` on generate (9.6): older servers ignore it and the token never expires. */
  readonly expirationDate: boolean;
  readonly handshakeRoute?: HandshakeRoute;
}

/** Leading numeric parts of a version string: `9.9.8.100196` -> [9, 9, 8, 100196]. */
export function versionParts(version: string): number[] {
  return (/^\d+(?:\.\d+)*/.exec(version.trim())?.[0] ?? '').split('.').filter((part) => part !== '').map(Number);
}

export function isVersionAtLeast(version: string, major: number, minor = 0): boolean {
  const [actualMajor, actualMinor = 0] = versionParts(version);
  if (actualMajor === undefined) return false;
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

/**
 * The `auth` page exists from Server 2026.2 and Community Build 26.2 (the builds SonarSource's CLI switches to it at);
 * `sonarlint/auth` from 9.7, kept by later servers "for older SonarQube IDEs". Community Build numbers (25.x, 26.x)
 * and the commercial years (2025.x, 2026.x) are told apart by size.
 */
function serverHandshakeRoute(version: string): HandshakeRoute | undefined {
  const [major = 0] = versionParts(version);
  const newRoute = major >= 2000 ? isVersionAtLeast(version, 2026, 2) : isVersionAtLeast(version, 26, 2);
  if (newRoute) return 'auth';
  return isVersionAtLeast(version, 9, 7) ? 'sonarlint/auth' : undefined;
}

export const cloudCapabilities: ServerCapabilities = {
  product: 'cloud',
  authScheme: 'bearer',
  // Cloud's analysis tokens are the organization's Scoped Organization Tokens, made on the organization's page.
  tokenTypes: ['USER_TOKEN'],
  expirationDate: true,
  handshakeRoute: 'auth',
};

/** A Server's capabilities from its version (`api/server/version`). */
export function serverCapabilities(version: string): ServerCapabilities {
  return {
    product: 'server',
    version,
    authScheme: isVersionAtLeast(version, 10, 4) ? 'bearer' : 'basic',
    tokenTypes: isVersionAtLeast(version, 9, 5) ? ['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'] : ['USER_TOKEN'],
    expirationDate: isVersionAtLeast(version, 9, 6),
    handshakeRoute: serverHandshakeRoute(version),
  };
}

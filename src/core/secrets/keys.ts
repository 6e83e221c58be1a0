// Typed names of everything this extension keeps in SecretStorage. Keys hold ids and names, never values.

/** Identifies one token on one connection: the user's login and the token's name are unique together. */
export interface TokenRef {
  readonly connectionId: string;
  readonly login: string;
  readonly name: string;
}

/** A token ref as stored (held-token index, bindings, journal): anything else there is ignored. */
export function isTokenRef(value: unknown): value is TokenRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Record<string, unknown>;
  return typeof ref.connectionId === 'string' && typeof ref.login === 'string' && typeof ref.name === 'string';
}

/** Only the three fields that identify the token, whatever else `source` carries (a tree node, a stored record). */
export function tokenRef(source: TokenRef): TokenRef {
  return { connectionId: source.connectionId, login: source.login, name: source.name };
}

export const SECRET_PREFIX = 'sonarqubeTokens.';

export type SecretKey = `sonarqubeTokens.signIn:${string}` | `sonarqubeTokens.token:${string}`;

/** The token a connection signs in with (used to list, generate and revoke). */
export function signInSecretKey(connectionId: string): SecretKey {
  return `sonarqubeTokens.signIn:${connectionId}`;
}

/** A generated token's value, held for copy, bindings and the MCP provider. */
export function tokenSecretKey(ref: TokenRef): SecretKey {
  return `sonarqubeTokens.token:${encodeURIComponent(ref.connectionId)}|${encodeURIComponent(ref.login)}|${encodeURIComponent(ref.name)}`;
}

export type ParsedSecretKey =
  | { readonly kind: 'signIn'; readonly connectionId: string }
  | { readonly kind: 'token'; readonly ref: TokenRef };

export function parseSecretKey(key: string): ParsedSecretKey | undefined {
  const signIn = /^sonarqubeTokens\.signIn:(.+)$/.exec(key);
  if (signIn) return { kind: 'signIn', connectionId: signIn[1] };
  const token = /^sonarqubeTokens\.token:([^|]*)\|([^|]*)\|([^|]*)$/.exec(key);
  if (!token) return undefined;
  const [connectionId, login, name] = token.slice(1).map(decodeURIComponent);
  return { kind: 'token', ref: { connectionId, login, name } };
}

export function sameTokenRef(a: TokenRef, b: TokenRef): boolean {
  return a.connectionId === b.connectionId && a.login === b.login && a.name === b.name;
}

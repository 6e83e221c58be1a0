// Reading the credentials of a request the way SonarQube does: Bearer (Cloud, Server 10.0+) or Basic `token:`.
import type { Session } from './api';
import type { FakeSonarModel } from './model';
import type { AuthScheme } from './types';

export interface Credentials {
  readonly scheme: AuthScheme;
  /** The token value; kept only in memory for the lookup, never recorded. */
  readonly token?: string;
  /** Basic with a password: a login/password pair, which the fake does not accept. */
  readonly password?: boolean;
}

export function readCredentials(authorization: string | undefined): Credentials {
  if (!authorization) return { scheme: 'none' };
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  const payload = rest.join(' ');
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'bearer', token: payload };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(payload, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    return { scheme: 'basic', token: login, password: password !== '' };
  }
  // An unknown scheme is as good as a wrong token.
  return { scheme: 'bearer', token: '' };
}

export type Authentication = { readonly outcome: 'none' } | { readonly outcome: 'rejected' } | { readonly outcome: 'accepted'; readonly session: Session & { kind: 'token' } };

/** Pure lookup: no connection dates move here (that happens only when the request is really handled). */
export function authenticate(credentials: Credentials, model: FakeSonarModel, bearerAccepted: boolean): Authentication {
  if (credentials.scheme === 'none') return { outcome: 'none' };
  if (credentials.scheme === 'bearer' && !bearerAccepted) return { outcome: 'rejected' };
  if (credentials.password || !credentials.token) return { outcome: 'rejected' };
  const token = model.lookupToken(credentials.token);
  const user = token && model.users.get(token.login);
  if (!token || !user || !user.active || model.isExpired(token)) return { outcome: 'rejected' };
  return { outcome: 'accepted', session: { kind: 'token', user, token } };
}

// One error type for everything that can go wrong talking to SonarQube; the host layer turns `kind` into words.
// Messages are built only from the status, the server's own `errors[].msg` texts and our descriptions:
// never from request headers or bodies, so no token can end up in a message, a log line or a stack.
import { isErrorNamed } from '../util/namedError';

export type SonarErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'badRequest'
  | 'methodNotAllowed'
  | 'rateLimited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'tls'
  | 'invalidResponse'
  | 'cancelled';

export interface SonarApiErrorDetails {
  readonly status?: number;
  /** The server's own `errors[].msg` texts, in order. */
  readonly serverMessages?: readonly string[];
  /** Seconds to wait, from `Retry-After` on a 429 or 503. */
  readonly retryAfterSeconds?: number;
  /** The Web API path that failed, e.g. `api/user_tokens/search` (no query string). */
  readonly endpoint?: string;
  /** For `invalidResponse`: which field or what was wrong, e.g. `userTokens[2].type` or `an HTML page`. */
  readonly detail?: string;
  /** For `network`/`tls`: the low-level code such as `ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`. */
  readonly code?: string;
  /**
   * True when a request that changes something (a POST) may have reached the server although its answer was lost:
   * generate may have made the token, revoke may have revoked it. Never set for reads.
   */
  readonly maybeDelivered?: boolean;
}

export class SonarApiError extends Error {
  readonly kind: SonarErrorKind;
  readonly status?: number;
  readonly serverMessages: readonly string[];
  readonly retryAfterSeconds?: number;
  readonly endpoint?: string;
  readonly detail?: string;
  readonly code?: string;
  readonly maybeDelivered: boolean;

  constructor(kind: SonarErrorKind, message: string, details: SonarApiErrorDetails = {}) {
    super(message);
    this.name = 'SonarApiError';
    this.kind = kind;
    this.status = details.status;
    this.serverMessages = details.serverMessages ?? [];
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.endpoint = details.endpoint;
    this.detail = details.detail;
    this.code = details.code;
    this.maybeDelivered = details.maybeDelivered ?? false;
  }
}

export function isSonarApiError(error: unknown): error is SonarApiError {
  return isErrorNamed(error, 'SonarApiError') && 'kind' in error;
}

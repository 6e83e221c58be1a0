// Public shapes of the fake SonarQube: options, injectable faults and the request log.
import type { TokenType } from '../../src/core/sonar/types';

export type { TokenType };
export type Flavour = 'server' | 'cloud';
export type Edition = 'community' | 'developer' | 'enterprise' | 'datacenter';
export type MaxTokenLifetimeSetting = '30 days' | '90 days' | '1 year' | 'No expiration';

export interface FakeSonarOptions {
  /** Default `server`. */
  flavour?: Flavour;
  /** Server default `2025.1.0.102418`; Cloud default `8.0.0.74829`. `serverProfiles` in versions.ts lists the tested ones. */
  version?: string;
  /** Default `developer`. */
  edition?: Edition;
  /** `sonar.auth.token.max.allowed.lifetime`: only enforced on Enterprise and Data Center, like the real server. */
  maxTokenLifetime?: MaxTokenLifetimeSetting;
  /** e.g. `/sonarqube`. */
  contextPath?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /**
   * Serve HTTPS with a throw-away CA made at start; `expired` gives the server an expired leaf certificate;
   * `hostNames` are DNS names its certificate is also valid for (e.g. `sonarcloud.io` behind `startTunnelProxy`).
   */
  https?: boolean | { expired?: boolean; hostNames?: readonly string[] };
  /** Added to every response. */
  latencyMs?: number;
  /** The clock for expiry, creation and connection dates. */
  now?: () => Date;
  /** `sonar.forceAuthentication`: anonymous calls to non-public endpoints get 401. */
  forceAuthentication?: boolean;
  /** Time zone offset of the dates in responses, in minutes east of UTC (default 0 gives `+0000`). */
  utcOffsetMinutes?: number;
}

export interface UserInput {
  login: string;
  name?: string;
  email?: string;
  /** System Administrator (`admin` global permission). */
  admin?: boolean;
  /** Execute Analysis (`scan` global permission); default true, as the default groups have it. */
  scan?: boolean;
  /** Default true; deactivated users cannot authenticate. */
  active?: boolean;
}

export interface ProjectInput {
  key: string;
  name: string;
  /** SonarQube Cloud organization key. */
  organization?: string;
  /** Logins given Execute Analysis on this project only (without the global `scan`). */
  scanners?: string[];
}

export interface OrganizationInput {
  key: string;
  name: string;
  description?: string;
  members: string[];
}

/** A token as if made in the web UI. Dates: `YYYY-MM-DD` (start of that day, UTC), any ISO 8601 date-time, or a Date. */
export interface TokenInput {
  name: string;
  type?: TokenType;
  projectKey?: string;
  expirationDate?: string | Date;
  lastConnectionDate?: string | Date;
  createdAt?: string | Date;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string | object; headers?: Record<string, string> }
  /** Destroys the socket before answering (the request is not processed). */
  | { kind: 'drop' }
  /** Processes the request (e.g. really creates the token), then destroys the socket instead of answering. */
  | { kind: 'dropAfterHandling' }
  /** Processes the request, sends the headers and half the body, then resets the connection. */
  | { kind: 'resetMidBody' }
  /** 200 `text/html`: a login page where JSON was expected. */
  | { kind: 'html' }
  /** 302 to `<context>/sessions/new`, as a server behind an SSO proxy does. */
  | { kind: 'redirectToLogin' }
  | { kind: 'malformedJson' }
  /** 200 JSON whose fields have the wrong types. */
  | { kind: 'wrongShape' }
  /** 200 `application/json` with no body. */
  | { kind: 'emptyBody' }
  /** 429, with `Retry-After` when given. */
  | { kind: 'rateLimit'; retryAfterSeconds?: number }
  /** Waits, then processes the request normally. */
  | { kind: 'delay'; ms: number }
  /** Processes the request, sends the headers and half the body, then never sends the rest. */
  | { kind: 'stallMidBody' }
  /** 200 JSON of about `bytes` bytes (not processed). */
  | { kind: 'hugeBody'; bytes: number }
  /** Processes the request and sends the real answer at this rate. */
  | { kind: 'trickle'; bytesPerSecond: number };

export type AuthScheme = 'bearer' | 'basic' | 'none';

export interface RecordedRequest {
  method: string;
  /** Without the context path or leading slash, e.g. `api/user_tokens/search`. */
  path: string;
  query: Record<string, string>;
  /** POST fields (`application/x-www-form-urlencoded`). */
  form: Record<string, string>;
  /** The scheme the caller used; the credentials themselves are never recorded. */
  auth: AuthScheme;
  /** Set when the credentials authenticated a user. */
  authenticatedLogin?: string;
  /** The `Origin` request header. */
  origin?: string;
  /** The answered status; absent when the connection was dropped before an answer. */
  status?: number;
}

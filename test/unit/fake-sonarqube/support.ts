// Helpers for the fake SonarQube's own tests: start/close fakes per test, and call them like a client would.
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { FakeSonarQube } from '../../fake-sonarqube';
import type { FakeSonarOptions } from '../../fake-sonarqube';

/** Starts fakes that are all closed after each test, also when it failed. */
export function fakeLifecycle(): (options?: FakeSonarOptions) => Promise<FakeSonarQube> {
  const started: FakeSonarQube[] = [];
  afterEach(async () => {
    await Promise.allSettled(started.splice(0).map((fake) => fake.close()));
  });
  return async (options = {}) => {
    const fake = await FakeSonarQube.start(options);
    started.push(fake);
    return fake;
  };
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  token?: string;
  /** Default bearer. */
  scheme?: 'bearer' | 'basic';
  query?: Record<string, string>;
  form?: Record<string, string>;
  /** A raw body (set the content type in `headers`). */
  body?: string;
  headers?: Record<string, string>;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

export function authorization(token: string, scheme: 'bearer' | 'basic' = 'bearer'): string {
  return scheme === 'bearer' ? `Bearer ${token}` : `Basic ${Buffer.from(`${token}:`, 'utf8').toString('base64')}`;
}

/** One request to `<fake.url>/<path>`; POST fields go form-encoded, as the real clients send them. */
export async function call(fake: FakeSonarQube, path: string, options: CallOptions = {}): Promise<CallResult> {
  const url = new URL(`${fake.url}/${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = authorization(options.token, options.scheme);
  let body = options.body;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await request(url, {
    method: options.method ?? (options.form ? 'POST' : 'GET'),
    headers,
    body,
    dispatcher: options.dispatcher,
    signal: options.signal,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** The `errors[].msg` texts of a Web API error answer. */
export function errorTexts(result: CallResult): string[] {
  return (result.json() as { errors: { msg: string }[] }).errors.map((error) => error.msg);
}

/** A dispatcher that trusts only the given CA. */
export function trustingAgent(ca: string | undefined): Agent {
  return new Agent({ connect: { ca } });
}

/** A clock the test moves by hand. */
export function manualClock(start: string): { now: () => Date; advance(ms: number): void; set(iso: string): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => void (current += ms),
    set: (iso) => void (current = new Date(iso).getTime()),
  };
}

/**
 * The keys and value types of a JSON value. Arrays go element by element (order and per-element fields count), or
 * with `distinctElements` as the distinct shapes of their elements (for lists whose length means nothing).
 */
export function shapeOf(value: unknown, options: { distinctElements?: boolean } = {}): unknown {
  if (Array.isArray(value)) {
    const shapes = value.map((element) => shapeOf(element, options));
    return options.distinctElements ? [...new Set(shapes.map((shape) => JSON.stringify(shape)))].map((shape) => JSON.parse(shape) as unknown) : shapes;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shapeOf(inner, options)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

export const sonarDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

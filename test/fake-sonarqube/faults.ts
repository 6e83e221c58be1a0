// Injected faults: which requests they hit, and how each one reaches (or does not reach) the socket.
import type { ServerResponse } from 'node:http';
import { errorResponse, jsonResponse, loginPage, textResponse } from './http';
import type { FakeResponse } from './http';
import type { Fault } from './types';

interface FaultEntry {
  readonly method?: string;
  readonly path: string;
  readonly fault: Fault;
  remaining: number;
}

/** Faults that answer instead of the real handler: the request is not processed at all. */
export type ReplacingFault = Extract<Fault, { kind: 'status' | 'html' | 'redirectToLogin' | 'malformedJson' | 'wrongShape' | 'emptyBody' | 'rateLimit' }>;

export function isReplacing(fault: Fault): fault is ReplacingFault {
  return ['status', 'html', 'redirectToLogin', 'malformedJson', 'wrongShape', 'emptyBody', 'rateLimit'].includes(fault.kind);
}

export class FaultBook {
  private entries: FaultEntry[] = [];

  /**
   * `route`: `'POST api/user_tokens/generate'` (that method only) or `'api/user_tokens/search'` (any method).
   * Replaces an earlier fault on the same route, so `times: 0` removes it.
   */
  add(route: string, fault: Fault, times = Number.POSITIVE_INFINITY): void {
    const match = /^(?:([A-Z]+)\s+)?\/?(.*)$/.exec(route.trim())!;
    const [method, path] = [match[1], match[2]!];
    this.entries = this.entries.filter((entry) => entry.method !== method || entry.path !== path);
    if (times > 0) this.entries.push({ method, path, fault, remaining: times });
  }

  /** The first fault for this request, counted as used. */
  take(method: string, path: string): Fault | undefined {
    const entry = this.entries.find((candidate) => candidate.path === path && (!candidate.method || candidate.method === method));
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.entries = this.entries.filter((candidate) => candidate !== entry);
    return entry.fault;
  }

  clear(): void {
    this.entries = [];
  }
}

/** Every field a schema of the client reads, with the wrong type. */
const wrongShape = {
  login: 42,
  name: ['not', 'a', 'string'],
  isLoggedIn: 'yes',
  token: null,
  userTokens: { name: 'not an array' },
  users: 'none',
  paging: 'first',
  settings: 7,
  projects: true,
  components: 0,
  organizations: {},
  status: 1,
};

export function replacingResponse(fault: ReplacingFault, contextPath: string, path: string): FakeResponse {
  switch (fault.kind) {
    case 'status': {
      const body = fault.body ?? '';
      const response = typeof body === 'string' ? textResponse(fault.status, body, /^\s*[{[]/.test(body) ? 'application/json' : 'text/plain') : jsonResponse(fault.status, body);
      return { ...response, headers: { ...response.headers, ...fault.headers } };
    }
    case 'html':
      return loginPage(contextPath);
    case 'redirectToLogin':
      return { status: 302, headers: { Location: `${contextPath}/sessions/new?return_to=${encodeURIComponent(`${contextPath}/${path}`)}` }, body: Buffer.alloc(0) };
    case 'malformedJson':
      return textResponse(200, '{"login":"someone","userTokens":[{"name":"half', 'application/json');
    case 'wrongShape':
      return jsonResponse(200, wrongShape);
    case 'emptyBody':
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(0) };
    case 'rateLimit':
      return {
        ...errorResponse(429, 'Too many requests. Please wait a few minutes before retrying.'),
        ...(fault.retryAfterSeconds !== undefined
          ? { headers: { 'Content-Type': 'application/json', 'Retry-After': String(fault.retryAfterSeconds) } }
          : {}),
      };
  }
}

function writeHead(res: ServerResponse, response: FakeResponse): void {
  res.writeHead(response.status, { ...response.headers, 'Content-Length': String(response.body.length) });
}

/** Sends a (real or replacing) answer, shaped by a delivery fault when there is one. */
export function deliver(res: ServerResponse, response: FakeResponse, fault: Fault | undefined, timers: Set<NodeJS.Timeout>): void {
  const half = response.body.subarray(0, Math.floor(response.body.length / 2));
  switch (fault?.kind) {
    case 'dropAfterHandling':
      res.socket?.destroy();
      return;
    case 'resetMidBody':
      writeHead(res, response);
      res.write(half, () => res.socket?.resetAndDestroy());
      return;
    case 'stallMidBody':
      // Never finishes: the client's timeout (or close()) ends it.
      writeHead(res, response);
      res.write(half);
      return;
    case 'trickle': {
      writeHead(res, response);
      const tickMs = 100;
      const chunkBytes = Math.max(1, Math.floor((fault.bytesPerSecond * tickMs) / 1000));
      let offset = 0;
      const tick = () => {
        timers.delete(timer);
        if (res.destroyed) return;
        const chunk = response.body.subarray(offset, offset + chunkBytes);
        offset += chunk.length;
        if (offset >= response.body.length) res.end(chunk);
        else {
          res.write(chunk);
          timer = setTimeout(tick, tickMs);
          timers.add(timer);
        }
      };
      let timer = setTimeout(tick, 0);
      timers.add(timer);
      return;
    }
    default:
      writeHead(res, response);
      res.end(response.body);
  }
}

/** About `bytes` bytes of valid JSON, streamed with back-pressure so memory stays flat. */
export function streamHugeBody(res: ServerResponse, bytes: number): void {
  const head = '{"padding":"';
  const tail = '"}';
  const fill = Math.max(0, bytes - head.length - tail.length);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(head.length + fill + tail.length) });
  res.write(head);
  const block = Buffer.alloc(64 * 1024, 'x');
  let left = fill;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const chunk = block.subarray(0, Math.min(block.length, left));
      left -= chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end(tail);
  };
  pump();
}

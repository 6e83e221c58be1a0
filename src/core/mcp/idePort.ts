// SonarQube for IDE's embedded server listens on the first free port of 64120-64130; the MCP server can use it.
import { HANDSHAKE_PORTS } from '../auth/handshakePorts';

export type StatusFetcher = (port: number, signal: AbortSignal) => Promise<unknown>;

async function fetchStatus(port: number, signal: AbortSignal): Promise<unknown> {
  // Loaded when a server starts, not when the extension activates.
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/sonarlint/api/status', signal }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 16_384) request.destroy(new Error('status too large'));
      });
      response.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
  });
}

/** SonarQube for IDE answers with its IDE name; our own sign-in listener also answers, but says so. */
function isSonarQubeForIde(status: unknown): boolean {
  const candidate = status as { ideName?: unknown; description?: unknown } | null;
  return typeof candidate?.ideName === 'string' && !(typeof candidate.description === 'string' && candidate.description.includes('SonarQube Tokens'));
}

/** The lowest port where SonarQube for IDE answers, or undefined; never throws, never waits past the timeout. */
export async function probeSonarLintIdePort(options: { ports?: readonly number[]; timeoutMs?: number; fetchStatus?: StatusFetcher } = {}): Promise<number | undefined> {
  const ports = options.ports ?? HANDSHAKE_PORTS;
  // One signal per request: eleven requests listening on one signal exceed Node's listener limit, and it warns.
  const controllers = ports.map(() => new AbortController());
  const abortAll = () => controllers.forEach((controller) => controller.abort());
  const timer = setTimeout(abortAll, options.timeoutMs ?? 300);
  const fetcher = options.fetchStatus ?? fetchStatus;
  try {
    const answers = await Promise.all(ports.map((port, index) => fetcher(port, controllers[index].signal).then(isSonarQubeForIde, () => false)));
    const index = answers.indexOf(true);
    return index >= 0 ? ports[index] : undefined;
  } finally {
    clearTimeout(timer);
    abortAll();
  }
}

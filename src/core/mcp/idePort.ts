// SonarQube for IDE runs an embedded server in every editor window, each on the first free port of 64120-64130. The
// MCP server is given this window's port; the lowest port that answers may well belong to another window.
import { HANDSHAKE_PORTS } from '../auth/handshakePorts';
import type { SonarlintConnections } from '../connectedMode/sonarlint';
import { cloudBaseUrl } from '../sonar/target';

/** How this window's SonarQube for IDE describes itself, and the origin it answers that description to. */
export interface IdeWindow {
  /** `description` in its `/sonarlint/api/status` answer: see `sonarLintWindowDescription`. */
  readonly description: string;
  /** The origin of one of its connections; it gives its description only to a request from a server it is connected to. */
  readonly trustedOrigin?: string;
}

/** Sent when SonarQube for IDE has no connection: without an `Origin` it answers 400, with an unknown one no description. */
const OWN_ORIGIN = 'vscode-extension://sonarqube-tokens';

/** What SonarQube for IDE's language server answers as `description`: `<editor version> - <workspace name>`. */
export function sonarLintWindowDescription(editorVersion: string, workspaceName: string | undefined): string {
  return `${editorVersion} - ${workspaceName ?? '(no open folder)'}`;
}

function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

/** SonarQube for IDE's connections are the same in every window (application settings): any one of them will do. */
export function trustedOriginOf(connections: SonarlintConnections): string | undefined {
  const serverUrls = connections.sonarqube.map((entry) => (entry as { serverUrl?: unknown } | null)?.serverUrl);
  const cloudUrls = connections.sonarcloud.map((entry) => cloudBaseUrl(String((entry as { region?: unknown } | null)?.region).toUpperCase() === 'US' ? 'US' : 'EU'));
  for (const url of [...serverUrls, ...cloudUrls]) {
    const origin = typeof url === 'string' ? originOf(url) : undefined;
    if (origin) return origin;
  }
  return undefined;
}

export type StatusFetcher = (port: number, origin: string, signal: AbortSignal) => Promise<unknown>;

/** SonarQube for IDE's status is a few hundred characters: anything longer is another program, and is not read on. */
const STATUS_LIMIT = 16_384;

async function fetchStatus(port: number, origin: string, signal: AbortSignal): Promise<unknown> {
  // Loaded when a server starts, not when the extension activates.
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/sonarlint/api/status', headers: { origin }, signal }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      // Destroying the exchange makes the response emit an error: without a listener it would be thrown uncaught.
      response.on('error', reject);
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length <= STATUS_LIMIT) return;
        // Settled first: the rest of the answer, had it already arrived, must not be read as the status.
        reject(new Error('status too large'));
        request.destroy();
      });
      response.on('end', () => {
        try {
          if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
  });
}

/** The description of a SonarQube for IDE answer (empty when it did not trust the origin), or undefined for anything else; our own sign-in listener answers too, but says so. */
function sonarQubeForIdeDescription(status: unknown): string | undefined {
  const candidate = status as { ideName?: unknown; description?: unknown } | null;
  if (typeof candidate?.ideName !== 'string') return undefined;
  const description = typeof candidate.description === 'string' ? candidate.description : '';
  return description.includes('SonarQube Tokens') ? undefined : description;
}

export interface IdePortProbe {
  /** Set only when exactly one answer is this window's. */
  readonly port?: number;
  /** One line for the log: the port found, or why there is none. */
  readonly explanation: string;
}

function explain(window: IdeWindow, ports: readonly number[], answers: ReadonlyArray<{ port: number; description: string }>): IdePortProbe {
  const ours = answers.filter((answer) => answer.description === window.description);
  const list = (some: ReadonlyArray<{ port: number }>) => some.map((answer) => answer.port).join(', ');
  if (ours.length === 1) return { port: ours[0].port, explanation: `SonarQube for IDE of this window ("${window.description}") answers on port ${ours[0].port}.` };
  const unset = 'SONARQUBE_IDE_PORT is not set.';
  if (ours.length > 1) return { explanation: `SonarQube for IDE answers as this window ("${window.description}") on ports ${list(ours)}, more than one window of that name: ${unset}` };
  if (answers.length === 0) return { explanation: `SonarQube for IDE does not answer on ports ${ports.join(', ')} (not installed or not started yet): ${unset}` };
  if (answers.every((answer) => answer.description === '')) {
    const why = window.trustedOrigin ? `it did not accept ${window.trustedOrigin}` : 'it has no connection to ask from';
    return { explanation: `SonarQube for IDE answers on ports ${list(answers)} but tells its window only to a server it is connected to, and ${why}: ${unset}` };
  }
  return { explanation: `SonarQube for IDE answers on ports ${list(answers)} for other windows, not this one ("${window.description}"): ${unset}` };
}

/** This window's SonarQube for IDE port, or none with the reason; never throws, never waits past the timeout. */
export async function probeSonarLintIdePort(window: IdeWindow, options: { ports?: readonly number[]; timeoutMs?: number; fetchStatus?: StatusFetcher } = {}): Promise<IdePortProbe> {
  const ports = options.ports ?? HANDSHAKE_PORTS;
  const origin = window.trustedOrigin ?? OWN_ORIGIN;
  // One signal per request: eleven requests listening on one signal exceed Node's listener limit, and it warns.
  const controllers = ports.map(() => new AbortController());
  const abortAll = () => controllers.forEach((controller) => controller.abort());
  const timer = setTimeout(abortAll, options.timeoutMs ?? 300);
  const fetcher = options.fetchStatus ?? fetchStatus;
  try {
    const descriptions = await Promise.all(ports.map((port, index) => fetcher(port, origin, controllers[index].signal).then(sonarQubeForIdeDescription, () => undefined)));
    const answers = ports.flatMap((port, index) => {
      const description = descriptions[index];
      return description === undefined ? [] : [{ port, description }];
    });
    return explain(window, ports, answers);
  } finally {
    clearTimeout(timer);
    abortAll();
  }
}

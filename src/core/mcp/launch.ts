// How the SonarQube MCP Server is started: command, arguments and environment, everything except the token.
import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import { cloudBaseUrl } from '../sonar/target';
import type { SonarTarget } from '../sonar/types';
import { PRODUCT } from '../productNames';

export const TOKEN_ENV = 'SONARQUBE_TOKEN';

export interface McpLauncherSettings {
  readonly launcher: 'docker' | 'jar' | 'custom';
  readonly dockerImage: string;
  readonly jarPath?: string;
  readonly customCommand?: string;
  readonly customArgs?: readonly string[];
  readonly toolsets?: readonly string[];
  readonly readOnly?: boolean;
  /** Where the JAR keeps its data (`STORAGE_PATH`): the extension's global storage folder. */
  readonly storagePath?: string;
}

export interface McpLaunch {
  readonly command: string;
  readonly args: string[];
  /** Never holds the token: `withToken` adds it for the one target that passes an environment to the child. */
  readonly env: Record<string, string>;
  readonly warnings: string[];
}

export class McpLaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpLaunchError';
  }
}

export interface McpLaunchOptions {
  /** This window's SonarQube for IDE embedded server (`SONARQUBE_IDE_PORT`). */
  readonly idePort?: number;
  /** Where the server runs; `process.platform` unless a test says otherwise. */
  readonly platform?: NodeJS.Platform;
  readonly t?: Translate;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function isOnThisComputer(target: SonarTarget): boolean {
  if (target.kind !== 'server' || !URL.canParse(target.serverUrl)) return false;
  return isLoopbackHost(new URL(target.serverUrl).hostname);
}

/** Docker Desktop (macOS, Windows) reaches this computer as `host.docker.internal`; `localhost` is the container. */
function containerUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.hostname = 'host.docker.internal';
  return url.toString().replace(/\/$/, '');
}

/** `java -jar <file>.jar` or any command given a `.jar`: the JAR needs `STORAGE_PATH`, which only the image sets. */
function runsTheJar(settings: McpLauncherSettings): boolean {
  if (settings.launcher === 'jar') return true;
  if (settings.launcher !== 'custom') return false;
  return [settings.customCommand ?? '', ...(settings.customArgs ?? [])].some((argument) => argument === '-jar' || /\.jar$/i.test(argument));
}

export function buildMcpLaunch(settings: McpLauncherSettings, target: SonarTarget, options: McpLaunchOptions = {}): McpLaunch {
  const t = options.t ?? englishMessage;
  const warnings: string[] = [];
  const env: Record<string, string> = {};
  const reachesThisComputer = isOnThisComputer(target) || options.idePort !== undefined;
  // On Linux there is no host.docker.internal by default: the container must share the host's network to reach a
  // Server on the host's loopback or SonarQube for IDE's embedded server (the MCP server's README says the same).
  const hostNetwork = settings.launcher === 'docker' && (options.platform ?? process.platform) === 'linux' && reachesThisComputer;
  if (target.kind === 'server') {
    const rewritten = settings.launcher === 'docker' && !hostNetwork && isOnThisComputer(target) ? containerUrl(target.serverUrl) : undefined;
    env.SONARQUBE_URL = rewritten ?? target.serverUrl;
    if (rewritten) {
      warnings.push(t('{0} is on this computer, which a container reaches as host.docker.internal: the MCP server is given {1}.', target.serverUrl, rewritten));
    }
  } else {
    if (target.region === 'US') env.SONARQUBE_URL = cloudBaseUrl('US');
    if (target.organization) env.SONARQUBE_ORG = target.organization;
  }
  if (runsTheJar(settings) && settings.storagePath) env.STORAGE_PATH = settings.storagePath;
  if (settings.toolsets && settings.toolsets.length > 0) env.SONARQUBE_TOOLSETS = settings.toolsets.join(',');
  if (settings.readOnly) env.SONARQUBE_READ_ONLY = 'true';
  if (options.idePort !== undefined) env.SONARQUBE_IDE_PORT = String(options.idePort);

  switch (settings.launcher) {
    case 'docker': {
      // `-e NAME` without a value passes the variable from docker's own environment: no value on the command line.
      const passed = [TOKEN_ENV, ...Object.keys(env)].flatMap((name) => ['-e', name]);
      const network = hostNetwork ? ['--network=host'] : [];
      return { command: 'docker', args: ['run', '--init', '--pull=always', '-i', '--rm', ...network, ...passed, settings.dockerImage], env, warnings };
    }
    case 'jar':
      if (!settings.jarPath) throw new McpLaunchError(
          t(
            {
              message: 'Set sonarqubeTokens.mcp.jarPath to the {0} JAR, or choose another launcher in sonarqubeTokens.mcp.launcher.',
              comment: ['{0} is a product name, SonarQube MCP Server. Keep sonarqubeTokens.mcp.jarPath and sonarqubeTokens.mcp.launcher: they are setting names.'],
            },
            PRODUCT.sonarQubeMcpServer,
          ),
        );
      return { command: 'java', args: ['-jar', settings.jarPath], env, warnings };
    case 'custom':
      if (!settings.customCommand) throw new McpLaunchError(t('Set sonarqubeTokens.mcp.customCommand, or choose another launcher in sonarqubeTokens.mcp.launcher.'));
      return { command: settings.customCommand, args: [...(settings.customArgs ?? [])], env, warnings };
  }
}

/** The environment VS Code gives the child it spawns: the only place the value goes. */
export function withToken(env: Record<string, string>, token: string): Record<string, string> {
  return { ...env, [TOKEN_ENV]: token };
}

// The MCP clients a token can be bound to: where each keeps its configuration and how it can reference a secret.
import * as path from 'node:path';
import type { Translate } from '../ports';
import { TOKEN_ENV } from './launch';

export type McpTargetId =
  | 'vscodeProvider'
  | 'vscodeWorkspace'
  | 'cursorUser'
  | 'cursorWorkspace'
  | 'windsurf'
  | 'claudeCodeProject'
  | 'claudeCodeUser'
  | 'geminiCli'
  | 'kiro'
  | 'claudeDesktop';

export interface McpTargetDescriptor {
  readonly id: McpTargetId;
  /** The client's name alone, e.g. "Cursor": the file or server it uses is shown beside it. */
  client(t: Translate): string;
  label(t: Translate): string;
  detail(t: Translate): string;
  readonly scope: 'provider' | 'user' | 'workspace';
  /** How the file refers to the token: VS Code's provider needs no file; Claude Desktop can only hold the value. */
  readonly secret: 'provider' | 'input' | 'envVar' | 'plainText';
  readonly topKey?: 'servers' | 'mcpServers';
}

export interface PathContext {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  /** `%APPDATA%` on Windows. */
  readonly appData?: string;
  readonly workspaceFolder?: string;
}

const fromEnvironment = (t: Translate) => t('references the SONARQUBE_TOKEN environment variable; no value in the file');

/** Product names are not translated. */
const brand = (name: string) => (): string => name;

/** Recommended first. */
export const MCP_TARGETS: readonly McpTargetDescriptor[] = [
  { id: 'vscodeProvider', client: (t) => t('VS Code'), scope: 'provider', secret: 'provider', label: (t) => t('VS Code (built in, recommended)'), detail: (t) => t('VS Code starts the server with the token from secure storage in its environment: no file, no command line.') },
  { id: 'vscodeWorkspace', client: (t) => t('VS Code workspace'), scope: 'workspace', secret: 'input', topKey: 'servers', label: (t) => t('VS Code workspace (.vscode/mcp.json)'), detail: (t) => t('To share with the team: VS Code asks each person for their token once and keeps it in its secure storage.') },
  { id: 'cursorUser', client: brand('Cursor'), scope: 'user', secret: 'envVar', topKey: 'mcpServers', label: (t) => t('Cursor (user, ~/.cursor/mcp.json)'), detail: fromEnvironment },
  { id: 'cursorWorkspace', client: brand('Cursor'), scope: 'workspace', secret: 'envVar', topKey: 'mcpServers', label: (t) => t('Cursor (project, .cursor/mcp.json)'), detail: fromEnvironment },
  { id: 'windsurf', client: brand('Windsurf'), scope: 'user', secret: 'envVar', topKey: 'mcpServers', label: (t) => t('Windsurf'), detail: fromEnvironment },
  { id: 'claudeCodeProject', client: brand('Claude Code'), scope: 'workspace', secret: 'envVar', topKey: 'mcpServers', label: (t) => t('Claude Code (project, .mcp.json)'), detail: fromEnvironment },
  { id: 'claudeCodeUser', client: brand('Claude Code'), scope: 'user', secret: 'envVar', topKey: 'mcpServers', label: (t) => t('Claude Code (user, ~/.claude.json)'), detail: fromEnvironment },
  { id: 'geminiCli', client: brand('Gemini CLI'), scope: 'user', secret: 'envVar', topKey: 'mcpServers', label: (t) => t('Gemini CLI'), detail: fromEnvironment },
  { id: 'kiro', client: brand('Kiro'), scope: 'user', secret: 'envVar', topKey: 'mcpServers', label: (t) => t('Kiro'), detail: fromEnvironment },
  { id: 'claudeDesktop', client: brand('Claude Desktop'), scope: 'user', secret: 'plainText', topKey: 'mcpServers', label: (t) => t('Claude Desktop (plain text)'), detail: (t) => t('Claude Desktop cannot reference a secret: the value is written in its file, readable by you only.') },
];

export function mcpTarget(id: McpTargetId): McpTargetDescriptor {
  const target = MCP_TARGETS.find((candidate) => candidate.id === id);
  if (!target) throw new Error(`Unknown MCP target ${id}`);
  return target;
}

/** The file a target edits, or undefined when it has none here (built in, no folder, Claude Desktop on Linux). */
export function mcpConfigPath(id: McpTargetId, context: PathContext): string | undefined {
  const paths = context.platform === 'win32' ? path.win32 : path.posix;
  const home = (...parts: string[]) => paths.join(context.home, ...parts);
  const folder = (...parts: string[]) => (context.workspaceFolder ? paths.join(context.workspaceFolder, ...parts) : undefined);
  switch (id) {
    case 'vscodeProvider':
      return undefined;
    case 'vscodeWorkspace':
      return folder('.vscode', 'mcp.json');
    case 'cursorUser':
      return home('.cursor', 'mcp.json');
    case 'cursorWorkspace':
      return folder('.cursor', 'mcp.json');
    case 'windsurf':
      return home('.codeium', 'windsurf', 'mcp_config.json');
    case 'claudeCodeProject':
      return folder('.mcp.json');
    case 'claudeCodeUser':
      return home('.claude.json');
    case 'geminiCli':
      return home('.gemini', 'settings.json');
    case 'kiro':
      return home('.kiro', 'settings', 'mcp.json');
    case 'claudeDesktop':
      if (context.platform === 'darwin') return home('Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
      if (context.platform === 'win32') return paths.join(context.appData ?? paths.join(context.home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
      return undefined;
  }
}

/** What goes into `env.SONARQUBE_TOKEN` in the client's own interpolation syntax (never the value). */
export function tokenReference(id: McpTargetId, inputId?: string): string {
  switch (id) {
    case 'vscodeWorkspace':
      return `\${input:${inputId ?? 'sonarqube-token'}}`;
    case 'cursorUser':
    case 'cursorWorkspace':
    case 'windsurf':
    case 'kiro':
      return `\${env:${TOKEN_ENV}}`;
    default:
      return `\${${TOKEN_ENV}}`;
  }
}

export function providingInstructions(id: McpTargetId, t: Translate): string {
  const client = mcpTarget(id).label(t);
  switch (id) {
    case 'vscodeProvider':
      return t('Start it from "MCP: List Servers"; the token reaches it through its environment.');
    case 'vscodeWorkspace':
      return t('VS Code asks for the token the first time the server starts and keeps it in its secure storage.');
    case 'claudeDesktop':
      return t('The value is in the file, readable by you only. Restart Claude Desktop to use it.');
    default:
      return t('{0} reads {1} from the environment it was started in: set it in your shell profile (for example from your password manager) before starting {0}.', client, TOKEN_ENV);
  }
}

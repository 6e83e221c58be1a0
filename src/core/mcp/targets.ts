// The MCP clients a token can be bound to, one row each: where the client keeps its configuration on each operating
// system, what its entry looks like, how it refers to a variable, and what the person must still do in it. Adding a
// client is one row here (and its tests); nothing else branches on client ids.
import * as path from 'node:path';
import type { Translate } from '../ports';
import { PRODUCT } from '../productNames';

export type McpTargetId =
  | 'vscodeProvider'
  | 'cursorExtension'
  | 'vscodeWorkspace'
  | 'cursorUser'
  | 'cursorWorkspace'
  | 'windsurf'
  | 'windsurfNext'
  | 'claudeCodeProject'
  | 'claudeCodeUser'
  | 'geminiCli'
  | 'kiro'
  | 'kiroWorkspace'
  | 'claudeDesktop';

/** Where the files are: the editor's environment moves some of them (`CLAUDE_CONFIG_DIR`, `GEMINI_CLI_HOME`…). */
export interface PathContext {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly workspaceFolder?: string;
  /** The environment the editor was started with: `APPDATA`, `LOCALAPPDATA`, `CLAUDE_CONFIG_DIR`, `GEMINI_CLI_HOME`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether a folder exists (Claude Desktop's MSIX install is preferred when its package folder is there). */
  readonly exists?: (folder: string) => boolean;
}

/** What a row's file function gets: paths joined the way the target OS joins them. */
export interface FilePlaces {
  readonly platform: NodeJS.Platform;
  home(...parts: string[]): string;
  /** Undefined when no folder is open. */
  folder(...parts: string[]): string | undefined;
  /** A variable of the editor's environment, undefined when unset or empty. */
  env(name: string): string | undefined;
  join(...parts: string[]): string;
  exists(folder: string): boolean;
}

/** How the fallback entry (no credential store) refers to a variable, with `NAME` standing for the variable. */
export type VariableSyntax = '${env:NAME}' | '${NAME}';

export interface McpClientRow {
  readonly id: McpTargetId;
  /** The client's name alone, e.g. "Cursor": the file or server it uses is shown beside it. */
  client(t: Translate): string;
  label(t: Translate): string;
  detail(t: Translate): string;
  readonly scope: 'provider' | 'user' | 'workspace';
  /**
   * How the token reaches the server: the editor's own API (no file), VS Code's `${input:}` (its secure storage), or
   * this extension's launcher reading the OS credential store.
   */
  readonly secret: 'provider' | 'input' | 'launcher';
  /** Offered only where the editor has this API (VS Code's MCP provider, Cursor's extension API). */
  readonly requires?: 'vscodeMcpProvider' | 'cursorMcp';
  readonly topKey?: 'servers' | 'mcpServers';
  /** VS Code's format names the transport in each entry (`"type": "stdio"`). */
  readonly stdioType?: boolean;
  /** The file the client reads, or undefined where it has none (no folder open, no build for this OS). */
  file?(places: FilePlaces): string | undefined;
  /** The fallback's reference in `env`; a client without one can only be given the value itself. */
  readonly variableSyntax?: VariableSyntax;
  /** What the person must do in the client before it starts the server, whatever holds the token. */
  clientStep?(t: Translate, serverName: string): string;
  /** The same, when the entry references a variable (the fallback). */
  variableStep?(t: Translate): string;
}

/** Product names are not translated. */
const brand = (name: string) => (): string => name;

const builtIn = (client: string) => (t: Translate) =>
  t({ message: '{0} (built in, recommended)', comment: ['{0} is a product name, e.g. VS Code or Cursor.'] }, client);
const startsWithSecret = (client: string) => (t: Translate) =>
  t({ message: '{0} starts the server with the token from secure storage in its environment: no file, no command line.', comment: ['{0} is a product name, e.g. VS Code or Cursor.'] }, client);
const userFile = (client: string, file: string) => (t: Translate) =>
  t({ message: '{0} (user, {1})', comment: ['{0} is a product name, e.g. Cursor; {1} the file of the user\'s settings it reads.'] }, client, file);
const projectFile = (client: string, file: string) => (t: Translate) =>
  t({ message: '{0} (project, {1})', comment: ['{0} is a product name, e.g. Cursor; {1} the file in the project folder it reads.'] }, client, file);
const vsCodeWorkspace = (t: Translate) => t({ message: '{0} workspace', comment: ['{0} is a product name, VS Code.'] }, PRODUCT.vsCode);

const throughLauncher = (t: Translate) => t('started through this extension\'s launcher, which reads the token from the operating system\'s credential store: no value or variable in the file');
const approveProjectServer = (t: Translate, serverName: string) =>
  t(
    { message: '{0} lists project servers as "Pending approval": approve "{1}" in {0} (/mcp) before it starts.', comment: ['{0} is a product name, Claude Code; {1} the name of the server entry. Keep /mcp: it is a command.'] },
    PRODUCT.claudeCode,
    serverName,
  );

const approveKiroVariable = (t: Translate) =>
  t({ message: '{0} expands only the variables you approved: approve SONARQUBE_TOKEN when {0} asks.', comment: ['{0} is a product name, Kiro. Keep SONARQUBE_TOKEN: it is a variable name.'] }, PRODUCT.kiro);

/** Claude Desktop from the Microsoft Store (MSIX, the Windows default since February 2026) reads only its package's copy. */
const CLAUDE_MSIX_PACKAGE = 'Claude_pzs8sxrjxfjjc';
const CLAUDE_DESKTOP_FILE = 'claude_desktop_config.json';

function claudeDesktopFile(places: FilePlaces): string | undefined {
  if (places.platform === 'darwin') return places.home('Library', 'Application Support', 'Claude', CLAUDE_DESKTOP_FILE);
  if (places.platform !== 'win32') return undefined;
  const localAppData = places.env('LOCALAPPDATA') ?? places.home('AppData', 'Local');
  const msixPackage = places.join(localAppData, 'Packages', CLAUDE_MSIX_PACKAGE);
  if (places.exists(msixPackage)) return places.join(msixPackage, 'LocalCache', 'Roaming', 'Claude', CLAUDE_DESKTOP_FILE);
  return places.join(places.env('APPDATA') ?? places.home('AppData', 'Roaming'), 'Claude', CLAUDE_DESKTOP_FILE);
}

/** Recommended first. */
export const MCP_TARGETS: readonly McpClientRow[] = [
  {
    id: 'vscodeProvider',
    client: brand(PRODUCT.vsCode),
    label: builtIn(PRODUCT.vsCode),
    detail: startsWithSecret(PRODUCT.vsCode),
    scope: 'provider',
    secret: 'provider',
    requires: 'vscodeMcpProvider',
  },
  {
    id: 'cursorExtension',
    client: brand(PRODUCT.cursor),
    label: builtIn(PRODUCT.cursor),
    detail: startsWithSecret(PRODUCT.cursor),
    scope: 'provider',
    secret: 'provider',
    requires: 'cursorMcp',
  },
  {
    id: 'vscodeWorkspace',
    client: vsCodeWorkspace,
    label: (t) => t({ message: '{0} ({1})', comment: ['{0} is the name of a place, e.g. VS Code workspace; {1} the file it is kept in.'] }, vsCodeWorkspace(t), '.vscode/mcp.json'),
    detail: (t) =>
      t({ message: 'To share with the team: {0} asks each person for their token once and keeps it in its secure storage.', comment: ['{0} is a product name, VS Code.'] }, PRODUCT.vsCode),
    scope: 'workspace',
    secret: 'input',
    topKey: 'servers',
    stdioType: true,
    file: (places) => places.folder('.vscode', 'mcp.json'),
  },
  {
    id: 'cursorUser',
    client: brand(PRODUCT.cursor),
    label: userFile(PRODUCT.cursor, '~/.cursor/mcp.json'),
    detail: throughLauncher,
    scope: 'user',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.home('.cursor', 'mcp.json'),
    variableSyntax: '${env:NAME}',
  },
  {
    id: 'cursorWorkspace',
    client: brand(PRODUCT.cursor),
    label: projectFile(PRODUCT.cursor, '.cursor/mcp.json'),
    detail: throughLauncher,
    scope: 'workspace',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.folder('.cursor', 'mcp.json'),
    variableSyntax: '${env:NAME}',
  },
  {
    id: 'windsurf',
    client: brand(PRODUCT.windsurf),
    label: brand(PRODUCT.windsurf),
    detail: throughLauncher,
    scope: 'user',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.home('.codeium', 'windsurf', 'mcp_config.json'),
    variableSyntax: '${env:NAME}',
  },
  {
    id: 'windsurfNext',
    client: brand(PRODUCT.windsurfNext),
    label: brand(PRODUCT.windsurfNext),
    detail: throughLauncher,
    scope: 'user',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.home('.codeium', 'windsurf-next', 'mcp_config.json'),
    variableSyntax: '${env:NAME}',
  },
  {
    id: 'claudeCodeProject',
    client: brand(PRODUCT.claudeCode),
    label: projectFile(PRODUCT.claudeCode, '.mcp.json'),
    detail: throughLauncher,
    scope: 'workspace',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.folder('.mcp.json'),
    variableSyntax: '${NAME}',
    clientStep: approveProjectServer,
  },
  {
    id: 'claudeCodeUser',
    client: brand(PRODUCT.claudeCode),
    label: userFile(PRODUCT.claudeCode, '~/.claude.json'),
    detail: throughLauncher,
    scope: 'user',
    secret: 'launcher',
    topKey: 'mcpServers',
    // With CLAUDE_CONFIG_DIR set, Claude Code reads only the file in that folder.
    file: (places) => {
      const configDir = places.env('CLAUDE_CONFIG_DIR');
      return configDir ? places.join(configDir, '.claude.json') : places.home('.claude.json');
    },
    variableSyntax: '${NAME}',
  },
  {
    id: 'geminiCli',
    client: brand(PRODUCT.geminiCli),
    label: brand(PRODUCT.geminiCli),
    detail: throughLauncher,
    scope: 'user',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.join(places.env('GEMINI_CLI_HOME') ?? places.home(), '.gemini', 'settings.json'),
    variableSyntax: '${NAME}',
    clientStep: (t) =>
      t({ message: '{0} starts no MCP server in a folder it does not trust: trust your project folder in {0} when it asks.', comment: ['{0} is a product name, Gemini CLI.'] }, PRODUCT.geminiCli),
  },
  {
    id: 'kiro',
    client: brand(PRODUCT.kiro),
    label: userFile(PRODUCT.kiro, '~/.kiro/settings/mcp.json'),
    detail: throughLauncher,
    scope: 'user',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.home('.kiro', 'settings', 'mcp.json'),
    variableSyntax: '${NAME}',
    variableStep: approveKiroVariable,
  },
  {
    id: 'kiroWorkspace',
    client: brand(PRODUCT.kiro),
    label: projectFile(PRODUCT.kiro, '.kiro/settings/mcp.json'),
    detail: throughLauncher,
    scope: 'workspace',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: (places) => places.folder('.kiro', 'settings', 'mcp.json'),
    variableSyntax: '${NAME}',
    variableStep: approveKiroVariable,
  },
  {
    id: 'claudeDesktop',
    client: brand(PRODUCT.claudeDesktop),
    label: brand(PRODUCT.claudeDesktop),
    detail: throughLauncher,
    scope: 'user',
    secret: 'launcher',
    topKey: 'mcpServers',
    file: claudeDesktopFile,
    clientStep: (t) => t({ message: 'Restart {0} to load it.', comment: ['{0} is a product name, Claude Desktop.'] }, PRODUCT.claudeDesktop),
  },
];

export function mcpTarget(id: McpTargetId): McpClientRow {
  const target = MCP_TARGETS.find((candidate) => candidate.id === id);
  if (!target) throw new Error(`Unknown MCP target ${id}`);
  return target;
}

/** The file a target edits, or undefined when it has none here (built in, no folder, Claude Desktop on Linux). */
export function mcpConfigPath(id: McpTargetId, context: PathContext): string | undefined {
  const paths = context.platform === 'win32' ? path.win32 : path.posix;
  const places: FilePlaces = {
    platform: context.platform,
    home: (...parts) => paths.join(context.home, ...parts),
    folder: (...parts) => (context.workspaceFolder ? paths.join(context.workspaceFolder, ...parts) : undefined),
    env: (name) => context.env?.[name] || undefined,
    join: (...parts) => paths.join(...parts),
    exists: (folder) => context.exists?.(folder) ?? false,
  };
  return mcpTarget(id).file?.(places);
}

/** The fallback's reference to a variable in the client's own syntax, or undefined when the client has none. */
export function variableReference(id: McpTargetId, name: string): string | undefined {
  return mcpTarget(id).variableSyntax?.replace('NAME', name);
}

// Where tokens are looked for: a fixed list of known places, never a crawl of the disk. User-level files are named
// here; workspace files are found by the editor's file search with these patterns and then classified.
import * as path from 'node:path';
import { MCP_TARGETS, mcpConfigPath, mcpTarget } from '../mcp/targets';
import { messageText } from '../ports';
import type { McpTargetId, PathContext } from '../mcp/targets';
import type { Syntax } from './detect';

export type PlaceKind = 'mcpClient' | 'vscodeSettings' | 'shellProfile' | 'dotenv' | 'properties' | 'sonarlintShared' | 'workspaceJson' | 'ci';

/** CI systems whose files are scanned, and how each refers to a secret kept in its settings. */
export type CiSystem = 'github' | 'gitlab' | 'azure' | 'bitbucket' | 'circleci' | 'travis' | 'jenkins' | 'drone';

export interface McpPlace {
  /** The key the client keeps its servers under. */
  readonly topKey: 'servers' | 'mcpServers';
  /** The client's name, shown beside the file. */
  readonly client: string;
  readonly target?: McpTargetId;
}

export interface KnownPlace {
  readonly path: string;
  readonly kind: PlaceKind;
  readonly syntax: Syntax;
  readonly scope: 'user' | 'workspace';
  readonly mcp?: McpPlace;
  readonly ci?: CiSystem;
}

export interface UserPlacesContext extends PathContext {
  /** The environment the editor was started with (`CLAUDE_CONFIG_DIR`, `XDG_CONFIG_HOME`…). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** VS Code's `User` folder: `settings.json` and the user `mcp.json` are there. */
  readonly vscodeUserDir?: string;
}

const SHELL_PROFILES = ['.bashrc', '.bash_profile', '.profile', '.zshrc', '.zprofile', '.zshenv'];

function mcpPlace(target: McpTargetId): McpPlace {
  const descriptor = mcpTarget(target);
  return { topKey: descriptor.topKey ?? 'mcpServers', client: descriptor.client(messageText), target };
}

/** Every user-level file that may hold a token on this computer (whether it exists is found out by reading it). */
export function userPlaces(context: UserPlacesContext): KnownPlace[] {
  const paths = context.platform === 'win32' ? path.win32 : path.posix;
  const places: KnownPlace[] = [];
  for (const target of MCP_TARGETS) {
    if (target.scope !== 'user') continue;
    const file = mcpConfigPath(target.id, { platform: context.platform, home: context.home, env: context.env, exists: context.exists });
    if (file) places.push({ path: file, kind: 'mcpClient', syntax: 'json', scope: 'user', mcp: mcpPlace(target.id) });
  }
  if (context.vscodeUserDir) {
    places.push({ path: paths.join(context.vscodeUserDir, 'mcp.json'), kind: 'mcpClient', syntax: 'json', scope: 'user', mcp: { topKey: 'servers', client: 'VS Code' } });
    places.push({ path: paths.join(context.vscodeUserDir, 'settings.json'), kind: 'vscodeSettings', syntax: 'json', scope: 'user' });
  }
  for (const profile of SHELL_PROFILES) places.push({ path: paths.join(context.home, profile), kind: 'shellProfile', syntax: 'lines', scope: 'user' });
  const configHome = context.env.XDG_CONFIG_HOME || paths.join(context.home, '.config');
  places.push({ path: paths.join(configHome, 'fish', 'config.fish'), kind: 'shellProfile', syntax: 'lines', scope: 'user' });
  const powerShellProfiles =
    context.platform === 'win32'
      ? ['PowerShell', 'WindowsPowerShell'].map((folder) => paths.join(context.home, 'Documents', folder, 'Microsoft.PowerShell_profile.ps1'))
      : [paths.join(configHome, 'powershell', 'Microsoft.PowerShell_profile.ps1')];
  for (const profile of powerShellProfiles) places.push({ path: profile, kind: 'shellProfile', syntax: 'lines', scope: 'user' });
  return places;
}

/**
 * What the editor's file search looks for in each workspace folder (relative globs). Nested `.env` and properties
 * files count (monorepos); the editor's excludes keep `node_modules` and the like out.
 */
export const WORKSPACE_PATTERNS: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/.envrc',
  '**/sonar-project.properties',
  '**/gradle.properties',
  '.sonarlint/*.json',
  '.vscode/*.json',
  '.mcp.json',
  '.cursor/**/*.json',
  '.kiro/**/*.json',
  '.github/workflows/*.yml',
  '.github/workflows/*.yaml',
  '.gitlab-ci.yml',
  'azure-pipelines.yml',
  'bitbucket-pipelines.yml',
  '.circleci/config.yml',
  '.travis.yml',
  'Jenkinsfile',
  '.drone.yml',
];

/** One glob for the editor's file search: VS Code's glob has no nested `{}` (one inside made it match nothing). */
export function workspaceGlob(): string {
  return `{${WORKSPACE_PATTERNS.join(',')}}`;
}

const CI_FILES: ReadonlyArray<{ readonly pattern: RegExp; readonly ci: CiSystem }> = [
  { pattern: /^\.github\/workflows\/[^/]+\.ya?ml$/, ci: 'github' },
  { pattern: /^\.gitlab-ci\.yml$/, ci: 'gitlab' },
  { pattern: /^azure-pipelines\.yml$/, ci: 'azure' },
  { pattern: /^bitbucket-pipelines\.yml$/, ci: 'bitbucket' },
  { pattern: /^\.circleci\/config\.yml$/, ci: 'circleci' },
  { pattern: /^\.travis\.yml$/, ci: 'travis' },
  { pattern: /^Jenkinsfile$/, ci: 'jenkins' },
  { pattern: /^\.drone\.yml$/, ci: 'drone' },
];

/** The MCP files a workspace folder can hold, by their path in the folder. */
function workspaceMcpPlace(relative: string): McpPlace | undefined {
  for (const target of MCP_TARGETS) {
    if (target.scope !== 'workspace') continue;
    const file = mcpConfigPath(target.id, { platform: 'linux', home: '/', workspaceFolder: '/' });
    if (file && file.slice(1) === relative) return mcpPlace(target.id);
  }
  return undefined;
}

/** What a file found in a workspace folder is, or undefined when it is none of the known places. */
export function classifyWorkspaceFile(folder: string, file: string): KnownPlace | undefined {
  const relative = path.relative(folder, file).split(path.sep).join('/');
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const base = relative.split('/').pop() ?? '';
  const place = (kind: PlaceKind, syntax: Syntax, extra: Partial<KnownPlace> = {}): KnownPlace => ({ path: file, kind, syntax, scope: 'workspace', ...extra });
  const mcp = workspaceMcpPlace(relative);
  if (mcp) return place('mcpClient', 'json', { mcp });
  if (relative === '.vscode/settings.json') return place('vscodeSettings', 'json');
  if (/^\.sonarlint\/[^/]+\.json$/.test(relative)) return place('sonarlintShared', 'json');
  if (/^\.(vscode|cursor|kiro)\/.+\.json$/.test(relative)) return place('workspaceJson', 'json');
  if (base === '.env' || base === '.envrc' || base.startsWith('.env.')) return place('dotenv', 'lines');
  if (base === 'sonar-project.properties' || base === 'gradle.properties') return place('properties', 'lines');
  const ci = CI_FILES.find((candidate) => candidate.pattern.test(relative));
  if (ci) return place('ci', 'lines', { ci: ci.ci });
  return undefined;
}

/** The editor's file search in one workspace folder: absolute paths of files matching `glob` (relative), at most `maxResults`. */
export type FindWorkspaceFiles = (folder: string, glob: string, maxResults: number) => Promise<readonly string[]>;

/** More than this many matching files in one folder is a generated tree, not hand-pasted configuration: the rest is not read. */
export const MAX_WORKSPACE_FILES = 500;

/** The user-level places and, in each workspace folder, the known files the editor's search finds there. */
export async function knownPlaces(user: UserPlacesContext, folders: readonly string[], find: FindWorkspaceFiles): Promise<KnownPlace[]> {
  const perFolder = await Promise.all(
    folders.map(async (folder) => (await find(folder, workspaceGlob(), MAX_WORKSPACE_FILES)).flatMap((file) => classifyWorkspaceFile(folder, file) ?? [])),
  );
  return [...userPlaces(user), ...perFolder.flat()];
}

/**
 * The editor's excludes as one glob (`files.exclude` and `search.exclude`: a pattern set to true), for a file search
 * that must skip what the person's own searches skip (`node_modules`, build output).
 */
export function excludeGlob(...settings: ReadonlyArray<Readonly<Record<string, unknown>> | undefined>): string | undefined {
  const patterns = [...new Set(settings.flatMap((setting) => Object.entries(setting ?? {}).flatMap(([pattern, on]) => (on === true ? [pattern] : []))))];
  return patterns.length > 0 ? `{${patterns.join(',')}}` : undefined;
}

/** VS Code's `User` folder, from this extension's global storage (`<User>/globalStorage/<extension id>`). */
export function vscodeUserDirOf(globalStoragePath: string): string | undefined {
  const parent = path.dirname(globalStoragePath);
  return path.basename(parent) === 'globalStorage' ? path.dirname(parent) : undefined;
}

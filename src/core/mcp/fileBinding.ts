// Writing and removing the SonarQube entry in an MCP client's configuration file, touching nothing else.
import { SECRET_FILE_MODE } from '../config/atomicWrite';
import { deleteIfEmptyObject, editJsoncFile, readJsoncFile } from '../config/jsoncFile';
import type { FileSystem } from '../config/fileSystem';
import { TOKEN_ENV } from './launch';
import type { McpLaunch } from './launch';
import { launcherEntry, readLauncherEntry } from './launcherEntry';
import type { LauncherRuntime } from './launcherEntry';
import { repairLauncherEntry } from './launcherRepair';
import { mcpTarget, variableReference } from './targets';
import type { McpTargetId } from './targets';

export const DEFAULT_SERVER_NAME = 'sonarqube';

export interface ApplyMcpFileBinding {
  readonly target: McpTargetId;
  readonly path: string;
  readonly serverName?: string;
  readonly launch: McpLaunch;
  /** e.g. `sq-example-com`: names the fallback entry and the VS Code input. */
  readonly connectionSlug: string;
  readonly inputDescription?: string;
  /** The entry runs the launcher, which reads this binding's token from the credential store: no value, no variable. */
  readonly launcher?: { readonly runtime: LauncherRuntime; readonly bindingId: string };
  /** The fallback of a client without variables (Claude Desktop): the value itself. */
  readonly plainTextToken?: string;
  readonly replaceExisting?: boolean;
  /** Test hook passed to the atomic write. */
  readonly beforeRename?: () => Promise<void>;
}

export type ApplyResult =
  | {
      readonly kind: 'written';
      readonly serverName: string;
      readonly inputId?: string;
      readonly createdFile: boolean;
      readonly createdDirs: string[];
      /** Top-level keys the binding added (`servers`, `mcpServers`, `inputs`): unbind removes them once empty. */
      readonly createdKeys: string[];
    }
  | { readonly kind: 'conflict'; readonly existingName: string; readonly suggestedName: string };

export interface RemoveMcpFileBinding {
  readonly target: McpTargetId;
  readonly path: string;
  readonly serverName: string;
  readonly inputId?: string;
  readonly createdFile?: boolean;
  readonly createdDirs?: readonly string[];
  readonly createdKeys?: readonly string[];
  /** A plain-text binding's value: it must be gone from the file afterwards, or nothing is written. */
  readonly plainTextToken?: string;
}

type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function topKeyOf(target: McpTargetId): string {
  const topKey = mcpTarget(target).topKey;
  if (!topKey) throw new Error(`${target} has no configuration file`);
  return topKey;
}

/** What `env.SONARQUBE_TOKEN` holds without the launcher: VS Code's input, or the client's variable syntax. */
function referenceOf(target: McpTargetId, inputId: string | undefined): string {
  if (inputId) return `\${input:${inputId}}`;
  const reference = variableReference(target, TOKEN_ENV);
  if (!reference) throw new Error(`${target} cannot reference a variable: it needs the launcher or the value`);
  return reference;
}

function inputsOf(value: unknown): JsonObject[] {
  const inputs = asObject(value)?.inputs;
  return Array.isArray(inputs) ? (inputs as JsonObject[]) : [];
}

/** What `applyMcpFileBinding` would write, decided without writing: a name conflict, or the entry and what it adds. */
export type McpFilePlan =
  | Extract<ApplyResult, { kind: 'conflict' }>
  | {
      readonly kind: 'planned';
      readonly serverName: string;
      readonly inputId?: string;
      readonly createdFile: boolean;
      readonly createdKeys: string[];
      /** An entry of that name is there and is written over (`replaceExisting`). */
      readonly replacing: boolean;
    };

export async function planMcpFileBinding(fs: FileSystem, options: ApplyMcpFileBinding): Promise<McpFilePlan> {
  const topKey = topKeyOf(options.target);
  const serverName = options.serverName ?? DEFAULT_SERVER_NAME;
  const current = await readJsoncFile(fs, options.path);
  const root = asObject(current.value) ?? {};
  const servers = asObject(root[topKey]) ?? {};
  if (servers[serverName] !== undefined && !options.replaceExisting) {
    const base = `${DEFAULT_SERVER_NAME}-${options.connectionSlug}`;
    let suggestedName = base;
    for (let counter = 2; servers[suggestedName] !== undefined; counter++) suggestedName = `${base}-${counter}`;
    return { kind: 'conflict', existingName: serverName, suggestedName };
  }
  // A launcher entry needs no input, also in VS Code's own file (a token found there is moved to the launcher).
  const inputId = mcpTarget(options.target).secret === 'input' && !options.launcher ? `sonarqube-token-${options.connectionSlug}` : undefined;
  const createdKeys = [topKey, ...(inputId ? ['inputs'] : [])].filter((key) => root[key] === undefined);
  return { kind: 'planned', serverName, inputId, createdFile: !current.exists, createdKeys, replacing: servers[serverName] !== undefined };
}

export async function applyMcpFileBinding(fs: FileSystem, options: ApplyMcpFileBinding): Promise<ApplyResult> {
  const plan = await planMcpFileBinding(fs, options);
  if (plan.kind === 'conflict') return plan;
  const { serverName, inputId, createdKeys } = plan;
  const topKey = topKeyOf(options.target);
  const row = mcpTarget(options.target);
  const entry = {
    ...(row.stdioType ? { type: 'stdio' } : {}),
    ...(options.launcher
      ? launcherEntry(options.launcher.runtime, options.launcher.bindingId, options.launch)
      : { command: options.launch.command, args: options.launch.args, env: { ...options.launch.env, [TOKEN_ENV]: options.plainTextToken ?? referenceOf(options.target, inputId) } }),
  };
  const plainText = options.plainTextToken !== undefined;
  const result = await editJsoncFile(
    fs,
    options.path,
    (document) => {
      document.set([topKey, serverName], entry);
      if (inputId && !inputsOf(document.value).some((input) => input.id === inputId)) {
        const input = { id: inputId, type: 'promptString', description: options.inputDescription ?? 'SonarQube token', password: true };
        if (Array.isArray(asObject(document.value)?.inputs)) document.set(['inputs', -1], input);
        else document.set(['inputs'], [input]);
      }
    },
    { secret: plainText, beforeRename: options.beforeRename },
  );
  if (plainText) await fs.chmod(await fs.realpath(options.path), SECRET_FILE_MODE);
  return { kind: 'written', serverName, inputId, createdFile: result.createdFile, createdDirs: result.createdDirs, createdKeys };
}

/** Removes exactly the entry (and input) the binding wrote; a file or entry already gone is fine. */
export async function removeMcpFileBinding(fs: FileSystem, options: RemoveMcpFileBinding): Promise<void> {
  const topKey = topKeyOf(options.target);
  const current = await readJsoncFile(fs, options.path);
  if (!current.exists) return;
  const createdKeys = new Set(options.createdKeys ?? []);
  await editJsoncFile(fs, options.path, (document) => {
    const servers = asObject(asObject(document.value)?.[topKey]);
    if (servers?.[options.serverName] !== undefined) document.remove([topKey, options.serverName]);
    if (createdKeys.has(topKey) && Object.keys(asObject(asObject(document.value)?.[topKey]) ?? { keep: true }).length === 0) document.remove([topKey]);
    const index = inputsOf(document.value).findIndex((input) => input.id === options.inputId);
    if (options.inputId && index >= 0) document.remove(['inputs', index]);
    if (createdKeys.has('inputs') && Array.isArray(asObject(document.value)?.inputs) && inputsOf(document.value).length === 0) document.remove(['inputs']);
  }, { mustNotContain: options.plainTextToken });
  if (options.createdFile) await deleteIfEmptyObject(fs, options.path, options.createdDirs ?? []);
}

/**
 * Rotation of a plain-text binding (Claude Desktop): only the value changes. A file or entry the person deleted stays
 * deleted: no value is written, and their file keeps its mode.
 */
export async function rewritePlainTextToken(fs: FileSystem, options: { path: string; target?: McpTargetId; serverName: string; token: string }): Promise<void> {
  const topKey = topKeyOf(options.target ?? 'claudeDesktop');
  let entryThere = false;
  await editJsoncFile(fs, options.path, (document) => {
    // Repeatable: decided again on every attempt.
    entryThere = asObject(asObject(document.value)?.[topKey])?.[options.serverName] !== undefined;
    if (entryThere) document.set([topKey, options.serverName, 'env', TOKEN_ENV], options.token);
  }, { secret: true });
  if (entryThere) await fs.chmod(await fs.realpath(options.path), SECRET_FILE_MODE);
}

/** A launcher binding's file entry, as recorded. */
export interface LauncherEntryRecord {
  readonly id: string;
  readonly target: McpTargetId;
  readonly path: string;
  readonly serverName: string;
}

/**
 * Points the binding's entry at the launcher where it now is (an editor update moves its runtime, a reinstall or
 * another profile the launcher). Only an entry this extension wrote for this very binding is touched, and in it only
 * the command and the launcher's path; true when the file was rewritten.
 */
export async function repairLauncherFileEntry(fs: FileSystem, record: LauncherEntryRecord, runtime: LauncherRuntime): Promise<boolean> {
  const topKey = topKeyOf(record.target);
  const entry = asObject(asObject((await readJsoncFile(fs, record.path)).value)?.[topKey])?.[record.serverName];
  if (readLauncherEntry(entry)?.bindingId !== record.id) return false;
  const repaired = repairLauncherEntry(entry as JsonObject, runtime);
  if (!repaired) return false;
  await editJsoncFile(fs, record.path, (document) => {
    document.set([topKey, record.serverName, 'command'], repaired.command);
    document.set([topKey, record.serverName, 'args', 0], repaired.args[0]);
  });
  return true;
}

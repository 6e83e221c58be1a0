// Binding a token to an MCP client, and what unbind and rotation do to it. Outside the editor's own MCP support the
// client runs this extension's launcher, which reads the token from the OS credential store: the file holds no value
// and no variable. Without a credential store the person is told so and offered a variable reference (or, for a client
// without variables, the value itself): never silently.
import { randomUUID } from 'node:crypto';
import type { ConnectionRecord } from '../connections/connectionStore';
import { confirmWorkspaceFile } from '../config/confinement';
import type { FileSystem } from '../config/fileSystem';
import { mcpCredentialAccount } from '../credentials/credentialStore';
import type { CredentialStore } from '../credentials/credentialStore';
import type { BindRecord, JournalHandle, OperationJournal } from '../journal/journal';
import { applyMcpFileBinding, planMcpFileBinding, removeMcpFileBinding, repairLauncherFileEntry, rewritePlainTextToken } from '../mcp/fileBinding';
import type { ApplyMcpFileBinding, McpFilePlan } from '../mcp/fileBinding';
import { TOKEN_ENV } from '../mcp/launch';
import type { McpLaunch } from '../mcp/launch';
import type { LauncherRuntime } from '../mcp/launcherEntry';
import { MCP_TARGETS, mcpConfigPath } from '../mcp/targets';
import type { McpClientRow, McpTargetId, PathContext } from '../mcp/targets';
import type { Logger, Translate } from '../ports';
import type { TokenRef } from '../secrets/keys';
import type { BindingRecord, BindingStore, McpBinding } from '../tokens/bindingStore';
import { errorSummary, WordedError } from './describeError';
import type { Prompter } from './prompter';
import { PRODUCT } from '../productNames';

/** An editor API some rows need: VS Code's MCP provider, Cursor's extension API. */
export type EditorMcpApi = NonNullable<McpClientRow['requires']>;

export interface McpBindingEffectsDeps {
  readonly t: Translate;
  readonly logger: Logger;
  readonly fs: FileSystem;
  readonly credentials: CredentialStore;
  /** The token's value from the editor's secure storage. */
  readValue(ref: TokenRef): Promise<string | undefined>;
}

/** What writing a binding into a client file needs: the credential store, the file, the record. */
export interface McpBindingWriteDeps extends McpBindingEffectsDeps {
  readonly prompter: Prompter;
  readonly store: BindingStore;
  /** How the server starts for this connection (from the settings); throws with words when they are incomplete. */
  launchFor(connection: ConnectionRecord): McpLaunch;
  /** Puts the launcher in place (idempotent) and says what a client runs. */
  installLauncher(): Promise<LauncherRuntime>;
  /** `~/…` or workspace-relative, for messages. */
  displayPath(file: string): string;
  /** Records each write of the bind, so that a killed host's half-done bind is taken back at the next start. */
  readonly journal?: OperationJournal;
}

export interface BindMcpDeps extends McpBindingWriteDeps {
  /** Where the files are on this computer; the chosen workspace folder is added. */
  readonly paths: Omit<PathContext, 'workspaceFolder'>;
  /** Workspace folders on disk (a virtual folder has no path to write to). */
  readonly folders: ReadonlyArray<{ readonly name: string; readonly path: string }>;
  readonly editorApis: ReadonlySet<EditorMcpApi>;
  openFile(file: string): Promise<void>;
}

/** How the bound file hands the token to the server. */
export type McpDelivery = 'launcher' | 'variable' | 'plainText' | 'input';

export interface McpBindingWrite {
  readonly connection: ConnectionRecord;
  readonly ref: TokenRef;
  readonly row: McpClientRow;
  readonly file: string;
  readonly delivery: McpDelivery;
  /**
   * The entry of this name is rewritten in place (the entry a found token was pasted in); without it a name already
   * taken in the file is asked about.
   */
  readonly inPlaceOf?: string;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The value to bind, or words saying it is not on this computer. */
export async function requireValue(deps: Pick<McpBindingEffectsDeps, 'readValue' | 't'>, ref: TokenRef): Promise<string> {
  const value = await deps.readValue(ref);
  if (value === undefined) {
    throw new WordedError(deps.t('The value of token {0} is not in secure storage on this computer: generate a new token to bind it.', ref.name));
  }
  return value;
}

/** A label no other editor-provided binding uses: `SonarQube (<connection>)`, then with the token name, then numbered. */
function providerLabel(store: BindingStore, connection: ConnectionRecord, ref: TokenRef, t: Translate): string {
  const taken = new Set(store.list().flatMap((binding) => (binding.kind === 'mcp' && binding.label ? [binding.label] : [])));
  let label = t({ message: '{0} ({1})', comment: ['{0} is a product name, SonarQube; {1} the connection name.'] }, PRODUCT.sonarQube, connection.label);
  if (taken.has(label)) label = t({ message: '{0} ({1}, {2})', comment: ['{0} is a product name, SonarQube; {1} the connection name; {2} the token name.'] }, PRODUCT.sonarQube, connection.label, ref.name);
  for (let counter = 2; taken.has(label); counter++) {
    label = t({ message: '{0} ({1}, {2}) {3}', comment: ['{0} is a product name, SonarQube; {1} the connection name; {2} the token name; {3} a number that sets it apart.'] }, PRODUCT.sonarQube, connection.label, ref.name, counter);
  }
  return label;
}

/** A row the editor's own MCP support starts (VS Code's provider, Cursor's API): only the record, no file. */
export async function bindEditorProvider(deps: Pick<BindMcpDeps, 'store' | 't'>, connection: ConnectionRecord, ref: TokenRef, target: McpTargetId): Promise<McpBinding> {
  return (await deps.store.add({ kind: 'mcp', token: ref, target, label: providerLabel(deps.store, connection, ref, deps.t) })) as McpBinding;
}

/** Without a credential store: one sentence saying so, then the fallback the client allows, only if the person agrees. */
async function chooseFallback(deps: BindMcpDeps, row: McpClientRow, file: string, reason: string): Promise<McpDelivery | undefined> {
  const { t, prompter } = deps;
  const client = row.client(t);
  deps.logger.warn(`[bind] no credential store for ${row.id}: ${reason}`);
  const missing = t('The launcher cannot give {0} the token: this computer has no credential store it can use. {1}', client, reason);
  if (row.variableSyntax) {
    const confirmed = await prompter.confirm(missing, {
      confirmLabel: t('Reference a Variable'),
      detail: [
        t('Instead, the entry can reference the {0} environment variable, which you set yourself in the environment {1} starts in. Only a client started from a shell where you exported it sees it: one started from the Dock, the Start menu or a desktop launcher does not.', TOKEN_ENV, client),
        row.variableStep?.(t),
      ].filter(Boolean).join(' '),
    });
    return confirmed ? 'variable' : undefined;
  }
  const confirmed = await prompter.confirm(missing, {
    confirmLabel: t('Write in Plain Text'),
    detail: t(
      '{0} cannot reference a variable, so the value itself would go into {1}. Anyone or anything that can read that file (backups, sync tools, other programs) can use the token. The file is kept readable by you only (mode 0600). Prefer another client when you can.',
      client,
      deps.displayPath(file),
    ),
  });
  return confirmed ? 'plainText' : undefined;
}

async function chooseDelivery(deps: BindMcpDeps, row: McpClientRow, file: string): Promise<McpDelivery | undefined> {
  if (row.secret === 'input') return 'input';
  const status = await deps.credentials.probe();
  return status.available ? 'launcher' : chooseFallback(deps, row, file, status.reason);
}

/**
 * The entry's name and what writing it adds, asking what to do when a server of that name is there already; the
 * options to write it with. Undefined when cancelled.
 */
async function planEntry(deps: McpBindingWriteDeps, base: ApplyMcpFileBinding): Promise<{ options: ApplyMcpFileBinding; plan: Extract<McpFilePlan, { kind: 'planned' }> } | undefined> {
  const { t, prompter } = deps;
  const first = await planMcpFileBinding(deps.fs, base);
  if (first.kind === 'planned') return { options: base, plan: first };
  const replace = t('Replace');
  const add = t('Add as "{0}"', first.suggestedName);
  const choice = await prompter.warn(t('{0} already has an MCP server named "{1}".', deps.displayPath(base.path), first.existingName), replace, add);
  if (choice === undefined) return undefined;
  const options = choice === replace ? { ...base, replaceExisting: true } : { ...base, serverName: first.suggestedName };
  const second = await planMcpFileBinding(deps.fs, options);
  return second.kind === 'planned' ? { options, plan: second } : undefined;
}

function instructions(deps: BindMcpDeps, row: McpClientRow, delivery: McpDelivery, serverName: string): string {
  const { t } = deps;
  const client = row.client(t);
  const how = {
    launcher: t('{0} starts the server through the launcher, which reads the token from the credential store at each start; rotating the token changes no file.', client),
    variable: [
      t('{0} reads {1} from the environment it was started in: export it in the shell you start {0} from (a client started from the Dock, the Start menu or a desktop launcher does not see it).', client, TOKEN_ENV),
      row.variableStep?.(t),
    ].filter(Boolean).join(' '),
    plainText: t('The file is readable by you only.'),
    input: t({ message: '{0} asks for the token the first time the server starts and keeps it in its secure storage.', comment: ['{0} is a product name, VS Code.'] }, PRODUCT.vsCode),
  }[delivery];
  return [how, row.clientStep?.(t, serverName)].filter(Boolean).join(' ');
}

/** Which folder a project-level file goes into; undefined (after saying why when there is none) when cancelled. */
async function pickFolder(deps: BindMcpDeps): Promise<string | undefined> {
  const { t, prompter, folders } = deps;
  if (folders.length === 0) {
    void prompter.error(t('Open a folder on this computer first: this configuration file lives in a workspace folder on disk.'));
    return undefined;
  }
  if (folders.length === 1) return folders[0].path;
  return prompter.pick(
    folders.map((folder) => ({ label: folder.name, description: folder.path, value: folder.path })),
    { title: t('Workspace Folder'), placeholder: t('Which folder?') },
  );
}

/** Asks for the client and how it gets the token, then binds the token there. Undefined when cancelled. */
export async function bindMcpFlow(deps: BindMcpDeps, connection: ConnectionRecord, ref: TokenRef): Promise<McpBinding | undefined> {
  const { t, prompter } = deps;
  const row = await prompter.pick(
    MCP_TARGETS.filter((candidate) => !candidate.requires || deps.editorApis.has(candidate.requires)).map((candidate) => ({
      label: candidate.label(t),
      detail: candidate.detail(t),
      value: candidate,
    })),
    { title: t('Bind {0} to an MCP server', ref.name), placeholder: t('Which MCP client should use the token?') },
  );
  if (!row) return undefined;
  if (row.secret === 'provider') return bindEditorProvider(deps, connection, ref, row.id);

  const folder = row.scope === 'workspace' ? await pickFolder(deps) : undefined;
  if (row.scope === 'workspace' && folder === undefined) return undefined;
  const file = mcpConfigPath(row.id, { ...deps.paths, workspaceFolder: folder });
  if (!file) {
    void prompter.error(t('{0} is not supported on this operating system.', row.label(t)));
    return undefined;
  }
  if (folder !== undefined && !(await confirmWorkspaceFile(deps, folder, file))) return undefined;
  const delivery = await chooseDelivery(deps, row, file);
  if (!delivery) return undefined;
  const binding = await writeMcpBinding(deps, { connection, ref, row, file, delivery });
  if (!binding) return undefined;

  const open = t('Open File');
  const message = t('{0} is bound to {1} in {2}.', ref.name, row.client(t), deps.displayPath(file)) + ' ' + instructions(deps, row, delivery, binding.serverName ?? '');
  if ((await prompter.info(message, open)) === open) await deps.openFile(file);
  return binding;
}

/**
 * Writes the binding into the client's file and records it: the credential-store entry, the file entry, then the
 * record, each announced in the journal (as the record it becomes) before it is made. Nothing is half done: a
 * failure or a cancel takes back what was written, as unbind would; a killed host leaves that to the next start.
 * Undefined when the person cancelled at a name conflict.
 */
export async function writeMcpBinding(deps: McpBindingWriteDeps, request: McpBindingWrite): Promise<McpBinding | undefined> {
  const { t, logger } = deps;
  const { connection, ref, row, file, delivery } = request;
  const value = delivery === 'launcher' || delivery === 'plainText' ? await requireValue(deps, ref) : undefined;
  const launch = deps.launchFor(connection);
  const bindingId = randomUUID();
  const runtime = delivery === 'launcher' ? await deps.installLauncher() : undefined;
  const base: ApplyMcpFileBinding = {
    target: row.id,
    path: file,
    launch,
    connectionSlug: slug(connection.label),
    inputDescription: t({ message: '{0} token for {1}', comment: ['{0} is a product name, SonarQube; {1} the connection name.'] }, PRODUCT.sonarQube, connection.label),
    launcher: runtime && { runtime, bindingId },
    plainTextToken: delivery === 'plainText' ? value : undefined,
    ...(request.inPlaceOf === undefined ? {} : { serverName: request.inPlaceOf, replaceExisting: true }),
  };

  // Until the file is written the draft names no entry unless the name was free: an entry of that name is then ours.
  let draft: McpBinding = { id: bindingId, kind: 'mcp', token: ref, target: row.id, path: file, plainText: delivery === 'plainText' ? true : undefined, launcher: runtime ? true : undefined, createdAt: new Date().toISOString() };
  const entry = await deps.journal?.begin({ op: 'bind', step: 'writing', binding: draft });
  const announce = async (changes: Partial<McpBinding>) => {
    draft = { ...draft, ...changes };
    await entry?.advance({ binding: draft });
  };
  let binding: McpBinding | undefined;
  try {
    if (runtime && value !== undefined) {
      try {
        await deps.credentials.set(mcpCredentialAccount(bindingId), value);
      } catch (error) {
        logger.warn(`[bind] credential store refused the token of ${ref.name}: ${errorSummary(error)}`);
        // The store's messages are sentences that name no value (see the CredentialStore port).
        const reason = error instanceof Error ? error.message : String(error);
        throw new WordedError(t('The operating system\'s credential store did not keep the token: {0} Bind again once it is unlocked.', reason));
      }
    }
    const planned = await planEntry(deps, base);
    if (planned) {
      const { plan } = planned;
      if (!plan.replacing) await announce({ serverName: plan.serverName, inputId: plan.inputId, createdFile: plan.createdFile, createdKeys: plan.createdKeys });
      const result = await applyMcpFileBinding(deps.fs, planned.options);
      if (result.kind === 'written') {
        await announce({ serverName: result.serverName, inputId: result.inputId, createdFile: result.createdFile, createdDirs: result.createdDirs, createdKeys: result.createdKeys });
        const { id, createdAt: _draftedAt, ...record } = draft;
        binding = (await deps.store.add(record, id)) as McpBinding;
      }
    }
  } catch (error) {
    await takeBack(deps, draft, entry);
    throw error;
  }
  if (!binding) {
    await takeBack(deps, draft, entry);
    return undefined;
  }
  await entry?.end();
  logger.info(`[bind] ${ref.name} bound to ${row.id} in ${file} as "${binding.serverName}" (${delivery})`);
  return binding;
}

/** A bind that failed or was cancelled: its writes go as on unbind; the journal keeps what could not be taken back. */
async function takeBack(deps: McpBindingWriteDeps, draft: McpBinding, entry: JournalHandle<BindRecord> | undefined): Promise<void> {
  try {
    const leftover = await removeMcpBindingEffects(deps, draft);
    if (leftover) {
      deps.logger.warn(`[bind] could not take back the credential-store entry ${mcpCredentialAccount(draft.id)}`);
      return;
    }
    await entry?.end();
  } catch (error) {
    deps.logger.warn(`[bind] could not take back the entry in ${draft.path}: ${errorSummary(error)}`);
  }
}

/**
 * Unbind's effects outside the record: the file entry this binding wrote and its credential-store entry. Returns a
 * warning for the person when the credential-store entry could not be deleted (the rest is done).
 */
export async function removeMcpBindingEffects(deps: McpBindingEffectsDeps, binding: McpBinding): Promise<string | undefined> {
  const row = MCP_TARGETS.find((candidate) => candidate.id === binding.target);
  if (row?.file && binding.path && binding.serverName) {
    await removeMcpFileBinding(deps.fs, {
      target: row.id,
      path: binding.path,
      serverName: binding.serverName,
      inputId: binding.inputId,
      createdFile: binding.createdFile,
      createdDirs: binding.createdDirs,
      createdKeys: binding.createdKeys,
      // Only for the check that the value is gone: a keychain that cannot answer must not block the unbind.
      plainTextToken: binding.plainText ? await deps.readValue(binding.token).catch(() => undefined) : undefined,
    });
  }
  if (!binding.launcher) return undefined;
  const account = mcpCredentialAccount(binding.id);
  try {
    await deps.credentials.delete(account);
    return undefined;
  } catch (error) {
    // The client entry is gone already; a store that cannot be reached must not keep the binding forever.
    deps.logger.warn(`[unbind] the credential-store entry ${account} could not be deleted: ${errorSummary(error)}`);
    const reason = error instanceof Error ? error.message : String(error);
    return deps.t('The token is still in the operating system\'s credential store (service sonarqube-tokens, account {0}): {1} Delete that entry in your keychain, or revoke the token.', account, reason);
  }
}

/** Rotation's effect outside the record: the launcher's credential-store entry, or the plain-text value; no other file changes. */
export async function switchMcpBindingToken(deps: McpBindingEffectsDeps, binding: McpBinding, to: TokenRef): Promise<void> {
  if (binding.launcher) await deps.credentials.set(mcpCredentialAccount(binding.id), await requireValue(deps, to));
  if (binding.plainText && binding.path && binding.serverName) {
    await rewritePlainTextToken(deps.fs, { path: binding.path, target: binding.target as McpTargetId, serverName: binding.serverName, token: await requireValue(deps, to) });
  }
}

/** At activation: every launcher entry this extension wrote runs the launcher where it now is. Returns how many moved. */
export async function repairLauncherBindings(deps: Pick<McpBindingEffectsDeps, 'fs' | 'logger'>, bindings: readonly BindingRecord[], runtime: LauncherRuntime): Promise<number> {
  let repaired = 0;
  for (const binding of bindings) {
    if (binding.kind !== 'mcp' || !binding.launcher || !binding.path || !binding.serverName) continue;
    try {
      if (await repairLauncherFileEntry(deps.fs, { id: binding.id, target: binding.target as McpTargetId, path: binding.path, serverName: binding.serverName }, runtime)) {
        repaired++;
        deps.logger.info(`[bind] ${binding.path}: "${binding.serverName}" now runs the launcher at ${runtime.script}`);
      }
    } catch (error) {
      // A file the person broke or removed is theirs: the launcher's own line tells them when the client starts it.
      deps.logger.warn(`[bind] could not repair "${binding.serverName}" in ${binding.path}: ${errorSummary(error)}`);
    }
  }
  return repaired;
}

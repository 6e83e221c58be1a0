import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { copyWithAutoClear } from '../core/clipboard/autoClear';
import type { ConnectionRecord } from '../core/connections/connectionStore';
import { nodeFileSystem } from '../core/config/fileSystem';
import { writeFileAtomic } from '../core/config/atomicWrite';
import { confirmWorkspaceFile } from '../core/config/confinement';
import { readConfigFile } from '../core/config/jsoncFile';
import {
  planConnectedModeConnection,
  projectBindingValue,
  removeConnectedModeConnection,
  sharedConnectedModeJson,
} from '../core/connectedMode/sonarlint';
import type { SonarlintConnections } from '../core/connectedMode/sonarlint';
import { applyMcpFileBinding, removeMcpFileBinding, rewritePlainTextToken } from '../core/mcp/fileBinding';
import { buildMcpLaunch } from '../core/mcp/launch';
import { MCP_TARGETS, mcpConfigPath } from '../core/mcp/targets';
import type { McpTargetId } from '../core/mcp/targets';
import type { TokenRef } from '../core/secrets/keys';
import type { BindingRecord, BindingStore, ConnectedModeBinding } from '../core/tokens/bindingStore';
import { WordedError } from '../core/flows/describeError';
import { describeBinding, displayPath } from './bindingViews';
import type { SonarMcpProvider } from './mcpProvider';
import { readMcpLauncherSettings } from './settings';
import { t } from './l10n';
import type { Services } from './services';

const SONARLINT_EXTENSION_ID = 'SonarSource.sonarlint-vscode';
const SHARED_FILE = path.join('.sonarlint', 'connectedMode.json');

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Binds tokens to their targets and undoes exactly that; every decision it needs is made in the core. */
export class BindingManager {
  constructor(
    private readonly services: Services,
    readonly store: BindingStore,
    private readonly provider: SonarMcpProvider,
    private readonly storagePath: string,
  ) {}

  usedBy(ref: TokenRef): string[] {
    return this.store.forToken(ref).map((binding) => {
      const view = describeBinding(binding);
      return view.description ? `${view.label} (${view.description})` : view.label;
    });
  }

  /** Asks for the MCP client and binds the token there; the record is written only after the target was. */
  async bindMcp(connection: ConnectionRecord, ref: TokenRef): Promise<void> {
    const { prompter } = this.services;
    const target = await prompter.pick(
      MCP_TARGETS.filter((descriptor) => descriptor.id !== 'cursorExtension').map((descriptor) => ({ label: descriptor.label(t), detail: descriptor.detail(t), value: descriptor })),
      { title: t('Bind {0} to an MCP server', ref.name), placeholder: t('Which MCP client should use the token?') },
    );
    if (!target) return;
    if (target.id === 'vscodeProvider') return this.bindProvider(connection, ref);
    const folder = target.scope === 'workspace' ? await this.pickFolder(t('Which folder?')) : undefined;
    if (target.scope === 'workspace' && !folder) return;
    const file = mcpConfigPath(target.id, { platform: process.platform, home: os.homedir(), env: process.env, exists: fs.existsSync, workspaceFolder: folder?.uri.fsPath });
    if (!file) {
      void prompter.error(t('{0} is not supported on this operating system.', target.label(t)));
      return;
    }
    if (folder && !(await confirmWorkspaceFile({ fs: nodeFileSystem, prompter, t }, folder.uri.fsPath, file))) return;
    let plainTextToken: string | undefined;
    if (target.secret === 'launcher' && !target.variableSyntax) {
      const confirmed = await prompter.confirm(t('Write the token in plain text into {0}?', displayPath(file)), {
        confirmLabel: t('Write in Plain Text'),
        detail: t(
          '{0} cannot read a token from secure storage or the environment, so the value itself goes into its configuration file. Anyone or anything that can read that file (backups, sync tools, other programs) can use the token. The file is kept readable by you only (mode 0600). Prefer another client when you can.',
          target.label(t),
        ),
      });
      if (!confirmed) return;
      plainTextToken = await this.requireValue(ref);
    }
    const launch = buildMcpLaunch(readMcpLauncherSettings(this.storagePath), connection.target, { t });
    const base = { target: target.id, path: file, launch, connectionSlug: slug(connection.label), inputDescription: t('SonarQube token for {0}', connection.label), plainTextToken };
    let result = await applyMcpFileBinding(nodeFileSystem, base);
    if (result.kind === 'conflict') {
      const replace = t('Replace');
      const add = t('Add as "{0}"', result.suggestedName);
      const choice = await prompter.warn(t('{0} already has an MCP server named "{1}".', displayPath(file), result.existingName), replace, add);
      if (choice === undefined) return;
      result = await applyMcpFileBinding(nodeFileSystem, choice === replace ? { ...base, replaceExisting: true } : { ...base, serverName: result.suggestedName });
      if (result.kind === 'conflict') return;
    }
    await this.store.add({
      kind: 'mcp',
      token: ref,
      target: target.id,
      path: file,
      serverName: result.serverName,
      inputId: result.inputId,
      createdFile: result.createdFile,
      createdDirs: result.createdDirs,
      createdKeys: result.createdKeys,
      plainText: plainTextToken !== undefined,
    });
    this.services.logger.info(`[bind] ${ref.name} bound to ${target.id} in ${file} as "${result.serverName}"`);
    const open = t('Open File');
    const instructions = plainTextToken !== undefined ? t('The file is readable by you only.') : target.secret === 'input' ? t('VS Code asks for the token the first time the server starts and keeps it in its secure storage.') : t('{0} reads {1} from the environment it was started in: set it in your shell profile (for example from your password manager) before starting {0}.', target.label(t), 'SONARQUBE_TOKEN');
    if ((await prompter.info(t('{0} is bound to {1} in {2}. {3}', ref.name, target.client(t), displayPath(file), instructions), open)) === open) {
      await vscode.window.showTextDocument(vscode.Uri.file(file));
    }
  }

  private async bindProvider(connection: ConnectionRecord, ref: TokenRef): Promise<void> {
    const taken = new Set(this.store.list().flatMap((binding) => (binding.kind === 'mcp' && binding.label ? [binding.label] : [])));
    let label = t('SonarQube ({0})', connection.label);
    if (taken.has(label)) label = t('SonarQube ({0}, {1})', connection.label, ref.name);
    for (let counter = 2; taken.has(label); counter++) label = t('SonarQube ({0}, {1}) {2}', connection.label, ref.name, counter);
    await this.store.add({ kind: 'mcp', token: ref, target: 'vscodeProvider', label });
    this.provider.refresh();
    const list = t('List Servers');
    const answer = await this.services.prompter.info(
      t('"{0}" is now an MCP server in VS Code. The token stays in secure storage and reaches the server through its environment when it starts.', label),
      list,
    );
    if (answer === list) await vscode.commands.executeCommand('workbench.mcp.listServer');
  }

  /** Connected mode: connection in User settings (no token), folders bound, optional shared file, then the hand-off. */
  async bindConnectedMode(connection: ConnectionRecord, ref: TokenRef): Promise<void> {
    const { prompter } = this.services;
    if (!vscode.extensions.getExtension(SONARLINT_EXTENSION_ID)) {
      const show = t('Show Extension');
      if ((await prompter.warn(t('SonarQube for IDE is not installed. Install it, then bind the token again.'), show)) === show) {
        await vscode.commands.executeCommand('workbench.extensions.search', SONARLINT_EXTENSION_ID);
      }
      return;
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void prompter.error(t('Open the folder of your project first: connected mode binds workspace folders to a SonarQube project.'));
      return;
    }
    const title = t('Bind {0} to SonarQube for IDE', ref.name);
    const chosen =
      folders.length === 1
        ? [folders[0]]
        : await prompter.pickMany(
            folders.map((folder) => ({ label: folder.name, description: folder.uri.fsPath, value: folder, picked: true })),
            { title, step: 1, totalSteps: 3, placeholder: t('Which folders belong to the project?') },
          );
    if (!chosen || chosen.length === 0) return;
    const api = await this.services.apiFor(connection.id);
    const projectKey = await prompter.searchPick({
      title,
      step: 2,
      totalSteps: 3,
      placeholder: t('Project on {0}', connection.label),
      search: async (query, signal) => (await api.scannableProjects(query, { signal })).map((project) => ({ label: project.name, description: project.key, value: project.key })),
    });
    if (projectKey === undefined) return;
    const share = await prompter.pick(
      [
        { label: t('Share with the team'), detail: t('Also write .sonarlint/connectedMode.json (no secret in it) so teammates are offered the same binding.'), value: true },
        { label: t('Only for me'), value: false },
      ],
      { title, step: 3, totalSteps: 3 },
    );
    if (share === undefined) return;

    const sonarlint = vscode.workspace.getConfiguration('sonarlint');
    const plan = planConnectedModeConnection(this.userConnections(), connection.target);
    if (plan.writeConnections) await sonarlint.update(`connectedMode.connections.${plan.section}`, plan.next[plan.section], vscode.ConfigurationTarget.Global);
    for (const folder of chosen) {
      await vscode.workspace
        .getConfiguration('sonarlint', folder.uri)
        .update('connectedMode.project', projectBindingValue(plan.connectionId, projectKey), vscode.ConfigurationTarget.WorkspaceFolder);
    }
    const sharedFiles = share ? await this.writeSharedFiles(chosen, connection, projectKey) : [];
    const binding = (await this.store.add({
      kind: 'connectedMode',
      token: ref,
      section: plan.section,
      sonarlintConnectionId: plan.connectionId,
      addedConnection: !plan.reused,
      folders: chosen.map((folder) => folder.uri.toString()),
      projectKey,
      sharedFiles,
    })) as ConnectedModeBinding;
    this.services.logger.info(`[bind] ${ref.name} bound to SonarQube for IDE connection ${plan.connectionId}, project ${projectKey}`);
    await this.handOff(binding, ref);
  }

  /**
   * SonarQube for IDE keeps its token in its own secure storage, which no other extension can write: the value goes
   * to the clipboard (cleared again) and its connection form opens for one paste.
   */
  async handOff(binding: ConnectedModeBinding, ref: TokenRef): Promise<void> {
    const value = await this.requireValue(ref);
    const { clipboard } = this.services.copyDeps();
    await copyWithAutoClear(clipboard.clipboard, value, clipboard.clearSeconds, { logger: this.services.logger, pending: clipboard.pending });
    await vscode.commands.executeCommand(
      binding.section === 'sonarqube' ? 'SonarLint.EditSonarQubeConnection' : 'SonarLint.EditSonarCloudConnection',
      binding.sonarlintConnectionId,
    );
    void this.services.prompter.info(
      clipboard.clearSeconds > 0
        ? t('Token {0} is on the clipboard for {1} seconds: paste it into the Token field of the SonarQube for IDE form that just opened, then save.', ref.name, clipboard.clearSeconds)
        : t('Token {0} is on the clipboard: paste it into the Token field of the SonarQube for IDE form that just opened, then save.', ref.name),
    );
  }

  /** Removes exactly what the binding wrote, then the record. */
  async remove(binding: BindingRecord): Promise<void> {
    if (binding.kind === 'mcp') {
      if (binding.target !== 'vscodeProvider' && binding.path && binding.serverName) {
        await removeMcpFileBinding(nodeFileSystem, {
          target: binding.target as McpTargetId,
          path: binding.path,
          serverName: binding.serverName,
          inputId: binding.inputId,
          createdFile: binding.createdFile,
          createdDirs: binding.createdDirs ? [...binding.createdDirs] : undefined,
          createdKeys: binding.createdKeys ? [...binding.createdKeys] : undefined,
          // Only for the check that the value is gone: a keychain that cannot answer must not block the unbind.
          plainTextToken: binding.plainText ? await this.services.vault.read(binding.token).catch(() => undefined) : undefined,
        });
      }
      await this.store.remove(binding.id);
      this.provider.refresh();
      return;
    }
    await this.removeConnectedMode(binding);
    await this.store.remove(binding.id);
  }

  /** Rotation: the binding now uses `to`; only plain-text files and connected mode need more than the record. */
  async switchToken(binding: BindingRecord, to: TokenRef, handOff: boolean): Promise<void> {
    if (binding.kind === 'mcp' && binding.plainText && binding.path && binding.serverName) {
      await rewritePlainTextToken(nodeFileSystem, { path: binding.path, serverName: binding.serverName, token: await this.requireValue(to) });
    }
    await this.store.retarget(binding.id, to);
    if (binding.kind === 'mcp') this.provider.refresh();
    if (binding.kind === 'connectedMode' && handOff) await this.handOff(binding, to);
  }

  private async removeConnectedMode(binding: ConnectedModeBinding): Promise<void> {
    for (const folder of binding.folders) {
      const configuration = vscode.workspace.getConfiguration('sonarlint', vscode.Uri.parse(folder));
      const current = configuration.inspect<{ connectionId?: string; projectKey?: string }>('connectedMode.project')?.workspaceFolderValue;
      if (current?.connectionId === binding.sonarlintConnectionId && current.projectKey === binding.projectKey) {
        await configuration.update('connectedMode.project', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
    }
    for (const file of binding.sharedFiles) {
      const text = (await nodeFileSystem.readFile(file))?.toString('utf8');
      if (text !== undefined && text === this.sharedText(binding)) await nodeFileSystem.unlink(file);
    }
    const stillUsed = this.store.list().some((other) => other.id !== binding.id && other.kind === 'connectedMode' && other.sonarlintConnectionId === binding.sonarlintConnectionId);
    if (binding.addedConnection && !stillUsed) {
      const next = removeConnectedModeConnection(this.userConnections(), binding.section, binding.sonarlintConnectionId);
      const value = next[binding.section];
      await vscode.workspace
        .getConfiguration('sonarlint')
        .update(`connectedMode.connections.${binding.section}`, value.length > 0 ? value : undefined, vscode.ConfigurationTarget.Global);
    }
  }

  private sharedText(binding: ConnectedModeBinding): string | undefined {
    const connection = this.services.connections.get(binding.token.connectionId);
    return connection && sharedConnectedModeJson(connection.target, binding.projectKey);
  }

  private async writeSharedFiles(folders: readonly vscode.WorkspaceFolder[], connection: ConnectionRecord, projectKey: string): Promise<string[]> {
    const text = sharedConnectedModeJson(connection.target, projectKey);
    const created: string[] = [];
    for (const folder of folders) {
      if (folder.uri.scheme !== 'file') continue; // a virtual folder: its settings binding is all it gets
      const file = path.join(folder.uri.fsPath, SHARED_FILE);
      if (!(await confirmWorkspaceFile({ fs: nodeFileSystem, prompter: this.services.prompter, t }, folder.uri.fsPath, file))) continue;
      const existing = (await readConfigFile(nodeFileSystem, file))?.toString('utf8');
      if (existing === text) continue;
      if (existing !== undefined) {
        const replace = t('Replace');
        if ((await this.services.prompter.warn(t('{0} already describes another binding.', displayPath(file)), replace)) !== replace) continue;
      }
      await nodeFileSystem.mkdir(path.dirname(file));
      await writeFileAtomic(nodeFileSystem, file, text);
      if (existing === undefined) created.push(file);
    }
    return created;
  }

  private userConnections(): SonarlintConnections {
    const sonarlint = vscode.workspace.getConfiguration('sonarlint');
    const read = (section: string) => sonarlint.inspect<unknown[]>(`connectedMode.connections.${section}`)?.globalValue ?? [];
    return { sonarqube: [...read('sonarqube')], sonarcloud: [...read('sonarcloud')] };
  }

  private async pickFolder(placeholder: string): Promise<vscode.WorkspaceFolder | undefined> {
    // A virtual workspace's folders (vscode-vfs://…) have no path on disk to write a file to.
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    if (folders.length === 0) {
      void this.services.prompter.error(t('Open a folder on this computer first: this configuration file lives in a workspace folder on disk.'));
      return undefined;
    }
    if (folders.length === 1) return folders[0];
    return this.services.prompter.pick(
      folders.map((folder) => ({ label: folder.name, description: folder.uri.fsPath, value: folder })),
      { title: t('Workspace Folder'), placeholder },
    );
  }

  private async requireValue(ref: TokenRef): Promise<string> {
    const value = await this.services.vault.read(ref);
    if (value === undefined) {
      throw new WordedError(t('The value of token {0} is not in secure storage on this computer: generate a new token to bind it.', ref.name));
    }
    return value;
  }
}

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
import { bindEditorProvider, bindMcpFlow, removeMcpBindingEffects, repairLauncherBindings, switchMcpBindingToken } from '../core/flows/bindMcp';
import type { BindMcpDeps, EditorMcpApi, McpBindingEffectsDeps, McpBindingWriteDeps } from '../core/flows/bindMcp';
import { buildMcpLaunch } from '../core/mcp/launch';
import type { TokenRef } from '../core/secrets/keys';
import type { BindingRecord, BindingStore, ConnectedModeBinding, McpBinding } from '../core/tokens/bindingStore';
import { WordedError } from '../core/flows/describeError';
import { describeBinding, displayPath } from './bindingViews';
import type { LauncherHost } from './launcherHost';
import type { SonarMcpProvider } from './mcpProvider';
import { readMcpLauncherSettings } from './settings';
import { t } from './l10n';
import type { Services } from './services';

const SONARLINT_EXTENSION_ID = 'SonarSource.sonarlint-vscode';
const SHARED_FILE = path.join('.sonarlint', 'connectedMode.json');

/** Binds tokens to their targets and undoes exactly that; every decision it needs is made in the core. */
export class BindingManager {
  constructor(
    private readonly services: Services,
    readonly store: BindingStore,
    private readonly provider: SonarMcpProvider,
    private readonly storagePath: string,
    private readonly launcherHost: LauncherHost,
    private readonly editorApis: ReadonlySet<EditorMcpApi>,
  ) {}

  usedBy(ref: TokenRef): string[] {
    return this.store.forToken(ref).map((binding) => {
      const view = describeBinding(binding);
      return view.description ? `${view.label} (${view.description})` : view.label;
    });
  }

  /** Asks for the MCP client and binds the token there (decided in the core flow), then tells the editor's MCP support. */
  async bindMcp(connection: ConnectionRecord, ref: TokenRef): Promise<void> {
    const binding = await bindMcpFlow(this.bindDeps(), connection, ref);
    if (binding?.target === 'vscodeProvider') await this.announceProvider(binding, t('"{0}" is now an MCP server in VS Code. The token stays in secure storage and reaches the server through its environment when it starts.', binding.label ?? ''), 'workbench.mcp.listServer');
    if (binding?.target === 'cursorExtension') await this.announceProvider(binding, t('"{0}" is now an MCP server in Cursor. The token stays in secure storage and reaches the server through its environment when it starts.', binding.label ?? ''));
  }

  /** A moved MCP entry: the editor's own MCP support starts the server with the token from secure storage. */
  async bindEditorProvider(connection: ConnectionRecord, ref: TokenRef): Promise<void> {
    const target = this.editorApis.has('vscodeMcpProvider') ? 'vscodeProvider' : this.editorApis.has('cursorMcp') ? 'cursorExtension' : undefined;
    if (!target) throw new WordedError(t('This editor cannot start MCP servers for extensions: bind the token to an MCP client from the Tokens view instead.'));
    const binding = await bindEditorProvider({ store: this.store, t }, connection, ref, target);
    this.provider.refresh();
    this.services.logger.info(`[bind] ${ref.name} bound to ${target} as "${binding.label}"`);
  }

  private async announceProvider(binding: McpBinding, message: string, listCommand?: string): Promise<void> {
    this.provider.refresh();
    this.services.logger.info(`[bind] ${binding.token.name} bound to ${binding.target} as "${binding.label}"`);
    const list = t('List Servers');
    const answer = await this.services.prompter.info(message, ...(listCommand ? [list] : []));
    if (answer === list && listCommand) await vscode.commands.executeCommand(listCommand);
  }

  private effectsDeps(): McpBindingEffectsDeps {
    return { t, logger: this.services.logger, fs: nodeFileSystem, credentials: this.launcherHost.credentials, readValue: (ref) => this.services.vault.read(ref) };
  }

  /** What writing a launcher binding into a client file needs (also for a found token's entry, rewritten in place). */
  mcpWriteDeps(): McpBindingWriteDeps {
    return {
      ...this.effectsDeps(),
      prompter: this.services.prompter,
      store: this.store,
      launchFor: (connection) => buildMcpLaunch(readMcpLauncherSettings(this.storagePath), connection.target, { t }),
      installLauncher: () => this.launcherHost.installLauncher(),
      displayPath,
    };
  }

  private bindDeps(): BindMcpDeps {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    return {
      ...this.mcpWriteDeps(),
      paths: { platform: process.platform, home: os.homedir(), env: process.env, exists: fs.existsSync },
      folders: folders.map((folder) => ({ name: folder.name, path: folder.uri.fsPath })),
      editorApis: this.editorApis,
      openFile: async (file) => void (await vscode.window.showTextDocument(vscode.Uri.file(file))),
    };
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
    await this.handOffTo(binding.section, binding.sonarlintConnectionId, ref);
  }

  /** The hand-off to a SonarQube for IDE connection this extension did not bind (a token found in its settings). */
  async handOffTo(section: ConnectedModeBinding['section'], sonarlintConnectionId: string | undefined, ref: TokenRef): Promise<void> {
    const value = await this.requireValue(ref);
    const { clipboard } = this.services.copyDeps();
    await copyWithAutoClear(clipboard.clipboard, value, clipboard.clearSeconds, { logger: this.services.logger, pending: clipboard.pending });
    await vscode.commands.executeCommand(
      section === 'sonarqube' ? 'SonarLint.EditSonarQubeConnection' : 'SonarLint.EditSonarCloudConnection',
      sonarlintConnectionId,
    );
    void this.services.prompter.info(
      clipboard.clearSeconds > 0
        ? t('Token {0} is on the clipboard for {1} seconds: paste it into the Token field of the SonarQube for IDE form that just opened, then save.', ref.name, clipboard.clearSeconds)
        : t('Token {0} is on the clipboard: paste it into the Token field of the SonarQube for IDE form that just opened, then save.', ref.name),
    );
  }

  /** At activation: entries written for the launcher follow it when the editor's runtime or the launcher moved. */
  async repairLauncherEntries(): Promise<void> {
    const runtime = await this.launcherHost.installLauncher();
    await repairLauncherBindings({ fs: nodeFileSystem, logger: this.services.logger }, this.store.list(), runtime);
  }

  /** Removes exactly what the binding wrote, then the record. */
  async remove(binding: BindingRecord): Promise<void> {
    if (binding.kind === 'mcp') {
      const leftover = await removeMcpBindingEffects(this.effectsDeps(), binding);
      await this.store.remove(binding.id);
      this.provider.refresh();
      if (leftover) void this.services.prompter.warn(leftover);
      return;
    }
    await this.removeConnectedMode(binding);
    await this.store.remove(binding.id);
  }

  /** Rotation: the binding now uses `to`; a launcher binding changes only its credential-store entry, no file. */
  async switchToken(binding: BindingRecord, to: TokenRef, handOff: boolean): Promise<void> {
    if (binding.kind === 'mcp') await switchMcpBindingToken(this.effectsDeps(), binding, to);
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

  private async requireValue(ref: TokenRef): Promise<string> {
    const value = await this.services.vault.read(ref);
    if (value === undefined) {
      throw new WordedError(t('The value of token {0} is not in secure storage on this computer: generate a new token to bind it.', ref.name));
    }
    return value;
  }
}

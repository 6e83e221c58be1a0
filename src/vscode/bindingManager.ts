import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ConnectionRecord } from '../core/connections/connectionStore';
import { nodeFileSystem } from '../core/config/fileSystem';
import { bindConnectedModeFlow, handOffToSonarlint, removeConnectedModeEffects } from '../core/flows/bindConnectedMode';
import type { ConnectedModeEffectsDeps, HandOffDeps, ProjectBinding, SonarlintSettings } from '../core/flows/bindConnectedMode';
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
import { PRODUCT } from '../core/productNames';

const SONARLINT_EXTENSION_ID = 'SonarSource.sonarlint-vscode';

/** What the person is told once the editor's own MCP support (VS Code's, Cursor's) lists the new server. */
function nowAnMcpServerIn(binding: McpBinding, editor: string): string {
  return t(
    {
      message: '"{0}" is now an MCP server in {1}. The token stays in secure storage and reaches the server through its environment when it starts.',
      comment: ['{0} is the name of the MCP server; {1} a product name, e.g. VS Code or Cursor.'],
    },
    binding.label ?? '',
    editor,
  );
}

/** What binding reads and writes: connections, held values, the journal, prompts and the log, a client for a revoke. */
export type BindingManagerServices = Pick<Services, 'apiFor' | 'connections' | 'copyDeps' | 'journal' | 'logger' | 'prompter' | 'vault'>;

/** Binds tokens to their targets and undoes exactly that; every decision it needs is made in the core. */
export class BindingManager {
  constructor(
    private readonly services: BindingManagerServices,
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
    if (binding?.target === 'vscodeProvider') await this.announceProvider(binding, nowAnMcpServerIn(binding, PRODUCT.vsCode), 'workbench.mcp.listServer');
    if (binding?.target === 'cursorExtension') await this.announceProvider(binding, nowAnMcpServerIn(binding, PRODUCT.cursor));
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
      journal: this.services.journal,
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
    const folders = vscode.workspace.workspaceFolders ?? [];
    await bindConnectedModeFlow(
      {
        ...this.connectedModeDeps(),
        ...this.handOffDeps(),
        sonarlintInstalled: vscode.extensions.getExtension(SONARLINT_EXTENSION_ID) !== undefined,
        showSonarlintExtension: async () => void (await vscode.commands.executeCommand('workbench.extensions.search', SONARLINT_EXTENSION_ID)),
        folders: folders.map((folder) => ({ name: folder.name, uri: folder.uri.toString(), path: folder.uri.scheme === 'file' ? folder.uri.fsPath : undefined })),
        apiFor: (id) => this.services.apiFor(id),
        journal: this.services.journal,
        displayPath,
      },
      connection,
      ref,
    );
  }

  /** The hand-off to a SonarQube for IDE connection (a token found in its settings, or a rotated binding). */
  handOffTo(section: ConnectedModeBinding['section'], sonarlintConnectionId: string | undefined, ref: TokenRef): Promise<void> {
    return handOffToSonarlint(this.handOffDeps(), section, sonarlintConnectionId, ref);
  }

  private handOffDeps(): HandOffDeps {
    return {
      prompter: this.services.prompter,
      t,
      logger: this.services.logger,
      clipboard: this.services.copyDeps().clipboard,
      readValue: (ref) => this.services.vault.read(ref),
      openConnectionForm: async (section, id) =>
        void (await vscode.commands.executeCommand(section === 'sonarqube' ? 'SonarLint.EditSonarQubeConnection' : 'SonarLint.EditSonarCloudConnection', id)),
    };
  }

  private connectedModeDeps(): ConnectedModeEffectsDeps {
    return { settings: sonarlintSettings, fs: nodeFileSystem, store: this.store, targetOf: (id) => this.services.connections.get(id)?.target };
  }

  /** At activation: entries written for the launcher follow it when the editor's runtime or the launcher moved. */
  async repairLauncherEntries(): Promise<void> {
    const runtime = await this.launcherHost.installLauncher();
    await repairLauncherBindings({ fs: nodeFileSystem, logger: this.services.logger }, this.store.list(), runtime);
  }

  /** Removes exactly what the binding wrote, then the record. */
  async remove(binding: BindingRecord): Promise<void> {
    const leftover = await this.removeEffects(binding);
    await this.store.remove(binding.id);
    if (binding.kind === 'mcp') this.provider.refresh();
    if (leftover) void this.services.prompter.warn(leftover);
  }

  /** Recovery: what an interrupted bind wrote goes, as on unbind; its record was never stored. */
  async undoBind(binding: BindingRecord): Promise<void> {
    const leftover = await this.removeEffects(binding);
    if (leftover) this.services.logger.warn(`[recovery] ${leftover}`);
  }

  private async removeEffects(binding: BindingRecord): Promise<string | undefined> {
    if (binding.kind === 'mcp') return removeMcpBindingEffects(this.effectsDeps(), binding);
    await removeConnectedModeEffects(this.connectedModeDeps(), binding);
    return undefined;
  }

  /** Rotation: the binding now uses `to`; a launcher binding changes only its credential-store entry, no file. */
  async switchToken(binding: BindingRecord, to: TokenRef, handOff: boolean): Promise<void> {
    if (binding.kind === 'mcp') await switchMcpBindingToken(this.effectsDeps(), binding, to);
    await this.store.retarget(binding.id, to);
    if (binding.kind === 'mcp') this.provider.refresh();
    if (binding.kind === 'connectedMode' && handOff) await this.handOffTo(binding.section, binding.sonarlintConnectionId, to);
  }
}

/** SonarQube for IDE's settings through the editor's configuration: connections in User settings, projects per folder. */
const sonarlintSettings: SonarlintSettings = {
  userConnections() {
    const sonarlint = vscode.workspace.getConfiguration('sonarlint');
    const read = (section: string) => sonarlint.inspect<unknown[]>(`connectedMode.connections.${section}`)?.globalValue ?? [];
    return { sonarqube: [...read('sonarqube')], sonarcloud: [...read('sonarcloud')] };
  },
  async writeUserConnections(section, value) {
    await vscode.workspace.getConfiguration('sonarlint').update(`connectedMode.connections.${section}`, value, vscode.ConfigurationTarget.Global);
  },
  folderProject(folderUri) {
    return vscode.workspace.getConfiguration('sonarlint', vscode.Uri.parse(folderUri)).inspect<ProjectBinding>('connectedMode.project')?.workspaceFolderValue;
  },
  async writeFolderProject(folderUri, value) {
    await vscode.workspace.getConfiguration('sonarlint', vscode.Uri.parse(folderUri)).update('connectedMode.project', value, vscode.ConfigurationTarget.WorkspaceFolder);
  },
};

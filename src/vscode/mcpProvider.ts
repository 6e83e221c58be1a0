import * as vscode from 'vscode';
import type { EditorMcpApi } from '../core/flows/bindMcp';
import { buildMcpLaunch, withToken } from '../core/mcp/launch';
import { probeSonarLintIdePort } from '../core/mcp/idePort';
import type { BindingStore, McpBinding } from '../core/tokens/bindingStore';
import { thisIdeWindow } from './ideWindow';
import { readMcpLauncherSettings } from './settings';
import { t } from './l10n';
import type { Services } from './services';

export const MCP_PROVIDER_ID = 'sonarqubeTokens.mcp';

/** What the provider reads when it lists and starts servers: connections, the held values, the log. */
export type McpProviderServices = Pick<Services, 'connections' | 'requireConnection' | 'vault' | 'logger'>;

/** Cursor's extension API for MCP servers (cursor.com/docs/extension-api); absent from VS Code and its typings. */
interface CursorMcpApi {
  registerServer(server: { name: string; server: { command: string; args: string[]; env: Record<string, string> } }): unknown;
  unregisterServer(name: string): unknown;
}

function cursorMcpApi(): CursorMcpApi | undefined {
  const mcp = (vscode as unknown as { cursor?: { mcp?: Partial<CursorMcpApi> } }).cursor?.mcp;
  return typeof mcp?.registerServer === 'function' && typeof mcp.unregisterServer === 'function' ? (mcp as CursorMcpApi) : undefined;
}

/** The MCP APIs this editor has: VS Code's provider API, Cursor's, either or neither (other forks). */
export function editorMcpApis(): Set<EditorMcpApi> {
  const apis = new Set<EditorMcpApi>();
  if (typeof (vscode.lm as Partial<typeof vscode.lm> | undefined)?.registerMcpServerDefinitionProvider === 'function') apis.add('vscodeMcpProvider');
  if (cursorMcpApi()) apis.add('cursorMcp');
  return apis;
}

/** Registers the provider where VS Code's API exists; in a fork without it, nothing. */
export function registerVsCodeMcpProvider(provider: SonarMcpProvider): vscode.Disposable | undefined {
  return editorMcpApis().has('vscodeMcpProvider') ? vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider) : undefined;
}

/**
 * VS Code's built-in MCP target: one stdio server per binding. The token goes from SecretStorage into the child's
 * environment when the server starts, never into a file or the command line.
 */
export class SonarMcpProvider implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changes.event;

  constructor(
    private readonly services: McpProviderServices,
    private readonly bindings: BindingStore,
    private readonly storagePath: string,
  ) {}

  /** Servers registered with Cursor, by name: unbind unregisters them. */
  private readonly cursorServers = new Set<string>();

  /** Bind, unbind, rotate and revoke all change what the editor should list or start. */
  refresh(): void {
    this.changes.fire();
    void this.syncCursor().catch((error: unknown) => this.services.logger.warn(`[mcp] Cursor registration failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * Inside Cursor: one registered server per binding, the token in its environment, no file. Registering again
   * replaces the definition (rotation); names no longer bound are unregistered.
   */
  async syncCursor(): Promise<void> {
    const cursor = cursorMcpApi();
    if (!cursor) return;
    const bound = new Set<string>();
    for (const binding of this.bindingsOf('cursorExtension')) {
      const name = binding.label ?? binding.token.name;
      const connection = this.services.connections.get(binding.token.connectionId);
      const token = connection && (await this.services.vault.read(binding.token));
      if (!connection || token === undefined) continue;
      const launch = buildMcpLaunch(readMcpLauncherSettings(this.storagePath), connection.target, { t });
      cursor.registerServer({ name, server: { command: launch.command, args: launch.args, env: withToken(launch.env, token) } });
      bound.add(name);
      this.cursorServers.add(name);
    }
    for (const name of [...this.cursorServers].filter((registered) => !bound.has(registered))) {
      cursor.unregisterServer(name);
      this.cursorServers.delete(name);
    }
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    const definitions: vscode.McpStdioServerDefinition[] = [];
    for (const binding of this.providerBindings()) {
      const connection = this.services.connections.get(binding.token.connectionId);
      if (!connection) continue;
      try {
        const launch = buildMcpLaunch(readMcpLauncherSettings(this.storagePath), connection.target, { t });
        definitions.push(new vscode.McpStdioServerDefinition(binding.label ?? binding.token.name, launch.command, launch.args, launch.env));
      } catch (error) {
        this.services.logger.warn(`[mcp] cannot define ${binding.label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return definitions;
  }

  async resolveMcpServerDefinition(server: vscode.McpStdioServerDefinition): Promise<vscode.McpStdioServerDefinition> {
    const binding = this.providerBindings().find((candidate) => (candidate.label ?? candidate.token.name) === server.label);
    if (!binding) throw new Error(t('{0} is no longer bound to a token. Bind one with "Bind Token to MCP Server…".', server.label));
    const connection = this.services.requireConnection(binding.token.connectionId);
    const token = await this.services.vault.read(binding.token);
    if (token === undefined) {
      throw new Error(
        t('The token {0} for {1} is no longer in secure storage (revoked or removed). Bind another token with "Bind Token to MCP Server…".', binding.token.name, server.label),
      );
    }
    const ide = await probeSonarLintIdePort(thisIdeWindow());
    this.services.logger.info(`[mcp] ${server.label}: ${ide.explanation}`);
    const launch = buildMcpLaunch(readMcpLauncherSettings(this.storagePath), connection.target, { idePort: ide.port, t });
    for (const warning of launch.warnings) this.services.logger.warn(`[mcp] ${server.label}: ${warning}`);
    server.command = launch.command;
    server.args = launch.args;
    server.env = withToken(launch.env, token);
    this.services.logger.info(`[mcp] starting ${server.label} with ${launch.command}`);
    return server;
  }

  dispose(): void {
    this.changes.dispose();
  }

  private providerBindings(): McpBinding[] {
    return this.bindingsOf('vscodeProvider');
  }

  private bindingsOf(target: 'vscodeProvider' | 'cursorExtension'): McpBinding[] {
    return this.bindings.list().filter((binding): binding is McpBinding => binding.kind === 'mcp' && binding.target === target);
  }
}

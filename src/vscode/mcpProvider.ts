import * as vscode from 'vscode';
import { buildMcpLaunch, withToken } from '../core/mcp/launch';
import { probeSonarLintIdePort } from '../core/mcp/idePort';
import type { BindingStore, McpBinding } from '../core/tokens/bindingStore';
import { thisIdeWindow } from './ideWindow';
import { readMcpLauncherSettings } from './settings';
import { t } from './l10n';
import type { Services } from './services';

export const MCP_PROVIDER_ID = 'sonarqubeTokens.mcp';

/**
 * VS Code's built-in MCP target: one stdio server per binding. The token goes from SecretStorage into the child's
 * environment when the server starts, never into a file or the command line.
 */
export class SonarMcpProvider implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changes.event;

  constructor(
    private readonly services: Services,
    private readonly bindings: BindingStore,
    private readonly storagePath: string,
  ) {}

  /** Bind, unbind, rotate and revoke all change what VS Code should list or start. */
  refresh(): void {
    this.changes.fire();
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
    return this.bindings.list().filter((binding): binding is McpBinding => binding.kind === 'mcp' && binding.target === 'vscodeProvider');
  }
}

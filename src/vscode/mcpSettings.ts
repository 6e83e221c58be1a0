import * as vscode from 'vscode';
import type { McpLauncherSettings } from '../core/mcp/launch';

/** `sonarqubeTokens.mcp.*`, read when a server is defined or started so that changes apply at once. */
export function readMcpLauncherSettings(storagePath: string): McpLauncherSettings {
  const mcp = vscode.workspace.getConfiguration('sonarqubeTokens.mcp');
  const toolsets = mcp.get<string[]>('toolsets', []);
  return {
    launcher: mcp.get<'docker' | 'jar' | 'custom'>('launcher', 'docker'),
    dockerImage: mcp.get<string>('dockerImage', 'sonarsource/sonarqube-mcp'),
    jarPath: mcp.get<string>('jarPath', '') || undefined,
    customCommand: mcp.get<string>('customCommand', '') || undefined,
    customArgs: mcp.get<string[]>('customArgs', []),
    toolsets: toolsets.length > 0 ? toolsets : undefined,
    readOnly: mcp.get<boolean>('readOnly', false),
    storagePath,
  };
}

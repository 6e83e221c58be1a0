import * as vscode from 'vscode';
import type { McpLauncherSettings } from '../core/mcp/launch';
import { userSetting } from '../core/settings/userSetting';

/**
 * `sonarqubeTokens.mcp.*`, read when a server is defined or started so that changes apply at once; only from user
 * settings, since they choose the program that receives the token.
 */
export function readMcpLauncherSettings(storagePath: string): McpLauncherSettings {
  const mcp = vscode.workspace.getConfiguration('sonarqubeTokens.mcp');
  const toolsets = userSetting<string[]>(mcp, 'toolsets', []);
  return {
    launcher: userSetting<'docker' | 'jar' | 'custom'>(mcp, 'launcher', 'docker'),
    dockerImage: userSetting<string>(mcp, 'dockerImage', 'sonarsource/sonarqube-mcp'),
    jarPath: userSetting<string>(mcp, 'jarPath', '') || undefined,
    customCommand: userSetting<string>(mcp, 'customCommand', '') || undefined,
    customArgs: userSetting<string[]>(mcp, 'customArgs', []),
    toolsets: toolsets.length > 0 ? toolsets : undefined,
    readOnly: userSetting<boolean>(mcp, 'readOnly', false),
    storagePath,
  };
}

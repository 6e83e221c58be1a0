import * as vscode from 'vscode';
import type { McpLauncherSettings } from '../core/mcp/launch';
import { userSetting } from '../core/settings/userSetting';

export const SETTINGS_SECTION = 'sonarqubeTokens';

/** One contributed setting: its key under `sonarqubeTokens.`, the default package.json declares (a test checks both agree). */
export interface Setting<T> {
  readonly key: string;
  readonly defaultValue: T;
  /**
   * Read from User settings only (and `"scope": "machine"` in package.json): the setting chooses the program that
   * receives a token or how long one stays on the clipboard, so a cloned repository's settings must not set it.
   */
  readonly userOnly: boolean;
}

function setting<T>(key: string, defaultValue: T, options: { userOnly?: boolean } = {}): Setting<T> {
  return { key, defaultValue, userOnly: options.userOnly ?? false };
}

/** Every `sonarqubeTokens.*` setting, typed. */
export const Settings = {
  requestTimeoutSeconds: setting('requestTimeoutSeconds', 15),
  clipboardClearSeconds: setting('clipboardClearSeconds', 60, { userOnly: true }),
  expiryWarningDays: setting('expiryWarningDays', 7),
  scanOnStartup: setting('scanOnStartup', true),
  mcpLauncher: setting<McpLauncherSettings['launcher']>('mcp.launcher', 'docker', { userOnly: true }),
  mcpDockerImage: setting('mcp.dockerImage', 'sonarsource/sonarqube-mcp', { userOnly: true }),
  mcpJarPath: setting('mcp.jarPath', '', { userOnly: true }),
  mcpCustomCommand: setting('mcp.customCommand', '', { userOnly: true }),
  mcpCustomArgs: setting<readonly string[]>('mcp.customArgs', [], { userOnly: true }),
  mcpToolsets: setting<readonly string[]>('mcp.toolsets', [], { userOnly: true }),
  mcpReadOnly: setting('mcp.readOnly', false, { userOnly: true }),
} as const;

/** The current value, read at the moment it is needed so that a change applies at once. */
export function readSetting<T>(which: Setting<T>): T {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return which.userOnly ? userSetting(configuration, which.key, which.defaultValue) : configuration.get<T>(which.key, which.defaultValue);
}

/** Whether a configuration change touches this setting (or, with a prefix such as `mcp`, any under it). */
export function affects(event: vscode.ConfigurationChangeEvent, keyOrPrefix: string): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.${keyOrPrefix}`);
}

/** `sonarqubeTokens.mcp.*`, read when a server is defined or started. */
export function readMcpLauncherSettings(storagePath: string): McpLauncherSettings {
  const toolsets = readSetting(Settings.mcpToolsets);
  return {
    launcher: readSetting(Settings.mcpLauncher),
    dockerImage: readSetting(Settings.mcpDockerImage),
    jarPath: readSetting(Settings.mcpJarPath) || undefined,
    customCommand: readSetting(Settings.mcpCustomCommand) || undefined,
    customArgs: readSetting(Settings.mcpCustomArgs),
    toolsets: toolsets.length > 0 ? toolsets : undefined,
    readOnly: readSetting(Settings.mcpReadOnly),
    storagePath,
  };
}

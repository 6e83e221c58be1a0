// Settings that decide which program receives a token, or how long it stays on the clipboard, belong to the person,
// not to a repository: a cloned project's `.vscode/settings.json` must not be able to choose them.

/** VS Code's `WorkspaceConfiguration.inspect(...)`, reduced to the levels we tell apart. */
export interface InspectedSetting<T> {
  readonly defaultValue?: T;
  /** User settings (and the remote's, in a remote window). */
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

export interface SettingsInspector {
  inspect<T>(key: string): InspectedSetting<T> | undefined;
}

/** The person's own value, else the default: workspace and folder values are ignored, whatever the manifest says. */
export function userSetting<T>(settings: SettingsInspector, key: string, fallback: T): T {
  const inspected = settings.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

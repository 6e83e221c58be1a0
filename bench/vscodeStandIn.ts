// The smallest `vscode` module `activate()` can run against outside the editor: every API it touches at activation,
// doing nothing. Used by the activation benchmark in fresh processes.
/* eslint-disable @typescript-eslint/no-explicit-any */
class Disposable {
  constructor(private readonly callback: () => void = () => undefined) {}
  dispose(): void {
    this.callback();
  }
}

class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  readonly event = (listener: (value: T) => void) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Memento {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
  setKeysForSync(): void {}
}

const configuration = { get: (_key: string, fallback?: unknown) => fallback, update: () => Promise.resolve(), inspect: () => undefined, has: () => false };
const logChannel = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, show() {}, dispose() {} };

export const vscodeStandIn: any = {
  Disposable,
  EventEmitter,
  TreeItem: class {},
  ThemeIcon: class {},
  ThemeColor: class {},
  MarkdownString: class {},
  CancellationError: class extends Error {},
  McpStdioServerDefinition: class {},
  Uri: { parse: (value: string) => ({ toString: () => value }), file: (fsPath: string) => ({ fsPath }) },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  l10n: { t: (message: string) => message },
  env: { appName: 'Bench', clipboard: { readText: async () => '', writeText: async () => undefined }, openExternal: async () => true },
  window: {
    createOutputChannel: () => logChannel,
    createTreeView: () => ({ visible: false, dispose() {} }),
    showErrorMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
  },
  commands: { registerCommand: () => new Disposable(), executeCommand: async () => undefined },
  workspace: { getConfiguration: () => configuration, onDidChangeConfiguration: () => new Disposable(), workspaceFolders: undefined },
  lm: { registerMcpServerDefinitionProvider: () => new Disposable() },
  extensions: { getExtension: () => undefined },
};

export function standInContext(): any {
  const secrets = new Map<string, string>();
  const secretChanges = new EventEmitter<{ key: string }>();
  return {
    subscriptions: [] as Array<{ dispose(): void }>,
    globalState: new Memento(),
    workspaceState: new Memento(),
    globalStorageUri: { fsPath: '/tmp/sonarqube-tokens-bench' },
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
      onDidChange: secretChanges.event,
    },
  };
}

// A stand-in for the `vscode` module, enough of it for the host layer to run under plain mocha (unit tests of
// src/vscode/ and src/extension.ts) and for the activation benchmark. It keeps what the extension did in `world`
// (messages, commands run, settings written, quick inputs shown) and lets a test answer for the person.
// `registerVscodeStandIn.ts` makes `require('vscode')` return it.
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class Disposable {
  constructor(private readonly callback: () => void = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.callback();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  readonly event = (listener: (value: T) => void) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
    private readonly text: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath, `file://${fsPath}`);
  }
  static parse(value: string): Uri {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1] ?? 'file';
    return new Uri(scheme, scheme === 'file' ? decodeURIComponent(value.replace(/^file:\/\//, '')) : value, value);
  }
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return this.text;
  }
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string };
  constructor(
    readonly label: string,
    readonly collapsibleState: number = 0,
  ) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class MarkdownString {
  isTrusted = false;
  constructor(
    readonly value: string,
    readonly supportThemeIcons = false,
  ) {}
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export class McpStdioServerDefinition {
  constructor(
    public label: string,
    public command: string,
    public args: string[],
    public env: Record<string, string | number | null> = {},
  ) {}
}

export class RelativePattern {
  constructor(
    readonly baseUri: Uri,
    readonly pattern: string,
  ) {}
}

/** The glob syntax of the editor's file search (`**`, `*`, `?`, nested `{a,b}`) as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let depth = 0;
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (glob.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      depth++;
      source += '(?:';
    } else if (char === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (char === ',' && depth > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** `workspace.findFiles` over the real folder: files whose relative path matches, none under an excluded folder. */
function findFiles(include: RelativePattern, exclude: string | undefined, maxResults = Infinity): Uri[] {
  const matches = globToRegExp(include.pattern);
  const excluded = exclude ? globToRegExp(exclude) : undefined;
  const found: Uri[] = [];
  const walk = (folder: string, relative: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const entryRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (excluded?.test(entryRelative) || found.length >= maxResults) continue;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), entryRelative);
      else if (entry.isFile() && matches.test(entryRelative)) found.push(Uri.file(path.join(folder, entry.name)));
    }
  };
  walk(include.baseUri.fsPath, '');
  world.findFilesCalls.push({ pattern: include.pattern, exclude, maxResults });
  return found;
}

export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 } as const;

/** `{0}`-style placeholders, as `vscode.l10n.t` fills them. */
export function format(message: string, args: readonly unknown[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}

type Level = 'globalValue' | 'workspaceValue' | 'workspaceFolderValue';
const levelOf: Record<number, Level> = { 1: 'globalValue', 2: 'workspaceValue', 3: 'workspaceFolderValue' };

/** Settings by full key (`sonarqubeTokens.mcp.launcher`) and level; folder values by folder URI. */
class SettingsStore {
  readonly values = new Map<string, Partial<Record<Level, unknown>>>();
  readonly folderValues = new Map<string, Map<string, unknown>>();
  readonly changes = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

  set(key: string, value: unknown, level: Level = 'globalValue', folder?: string): void {
    if (level === 'workspaceFolderValue' && folder !== undefined) {
      const values = this.folderValues.get(folder) ?? new Map<string, unknown>();
      if (value === undefined) values.delete(key);
      else values.set(key, value);
      this.folderValues.set(folder, values);
    } else {
      const entry = this.values.get(key) ?? {};
      entry[level] = value;
      this.values.set(key, entry);
    }
    this.changes.fire({ affectsConfiguration: (section: string) => key === section || key.startsWith(`${section}.`) });
  }

  configuration(section: string, scope?: { toString(): string }): any {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    const inspect = (key: string) => {
      const entry = this.values.get(full(key)) ?? {};
      const folder = scope ? this.folderValues.get(scope.toString())?.get(full(key)) : undefined;
      return { key: full(key), defaultValue: undefined, ...entry, workspaceFolderValue: folder };
    };
    return {
      get: (key: string, fallback?: unknown) => {
        const levels = inspect(key);
        return levels.workspaceFolderValue ?? levels.workspaceValue ?? levels.globalValue ?? fallback;
      },
      has: (key: string) => this.values.has(full(key)),
      inspect,
      update: async (key: string, value: unknown, target: number = ConfigurationTarget.Global) => {
        this.set(full(key), value, levelOf[target], scope?.toString());
      },
    };
  }
}

export interface ShownMessage {
  readonly severity: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly options: { modal?: boolean; detail?: string } | undefined;
  readonly actions: readonly string[];
}

/** A quick pick or input box the extension showed, for the test to act on as the person. */
export interface ShownInput {
  readonly kind: 'quickPick' | 'inputBox';
  readonly widget: any;
}

/** The person's answer to the first later message that offers `choice` (and matches `when`). */
interface MessageAnswer {
  readonly choice: string;
  readonly when?: RegExp;
}

/** Everything the extension did through the stand-in, and what the person will answer. */
export class World {
  readonly settings = new SettingsStore();
  readonly messages: ShownMessage[] = [];
  readonly inputs: ShownInput[] = [];
  readonly progress: string[] = [];
  readonly executed: Array<{ command: string; args: unknown[] }> = [];
  readonly opened: string[] = [];
  readonly documents: Array<{ uri: string; options: unknown }> = [];
  readonly commands = new Map<string, (...args: any[]) => unknown>();
  readonly mcpProviders = new Map<string, any>();
  readonly treeViews: any[] = [];
  readonly findFilesCalls: Array<{ pattern: string; exclude: string | undefined; maxResults: number }> = [];
  readonly logLines: string[] = [];
  readonly installedExtensions = new Set<string>();
  readonly inputShown = new EventEmitter<ShownInput>();
  workspaceFolders: Array<{ uri: Uri; name: string; index: number }> | undefined;
  clipboard = '';
  openExternalResult = true;
  /** Whether a view is visible when it is created (the person had the Tokens view open). */
  viewsVisible = true;
  /** Presses Cancel on every progress notification whose title matches. */
  cancelProgress?: RegExp;
  private readonly answers: MessageAnswer[] = [];

  /** The first later message that offers `choice` (and matches `when`) is answered with it; others are dismissed. */
  answer(choice: string, when?: RegExp): void {
    this.answers.push({ choice, when });
  }

  /** Answers not used yet, for tests to check that every expected question came. */
  get pendingAnswers(): readonly string[] {
    return this.answers.map((answer) => answer.choice);
  }

  show(severity: ShownMessage['severity'], message: string, rest: unknown[]): Promise<string | undefined> {
    const options = rest.length > 0 && typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as ShownMessage['options']) : undefined;
    const shown: ShownMessage = { severity, message, options, actions: rest as string[] };
    this.messages.push(shown);
    const index = this.answers.findIndex((answer) => shown.actions.includes(answer.choice) && (!answer.when || answer.when.test(message)));
    const [answer] = index >= 0 ? this.answers.splice(index, 1) : [];
    return Promise.resolve(answer?.choice);
  }

  texts(severity?: ShownMessage['severity']): string[] {
    return this.messages.filter((shown) => !severity || shown.severity === severity).map((shown) => shown.message);
  }

  reset(): void {
    this.settings.values.clear();
    this.settings.folderValues.clear();
    for (const list of [this.messages, this.inputs, this.progress, this.executed, this.opened, this.documents, this.treeViews, this.logLines, this.findFilesCalls]) list.length = 0;
    this.commands.clear();
    this.mcpProviders.clear();
    this.installedExtensions.clear();
    this.answers.length = 0;
    this.workspaceFolders = undefined;
    this.clipboard = '';
    this.openExternalResult = true;
    this.viewsVisible = true;
    this.cancelProgress = undefined;
  }
}

export const world = new World();

function quickInput(kind: ShownInput['kind']): any {
  const accept = new EventEmitter<void>();
  const hide = new EventEmitter<void>();
  const changeValue = new EventEmitter<string>();
  const widget: any = {
    title: undefined,
    step: undefined,
    totalSteps: undefined,
    placeholder: undefined,
    prompt: undefined,
    value: '',
    password: false,
    busy: false,
    ignoreFocusOut: false,
    validationMessage: undefined,
    items: [],
    activeItems: [],
    selectedItems: [],
    canSelectMany: false,
    matchOnDescription: false,
    visible: false,
    onDidAccept: accept.event,
    onDidHide: hide.event,
    onDidChangeValue: changeValue.event,
    show() {
      widget.visible = true;
      const shown = { kind, widget };
      world.inputs.push(shown);
      world.inputShown.fire(shown);
    },
    hide() {
      if (!widget.visible) return;
      widget.visible = false;
      hide.fire();
    },
    dispose() {
      widget.visible = false;
    },
    // For tests, acting as the person:
    type(value: string) {
      widget.value = value;
      changeValue.fire(value);
    },
    accept() {
      accept.fire();
    },
    choose(label: string) {
      const item = widget.items.find((candidate: { label: string }) => candidate.label === label);
      if (!item) throw new Error(`no item "${label}" in ${widget.items.map((candidate: { label: string }) => candidate.label).join(', ')}`);
      widget.selectedItems = [item];
      accept.fire();
    },
  };
  return widget;
}

const outputChannel = (name: string) => {
  const line = (level: string) => (message: string) => world.logLines.push(`${level} ${message}`);
  return { name, info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), trace: line('trace'), show() {}, dispose() {} };
};

export const vscodeStandIn: any = {
  Disposable,
  EventEmitter,
  CancellationError,
  Uri,
  TreeItem,
  ThemeIcon,
  ThemeColor,
  MarkdownString,
  Position,
  Range,
  McpStdioServerDefinition,
  RelativePattern,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget,
  l10n: {
    t: (message: string | { message: string; args?: unknown[] }, ...args: unknown[]) =>
      typeof message === 'string' ? format(message, args) : format(message.message, message.args ?? []),
  },
  env: {
    appName: 'Stand-in Code',
    clipboard: {
      readText: async () => world.clipboard,
      writeText: async (value: string) => {
        world.clipboard = value;
      },
    },
    openExternal: async (uri: Uri) => {
      world.opened.push(uri.toString());
      return world.openExternalResult;
    },
  },
  window: {
    createOutputChannel: outputChannel,
    createTreeView: (id: string, options: unknown) => {
      const visibility = new EventEmitter<{ visible: boolean }>();
      const view = {
        id,
        options,
        visible: world.viewsVisible,
        onDidChangeVisibility: visibility.event,
        /** For tests: the person opens or closes the view. */
        setVisible(visible: boolean) {
          view.visible = visible;
          visibility.fire({ visible });
        },
        dispose() {},
      };
      world.treeViews.push(view);
      return view;
    },
    createQuickPick: () => quickInput('quickPick'),
    createInputBox: () => quickInput('inputBox'),
    showInformationMessage: (message: string, ...rest: unknown[]) => world.show('info', message, rest),
    showWarningMessage: (message: string, ...rest: unknown[]) => world.show('warn', message, rest),
    showErrorMessage: (message: string, ...rest: unknown[]) => world.show('error', message, rest),
    showTextDocument: async (uri: Uri, options?: unknown) => {
      world.documents.push({ uri: uri.toString(), options });
    },
    withProgress: async (options: { title: string }, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
      world.progress.push(options.title);
      const cancel = new EventEmitter<void>();
      const token = { isCancellationRequested: false, onCancellationRequested: cancel.event };
      const running = task({ report: (value: { message?: string }) => value.message && world.progress.push(value.message) }, token);
      if (world.cancelProgress?.test(options.title)) {
        setTimeout(() => {
          token.isCancellationRequested = true;
          cancel.fire();
        }, 0);
      }
      return running;
    },
  },
  commands: {
    registerCommand: (id: string, handler: (...args: any[]) => unknown) => {
      if (world.commands.has(id)) throw new Error(`command ${id} already registered`);
      world.commands.set(id, handler);
      return new Disposable(() => world.commands.delete(id));
    },
    executeCommand: async (id: string, ...args: unknown[]) => {
      world.executed.push({ command: id, args });
      return world.commands.get(id)?.(...args);
    },
  },
  version: '1.101.0',
  workspace: {
    get name() {
      return world.workspaceFolders?.[0]?.name;
    },
    getConfiguration: (section = '', scope?: { toString(): string }) => world.settings.configuration(section, scope),
    onDidChangeConfiguration: (listener: (event: unknown) => void) => world.settings.changes.event(listener),
    get workspaceFolders() {
      return world.workspaceFolders;
    },
    findFiles: async (include: RelativePattern, exclude?: string, maxResults?: number) => findFiles(include, exclude, maxResults),
    asRelativePath: (file: string) => {
      const folder = world.workspaceFolders?.find((candidate) => file.startsWith(candidate.uri.fsPath + path.sep));
      return folder ? path.relative(folder.uri.fsPath, file) : file;
    },
  },
  lm: {
    registerMcpServerDefinitionProvider: (id: string, provider: unknown) => {
      world.mcpProviders.set(id, provider);
      return new Disposable(() => world.mcpProviders.delete(id));
    },
  },
  /** Cursor's extension API: absent (VS Code) unless a test sets it; declared so `import * as vscode` sees it later. */
  cursor: undefined,
  extensions: {
    getExtension: (id: string) => (world.installedExtensions.has(id) ? { id } : undefined),
  },
};

class Memento {
  private readonly values = new Map<string, unknown>();
  synced: readonly string[] = [];
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
  setKeysForSync(keys: readonly string[]): void {
    this.synced = keys;
  }
}

/** An ExtensionContext whose SecretStorage keeps values in memory and fires change events as VS Code's does. */
export function standInContext(storagePath = '/tmp/sonarqube-tokens-stand-in'): any {
  const secrets = new Map<string, string>();
  const secretChanges = new EventEmitter<{ key: string }>();
  return {
    subscriptions: [] as Array<{ dispose(): void }>,
    globalState: new Memento(),
    workspaceState: new Memento(),
    globalStorageUri: Uri.file(storagePath),
    secretValues: secrets,
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => {
        secrets.set(key, value);
        secretChanges.fire({ key });
      },
      delete: async (key: string) => {
        if (secrets.delete(key)) secretChanges.fire({ key });
      },
      onDidChange: secretChanges.event,
    },
  };
}

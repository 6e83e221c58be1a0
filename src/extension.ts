import * as vscode from 'vscode';
import { hasJournalEntries } from './core/journal/journal';
import { KnownSecrets } from './core/logging/knownSecrets';
import { parseSecretKey } from './core/secrets/keys';
import { BindingStore } from './core/tokens/bindingStore';
import { REMINDER_INTERVAL_MS } from './core/tokens/expiryReminders';
import type { TreeContext } from './core/tokens/treeNodes';
import { bindingViewsOf, displayPath } from './vscode/bindingViews';
import { CommandId, ContextKey } from './vscode/commandIds';
import { CommandRunner } from './vscode/commandRunner';
import type { LoadedCommands } from './vscode/commands';
import { loadCommands } from './vscode/commandsLoader';
import { createExtensionLog } from './vscode/log';
import { registerVsCodeMcpProvider, SonarMcpProvider } from './vscode/mcpProvider';
import { t } from './vscode/l10n';
import { Services } from './vscode/services';
import { affects, readSetting, Settings } from './vscode/settings';
import { TokensTreeProvider } from './vscode/tree/tokensTreeProvider';

const FIRST_REMINDER_DELAY_MS = 10_000;

/** What deactivation must still do: clear a copied token whose timer would die with the extension host. */
let beforeExit: (() => Promise<void>) | undefined;

/** Wires the parts together: registers the view, the MCP provider and the command ids, and does no I/O. */
export function activate(context: vscode.ExtensionContext): void {
  const knownSecrets = new KnownSecrets();
  const { logger, channel } = createExtensionLog(knownSecrets);
  const services = new Services(context, logger, knownSecrets);
  beforeExit = () => services.clearPendingClipboard();
  const store = new BindingStore(services.state, logger);
  const storagePath = context.globalStorageUri.fsPath;
  const provider = new SonarMcpProvider(services, store, storagePath);
  const showLogs = () => channel.show();
  const runner = new CommandRunner(context, logger, showLogs, (text) => knownSecrets.redact(text));

  let commands: LoadedCommands | undefined;
  const loaded = (): LoadedCommands => {
    if (commands) return commands;
    commands = loadCommands().createCommands({ services, store, provider, storagePath, run: (origin, task) => runner.run(origin, task), showLogs });
    // The exposure model comes with the commands: the section appears once a scan found something.
    context.subscriptions.push(commands.exposure.model.onDidChange(() => tree.refreshAll()));
    return commands;
  };
  for (const id of Object.values(CommandId)) runner.register(id, (...args: unknown[]) => (loaded().handler(id) as (...a: unknown[]) => unknown)(...args));

  // Read once and again when it changes: the tree asks for its context for every item it draws.
  let warningDays = readSetting(Settings.expiryWarningDays);
  const treeContext = (): TreeContext => ({
    connections: services.connections.list(),
    model: services.model,
    isHeld: (ref) => services.heldTokens.has(ref),
    bindingsOf: (ref) => bindingViewsOf(store, ref),
    now: new Date(),
    warningDays,
    t,
    redact: (text) => knownSecrets.redact(text),
    commands: { signInAgain: CommandId.signInAgain, loadMoreUsers: CommandId.loadMoreUsers, generateToken: CommandId.generateToken },
    exposure: commands?.exposure.model,
    displayPath,
  });
  const tree = new TokensTreeProvider(services.model, treeContext);
  const view = vscode.window.createTreeView('sonarqubeTokens.tokens', { treeDataProvider: tree, showCollapseAll: true });

  const updateContextKeys = () => {
    const connections = services.connections.list();
    void vscode.commands.executeCommand('setContext', ContextKey.hasConnections, connections.length > 0);
    void vscode.commands.executeCommand('setContext', ContextKey.hasAdminConnection, connections.some((connection) => connection.isAdmin));
    void vscode.commands.executeCommand('setContext', ContextKey.hasBindings, store.list().length > 0);
  };
  updateContextKeys();
  // Cursor forgets registered servers when it restarts: register the bound ones again.
  if (store.list().some((binding) => binding.kind === 'mcp' && binding.target === 'cursorExtension')) provider.refresh();
  services.state.syncKeys(['sonarqubeTokens.connections']);

  // A previous run was killed between two steps of an operation: finish or undo it (reads globalState only).
  if (hasJournalEntries(services.state)) void runner.run('recovery', () => loaded().recoverOperations());
  // Client entries run the launcher from global storage, not from this version's install folder: keep that copy current,
  // and point the entries this extension wrote at it again when an editor update or a reinstall moved it or the runtime.
  if (store.list().some((binding) => binding.kind === 'mcp' && binding.launcher)) void runner.run('MCP launcher', () => loaded().repairLauncherEntries());

  // The known places are scanned for exposed tokens once, when the view is first shown (after activation returned).
  let startupScanDone = false;
  const scanOnFirstShow = () => {
    if (startupScanDone || !view.visible) return;
    startupScanDone = true;
    if (readSetting(Settings.scanOnStartup)) setTimeout(() => void runner.run('exposure scan', () => loaded().exposure.scanAtStartup()), 0);
  };
  const visibility = view.onDidChangeVisibility(scanOnFirstShow);
  scanOnFirstShow();

  // Bound tokens and every connection's own sign-in token can expire.
  const remind = () => void runner.run('expiry reminder', () => (store.list().length > 0 || services.connections.list().length > 0 ? loaded().remindAboutExpiry() : undefined));
  const firstReminder = setTimeout(remind, FIRST_REMINDER_DELAY_MS);
  const dailyReminder = setInterval(remind, REMINDER_INTERVAL_MS);

  context.subscriptions.push(
    services,
    channel,
    tree,
    view,
    visibility,
    provider,
    ...[registerVsCodeMcpProvider(provider)].filter((registration) => registration !== undefined),
    { dispose: () => (clearTimeout(firstReminder), clearInterval(dailyReminder)) },
    services.connections.onDidChange(() => {
      updateContextKeys();
      tree.refreshAll();
    }),
    services.heldTokens.onDidChange(() => tree.refreshAll()),
    store.onDidChange(() => {
      updateContextKeys();
      tree.refreshAll();
    }),
    // Another window signed in again, generated or revoked: drop cached clients and redraw from the server.
    services.secrets.onDidChange((key) => {
      const parsed = parseSecretKey(key);
      if (parsed?.kind === 'signIn') {
        services.resetClients(parsed.connectionId);
        if (view.visible) void services.model.refresh([parsed.connectionId]);
      }
      tree.refreshAll();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('http') || affects(event, Settings.requestTimeoutSeconds.key)) services.resetClients();
      if (affects(event, Settings.expiryWarningDays.key)) {
        warningDays = readSetting(Settings.expiryWarningDays);
        tree.refreshAll();
      }
      if (affects(event, 'mcp')) provider.refresh();
    }),
  );
}

export function deactivate(): Promise<void> | undefined {
  return beforeExit?.();
}

import * as vscode from 'vscode';
import { parseSecretKey } from './core/secrets/keys';
import type { TreeContext } from './core/tokens/treeNodes';
import { CommandId, ContextKey } from './vscode/commandIds';
import { CommandRunner } from './vscode/commandRunner';
import { describeError } from './vscode/describeError';
import { createExtensionLog } from './vscode/log';
import { Services, t } from './vscode/services';
import { registerBindings } from './vscode/bindings';
import { registerTokenCommands } from './vscode/tokenCommands';
import { TokensTreeProvider } from './vscode/tree/tokensTreeProvider';

/** Wires the parts together; registers views and commands and does no I/O (the view loads when it is shown). */
export function activate(context: vscode.ExtensionContext): void {
  const { logger, channel } = createExtensionLog();
  const services = new Services(context, logger);
  const showLogs = () => channel.show();
  const runner = new CommandRunner(context, logger, describeError, showLogs);
  const bindings = registerBindings(context, runner, services);

  const treeContext = (): TreeContext => ({
    connections: services.connections.list(),
    model: services.model,
    isHeld: (ref) => services.heldTokens.has(ref),
    bindingsOf: (ref) => bindings.viewsOf(ref),
    now: new Date(),
    warningDays: vscode.workspace.getConfiguration('sonarqubeTokens').get<number>('expiryWarningDays', 7),
    t,
    commands: { signInAgain: CommandId.signInAgain, loadMoreUsers: CommandId.loadMoreUsers, generateToken: CommandId.generateToken },
  });
  const tree = new TokensTreeProvider(services.model, treeContext);
  const view = vscode.window.createTreeView('sonarqubeTokens.tokens', { treeDataProvider: tree, showCollapseAll: true });

  const updateContextKeys = () => {
    const connections = services.connections.list();
    void vscode.commands.executeCommand('setContext', ContextKey.hasConnections, connections.length > 0);
    void vscode.commands.executeCommand('setContext', ContextKey.hasAdminConnection, connections.some((connection) => connection.isAdmin));
    void vscode.commands.executeCommand('setContext', ContextKey.hasBindings, bindings.count() > 0);
  };
  updateContextKeys();
  services.state.syncKeys(['sonarqubeTokens.connections']);

  registerTokenCommands(runner, services, bindings, showLogs);

  context.subscriptions.push(
    services,
    channel,
    tree,
    view,
    services.connections.onDidChange(() => {
      updateContextKeys();
      tree.refreshAll();
    }),
    services.heldTokens.onDidChange(() => tree.refreshAll()),
    bindings.onDidChange(() => {
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
      if (event.affectsConfiguration('http') || event.affectsConfiguration('sonarqubeTokens.requestTimeoutSeconds')) services.resetClients();
      if (event.affectsConfiguration('sonarqubeTokens.expiryWarningDays')) tree.refreshAll();
    }),
  );
}

export function deactivate(): void {}

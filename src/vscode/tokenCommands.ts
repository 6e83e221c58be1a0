import * as vscode from 'vscode';
import type { ConnectionRecord } from '../core/connections/connectionStore';
import { copyTokenFlow } from '../core/flows/copyToken';
import { generateTokenFlow } from '../core/flows/generateToken';
import type { ExtraAfterAction, GenerateTokenResult } from '../core/flows/generateToken';
import { removeConnection } from '../core/flows/removeConnection';
import { signInAgain } from '../core/flows/renewSignIn';
import { revokeTokenFlow } from '../core/flows/revokeToken';
import { addConnection } from '../core/flows/signIn';
import type { AddConnectionDeps } from '../core/flows/signIn';
import { startBrowserSignIn } from '../core/auth/browserSignIn';
import { accountSecurityUrl, tokenFromBrowser as tokenFromBrowserFlow } from '../core/flows/signInWithBrowser';
import type { BrowserSignInRequest } from '../core/flows/signInWithBrowser';
import { apiBaseUrl, parseServerUrl } from '../core/sonar/target';
import type { TokenRef } from '../core/secrets/keys';
import type { TreeNode } from '../core/tokens/treeNodes';
import { CommandId } from './commandIds';
import type { CommandRegistry } from './commandRunner';
import { connectionOf, tokenOf } from './pickers';
import { t } from './l10n';
import type { Services } from './services';
import { PRODUCT } from '../core/productNames';

/** What bindings add to the token commands (kept apart so the token commands don't know binding targets). */
export interface TokenLifecycleHooks {
  /** Words for each place that uses the held value, for the revoke confirmation. */
  usedBy(ref: TokenRef): string[];
  /** After the server confirmed a revoke: remove what used the token. */
  afterRevoke(ref: TokenRef): Promise<void>;
  /** After Remove Connection: remove every binding made from it. */
  afterRemoveConnection(connectionId: string): Promise<void>;
  /** Extra choices at the end of Generate (e.g. "Bind to an MCP server…"). */
  generateActions(): ExtraAfterAction[];
  runGenerateAction(result: GenerateTokenResult): Promise<void>;
}

const BROWSER_SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

/** The token and connection commands, id to handler: each finds what it acts on and hands the decisions to a flow. */
export function registerTokenCommands(runner: CommandRegistry, services: Services, hooks: TokenLifecycleHooks, showLogs: () => void): void {
  const { model, prompter } = services;
  const openUrl = (url: string) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url)));
  const signInDeps = (): AddConnectionDeps => ({
    ...services.flowDeps(),
    connections: services.connections,
    createApi: (target, token) => services.createApi(target, token),
    parseServerUrl: (input) => parseServerUrl(input, t),
    tokenFromBrowser: (request) => tokenFromBrowser(services, openUrl, request),
  });

  async function generate(connection: ConnectionRecord, forLogin?: string): Promise<void> {
    const deps = { ...services.copyDeps(), api: await services.apiFor(connection.id), machineName: services.machineName(), openUrl };
    const result = await generateTokenFlow(deps, connection, { forLogin, extraActions: forLogin ? [] : hooks.generateActions() });
    if (!result) return;
    if (forLogin) void model.loadUserTokens(connection.id, forLogin, true);
    else await model.loadTokens(connection.id, true);
    await hooks.runGenerateAction(result);
  }

  const accountPage = (connection: ConnectionRecord) => vscode.Uri.parse(accountSecurityUrl(connection.target));
  const isAdmin = (candidate: ConnectionRecord) => candidate.isAdmin === true;

  const handlers: Partial<Record<CommandId, (node?: TreeNode) => Promise<void> | void>> = {
    [CommandId.refresh]: async (node) => {
      const connectionId = node?.kind === 'connection' ? node.connection.id : undefined;
      services.resetClients(connectionId);
      await model.refresh(connectionId ? [connectionId] : services.connections.list().map((connection) => connection.id));
    },
    [CommandId.signInAgain]: async (node) => {
      const connection = await connectionOf(services, node);
      if (connection && (await signInAgain(signInDeps(), connection))) await services.reload([connection.id]);
    },
    [CommandId.removeConnection]: async (node) => {
      const connection = await connectionOf(services, node);
      if (!connection) return;
      const removed = await removeConnection(
        { prompter, t, vault: services.vault, connections: services.connections, journal: services.journal, removeBindings: (id) => hooks.afterRemoveConnection(id) },
        connection,
      );
      if (!removed) return;
      services.resetClients(connection.id);
      model.forget(connection.id);
    },
    [CommandId.generateToken]: async (node) => {
      const connection = await connectionOf(services, node);
      if (connection) await generate(connection);
    },
    [CommandId.generateTokenForUser]: async (node) => {
      const connection = await connectionOf(services, node, isAdmin);
      if (!connection) return;
      const login =
        node?.kind === 'user'
          ? node.user.login
          : await prompter.input({ title: t('Generate Token for User'), prompt: t('Login of the user on {0}', connection.label), validate: (value) => (value.trim() ? undefined : t('Enter a login.')) });
      if (login !== undefined) await generate(connection, login.trim());
    },
    [CommandId.revokeToken]: async (node) => {
      const picked = await tokenOf(services, node);
      if (!picked) return;
      const { connection, ref } = picked;
      const result = await revokeTokenFlow({ ...services.flowDeps(), api: await services.apiFor(connection.id) }, connection, ref, {
        usedBy: hooks.usedBy(ref),
        cleanUp: (revoked) => hooks.afterRevoke(revoked),
      });
      if (result.revoked === true) {
        model.removeToken(ref);
        // Shows "Sign in again…" under the connection at once.
        if (result.signedOut) await services.reload([connection.id]);
      } else if (result.revoked === 'unconfirmed') {
        model.markRevocationUnconfirmed(ref);
      }
    },
    [CommandId.copyToken]: async (node) => {
      const picked = await tokenOf(services, node, (_token, ref) => services.heldTokens.has(ref));
      if (picked) await copyTokenFlow(services.copyDeps(), picked.connection, picked.ref);
    },
    [CommandId.openTokenPage]: async (node) => {
      const connection = await connectionOf(services, node);
      if (!connection) return;
      const forOther = node?.kind === 'token' && node.login !== connection.login;
      await vscode.env.openExternal(forOther ? vscode.Uri.parse(`${apiBaseUrl(connection.target)}/admin/users`) : accountPage(connection));
    },
    [CommandId.openAgentAppsPage]: async (node) => {
      const connection = await connectionOf(services, node, (candidate) => candidate.target.kind === 'cloud');
      if (!connection) return;
      await vscode.env.openExternal(accountPage(connection));
      void prompter.info(t({ message: 'Agent app tokens are listed on that page under Access Tokens > Agent Apps: {0} offers no public API for them.', comment: ['{0} is a product name, SonarQube Cloud.'] }, PRODUCT.sonarQubeCloud));
    },
    [CommandId.filterUsers]: async (node) => {
      const connection = await connectionOf(services, node, isAdmin);
      if (!connection) return;
      const filter = await prompter.input({
        title: t('Filter Users on {0}', connection.label),
        prompt: t('Part of a login, name or email (at least 2 characters); empty shows everyone'),
        value: model.usersOf(connection.id).filter ?? '',
        validate: (value) => (value.trim().length === 1 ? t('Type at least 2 characters, or nothing to show everyone.') : undefined),
      });
      if (filter !== undefined) await model.loadUsers(connection.id, { filter: filter.trim() || null });
    },
    [CommandId.loadMoreUsers]: async (node) => {
      if (node && 'connectionId' in node) await model.loadUsers(node.connectionId, { more: true });
    },
    [CommandId.showLogs]: () => showLogs(),
  };
  for (const [id, handler] of Object.entries(handlers)) runner.register(id as CommandId, handler);
  // From a welcome button the argument is the kind of connection, not a tree item.
  runner.register(CommandId.addConnection, async (kind?: 'server' | 'cloud') => {
    const connection = await addConnection(signInDeps(), typeof kind === 'string' ? kind : undefined);
    if (connection) void model.loadTokens(connection.id, true);
  });
}

/** The browser sign-in with this editor's name, its listener and its browser; which page is the flow's decision. */
function tokenFromBrowser(services: Services, openUrl: (url: string) => Promise<boolean>, request: BrowserSignInRequest): Promise<string | undefined> {
  return tokenFromBrowserFlow(
    {
      ...services.flowDeps(),
      createApi: (target, token) => services.createApi(target, token),
      listen: (serverOrigin, signal) =>
        startBrowserSignIn({
          serverOrigin,
          ideName: vscode.env.appName,
          description: t({ message: '{0} for {1}', comment: ['{0} is the name of this extension, SonarQube Tokens; {1} the name of the editor, e.g. VS Code.'] }, PRODUCT.sonarQubeTokens, vscode.env.appName),
          timeoutMs: BROWSER_SIGN_IN_TIMEOUT_MS,
          signal,
          t,
          logger: services.logger,
        }),
      openUrl,
    },
    request,
  );
}

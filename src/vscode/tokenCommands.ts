import * as vscode from 'vscode';
import type { ConnectionRecord } from '../core/connections/connectionStore';
import { copyTokenFlow } from '../core/flows/copyToken';
import { generateTokenFlow } from '../core/flows/generateToken';
import type { ExtraAfterAction, GenerateTokenResult } from '../core/flows/generateToken';
import { removeConnectionData } from '../core/flows/removeConnection';
import { renewSignIn } from '../core/flows/renewSignIn';
import { revokeTokenFlow } from '../core/flows/revokeToken';
import { askSignInTarget, completeSignIn, signInWithToken } from '../core/flows/signIn';
import type { SignInDeps } from '../core/flows/signIn';
import { startBrowserSignIn } from '../core/auth/browserSignIn';
import { tokenFromBrowser as tokenFromBrowserFlow } from '../core/flows/signInWithBrowser';
import { apiBaseUrl, parseServerUrl } from '../core/sonar/target';
import type { SonarTarget } from '../core/sonar/types';
import type { TokenRef } from '../core/secrets/keys';
import type { TreeNode } from '../core/tokens/treeNodes';
import { CommandId } from './commandIds';
import type { CommandRegistry } from './commandRunner';
import { connectionOf, tokenOf } from './pickers';
import { t } from './l10n';
import type { Services } from './services';

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

type SignInMethod = 'paste' | 'browser';

const BROWSER_SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

export function registerTokenCommands(runner: CommandRegistry, services: Services, hooks: TokenLifecycleHooks, showLogs: () => void): void {
  const { model, prompter } = services;
  const signInDeps = (): SignInDeps => ({
    ...services.flowDeps(),
    connections: services.connections,
    createApi: (target, token) => services.createApi(target, token),
    parseServerUrl: (input) => parseServerUrl(input, t),
  });

  /** The browser sign-in; which page (or a paste) is the core flow's decision by server version. */
  function tokenFromBrowser(target: SonarTarget, title: string, login?: string): Promise<string | undefined> {
    return tokenFromBrowserFlow(
      {
        ...services.flowDeps(),
        createApi: (apiTarget, token) => services.createApi(apiTarget, token),
        listen: (serverOrigin, signal) =>
          startBrowserSignIn({
            serverOrigin,
            ideName: vscode.env.appName,
            description: t('SonarQube Tokens for {0}', vscode.env.appName),
            timeoutMs: BROWSER_SIGN_IN_TIMEOUT_MS,
            signal,
            t,
            logger: services.logger,
          }),
        openUrl: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url))),
      },
      { target, title, login },
    );
  }

  async function askMethod(target: SonarTarget): Promise<SignInMethod | undefined> {
    return prompter.pick<SignInMethod>(
      [
        { label: `$(globe) ${t('Sign in with browser')}`, detail: t('Allow the connection on {0}; the token comes straight to secure storage.', apiBaseUrl(target)), value: 'browser' },
        { label: `$(key) ${t('Paste a user token')}`, detail: t('A user token from My Account > Security.'), value: 'paste' },
      ],
      { title: t('Add SonarQube Connection'), placeholder: t('How do you want to sign in?') },
    );
  }

  runner.register(CommandId.addConnection, async (kind?: 'server' | 'cloud') => {
    const deps = signInDeps();
    const target = await askSignInTarget(deps, typeof kind === 'string' ? kind : undefined);
    if (!target) return;
    const method = await askMethod(target);
    let connection: ConnectionRecord | undefined;
    if (method === 'paste') connection = await signInWithToken(deps, { target });
    if (method === 'browser') {
      const token = await tokenFromBrowser(target, t('Add SonarQube Connection'));
      if (token !== undefined) connection = await completeSignIn(deps, target, token);
    }
    if (connection) void model.loadTokens(connection.id, true);
  });

  runner.register(CommandId.signInAgain, async (node?: TreeNode) => {
    const connection = await connectionOf(services, node);
    if (!connection) return;
    const method = await askMethod(connection.target);
    const token =
      method === 'browser'
        ? await tokenFromBrowser(connection.target, t('Sign in to {0}', connection.label), connection.login)
        : method === 'paste'
          ? await prompter.input({ title: t('Sign in to {0}', connection.label), password: true, prompt: t('Paste a user token of {0}', connection.login), validate: (value) => (value.trim() ? undefined : t('Paste a user token.')) })
          : undefined;
    if (token === undefined) return;
    if (await renewSignIn({ ...signInDeps() }, connection, token.trim())) {
      services.resetClients(connection.id);
      await model.refresh([connection.id]);
    }
  });

  runner.register(CommandId.removeConnection, async (node?: TreeNode) => {
    const connection = await connectionOf(services, node);
    if (!connection) return;
    const held = services.heldTokens.listFor(connection.id).length;
    const confirmed = await prompter.confirm(t('Remove the connection to {0}?', connection.label), {
      confirmLabel: t('Remove'),
      detail: t(
        { message: 'Its sign-in token, the {0} token values kept for it and every binding made from it are removed from this computer. The tokens stay valid on the server: revoke them first if they should stop working.', comment: ['{0} is a number.'] },
        held,
      ),
    });
    if (!confirmed) return;
    await removeConnectionData({ vault: services.vault, connections: services.connections, journal: services.journal, removeBindings: (id) => hooks.afterRemoveConnection(id) }, connection.id);
    services.resetClients(connection.id);
    model.forget(connection.id);
  });

  runner.register(CommandId.refresh, async (node?: TreeNode) => {
    const connectionId = node?.kind === 'connection' ? node.connection.id : undefined;
    services.resetClients(connectionId);
    await model.refresh(connectionId ? [connectionId] : services.connections.list().map((connection) => connection.id));
  });

  async function generate(connection: ConnectionRecord, forLogin?: string): Promise<void> {
    const result = await generateTokenFlow(
      {
        ...services.copyDeps(),
        api: await services.apiFor(connection.id),
        machineName: services.machineName(),
        openUrl: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url))),
      },
      connection,
      { forLogin, extraActions: forLogin ? [] : hooks.generateActions() },
    );
    if (!result) return;
    if (forLogin) void model.loadUserTokens(connection.id, forLogin, true);
    else await model.loadTokens(connection.id, true);
    await hooks.runGenerateAction(result);
  }

  runner.register(CommandId.generateToken, async (node?: TreeNode) => {
    const connection = await connectionOf(services, node);
    if (connection) await generate(connection);
  });

  runner.register(CommandId.generateTokenForUser, async (node?: TreeNode) => {
    const connection = await connectionOf(services, node, (candidate) => candidate.isAdmin === true);
    if (!connection) return;
    const login =
      node?.kind === 'user'
        ? node.user.login
        : await prompter.input({ title: t('Generate Token for User'), prompt: t('Login of the user on {0}', connection.label), validate: (value) => (value.trim() ? undefined : t('Enter a login.')) });
    if (login !== undefined) await generate(connection, login.trim());
  });

  runner.register(CommandId.revokeToken, async (node?: TreeNode) => {
    const picked = await tokenOf(services, node);
    if (!picked) return;
    const { connection, ref } = picked;
    const result = await revokeTokenFlow({ ...services.flowDeps(), api: await services.apiFor(connection.id) }, connection, ref, {
      usedBy: hooks.usedBy(ref),
      cleanUp: (revoked) => hooks.afterRevoke(revoked),
    });
    if (result.revoked === true) {
      model.removeToken(ref);
      if (result.signedOut) {
        // Shows "Sign in again…" under the connection at once.
        services.resetClients(connection.id);
        await model.refresh([connection.id]);
      }
    } else if (result.revoked === 'unconfirmed') {
      model.markRevocationUnconfirmed(ref);
    }
  });

  runner.register(CommandId.copyToken, async (node?: TreeNode) => {
    const picked = await tokenOf(services, node, (_token, ref) => services.heldTokens.has(ref));
    if (picked) await copyTokenFlow(services.copyDeps(), picked.connection, picked.ref);
  });

  function accountPage(connection: ConnectionRecord): vscode.Uri {
    return vscode.Uri.parse(`${apiBaseUrl(connection.target)}/account/security`);
  }

  runner.register(CommandId.openTokenPage, async (node?: TreeNode) => {
    const connection = await connectionOf(services, node);
    if (!connection) return;
    const forOther = node?.kind === 'token' && node.login !== connection.login;
    await vscode.env.openExternal(forOther ? vscode.Uri.parse(`${apiBaseUrl(connection.target)}/admin/users`) : accountPage(connection));
  });

  runner.register(CommandId.openAgentAppsPage, async (node?: TreeNode) => {
    const connection = await connectionOf(services, node, (candidate) => candidate.target.kind === 'cloud');
    if (!connection) return;
    await vscode.env.openExternal(accountPage(connection));
    void prompter.info(t('Agent app tokens are listed on that page under Access Tokens > Agent Apps: SonarQube Cloud offers no public API for them.'));
  });

  runner.register(CommandId.filterUsers, async (node?: TreeNode) => {
    const connection = await connectionOf(services, node, (candidate) => candidate.isAdmin === true);
    if (!connection) return;
    const filter = await prompter.input({
      title: t('Filter Users on {0}', connection.label),
      prompt: t('Part of a login, name or email (at least 2 characters); empty shows everyone'),
      value: model.usersOf(connection.id).filter ?? '',
      validate: (value) => (value.trim().length === 1 ? t('Type at least 2 characters, or nothing to show everyone.') : undefined),
    });
    if (filter !== undefined) await model.loadUsers(connection.id, { filter: filter.trim() || null });
  });

  runner.register(CommandId.loadMoreUsers, async (node?: TreeNode) => {
    if (node && 'connectionId' in node) await model.loadUsers(node.connectionId, { more: true });
  });

  runner.register(CommandId.showLogs, () => showLogs());
}

import * as vscode from 'vscode';
import type { GenerateTokenResult } from '../core/flows/generateToken';
import type { RecoveryBindings } from '../core/journal/recovery';
import { rotateTokenFlow } from '../core/flows/rotateToken';
import type { TokenRef } from '../core/secrets/keys';
import type { BindingRecord, BindingStore } from '../core/tokens/bindingStore';
import { reminderDue, reminderMessage, remindersFor, signInReminderMessage, signInRemindersFor } from '../core/tokens/expiryReminders';
import type { SignInReminder } from '../core/tokens/expiryReminders';
import { nodeIds } from '../core/tokens/treeNodes';
import type { TreeNode } from '../core/tokens/treeNodes';
import { BindingManager } from './bindingManager';
import { describeBinding } from './bindingViews';
import { CommandId } from './commandIds';
import type { CommandRegistry } from './commandRunner';
import { createLauncherHost } from './launcherHost';
import { editorMcpApis } from './mcpProvider';
import type { SonarMcpProvider } from './mcpProvider';
import { tokenOf } from './pickers';
import { t } from './l10n';
import type { Services } from './services';
import { readSetting, Settings } from './settings';
import type { TokenLifecycleHooks } from './tokenCommands';
import { PRODUCT } from '../core/productNames';

const LAST_REMINDER_KEY = 'sonarqubeTokens.lastExpiryReminder';
const BIND_MCP_ACTION = 'bindMcp';
const BIND_CONNECTED_MODE_ACTION = 'bindConnectedMode';

export interface BindingCommands extends TokenLifecycleHooks {
  /** Once a day (across windows), one notification about bound tokens that expire soon, expired or vanished. */
  remindAboutExpiry(): Promise<void>;
  /** Rewrites launcher entries whose runtime or launcher moved (activation). */
  repairLauncherEntries(): Promise<void>;
  /** Unbind and rotation's binding effects, for finishing what a crash interrupted. */
  readonly recoveryBindings: RecoveryBindings;
  /** For the exposure fixes, which bind a found token where it was used. */
  readonly manager: BindingManager;
}

/** The bind, unbind and rotate commands, the hooks the token commands call, and the expiry reminder. */
export function registerBindingCommands(
  runner: CommandRegistry,
  services: Services,
  store: BindingStore,
  provider: SonarMcpProvider,
  storagePath: string,
): BindingCommands {
  const manager = new BindingManager(services, store, provider, storagePath, createLauncherHost(storagePath, services.logger), editorMcpApis());
  const { prompter } = services;

  const userToken = (token: { type: string }, ref: TokenRef) => token.type === 'USER_TOKEN' && services.heldTokens.has(ref);

  /** The token to bind: it must be a user token whose value this extension holds. */
  async function bindable(node: TreeNode | undefined) {
    const picked = await tokenOf(services, node, userToken);
    if (!picked) return undefined;
    if (picked.token.type !== 'USER_TOKEN') {
      void prompter.error(t({ message: '{0} is an analysis token: {1} and the MCP server need a user token. Generate a user token and bind that.', comment: ['{0} is the token name; {1} a product name, SonarQube for IDE.'] }, picked.ref.name, PRODUCT.sonarQubeForIde));
      return undefined;
    }
    if (!services.heldTokens.has(picked.ref)) {
      void prompter.error(t('This extension does not hold the value of {0} (it was created elsewhere). Generate a new token here to bind it.', picked.ref.name));
      return undefined;
    }
    return picked;
  }

  runner.register(CommandId.bindMcp, async (node?: TreeNode) => {
    const picked = await bindable(node);
    if (picked) await manager.bindMcp(picked.connection, picked.ref);
  });

  runner.register(CommandId.bindConnectedMode, async (node?: TreeNode) => {
    const picked = await bindable(node);
    if (picked) await manager.bindConnectedMode(picked.connection, picked.ref);
  });

  runner.register(CommandId.unbind, async (node?: TreeNode) => {
    const binding =
      node?.kind === 'binding'
        ? store.get(node.bindingId)
        : await prompter.pick(
            store.list().map((candidate) => {
              const view = describeBinding(candidate);
              return { label: view.label, description: view.description, detail: t('token {0}', candidate.token.name), value: candidate };
            }),
            { title: t('Remove Binding'), placeholder: t('Which binding should be removed?') },
          );
    if (!binding) return;
    await manager.remove(binding);
    void prompter.info(t('Removed the binding {0} of token {1}.', describeBinding(binding).label, binding.token.name));
  });

  async function rotate(node: TreeNode | undefined, only?: TokenRef): Promise<void> {
    const picked = only
      ? { connection: services.requireConnection(only.connectionId), ref: only, token: services.model.tokenList(only.connectionId).tokens.find((token) => token.name === only.name) }
      : await tokenOf(services, node, (_token, ref) => services.heldTokens.has(ref));
    if (!picked?.token) return;
    const { connection, ref, token } = picked;
    const outcome = await rotateTokenFlow<BindingRecord>(
      {
        ...services.flowDeps(),
        api: await services.apiFor(connection.id),
        switchBinding: (binding, _from, to) => manager.switchToken(binding, to, to !== ref),
        bindingId: (binding) => binding.id,
      },
      { connection, ref, token, bindings: store.forToken(ref), takenNames: services.model.tokenList(connection.id).tokens.map((listed) => listed.name) },
    );
    if (outcome) await services.model.refresh([connection.id]);
  }

  runner.register(CommandId.rotateToken, (node?: TreeNode) => rotate(node));

  async function remindAboutExpiry(): Promise<void> {
    if (!reminderDue(services.state.get<string>(LAST_REMINDER_KEY), new Date())) return;
    const warningDays = readSetting(Settings.expiryWarningDays);
    const signIns = signInRemindersFor(services.connections.list(), new Date(), warningDays);
    const bindings = store.list();
    if (bindings.length === 0 && signIns.length === 0) return;
    const connectionIds = [...new Set(bindings.map((binding) => binding.token.connectionId))].filter((id) => services.connections.get(id));
    await Promise.all(connectionIds.map((id) => services.model.loadTokens(id)));
    const bound = bindings.flatMap((binding) => {
      const connection = services.connections.get(binding.token.connectionId);
      return connection ? [{ ref: binding.token, connectionLabel: connection.label }] : [];
    });
    const reminders = remindersFor(
      bound,
      (ref) => {
        const list = services.model.tokenList(ref.connectionId);
        return list.status === 'ok' && list.login === ref.login ? list.tokens : undefined;
      },
      new Date(),
      warningDays,
    );
    await services.state.update(LAST_REMINDER_KEY, new Date().toISOString());
    if (signIns.length > 0) void remindAboutSignIns(signIns);
    if (reminders.length === 0) return;
    const rotateNow = t('Rotate Now');
    const rotatable = reminders.filter((reminder) => reminder.reason.kind !== 'gone');
    const answer = await prompter.warn(reminderMessage(reminders, t), ...(rotatable.length > 0 ? [rotateNow] : []));
    if (answer === rotateNow) await runner.run('rotate', () => rotate(undefined, rotatable.length === 1 ? rotatable[0].ref : undefined));
  }

  async function remindAboutSignIns(signIns: readonly SignInReminder[]): Promise<void> {
    const signInAgain = t('Sign in Again');
    if ((await prompter.warn(signInReminderMessage(signIns, t), signInAgain)) !== signInAgain) return;
    const only = signIns.length === 1 ? signIns[0].connection : undefined;
    await vscode.commands.executeCommand(CommandId.signInAgain, only && { kind: 'connection', id: nodeIds.connection(only.id), connection: only });
  }

  const removeAll = async (bindings: BindingRecord[]) => {
    for (const binding of bindings) await manager.remove(binding);
  };

  return {
    manager,
    remindAboutExpiry,
    repairLauncherEntries: () => manager.repairLauncherEntries(),
    recoveryBindings: { store, remove: (binding) => manager.remove(binding), undoBind: (binding) => manager.undoBind(binding), switchToken: (binding, to) => manager.switchToken(binding, to, false) },
    usedBy: (ref) => manager.usedBy(ref),
    afterRevoke: (ref) => removeAll(store.forToken(ref)),
    afterRemoveConnection: (connectionId) => removeAll(store.forConnection(connectionId)),
    generateActions: () => [
      { id: BIND_MCP_ACTION, label: t('Bind to an MCP server…'), description: `${[PRODUCT.vsCode, PRODUCT.cursor, PRODUCT.claudeCode].join(', ')}, …`, userTokensOnly: true },
      { id: BIND_CONNECTED_MODE_ACTION, label: t({ message: 'Bind to {0}…', comment: ['{0} is a product name, SonarQube for IDE.'] }, PRODUCT.sonarQubeForIde), description: t('connected mode'), userTokensOnly: true },
    ],
    runGenerateAction: async (result: GenerateTokenResult) => {
      const connection = services.requireConnection(result.ref.connectionId);
      if (result.afterAction === BIND_MCP_ACTION) await manager.bindMcp(connection, result.ref);
      if (result.afterAction === BIND_CONNECTED_MODE_ACTION) await manager.bindConnectedMode(connection, result.ref);
    },
  };
}

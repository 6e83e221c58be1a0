import type { ConnectionRecord } from '../core/connections/connectionStore';
import { WordedError } from '../core/flows/describeError';
import { tokenNodeRef } from '../core/tokens/treeNodes';
import type { TreeNode } from '../core/tokens/treeNodes';
import type { TokenRef } from '../core/secrets/keys';
import type { UserToken } from '../core/sonar/types';
import { t } from './l10n';
import type { Services } from './services';
import { PRODUCT } from '../core/productNames';

export type TokenNode = Extract<TreeNode, { kind: 'token' }>;

/** What the pickers read: the connections, the held tokens and the loaded lists, and where they ask. */
export type PickerServices = Pick<Services, 'connections' | 'requireConnection' | 'heldTokens' | 'model' | 'prompter'>;

/** The connection a command acts on: the clicked node's, or one the person picks (none to pick: undefined). */
export async function connectionOf(services: PickerServices, node: TreeNode | undefined, filter: (c: ConnectionRecord) => boolean = () => true): Promise<ConnectionRecord | undefined> {
  const id = node && ('connectionId' in node ? node.connectionId : node.kind === 'connection' ? node.connection.id : undefined);
  if (id) return services.requireConnection(id);
  const candidates = services.connections.list().filter(filter);
  if (candidates.length === 0) {
    void services.prompter.info(t({ message: 'No suitable {0} connection. Add one first with "Add Connection…".', comment: ['{0} is a product name, SonarQube. "Add Connection…" is the name of a command.'] }, PRODUCT.sonarQube));
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  return services.prompter.pick(
    candidates.map((connection) => ({ label: connection.label, description: connection.login, value: connection })),
    { title: t({ message: '{0} Connection', comment: ['{0} is a product name, SonarQube.'] }, PRODUCT.sonarQube), placeholder: t('Choose a connection') },
  );
}

/** The token a command acts on: the clicked one, or one the person picks from the signed-in user's tokens. */
export async function tokenOf(
  services: PickerServices,
  node: TreeNode | undefined,
  filter: (token: UserToken, ref: TokenRef) => boolean = () => true,
): Promise<{ readonly connection: ConnectionRecord; readonly ref: TokenRef; readonly token: UserToken } | undefined> {
  if (node?.kind === 'token') {
    return { connection: services.requireConnection(node.connectionId), ref: tokenNodeRef(node), token: node.token };
  }
  const connection = await connectionOf(services, node);
  if (!connection) return undefined;
  await services.model.loadTokens(connection.id, services.model.tokenList(connection.id).status !== 'ok');
  const list = services.model.tokenList(connection.id);
  if (list.status !== 'ok') throw list.error ?? new WordedError(t('Could not list the tokens of {0}.', connection.label));
  const login = list.login ?? connection.login;
  const choices = list.tokens
    .map((token) => ({ token, ref: { connectionId: connection.id, login, name: token.name } }))
    .filter(({ token, ref }) => filter(token, ref));
  if (choices.length === 0) {
    void services.prompter.info(t('No suitable token on {0}.', connection.label));
    return undefined;
  }
  const picked = await services.prompter.pick(
    choices.map((choice) => ({
      label: choice.token.name,
      description: services.heldTokens.has(choice.ref) ? t('held in secure storage') : undefined,
      value: choice,
    })),
    { title: t('Token on {0}', connection.label), placeholder: t('Choose a token') },
  );
  return picked && { connection, ...picked };
}

// The Tokens view as plain data: which nodes exist under which, and how each one reads. The host maps a
// `NodePresentation` onto a TreeItem one to one, so everything a person sees here is testable without an editor.
import type { ConnectionRecord } from '../connections/connectionStore';
import { exposureRoots, findingNodes, presentExposures, presentFinding } from '../exposure/findingNodes';
import type { ExposureNode, ExposureTreeSource } from '../exposure/findingNodes';
import { redactSecrets } from '../logging/redact';
import type { Translate } from '../ports';
import { tokenContextValue } from '../policy/contextValue';
import { parseServerDate, utcDay } from '../policy/dates';
import { describeToken, expiryWords, inactivityWarning, lastUseWords, tokenState, tokenTypeLabel } from '../policy/tokenState';
import type { TokenRef } from '../secrets/keys';
import type { UserSummary, UserToken } from '../sonar/types';
import { signInTokenState } from './expiryReminders';
import type { LoadStatus, TokensModel } from './tokensModel';
import { PRODUCT } from '../productNames';

export type TreeNode =
  | { readonly kind: 'connection'; readonly id: string; readonly connection: ConnectionRecord }
  | { readonly kind: 'token'; readonly id: string; readonly connectionId: string; readonly login: string; readonly token: UserToken }
  | { readonly kind: 'binding'; readonly id: string; readonly connectionId: string; readonly bindingId: string; readonly tokenRef: TokenRef }
  | { readonly kind: 'users'; readonly id: string; readonly connectionId: string }
  | { readonly kind: 'user'; readonly id: string; readonly connectionId: string; readonly user: UserSummary }
  | { readonly kind: 'loadMore'; readonly id: string; readonly connectionId: string }
  | { readonly kind: 'signInAgain'; readonly id: string; readonly connectionId: string }
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly text: string;
      readonly tooltip?: string;
      readonly severity: 'info' | 'loading' | 'error';
      /** Clicking the message runs this command with the given node (e.g. "generate one" on its connection). */
      readonly action?: { readonly command: string; readonly node: TreeNode };
    }
  | ExposureNode;

export interface ThemeIconRef {
  readonly id: string;
  /** A theme colour id such as `list.warningForeground`. */
  readonly color?: string;
}

export interface NodePresentation {
  readonly label: string;
  readonly description?: string;
  /** Markdown, built only when asked for (on hover): a list of thousands of tokens should not pay for it. */
  readonly tooltip?: () => string | undefined;
  readonly icon?: ThemeIconRef;
  readonly contextValue?: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly command?: { readonly id: string; readonly title: string; readonly arguments?: readonly unknown[] };
  readonly accessibilityLabel: string;
}

/** A binding as the tree shows it under its token (kind, target, file or folder). */
export interface BindingView {
  readonly id: string;
  readonly token: TokenRef;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly plainText?: boolean;
}

export interface TreeContext {
  readonly connections: readonly ConnectionRecord[];
  readonly model: TokensModel;
  readonly isHeld: (ref: TokenRef) => boolean;
  readonly bindingsOf: (ref: TokenRef) => readonly BindingView[];
  readonly now: Date;
  readonly warningDays: number;
  readonly t: Translate;
  /** Masks known token values in text from elsewhere (error messages); token-shaped text is masked without it. */
  readonly redact?: (text: string) => string;
  /** Command ids the nodes trigger, passed in so the core stays free of the host's names. */
  readonly commands: { readonly signInAgain: string; readonly loadMoreUsers: string; readonly generateToken: string };
  /** What the last scan for exposed tokens found; undefined until a scan ran. */
  readonly exposure?: ExposureTreeSource;
  /** `~/…` or workspace-relative, for the files findings are in. */
  readonly displayPath?: (file: string) => string;
}

const WARNING = 'list.warningForeground';
const ERROR = 'list.errorForeground';

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (char) => `\\${char}`);
}

function message(id: string, text: string, severity: 'info' | 'loading' | 'error', tooltip?: string): Extract<TreeNode, { kind: 'message' }> {
  return { kind: 'message', id, text, severity, tooltip };
}

/** Sorts by name without case; the keys are lowered once, not in every comparison (lists run to thousands). */
function sortedByName<T>(items: readonly T[], nameOf: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: nameOf(item).toLowerCase() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ item }) => item);
}

/**
 * Ids of the nodes a model change redraws: VS Code keeps expansion and selection by id, and the provider finds the
 * node to refresh by it. Children add `/<part>` to their parent's id.
 */
export const nodeIds = {
  connection: (connectionId: string): string => `connection:${connectionId}`,
  users: (connectionId: string): string => `${nodeIds.connection(connectionId)}/users`,
  user: (connectionId: string, login: string): string => `${nodeIds.users(connectionId)}/user:${login}`,
};

/** The token a token node shows. */
export function tokenNodeRef(node: Extract<TreeNode, { kind: 'token' }>): TokenRef {
  return { connectionId: node.connectionId, login: node.login, name: node.token.name };
}

function tokenNodes(connectionId: string, login: string, tokens: readonly UserToken[], parentId: string): TreeNode[] {
  return sortedByName(tokens, (token) => token.name).map((token) => ({ kind: 'token', id: `${parentId}/token:${token.name}`, connectionId, login, token }));
}

function listChildren(
  status: LoadStatus,
  error: unknown,
  parentId: string,
  connectionId: string,
  context: Pick<TreeContext, 't' | 'redact'>,
  whenOk: () => TreeNode[],
): TreeNode[] {
  const { t } = context;
  switch (status) {
    case 'idle':
    case 'loading':
      return [message(`${parentId}/loading`, t('Loading…'), 'loading')];
    case 'authFailed':
      return [{ kind: 'signInAgain', id: `${parentId}/signIn`, connectionId }];
    case 'unreachable':
    case 'failed': {
      // A server's own words can quote what was sent: never shown before the redaction filter saw them.
      const reason = error instanceof Error ? (context.redact ?? redactSecrets)(error.message) : t('Unknown error');
      return [message(`${parentId}/error`, status === 'unreachable' ? t('Cannot reach the server') : t('Could not load'), 'error', reason)];
    }
    case 'ok':
      return whenOk();
  }
}

/** The children of a node (or the roots), from what the model holds now. Starts no request itself. */
export function childrenOf(node: TreeNode | undefined, context: TreeContext): TreeNode[] {
  const { model, t } = context;
  if (!node) {
    const connections = sortedByName(context.connections, (connection) => connection.label).map((connection): TreeNode => ({ kind: 'connection', id: nodeIds.connection(connection.id), connection }));
    return [...exposureRoots(context.exposure), ...connections];
  }
  switch (node.kind) {
    case 'connection': {
      const { connection } = node;
      const list = model.tokenList(connection.id);
      return listChildren(list.status, list.error, node.id, connection.id, context, () => {
        const tokens = tokenNodes(connection.id, list.login ?? connection.login, list.tokens, node.id);
        const generate = { command: context.commands.generateToken, node };
        const children: TreeNode[] =
          tokens.length > 0 ? tokens : [{ ...message(`${node.id}/empty`, t('No tokens yet: generate one'), 'info'), action: generate }];
        if (connection.isAdmin && connection.target.kind === 'server') children.push({ kind: 'users', id: nodeIds.users(connection.id), connectionId: connection.id });
        return children;
      });
    }
    case 'users': {
      const users = model.usersOf(node.connectionId);
      if (users.status === 'ok' || (users.status === 'loading' && users.users.length > 0)) {
        const children: TreeNode[] = users.users.map((user) => ({ kind: 'user', id: nodeIds.user(node.connectionId, user.login), connectionId: node.connectionId, user }));
        if (users.status === 'loading') children.push(message(`${node.id}/loading`, t('Loading…'), 'loading'));
        else if (users.nextPage !== undefined) children.push({ kind: 'loadMore', id: `${node.id}/more`, connectionId: node.connectionId });
        if (children.length === 0) children.push(message(`${node.id}/empty`, t('No users match'), 'info'));
        return children;
      }
      return listChildren(users.status, users.error, node.id, node.connectionId, context, () => []);
    }
    case 'user': {
      const list = model.tokensOfUser(node.connectionId, node.user.login);
      return listChildren(list.status, list.error, node.id, node.connectionId, context, () => {
        const tokens = tokenNodes(node.connectionId, node.user.login, list.tokens, node.id);
        return tokens.length > 0 ? tokens : [message(`${node.id}/empty`, t('No tokens'), 'info')];
      });
    }
    case 'token': {
      const ref = tokenNodeRef(node);
      return context.bindingsOf(ref).map((binding) => ({
        kind: 'binding',
        id: `${node.id}/binding:${binding.id}`,
        connectionId: node.connectionId,
        bindingId: binding.id,
        tokenRef: ref,
      }));
    }
    case 'exposures':
      return findingNodes(context.exposure);
    default:
      return [];
  }
}

function connectionPresentation(connection: ConnectionRecord, context: TreeContext): NodePresentation {
  const { t } = context;
  const list = context.model.tokenList(connection.id);
  const target = connection.target;
  const product = target.kind === 'cloud' ? t({ message: '{0} ({1})', comment: ['{0} is a product name, SonarQube Cloud; {1} its region, EU or US.'] }, PRODUCT.sonarQubeCloud, target.region) : PRODUCT.sonarQubeServer;
  const where = target.kind === 'server' ? target.serverUrl : (target.organization ?? '');
  const status: Record<LoadStatus, { icon: ThemeIconRef; words: string }> = {
    idle: { icon: { id: target.kind === 'cloud' ? 'cloud' : 'server' }, words: t('Not loaded yet') },
    loading: { icon: { id: 'loading~spin' }, words: t('Loading…') },
    ok: { icon: { id: target.kind === 'cloud' ? 'cloud' : 'server' }, words: t('Signed in') },
    authFailed: { icon: { id: 'warning', color: WARNING }, words: t('Sign-in failed: the token was refused') },
    unreachable: { icon: { id: 'debug-disconnect', color: ERROR }, words: t('Unreachable') },
    failed: { icon: { id: 'error', color: ERROR }, words: t('Could not load the tokens') },
  };
  const state = status[list.status];
  const signIn = signInTokenState(connection, context.now, context.warningDays);
  const signInNeedsRenewal = signIn !== undefined && (signIn.expired || signIn.expiringSoon);
  const signInWords = signIn && t('sign-in token {0}', expiryWords(signIn, t));
  // Written from the parsed date, so nothing of the server's text reaches the Markdown.
  const expiresAt = signIn && parseServerDate(connection.signInExpiresAt);
  const signInDay = expiresAt ? utcDay(expiresAt) : undefined;
  const tooltip = () => [
    `**${escapeMarkdown(connection.label)}**`,
    '',
    `${t('Product')}: ${product}`,
    `${t('Address')}: ${escapeMarkdown(where)}`,
    connection.serverVersion ? `${t('Version')}: ${escapeMarkdown(connection.serverVersion)}` : undefined,
    `${t('Signed in as')}: ${escapeMarkdown(connection.userName ? `${connection.userName} (${connection.login})` : connection.login)}`,
    connection.isAdmin ? t('Administrator: can manage other users\' tokens') : undefined,
    signIn && signInDay ? `${t('Sign-in token')}: ${expiryWords(signIn, t)} (${signInDay})` : undefined,
    `${t('Status')}: ${state.words}`,
  ]
    .filter((line): line is string => line !== undefined)
    .join('  \n');
  const flags = ['connection', `+${list.status}`, target.kind === 'cloud' ? '+cloud' : '+server', connection.isAdmin ? '+admin' : ''].join('');
  const icon = signInNeedsRenewal && list.status === 'ok' ? { id: 'warning', color: WARNING } : state.icon;
  return {
    label: connection.label,
    description: signInNeedsRenewal ? `${connection.login} · ${signInWords}` : connection.login,
    tooltip,
    icon,
    contextValue: flags,
    collapsible: 'expanded',
    accessibilityLabel: signInNeedsRenewal
      ? t('{0}, {1}, signed in as {2}, {3}, {4}', connection.label, product, connection.login, state.words, signInWords ?? '')
      : t('{0}, {1}, signed in as {2}, {3}', connection.label, product, connection.login, state.words),
  };
}

function tokenPresentation(node: Extract<TreeNode, { kind: 'token' }>, context: TreeContext): NodePresentation {
  const { t, model } = context;
  const connection = context.connections.find((candidate) => candidate.id === node.connectionId);
  const ref = tokenNodeRef(node);
  const state = tokenState(node.token, { now: context.now, warningDays: context.warningDays, isCloud: connection?.target.kind === 'cloud' });
  const held = context.isHeld(ref);
  const bindings = context.bindingsOf(ref);
  const unconfirmed = model.isRevocationUnconfirmed(ref);
  const inactivity = inactivityWarning(state, t);
  const description = [unconfirmed ? t('revocation unconfirmed') : undefined, describeToken(node.token, state, t), inactivity]
    .filter((part): part is string => part !== undefined)
    .join(' · ');
  const icons = { USER_TOKEN: 'account', GLOBAL_ANALYSIS_TOKEN: 'globe', PROJECT_ANALYSIS_TOKEN: 'project' } as const;
  const color = state.expired || unconfirmed ? ERROR : state.expiringSoon || inactivity ? WARNING : undefined;
  const tooltip = () => [
    `**${escapeMarkdown(node.token.name)}**`,
    '',
    `${t('Type')}: ${tokenTypeLabel(node.token.type, t)}`,
    node.token.project ? `${t('Project')}: ${escapeMarkdown(`${node.token.project.name} (${node.token.project.key})`)}` : undefined,
    `${t('Owner')}: ${escapeMarkdown(node.login)}`,
    `${t('Created')}: ${escapeMarkdown(node.token.createdAt)}`,
    `${t('Expiration')}: ${node.token.expirationDate ? `${escapeMarkdown(node.token.expirationDate)} (${expiryWords(state, t)})` : expiryWords(state, t)}`,
    `${t('Last used')}: ${node.token.lastConnectionDate ? `${escapeMarkdown(node.token.lastConnectionDate)} (${lastUseWords(state, t)})` : lastUseWords(state, t)}`,
    inactivity ? `$(warning) ${PRODUCT.sonarQubeCloud}: ${inactivity}` : undefined,
    unconfirmed ? `$(warning) ${t('A revoke was sent but not confirmed; refresh to check.')}` : undefined,
    held ? `$(lock) ${t('This extension holds the value in secure storage.')}` : t('This extension does not hold the value.'),
    bindings.length > 0 ? `${t('Used by')}:` : undefined,
    ...bindings.map((binding) => `- ${escapeMarkdown(binding.label)}${binding.description ? ` — ${escapeMarkdown(binding.description)}` : ''}`),
  ]
    .filter((line): line is string => line !== undefined)
    .join('  \n');
  return {
    label: node.token.name,
    description,
    tooltip,
    icon: { id: icons[node.token.type], color },
    contextValue: tokenContextValue({ held, expired: state.expired, type: node.token.type, bound: bindings.length > 0, revocationUnconfirmed: unconfirmed }),
    collapsible: bindings.length > 0 ? 'collapsed' : 'none',
    accessibilityLabel: t('Token {0}, {1}{2}', node.token.name, description, held ? t(', held in secure storage') : ''),
  };
}

export function presentNode(node: TreeNode, context: TreeContext): NodePresentation {
  const { t } = context;
  switch (node.kind) {
    case 'connection':
      return connectionPresentation(node.connection, context);
    case 'token':
      return tokenPresentation(node, context);
    case 'binding': {
      const binding = context.bindingsOf(node.tokenRef).find((candidate) => candidate.id === node.bindingId);
      const label = binding?.label ?? t('Binding');
      return {
        label,
        description: binding?.description,
        tooltip: () => binding?.tooltip,
        icon: binding?.plainText ? { id: 'unlock', color: WARNING } : { id: 'plug' },
        contextValue: binding?.plainText ? 'binding+plainText' : 'binding',
        collapsible: 'none',
        accessibilityLabel: t('Binding {0} {1}', label, binding?.description ?? ''),
      };
    }
    case 'users': {
      const users = context.model.usersOf(node.connectionId);
      const description = users.filter
        ? t('filter: {0} · {1} of {2}', users.filter, users.users.length, users.total)
        : users.status === 'ok'
          ? t('{0} of {1}', users.users.length, users.total)
          : undefined;
      return {
        label: t('Users'),
        description,
        tooltip: () => t('Every user of this server. Expand a user to see and revoke their tokens, or generate one for them.'),
        icon: { id: 'organization' },
        contextValue: users.filter ? 'users+filtered' : 'users',
        collapsible: 'collapsed',
        accessibilityLabel: t('Users {0}', description ?? ''),
      };
    }
    case 'user': {
      const { user } = node;
      const description = [user.login !== user.name ? user.login : undefined, user.active ? undefined : t('deactivated'), user.tokensCount !== undefined ? t('{0} tokens', user.tokensCount) : undefined]
        .filter((part): part is string => part !== undefined)
        .join(' · ');
      return {
        label: user.name || user.login,
        description,
        tooltip: () => [`**${escapeMarkdown(user.name)}**`, `${t('Login')}: ${escapeMarkdown(user.login)}`, user.email ? `${t('Email')}: ${escapeMarkdown(user.email)}` : undefined]
          .filter((line): line is string => line !== undefined)
          .join('  \n'),
        icon: { id: 'person' },
        contextValue: user.active ? 'user' : 'user+inactive',
        collapsible: 'collapsed',
        accessibilityLabel: t('User {0} {1}', user.name, description),
      };
    }
    case 'loadMore': {
      const users = context.model.usersOf(node.connectionId);
      return {
        label: t('Load more…'),
        description: t('{0} of {1} shown', users.users.length, users.total),
        icon: { id: 'more' },
        contextValue: 'loadMore',
        collapsible: 'none',
        command: { id: context.commands.loadMoreUsers, title: t('Load more…'), arguments: [node] },
        accessibilityLabel: t('Load more users, {0} of {1} shown', users.users.length, users.total),
      };
    }
    case 'signInAgain':
      return {
        label: t('Sign in again…'),
        description: t('the server refused the sign-in token'),
        tooltip: () => t('The token this connection signs in with was refused: it may have expired or been revoked. Sign in again with a new user token.'),
        icon: { id: 'sign-in', color: WARNING },
        contextValue: 'signInAgain',
        collapsible: 'none',
        command: { id: context.commands.signInAgain, title: t('Sign in again…'), arguments: [node] },
        accessibilityLabel: t('Sign in again: the server refused the sign-in token'),
      };
    case 'exposures':
      return { ...presentExposures(node, t), collapsible: 'expanded' };
    case 'finding': {
      const finding = context.exposure?.findings.find((candidate) => candidate.id === node.findingId);
      if (!finding) return { label: t('Fixed'), collapsible: 'none', accessibilityLabel: t('Fixed') };
      const presentation = presentFinding(finding, context.exposure?.livenessOf(finding.id), { t, displayPath: context.displayPath ?? ((file) => file), escape: escapeMarkdown });
      return { ...presentation, collapsible: 'none' };
    }
    case 'message':
      return {
        label: node.text,
        tooltip: () => node.tooltip && escapeMarkdown(node.tooltip),
        icon: node.severity === 'loading' ? { id: 'loading~spin' } : node.severity === 'error' ? { id: 'error', color: ERROR } : { id: 'info' },
        contextValue: `message+${node.severity}`,
        collapsible: 'none',
        command: node.action ? { id: node.action.command, title: node.text, arguments: [node.action.node] } : undefined,
        accessibilityLabel: node.tooltip ? `${node.text}: ${node.tooltip}` : node.text,
      };
  }
}

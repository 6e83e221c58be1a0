// Generating a token: name, type, project, expiration, what to do after; the value goes into secure storage first.
import type { ConnectionRecord } from '../connections/connectionStore';
import { parseServerDate, utcDay } from '../policy/dates';
import { expirationOptions, parseExpirationDate } from '../policy/expiration';
import type { ExpirationChoice } from '../policy/expiration';
import { suggestTokenName, validateTokenName } from '../policy/tokenName';
import { tokenTypeLabel } from '../policy/tokenState';
import type { TokenRef } from '../secrets/keys';
import type { ServerCapabilities } from '../sonar/capabilities';
import { cloudBaseUrl } from '../sonar/target';
import type { GeneratedToken, GenerateTokenRequest, MaxTokenLifetime, TokenApi, TokenType } from '../sonar/types';
import type { Subscription } from '../util/emitter';
import { copyValue } from './copyToken';
import type { CopyTokenDeps } from './copyToken';
import { describeSonarError, errorSummary, isAmbiguous, isCancellation } from './describeError';
import type { PickItem } from './prompter';
import { PRODUCT } from '../productNames';

export interface GenerateTokenDeps extends CopyTokenDeps {
  /** Signed in as the connection's user. */
  readonly api: TokenApi;
  /** Used in the suggested name, e.g. `os.hostname()`. */
  readonly machineName: string;
  /** Opens a page in the browser (SonarQube Cloud's organization page for Scoped Organization Tokens). */
  readonly openUrl?: (url: string) => Promise<boolean>;
}

/** A caller's extra choice for the last step, e.g. `{ id: 'bind', label: 'Bind now…' }`; returned as `afterAction`. */
export interface ExtraAfterAction {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Offered only when the chosen type is User (bindings: analysis tokens can't drive connected mode or MCP). */
  readonly userTokensOnly?: boolean;
}

export interface GenerateTokenOptions {
  /** Another user's login (admins): only User tokens can be generated for someone else. */
  readonly forLogin?: string;
  readonly extraActions?: readonly ExtraAfterAction[];
}

export const KEEP_ACTION = 'keep';
export const COPY_ACTION = 'copy';

export interface GenerateTokenResult {
  readonly ref: TokenRef;
  readonly type: TokenType;
  /** `keep`, `copy` or the id of one of the caller's extra actions (for the caller to carry out). */
  readonly afterAction: string;
  /** Set after `copy`: cancels the pending clipboard clear (dispose on deactivation). */
  readonly pendingClear?: Subscription;
}

interface Choices {
  readonly name: string;
  readonly type: TokenType;
  readonly projectKey?: string;
  readonly expirationDate?: string;
  readonly afterAction: string;
}

/** The pick for SonarQube Cloud's analysis tokens, which are made on the organization's page, not here. */
const SCOPED_ORGANIZATION_TOKEN = 'scopedOrganizationToken' as const;
type TypeChoice = TokenType | typeof SCOPED_ORGANIZATION_TOKEN;

interface Loaded {
  readonly existingNames: readonly string[];
  readonly max: MaxTokenLifetime;
  readonly capabilities: ServerCapabilities;
}

/** The types this server can make for this person: analysis tokens only for yourself, Global only with `scan`. */
function offeredTypes(connection: ConnectionRecord, capabilities: ServerCapabilities, forOther: string | undefined): TokenType[] {
  if (forOther) return ['USER_TOKEN'];
  return capabilities.tokenTypes.filter((type) => type !== 'GLOBAL_ANALYSIS_TOKEN' || connection.canScan);
}

/** Cloud's analysis tokens belong to organizations: their admins make them on the organization's page. */
async function pointToScopedOrganizationTokens(deps: GenerateTokenDeps, connection: ConnectionRecord): Promise<void> {
  const { t, prompter } = deps;
  const target = connection.target;
  if (target.kind !== 'cloud') return;
  const url = target.organization ? `${cloudBaseUrl(target.region)}/organizations/${encodeURIComponent(target.organization)}` : cloudBaseUrl(target.region);
  const open = t('Open Organization Page');
  const answer = await prompter.info(
    t(
      {
        message: '{0} analysis tokens are Scoped Organization Tokens: an organization admin creates them under Administration > Scoped Organization Tokens on the organization\'s page (Team and Enterprise plans).',
        comment: ['{0} is a product name, SonarQube Cloud.'],
      },
      PRODUCT.sonarQubeCloud,
    ),
    ...(deps.openUrl ? [open] : []),
  );
  if (answer === open) await deps.openUrl?.(url);
}

/** Walks the person through the steps; undefined when they cancel at any of them. */
async function askChoices(
  deps: GenerateTokenDeps,
  connection: ConnectionRecord,
  forOther: string | undefined,
  loaded: Loaded,
  options: GenerateTokenOptions,
): Promise<Choices | undefined> {
  const { t, prompter, clock, api } = deps;
  const { existingNames, max, capabilities } = loaded;
  const title = forOther
    ? t('Generate a token for {0} on {1}', forOther, connection.label)
    : t('Generate a token on {0}', connection.label);
  const types = offeredTypes(connection, capabilities, forOther);
  const scopedOrganization = capabilities.product === 'cloud' && !forOther;
  const typeStep = types.length > 1 || scopedOrganization;
  let step = 0;
  let type: TokenType = 'USER_TOKEN';
  let customDate = false;
  // Recomputed at each step: later steps depend on earlier answers.
  const next = () => {
    step++;
    const expirationSteps = capabilities.expirationDate ? 1 + (customDate ? 1 : 0) : 0;
    const total = 1 + (typeStep ? 1 : 0) + (type === 'PROJECT_ANALYSIS_TOKEN' ? 1 : 0) + expirationSteps + 1;
    return { title, step, totalSteps: Math.max(total, step) };
  };

  const now = clock.now();
  const rawName = await prompter.input({
    ...next(),
    prompt: t('Token name (unique among this user\'s tokens)'),
    value: suggestTokenName(deps.machineName, now, existingNames),
    validate: (value) => validateTokenName(value, existingNames, t),
  });
  if (rawName === undefined) return undefined;
  const name = rawName.trim();

  if (typeStep) {
    const typeItems: Array<PickItem<TypeChoice>> = [
      { label: tokenTypeLabel('USER_TOKEN', t), description: t({ message: 'for {0}, the MCP server and the Web API', comment: ['{0} is a product name, SonarQube for IDE.'] }, PRODUCT.sonarQubeForIde), value: 'USER_TOKEN', picked: true },
      ...(types.includes('GLOBAL_ANALYSIS_TOKEN')
        ? [{ label: tokenTypeLabel('GLOBAL_ANALYSIS_TOKEN', t), description: t('runs analyses of any project'), value: 'GLOBAL_ANALYSIS_TOKEN' as const }]
        : []),
      ...(types.includes('PROJECT_ANALYSIS_TOKEN')
        ? [{ label: tokenTypeLabel('PROJECT_ANALYSIS_TOKEN', t), description: t('runs analyses of one project'), value: 'PROJECT_ANALYSIS_TOKEN' as const }]
        : []),
      ...(scopedOrganization
        ? [{ label: t('Scoped Organization Token'), description: t({ message: 'analysis tokens of an organization, made by its admins on {0}', comment: ['{0} is a product name, SonarQube Cloud.'] }, PRODUCT.sonarQubeCloud), value: SCOPED_ORGANIZATION_TOKEN }]
        : []),
    ];
    const picked = await prompter.pick(typeItems, { ...next(), placeholder: t('Token type') });
    if (picked === undefined) return undefined;
    if (picked === SCOPED_ORGANIZATION_TOKEN) {
      await pointToScopedOrganizationTokens(deps, connection);
      return undefined;
    }
    type = picked;
  }

  let projectKey: string | undefined;
  if (type === 'PROJECT_ANALYSIS_TOKEN') {
    projectKey = await prompter.searchPick({
      ...next(),
      placeholder: t('Search for the project to analyse'),
      search: async (query, signal) =>
        (await api.scannableProjects(query, { signal })).map((project) => ({ label: project.name, description: project.key, value: project.key })),
    });
    if (projectKey === undefined) return undefined;
  }

  // Servers before 9.6 ignore an expiration date: their tokens never expire, so there is nothing to ask.
  const expiration: ExpirationChoice | undefined = capabilities.expirationDate
    ? await prompter.pick<ExpirationChoice>(
        expirationOptions(max, now, t).map((option) => ({ label: option.label, description: option.description, value: option.choice, picked: option.recommended })),
        { ...next(), placeholder: t('Expiration') },
      )
    : { kind: 'never' };
  if (expiration === undefined) return undefined;
  let expirationDate: string | undefined;
  if (expiration.kind === 'days') expirationDate = expiration.date;
  if (expiration.kind === 'custom') {
    customDate = true;
    const typed = await prompter.input({
      ...next(),
      prompt: t('Expiration date (YYYY-MM-DD, UTC)'),
      validate: (value) => {
        const parsed = parseExpirationDate(value, max, clock.now(), t);
        return parsed.ok ? undefined : parsed.reason;
      },
    });
    if (typed === undefined) return undefined;
    const parsed = parseExpirationDate(typed, max, clock.now(), t);
    if (!parsed.ok) return undefined;
    expirationDate = parsed.date;
  }

  const afterItems: Array<PickItem<string>> = [
    { label: t('Keep in secure storage'), description: t('copy, bind or rotate it later from the Tokens view'), value: KEEP_ACTION, picked: true },
    { label: t('Copy once to the clipboard'), description: t('also kept in secure storage'), value: COPY_ACTION },
    ...(options.extraActions ?? [])
      .filter((action) => !action.userTokensOnly || type === 'USER_TOKEN')
      .map((action) => ({ label: action.label, description: action.description, value: action.id })),
  ];
  const afterAction = await prompter.pick(afterItems, { ...next(), placeholder: t('After generating') });
  if (afterAction === undefined) return undefined;
  return { name, type, projectKey, expirationDate, afterAction };
}

/** Lists tokens, the lifetime limit and what the server can do before the steps; undefined (after telling the person) when that fails. */
async function load(deps: GenerateTokenDeps, connection: ConnectionRecord, login: string | undefined): Promise<Loaded | undefined> {
  try {
    return await deps.prompter.withProgress(deps.t('Reading tokens on {0}…', connection.label), async (signal) => {
      const [list, capabilities, max] = await Promise.all([
        deps.api.searchTokens(login, { signal }),
        deps.api.capabilities({ signal }),
        // The server enforces its limit anyway and says so in words: an unreadable setting only costs the filtering.
        deps.api.maxTokenLifetime({ signal }).catch((error: unknown): MaxTokenLifetime => {
          deps.logger.warn(`[generate] maximum token lifetime of ${connection.label} unknown: ${errorSummary(error)}`);
          return { enforced: false };
        }),
      ]);
      return { existingNames: list.tokens.map((token) => token.name), max, capabilities };
    });
  } catch (error) {
    if (!isCancellation(error)) {
      deps.logger.warn(`[generate] listing tokens on ${connection.label} failed: ${errorSummary(error)}`);
      void deps.prompter.error(describeSonarError(error, connection.label, deps.t));
    }
    return undefined;
  }
}

/**
 * Asks for everything, generates once (never retried), stores the value, then carries out `copy`.
 * Undefined when cancelled or refused (nothing stored) or when the value could not be kept.
 */
export async function generateTokenFlow(
  deps: GenerateTokenDeps,
  connection: ConnectionRecord,
  options: GenerateTokenOptions = {},
): Promise<GenerateTokenResult | undefined> {
  const { t, prompter, logger } = deps;
  const forOther = options.forLogin !== undefined && options.forLogin !== connection.login ? options.forLogin : undefined;
  const loaded = await load(deps, connection, forOther);
  if (!loaded) return undefined;
  const choices = await askChoices(deps, connection, forOther, loaded, options);
  if (!choices) return undefined;

  const request: GenerateTokenRequest = {
    name: choices.name,
    type: choices.type,
    ...(choices.projectKey !== undefined ? { projectKey: choices.projectKey } : {}),
    ...(choices.expirationDate !== undefined ? { expirationDate: choices.expirationDate } : {}),
    ...(forOther !== undefined ? { login: forOther } : {}),
  };
  const entry = await deps.journal?.begin({ op: 'generate', step: 'generating', ref: { connectionId: connection.id, login: forOther ?? connection.login, name: choices.name }, forLogin: forOther });
  let generated: GeneratedToken;
  try {
    generated = await prompter.withProgress(t('Generating token {0} on {1}…', choices.name, connection.label), (signal) =>
      deps.api.generateToken(request, { signal }),
    );
  } catch (error) {
    logger.warn(`[generate] generating "${choices.name}" on ${connection.label} failed: ${errorSummary(error)}`);
    if (isAmbiguous(error)) await handleAmbiguousOutcome(deps, connection, choices.name, forOther, error);
    else if (!isCancellation(error)) void prompter.error(describeSonarError(error, connection.label, t));
    await entry?.end();
    return undefined;
  }

  const ref: TokenRef = { connectionId: connection.id, login: generated.login, name: generated.name };
  await entry?.advance({ step: 'generated', ref });
  const kept = await keepValue(deps, connection, ref, generated.token, forOther);
  await entry?.end();
  if (!kept) return undefined;
  logger.info(`[generate] generated ${generated.type} "${ref.name}" for ${ref.login} on ${connection.label}; value kept in secure storage`);

  const ignored = ignoredChoices(request, generated, t);
  if (ignored) {
    logger.warn(`[generate] ${connection.label} made "${ref.name}" differently from what was asked: ${ignored}`);
    void prompter.warn(t({ message: 'Token {0} was generated on {1} and kept in secure storage, but not as asked: {2}', comment: ['{0} is the token name; {1} the connection name; {2} what differs, such as "it expires on 2026-03-01 (asked: 2026-04-01)".'] }, ref.name, connection.label, ignored));
  }
  if (choices.afterAction === COPY_ACTION) {
    const pendingClear = await copyValue(deps, ref.name, generated.token);
    return { ref, type: generated.type, afterAction: COPY_ACTION, pendingClear };
  }
  if (choices.afterAction === KEEP_ACTION && !ignored) {
    void prompter.info(t('Token {0} was generated on {1} and is kept in secure storage.', ref.name, connection.label));
  }
  return { ref, type: generated.type, afterAction: choices.afterAction };
}

/** What the server made differently from the request (an older server ignores parameters it does not know), or undefined. */
function ignoredChoices(request: GenerateTokenRequest, generated: GeneratedToken, t: GenerateTokenDeps['t']): string | undefined {
  const differences: string[] = [];
  const askedType = request.type ?? 'USER_TOKEN';
  if (generated.type !== askedType) {
    differences.push(t({ message: 'it is a {0} token, not a {1} token', comment: ['{0} and {1} are token types, such as "User" or "Global analysis".'] }, tokenTypeLabel(generated.type, t), tokenTypeLabel(askedType, t)));
  }
  const expires = parseServerDate(generated.expirationDate);
  const madeDay = expires ? utcDay(expires) : undefined;
  if (madeDay !== request.expirationDate) {
    differences.push(
      madeDay === undefined
        ? t('it never expires (asked: {0})', request.expirationDate ?? '')
        : t('it expires on {0} (asked: {1})', madeDay, request.expirationDate ?? t('no expiration')),
    );
  }
  return differences.length > 0 ? `${differences.join('; ')}.` : undefined;
}

/**
 * Stores the new value. When secure storage fails the value exists nowhere else and cannot be shown again, so the
 * person may copy it once now or revoke the token.
 */
async function keepValue(deps: GenerateTokenDeps, connection: ConnectionRecord, ref: TokenRef, value: string, forOther: string | undefined): Promise<boolean> {
  const { t, prompter, logger } = deps;
  try {
    await deps.vault.store(ref, value);
    return true;
  } catch (error) {
    logger.error(`[generate] keeping "${ref.name}" in secure storage failed: ${errorSummary(error)}`);
    const copy = t('Copy to Clipboard');
    const revoke = t('Revoke');
    const answer = await prompter.error(
      t('Token {0} was generated on {1}, but secure storage could not keep it: {2} Copy its value now or revoke it; it cannot be shown again.', ref.name, connection.label, describeSonarError(error, connection.label, t)),
      copy,
      revoke,
    );
    if (answer === copy) await copyValue(deps, ref.name, value);
    if (answer === revoke) await revokeLostToken(deps, connection, ref.name, forOther);
    return false;
  }
}

/** The request may have created the token although no answer came: look instead of retrying. */
async function handleAmbiguousOutcome(deps: GenerateTokenDeps, connection: ConnectionRecord, name: string, forOther: string | undefined, error: unknown): Promise<void> {
  const { t, prompter, logger } = deps;
  let exists: boolean;
  try {
    exists = await prompter.withProgress(t('Checking whether token {0} was created on {1}…', name, connection.label), async (signal) =>
      (await deps.api.searchTokens(forOther, { signal })).tokens.some((token) => token.name === name),
    );
  } catch (checkError) {
    logger.warn(`[generate] checking whether "${name}" exists failed: ${errorSummary(checkError)}`);
    void prompter.warn(
      t('It is not known whether token {0} was created on {1}: {2} Refresh the Tokens view to check, and revoke it if it is listed.', name, connection.label, describeSonarError(error, connection.label, t)),
    );
    return;
  }
  if (!exists) {
    // A cancel that the server never acted on is just a cancel.
    if (!isCancellation(error)) void prompter.error(t({ message: 'Token {0} was not created. {1}', comment: ['{0} is the token name; {1} the reason, a whole sentence.'] }, name, describeSonarError(error, connection.label, t)));
    return;
  }
  const revoke = t('Revoke');
  const answer = await prompter.warn(
    t('Token {0} was created on {1}, but its value was lost on the way: the connection broke before the answer arrived. Revoke it and generate a new one.', name, connection.label),
    revoke,
  );
  if (answer === revoke) await revokeLostToken(deps, connection, name, forOther);
}

async function revokeLostToken(deps: GenerateTokenDeps, connection: ConnectionRecord, name: string, forOther: string | undefined): Promise<void> {
  const { t, prompter, logger } = deps;
  try {
    await prompter.withProgress(t('Revoking token {0} on {1}…', name, connection.label), (signal) =>
      deps.api.revokeToken({ name, ...(forOther !== undefined ? { login: forOther } : {}) }, { signal }),
    );
    logger.info(`[generate] revoked "${name}" whose value was lost`);
    void prompter.info(t('Token {0} was revoked on {1}.', name, connection.label));
  } catch (error) {
    logger.warn(`[generate] revoking "${name}" failed: ${errorSummary(error)}`);
    if (!isCancellation(error)) void prompter.error(describeSonarError(error, connection.label, t));
  }
}

// Adding a connection: where, which token, check it with the server, and only then store anything.
import type { ConnectionRecord, ConnectionStore } from '../connections/connectionStore';
import { connectionLabel, isDuplicateConnectionError } from '../connections/connectionStore';
import { isSonarApiError } from '../sonar/errors';
import type { CurrentUser, Organization, Region, SonarTarget, TokenApi } from '../sonar/types';
import type { FlowDeps } from './deps';
import { describeSonarError, errorSummary, isCancellation } from './describeError';
import type { InputOptions, PickItem, StepInfo } from './prompter';
import { tokenByChosenMethod } from './signInMethod';
import type { SignInMethodDeps } from './signInMethod';
import { PRODUCT } from '../productNames';

/** The shape of `parseServerUrl` in `sonar/target.ts`, passed in so this module stays out of the HTTP bundle. */
export type ServerUrlParser = (input: string) => { readonly ok: true; readonly target: SonarTarget } | { readonly ok: false; readonly reason: string };

export interface SignInDeps extends FlowDeps {
  readonly connections: ConnectionStore;
  /** A client that authenticates with `token` (the host loads the HTTP bundle lazily). */
  readonly createApi: (target: SonarTarget, token: string) => TokenApi | Promise<TokenApi>;
  readonly parseServerUrl: ServerUrlParser;
}

const ANALYSIS_TOKEN_PREFIXES = ['sqa_', 'sqp_'];

/** Why an analysis token is refused for signing in (Add Connection, Sign in again). */
export function analysisRefusal(deps: FlowDeps): string {
  return deps.t('This token cannot manage tokens: analysis tokens can only run analyses; create a user token in My Account > Security.');
}

function addConnectionTitle(t: FlowDeps['t']): string {
  return t({ message: 'Add {0} Connection', comment: ['{0} is a product name, SonarQube.'] }, PRODUCT.sonarQube);
}

export function looksLikeAnalysisToken(token: string): boolean {
  return ANALYSIS_TOKEN_PREFIXES.some((prefix) => token.startsWith(prefix));
}

type Where = { readonly kind: 'server' } | { readonly kind: 'cloud'; readonly region: Region };

/** The target and how many steps asking for it took. `kind` narrows the choice (e.g. from a welcome button). */
async function askTarget(
  deps: SignInDeps,
  title: string,
  kind?: 'server' | 'cloud',
): Promise<{ readonly target: SonarTarget; readonly steps: number } | undefined> {
  const { t, prompter } = deps;
  const choices: Array<PickItem<Where>> = [
    { label: PRODUCT.sonarQubeServer, description: t('your organization\'s own server'), value: { kind: 'server' } },
    { label: t({ message: '{0} (EU)', comment: ['{0} is a product name, SonarQube Cloud; EU is where its servers are.'] }, PRODUCT.sonarQubeCloud), description: 'sonarcloud.io', value: { kind: 'cloud', region: 'EU' } },
    { label: t({ message: '{0} (US)', comment: ['{0} is a product name, SonarQube Cloud; US is where its servers are.'] }, PRODUCT.sonarQubeCloud), description: 'sonarqube.us', value: { kind: 'cloud', region: 'US' } },
  ];
  const items = choices.filter((item) => kind === undefined || item.value.kind === kind);
  let steps = 0;
  let where: Where | undefined = items[0].value;
  if (items.length > 1) {
    steps++;
    where = await prompter.pick(items, { title, step: steps, totalSteps: steps + 2, placeholder: t('Where do you want to sign in?') });
  }
  if (!where) return undefined;
  if (where.kind === 'cloud') return { target: { kind: 'cloud', region: where.region }, steps };
  steps++;
  const url = await prompter.input({
    title,
    step: steps,
    totalSteps: steps + 1,
    prompt: t({ message: 'The URL of your {0}, with its context path if it has one', comment: ['{0} is a product name, SonarQube Server.'] }, PRODUCT.sonarQubeServer),
    placeholder: 'https://sonarqube.example.com',
    validate: (value) => {
      const parsed = deps.parseServerUrl(value);
      return parsed.ok ? undefined : parsed.reason;
    },
  });
  if (url === undefined) return undefined;
  const parsed = deps.parseServerUrl(url);
  return parsed.ok ? { target: parsed.target, steps } : undefined;
}

/** Asks Server URL or Cloud region (only the region when `kind` is `cloud`, only the URL when `server`). */
export async function askSignInTarget(deps: SignInDeps, kind?: 'server' | 'cloud'): Promise<SonarTarget | undefined> {
  return (await askTarget(deps, addConnectionTitle(deps.t), kind))?.target;
}

/** The paste of a new connection's token, refusing analysis tokens as they are typed. */
function pasteTokenInput(deps: FlowDeps, target: SonarTarget, title: string): InputOptions {
  const { t } = deps;
  return {
    title,
    password: true,
    prompt: t('Paste a user token from My Account > Security on {0}', connectionLabel(target)),
    validate: (value) => {
      if (value.trim() === '') return t('Paste a user token.');
      return looksLikeAnalysisToken(value.trim()) ? analysisRefusal(deps) : undefined;
    },
  };
}

export type AddConnectionDeps = SignInDeps & SignInMethodDeps;

/**
 * Add Connection: where (only the URL or only the region when `kind` is given), how (browser or paste), then
 * `completeSignIn`. Returns the new connection, or undefined when none was added.
 */
export async function addConnection(deps: AddConnectionDeps, kind?: 'server' | 'cloud'): Promise<ConnectionRecord | undefined> {
  const target = await askSignInTarget(deps, kind);
  if (!target) return undefined;
  const title = addConnectionTitle(deps.t);
  const token = await tokenByChosenMethod(deps, { target, title }, pasteTokenInput(deps, target, title));
  return token === undefined ? undefined : completeSignIn(deps, target, token);
}

interface Checked {
  readonly user: CurrentUser;
  readonly serverVersion?: string;
  readonly organizations?: readonly Organization[];
}

/** Who the token belongs to, and whether it can manage tokens: the reason an analysis token gets refused. */
async function checkToken(deps: SignInDeps, target: SonarTarget, token: string, label: string): Promise<Checked | 'refused' | undefined> {
  return deps.prompter.withProgress(deps.t('Checking the token with {0}…', label), async (signal) => {
    const api = await deps.createApi(target, token);
    let user: CurrentUser;
    try {
      user = await api.currentUser({ signal });
      await api.searchTokens(undefined, { signal });
    } catch (error) {
      if (isSonarApiError(error) && error.kind === 'forbidden') return 'refused';
      throw error;
    }
    const serverVersion = await api.serverInfo({ signal }).then(
      (info) => info.version,
      (error: unknown) => {
        // The version is only shown; Cancel still means cancel.
        if (isCancellation(error)) throw error;
        deps.logger.warn(`[signIn] server version of ${label} unknown: ${errorSummary(error)}`);
        return undefined;
      },
    );
    const organizations = target.kind === 'cloud' ? await api.listOrganizations({ signal }) : undefined;
    return { user, serverVersion, organizations };
  });
}

async function chooseOrganization(
  deps: SignInDeps,
  target: SonarTarget & { kind: 'cloud' },
  organizations: readonly Organization[],
  steps: StepInfo,
): Promise<SonarTarget | undefined> {
  const { t, prompter } = deps;
  if (target.organization !== undefined) {
    if (organizations.some((organization) => organization.key === target.organization)) return target;
    void prompter.error(t({ message: 'You are not a member of the organization {0} on {1} ({2}).', comment: ['{0} is an organization key; {1} a product name, SonarQube Cloud; {2} its region, EU or US.'] }, target.organization, PRODUCT.sonarQubeCloud, target.region));
    return undefined;
  }
  if (organizations.length === 0) {
    void prompter.error(t({ message: 'Your account is not a member of any organization on {0} ({1}).', comment: ['{0} is a product name, SonarQube Cloud; {1} its region, EU or US.'] }, PRODUCT.sonarQubeCloud, target.region));
    return undefined;
  }
  const key = await prompter.pick(
    organizations.map((organization) => ({ label: organization.name, description: organization.key, detail: organization.description, value: organization.key })),
    { ...steps, placeholder: t('Organization') },
  );
  return key === undefined ? undefined : { ...target, organization: key };
}

/**
 * Checks `token` with the server, picks the Cloud organization, refuses duplicates, then stores the secret and the
 * record, in that order (the secret is removed again if the record cannot be added). Nothing is stored before the
 * server has accepted the token. Also used by the browser sign-in with the token it received.
 */
export async function completeSignIn(
  deps: SignInDeps,
  target: SonarTarget,
  token: string,
  steps: StepInfo = { title: addConnectionTitle(deps.t) },
): Promise<ConnectionRecord | undefined> {
  const { t, prompter, logger, connections, vault } = deps;
  const label = connectionLabel(target);
  if (looksLikeAnalysisToken(token)) {
    void prompter.error(analysisRefusal(deps));
    return undefined;
  }
  let checked: Checked | 'refused' | undefined;
  try {
    checked = await checkToken(deps, target, token, label);
  } catch (error) {
    if (isCancellation(error)) return undefined;
    logger.warn(`[signIn] checking the token with ${label} failed: ${errorSummary(error)}`);
    void prompter.error(describeSonarError(error, label, t));
    return undefined;
  }
  if (checked === 'refused') {
    logger.info(`[signIn] ${label} refused to list tokens with the given token: not a user token`);
    void prompter.error(analysisRefusal(deps));
    return undefined;
  }
  if (!checked) return undefined;
  const { user, serverVersion, organizations } = checked;
  const finalTarget = target.kind === 'cloud' ? await chooseOrganization(deps, target, organizations ?? [], steps) : target;
  if (!finalTarget) return undefined;
  const existing = connections.findDuplicate(finalTarget, user.login);
  if (existing) {
    void prompter.error(connections.duplicateMessage(existing));
    return undefined;
  }
  const id = connections.createId();
  await vault.storeSignIn(id, token);
  let record: ConnectionRecord;
  try {
    record = await connections.add(
      {
        target: finalTarget,
        login: user.login,
        userName: user.name,
        isAdmin: user.isAdmin,
        canScan: user.canScan,
        serverVersion,
        ...(user.tokenExpiration ? { signInExpiresAt: user.tokenExpiration } : {}),
      },
      id,
    );
  } catch (error) {
    await vault.deleteSignIn(id).catch((rollbackError: unknown) => {
      logger.error(`[signIn] could not remove the sign-in token of the connection that was not added: ${errorSummary(rollbackError)}`);
    });
    if (isDuplicateConnectionError(error)) {
      void prompter.error(error.message);
      return undefined;
    }
    throw error;
  }
  logger.info(`[signIn] added connection ${record.id} to ${record.label} as ${record.login}`);
  const name = user.name || user.login;
  if (travelsUnencrypted(finalTarget)) {
    void prompter.warn(
      t('Signed in to {0} as {1}. Its address starts with http://, so the token travels unencrypted with every request and anyone on the network in between can read it. Use https:// if the server offers it.', record.label, name),
    );
  } else {
    void prompter.info(t('Signed in to {0} as {1}.', record.label, name));
  }
  return record;
}

/** A server reached over plain HTTP through a network: on this machine's loopback the token never leaves it. */
function travelsUnencrypted(target: SonarTarget): boolean {
  if (target.kind !== 'server') return false;
  const url = new URL(target.serverUrl);
  return url.protocol === 'http:' && !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(url.hostname);
}

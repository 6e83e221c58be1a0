// "Sign in again…": a connection whose token was refused gets a new one, for the same user, checked before it is kept.
import type { ConnectionRecord, ConnectionStore } from '../connections/connectionStore';
import { isSonarApiError } from '../sonar/errors';
import type { SonarTarget, TokenApi } from '../sonar/types';
import type { FlowDeps } from './deps';
import { describeSonarError, errorSummary, isCancellation } from './describeError';
import { analysisRefusal, looksLikeAnalysisToken } from './signIn';
import { tokenByChosenMethod } from './signInMethod';
import type { SignInMethodDeps } from './signInMethod';

export interface RenewSignInDeps extends FlowDeps {
  readonly createApi: (target: SonarTarget, token: string) => TokenApi | Promise<TokenApi>;
  /** Where the new token's expiry is recorded. */
  readonly connections: ConnectionStore;
}

/** Checks `token` belongs to the connection's user, then replaces the stored sign-in token. True when replaced. */
export async function renewSignIn(deps: RenewSignInDeps, connection: ConnectionRecord, token: string): Promise<boolean> {
  const { t, prompter, logger } = deps;
  if (looksLikeAnalysisToken(token)) {
    void prompter.error(analysisRefusal(deps));
    return false;
  }
  let login: string;
  let expiresAt: string | undefined;
  try {
    ({ login, tokenExpiration: expiresAt } = await prompter.withProgress(t('Checking the token with {0}…', connection.label), async (signal) => {
      const api = await deps.createApi(connection.target, token);
      const user = await api.currentUser({ signal });
      await api.searchTokens(undefined, { signal });
      return user;
    }));
  } catch (error) {
    if (isCancellation(error)) return false;
    if (isSonarApiError(error) && error.kind === 'forbidden') {
      // The token cannot list tokens: an analysis token without the prefix, refused as Add Connection refuses it.
      logger.info(`[signIn] ${connection.label} refused to list tokens with the new sign-in token: not a user token`);
      void prompter.error(analysisRefusal(deps));
      return false;
    }
    logger.warn(`[signIn] renewing the sign-in of ${connection.label} failed: ${errorSummary(error)}`);
    void prompter.error(describeSonarError(error, connection.label, t));
    return false;
  }
  if (login !== connection.login) {
    void prompter.error(
      t('That token belongs to {0}, but this connection signs in as {1}. Use a token of {1}, or add a new connection for {0}.', login, connection.login),
    );
    return false;
  }
  await deps.vault.storeSignIn(connection.id, token);
  await deps.connections.update(connection.id, { signInExpiresAt: expiresAt });
  logger.info(`[signIn] sign-in token of ${connection.label} replaced${expiresAt ? `; it expires ${expiresAt}` : ''}`);
  void prompter.info(t('Signed in to {0} again as {1}.', connection.label, login));
  return true;
}

/** Sign in again: browser or paste, for the connection's own user, then `renewSignIn`. True when replaced. */
export async function signInAgain(deps: RenewSignInDeps & SignInMethodDeps, connection: ConnectionRecord): Promise<boolean> {
  const { t } = deps;
  const title = t('Sign in to {0}', connection.label);
  const token = await tokenByChosenMethod(deps, { target: connection.target, title, login: connection.login }, {
    title,
    password: true,
    prompt: t('Paste a user token of {0}', connection.login),
    validate: (value) => {
      if (value.trim() === '') return t('Paste a user token.');
      return looksLikeAnalysisToken(value.trim()) ? analysisRefusal(deps) : undefined;
    },
  });
  return token === undefined ? false : renewSignIn(deps, connection, token);
}

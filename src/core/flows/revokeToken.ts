// Revoking a token: say what breaks, ask, revoke, forget the held value. An unknown outcome is reported as such.
import type { ConnectionRecord } from '../connections/connectionStore';
import type { TokenRef } from '../secrets/keys';
import type { TokenApi } from '../sonar/types';
import type { FlowDeps } from './deps';
import { isSonarApiError } from '../sonar/errors';
import { describeSonarError, errorSummary, isAmbiguous, isCancellation } from './describeError';

export interface RevokeTokenDeps extends FlowDeps {
  readonly api: TokenApi;
}

/** The token to revoke: its owner's login and its name. */
export interface RevokeTarget {
  readonly login: string;
  readonly name: string;
}

export interface RevokeTokenOptions {
  /** What uses the held value, in words (e.g. "SonarQube for IDE connection 'acme'", "MCP server in .vscode/mcp.json"). */
  readonly usedBy: readonly string[];
  /**
   * The token this connection signs in with: revoking it signs the connection out. When not known, an own token's
   * revoke is followed by a check of the sign-in, which fails exactly when the revoked token was that one.
   */
  readonly isSignInToken?: boolean;
  /** After the server confirmed and the value is gone: remove what used the token (its bindings). */
  readonly cleanUp?: (ref: TokenRef) => Promise<void>;
  /** False when the caller says what happened in one message with what it did next (default true). */
  readonly reportsSuccess?: boolean;
}

/** `unconfirmed`: the request may or may not have reached the server (timeout, connection lost). */
export type RevokeTokenResult =
  | { readonly revoked: true; /** The connection's sign-in token was the one revoked. */ readonly signedOut: boolean }
  | { readonly revoked: false }
  | { readonly revoked: 'unconfirmed' };

export async function revokeTokenFlow(
  deps: RevokeTokenDeps,
  connection: ConnectionRecord,
  token: RevokeTarget,
  options: RevokeTokenOptions,
): Promise<RevokeTokenResult> {
  const { t, prompter, logger } = deps;
  const forOther = token.login !== connection.login ? token.login : undefined;
  const detail = [
    forOther ? t('The token belongs to {0}.', forOther) : undefined,
    options.usedBy.length > 0 ? t('These stop working:\n{0}', options.usedBy.map((use) => `• ${use}`).join('\n')) : undefined,
    options.isSignInToken
      ? t('This is the token this extension signs in to {0} with: you will have to sign in again.', connection.label)
      : undefined,
    t('This cannot be undone.'),
  ]
    .filter((line) => line !== undefined)
    .join('\n\n');
  const confirmed = await prompter.confirm(t('Revoke token {0} on {1}?', token.name, connection.label), { detail, confirmLabel: t('Revoke') });
  if (!confirmed) return { revoked: false };

  const ref: TokenRef = { connectionId: connection.id, login: token.login, name: token.name };
  const entry = await deps.journal?.begin({ op: 'revoke', step: 'revoking', ref, forLogin: forOther });
  try {
    await prompter.withProgress(t('Revoking token {0} on {1}…', token.name, connection.label), (signal) =>
      deps.api.revokeToken({ name: token.name, ...(forOther !== undefined ? { login: forOther } : {}) }, { signal }),
    );
  } catch (error) {
    logger.warn(`[revoke] revoking "${token.name}" on ${connection.label} failed: ${errorSummary(error)}`);
    if (isAmbiguous(error)) {
      void prompter.warn(
        t('It is not confirmed that token {0} was revoked on {1}: {2} Refresh the Tokens view to check, or revoke it again.', token.name, connection.label, describeSonarError(error, connection.label, t)),
      );
      await entry?.end();
      return { revoked: 'unconfirmed' };
    }
    if (!isCancellation(error)) void prompter.error(describeSonarError(error, connection.label, t));
    await entry?.end();
    return { revoked: false };
  }

  logger.info(`[revoke] revoked "${token.name}" of ${token.login} on ${connection.label}`);
  const signedOut = options.isSignInToken ?? (forOther === undefined && (await signInRefused(deps)));
  if (signedOut) logger.info(`[revoke] "${token.name}" was the sign-in token of ${connection.label}`);
  await entry?.advance({ step: 'revoked', signedOut });
  await forgetRevokedValues(deps, connection, ref, signedOut);
  await options.cleanUp?.(ref);
  await entry?.end();
  if (options.reportsSuccess === false) return { revoked: true, signedOut };
  void prompter.info(
    signedOut
      ? t('Token {0} was revoked on {1}. It was the token this extension signed in with: sign in again to keep using this connection.', token.name, connection.label)
      : t('Token {0} was revoked on {1}.', token.name, connection.label),
  );
  return { revoked: true, signedOut };
}

/** The server no longer accepts the connection's sign-in. Any other failure says nothing about the revoked token. */
export async function signInRefused(deps: Pick<RevokeTokenDeps, 'api'>): Promise<boolean> {
  try {
    await deps.api.currentUser();
    return false;
  } catch (error) {
    return isSonarApiError(error) && error.kind === 'unauthorized';
  }
}

/** A revoked value is useless: delete it. The revoke already happened, so a storage failure is only a warning. */
export async function forgetRevokedValues(deps: FlowDeps, connection: ConnectionRecord, ref: TokenRef, signIn: boolean): Promise<void> {
  try {
    await deps.vault.delete(ref);
    if (signIn) await deps.vault.deleteSignIn(connection.id);
  } catch (error) {
    deps.logger.error(`[revoke] removing the value of "${ref.name}" from secure storage failed: ${errorSummary(error)}`);
    void deps.prompter.warn(
      deps.t('Token {0} was revoked, but its value could not be removed from secure storage: {1}', ref.name, describeSonarError(error, connection.label, deps.t)),
    );
  }
}

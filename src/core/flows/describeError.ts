// Errors in words: which connection, what went wrong, what to do about it.
import { isConfigFileError } from '../config/configFileError';
import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import { isSonarApiError } from '../sonar/errors';
import type { SonarApiError } from '../sonar/errors';
import { isSecretStoreError } from '../tokens/heldTokens';
import { isErrorNamed } from '../util/namedError';
import { PRODUCT } from '../productNames';

function serverSaid(error: SonarApiError, t: Translate): string | undefined {
  return error.serverMessages.length > 0 ? t('The server said: {0}', error.serverMessages.join(' ')) : undefined;
}

function cause(error: SonarApiError, label: string, t: Translate): string {
  switch (error.kind) {
    case 'unauthorized':
      return t('{0} did not accept the sign-in token: it may have expired or been revoked. Sign in again.', label);
    case 'forbidden':
      return t('{0} refused: your account lacks the permission for this.', label);
    case 'notFound':
      return t('{0} could not find what was asked for.', label);
    case 'badRequest':
      return t('{0} refused the request.', label);
    case 'methodNotAllowed':
      return t('{0} does not support this request; the server may be too old for this feature.', label);
    case 'rateLimited':
      return error.retryAfterSeconds !== undefined
        ? t({ message: '{0} is limiting requests. Wait {1} s and try again.', comment: ['{0} is the connection name; {1} a number of seconds.'] }, label, error.retryAfterSeconds)
        : t('{0} is limiting requests. Wait a few minutes and try again.', label);
    case 'server':
      return error.retryAfterSeconds !== undefined
        ? t({ message: '{0} is unavailable (HTTP {1}). Wait {2} s and try again.', comment: ['{0} is the connection name; {1} an HTTP status code; {2} a number of seconds.'] }, label, error.status ?? 500, error.retryAfterSeconds)
        : error.status !== undefined && error.status >= 502 && error.status <= 504
          ? t('{0} or a gateway in front of it is unavailable (HTTP {1}). Wait a few minutes and try again.', label, error.status)
          : t('{0} had an internal error (HTTP {1}). Try again later.', label, error.status ?? 500);
    case 'network':
      return error.code
        ? t({ message: 'Could not reach {0} ({1}). Check the URL, your network and the proxy setting (http.proxy).', comment: ['{0} is the connection name; {1} a system error code such as ECONNREFUSED. Keep http.proxy: it is a setting name.'] }, label, error.code)
        : t('Could not reach {0}. Check the URL, your network and the proxy setting (http.proxy).', label);
    case 'timeout':
      return t('{0} did not answer in time. Check your network and proxy, or raise the setting sonarqubeTokens.requestTimeoutSeconds.', label);
    case 'tls':
      return t(
        'The certificate of {0} is not trusted ({1}). If your organization uses its own certificate authority, enable http.systemCertificates or point NODE_EXTRA_CA_CERTS at its certificate file.',
        label,
        error.code ?? 'TLS',
      );
    case 'invalidResponse':
      return t(
        {
          message: '{0} sent an answer this extension cannot read ({1}). Check that the URL points to {2} and not to a login page or proxy.',
          comment: ['{0} is the connection name; {1} what was wrong with the answer; {2} a product name, SonarQube.'],
        },
        label,
        error.detail ?? t('unexpected content'),
        PRODUCT.sonarQube,
      );
    case 'cancelled':
      return t('The request to {0} was cancelled.', label);
  }
}

/** An error whose message is already the words for a person (translated where it was thrown). */
export class WordedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WordedError';
  }
}

function words(error: unknown, connectionLabel: string | undefined, t: Translate): string {
  if (isSonarApiError(error)) {
    return [cause(error, connectionLabel ?? t({ message: 'the {0} server', comment: ['{0} is a product name, SonarQube; the words stand for a connection whose name is not known.'] }, PRODUCT.sonarQube), t), serverSaid(error, t)].filter((part) => part !== undefined).join(' ');
  }
  if (isConfigFileError(error)) return error.wording(t);
  if (isSecretStoreError(error)) {
    return t('Secure storage is not available ({0}). Check that your system keychain is unlocked, then try again.', error.message);
  }
  if (isErrorNamed(error, 'WordedError')) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return connectionLabel !== undefined ? t({ message: 'Something went wrong with {0}: {1}', comment: ['{0} is the connection name; {1} the error as the program reported it, often in English.'] }, connectionLabel, message) : t('Something went wrong: {0}', message);
}

/** One or two sentences naming the connection, the cause, the fix and, when it gave one, the server's own reason. */
export function describeSonarError(error: unknown, connectionLabel: string, t: Translate = englishMessage): string {
  return words(error, connectionLabel, t);
}

/** The same words where no connection is known (the command runner's last resort, a failed search). */
export function describeError(error: unknown, t: Translate = englishMessage): string {
  return words(error, undefined, t);
}

/**
 * The one definition of "the person cancelled": a request's signal (Cancel on a progress notification), an
 * `AbortError`, or the host's own cancellation error (VS Code's `CancellationError` is named `Canceled`).
 * Nothing to report, except where the cancelled request changed something: flows ask `isAmbiguous` first.
 */
export function isCancellation(error: unknown): boolean {
  return (isSonarApiError(error) && error.kind === 'cancelled') || isErrorNamed(error, 'AbortError') || isErrorNamed(error, 'Canceled');
}

/** A request that changes something may have reached the server although no answer came back. */
export function isAmbiguous(error: unknown): boolean {
  return isSonarApiError(error) && error.maybeDelivered;
}

/** For logs: the kind, status and endpoint, never a message that could quote a request. */
export function errorSummary(error: unknown): string {
  if (isSonarApiError(error)) {
    return [error.kind, error.status, error.endpoint, error.code].filter((part) => part !== undefined).join(' ');
  }
  return error instanceof Error ? error.name : 'unknown error';
}

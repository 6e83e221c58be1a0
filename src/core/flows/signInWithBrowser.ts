// "Sign in with browser", per server version: the handshake page where the server has one (`auth` on 2026.2,
// Community Build 26.2 and Cloud; `sonarlint/auth` from 9.7), else My Account > Security and a paste, asked at once.
import type { BrowserSignIn } from '../auth/browserSignIn';
import type { ServerCapabilities } from '../sonar/capabilities';
import { apiBaseUrl, targetOrigin } from '../sonar/target';
import type { SonarTarget, TokenApi } from '../sonar/types';
import type { FlowDeps } from './deps';
import { describeSonarError, errorSummary, isCancellation } from './describeError';
import { PRODUCT } from '../productNames';

export interface BrowserSignInDeps extends FlowDeps {
  /** A client for `target`; the flow only asks it for the server's version, which needs no token. */
  readonly createApi: (target: SonarTarget, token: string) => TokenApi | Promise<TokenApi>;
  /** Opens the loopback listener for the server at `serverOrigin` (`startBrowserSignIn` with the host's settings). */
  readonly listen: (serverOrigin: string, signal: AbortSignal) => Promise<BrowserSignIn>;
  readonly openUrl: (url: string) => Promise<boolean>;
}

export interface BrowserSignInRequest {
  readonly target: SonarTarget;
  /** Title of the prompts, e.g. "Add SonarQube Connection". */
  readonly title: string;
  /** The login the token must belong to (Sign in again), named in the paste prompt. */
  readonly login?: string;
}

export function accountSecurityUrl(target: SonarTarget): string {
  return `${apiBaseUrl(target)}/account/security`;
}

/**
 * A token from the browser, or undefined when the person cancelled, the server could not be reached (after saying
 * so) or the browser did not open. Listener failures (timeout, no free port) are thrown for the caller to show.
 */
export async function tokenFromBrowser(deps: BrowserSignInDeps, request: BrowserSignInRequest): Promise<string | undefined> {
  const { t, prompter, logger } = deps;
  const { target } = request;
  const label = apiBaseUrl(target);
  let capabilities: ServerCapabilities;
  try {
    capabilities = await prompter.withProgress(t('Checking {0}…', label), async (signal) => (await deps.createApi(target, '')).capabilities({ signal }));
  } catch (error) {
    if (isCancellation(error)) return undefined;
    logger.warn(`[signIn] version of ${label} unknown: ${errorSummary(error)}`);
    void prompter.error(describeSonarError(error, label, t));
    return undefined;
  }
  const route = capabilities.handshakeRoute;
  if (!route) return pasteFromAccountPage(deps, request, capabilities.version ?? '');
  logger.info(`[signIn] browser sign-in on ${label} through /${route}`);
  return prompter.withProgress(t('Waiting for you to allow the connection in your browser…'), async (signal) => {
    const listener = await deps.listen(targetOrigin(target), signal);
    try {
      if (!(await deps.openUrl(listener.authUrl(label, route)))) return undefined;
      return await listener.token;
    } finally {
      listener.close();
    }
  });
}

/** Servers before 9.7 have no handshake page: their token page opens, and the paste is asked for right away. */
async function pasteFromAccountPage(deps: BrowserSignInDeps, request: BrowserSignInRequest, version: string): Promise<string | undefined> {
  const { t, prompter, logger } = deps;
  logger.info(`[signIn] ${apiBaseUrl(request.target)} (${version}) has no browser sign-in: opening My Account > Security for a paste`);
  await deps.openUrl(accountSecurityUrl(request.target));
  const token = await prompter.input({
    title: request.title,
    password: true,
    prompt: request.login
      ? t(
          {
            message: '{0} {1} cannot sign in through the browser (that needs 9.7 or later). Create a user token of {2} on the page that opened (My Account > Security) and paste it here.',
            comment: ['{0} is a product name, SonarQube; {1} its version; {2} the login of the account.'],
          },
          PRODUCT.sonarQube,
          version,
          request.login,
        )
      : t(
          {
            message: '{0} {1} cannot sign in through the browser (that needs 9.7 or later). Create a user token on the page that opened (My Account > Security) and paste it here.',
            comment: ['{0} is a product name, SonarQube; {1} its version.'],
          },
          PRODUCT.sonarQube,
          version,
        ),
    validate: (value) => (value.trim() ? undefined : t('Paste a user token.')),
  });
  return token?.trim();
}

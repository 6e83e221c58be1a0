// How a person signs in, asked the same way when adding a connection and when signing in again: through the browser
// (the token comes straight to secure storage) or by pasting a user token.
import type { SonarTarget } from '../sonar/types';
import { apiBaseUrl } from '../sonar/target';
import type { FlowDeps } from './deps';
import type { InputOptions } from './prompter';
import type { BrowserSignInRequest } from './signInWithBrowser';

export type SignInMethod = 'paste' | 'browser';

export interface SignInMethodDeps extends FlowDeps {
  /** The browser sign-in (`tokenFromBrowser` with the host's listener and browser): a token, or undefined. */
  readonly tokenFromBrowser: (request: BrowserSignInRequest) => Promise<string | undefined>;
}

function askSignInMethod(deps: FlowDeps, target: SonarTarget, title: string): Promise<SignInMethod | undefined> {
  const { t, prompter } = deps;
  return prompter.pick<SignInMethod>(
    [
      { label: `$(globe) ${t('Sign in with browser')}`, detail: t('Allow the connection on {0}; the token comes straight to secure storage.', apiBaseUrl(target)), value: 'browser' },
      { label: `$(key) ${t('Paste a user token')}`, detail: t('A user token from My Account > Security.'), value: 'paste' },
    ],
    { title, placeholder: t('How do you want to sign in?') },
  );
}

/** Asks the method, then gets the token that way: from the browser, or pasted into `paste`. Undefined: none. */
export async function tokenByChosenMethod(deps: SignInMethodDeps, request: BrowserSignInRequest, paste: InputOptions): Promise<string | undefined> {
  const method = await askSignInMethod(deps, request.target, request.title);
  if (method === 'browser') return deps.tokenFromBrowser(request);
  if (method === 'paste') return (await deps.prompter.input(paste))?.trim();
  return undefined;
}

// The token values this window holds or is checking. The pattern rules of the redaction filter catch what looks
// like a token; these catch the rest: tokens of other shapes, and the Basic form a server or proxy may echo back.
import type { SecretStore } from '../ports';
import { redactSecrets } from './redact';

/** The forms in which `token` can appear in text we did not write: as is, and Base64 of `token:` (Basic). */
export function credentialForms(token: string): string[] {
  // Without its padding, so an echo that dropped the `=` is still matched.
  return [token, Buffer.from(`${token}:`, 'utf8').toString('base64').replace(/=+$/, '')];
}

/** The token an `Authorization` header value carries (`Bearer <token>`, or `Basic base64(<token>:)`). */
export function tokenOfAuthorization(authorization: string | undefined): string | undefined {
  const match = /^(bearer|basic)\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  if (match[1].toLowerCase() === 'bearer') return match[2];
  return Buffer.from(match[2], 'base64').toString('utf8').replace(/:.*$/s, '');
}

/** Every form of the credential in `authorization`, for stripping a server's echo of it. */
export function authorizationForms(authorization: string | undefined): string[] {
  const token = tokenOfAuthorization(authorization);
  const basic = /^basic\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  return [...(token ? credentialForms(token) : []), ...(basic ? [basic, basic.replace(/=+$/, '')] : [])];
}

export class KnownSecrets {
  private readonly forms = new Set<string>();

  remember(token: string): void {
    if (token === '') return;
    for (const form of credentialForms(token)) this.forms.add(form);
  }

  values(): Iterable<string> {
    return this.forms;
  }

  /** `text` with every known value and anything token-shaped masked: for what a person is shown. */
  redact(text: string): string {
    return redactSecrets(text, this.forms);
  }
}

/** A secret store whose every value read or written is remembered as known, so no later text can show it. */
export function rememberingSecretStore(store: SecretStore, known: KnownSecrets): SecretStore {
  return {
    get: async (key) => {
      const value = await store.get(key);
      if (value !== undefined) known.remember(value);
      return value;
    },
    store: async (key, value) => {
      known.remember(value);
      await store.store(key, value);
    },
    delete: (key) => store.delete(key),
  };
}

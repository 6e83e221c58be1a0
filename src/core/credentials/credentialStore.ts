// The operating system's credential store (macOS Keychain, Windows Credential Manager, Linux Secret Service): where a
// token bound to an MCP client outside VS Code lives, read by the launcher at each start of the server.

/** The service every entry is filed under; the account names the binding, never the token. */
export const CREDENTIAL_SERVICE = 'sonarqube-tokens';

/** Account of the credential-store entry that holds the token of one MCP binding (binding ids are not secret). */
export function mcpCredentialAccount(bindingId: string): string {
  return `mcp-binding:${bindingId}`;
}

export type CredentialStoreStatus = { readonly available: true } | { readonly available: false; readonly reason: string };

export interface CredentialStore {
  /** Whether this machine has a usable store (no Secret Service on most remote, container and WSL hosts). */
  probe(): Promise<CredentialStoreStatus>;
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** Deleting an entry that is not there is not an error. */
  delete(account: string): Promise<void>;
}

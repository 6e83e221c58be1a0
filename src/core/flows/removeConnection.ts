// Removing a connection from this computer: its bindings, its held values and sign-in token, then its record.
// The tokens stay valid on the server. The record goes last, so a crash in between is finished at the next start.
import type { ConnectionStore } from '../connections/connectionStore';
import type { OperationJournal } from '../journal/journal';
import type { TokenVault } from '../tokens/heldTokens';

export interface RemoveConnectionDeps {
  readonly vault: TokenVault;
  readonly connections: ConnectionStore;
  readonly journal?: OperationJournal;
  /** Removes every binding made from the connection: what each wrote, then its record. */
  removeBindings(connectionId: string): Promise<void>;
}

export async function removeConnectionData(deps: RemoveConnectionDeps, connectionId: string): Promise<void> {
  const entry = await deps.journal?.begin({ op: 'removeConnection', step: 'removing', connectionId });
  try {
    await deps.removeBindings(connectionId);
    await deps.vault.deleteConnection(connectionId);
    await deps.connections.remove(connectionId);
  } finally {
    // A failure the person sees now is theirs to retry; only a killed host leaves the entry for the next start.
    await entry?.end();
  }
}

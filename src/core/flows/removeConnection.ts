// Removing a connection from this computer: its bindings, its held values and sign-in token, then its record.
// The tokens stay valid on the server. The record goes last, so a crash in between is finished at the next start.
import type { ConnectionRecord, ConnectionStore } from '../connections/connectionStore';
import type { OperationJournal } from '../journal/journal';
import type { Translate } from '../ports';
import type { TokenVault } from '../tokens/heldTokens';
import type { Prompter } from './prompter';

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

/** Remove Connection: a modal confirmation that says what goes and what stays, then `removeConnectionData`. */
export async function removeConnection(
  deps: RemoveConnectionDeps & { readonly prompter: Prompter; readonly t: Translate },
  connection: ConnectionRecord,
): Promise<boolean> {
  const { t } = deps;
  const held = deps.vault.index.listFor(connection.id).length;
  const confirmed = await deps.prompter.confirm(t('Remove the connection to {0}?', connection.label), {
    confirmLabel: t('Remove'),
    detail: t(
      { message: 'Its sign-in token, the {0} token values kept for it and every binding made from it are removed from this computer. The tokens stay valid on the server: revoke them first if they should stop working.', comment: ['{0} is a number.'] },
      held,
    ),
  });
  if (!confirmed) return false;
  await removeConnectionData(deps, connection.id);
  return true;
}

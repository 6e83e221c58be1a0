// Copy a held token's value to the clipboard, cleared again after the configured time.
import { copyWithAutoClear } from '../clipboard/autoClear';
import type { ConnectionRecord } from '../connections/connectionStore';
import type { TokenRef } from '../secrets/keys';
import type { Subscription } from '../util/emitter';
import type { ClipboardDeps, FlowDeps } from './deps';
import { describeSonarError, errorSummary } from './describeError';

export type CopyTokenDeps = FlowDeps & { readonly clipboard: ClipboardDeps };

/** Puts `value` on the clipboard and says so; the returned subscription cancels the pending clear. */
export async function copyValue(deps: CopyTokenDeps, name: string, value: string): Promise<Subscription> {
  const { clipboard, clearSeconds, timers, pending } = deps.clipboard;
  const pendingClear = await copyWithAutoClear(clipboard, value, clearSeconds, { timers, logger: deps.logger, pending });
  void deps.prompter.info(
    clearSeconds > 0
      ? deps.t({ message: 'Token {0} copied. The clipboard will be cleared in {1} seconds.', comment: ['{0} is the token name; {1} a number.'] }, name, clearSeconds)
      : deps.t('Token {0} copied.', name),
  );
  return pendingClear;
}

/** Undefined when the value is not held or secure storage failed (both told to the person, differently). */
export async function copyTokenFlow(deps: CopyTokenDeps, connection: ConnectionRecord, ref: TokenRef): Promise<Subscription | undefined> {
  let value: string | undefined;
  try {
    value = await deps.vault.read(ref);
  } catch (error) {
    deps.logger.error(`[copy] reading token "${ref.name}" of ${connection.label} failed: ${errorSummary(error)}`);
    void deps.prompter.error(describeSonarError(error, connection.label, deps.t));
    return undefined;
  }
  if (value === undefined) {
    void deps.prompter.error(
      deps.t('The value of token {0} on {1} is not in secure storage on this computer. Generate a new token to get a value to copy.', ref.name, connection.label),
    );
    return undefined;
  }
  return copyValue(deps, ref.name, value);
}

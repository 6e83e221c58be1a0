// What every flow gets from the host: prompts, secure storage, time, words, logs.
import type { Clipboard, Clock, Logger, Translate } from '../ports';
import type { PendingClears, Timers } from '../clipboard/autoClear';
import type { OperationJournal } from '../journal/journal';
import type { TokenVault } from '../tokens/heldTokens';
import type { Prompter } from './prompter';

export interface FlowDeps {
  readonly prompter: Prompter;
  /** Token values; `vault.index` is the non-secret list of held tokens. */
  readonly vault: TokenVault;
  readonly clock: Clock;
  readonly t: Translate;
  readonly logger: Logger;
  /** Records the step of multi-step operations so that a crash between two steps is repaired at the next start. */
  readonly journal?: OperationJournal;
}

/** Where copied tokens go and how soon they are cleared again (`sonarqubeTokens.clipboardClearSeconds`). */
export interface ClipboardDeps {
  readonly clipboard: Clipboard;
  readonly clearSeconds: number;
  readonly timers?: Timers;
  /** Clears still due, done at once on deactivation. */
  readonly pending?: PendingClears;
}

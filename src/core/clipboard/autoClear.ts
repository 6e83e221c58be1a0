// Copying a token puts it where any app can read it: clear it again after a while, unless something else replaced it.
import { silentLogger } from '../ports';
import type { Clipboard, Logger } from '../ports';
import type { Subscription } from '../util/emitter';

export interface Timers {
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, milliseconds) => setTimeout(callback, milliseconds),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The copied values whose clear is still due. The timers die with the extension host, so when the window closes
 * first, `clearNow()` (called on deactivation) empties the clipboard if it still holds one of them.
 */
export class PendingClears {
  private readonly values = new Map<symbol, string>();

  /** Tracks `value` until the returned subscription is disposed. */
  track(value: string): Subscription {
    const key = Symbol('pending clipboard clear');
    this.values.set(key, value);
    return { dispose: () => this.values.delete(key) };
  }

  get size(): number {
    return this.values.size;
  }

  async clearNow(clipboard: Clipboard, logger: Logger = silentLogger): Promise<void> {
    if (this.values.size === 0) return;
    const due = new Set(this.values.values());
    this.values.clear();
    await clearIfHolding(clipboard, due, logger);
  }
}

async function clearIfHolding(clipboard: Clipboard, values: ReadonlySet<string>, logger: Logger): Promise<void> {
  try {
    if (values.has(await clipboard.readText())) await clipboard.writeText('');
  } catch (error) {
    logger.warn(`[clipboard] could not clear the copied token: ${error instanceof Error ? error.name : 'unknown error'}`);
  }
}

export interface AutoClearOptions {
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** Where the pending clear is registered so deactivation can do it early. */
  readonly pending?: PendingClears;
}

/**
 * Writes `value` to the clipboard and, after `seconds` (0 = never), empties it if it still holds `value`.
 * Disposing cancels the pending clear.
 */
export async function copyWithAutoClear(clipboard: Clipboard, value: string, seconds: number, options: AutoClearOptions = {}): Promise<Subscription> {
  const { timers = systemTimers, logger = silentLogger } = options;
  await clipboard.writeText(value);
  if (seconds <= 0) return { dispose() {} };
  const tracked = options.pending?.track(value);
  const handle = timers.setTimeout(() => {
    tracked?.dispose();
    void clearIfHolding(clipboard, new Set([value]), logger);
  }, seconds * 1000);
  return {
    dispose: () => {
      timers.clearTimeout(handle);
      tracked?.dispose();
    },
  };
}

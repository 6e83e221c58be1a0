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
 * Writes `value` to the clipboard and, after `seconds` (0 = never), empties it if it still holds `value`.
 * Disposing cancels the pending clear (e.g. when the extension deactivates).
 */
export async function copyWithAutoClear(
  clipboard: Clipboard,
  value: string,
  seconds: number,
  timers: Timers = systemTimers,
  logger: Logger = silentLogger,
): Promise<Subscription> {
  await clipboard.writeText(value);
  if (seconds <= 0) return { dispose() {} };
  const clearIfUnchanged = async () => {
    try {
      if ((await clipboard.readText()) === value) await clipboard.writeText('');
    } catch (error) {
      logger.warn(`[clipboard] could not clear the copied token: ${error instanceof Error ? error.name : 'unknown error'}`);
    }
  };
  const handle = timers.setTimeout(() => void clearIfUnchanged(), seconds * 1000);
  return { dispose: () => timers.clearTimeout(handle) };
}

import type { Timers } from '../../../src/core/clipboard/autoClear';

/** Timers that fire only when told: a window that closes before they fire simply never calls `fire()`. */
export function manualTimers(): Timers & { fire(): void } {
  const callbacks = new Map<object, () => void>();
  return {
    setTimeout: (callback) => {
      const handle = {};
      callbacks.set(handle, callback);
      return handle;
    },
    clearTimeout: (handle) => void callbacks.delete(handle as object),
    fire: () => {
      for (const callback of callbacks.values()) callback();
      callbacks.clear();
    },
  };
}

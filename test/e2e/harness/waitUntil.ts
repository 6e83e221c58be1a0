// Waiting for something outside the page (a file, a recorded call) to happen.
import { UI_TIMEOUT_MS } from './workbench/shared';

/** Polls until `condition` holds; fails after `timeoutMs` with `what` in the message. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

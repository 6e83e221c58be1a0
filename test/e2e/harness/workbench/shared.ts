// What every page object of the workbench shares.

/** How long a part of the workbench may take to show what an action waits for. */
export const UI_TIMEOUT_MS = 30_000;

/** Records what the harness did, kept with a failed test's results (`harness-actions.log`). */
export type Trace = (line: string) => void;

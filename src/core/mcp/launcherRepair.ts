// An editor update, a reinstall or another profile can move the runtime or the launcher an entry runs. The entries this
// extension wrote are recognised by their shape and their script (`…/launcher/launcher.js`) and pointed at the current
// ones; everything else in the entry, the binding id and the real command included, stays as it was.
import { readLauncherEntry } from './launcherEntry';
import type { LauncherRuntime } from './launcherEntry';
import { LAUNCHER_FOLDER, LAUNCHER_SCRIPT } from './launcherInstall';

/** The entry pointed at `runtime`, or undefined when it is not one of ours or already points there. */
export function repairLauncherEntry<T extends object>(entry: T, runtime: LauncherRuntime): (T & { command: string; args: string[] }) | undefined {
  const invocation = readLauncherEntry(entry);
  if (!invocation || !isOurScript(invocation.runtime.script)) return undefined;
  if (invocation.runtime.executable === runtime.executable && invocation.runtime.script === runtime.script) return undefined;
  const args = (entry as { args: string[] }).args;
  return { ...entry, command: runtime.executable, args: [runtime.script, ...args.slice(1)] };
}

function isOurScript(script: string): boolean {
  const parts = script.split(/[\\/]/);
  return parts.at(-1) === LAUNCHER_SCRIPT && parts.at(-2) === LAUNCHER_FOLDER;
}

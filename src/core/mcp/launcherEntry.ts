// The entry an MCP client outside VS Code runs: the editor's own runtime starts our launcher, which reads the binding's
// token from the OS credential store and then runs the real server command (kept visible after `--`). The entry holds
// no value and no variable reference.
import type { McpLaunch } from './launch';

/** Where the launcher lives: the editor's runtime (run as Node) and the script in the extension's global storage. */
export interface LauncherRuntime {
  readonly executable: string;
  readonly script: string;
}

/** An `mcpServers` entry as a client reads it. */
export interface McpClientEntry {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

const BINDING_FLAG = '--binding';
const RUN_AS_NODE = 'ELECTRON_RUN_AS_NODE';

export function launcherEntry(runtime: LauncherRuntime, bindingId: string, launch: McpLaunch): McpClientEntry {
  return {
    command: runtime.executable,
    args: [runtime.script, BINDING_FLAG, bindingId, '--', launch.command, ...launch.args],
    // Electron binaries behave as Node only with this set, the way VS Code's `code` command runs its CLI.
    env: { [RUN_AS_NODE]: '1', ...launch.env },
  };
}

export interface LauncherInvocation {
  readonly runtime: LauncherRuntime;
  readonly bindingId: string;
  readonly command: string;
  readonly args: string[];
}

/** Recognises an entry this extension wrote (to repair it when the runtime or launcher moved), else undefined. */
export function readLauncherEntry(entry: unknown): LauncherInvocation | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { command, args } = entry as { command?: unknown; args?: unknown };
  if (typeof command !== 'string' || !Array.isArray(args) || !args.every((arg): arg is string => typeof arg === 'string')) return undefined;
  return parseLauncherArgs(args.slice(1), { executable: command, script: args[0] ?? '' });
}

/** The launcher's own argv after the script: `--binding <id> -- <command> [args...]`. */
export function parseLauncherArgs(argv: readonly string[], runtime: LauncherRuntime): LauncherInvocation | undefined {
  if (argv[0] !== BINDING_FLAG || !argv[1] || argv[2] !== '--' || !argv[3]) return undefined;
  return { runtime, bindingId: argv[1], command: argv[3], args: argv.slice(4) };
}

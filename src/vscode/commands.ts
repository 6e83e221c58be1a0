// Entry of dist/commands.js: every command's implementation, loaded the first time a command runs, so that
// activation only registers ids.
import { recoverOperations } from '../core/journal/recovery';
import { systemClock } from '../core/ports';
import type { BindingStore } from '../core/tokens/bindingStore';
import { registerBindingCommands } from './bindingCommands';
import { CommandId } from './commandIds';
import type { CommandHandler, CommandRegistry } from './commandRunner';
import { registerExposureCommands } from './exposureCommands';
import type { ExposureCommands } from './exposureCommands';
import type { SonarMcpProvider } from './mcpProvider';
import type { Services } from './services';
import { registerTokenCommands } from './tokenCommands';

export interface CommandContext {
  readonly services: Services;
  readonly store: BindingStore;
  readonly provider: SonarMcpProvider;
  readonly storagePath: string;
  /** Runs follow-up work with the extension's error handling. */
  readonly run: (origin: string, task: () => unknown) => Promise<void>;
  readonly showLogs: () => void;
}

export interface LoadedCommands {
  handler(id: CommandId): CommandHandler;
  remindAboutExpiry(): Promise<void>;
  repairLauncherEntries(): Promise<void>;
  /** Finishes or rolls back what a killed extension host left in the journal. */
  recoverOperations(): Promise<void>;
  readonly exposure: ExposureCommands;
}

export function createCommands(context: CommandContext): LoadedCommands {
  const handlers = new Map<CommandId, CommandHandler>();
  const registry: CommandRegistry = {
    register: (id, handler) => handlers.set(id, handler),
    run: context.run,
  };
  const bindings = registerBindingCommands(registry, context.services, context.store, context.provider, context.storagePath);
  registerTokenCommands(registry, context.services, bindings, context.showLogs);
  const exposure = registerExposureCommands(registry, context.services, context.store, bindings.manager, context.storagePath, bindings.afterRevoke);
  for (const id of Object.values(CommandId)) {
    if (!handlers.has(id)) throw new Error(`No implementation for ${id}`);
  }
  return {
    exposure,
    handler: (id) => handlers.get(id)!,
    remindAboutExpiry: bindings.remindAboutExpiry,
    repairLauncherEntries: bindings.repairLauncherEntries,
    recoverOperations: async () => {
      const { services } = context;
      await recoverOperations({ ...services.flowDeps(), journal: services.journal, connections: services.connections, bindings: bindings.recoveryBindings, apiFor: (id) => services.apiFor(id), clock: systemClock });
    },
  };
}

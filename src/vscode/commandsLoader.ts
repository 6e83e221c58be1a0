import type * as CommandsModule from './commands';

let loaded: typeof CommandsModule | undefined;

/** Command implementations (flows, bindings, file editing) live in dist/commands.js, loaded on the first command. */
export function loadCommands(): typeof CommandsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./commands.js') as typeof CommandsModule;
  return loaded;
}

import type * as SonarModule from '../core/sonar/index';

let loaded: typeof SonarModule | undefined;

/**
 * The Web API client (undici and the zod schemas, most of the code) lives in dist/sonar.js and is loaded on the
 * first request, so that activation costs next to nothing.
 */
export function loadSonar(): typeof SonarModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./sonar.js') as typeof SonarModule;
  return loaded;
}

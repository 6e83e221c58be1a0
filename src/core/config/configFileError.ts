import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import { isErrorNamed } from '../util/namedError';

/** Why a configuration file could not be edited; the message names the file and says what to do. */
export type ConfigFileProblem = 'parse' | 'readOnly' | 'io' | 'shape';

export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: ConfigFileProblem,
    /** The message in the person's language; `message` is the English one, for logs. */
    readonly wording: (t: Translate) => string,
    readonly line?: number,
    readonly column?: number,
    options?: { cause?: unknown },
  ) {
    super(wording(englishMessage), options);
    this.name = 'ConfigFileError';
  }
}

export function isConfigFileError(error: unknown): error is ConfigFileError {
  return isErrorNamed(error, 'ConfigFileError') && 'reason' in error && 'wording' in error;
}

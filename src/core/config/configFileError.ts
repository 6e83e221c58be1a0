import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import { isErrorNamed } from '../util/namedError';

/** Why a configuration file could not be edited; the message names the file and says what to do. */
export type ConfigFileProblem =
  | 'parse'
  | 'readOnly'
  | 'io'
  | 'shape'
  /** A folder where the file should be. */
  | 'notAFile'
  /** The key to edit appears twice along its path: which one counts is unclear. */
  | 'duplicateKeys'
  /** A removed plain-text token still appears elsewhere in the file. */
  | 'valueRemains'
  /** Another program wrote the file between our read and our rename, again and again. */
  | 'changedMeanwhile';

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

/** Problems the person fixes in the file itself: offered with the file opened at the place. */
export function isFixableInFile(error: ConfigFileError): boolean {
  return error.reason === 'parse' || error.reason === 'shape' || error.reason === 'duplicateKeys' || error.reason === 'valueRemains';
}

export function isConfigFileError(error: unknown): error is ConfigFileError {
  return isErrorNamed(error, 'ConfigFileError') && 'reason' in error && 'wording' in error;
}

import { isConfigFileError } from '../core/config/configFileError';
import { describeSonarError } from '../core/flows/describeError';
import { isSonarApiError } from '../core/sonar/errors';
import { t } from './services';

/** Words for an error that reached the command runner (the flows word their own errors with the connection's name). */
export function describeError(error: unknown): string {
  if (isSonarApiError(error)) return describeSonarError(error, t('the SonarQube server'), t);
  if (isConfigFileError(error)) return error.wording(t);
  return error instanceof Error ? error.message : String(error);
}

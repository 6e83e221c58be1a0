// Which expiration dates to offer, given the server's maximum token lifetime, and checking a typed-in date.
import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import type { MaxTokenLifetime } from '../sonar/types';
import { parseUtcDay, utcDayPlus } from './dates';

export type ExpirationChoice =
  | { readonly kind: 'days'; readonly days: number; readonly date: string }
  | { readonly kind: 'never' }
  | { readonly kind: 'custom' };

export interface ExpirationOption {
  readonly label: string;
  /** The date the token would stop working, for the choices that fix one. */
  readonly description?: string;
  readonly choice: ExpirationChoice;
  /** The option to preselect. */
  readonly recommended?: boolean;
}

const PRESET_DAYS = [30, 90, 365] as const;
const RECOMMENDED_DAYS = 90;

/** The latest date a token may expire on (`YYYY-MM-DD`), or undefined when no maximum lifetime is enforced. */
export function latestExpirationDate(max: MaxTokenLifetime, now: Date): string | undefined {
  return max.enforced ? utcDayPlus(now, max.days) : undefined;
}

/** The server refuses dates before tomorrow (UTC). */
export function earliestExpirationDate(now: Date): string {
  return utcDayPlus(now, 1);
}

/**
 * 30 / 90 / 365 days, "No expiration" and "Custom date…"; an enforced maximum keeps only the presets within it and
 * drops "No expiration", as the SonarQube web UI does. The recommended choice is 90 days, or the longest allowed.
 */
export function expirationOptions(max: MaxTokenLifetime, now: Date, t: Translate = englishMessage): ExpirationOption[] {
  const presets = PRESET_DAYS.filter((days) => !max.enforced || days <= max.days);
  const recommended = presets.includes(RECOMMENDED_DAYS) ? RECOMMENDED_DAYS : presets[presets.length - 1];
  const options: ExpirationOption[] = presets.map((days) => {
    const date = utcDayPlus(now, days);
    return {
      label: t('{0} days', days),
      description: t('expires on {0}', date),
      choice: { kind: 'days', days, date },
      recommended: days === recommended,
    };
  });
  if (!max.enforced) {
    options.push({ label: t('No expiration'), choice: { kind: 'never' } });
  }
  const latest = latestExpirationDate(max, now);
  options.push({
    label: t('Custom date…'),
    description: latest
      ? t('between {0} and {1}', earliestExpirationDate(now), latest)
      : t('from {0} on', earliestExpirationDate(now)),
    choice: { kind: 'custom' },
  });
  return options;
}

export type ParsedExpirationDate = { readonly ok: true; readonly date: string } | { readonly ok: false; readonly reason: string };

/** Checks a typed `YYYY-MM-DD` date the way the server will: a real date, tomorrow (UTC) or later, within the maximum. */
export function parseExpirationDate(input: string, max: MaxTokenLifetime, now: Date, t: Translate = englishMessage): ParsedExpirationDate {
  const text = input.trim();
  if (!parseUtcDay(text)) {
    return { ok: false, reason: t('Enter a date as YYYY-MM-DD, for example {0}.', utcDayPlus(now, 30)) };
  }
  const earliest = earliestExpirationDate(now);
  // `YYYY-MM-DD` strings compare like the dates they name.
  if (text < earliest) return { ok: false, reason: t('The date must be {0} or later.', earliest) };
  if (max.enforced) {
    const latest = utcDayPlus(now, max.days);
    if (text > latest) {
      return { ok: false, reason: t('This server allows tokens to live at most {0} days: choose {1} or earlier.', max.days, latest) };
    }
  }
  return { ok: true, date: text };
}

// What a listed token's dates mean today: expired, expiring soon, idle long enough for Cloud to remove it.
import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import type { TokenType, UserToken } from '../sonar/types';
import { DAY_MS, parseServerDate, wholeDaysBetween } from './dates';

/** SonarQube Cloud removes personal tokens not used for this many days. */
export const CLOUD_INACTIVITY_REMOVAL_DAYS = 60;
/** Idle days after which the Cloud removal is worth a warning. */
export const CLOUD_INACTIVITY_WARNING_DAYS = 50;

export interface TokenState {
  readonly expired: boolean;
  /** Not expired, and expiring within the warning window. */
  readonly expiringSoon: boolean;
  /** Whole days until expiry (0 = less than a day); undefined without an expiration date or once expired. */
  readonly daysUntilExpiry?: number;
  /** Whole days since last use; undefined when never used. */
  readonly daysSinceLastUse?: number;
  /** Cloud only: days before the token is removed for inactivity, when that is near. */
  readonly inactivityDaysLeft?: number;
}

export interface TokenStateOptions {
  readonly now: Date;
  readonly warningDays: number;
  readonly isCloud: boolean;
}

export function tokenState(token: UserToken, { now, warningDays, isCloud }: TokenStateOptions): TokenState {
  const expiresAt = parseServerDate(token.expirationDate);
  const expired = token.isExpired === true || (expiresAt !== undefined && expiresAt.getTime() <= now.getTime());
  const daysUntilExpiry = expiresAt && !expired ? wholeDaysBetween(now, expiresAt) : undefined;
  const expiringSoon = expiresAt !== undefined && !expired && expiresAt.getTime() - now.getTime() <= warningDays * DAY_MS;
  const lastUsed = parseServerDate(token.lastConnectionDate);
  const daysSinceLastUse = lastUsed ? Math.max(0, wholeDaysBetween(lastUsed, now)) : undefined;
  // Cloud counts inactivity from creation for a token never used.
  const idleSince = lastUsed ?? parseServerDate(token.createdAt);
  const idleDays = idleSince ? Math.max(0, wholeDaysBetween(idleSince, now)) : undefined;
  const inactivityDaysLeft =
    isCloud && !expired && idleDays !== undefined && idleDays >= CLOUD_INACTIVITY_WARNING_DAYS
      ? Math.max(0, CLOUD_INACTIVITY_REMOVAL_DAYS - idleDays)
      : undefined;
  return { expired, expiringSoon, daysUntilExpiry, daysSinceLastUse, inactivityDaysLeft };
}

export function tokenTypeLabel(type: TokenType, t: Translate = englishMessage): string {
  switch (type) {
    case 'USER_TOKEN':
      return t('User');
    case 'GLOBAL_ANALYSIS_TOKEN':
      return t('Global Analysis');
    case 'PROJECT_ANALYSIS_TOKEN':
      return t('Project Analysis');
  }
}

/** "expires in 12 days", "expires today", "expired" or "no expiry". */
export function expiryWords(state: TokenState, t: Translate = englishMessage): string {
  if (state.expired) return t('expired');
  if (state.daysUntilExpiry === undefined) return t('no expiry');
  if (state.daysUntilExpiry === 0) return t('expires today');
  if (state.daysUntilExpiry === 1) return t('expires in 1 day');
  return t('expires in {0} days', state.daysUntilExpiry);
}

/** "last used 3 days ago", "last used today", "never used"; months and years once days stop being readable. */
export function lastUseWords(state: TokenState, t: Translate = englishMessage): string {
  const days = state.daysSinceLastUse;
  if (days === undefined) return t('never used');
  if (days === 0) return t('last used today');
  if (days === 1) return t('last used yesterday');
  if (days < 60) return t('last used {0} days ago', days);
  if (days < 730) return t('last used {0} months ago', Math.floor(days / 30));
  return t('last used {0} years ago', Math.floor(days / 365));
}

/** "removed after 60 days of inactivity: 7 days left", or undefined when no warning is due. */
export function inactivityWarning(state: TokenState, t: Translate = englishMessage): string | undefined {
  if (state.inactivityDaysLeft === undefined) return undefined;
  return state.inactivityDaysLeft === 1
    ? t('removed after {0} days of inactivity: 1 day left', CLOUD_INACTIVITY_REMOVAL_DAYS)
    : t('removed after {0} days of inactivity: {1} days left', CLOUD_INACTIVITY_REMOVAL_DAYS, state.inactivityDaysLeft);
}

/** The one-line description a tree item shows: `User · my-project · expires in 12 days · last used 3 days ago`. */
export function describeToken(token: UserToken, state: TokenState, t: Translate = englishMessage): string {
  return [tokenTypeLabel(token.type, t), token.project?.name ?? token.project?.key, expiryWords(state, t), lastUseWords(state, t)]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' · ');
}

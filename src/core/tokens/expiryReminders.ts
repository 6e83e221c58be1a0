// Which bound tokens need the person's attention: expiring soon, expired, or gone from the server (revoked elsewhere).
import type { ConnectionRecord } from '../connections/connectionStore';
import type { Translate } from '../ports';
import { tokenState } from '../policy/tokenState';
import type { TokenState } from '../policy/tokenState';
import type { TokenRef } from '../secrets/keys';
import type { UserToken } from '../sonar/types';

export type ReminderReason = { readonly kind: 'expiring'; readonly days: number } | { readonly kind: 'expired' } | { readonly kind: 'gone' };

export interface Reminder {
  readonly ref: TokenRef;
  readonly connectionLabel: string;
  readonly reason: ReminderReason;
}

export interface BoundToken {
  readonly ref: TokenRef;
  readonly connectionLabel: string;
}

/**
 * `listed(ref)` gives the server's current list for the token's owner, or undefined when it could not be loaded
 * (then nothing is said about that token: an unreachable server is not a revoked token).
 */
export function remindersFor(
  bound: readonly BoundToken[],
  listed: (ref: TokenRef) => readonly UserToken[] | undefined,
  now: Date,
  warningDays: number,
): Reminder[] {
  const seen = new Set<string>();
  const reminders: Reminder[] = [];
  for (const { ref, connectionLabel } of bound) {
    const key = JSON.stringify([ref.connectionId, ref.login, ref.name]);
    if (seen.has(key)) continue;
    seen.add(key);
    const tokens = listed(ref);
    if (!tokens) continue;
    const token = tokens.find((candidate) => candidate.name === ref.name);
    if (!token) {
      reminders.push({ ref, connectionLabel, reason: { kind: 'gone' } });
      continue;
    }
    const state = tokenState(token, { now, warningDays, isCloud: false });
    if (state.expired) reminders.push({ ref, connectionLabel, reason: { kind: 'expired' } });
    else if (state.expiringSoon) reminders.push({ ref, connectionLabel, reason: { kind: 'expiring', days: state.daysUntilExpiry ?? 0 } });
  }
  return reminders;
}

/** One notification for all of them: the first few named, the rest counted. */
export function reminderMessage(reminders: readonly Reminder[], t: Translate): string {
  const describe = (reminder: Reminder) => {
    const { name } = reminder.ref;
    switch (reminder.reason.kind) {
      case 'expired':
        return t('{0} on {1} has expired', name, reminder.connectionLabel);
      case 'gone':
        return t('{0} on {1} was revoked or removed on the server', name, reminder.connectionLabel);
      case 'expiring':
        if (reminder.reason.days === 0) return t('{0} on {1} expires today', name, reminder.connectionLabel);
        if (reminder.reason.days === 1) return t('{0} on {1} expires in 1 day', name, reminder.connectionLabel);
        return t('{0} on {1} expires in {2} days', name, reminder.connectionLabel, reminder.reason.days);
    }
  };
  const shown = reminders.slice(0, 3).map(describe).join('; ');
  const more = reminders.length > 3 ? t(' and {0} more', reminders.length - 3) : '';
  return reminders.length === 1
    ? t('A bound token needs attention: {0}.', shown)
    : t({ message: '{0} bound tokens need attention: {1}{2}.', comment: ['{0} is a number; {1} a list of tokens separated by semicolons; {2} is either empty or " and N more".'] }, reminders.length, shown, more);
}

export const REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Once a day across windows: `lastShown` is kept in globalState. */
export function reminderDue(lastShown: string | undefined, now: Date): boolean {
  const last = lastShown ? Date.parse(lastShown) : NaN;
  return Number.isNaN(last) || now.getTime() - last >= REMINDER_INTERVAL_MS;
}

/** How the connection's own sign-in token stands today; undefined when it never expires or its expiry is not known. */
export function signInTokenState(connection: ConnectionRecord, now: Date, warningDays: number): TokenState | undefined {
  if (connection.signInExpiresAt === undefined) return undefined;
  const asListed = { name: '', type: 'USER_TOKEN' as const, createdAt: connection.addedAt, expirationDate: connection.signInExpiresAt };
  return tokenState(asListed, { now, warningDays, isCloud: false });
}

export interface SignInReminder {
  readonly connection: ConnectionRecord;
  readonly reason: Exclude<ReminderReason, { kind: 'gone' }>;
}

/**
 * Connections whose sign-in token expires within the warning window or has expired: the extension's own access then
 * stops on a fixed day (a browser sign-in's token lasts a year, or the server's maximum), so it says so before.
 */
export function signInRemindersFor(connections: readonly ConnectionRecord[], now: Date, warningDays: number): SignInReminder[] {
  return connections.flatMap((connection): SignInReminder[] => {
    const state = signInTokenState(connection, now, warningDays);
    if (state?.expired) return [{ connection, reason: { kind: 'expired' } }];
    if (state?.expiringSoon) return [{ connection, reason: { kind: 'expiring', days: state.daysUntilExpiry ?? 0 } }];
    return [];
  });
}

/** One notification for every connection whose sign-in needs renewing; it comes with "Sign in again". */
export function signInReminderMessage(reminders: readonly SignInReminder[], t: Translate): string {
  const describe = ({ connection, reason }: SignInReminder) => {
    if (reason.kind === 'expired') return t('the sign-in to {0} has expired', connection.label);
    if (reason.days === 0) return t('the sign-in to {0} expires today', connection.label);
    if (reason.days === 1) return t('the sign-in to {0} expires in 1 day', connection.label);
    return t('the sign-in to {0} expires in {1} days', connection.label, reason.days);
  };
  const shown = reminders.slice(0, 3).map(describe).join('; ');
  const more = reminders.length > 3 ? t(' and {0} more', reminders.length - 3) : '';
  return t({ message: 'Sign in again to keep managing tokens: {0}{1}.', comment: ['{0} is a list of sign-ins separated by semicolons; {1} is either empty or " and N more".'] }, shown, more);
}

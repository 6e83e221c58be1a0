import * as assert from 'node:assert/strict';
import { bundleTranslator } from '../support/bundleTranslator';
import { REMINDER_INTERVAL_MS, reminderDue, reminderMessage, remindersFor, signInReminderMessage, signInTokenState } from '../../../src/core/tokens/expiryReminders';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import type { UserToken } from '../../../src/core/sonar/types';

const now = new Date('2026-11-22T12:00:00Z');
const ref = (name: string, connectionId = 'c') => ({ connectionId, login: 'alice', name });
const listed: UserToken[] = [
  { name: 'soon', type: 'USER_TOKEN', createdAt: '2026-10-01T00:00:00+0000', expirationDate: '2026-11-25T00:00:00+0000' },
  { name: 'later', type: 'USER_TOKEN', createdAt: '2026-10-01T00:00:00+0000', expirationDate: '2027-01-25T00:00:00+0000' },
  { name: 'dead', type: 'USER_TOKEN', createdAt: '2026-10-01T00:00:00+0000', expirationDate: '2026-11-01T00:00:00+0000', isExpired: true },
  { name: 'forever', type: 'USER_TOKEN', createdAt: '2026-10-01T00:00:00+0000' },
];

describe('expiry reminders', () => {
  it('names expiring, expired and vanished bound tokens once each, and nothing for unreachable servers', () => {
    const bound = ['soon', 'later', 'dead', 'forever', 'gone', 'soon'].map((name) => ({ ref: ref(name), connectionLabel: 'sq.example.com' }));
    bound.push({ ref: ref('elsewhere', 'down'), connectionLabel: 'down.example.com' });
    const reminders = remindersFor(bound, (r) => (r.connectionId === 'c' ? listed : undefined), now, 7);
    assert.deepEqual(
      reminders.map((reminder) => [reminder.ref.name, reminder.reason]),
      [['soon', { kind: 'expiring', days: 2 }], ['dead', { kind: 'expired' }], ['gone', { kind: 'gone' }]],
    );
    assert.equal(
      reminderMessage(reminders, bundleTranslator),
      '3 bound tokens need attention: soon on sq.example.com expires in 2 days; dead on sq.example.com has expired; gone on sq.example.com was revoked or removed on the server.',
    );
  });

  it('is due once a day', () => {
    assert.equal(reminderDue(undefined, now), true);
    assert.equal(reminderDue('2026-11-22T00:00:00Z', now), false);
    assert.equal(reminderDue('2026-11-21T11:59:00Z', now), true);
    assert.equal(reminderDue('garbage', now), true);
    assert.equal(reminderDue(new Date(now.getTime() - REMINDER_INTERVAL_MS).toISOString(), now), true, 'exactly a day later');
    assert.equal(reminderDue(new Date(now.getTime() - REMINDER_INTERVAL_MS + 1).toISOString(), now), false);
  });

  it('says one token in a sentence of its own, names three and counts the rest', () => {
    const expiring = (name: string, days: number) => ({ ref: ref(name), connectionLabel: 'sq', reason: { kind: 'expiring' as const, days } });
    assert.equal(reminderMessage([expiring('ide', 0)], bundleTranslator), 'A bound token needs attention: ide on sq expires today.');
    assert.equal(
      reminderMessage(['a', 'b', 'c', 'd', 'e'].map((name, index) => expiring(name, index + 1)), bundleTranslator),
      '5 bound tokens need attention: a on sq expires in 1 day; b on sq expires in 2 days; c on sq expires in 3 days and 2 more.',
    );
  });

  it('judges a sign-in token by its expiry alone, and says nothing of one that never expires', () => {
    const connection = (signInExpiresAt?: string): ConnectionRecord => ({
      id: 'c', target: { kind: 'server', serverUrl: 'https://sq.example.com' }, label: 'sq', login: 'alice',
      // Added long ago and never used: a Cloud rule on inactivity would call it stale.
      addedAt: '2024-01-01T00:00:00Z', ...(signInExpiresAt ? { signInExpiresAt } : {}),
    });
    assert.equal(signInTokenState(connection(), now, 7), undefined);
    const later = signInTokenState(connection('2027-06-01T00:00:00+0000'), now, 7);
    assert.equal(later?.expired, false);
    assert.equal(later?.expiringSoon, false);
    assert.equal(later?.inactivityDaysLeft, undefined, 'never judged as a Cloud token by its inactivity');
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((label) => ({ ...connection('2026-11-20T00:00:00+0000'), label }));
    assert.equal(
      signInReminderMessage([
        { connection: a, reason: { kind: 'expired' } },
        { connection: b, reason: { kind: 'expiring', days: 1 } },
        { connection: c, reason: { kind: 'expiring', days: 5 } },
        { connection: d, reason: { kind: 'expiring', days: 0 } },
      ], bundleTranslator),
      'Sign in again to keep managing tokens: the sign-in to a has expired; the sign-in to b expires in 1 day; the sign-in to c expires in 5 days and 1 more.',
    );
  });
});

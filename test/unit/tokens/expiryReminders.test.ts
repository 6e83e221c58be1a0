import * as assert from 'node:assert/strict';
import { englishMessage } from '../../../src/core/ports';
import { reminderDue, reminderMessage, remindersFor } from '../../../src/core/tokens/expiryReminders';
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
      reminderMessage(reminders, englishMessage),
      '3 bound tokens need attention: soon on sq.example.com expires in 2 days; dead on sq.example.com has expired; gone on sq.example.com was revoked or removed on the server.',
    );
  });

  it('is due once a day', () => {
    assert.equal(reminderDue(undefined, now), true);
    assert.equal(reminderDue('2026-11-22T00:00:00Z', now), false);
    assert.equal(reminderDue('2026-11-21T11:59:00Z', now), true);
    assert.equal(reminderDue('garbage', now), true);
  });
});

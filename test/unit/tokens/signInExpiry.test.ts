// The connection's own sign-in token expires (a browser sign-in's lasts a year): the tree shows when, the reminder
// says so with "Sign in again" before it lapses.
import * as assert from 'node:assert/strict';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { silentLogger } from '../../../src/core/ports';
import { bundleTranslator } from '../support/bundleTranslator';
import { signInReminderMessage, signInRemindersFor } from '../../../src/core/tokens/expiryReminders';
import { TokensModel } from '../../../src/core/tokens/tokensModel';
import { childrenOf, presentNode } from '../../../src/core/tokens/treeNodes';
import type { TreeContext } from '../../../src/core/tokens/treeNodes';
import { FakeTokenApi } from '../support/fakeTokenApi';

const now = new Date('2026-03-05T12:00:00Z');

function connection(id: string, signInExpiresAt?: string): ConnectionRecord {
  return {
    id,
    target: { kind: 'server', serverUrl: `https://${id}.example.com` },
    label: `${id}.example.com`,
    login: 'ada',
    addedAt: '2025-03-10T09:00:00.000Z',
    ...(signInExpiresAt ? { signInExpiresAt } : {}),
  };
}

async function presented(record: ConnectionRecord) {
  const model = new TokensModel({ apiFor: async () => new FakeTokenApi({ user: { login: 'ada' } }), logger: silentLogger });
  const context: TreeContext = {
    connections: [record],
    model,
    isHeld: () => false,
    bindingsOf: () => [],
    now,
    warningDays: 7,
    t: bundleTranslator,
    commands: { signInAgain: 'signIn', loadMoreUsers: 'more', generateToken: 'generate' },
  };
  await model.loadTokens(record.id);
  const [node] = childrenOf(undefined, context);
  return presentNode(node, context);
}

describe('sign-in token expiry', () => {
  it('shows on the connection: in its tooltip always, in its description and icon once within the warning window', async () => {
    const later = await presented(connection('far', '2027-03-10T00:00:00+0000'));
    assert.equal(later.description, 'ada');
    assert.equal(later.icon?.id, 'server');
    assert.match(later.tooltip?.() ?? '', /Sign-in token: expires in 369 days \(2027-03-10\)/);

    const soon = await presented(connection('soon', '2026-03-10T00:00:00+0000'));
    assert.equal(soon.description, 'ada · sign-in token expires in 4 days');
    assert.deepEqual(soon.icon, { id: 'warning', color: 'list.warningForeground' });
    assert.match(soon.accessibilityLabel, /sign-in token expires in 4 days$/);

    const never = await presented(connection('never'));
    assert.equal(never.description, 'ada');
    assert.doesNotMatch(never.tooltip?.() ?? '', /Sign-in token/);
  });

  it('reminds before the sign-in lapses and once it has, naming each connection', () => {
    const connections = [
      connection('far', '2027-03-10T00:00:00+0000'),
      connection('soon', '2026-03-10T00:00:00+0000'),
      connection('today', '2026-03-05T18:00:00+0000'),
      connection('gone', '2026-03-01T00:00:00+0000'),
      connection('never'),
    ];
    const reminders = signInRemindersFor(connections, now, 7);
    assert.deepEqual(
      reminders.map((reminder) => [reminder.connection.id, reminder.reason]),
      [
        ['soon', { kind: 'expiring', days: 4 }],
        ['today', { kind: 'expiring', days: 0 }],
        ['gone', { kind: 'expired' }],
      ],
    );
    assert.equal(
      signInReminderMessage(reminders, bundleTranslator),
      'Sign in again to keep managing tokens: the sign-in to soon.example.com expires in 4 days; the sign-in to today.example.com expires today; the sign-in to gone.example.com has expired.',
    );
    assert.deepEqual(signInRemindersFor(connections, now, 3).map((reminder) => reminder.connection.id), ['today', 'gone']);
  });
});

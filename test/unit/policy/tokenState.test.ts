import * as assert from 'node:assert/strict';
import { describeToken, inactivityWarning, tokenState } from '../../../src/core/policy/tokenState';
import { messageText } from '../../../src/core/ports';
import type { Translate } from '../../../src/core/ports';
import type { UserToken } from '../../../src/core/sonar/types';

const now = new Date('2025-06-15T12:00:00Z');
const server = { now, warningDays: 7, isCloud: false };
const cloud = { ...server, isCloud: true };

function token(overrides: Partial<UserToken> = {}): UserToken {
  return { name: 'laptop', type: 'USER_TOKEN', createdAt: '2025-06-01T10:00:00+0200', ...overrides };
}

describe('token descriptions', () => {
  it('joins type, project, expiry and last use', () => {
    const analysis = token({
      type: 'PROJECT_ANALYSIS_TOKEN',
      project: { key: 'acme:web', name: 'Acme Web' },
      expirationDate: '2025-06-28T00:00:00+0000',
      lastConnectionDate: '2025-06-12T09:00:00+0000',
    });
    assert.equal(describeToken(analysis, tokenState(analysis, server)), 'Project Analysis · Acme Web · expires in 12 days · last used 3 days ago');
  });

  it('words expiry: no expiry, in N days, in 1 day, today, expired', () => {
    const words = (overrides: Partial<UserToken>) => describeToken(token(overrides), tokenState(token(overrides), server));
    assert.equal(words({}), 'User · no expiry · never used');
    assert.equal(words({ expirationDate: '2025-06-17T00:00:00+0000' }), 'User · expires in 1 day · never used');
    assert.equal(words({ expirationDate: '2025-06-16T00:00:00+0000' }), 'User · expires today · never used');
    assert.equal(words({ expirationDate: '2025-06-15T00:00:00+0000' }), 'User · expired · never used');
    assert.equal(words({ expirationDate: '2025-07-01T00:00:00+0000', isExpired: true }), 'User · expired · never used');
  });

  it('words last use in days, months and years', () => {
    const lastUse = (lastConnectionDate: string) => describeToken(token({ lastConnectionDate }), tokenState(token({ lastConnectionDate }), server)).split(' · ')[2];
    assert.equal(lastUse('2025-06-15T08:00:00+0000'), 'last used today');
    assert.equal(lastUse('2025-06-14T08:00:00+0000'), 'last used yesterday');
    assert.equal(lastUse('2025-04-17T08:00:00+0000'), 'last used 59 days ago');
    assert.equal(lastUse('2025-04-16T08:00:00+0000'), 'last used 2 months ago');
    assert.equal(lastUse('2025-04-01T08:00:00+0000'), 'last used 2 months ago');
    assert.equal(lastUse('2023-06-17T08:00:00+0000'), 'last used 24 months ago');
    assert.equal(lastUse('2023-06-16T08:00:00+0000'), 'last used 2 years ago');
    assert.equal(lastUse('2022-06-01T08:00:00+0000'), 'last used 3 years ago');
  });

  it('goes through Translate', () => {
    const upper: Translate = (message, ...args) => messageText(message).toUpperCase().replace('{0}', String(args[0]));
    assert.equal(describeToken(token(), tokenState(token(), server), upper), 'USER · NO EXPIRY · NEVER USED');
  });
});

describe('token state flags', () => {
  it('marks expiring within the warning window, not beyond it and not once expired', () => {
    assert.equal(tokenState(token({ expirationDate: '2025-06-22T00:00:00+0000' }), server).expiringSoon, true);
    assert.equal(tokenState(token({ expirationDate: '2025-06-23T00:00:00+0000' }), server).expiringSoon, false);
    const expired = tokenState(token({ expirationDate: '2025-06-01T00:00:00+0000' }), server);
    assert.deepEqual([expired.expired, expired.expiringSoon], [true, false]);
  });

  it('warns about Cloud inactivity from 50 idle days on, counting from creation when never used', () => {
    assert.equal(tokenState(token({ lastConnectionDate: '2025-04-27T11:00:00+0000' }), cloud).inactivityDaysLeft, undefined);
    const idle50 = tokenState(token({ lastConnectionDate: '2025-04-26T11:00:00+0000' }), cloud);
    assert.equal(idle50.inactivityDaysLeft, 10);
    assert.equal(inactivityWarning(idle50), 'removed after 60 days of inactivity: 10 days left');
    const neverUsed = tokenState(token({ createdAt: '2025-04-17T00:00:00+0000' }), cloud);
    assert.equal(inactivityWarning(neverUsed), 'removed after 60 days of inactivity: 1 day left');
    assert.equal(tokenState(token({ createdAt: '2025-01-01T00:00:00+0000' }), cloud).inactivityDaysLeft, 0);
  });

  it('never warns about inactivity on a Server', () => {
    const state = tokenState(token({ lastConnectionDate: '2025-01-01T00:00:00+0000' }), server);
    assert.equal(state.inactivityDaysLeft, undefined);
    assert.equal(inactivityWarning(state), undefined);
  });
});

import * as assert from 'node:assert/strict';
import { expirationOptions, parseExpirationDate } from '../../../src/core/policy/expiration';
import type { MaxTokenLifetime } from '../../../src/core/sonar/types';

const now = new Date('2025-01-31T22:00:00Z');
const labels = (max: MaxTokenLifetime) => expirationOptions(max, now).map((option) => option.label);

describe('expiration options', () => {
  it('offers every preset, no expiration and a custom date when no maximum is enforced', () => {
    assert.deepEqual(labels({ enforced: false }), ['30 days', '90 days', '365 days', 'No expiration', 'Custom date…']);
  });

  it('offers only presets within an enforced maximum and never "No expiration"', () => {
    assert.deepEqual(labels({ enforced: true, days: 30 }), ['30 days', 'Custom date…']);
    assert.deepEqual(labels({ enforced: true, days: 90 }), ['30 days', '90 days', 'Custom date…']);
    assert.deepEqual(labels({ enforced: true, days: 365 }), ['30 days', '90 days', '365 days', 'Custom date…']);
  });

  it('computes preset dates in UTC and recommends 90 days, or the longest allowed', () => {
    const options = expirationOptions({ enforced: false }, now);
    assert.deepEqual(options[0].choice, { kind: 'days', days: 30, date: '2025-03-02' });
    assert.equal(options.find((option) => option.recommended)?.label, '90 days');
    assert.equal(expirationOptions({ enforced: true, days: 30 }, now).find((option) => option.recommended)?.label, '30 days');
  });

  it('describes the custom range', () => {
    const custom = (max: MaxTokenLifetime) => expirationOptions(max, now).at(-1)?.description;
    assert.equal(custom({ enforced: true, days: 30 }), 'between 2025-02-01 and 2025-03-02');
    assert.equal(custom({ enforced: false }), 'from 2025-02-01 on');
  });
});

describe('typed expiration dates', () => {
  const unlimited: MaxTokenLifetime = { enforced: false };

  it('accepts tomorrow (UTC) and later', () => {
    assert.deepEqual(parseExpirationDate(' 2025-02-01 ', unlimited, now), { ok: true, date: '2025-02-01' });
    assert.deepEqual(parseExpirationDate('2030-12-31', unlimited, now), { ok: true, date: '2030-12-31' });
  });

  it('refuses today, the past, bad formats and impossible dates', () => {
    for (const input of ['2025-01-31', '2024-12-31']) {
      const parsed = parseExpirationDate(input, unlimited, now);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.reason, /2025-02-01 or later/);
    }
    for (const input of ['2025-2-1', '01/02/2025', '2025-02-30', '', 'tomorrow']) {
      const parsed = parseExpirationDate(input, unlimited, now);
      assert.match(parsed.ok ? '' : parsed.reason, /YYYY-MM-DD/, input);
    }
  });

  it('accepts exactly today + N days under an enforced maximum, not a day more', () => {
    const max: MaxTokenLifetime = { enforced: true, days: 30 };
    assert.deepEqual(parseExpirationDate('2025-03-02', max, now), { ok: true, date: '2025-03-02' });
    const beyond = parseExpirationDate('2025-03-03', max, now);
    assert.match(beyond.ok ? '' : beyond.reason, /at most 30 days: choose 2025-03-02 or earlier/);
  });
});

// Attack: copy a token, close the window before the clear timer fires: the timer dies with the extension host and
// the token stays on the clipboard for whatever runs next.
import * as assert from 'node:assert/strict';
import { PendingClears } from '../../../src/core/clipboard/autoClear';
import type { Timers } from '../../../src/core/clipboard/autoClear';
import { copyTokenFlow } from '../../../src/core/flows/copyToken';
import { freshTokenValue } from '../support/fakeTokenApi';
import { manualTimers } from '../support/manualTimers';
import { environment, serverConnection } from '../flows/harness';

const ref = { connectionId: 'conn-1', login: 'alice', name: 'laptop' };

async function copied(pending: PendingClears, timers: Timers) {
  const env = environment([]);
  const value = freshTokenValue();
  await env.vault.store(ref, value);
  await copyTokenFlow({ ...env.deps, clipboard: { clipboard: env.clipboard, clearSeconds: 60, timers, pending } }, serverConnection, ref);
  assert.equal(env.clipboard.text, value);
  return { env, value };
}

describe('attack: a copied token outlives the window', () => {
  it('clears the clipboard on deactivation while it still holds the copied token', async () => {
    const pending = new PendingClears();
    const { env, value } = await copied(pending, manualTimers());
    await pending.clearNow(env.clipboard, env.logger);
    assert.equal(env.clipboard.text, '');
    env.assertNoLeak(value);
  });

  it('leaves what the person copied since alone', async () => {
    const pending = new PendingClears();
    const { env } = await copied(pending, manualTimers());
    env.clipboard.text = 'a shopping list';
    await pending.clearNow(env.clipboard);
    assert.equal(env.clipboard.text, 'a shopping list');
  });

  it('forgets a copy once its own timer cleared it, so deactivation touches nothing', async () => {
    const pending = new PendingClears();
    const timers = manualTimers();
    const { env } = await copied(pending, timers);
    timers.fire();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(env.clipboard.text, '');
    assert.equal(pending.size, 0);
    env.clipboard.text = 'copied afterwards';
    await pending.clearNow(env.clipboard);
    assert.equal(env.clipboard.text, 'copied afterwards');
  });

  it('tracks nothing when clearing is off (0 seconds: the person chose to keep it)', async () => {
    const pending = new PendingClears();
    const env = environment([]);
    await env.vault.store(ref, freshTokenValue());
    await copyTokenFlow({ ...env.deps, clipboard: { clipboard: env.clipboard, clearSeconds: 0, pending } }, serverConnection, ref);
    assert.equal(pending.size, 0);
  });
});

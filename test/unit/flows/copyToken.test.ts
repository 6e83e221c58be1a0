import * as assert from 'node:assert/strict';
import { copyTokenFlow } from '../../../src/core/flows/copyToken';
import { freshTokenValue } from '../support/fakeTokenApi';
import { environment, serverConnection } from './harness';

const ref = { connectionId: 'conn-1', login: 'alice', name: 'laptop' };

describe('copyTokenFlow', () => {
  it('copies a held value and says when the clipboard will be cleared', async () => {
    const env = environment([]);
    const value = freshTokenValue();
    await env.vault.store(ref, value);
    const pending = await copyTokenFlow(env.deps, serverConnection, ref);
    assert.ok(pending);
    assert.equal(env.clipboard.text, value);
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop copied. The clipboard will be cleared in 30 seconds.']);
    env.assertNoLeak(value);
    pending.dispose();
  });

  it('tells "not held" and "secure storage failed" apart', async () => {
    const missing = environment([]);
    assert.equal(await copyTokenFlow(missing.deps, serverConnection, ref), undefined);
    assert.match(missing.prompter.messages('error')[0], /is not in secure storage on this computer/);

    const broken = environment([]);
    await broken.vault.store(ref, freshTokenValue());
    broken.secrets.failing.add('get');
    assert.equal(await copyTokenFlow(broken.deps, serverConnection, ref), undefined);
    assert.match(broken.prompter.messages('error')[0], /^Secure storage is not available/);
    assert.equal(broken.clipboard.text, '');
  });
});

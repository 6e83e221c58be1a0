import * as assert from 'node:assert/strict';
import { copyTokenFlow } from '../../../src/core/flows/copyToken';
import { freshTokenValue } from '../support/fakeTokenApi';
import { environment, manualTimers, serverConnection } from './harness';

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

  it('with clearing switched off (0 seconds) says only that the value was copied, and arranges no clear', async () => {
    const env = environment([]);
    const value = freshTokenValue();
    await env.vault.store(ref, value);
    const deps = { ...env.deps, clipboard: { ...env.deps.clipboard, clearSeconds: 0 } };
    const before = manualTimers.pending.size;
    await copyTokenFlow(deps, serverConnection, ref);
    assert.equal(env.clipboard.text, value);
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop copied.']);
    assert.equal(manualTimers.pending.size, before);
    env.assertNoLeak(value);
  });

  it('says word for word that a value not held here cannot be copied, and what to do instead', async () => {
    const env = environment([]);
    assert.equal(await copyTokenFlow(env.deps, serverConnection, ref), undefined);
    assert.deepEqual(env.prompter.calls, [
      { kind: 'error', text: 'The value of token laptop on sonar.example.com is not in secure storage on this computer. Generate a new token to get a value to copy.', actions: [] },
    ]);
    assert.deepEqual(env.logger.lines, []);
    assert.equal(env.clipboard.text, '');
  });

  it('logs which token could not be read from secure storage, by the error\'s name only', async () => {
    const env = environment([]);
    const value = freshTokenValue();
    await env.vault.store(ref, value);
    env.secrets.failing.add('get');
    await copyTokenFlow(env.deps, serverConnection, ref);
    assert.deepEqual(env.logger.lines, ['error [copy] reading token "laptop" of sonar.example.com failed: SecretStoreError']);
    env.assertNoLeak(value);
  });
});

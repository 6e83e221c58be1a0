// Two VS Code windows share one SecretStorage and one globalState: generating in one and revoking in the other,
// at the same time, must leave both with the same, correct view and the held-token index in step with the secrets.
import * as assert from 'node:assert/strict';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import { revokeTokenFlow } from '../../../src/core/flows/revokeToken';
import { englishMessage, silentLogger } from '../../../src/core/ports';
import type { SecretStore } from '../../../src/core/ports';
import { parseSecretKey, tokenSecretKey } from '../../../src/core/secrets/keys';
import { HeldTokens, TokenVault } from '../../../src/core/tokens/heldTokens';
import { TokensModel } from '../../../src/core/tokens/tokensModel';
import { FakeTokenApi } from '../support/fakeTokenApi';
import { memorySecretStore } from '../support/memorySecretStore';
import type { MemorySecretStore } from '../support/memorySecretStore';
import { memoryState } from '../support/memoryState';
import { ScriptedPrompter } from '../support/scriptedPrompter';
import { FakeClipboard, manualTimers, NOW, serverConnection } from '../flows/harness';

describe('two windows', () => {
  it('generate in one and revoke in the other end with the same tokens and no stray secret', async () => {
    const server = new FakeTokenApi({ tokens: { alice: [{ name: 'old', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } });
    const secrets = memorySecretStore();
    const state = memoryState();
    const window = (script: ConstructorParameters<typeof ScriptedPrompter>[0]) => {
      const vault = new TokenVault(secrets, new HeldTokens(state, silentLogger));
      const prompter = new ScriptedPrompter(script);
      const model = new TokensModel({ apiFor: async () => server, logger: silentLogger });
      const deps = { prompter, vault, clock: { now: () => NOW }, t: englishMessage, logger: silentLogger, api: server, machineName: 'box', clipboard: { clipboard: new FakeClipboard(), clearSeconds: 30, timers: manualTimers } };
      return { vault, model, deps };
    };
    const first = window([{ input: async () => 'laptop' }, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }, { input: async () => 'desktop' }, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]);
    const second = window([{ confirm: true }]);
    await Promise.all([first.model.loadTokens(serverConnection.id), second.model.loadTokens(serverConnection.id)]);

    const [generated] = await Promise.all([
      generateTokenFlow(first.deps, serverConnection).then(async (laptop) => [laptop, await generateTokenFlow(first.deps, serverConnection)]),
      revokeTokenFlow(second.deps, serverConnection, { login: 'alice', name: 'old' }, { usedBy: [] }),
    ]);
    assert.deepEqual(generated.map((result) => result?.ref.name), ['laptop', 'desktop']);
    await second.deps.vault.delete({ connectionId: serverConnection.id, login: 'alice', name: 'laptop' });
    await server.revokeToken({ name: 'laptop' });

    await Promise.all([first.model.refresh([serverConnection.id]), second.model.refresh([serverConnection.id])]);
    const names = (model: TokensModel) => model.tokenList(serverConnection.id).tokens.map((token) => token.name).sort();
    assert.deepEqual(names(first.model), ['desktop']);
    assert.deepEqual(names(second.model), names(first.model));

    const held = new HeldTokens(state, silentLogger).list().map((ref) => ref.name).sort();
    const stored = [...secrets.values.keys()].map((key) => parseSecretKey(key)).flatMap((parsed) => (parsed?.kind === 'token' ? [parsed.ref.name] : [])).sort();
    assert.deepEqual(held, ['desktop']);
    assert.deepEqual(stored, held, 'every held entry has its secret and every secret its entry');
  });

  /**
   * A window's SecretStorage that stops right after one write of `key` (the secret written, the index not yet) until
   * `release` is called: the other window then runs a whole flow in that gap.
   */
  function stoppingSecrets(inner: MemorySecretStore, operation: 'store' | 'delete', key: string) {
    let reached!: () => void;
    let release!: () => void;
    const stopped = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const after = async (done: string) => {
      if (done === `${operation} ${key}`) {
        reached();
        await released;
      }
    };
    const secrets: SecretStore = {
      get: (name) => inner.get(name),
      store: async (name, value) => (await inner.store(name, value), after(`store ${name}`)),
      delete: async (name) => (await inner.delete(name), after(`delete ${name}`)),
    };
    return { secrets, stopped, release };
  }

  const schedules = [
    { name: 'the revoke runs between the new secret and its index entry', stopIn: 'generating' },
    { name: 'the generate runs between the deleted secret and its index entry', stopIn: 'revoking' },
  ] as const;

  for (const schedule of schedules) {
    it(`keeps the held index and the secrets in step when ${schedule.name}`, async () => {
      const server = new FakeTokenApi({ tokens: { alice: [{ name: 'laptop', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } });
      const secrets = memorySecretStore();
      const state = memoryState();
      const laptop = { connectionId: serverConnection.id, login: 'alice', name: 'laptop' };
      await new TokenVault(secrets, new HeldTokens(state, silentLogger)).store(laptop, 'laptop-value');
      const window = (secretStore: SecretStore, script: ConstructorParameters<typeof ScriptedPrompter>[0]) => {
        const vault = new TokenVault(secretStore, new HeldTokens(state, silentLogger));
        const model = new TokensModel({ apiFor: async () => server, logger: silentLogger });
        const deps = { prompter: new ScriptedPrompter(script), vault, clock: { now: () => NOW }, t: englishMessage, logger: silentLogger, api: server, machineName: 'box', clipboard: { clipboard: new FakeClipboard(), clearSeconds: 30, timers: manualTimers } };
        return { model, deps };
      };
      const stopping = schedule.stopIn === 'generating'
        ? stoppingSecrets(secrets, 'store', tokenSecretKey({ ...laptop, name: 'tablet' }))
        : stoppingSecrets(secrets, 'delete', tokenSecretKey(laptop));
      const generating = window(schedule.stopIn === 'generating' ? stopping.secrets : secrets, [{ input: async () => 'tablet' }, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }]);
      const revoking = window(schedule.stopIn === 'revoking' ? stopping.secrets : secrets, [{ confirm: true }]);
      const generate = () => generateTokenFlow(generating.deps, serverConnection);
      const revoke = () => revokeTokenFlow(revoking.deps, serverConnection, { login: 'alice', name: 'laptop' }, { usedBy: [] });

      const [stopped, inTheGap] = schedule.stopIn === 'generating' ? [generate(), revoke] : [revoke(), generate];
      await stopping.stopped;
      await inTheGap();
      stopping.release();
      await stopped;

      await Promise.all([generating.model.refresh([serverConnection.id]), revoking.model.refresh([serverConnection.id])]);
      const names = (model: TokensModel) => model.tokenList(serverConnection.id).tokens.map((token) => token.name);
      assert.deepEqual(names(generating.model), ['tablet']);
      assert.deepEqual(names(revoking.model), ['tablet']);
      const held = new HeldTokens(state, silentLogger).list().map((ref) => ref.name);
      const stored = [...secrets.values.keys()].map((key) => parseSecretKey(key)).flatMap((parsed) => (parsed?.kind === 'token' ? [parsed.ref.name] : []));
      assert.deepEqual(held, ['tablet']);
      assert.deepEqual(stored, ['tablet'], 'every held entry has its secret and every secret its entry');
    });
  }
});

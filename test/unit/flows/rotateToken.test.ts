import * as assert from 'node:assert/strict';
import { replacementExpiration, replacementName, rotateToken } from '../../../src/core/flows/rotateToken';
import type { RotationSteps } from '../../../src/core/flows/rotateToken';
import type { TokenRef } from '../../../src/core/secrets/keys';
import type { UserToken } from '../../../src/core/sonar/types';
import { FakeTokenApi } from '../support/fakeTokenApi';

const now = new Date('2026-11-22T09:00:00Z');
const old: TokenRef = { connectionId: 'c', login: 'alice', name: 'ide' };
const token: UserToken = { name: 'ide', type: 'USER_TOKEN', createdAt: '2026-10-23T10:00:00+0000', expirationDate: '2026-11-22T00:00:00+0000' };

type Step = 'generate' | 'store' | 'switch:b' | 'revokeOld';

/** A world with a server, a vault and bindings pointing at token refs; `failAt` breaks one step. */
function world(failAt?: Step) {
  const api = new FakeTokenApi({ tokens: { alice: [token] } });
  const vault = new Map<string, string>([['ide', 'old-value']]);
  const boundTo = new Map<string, string>([['a', 'ide'], ['b', 'ide'], ['c', 'ide']]);
  const steps: RotationSteps<string> = {
    generate: async (request) => {
      if (failAt === 'generate') throw new Error('generate failed');
      return api.generateToken(request);
    },
    storeValue: async (ref, value) => {
      if (failAt === 'store') throw new Error('keychain locked');
      vault.set(ref.name, value);
    },
    deleteValue: async (ref) => void vault.delete(ref.name),
    switchBinding: async (binding, _from, to) => {
      if (failAt === `switch:${binding}` && to.name !== 'ide') throw new Error(`switching ${binding} failed`);
      boundTo.set(binding, to.name);
    },
    revoke: async (ref) => {
      if (failAt === 'revokeOld' && ref.name === 'ide') throw new Error('revoke failed');
      await api.revokeToken({ name: ref.name });
    },
  };
  const names = () => (api.tokens.get('alice') ?? []).map((listed) => listed.name).sort();
  return { api, vault, boundTo, steps, names };
}

describe('rotate token', () => {
  it('generates a like replacement, switches every binding, then revokes the old token', async () => {
    const { steps, vault, boundTo, names, api } = world();
    const outcome = await rotateToken({ old, token, bindings: ['a', 'b', 'c'], newName: 'ide-2026-11-22', now }, steps);
    assert.deepEqual(outcome, { ok: true, replacement: { connectionId: 'c', login: 'alice', name: 'ide-2026-11-22' } });
    assert.deepEqual(names(), ['ide-2026-11-22']);
    assert.deepEqual([...boundTo.values()], ['ide-2026-11-22', 'ide-2026-11-22', 'ide-2026-11-22']);
    assert.deepEqual([...vault.keys()], ['ide-2026-11-22']);
    const generate = api.calls.find((call) => call.method === 'generateToken')!.args as Record<string, unknown>;
    assert.equal(generate.expirationDate, '2026-12-22', 'same 30-day lifetime from today');
    assert.equal(generate.type, 'USER_TOKEN');
  });

  for (const failAt of ['generate', 'store', 'switch:b', 'revokeOld'] as const) {
    it(`leaves the old token valid and bound when "${failAt}" fails`, async () => {
      const { steps, vault, boundTo, names } = world(failAt);
      const outcome = await rotateToken({ old, token, bindings: ['a', 'b', 'c'], newName: 'ide-2026-11-22', now }, steps);
      assert.equal(outcome.ok, false);
      if (!outcome.ok) {
        assert.equal(outcome.failedStep, failAt.replace(/:.*/, ''));
        assert.deepEqual(outcome.cleanupErrors, []);
      }
      assert.deepEqual(names(), ['ide'], 'the replacement is revoked again, the old token stays');
      assert.deepEqual([...boundTo.values()], ['ide', 'ide', 'ide']);
      assert.deepEqual([...vault.entries()], [['ide', 'old-value']]);
    });
  }

  it('names the replacement after the old token and keeps names unique', () => {
    assert.equal(replacementName('ide', now, []), 'ide-2026-11-22');
    assert.equal(replacementName('ide-2026-10-01', now, []), 'ide-2026-11-22');
    assert.equal(replacementName('ide', now, ['ide-2026-11-22']), 'ide-2026-11-22-2');
    assert.ok(replacementName('x'.repeat(100), now, []).length <= 100);
  });

  it('keeps "no expiry" tokens without expiry', () => {
    assert.equal(replacementExpiration({ ...token, expirationDate: undefined }, now), undefined);
  });
});

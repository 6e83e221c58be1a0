import * as assert from 'node:assert/strict';
import { ConfigFileError } from '../../../src/core/config/configFileError';
import { replacementExpiration, replacementName, rotateToken, rotateTokenFlow } from '../../../src/core/flows/rotateToken';
import type { RotateTokenFlowDeps, RotationSteps } from '../../../src/core/flows/rotateToken';
import { tokenSecretKey } from '../../../src/core/secrets/keys';
import type { TokenRef } from '../../../src/core/secrets/keys';
import type { UserToken } from '../../../src/core/sonar/types';
import { FakeTokenApi, freshTokenValue } from '../support/fakeTokenApi';
import type { ScriptStep } from '../support/scriptedPrompter';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { environment, recordedJournal, serverConnection } from './harness';

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
  });

  it('keeps "no expiry" tokens without expiry', () => {
    assert.equal(replacementExpiration({ ...token, expirationDate: undefined }, now), undefined);
  });

  it('never reuses the old name when it already ends in today\'s date (the server would refuse it)', () => {
    assert.equal(replacementName('ide-2026-11-22', now, []), 'ide-2026-11-22-2');
    assert.equal(replacementName('ide-2026-11-22-2', now, ['ide-2026-11-22']), 'ide-2026-11-22-3');
    assert.equal(replacementName('ide-2026-11-22', now, ['ide-2026-11-22-2']), 'ide-2026-11-22-3');
  });

  it("shortens a long name to keep today's date and the counter within 100 characters", () => {
    const long = 'x'.repeat(100);
    assert.equal(replacementName(long, now, []), `${'x'.repeat(89)}-2026-11-22`);
    assert.equal(replacementName(long, now, [`${'x'.repeat(89)}-2026-11-22`]), `${'x'.repeat(87)}-2026-11-22-2`);
  });

  it('gives the replacement as many days as the old token had, at least one, and 30 when its creation is unknown', () => {
    assert.equal(replacementExpiration({ ...token, createdAt: '2026-01-01T00:00:00+0000', expirationDate: '2026-04-01T00:00:00+0000' }, now), '2027-02-20');
    assert.equal(replacementExpiration({ ...token, createdAt: '2026-11-21T20:00:00+0000', expirationDate: '2026-11-22T00:00:00+0000' }, now), '2026-11-23');
    assert.equal(replacementExpiration({ ...token, createdAt: '', expirationDate: '2026-11-22T00:00:00+0000' }, now), '2026-12-22');
  });

  /** Steps that record what they were asked, with the server answering `generated`; `failing` names steps that throw. */
  function recordingSteps(generated: { login: string; name: string }, failing: Partial<Record<string, Error>> = {}) {
    const log: string[] = [];
    const requests: unknown[] = [];
    const step = (label: string) => {
      log.push(label);
      const failure = failing[label];
      if (failure) throw failure;
    };
    const steps: RotationSteps<string> = {
      generate: async (request) => {
        requests.push(request);
        step('generate');
        return { ...generated, token: 'new-value', type: request.type ?? 'USER_TOKEN', createdAt: '2026-11-22T09:00:00+0000' };
      },
      storeValue: async (ref, value) => step(`store ${ref.login}/${ref.name}=${value}`),
      deleteValue: async (ref) => step(`delete ${ref.login}/${ref.name}`),
      switchBinding: async (binding, from, to) => step(`switch ${binding} ${from.name}->${to.name}`),
      revoke: async (ref) => step(`revoke ${ref.login}/${ref.name}`),
    };
    return { steps, log, requests };
  }

  it('rotates a project analysis token into one for the same project and type', async () => {
    const projectToken: UserToken = { ...token, type: 'PROJECT_ANALYSIS_TOKEN', project: { key: 'shop', name: 'Shop' } };
    const { steps, requests } = recordingSteps({ login: 'alice', name: 'ide-2026-11-22' });
    const outcome = await rotateToken({ old, token: projectToken, bindings: [], newName: 'ide-2026-11-22', now }, steps);
    assert.equal(outcome.ok, true);
    assert.deepEqual(requests, [{ name: 'ide-2026-11-22', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop', expirationDate: '2026-12-22' }]);
  });

  it("rotates another user's token for an admin: generated for that login, held and revoked under it", async () => {
    const theirs: TokenRef = { connectionId: 'c', login: 'bob', name: 'ci' };
    const { steps, log, requests } = recordingSteps({ login: 'bob', name: 'ci-2026-11-22' });
    const outcome = await rotateToken({ old: theirs, token: { name: 'ci', type: 'USER_TOKEN', createdAt: token.createdAt }, bindings: ['a'], newName: 'ci-2026-11-22', now, forLogin: 'bob' }, steps);
    assert.deepEqual(outcome, { ok: true, replacement: { connectionId: 'c', login: 'bob', name: 'ci-2026-11-22' } });
    assert.deepEqual(requests, [{ name: 'ci-2026-11-22', type: 'USER_TOKEN', login: 'bob' }]);
    assert.deepEqual(log, ['generate', 'store bob/ci-2026-11-22=new-value', 'switch a ci->ci-2026-11-22', 'revoke bob/ci', 'delete bob/ci']);
  });

  it('switches bindings back in reverse order, then revokes and forgets the replacement, when a later binding fails', async () => {
    const { steps, log } = recordingSteps({ login: 'alice', name: 'ide-2026-11-22' }, { 'switch c ide->ide-2026-11-22': new Error('c is read-only') });
    const outcome = await rotateToken({ old, token, bindings: ['a', 'b', 'c'], newName: 'ide-2026-11-22', now }, steps);
    assert.equal(outcome.ok, false);
    assert.deepEqual(log, [
      'generate',
      'store alice/ide-2026-11-22=new-value',
      'switch a ide->ide-2026-11-22',
      'switch b ide->ide-2026-11-22',
      'switch c ide->ide-2026-11-22',
      'switch b ide-2026-11-22->ide',
      'switch a ide-2026-11-22->ide',
      'revoke alice/ide-2026-11-22',
      'delete alice/ide-2026-11-22',
    ]);
  });

  it('reports every failed undo step and still tries the rest when the rollback itself fails', async () => {
    const switchBack = new Error('a cannot be switched back');
    const revokeReplacement = new Error('network down');
    const revokeOld = new Error('revoke refused');
    const { steps, log } = recordingSteps({ login: 'alice', name: 'ide-2026-11-22' }, {
      'revoke alice/ide': revokeOld,
      'switch a ide-2026-11-22->ide': switchBack,
      'revoke alice/ide-2026-11-22': revokeReplacement,
    });
    const outcome = await rotateToken({ old, token, bindings: ['a', 'b'], newName: 'ide-2026-11-22', now }, steps);
    assert.deepEqual(outcome, { ok: false, failedStep: 'revokeOld', error: revokeOld, cleanupErrors: [switchBack, revokeReplacement] });
    // The replacement's value is forgotten even though its revoke failed; the old value is kept (its token is valid).
    assert.deepEqual(log, [
      'generate',
      'store alice/ide-2026-11-22=new-value',
      'switch a ide->ide-2026-11-22',
      'switch b ide->ide-2026-11-22',
      'revoke alice/ide',
      'switch b ide-2026-11-22->ide',
      'switch a ide-2026-11-22->ide',
      'revoke alice/ide-2026-11-22',
      'delete alice/ide-2026-11-22',
    ]);
  });

  it('revokes the replacement again when its value cannot be stored, and reports a failed revoke too', async () => {
    const locked = new Error('keychain locked');
    const refused = new Error('revoke refused');
    const { steps, log } = recordingSteps({ login: 'alice', name: 'ide-2026-11-22' }, { 'store alice/ide-2026-11-22=new-value': locked, 'revoke alice/ide-2026-11-22': refused });
    const outcome = await rotateToken({ old, token, bindings: ['a'], newName: 'ide-2026-11-22', now }, steps);
    assert.deepEqual(outcome, { ok: false, failedStep: 'store', error: locked, cleanupErrors: [refused] });
    assert.deepEqual(log, ['generate', 'store alice/ide-2026-11-22=new-value', 'revoke alice/ide-2026-11-22']);
  });
});

describe('rotateTokenFlow', () => {
  const laptop: TokenRef = { connectionId: 'conn-1', login: 'alice', name: 'laptop' };
  const listed: UserToken = { name: 'laptop', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000', expirationDate: '2025-03-12T00:00:00+0000' };

  /** `prepare` runs once the old value is held, just before the rotation (to break a step, add a journal). */
  async function rotation(script: ScriptStep[], failSwitchOf?: string, prepare: (env: ReturnType<typeof environment>) => Partial<RotateTokenFlowDeps<string>> | void = () => {}) {
    const env = environment(script, { tokens: { alice: [listed, { ...listed, name: 'laptop-2025-03-10' }] } });
    const oldValue = freshTokenValue();
    await env.vault.store(laptop, oldValue);
    const switched: string[] = [];
    const deps = {
      ...env.deps,
      switchBinding: async (binding: string, from: TokenRef, to: TokenRef) => {
        if (binding === failSwitchOf && to.name !== 'laptop') throw new ConfigFileError('/home/dev/.cursor/mcp.json', 'readOnly', (t) => t('Cannot edit {0}: the file is read-only. Make it writable and try again; it was left untouched.', '/home/dev/.cursor/mcp.json'));
        switched.push(`${binding}: ${from.name} -> ${to.name}`);
      },
      bindingId: (binding: string) => `binding-${binding}`,
      ...prepare(env),
    };
    const outcome = await rotateTokenFlow(deps, { connection: serverConnection, ref: laptop, token: listed, bindings: ['mcp', 'ide'], takenNames: ['laptop', 'laptop-2025-03-10'] });
    return { ...env, oldValue, switched, outcome };
  }

  it('changes nothing unless confirmed, and says what it will do', async () => {
    const env = await rotation([{ confirm: false }]);
    assert.equal(env.outcome, undefined);
    assert.deepEqual(env.api.calls, []);
    assert.deepEqual(env.switched, []);
    assert.equal(
      env.prompter.calls[0].text,
      'Rotate token laptop on sonar.example.com?\nA new user token with the same lifetime replaces it, its 2 bindings switch to the new token, and laptop is revoked. If any step fails, laptop stays valid and bound.',
    );
  });

  it('replaces the token under a progress, switches its bindings, revokes it and says so', async () => {
    const env = await rotation([{ confirm: true }]);
    assert.deepEqual(env.outcome, { ok: true, replacement: { connectionId: 'conn-1', login: 'alice', name: 'laptop-2025-03-10-2' } });
    assert.deepEqual(env.api.calls, [
      { method: 'generateToken', args: { name: 'laptop-2025-03-10-2', type: 'USER_TOKEN', expirationDate: '2025-05-19' } },
      { method: 'revokeToken', args: { name: 'laptop', login: undefined } },
    ]);
    assert.deepEqual(env.switched, ['mcp: laptop -> laptop-2025-03-10-2', 'ide: laptop -> laptop-2025-03-10-2']);
    assert.deepEqual(env.index.list().map((ref) => ref.name), ['laptop-2025-03-10-2']);
    assert.deepEqual(env.prompter.calls.map((call) => call.kind), ['confirm', 'progress', 'info']);
    assert.equal(env.prompter.calls[1].text, 'Rotating token laptop…');
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop was replaced by laptop-2025-03-10-2; 2 bindings now use it and laptop is revoked.']);
    assert.deepEqual(env.logger.lines, ['info [rotate] laptop replaced by laptop-2025-03-10-2 on sonar.example.com; 2 bindings switched']);
    const newValue = [...env.secrets.values.values()][0];
    env.assertNoLeak(env.oldValue, newValue);
  });

  it('says which step failed and that the old token still works, after putting everything back', async () => {
    const env = await rotation([{ confirm: true }], 'ide');
    assert.equal(env.outcome?.ok, false);
    assert.deepEqual(env.switched, ['mcp: laptop -> laptop-2025-03-10-2', 'mcp: laptop-2025-03-10-2 -> laptop']);
    assert.deepEqual(env.prompter.messages('error'), [
      'Rotating laptop failed while switching the bindings: Cannot edit /home/dev/.cursor/mcp.json: the file is read-only. Make it writable and try again; it was left untouched. laptop is still valid and bound; nothing was changed.',
    ]);
    assert.deepEqual(env.index.list().map((ref) => ref.name), ['laptop']);
    assert.deepEqual((env.api.tokens.get('alice') ?? []).map((token) => token.name), ['laptop', 'laptop-2025-03-10']);
    env.assertNoLeak(env.oldValue);
  });

  const refused = () => new SonarApiError('forbidden', 'HTTP 403', { status: 403, endpoint: 'api/user_tokens/generate' });

  it('names the step that failed in words, for each step, and logs it with the number of failed clean-ups', async () => {
    const cases: Array<[string, (env: ReturnType<typeof environment>) => void, string, string]> = [
      ['generate', (env) => void env.api.failNext('generateToken', refused()), 'generating the replacement', 'sonar.example.com refused: your account lacks the permission for this.'],
      [
        'store',
        (env) => env.secrets.failing.add('store'),
        'keeping the replacement in secure storage',
        'Secure storage is not available (Secure storage failed to store a secret: Error: keychain is locked (store)). Check that your system keychain is unlocked, then try again.',
      ],
      ['revokeOld', (env) => void env.api.failNext('revokeToken', refused()), 'revoking the old token', 'sonar.example.com refused: your account lacks the permission for this.'],
    ];
    for (const [step, breakIt, words, reason] of cases) {
      const env = await rotation([{ confirm: true }], undefined, breakIt);
      assert.equal(env.outcome?.ok, false);
      assert.deepEqual(env.prompter.messages('error'), [`Rotating laptop failed while ${words}: ${reason} laptop is still valid and bound; nothing was changed.`], step);
      assert.deepEqual(env.logger.lines.filter((line) => line.includes('[rotate]')), [`warn [rotate] laptop on sonar.example.com failed at ${step}; 0 clean-up errors`], step);
      assert.deepEqual(env.prompter.messages('info'), [], step);
      assert.deepEqual(env.index.list().map((ref) => ref.name), ['laptop'], step);
      assert.equal(env.secrets.values.get(tokenSecretKey(laptop)), env.oldValue, step);
      env.assertNoLeak(env.oldValue);
    }
  });

  it('adds that some clean-up failed too when undoing a step failed, and counts it in the log', async () => {
    const env = await rotation([{ confirm: true }], 'ide', (env) => {
      const revoke = env.api.revokeToken.bind(env.api);
      env.api.revokeToken = (request, options) => (request.name === 'laptop-2025-03-10-2' ? Promise.reject(new SonarApiError('network', 'socket hang up', { code: 'ECONNRESET' })) : revoke(request, options));
    });
    assert.deepEqual(env.prompter.messages('error'), [
      'Rotating laptop failed while switching the bindings: Cannot edit /home/dev/.cursor/mcp.json: the file is read-only. Make it writable and try again; it was left untouched. laptop is still valid and bound; nothing was changed. Some clean-up failed too: refresh the Tokens view and check for a leftover token.',
    ]);
    assert.deepEqual(env.logger.lines.filter((line) => line.includes('[rotate]')), ['warn [rotate] laptop on sonar.example.com failed at switch; 1 clean-up errors']);
    env.assertNoLeak(env.oldValue);
  });

  it('asks under a Rotate button, and calls an analysis token an analysis token', async () => {
    const env = environment([{ confirm: false }], { tokens: { alice: [listed] } });
    const deps = { ...env.deps, switchBinding: async () => {}, bindingId: (binding: string) => binding };
    await rotateTokenFlow(deps, { connection: serverConnection, ref: laptop, token: { ...listed, type: 'GLOBAL_ANALYSIS_TOKEN' }, bindings: [], takenNames: [] });
    assert.deepEqual(env.prompter.calls, [
      {
        kind: 'confirm',
        text: 'Rotate token laptop on sonar.example.com?\nA new analysis token with the same lifetime replaces it, its 0 bindings switch to the new token, and laptop is revoked. If any step fails, laptop stays valid and bound.',
        actions: ['Rotate'],
      },
    ]);
  });

  it("rotates another user's token under that user's login, the replacement held under it", async () => {
    const bobs: TokenRef = { connectionId: 'conn-1', login: 'bob', name: 'ci' };
    const env = environment([{ confirm: true }], { user: { isAdmin: true }, tokens: { bob: [{ ...listed, name: 'ci' }] } });
    const value = freshTokenValue();
    await env.vault.store(bobs, value);
    const deps = { ...env.deps, switchBinding: async () => {}, bindingId: (binding: string) => binding };
    const outcome = await rotateTokenFlow(deps, { connection: serverConnection, ref: bobs, token: { ...listed, name: 'ci' }, bindings: [], takenNames: ['ci'] });
    assert.deepEqual(outcome, { ok: true, replacement: { connectionId: 'conn-1', login: 'bob', name: 'ci-2025-03-10' } });
    assert.deepEqual(env.api.calls, [
      { method: 'generateToken', args: { name: 'ci-2025-03-10', type: 'USER_TOKEN', expirationDate: '2025-05-19', login: 'bob' } },
      { method: 'revokeToken', args: { name: 'ci', login: 'bob' } },
    ]);
    assert.deepEqual(env.index.list(), [{ connectionId: 'conn-1', login: 'bob', name: 'ci-2025-03-10' }]);
    assert.deepEqual((env.api.tokens.get('bob') ?? []).map((token) => token.name), ['ci-2025-03-10']);
    env.assertNoLeak(value, [...env.secrets.values.values()][0]);
  });

  it('keeps in the journal each step of the rotation with the bindings it switches, named by the caller, then nothing', async () => {
    let recorded: ReturnType<typeof recordedJournal> | undefined;
    const env = await rotation([{ confirm: true }], undefined, (env) => {
      recorded = recordedJournal(env);
      return { journal: recorded.journal };
    });
    assert.equal(env.outcome?.ok, true);
    const replacement = { connectionId: 'conn-1', login: 'alice', name: 'laptop-2025-03-10-2' };
    const rotate = { op: 'rotate', old: laptop, newName: 'laptop-2025-03-10-2', bindingIds: ['binding-mcp', 'binding-ide'] };
    assert.deepEqual(recorded?.written, [
      [{ ...rotate, step: 'generating' }],
      [{ ...rotate, step: 'generated', replacement }],
      [{ ...rotate, step: 'stored', replacement }],
      [{ ...rotate, step: 'switching', replacement }],
      [{ ...rotate, step: 'revokingOld', replacement }],
      [{ ...rotate, step: 'revokedOld', replacement }],
      [],
    ]);
  });

  it('with no bindings, records no switching step: the journal goes from stored straight to revoking the old token', async () => {
    const env = environment([{ confirm: true }], { tokens: { alice: [listed] } });
    await env.vault.store(laptop, freshTokenValue());
    const { journal, written } = recordedJournal(env);
    const deps = { ...env.deps, journal, switchBinding: async () => {}, bindingId: (binding: string) => binding };
    const outcome = await rotateTokenFlow(deps, { connection: serverConnection, ref: laptop, token: listed, bindings: [], takenNames: ['laptop'] });
    assert.equal(outcome?.ok, true);
    assert.deepEqual(written.map((entries) => entries.map((entry) => entry.step)), [['generating'], ['generated'], ['stored'], ['revokingOld'], ['revokedOld'], []]);
    assert.deepEqual(env.prompter.messages('info'), ['Token laptop was replaced by laptop-2025-03-10; 0 bindings now use it and laptop is revoked.']);
  });
});


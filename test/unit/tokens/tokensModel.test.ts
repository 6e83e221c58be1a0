// The model behind the Tokens view: what a failed load is called, what a revoke changes, which unconfirmed revokes a
// listing settles. The tree tests read it through the nodes; these pin the model's own rules.
import * as assert from 'node:assert/strict';
import { silentLogger } from '../../../src/core/ports';
import type { Logger } from '../../../src/core/ports';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { UserToken } from '../../../src/core/sonar/types';
import { TokensModel, statusOf } from '../../../src/core/tokens/tokensModel';
import type { ModelChange } from '../../../src/core/tokens/tokensModel';
import { FakeTokenApi } from '../support/fakeTokenApi';

const token = (name: string): UserToken => ({ name, type: 'USER_TOKEN', createdAt: '2026-10-01T10:00:00+0000' });

describe('tokens model', () => {
  it('calls a refused sign-in authFailed, a network, timeout or TLS failure unreachable, anything else failed', () => {
    const error = (kind: ConstructorParameters<typeof SonarApiError>[0]) => new SonarApiError(kind, 'x');
    assert.equal(statusOf(error('unauthorized')), 'authFailed');
    for (const kind of ['network', 'timeout', 'tls'] as const) assert.equal(statusOf(error(kind)), 'unreachable', kind);
    assert.equal(statusOf(error('forbidden')), 'failed');
    assert.equal(statusOf(error('server')), 'failed');
    assert.equal(statusOf(new Error('unauthorized')), 'failed', 'only the client\'s own errors have a kind');
    assert.equal(statusOf(Object.assign(new Error('refused'), { kind: 'unauthorized' })), 'failed', 'another library\'s error with a kind is not ours');
  });

  it('holds no tokens and no users for a connection never loaded', () => {
    const model = new TokensModel({ apiFor: async () => new FakeTokenApi(), logger: silentLogger });
    assert.deepEqual(model.tokenList('c'), { status: 'idle', tokens: [] });
    assert.deepEqual(model.tokensOfUser('c', 'bob'), { status: 'idle', tokens: [] });
    assert.deepEqual(model.usersOf('c'), { status: 'idle', users: [], total: 0 });
  });

  it('logs a failed load and keeps no tokens from before it', async () => {
    const api = new FakeTokenApi({ tokens: { alice: [token('ide')] } });
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (text: string) => warnings.push(text) };
    const model = new TokensModel({ apiFor: async () => api, logger });
    await model.loadTokens('c');
    api.failNext('searchTokens', 'a string, not an Error');
    await model.loadTokens('c', true);
    assert.deepEqual(model.tokenList('c').tokens, []);
    assert.equal(model.tokenList('c').status, 'failed');
    assert.deepEqual(warnings, ['Loading tokens of connection c failed: a string, not an Error']);
  });

  it('waits for the load in flight instead of starting another, for a user\'s tokens too', async () => {
    const api = new FakeTokenApi({ user: { isAdmin: true }, tokens: { bob: [token('ci')] } });
    const model = new TokensModel({ apiFor: async () => api, logger: silentLogger });
    const first = model.loadUserTokens('c', 'bob');
    const second = model.loadUserTokens('c', 'bob');
    await second;
    assert.equal(model.tokensOfUser('c', 'bob').status, 'ok', 'the second call resolved only once the first was done');
    await first;
    await model.loadUserTokens('c', 'bob');
    assert.equal(api.calls.filter((call) => call.method === 'searchTokens').length, 1);
  });

  it('drops a revoked token from the owner\'s list and the admin\'s view of that user, and says which changed', async () => {
    const api = new FakeTokenApi({ user: { isAdmin: true }, tokens: { alice: [token('ide'), token('ci')], bob: [token('ide')] } });
    const model = new TokensModel({ apiFor: async () => api, logger: silentLogger });
    await model.loadTokens('c');
    await model.loadUserTokens('c', 'alice');
    await model.loadUserTokens('c', 'bob');
    const changes: ModelChange[] = [];
    model.onDidChange((change) => changes.push(change));
    model.removeToken({ connectionId: 'c', login: 'alice', name: 'ide' });
    assert.deepEqual(model.tokenList('c').tokens.map((t) => t.name), ['ci']);
    assert.deepEqual(model.tokensOfUser('c', 'alice').tokens.map((t) => t.name), ['ci']);
    assert.deepEqual(model.tokensOfUser('c', 'bob').tokens.map((t) => t.name), ['ide'], 'another user\'s token of that name stays');
    assert.deepEqual(changes, [{ connectionId: 'c', part: 'tokens' }, { connectionId: 'c', part: 'userTokens', login: 'alice' }]);
    changes.length = 0;
    model.markRevocationUnconfirmed({ connectionId: 'c', login: 'bob', name: 'ide' });
    assert.deepEqual(changes, [{ connectionId: 'c', part: 'tokens' }, { connectionId: 'c', part: 'userTokens', login: 'bob' }]);
  });

  it('settles an unconfirmed revoke only with a listing of that connection and that user', async () => {
    const alice = new FakeTokenApi({ user: { isAdmin: true }, tokens: { alice: [token('other')], bob: [token('ide')] } });
    const elsewhere = new FakeTokenApi({ tokens: { alice: [] } });
    const model = new TokensModel({ apiFor: async (id) => (id === 'c' ? alice : elsewhere), logger: silentLogger });
    const bobs = { connectionId: 'c', login: 'bob', name: 'gone' };
    model.markRevocationUnconfirmed(bobs);
    await model.loadTokens('c');
    await model.loadTokens('d');
    assert.ok(model.isRevocationUnconfirmed(bobs), 'neither alice\'s list nor another connection says anything of bob\'s token');
    await model.loadUserTokens('c', 'bob');
    assert.ok(!model.isRevocationUnconfirmed(bobs), 'bob\'s list has no "gone"');
  });

  it('makes a second load of the signed-in user\'s tokens wait for the one in flight', async () => {
    const api = new FakeTokenApi({ tokens: { alice: [token('ide')] } });
    const model = new TokensModel({ apiFor: async () => api, logger: silentLogger });
    const first = model.loadTokens('c');
    await model.loadTokens('c');
    assert.equal(model.tokenList('c').status, 'ok', 'the second call resolved only once the first was done');
    assert.deepEqual(model.tokenList('c').tokens.map((t) => t.name), ['ide']);
    await first;
    assert.equal(api.calls.filter((call) => call.method === 'searchTokens').length, 1);
  });

  it('settles an unconfirmed revoke only with a listing of the connection it was sent to', async () => {
    const here = new FakeTokenApi({ tokens: { alice: [token('other')] } });
    const elsewhere = new FakeTokenApi({ tokens: { alice: [token('other')] } });
    const model = new TokensModel({ apiFor: async (id) => (id === 'c' ? here : elsewhere), logger: silentLogger });
    const gone = { connectionId: 'c', login: 'alice', name: 'gone' };
    model.markRevocationUnconfirmed(gone);
    await model.loadTokens('d');
    assert.ok(model.isRevocationUnconfirmed(gone), 'alice\'s list on another connection says nothing of this one');
    await model.loadTokens('c');
    assert.ok(!model.isRevocationUnconfirmed(gone));
  });

  describe('users of an admin connection, page by page', () => {
    const user = (login: string) => ({ login, name: login, active: true });
    const users = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => user(`${prefix}${i}`));

    it('starts a changed filter again from the first page, even when asked for more', async () => {
      const api = new FakeTokenApi({ user: { isAdmin: true } });
      const asked: Array<{ q?: string; page?: number }> = [];
      api.searchUsers = async (query) => {
        asked.push({ q: query.q, page: query.page });
        const items = users(`${query.q ?? ''}-p${query.page ?? 1}-`, 2);
        return { items, pageIndex: query.page ?? 1, pageSize: 2, total: 6 };
      };
      const model = new TokensModel({ apiFor: async () => api, logger: silentLogger });
      await model.loadUsers('c', { filter: 'an' });
      await model.loadUsers('c', { more: true });
      await model.loadUsers('c', { filter: 'bo', more: true });
      assert.deepEqual(asked, [{ q: 'an', page: 1 }, { q: 'an', page: 2 }, { q: 'bo', page: 1 }]);
      assert.deepEqual(model.usersOf('c').users.map((u) => u.login), ['bo-p1-0', 'bo-p1-1']);
      assert.equal(model.usersOf('c').nextPage, 2);
    });

    it('offers no next page after a page came back empty, though the total says more', async () => {
      const api = new FakeTokenApi({ user: { isAdmin: true } });
      api.searchUsers = async (query) => ({ items: query.page === 1 ? users('u', 3) : [], pageIndex: query.page ?? 1, pageSize: 3, total: 10 });
      const model = new TokensModel({ apiFor: async () => api, logger: silentLogger });
      await model.loadUsers('c');
      assert.equal(model.usersOf('c').nextPage, 2);
      await model.loadUsers('c', { more: true });
      assert.equal(model.usersOf('c').users.length, 3);
      assert.equal(model.usersOf('c').nextPage, undefined);
    });
  });
});

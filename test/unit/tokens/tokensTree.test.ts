import * as assert from 'node:assert/strict';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { silentLogger } from '../../../src/core/ports';
import { bundleTranslator } from '../support/bundleTranslator';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { TokenApi, UserToken } from '../../../src/core/sonar/types';
import { LOAD_CONCURRENCY, TokensModel, USERS_PAGE_SIZE } from '../../../src/core/tokens/tokensModel';
import type { ModelChange } from '../../../src/core/tokens/tokensModel';
import { childrenOf, presentNode } from '../../../src/core/tokens/treeNodes';
import type { BindingView, TreeContext, TreeNode } from '../../../src/core/tokens/treeNodes';
import { FakeTokenApi } from '../support/fakeTokenApi';

const now = new Date('2026-11-22T12:00:00Z');

function connection(id: string, overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    id,
    target: { kind: 'server', serverUrl: `https://${id}.example.com` },
    label: `${id}.example.com`,
    login: 'alice',
    addedAt: now.toISOString(),
    ...overrides,
  };
}

const tokens: UserToken[] = [
  { name: 'ci', type: 'GLOBAL_ANALYSIS_TOKEN', createdAt: '2026-10-01T10:00:00+0000', lastConnectionDate: '2026-11-19T10:00:00+0000' },
  { name: 'ide', type: 'USER_TOKEN', createdAt: '2026-10-01T10:00:00+0000', expirationDate: '2026-12-04T00:00:00+0000' },
  { name: 'old', type: 'USER_TOKEN', createdAt: '2025-10-01T10:00:00+0000', expirationDate: '2026-11-01T00:00:00+0000', isExpired: true },
  { name: 'proj', type: 'PROJECT_ANALYSIS_TOKEN', createdAt: '2026-10-01T10:00:00+0000', project: { key: 'shop', name: 'Shop' }, expirationDate: '2026-11-25T00:00:00+0000' },
];

function setup(options: { apis?: Record<string, TokenApi>; connections?: ConnectionRecord[]; held?: string[]; bindings?: BindingView[] } = {}) {
  const connections = options.connections ?? [connection('a')];
  const apis = options.apis ?? { a: new FakeTokenApi({ tokens: { alice: tokens } }) };
  const model = new TokensModel({ apiFor: async (id) => apis[id], logger: silentLogger });
  const changes: ModelChange[] = [];
  model.onDidChange((change) => changes.push(change));
  const context: TreeContext = {
    connections,
    model,
    isHeld: (ref) => (options.held ?? []).includes(ref.name),
    bindingsOf: (ref) => (options.bindings ?? []).filter((binding) => binding.token.name === ref.name && binding.token.connectionId === ref.connectionId),
    now,
    warningDays: 7,
    t: bundleTranslator,
    commands: { signInAgain: 'signIn', loadMoreUsers: 'more', generateToken: 'generate' },
  };
  return { model, context, changes, apis };
}

function labels(nodes: TreeNode[], context: TreeContext): string[] {
  return nodes.map((node) => presentNode(node, context).label);
}

describe('tokens model and tree', () => {
  it('shows a loading node, then the tokens sorted by name after one request', async () => {
    const { model, context, apis } = setup();
    const [root] = childrenOf(undefined, context);
    assert.deepEqual(labels(childrenOf(root, context), context), ['Loading…']);
    await model.loadTokens('a');
    assert.deepEqual(labels(childrenOf(root, context), context), ['ci', 'ide', 'old', 'proj']);
    assert.deepEqual((apis.a as FakeTokenApi).calls.map((call) => call.method), ['searchTokens']);
  });

  it('describes tokens with type, project, expiry and use, and flags them for menus', async () => {
    const { model, context } = setup({ held: ['ide'] });
    await model.loadTokens('a');
    const [root] = childrenOf(undefined, context);
    const byName = Object.fromEntries(childrenOf(root, context).map((node) => [presentNode(node, context).label, presentNode(node, context)]));
    assert.equal(byName.ci.description, 'Global Analysis · no expiry · last used 3 days ago');
    assert.equal(byName.ide.description, 'User · expires in 11 days · never used');
    assert.equal(byName.ide.contextValue, 'token+held+user');
    assert.equal(byName.old.contextValue, 'token+expired+user');
    assert.equal(byName.old.icon?.color, 'list.errorForeground');
    assert.equal(byName.proj.description, 'Project Analysis · Shop · expires in 2 days · never used');
    assert.equal(byName.proj.icon?.color, 'list.warningForeground', 'expiring within the warning days');
    assert.match(byName.ide.tooltip?.() ?? '', /holds the value in secure storage/);
    assert.match(byName.ci.tooltip?.() ?? '', /does not hold the value/);
  });

  it('loads connections in parallel under the cap, one request each', async () => {
    let running = 0;
    let peak = 0;
    const apis: Record<string, TokenApi> = {};
    const connections = Array.from({ length: LOAD_CONCURRENCY + 8 }, (_, index) => connection(`c${index}`));
    for (const { id } of connections) {
      const api = new FakeTokenApi({ tokens: { alice: tokens } });
      const search = api.searchTokens.bind(api);
      api.searchTokens = async (...args) => {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        return search(...args);
      };
      apis[id] = api;
    }
    const { model } = setup({ apis, connections });
    await Promise.all(connections.map(({ id }) => model.loadTokens(id)));
    assert.equal(peak, LOAD_CONCURRENCY);
    for (const { id } of connections) assert.equal(model.tokenList(id).tokens.length, 4);
  });

  it('asks once when a connection is drawn twice while loading', async () => {
    const { model, apis } = setup();
    await Promise.all([model.loadTokens('a'), model.loadTokens('a')]);
    await model.loadTokens('a');
    assert.equal((apis.a as FakeTokenApi).calls.length, 1);
  });

  it('turns a refused sign-in into a "Sign in again…" node and an unreachable server into an error node', async () => {
    const refused = new FakeTokenApi().failNext('searchTokens', new SonarApiError('unauthorized', 'refused', { status: 401 }));
    const down = new FakeTokenApi().failNext('searchTokens', new SonarApiError('network', 'connection refused', { code: 'ECONNREFUSED' }));
    const { model, context } = setup({ apis: { a: refused, b: down }, connections: [connection('a'), connection('b')] });
    await Promise.all([model.loadTokens('a'), model.loadTokens('b')]);
    const [a, b] = childrenOf(undefined, context);
    const [signIn] = childrenOf(a, context);
    assert.equal(signIn.kind, 'signInAgain');
    assert.equal(presentNode(signIn, context).command?.id, 'signIn');
    assert.equal(presentNode(a, context).contextValue, 'connection+authFailed+server');
    const [error] = childrenOf(b, context);
    assert.equal(presentNode(error, context).label, 'Cannot reach the server');
    assert.equal(presentNode(error, context).tooltip?.(), 'connection refused');
  });

  it('offers generate on an empty connection', async () => {
    const { model, context } = setup({ apis: { a: new FakeTokenApi() } });
    await model.loadTokens('a');
    const [root] = childrenOf(undefined, context);
    const [empty] = childrenOf(root, context);
    assert.deepEqual(presentNode(empty, context).command, { id: 'generate', title: 'No tokens yet: generate one', arguments: [root] });
  });

  it('lists bindings under their token and marks it bound', async () => {
    const binding: BindingView = { id: 'b1', token: { connectionId: 'a', login: 'alice', name: 'ide' }, label: 'MCP: VS Code', description: 'built in' };
    const { model, context } = setup({ held: ['ide'], bindings: [binding] });
    await model.loadTokens('a');
    const [root] = childrenOf(undefined, context);
    const ide = childrenOf(root, context).find((node) => node.kind === 'token' && node.token.name === 'ide')!;
    assert.equal(presentNode(ide, context).contextValue, 'token+held+user+bound');
    assert.equal(presentNode(ide, context).collapsible, 'collapsed');
    assert.match(presentNode(ide, context).tooltip?.() ?? '', /Used by: {2}\n- MCP: VS Code — built in/);
    assert.deepEqual(labels(childrenOf(ide, context), context), ['MCP: VS Code']);
  });

  it('keeps a token marked "revocation unconfirmed" until a listing proves it gone', async () => {
    const api = new FakeTokenApi({ tokens: { alice: tokens } });
    const { model, context } = setup({ apis: { a: api } });
    await model.loadTokens('a');
    const ref = { connectionId: 'a', login: 'alice', name: 'ide' };
    model.markRevocationUnconfirmed(ref);
    const [root] = childrenOf(undefined, context);
    const ide = () => childrenOf(root, context).find((node) => node.kind === 'token' && node.token.name === 'ide')!;
    assert.match(presentNode(ide(), context).description ?? '', /^revocation unconfirmed · /);
    await model.refresh(['a']);
    assert.ok(model.isRevocationUnconfirmed(ref), 'still listed: still unconfirmed');
    await api.revokeToken({ name: 'ide' });
    await model.refresh(['a']);
    assert.ok(!model.isRevocationUnconfirmed(ref));
    assert.ok(!childrenOf(root, context).some((node) => node.kind === 'token' && node.token.name === 'ide'));
  });

  it('pages the admin users list 500 at a time with a "Load more…" node', async () => {
    const users = Array.from({ length: 1200 }, (_, index) => ({ login: `user${index}`, name: `User ${index}`, active: true }));
    const api = new FakeTokenApi({ user: { isAdmin: true } });
    const requests: unknown[] = [];
    api.searchUsers = async (query) => {
      requests.push(query);
      const page = query.page ?? 1;
      const size = query.pageSize ?? 50;
      const matching = users.filter((user) => !query.q || user.login.includes(query.q));
      return { items: matching.slice((page - 1) * size, page * size), pageIndex: page, pageSize: size, total: matching.length };
    };
    const admin = connection('a', { isAdmin: true });
    const { model, context, changes } = setup({ apis: { a: api }, connections: [admin] });
    await model.loadTokens('a');
    const [root] = childrenOf(undefined, context);
    const usersNode = childrenOf(root, context).at(-1)!;
    assert.equal(usersNode.kind, 'users');
    await model.loadUsers('a');
    let children = childrenOf(usersNode, context);
    assert.equal(children.length, USERS_PAGE_SIZE + 1);
    assert.equal(children.at(-1)!.kind, 'loadMore');
    assert.equal(presentNode(children.at(-1)!, context).description, '500 of 1200 shown');
    await model.loadUsers('a', { more: true });
    await model.loadUsers('a', { more: true });
    children = childrenOf(usersNode, context);
    assert.equal(children.length, 1200, 'every user, no "Load more…"');
    assert.deepEqual(requests, [1, 2, 3].map((page) => ({ q: undefined, page, pageSize: 500 })));
    await model.loadUsers('a', { filter: 'user11' });
    assert.equal(presentNode(usersNode, context).description, 'filter: user11 · 111 of 111');
    assert.ok(changes.some((change) => change.part === 'users'));
  });

  it('shows a user\'s tokens under the user and removes a revoked one locally', async () => {
    const api = new FakeTokenApi({ user: { isAdmin: true }, tokens: { alice: [], bob: [tokens[1]] } });
    api.searchUsers = async () => ({ items: [{ login: 'bob', name: 'Bob', active: true, tokensCount: 1 }], pageIndex: 1, pageSize: 500, total: 1 });
    const { model, context } = setup({ apis: { a: api }, connections: [connection('a', { isAdmin: true })] });
    await model.loadTokens('a');
    await model.loadUsers('a');
    const [root] = childrenOf(undefined, context);
    const [bob] = childrenOf(childrenOf(root, context).at(-1)!, context);
    assert.equal(presentNode(bob, context).description, 'bob · 1 tokens');
    await model.loadUserTokens('a', 'bob');
    assert.deepEqual(labels(childrenOf(bob, context), context), ['ide']);
    model.removeToken({ connectionId: 'a', login: 'bob', name: 'ide' });
    assert.deepEqual(labels(childrenOf(bob, context), context), ['No tokens']);
  });

  it('never puts anything but names and dates into what the tree shows', async () => {
    const api = new FakeTokenApi({ tokens: { alice: tokens } });
    const value = (await api.generateToken({ name: 'fresh' })).token;
    const { model, context } = setup({ apis: { a: api }, held: ['fresh'] });
    await model.loadTokens('a');
    // Everything a person can see or hear of each node, the hover tooltips included (they are functions, built on
    // hover, which JSON.stringify would silently drop), over the whole expanded tree.
    const seen: string[] = [];
    const visit = (node: TreeNode | undefined) => {
      for (const child of childrenOf(node, context)) {
        const shown = presentNode(child, context);
        seen.push(shown.label, shown.description ?? '', shown.tooltip?.() ?? '', shown.accessibilityLabel, shown.contextValue ?? '');
        visit(child);
      }
    };
    visit(undefined);
    const text = seen.join('\n');
    assert.match(text, /\bfresh\b/);
    assert.match(text, /holds the value in secure storage/, 'the tooltips were read');
    assert.ok(!text.includes(value));
    assert.ok(!text.includes(value.slice(4, 14)), 'no part of the value either');
  });
});

// What a person sees of every kind of node in the Tokens view, in every state a list can be in: the whole expanded
// tree written out as text (label, description, icon and colour, menu flags, click, screen-reader label, hover) and
// compared with what it should say.
import * as assert from 'node:assert/strict';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { silentLogger } from '../../../src/core/ports';
import { bundleTranslator } from '../support/bundleTranslator';
import { SonarApiError } from '../../../src/core/sonar/errors';
import type { TokenApi, UserSummary } from '../../../src/core/sonar/types';
import { TokensModel } from '../../../src/core/tokens/tokensModel';
import { childrenOf, nodeIds, presentNode } from '../../../src/core/tokens/treeNodes';
import type { BindingView, TreeContext, TreeNode } from '../../../src/core/tokens/treeNodes';
import { FakeTokenApi } from '../support/fakeTokenApi';

const now = new Date('2026-11-22T12:00:00Z');

function record(id: string, overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return { id, target: { kind: 'server', serverUrl: `https://${id}.example.com` }, label: id, login: 'alice', addedAt: now.toISOString(), ...overrides };
}

function contextFor(connections: ConnectionRecord[], apis: Record<string, TokenApi>, bindings: BindingView[] = []): TreeContext {
  return {
    connections,
    model: new TokensModel({ apiFor: async (id) => apis[id], logger: silentLogger }),
    isHeld: (ref) => ref.name === 'ide',
    bindingsOf: (ref) => bindings.filter((binding) => binding.token.name === ref.name && binding.token.connectionId === ref.connectionId),
    now,
    warningDays: 7,
    t: bundleTranslator,
    commands: { signInAgain: 'signInAgain', loadMoreUsers: 'loadMoreUsers', generateToken: 'generateToken' },
  };
}

/** One block per node, children indented under it; `argument` names a command's node argument by its id. */
function render(context: TreeContext, parent?: TreeNode, depth = 0): string {
  return childrenOf(parent, context)
    .map((node) => {
      const shown = presentNode(node, context);
      const indent = '  '.repeat(depth);
      const icon = shown.icon ? `${shown.icon.id}${shown.icon.color ? ` ${shown.icon.color}` : ''}` : 'no icon';
      const command = shown.command
        ? ` click=${shown.command.id}("${shown.command.title}", ${(shown.command.arguments ?? []).map((argument) => (argument as TreeNode).id).join(', ')})`
        : '';
      const lines = [
        `${indent}[${node.id}] ${shown.label}${shown.description !== undefined ? ` — ${shown.description}` : ''}`,
        `${indent}  (${icon}) ${shown.contextValue ?? 'no context'} ${shown.collapsible}${command}`,
        `${indent}  a11y: ${shown.accessibilityLabel}`,
        ...(shown.tooltip?.() ?? '(no tooltip)').split('\n').map((line) => `${indent}  | ${line}`),
      ];
      const children = render(context, node, depth + 1);
      return children ? `${lines.join('\n')}\n${children}` : lines.join('\n');
    })
    .join('\n');
}

describe('tokens tree as a person sees it', () => {
  it('has stable ids a refresh finds nodes by', () => {
    assert.equal(nodeIds.connection('c1'), 'connection:c1');
    assert.equal(nodeIds.users('c1'), 'connection:c1/users');
    assert.equal(nodeIds.user('c1', 'bob'), 'connection:c1/users/user:bob');
  });

  it('shows an admin\'s server with tokens, bindings, users, a user\'s tokens and "Load more…"', async () => {
    const api = new FakeTokenApi({
      user: { isAdmin: true },
      tokens: {
        alice: [
          { name: 'ide', type: 'USER_TOKEN', createdAt: '2026-10-01T10:00:00+0000', expirationDate: '2026-12-04T00:00:00+0000' },
          { name: 'ci', type: 'GLOBAL_ANALYSIS_TOKEN', createdAt: '2026-10-01T10:00:00+0000' },
        ],
        bob: [{ name: 'proj', type: 'PROJECT_ANALYSIS_TOKEN', createdAt: '2026-10-01T10:00:00+0000', project: { key: 'shop', name: 'Shop' } }],
      },
    });
    const users: UserSummary[] = [
      { login: 'bob', name: 'Bob', active: true, tokensCount: 1, email: 'bob@example.com' },
      { login: 'carol', name: 'carol', active: false },
    ];
    api.searchUsers = async () => ({ items: users, pageIndex: 1, pageSize: 2, total: 3 });
    api.searchTokens = ((search) => async (login?: string) => {
      if (login === 'carol') throw new SonarApiError('server', 'Internal error', { status: 500 });
      return search(login);
    })(api.searchTokens.bind(api));
    const ide = { connectionId: 'srv', login: 'alice', name: 'ide' };
    const bindings: BindingView[] = [
      { id: 'b1', token: ide, label: 'MCP: VS Code', description: 'built in', tooltip: 'Started by VS Code' },
      { id: 'b2', token: ide, label: 'MCP: Cursor', plainText: true },
    ];
    const admin = record('srv', { label: 'sq.example.com', isAdmin: true, userName: 'Alice', serverVersion: '2025.1.0' });
    const context = contextFor([admin], { srv: api }, bindings);
    await context.model.loadTokens('srv');
    await context.model.loadUsers('srv');
    await context.model.loadUserTokens('srv', 'bob');
    await context.model.loadUserTokens('srv', 'carol');
    // A binding that went away since the token node was drawn.
    const gone: TreeNode = { kind: 'binding', id: 'x', connectionId: 'srv', bindingId: 'b9', tokenRef: ide };
    const { tooltip, ...goneShown } = presentNode(gone, context);
    assert.deepEqual(goneShown, { label: 'Binding', description: undefined, icon: { id: 'plug' }, contextValue: 'binding', collapsible: 'none', accessibilityLabel: 'Binding Binding ' });
    assert.equal(tooltip?.(), undefined);

    assert.equal(render(context), `[connection:srv] sq.example.com — alice
  (server) connection+ok+server+admin expanded
  a11y: sq.example.com, SonarQube Server, signed in as alice, Signed in
  | **sq\\.example\\.com**  
  |   
  | Product: SonarQube Server  
  | Address: https://srv\\.example\\.com  
  | Version: 2025\\.1\\.0  
  | Signed in as: Alice \\(alice\\)  
  | Administrator: can manage other users' tokens  
  | Status: Signed in
  [connection:srv/token:ci] ci — Global Analysis · no expiry · never used
    (globe) token+globalAnalysis none
    a11y: Token ci, Global Analysis · no expiry · never used
    | **ci**  
    |   
    | Type: Global Analysis  
    | Owner: alice  
    | Created: 2026\\-10\\-01T10:00:00\\+0000  
    | Expiration: no expiry  
    | Last used: never used  
    | This extension does not hold the value.
  [connection:srv/token:ide] ide — User · expires in 11 days · never used
    (account) token+held+user+bound collapsed
    a11y: Token ide, User · expires in 11 days · never used, held in secure storage
    | **ide**  
    |   
    | Type: User  
    | Owner: alice  
    | Created: 2026\\-10\\-01T10:00:00\\+0000  
    | Expiration: 2026\\-12\\-04T00:00:00\\+0000 (expires in 11 days)  
    | Last used: never used  
    | $(lock) This extension holds the value in secure storage.  
    | Used by:  
    | - MCP: VS Code — built in  
    | - MCP: Cursor
    [connection:srv/token:ide/binding:b1] MCP: VS Code — built in
      (plug) binding none
      a11y: Binding MCP: VS Code built in
      | Started by VS Code
    [connection:srv/token:ide/binding:b2] MCP: Cursor
      (unlock list.warningForeground) binding+plainText none
      a11y: Binding MCP: Cursor 
      | (no tooltip)
  [connection:srv/users] Users — 2 of 3
    (organization) users collapsed
    a11y: Users 2 of 3
    | Every user of this server. Expand a user to see and revoke their tokens, or generate one for them.
    [connection:srv/users/user:bob] Bob — bob · 1 tokens
      (person) user collapsed
      a11y: User Bob bob · 1 tokens
      | **Bob**  
      | Login: bob  
      | Email: bob@example\\.com
      [connection:srv/users/user:bob/token:proj] proj — Project Analysis · Shop · no expiry · never used
        (project) token+projectAnalysis none
        a11y: Token proj, Project Analysis · Shop · no expiry · never used
        | **proj**  
        |   
        | Type: Project Analysis  
        | Project: Shop \\(shop\\)  
        | Owner: bob  
        | Created: 2026\\-10\\-01T10:00:00\\+0000  
        | Expiration: no expiry  
        | Last used: never used  
        | This extension does not hold the value.
    [connection:srv/users/user:carol] carol — deactivated
      (person) user+inactive collapsed
      a11y: User carol deactivated
      | **carol**  
      | Login: carol
      [connection:srv/users/user:carol/error] Could not load
        (error list.errorForeground) message+error none
        a11y: Could not load: Internal error
        | Internal error
    [connection:srv/users/more] Load more… — 2 of 3 shown
      (more) loadMore none click=loadMoreUsers("Load more…", connection:srv/users/more)
      a11y: Load more users, 2 of 3 shown
      | (no tooltip)`);
  });

  it('shows each state of a connection\'s list, Cloud and Server alike', async () => {
    const refused = new FakeTokenApi().failNext('searchTokens', new SonarApiError('unauthorized', 'refused', { status: 401 }));
    const down = new FakeTokenApi().failNext('searchTokens', new SonarApiError('network', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }));
    const broken = new FakeTokenApi().failNext('searchTokens', 'not an Error');
    const slow = new FakeTokenApi();
    slow.searchTokens = () => new Promise(() => undefined);
    const context = contextFor(
      [
        record('a-idle', { target: { kind: 'cloud', region: 'US', organization: 'acme' }, label: 'acme (US)' }),
        record('b-loading', { target: { kind: 'cloud', region: 'EU' }, label: 'SonarQube Cloud (EU)' }),
        record('c-refused'),
        record('d-down'),
        record('e-broken'),
        record('f-empty', { target: { kind: 'cloud', region: 'EU', organization: 'acme' }, isAdmin: true }),
      ],
      { 'b-loading': slow, 'c-refused': refused, 'd-down': down, 'e-broken': broken, 'f-empty': new FakeTokenApi() },
    );
    void context.model.loadTokens('b-loading');
    await Promise.all(['c-refused', 'd-down', 'e-broken', 'f-empty'].map((id) => context.model.loadTokens(id)));
    const shown = (id: string) => presentNode(childrenOf(undefined, context).find((node) => node.id === nodeIds.connection(id))!, context);
    assert.equal(shown('a-idle').tooltip?.(), '**acme \\(US\\)**  \n  \nProduct: SonarQube Cloud (US)  \nAddress: acme  \nSigned in as: alice  \nStatus: Not loaded yet');
    assert.equal(shown('b-loading').tooltip?.(), '**SonarQube Cloud \\(EU\\)**  \n  \nProduct: SonarQube Cloud (EU)  \nAddress:   \nSigned in as: alice  \nStatus: Loading…');

    const summary = childrenOf(undefined, context).map((node) => {
      const connection = presentNode(node, context);
      const children = childrenOf(node, context).map((child) => {
        const item = presentNode(child, context);
        const command = item.command ? ` click=${item.command.id}("${item.command.title}", ${(item.command.arguments as TreeNode[]).map((argument) => argument.id).join(', ')})` : '';
        return `  ${item.label}${item.description ? ` — ${item.description}` : ''} (${item.icon?.id}${item.icon?.color ? ` ${item.icon.color}` : ''}) ${item.contextValue}${command} | ${item.tooltip?.()} | ${item.accessibilityLabel}`;
      });
      return [`${connection.label} (${connection.icon?.id}${connection.icon?.color ? ` ${connection.icon.color}` : ''}) ${connection.contextValue} | ${connection.accessibilityLabel}`, ...children].join('\n');
    });
    assert.equal(summary.join('\n'), `acme (US) (cloud) connection+idle+cloud | acme (US), SonarQube Cloud (US), signed in as alice, Not loaded yet
  Loading… (loading~spin) message+loading | undefined | Loading…
c-refused (warning list.warningForeground) connection+authFailed+server | c-refused, SonarQube Server, signed in as alice, Sign-in failed: the token was refused
  Sign in again… — the server refused the sign-in token (sign-in list.warningForeground) signInAgain click=signInAgain("Sign in again…", connection:c-refused/signIn) | The token this connection signs in with was refused: it may have expired or been revoked. Sign in again with a new user token. | Sign in again: the server refused the sign-in token
d-down (debug-disconnect list.errorForeground) connection+unreachable+server | d-down, SonarQube Server, signed in as alice, Unreachable
  Cannot reach the server (error list.errorForeground) message+error | connect ECONNREFUSED | Cannot reach the server: connect ECONNREFUSED
e-broken (error list.errorForeground) connection+failed+server | e-broken, SonarQube Server, signed in as alice, Could not load the tokens
  Could not load (error list.errorForeground) message+error | Unknown error | Could not load: Unknown error
f-empty (cloud) connection+ok+cloud+admin | f-empty, SonarQube Cloud (EU), signed in as alice, Signed in
  No tokens yet: generate one (info) message+info click=generateToken("No tokens yet: generate one", connection:f-empty) | undefined | No tokens yet: generate one
SonarQube Cloud (EU) (loading~spin) connection+loading+cloud | SonarQube Cloud (EU), SonarQube Cloud (EU), signed in as alice, Loading…
  Loading… (loading~spin) message+loading | undefined | Loading…`);
  });

  it('shows the users list while it loads, filtered, empty and failed', async () => {
    const api = new FakeTokenApi({ user: { isAdmin: true } });
    type UsersPage = { items: UserSummary[]; pageIndex: number; pageSize: number; total: number };
    let answer: (page: UsersPage) => void = () => undefined;
    const secondPage = new Promise<UsersPage>((resolve) => { answer = resolve; });
    let fail = false;
    api.searchUsers = (query) => {
      if (fail) return Promise.reject(new SonarApiError('network', 'socket hang up', { code: 'ECONNRESET' }));
      if (query.page === 2) return secondPage;
      const items = query.q ? [] : [{ login: 'bob', name: 'Bob', active: true }];
      return Promise.resolve({ items, pageIndex: 1, pageSize: 1, total: query.q ? 0 : 2 });
    };
    const context = contextFor([record('srv', { isAdmin: true })], { srv: api });
    const usersNode: TreeNode = { kind: 'users', id: nodeIds.users('srv'), connectionId: 'srv' };
    const listing = () => [presentNode(usersNode, context), ...childrenOf(usersNode, context).map((node) => presentNode(node, context))]
      .map((item) => `${item.label}${item.description ? ` — ${item.description}` : ''} (${item.icon?.id}) ${item.contextValue} | ${item.accessibilityLabel}`)
      .join('\n');

    assert.equal(listing(), 'Users (organization) users | Users \nLoading… (loading~spin) message+loading | Loading…');
    await context.model.loadUsers('srv');
    const more = context.model.loadUsers('srv', { more: true });
    assert.equal(listing(), 'Users (organization) users | Users \nBob — bob (person) user | User Bob bob\nLoading… (loading~spin) message+loading | Loading…');
    answer({ items: [{ login: 'dan', name: 'Dan', active: true }], pageIndex: 2, pageSize: 1, total: 2 });
    await more;
    assert.equal(listing(), 'Users — 2 of 2 (organization) users | Users 2 of 2\nBob — bob (person) user | User Bob bob\nDan — dan (person) user | User Dan dan');
    await context.model.loadUsers('srv', { filter: 'zed' });
    assert.equal(listing(), 'Users — filter: zed · 0 of 0 (organization) users+filtered | Users filter: zed · 0 of 0\nNo users match (info) message+info | No users match');
    fail = true;
    await context.model.loadUsers('srv', { filter: null });
    assert.equal(listing(), 'Users (organization) users | Users \nCannot reach the server (error) message+error | Cannot reach the server: socket hang up');
  });

  it('warns on the connection when its own sign-in token is about to expire, and says when', async () => {
    const expiring = record('srv', { label: 'sq', signInExpiresAt: '2026-11-25T12:00:00+0000' });
    const context = contextFor([expiring], { srv: new FakeTokenApi() });
    const [node] = childrenOf(undefined, context);
    const idle = presentNode(node, context);
    assert.deepEqual(idle.icon, { id: 'server' }, 'a list not loaded yet keeps its state icon');
    await context.model.loadTokens('srv');
    const shown = presentNode(node, context);
    assert.deepEqual(shown.icon, { id: 'warning', color: 'list.warningForeground' });
    assert.equal(shown.description, 'alice · sign-in token expires in 3 days');
    assert.equal(shown.accessibilityLabel, 'sq, SonarQube Server, signed in as alice, Signed in, sign-in token expires in 3 days');
    assert.equal(shown.tooltip?.(), '**sq**  \n  \nProduct: SonarQube Server  \nAddress: https://srv\\.example\\.com  \nSigned in as: alice  \nSign-in token: expires in 3 days (2026-11-25)  \nStatus: Signed in');
  });

  it('gives the empty, loading and sign-in nodes ids of their own, unique in the tree, and no children', async () => {
    const api = new FakeTokenApi({ user: { isAdmin: true }, tokens: { alice: [], bob: [] } });
    api.searchUsers = (query) => (query.page === 2
      ? new Promise(() => undefined)
      : Promise.resolve({ items: query.q ? [] : [{ login: 'bob', name: 'Bob', active: true }], pageIndex: 1, pageSize: 1, total: query.q ? 0 : 2 }));
    const context = contextFor([record('srv', { isAdmin: true })], { srv: api });
    const connection: TreeNode = childrenOf(undefined, context)[0];
    const usersNode: TreeNode = { kind: 'users', id: nodeIds.users('srv'), connectionId: 'srv' };
    const shown = (parent: TreeNode) => childrenOf(parent, context).map((node) => {
      const item = presentNode(node, context);
      return `${node.id} ${item.contextValue} ${item.collapsible}`;
    });
    await context.model.loadTokens('srv');
    assert.deepEqual(shown(connection), ['connection:srv/empty message+info none', 'connection:srv/users users collapsed']);
    await context.model.loadUsers('srv');
    void context.model.loadUsers('srv', { more: true });
    assert.deepEqual(shown(usersNode), ['connection:srv/users/user:bob user collapsed', 'connection:srv/users/loading message+loading none']);
    const bob = childrenOf(usersNode, context)[0];
    await context.model.loadUserTokens('srv', 'bob');
    assert.deepEqual(shown(bob), ['connection:srv/users/user:bob/empty message+info none']);
    const filtered = new TokensModel({ apiFor: async () => api, logger: silentLogger });
    await filtered.loadUsers('srv', { filter: 'zed' });
    assert.deepEqual(childrenOf(usersNode, { ...context, model: filtered }).map((node) => node.id), ['connection:srv/users/empty']);
    const signIn = presentNode({ kind: 'signInAgain', id: 'connection:srv/signIn', connectionId: 'srv' }, context);
    assert.equal(signIn.collapsible, 'none');
  });

  it('leaves the sign-in line out of the tooltip when the stored expiry is not a date', () => {
    const context = contextFor([record('srv', { label: 'sq', signInExpiresAt: 'not a date' })], { srv: new FakeTokenApi() });
    const tooltip = presentNode(childrenOf(undefined, context)[0], context).tooltip?.() ?? '';
    assert.ok(tooltip.includes('Signed in as: alice'), tooltip);
    assert.ok(!tooltip.includes('Sign-in token'), tooltip);
  });

  it('warns in a token\'s tooltip that its revoke was sent but not confirmed', async () => {
    const context = contextFor([record('srv')], { srv: new FakeTokenApi({ tokens: { alice: [{ name: 'ci', type: 'USER_TOKEN', createdAt: '2026-10-01T10:00:00+0000' }] } }) });
    await context.model.loadTokens('srv');
    context.model.markRevocationUnconfirmed({ connectionId: 'srv', login: 'alice', name: 'ci' });
    const tooltip = presentNode(childrenOf(childrenOf(undefined, context)[0], context)[0], context).tooltip?.() ?? '';
    assert.ok(tooltip.split('\n').includes('$(warning) A revoke was sent but not confirmed; refresh to check.  '), tooltip);
  });

  it('warns in a Cloud token\'s tooltip how soon inactivity removes it', async () => {
    const idle = { name: 'idle', type: 'USER_TOKEN', createdAt: '2026-08-01T10:00:00+0000', lastConnectionDate: '2026-09-27T12:00:00+0000' } as const;
    const context = contextFor([record('cld', { target: { kind: 'cloud', region: 'EU', organization: 'acme' } })], { cld: new FakeTokenApi({ tokens: { alice: [idle] } }) });
    await context.model.loadTokens('cld');
    const tooltip = presentNode(childrenOf(childrenOf(undefined, context)[0], context)[0], context).tooltip?.() ?? '';
    assert.ok(tooltip.split('\n').includes('$(warning) SonarQube Cloud: removed after 60 days of inactivity: 4 days left  '), tooltip);
  });

  it('shows a finding that is no longer found as "Fixed", with nothing under it, under an expanded Exposed Tokens node', () => {
    const context = contextFor([], {});
    assert.equal(presentNode({ kind: 'exposures', id: 'exposures', count: 1 }, context).collapsible, 'expanded');
    const fixed = { kind: 'finding', id: 'exposures/finding:gone', findingId: 'gone' } as const;
    assert.deepEqual(presentNode(fixed, context), { label: 'Fixed', collapsible: 'none', accessibilityLabel: 'Fixed' });
    assert.deepEqual(presentNode(fixed, { ...context, exposure: { findings: [], livenessOf: () => undefined } }), { label: 'Fixed', collapsible: 'none', accessibilityLabel: 'Fixed' });
  });
});

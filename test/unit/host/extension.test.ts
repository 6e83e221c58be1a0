// The host layer under plain mocha: the real activate(), every command run as the person would run it (through the
// stand-in editor's quick inputs and messages), against the fake SonarQube. What the editor tests prove by clicking,
// here in milliseconds; the editor tests then only need to confirm the wiring.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { activate } from '../../../src/extension';
import type { TreeNode } from '../../../src/core/tokens/treeNodes';
import { FakeSonarQube } from '../../fake-sonarqube';
import { standInContext, Uri, world } from '../support/vscodeStandIn';
import { Person, until } from './person';
import type { Step } from './person';

const SONARLINT = 'SonarSource.sonarlint-vscode';

interface Tree {
  getChildren(node?: TreeNode): TreeNode[];
  getTreeItem(node: TreeNode): { label: string; description?: string; contextValue?: string; tooltip?: unknown; command?: { command: string } };
  resolveTreeItem(item: unknown, node: TreeNode): { tooltip?: { value: string } };
}

describe('the host layer over a stand-in editor', function () {
  this.timeout(15_000);
  let fake: FakeSonarQube;
  let home: string;
  let folder: string;
  let context: ReturnType<typeof standInContext>;
  let person: Person;
  const savedHome = process.env.HOME;
  let signInToken: string;

  const tree = (): Tree => world.treeViews[0].options.treeDataProvider as Tree;
  const run = async (command: string, ...args: unknown[]) => {
    const handler = world.commands.get(command);
    assert.ok(handler, `${command} is registered`);
    await handler(...args);
  };
  const as = (...steps: Step[]) => person.will(...steps);
  const connectionNode = () => tree().getChildren().find((node) => node.kind === 'connection')!;
  const tokenNodes = () => tree().getChildren(connectionNode()).filter((node): node is Extract<TreeNode, { kind: 'token' }> => node.kind === 'token');
  const tokenNode = (name: string) => until(`token ${name} in the tree`, () => tokenNodes().find((node) => node.token.name === name));
  const allSecretValues = () => [...context.secretValues.values()];
  /** No token value in the log, anything shown, state or the files under the test's folders, other than where intended. */
  const assertNoLeak = (allowedFiles: readonly string[] = []) => {
    const shown = JSON.stringify(world.messages) + JSON.stringify(world.inputs.map((input) => [input.widget.title, input.widget.prompt, input.widget.placeholder, input.widget.items]));
    const state = JSON.stringify(context.globalState.keys().map((key: string) => context.globalState.get(key)));
    const files = [home, folder].flatMap((root) => walk(root)).filter((file) => !allowedFiles.includes(file)).map((file) => fs.readFileSync(file, 'utf8')).join('\n');
    for (const value of [...allSecretValues(), ...fake.issuedTokenValues()]) {
      for (const [place, text] of Object.entries({ log: world.logLines.join('\n'), shown, state, files, settings: JSON.stringify([...world.settings.values]) })) {
        assert.ok(!text.includes(value), `a token value leaked into ${place}`);
      }
    }
  };

  before(async () => {
    fake = await FakeSonarQube.start();
    fake.addUser({ login: 'ada', name: 'Ada Admin', admin: true });
    fake.addUser({ login: 'bob', name: 'Bob' });
    fake.addProject({ key: 'shop', name: 'Shop' });
    signInToken = fake.createToken('ada', { name: 'sign-in' });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-home-'));
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-project-'));
    process.env.HOME = home;
    world.reset();
    world.workspaceFolders = [{ uri: Uri.file(folder), name: 'project', index: 0 }];
    context = standInContext(path.join(home, 'storage'));
    activate(context);
    person = new Person();
  });

  after(async () => {
    person.dispose();
    for (const subscription of context.subscriptions) subscription.dispose();
    process.env.HOME = savedHome;
    await fake.close();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  });

  afterEach(() => person.done());

  it('activates without I/O: the view, the MCP provider and every command, and no connection yet', () => {
    assert.equal(world.treeViews[0].id, 'sonarqubeTokens.tokens');
    assert.ok(world.mcpProviders.has('sonarqubeTokens.mcp'));
    assert.ok(world.commands.size >= 17);
    assert.deepEqual(tree().getChildren(), []);
    assert.deepEqual(world.executed.filter((call) => call.command === 'setContext').map((call) => call.args), [
      ['sonarqubeTokens.hasConnections', false],
      ['sonarqubeTokens.hasAdminConnection', false],
      ['sonarqubeTokens.hasBindings', false],
    ]);
  });

  it('adds a connection by pasting a token, checked with the server first', async () => {
    as({ enter: fake.url }, { choose: '$(key) Paste a user token' }, { enter: signInToken });
    await run('sonarqubeTokens.addConnection', 'server');
    assert.match(world.texts('info').at(-1) ?? '', /^Signed in to .* as Ada Admin\.$/);
    const node = connectionNode();
    assert.equal(node.kind === 'connection' && node.connection.login, 'ada');
    assert.ok(allSecretValues().includes(signInToken));
  });

  it('draws the connection, its tokens and the admin users from the server', async () => {
    const sign = await tokenNode('sign-in');
    const item = tree().getTreeItem(sign);
    assert.equal(item.label, 'sign-in');
    assert.match(item.contextValue ?? '', /^token\b/);
    assert.match(tree().resolveTreeItem(item, sign).tooltip?.value ?? '', /Owner: ada/);
    const users = tree().getChildren(connectionNode()).find((node) => node.kind === 'users')!;
    const logins = await until('users listed', () => {
      const children = tree().getChildren(users).filter((node) => node.kind === 'user');
      return children.length > 0 ? children.map((node) => node.kind === 'user' && node.user.login) : undefined;
    });
    assert.deepEqual(logins, ['ada', 'bob']);
  });

  it('generates a user token kept in secure storage only', async () => {
    as({ enter: 'laptop' }, { choose: 'User' }, { choose: '30 days' }, { choose: 'Keep in secure storage' });
    await run('sonarqubeTokens.generateToken', connectionNode());
    assert.ok(fake.tokenNames('ada').includes('laptop'));
    assert.match(world.texts('info').at(-1) ?? '', /laptop was generated/);
    await tokenNode('laptop');
    assertNoLeak();
  });

  it('copies the held value to the clipboard', async () => {
    await run('sonarqubeTokens.copyToken', await tokenNode('laptop'));
    assert.ok(allSecretValues().includes(world.clipboard));
    assert.notEqual(world.clipboard, signInToken);
  });

  it("binds it to VS Code's MCP support, which starts the server with the token in its environment only", async () => {
    as({ choose: 'VS Code (built in, recommended)' });
    await run('sonarqubeTokens.bindMcp', await tokenNode('laptop'));
    assert.match(world.texts('info').at(-1) ?? '', /is now an MCP server in VS Code/);
    const provider = world.mcpProviders.get('sonarqubeTokens.mcp');
    const [definition] = provider.provideMcpServerDefinitions();
    assert.equal(definition.label, `SonarQube (${connectionNode().kind === 'connection' && (connectionNode() as Extract<TreeNode, { kind: 'connection' }>).connection.label})`);
    assert.equal(definition.command, 'docker');
    const resolved = await provider.resolveMcpServerDefinition(definition);
    assert.equal(resolved.env.SONARQUBE_TOKEN, world.clipboard);
    assert.ok(!resolved.args.join(' ').includes(world.clipboard), 'never on the command line');
  });

  it('binds it to .vscode/mcp.json with a password input, no value in the file', async () => {
    as({ choose: 'VS Code workspace (.vscode/mcp.json)' });
    world.answer('Open File');
    await run('sonarqubeTokens.bindMcp', await tokenNode('laptop'));
    const file = path.join(folder, '.vscode', 'mcp.json');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /"password": true/);
    assert.deepEqual(world.documents.map((document) => document.uri), [Uri.file(file).toString()]);
    assertNoLeak();
  });

  it('binds it to SonarQube for IDE: connection in User settings, folder bound, value handed over on the clipboard', async () => {
    world.installedExtensions.add(SONARLINT);
    as({ choose: 'Shop' }, { choose: 'Only for me' });
    await run('sonarqubeTokens.bindConnectedMode', await tokenNode('laptop'));
    const connections = world.settings.values.get('sonarlint.connectedMode.connections.sonarqube')?.globalValue as Array<{ serverUrl: string; connectionId: string }>;
    assert.equal(connections[0].serverUrl, fake.url);
    assert.deepEqual(world.settings.folderValues.get(Uri.file(folder).toString())?.get('sonarlint.connectedMode.project'), { connectionId: connections[0].connectionId, projectKey: 'shop' });
    assert.deepEqual(world.executed.at(-1), { command: 'SonarLint.EditSonarQubeConnection', args: [connections[0].connectionId] });
    assert.match(world.texts('info').at(-1) ?? '', /on the clipboard for 60 seconds/);
  });

  it('lists the three bindings under the token', async () => {
    const bindings = await until('bindings drawn', () => {
      const children = tree().getChildren(tokenNodes().find((node) => node.token.name === 'laptop'));
      return children.length === 3 ? children : undefined;
    });
    assert.deepEqual(bindings.map((node) => tree().getTreeItem(node).label).sort(), ['MCP: VS Code', 'MCP: VS Code workspace', 'SonarQube for IDE']);
  });

  it('rotates it: a new token, every binding switched, the old one revoked', async () => {
    world.answer('Rotate');
    await run('sonarqubeTokens.rotateToken', await tokenNode('laptop'));
    assert.match(world.texts('info').at(-1) ?? '', /^Token laptop was replaced by laptop-.*; 3 bindings now use it and laptop is revoked\.$/);
    assert.ok(!fake.tokenNames('ada').includes('laptop'));
  });

  it('removes a binding, and exactly what it wrote', async () => {
    const replacement = fake.tokenNames('ada').find((name) => name.startsWith('laptop-'))!;
    const binding = await until('binding of the replacement', () => tree().getChildren(tokenNodes().find((node) => node.token.name === replacement)).find((node) => node.kind === 'binding' && tree().getTreeItem(node).label === 'MCP: VS Code workspace'));
    await run('sonarqubeTokens.unbind', binding);
    assert.ok(!fs.existsSync(path.join(folder, '.vscode', 'mcp.json')));
    assert.match(world.texts('info').at(-1) ?? '', /^Removed the binding MCP: VS Code workspace of token laptop-/);
  });

  it('revokes the replacement, with its bindings removed too', async () => {
    const replacement = fake.tokenNames('ada').find((name) => name.startsWith('laptop-'))!;
    world.answer('Revoke');
    await run('sonarqubeTokens.revokeToken', await tokenNode(replacement));
    assert.ok(!fake.tokenNames('ada').includes(replacement));
    assert.deepEqual(world.mcpProviders.get('sonarqubeTokens.mcp').provideMcpServerDefinitions(), []);
    assert.equal(world.settings.folderValues.get(Uri.file(folder).toString())?.get('sonarlint.connectedMode.project'), undefined);
    assertNoLeak();
  });

  it('generates a token for another user as an administrator', async () => {
    as({ enter: 'bob' }, { enter: 'for-bob' }, { choose: '30 days' }, { choose: 'Keep in secure storage' });
    await run('sonarqubeTokens.generateTokenForUser');
    assert.ok(fake.tokenNames('bob').includes('for-bob'));
  });

  it('filters the users list and opens the server pages', async () => {
    as({ enter: 'bo' });
    const users = tree().getChildren(connectionNode()).find((node) => node.kind === 'users');
    await run('sonarqubeTokens.filterUsers', users);
    await run('sonarqubeTokens.openTokenPage', connectionNode());
    assert.equal(world.opened.at(-1), `${fake.url}/account/security`);
    await run('sonarqubeTokens.refresh');
    await run('sonarqubeTokens.showLogs');
    await run('sonarqubeTokens.openAgentAppsPage');
    assert.match(world.texts('info').at(-1) ?? '', /No suitable SonarQube connection/);
  });

  it('signs in again with a pasted token', async () => {
    as({ choose: '$(key) Paste a user token' }, { enter: signInToken });
    await run('sonarqubeTokens.signInAgain', connectionNode());
    assert.ok(allSecretValues().includes(signInToken));
  });

  it('words a failure once, with Show Logs, and logs it in English', async () => {
    const gone = { kind: 'connection', id: 'connection:gone', connection: { id: 'gone' } } as unknown as TreeNode;
    world.answer('Show Logs');
    await run('sonarqubeTokens.generateToken', { kind: 'token', id: 'x', connectionId: 'gone', login: 'ada', token: { name: 'x', type: 'USER_TOKEN' } });
    const [error] = world.messages.filter((shown) => shown.severity === 'error').slice(-1);
    assert.equal(error.message, 'The connection no longer exists. Refresh the Tokens view.');
    assert.deepEqual(error.actions, ['Show Logs']);
    assert.match(world.logLines.at(-1) ?? '', /^error sonarqubeTokens\.generateToken: WordedError: The connection no longer exists/);
    void gone;
  });

  it('removes the connection: its secrets and bindings go, the tokens stay on the server', async () => {
    world.answer('Remove');
    await run('sonarqubeTokens.removeConnection', connectionNode());
    assert.deepEqual(tree().getChildren(), []);
    assert.deepEqual(allSecretValues(), []);
    assert.ok(fake.tokenNames('ada').includes('sign-in'));
    assert.deepEqual(world.pendingAnswers, []);
    assertNoLeak();
  });
});

function walk(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(root, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

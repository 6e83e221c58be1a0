// "Find Exposed Tokens…" and the Exposed Tokens section through the real activate() over the stand-in editor: the
// startup scan runs once the view is shown (not before, not with the setting off), the editor's file search finds the
// workspace files with the excludes, the section lists each finding in words, and the fixes change exactly the files,
// the server and the tree they say they change.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { activate } from '../../../src/extension';
import { workspaceGlob } from '../../../src/core/exposure/places';
import type { TreeNode } from '../../../src/core/tokens/treeNodes';
import { FakeSonarQube } from '../../fake-sonarqube';
import { standInContext, Uri, world } from '../support/vscodeStandIn';
import { Person, until } from './person';

interface Tree {
  getChildren(node?: TreeNode): TreeNode[];
  getTreeItem(node: TreeNode): { label: string; description?: string; contextValue?: string };
  resolveTreeItem(item: unknown, node: TreeNode): { tooltip?: { value: string } };
}

const MCP_JSON = (value: string) =>
  [
    '{',
    '  // the team\'s servers',
    '  "servers": {',
    '    "other": { "command": "other-mcp" },',
    '    "sonarqube": {',
    '      "type": "stdio",',
    '      "command": "docker",',
    '      "env": { "SONARQUBE_TOKEN": "' + value + '" }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');

describe('exposed tokens in the host layer over a stand-in editor', function () {
  this.timeout(20_000);
  let fake: FakeSonarQube;
  let home: string;
  let folder: string;
  let context: ReturnType<typeof standInContext>;
  let person: Person;
  const savedHome = process.env.HOME;
  const values: Record<string, string> = {};

  const tree = (): Tree => world.treeViews[0].options.treeDataProvider as Tree;
  const run = async (command: string, ...args: unknown[]) => {
    const handler = world.commands.get(command);
    assert.ok(handler, `${command} is registered`);
    await handler(...args);
  };
  const section = () => tree().getChildren().find((node) => node.kind === 'exposures');
  const findings = () => {
    const node = section();
    return node ? tree().getChildren(node) : [];
  };
  const finding = (label: string) => until(`finding ${label}`, () => findings().find((node) => tree().getTreeItem(node).label === label));
  const connectionNode = () => tree().getChildren().find((node) => node.kind === 'connection')!;
  const read = (relative: string) => fs.readFileSync(path.join(folder, relative), 'utf8');
  /** No found value in the log, in anything shown, in state or in secure storage other than the moved one. */
  const assertNoLeak = (...allowedInSecureStorage: string[]) => {
    const shown = JSON.stringify(world.messages) + JSON.stringify(world.inputs.map((input) => [input.widget.title, input.widget.placeholder, input.widget.items]));
    const state = JSON.stringify(context.globalState.keys().map((key: string) => context.globalState.get(key)));
    const items = JSON.stringify(findings().map((node) => [tree().getTreeItem(node), tree().resolveTreeItem({}, node).tooltip]));
    for (const value of Object.values(values)) {
      for (const [place, text] of Object.entries({ log: world.logLines.join('\n'), shown, state, items })) assert.ok(!text.includes(value), `a found value leaked into ${place}`);
      if (!allowedInSecureStorage.includes(value)) assert.ok(![...context.secretValues.values()].includes(value), 'a found value is in secure storage');
    }
  };

  before(async () => {
    fake = await FakeSonarQube.start();
    fake.addUser({ login: 'ada', name: 'Ada' });
    const signIn = fake.createToken('ada', { name: 'sign-in' });
    values.mcp = fake.createToken('ada', { name: 'pasted-in-mcp' });
    values.env = fake.createToken('ada', { name: 'pasted-in-env' });
    values.excluded = fake.createToken('ada', { name: 'in-node-modules' });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-home-'));
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-exposed-'));
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(path.join(folder, '.vscode', 'mcp.json'), MCP_JSON(values.mcp));
    fs.writeFileSync(path.join(folder, '.env'), `SONAR_HOST_URL=${fake.url}\nSONAR_TOKEN=${values.env}\nDEBUG=1\n`);
    fs.mkdirSync(path.join(folder, 'node_modules', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'node_modules', 'pkg', '.env'), `SONAR_TOKEN=${values.excluded}\n`);
    // .env is committed: the finding must say so.
    const git = (...args: string[]) => execFileSync('git', ['-C', folder, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.env');
    git('commit', '-q', '-m', 'config');
    process.env.HOME = home;
    world.reset();
    world.viewsVisible = false;
    world.workspaceFolders = [{ uri: Uri.file(folder), name: 'project', index: 0 }];
    world.settings.set('files.exclude', { '**/.git': true });
    world.settings.set('search.exclude', { '**/node_modules': true });
    context = standInContext(path.join(home, 'User', 'globalStorage', 'sonarsource.sonarqube-tokens'));
    activate(context);
    person = new Person();
    person.will({ enter: fake.url }, { choose: '$(key) Paste a user token' }, { enter: signIn });
    await run('sonarqubeTokens.addConnection', 'server');
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

  it('scans nothing until the Tokens view is shown', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(world.findFilesCalls, []);
    assert.equal(section(), undefined);
  });

  it('scans the known places once the view is shown, with the editor\'s file search and its excludes', async () => {
    world.treeViews[0].setVisible(true);
    const labels = await until('both findings listed', () => {
      const shown = findings().map((node) => tree().getTreeItem(node).label);
      return shown.length === 2 ? shown : undefined;
    });
    assert.deepEqual(labels, ['.env:2', path.join('.vscode', 'mcp.json') + ':8']);
    assert.deepEqual(world.findFilesCalls, [{ pattern: workspaceGlob(), exclude: '{**/.git,**/node_modules}', maxResults: 500 }]);
    assert.equal(tree().getTreeItem(section()!).label, 'Exposed Tokens');
    assert.equal(tree().getTreeItem(section()!).description, '2 found in files');
    assert.equal(tree().getChildren()[0].kind, 'exposures', 'the section comes first');
  });

  it('describes each finding: key, type, first and last four, liveness, and whether it is committed', async () => {
    await until('both checked', () => (findings().every((node) => /alive/.test(tree().getTreeItem(node).description ?? '')) ? true : undefined));
    const env = tree().getTreeItem(await finding('.env:2'));
    assert.equal(
      env.description,
      `SONAR_TOKEN · user token · ${values.env.slice(0, 4)}…${values.env.slice(-4)} · alive (ada) · committed: exposed to everyone with the repository and kept in its history`,
    );
    assert.equal(env.contextValue, 'finding+alive+tracked');
    const mcp = tree().getTreeItem(await finding(path.join('.vscode', 'mcp.json') + ':8'));
    assert.equal(mcp.description, `SONARQUBE_TOKEN · user token · ${values.mcp.slice(0, 4)}…${values.mcp.slice(-4)} · alive (ada)`);
    assert.equal(mcp.contextValue, 'finding+alive+replaceable');
    const tooltip = tree().resolveTreeItem({}, await finding('.env:2')).tooltip?.value ?? '';
    assert.match(tooltip, /Checked: alive: ada on /);
    assertNoLeak();
  });

  it('moves the MCP entry\'s token to secure storage: the entry leaves the file, the token shows its binding', async () => {
    person.will({ choose: 'pasted-in-mcp' });
    world.answer('Move');
    await run('sonarqubeTokens.moveExposedToken', await finding(path.join('.vscode', 'mcp.json') + ':8'));
    assert.equal(read('.vscode/mcp.json'), ['{', '  // the team\'s servers', '  "servers": {', '    "other": { "command": "other-mcp" }', '  }', '}', ''].join('\n'));
    assert.ok([...context.secretValues.values()].includes(values.mcp));
    const token = await until('the moved token in the tree', () =>
      tree().getChildren(connectionNode()).find((node) => node.kind === 'token' && node.token.name === 'pasted-in-mcp'),
    );
    assert.match(tree().getTreeItem(token).contextValue ?? '', /\+held\b/);
    assert.deepEqual(tree().getChildren(token).map((node) => tree().getTreeItem(node).label), ['MCP: VS Code']);
    assert.deepEqual(findings().map((node) => tree().getTreeItem(node).label), ['.env:2']);
    assertNoLeak(values.mcp);
  });

  it('revokes the committed one on the server, then takes its line out of the file', async () => {
    person.will({ choose: 'pasted-in-env' });
    world.answer('Revoke');
    await run('sonarqubeTokens.revokeExposedToken', await finding('.env:2'));
    assert.ok(!fake.tokenNames('ada').includes('pasted-in-env'));
    assert.equal(read('.env'), `SONAR_HOST_URL=${fake.url}\nDEBUG=1\n`);
    assert.equal(section(), undefined, 'the section is hidden once nothing is listed');
    assert.match(world.texts('info').at(-1) ?? '', /^pasted-in-env was revoked and removed from \.env\.$/);
    assertNoLeak(values.mcp);
  });

  it('"Find Exposed Tokens…" scans again on request; Ignore keeps a finding away by its fingerprint', async () => {
    values.local = fake.createToken('ada', { name: 'pasted-in-env-local' });
    fs.writeFileSync(path.join(folder, '.env.local'), `SONAR_TOKEN=${values.local}\n`);
    await run('sonarqubeTokens.findExposedTokens');
    assert.equal(world.texts('warn').at(-1), '1 exposed token found: see Exposed Tokens in the Tokens view.');
    assert.ok(world.executed.some((call) => call.command === 'sonarqubeTokens.tokens.focus'));
    await run('sonarqubeTokens.ignoreExposedToken', await finding('.env.local:1'));
    assert.equal(section(), undefined);
    const ignored = context.globalState.get('sonarqubeTokens.ignoredExposures') as string[];
    assert.equal(ignored.length, 1);
    assert.match(ignored[0], /^[0-9a-f]{64}$/);
    await run('sonarqubeTokens.findExposedTokens');
    assert.match(world.texts('info').at(-1) ?? '', /^No exposed token found in \d+ files\.$/);
    await run('sonarqubeTokens.fixAllExposedTokens');
    assert.equal(world.texts('info').at(-1), 'No exposed token is listed. Run "Find Exposed Tokens…" to look again.');
    assert.equal(read('.env.local'), `SONAR_TOKEN=${values.local}\n`, 'ignoring changes no file');
    assertNoLeak(values.mcp);
  });

  it('Fix All lists each finding with its recommended fix, then runs the chosen ones, each asking first', async () => {
    values.profile = fake.createToken('ada', { name: 'pasted-in-profile' });
    fs.writeFileSync(path.join(home, '.profile'), `# mine\nexport SONARQUBE_TOKEN=${values.profile}\n`);
    await run('sonarqubeTokens.findExposedTokens');
    await until('checked', () => (findings().some((node) => /alive/.test(tree().getTreeItem(node).description ?? '')) ? true : undefined));
    person.will({ chooseMany: ['~/.profile:2'] }, { choose: 'pasted-in-profile' });
    world.answer('Move');
    await run('sonarqubeTokens.fixAllExposedTokens');
    const pick = world.inputs.find((input) => input.widget.title === 'Fix All Exposed Tokens');
    assert.deepEqual(
      pick?.widget.items.map((item: { label: string; detail?: string }) => [item.label, item.detail]),
      [['~/.profile:2', 'Move it to secure storage: this extension keeps it, the file no longer contains it']],
    );
    assert.equal(fs.readFileSync(path.join(home, '.profile'), 'utf8'), '# mine\n');
    assertNoLeak(values.mcp, values.profile);
  });
});

describe('exposed tokens with sonarqubeTokens.scanOnStartup off', () => {
  it('does not scan when the view is shown', async () => {
    world.reset();
    world.settings.set('sonarqubeTokens.scanOnStartup', false);
    const context = standInContext();
    activate(context);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(world.treeViews[0].visible);
    assert.deepEqual(world.findFilesCalls, []);
    assert.deepEqual(world.logLines.filter((line) => /exposure/.test(line)), []);
    for (const subscription of context.subscriptions) subscription.dispose();
  });
});

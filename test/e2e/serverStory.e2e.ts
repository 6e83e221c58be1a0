// The whole life of a token on SonarQube Server, through the UI as a person would: connect by paste, generate and
// keep a token, bind it to VS Code's built-in MCP support (and start the server), to .vscode/mcp.json, to Cursor and
// to SonarQube for IDE, rotate it, revoke the replacement — and every binding is gone, no value written anywhere.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeSonarQube, seedDemo } from '../fake-sonarqube';
import { editorSessions, waitUntil } from './harness/session';
import type { EditorSession } from './harness/session';
import {
  connectByPaste, connectionLabel, contextMenuEntries, exactly, generateToken, newestIssuedValue, readmeScreenshot,
  README_VIEWPORT, treeItemAriaLabel, treeItemDescription, tidyWorkbench, userSettings, widenSideBar,
} from './harness/steps';
import { REPO_ROOT, sonarLintStubVsix } from './harness/vsix';

const STUB_MCP_SERVER = path.join(REPO_ROOT, 'test', 'stubs', 'stub-mcp-server.cjs');
const WORKSPACE_MCP = 'project/.vscode/mcp.json';
const CURSOR_MCP = '~/.cursor/mcp.json';
/** A team's existing file: comments, formatting and the other server must survive bind and unbind byte for byte. */
const TEAM_MCP_JSON = `{
  // Servers the whole team uses
  "servers": {
    "docs": { "type": "http", "url": "http://127.0.0.1:9/docs" }
  }
}
`;
const TOKEN_NAME = 'agent-laptop';

interface StubStart {
  env: Record<string, string>;
  argv: string[];
}

function stubStarts(file: string): StubStart[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as StubStart);
}

async function bindMcp(editor: EditorSession, token: string, target: string | RegExp, notification: RegExp, dialog?: { button: string; says: RegExp }): Promise<void> {
  await editor.contextMenu(exactly(token), 'Bind Token to MCP Server…');
  await editor.quickInputPick(target);
  if (dialog) assert.match(await editor.dialogButton(dialog.button), dialog.says);
  await editor.waitForNotification(notification);
}

describe('A token on SonarQube Server from generation to revocation', function () {
  const startEditor = editorSessions();
  let fake: FakeSonarQube | undefined;
  let scratch: string | undefined;

  afterEach(async function () {
    await fake?.close();
    fake = undefined;
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it('generates, binds to MCP clients and SonarQube for IDE, rotates and revokes, leaving nothing behind', async function () {
    fake = await FakeSonarQube.start({ flavour: 'server' });
    const demo = seedDemo(fake);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-mcp-record-'));
    const record = path.join(scratch, 'stub-mcp.jsonl');
    const editor = await startEditor({
      fake,
      viewport: README_VIEWPORT,
      files: { [WORKSPACE_MCP]: TEAM_MCP_JSON },
      extraVsix: [await sonarLintStubVsix()],
      // No Secret Service, whatever the machine's desktop session has: the bind offers its fallback.
      env: { STUB_MCP_RECORD: record, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/sqt-no-bus' },
      machineSettings: {
        'sonarqubeTokens.mcp.launcher': 'custom',
        'sonarqubeTokens.mcp.customCommand': process.execPath,
        'sonarqubeTokens.mcp.customArgs': [STUB_MCP_SERVER],
      },
    });
    const connection = connectionLabel(fake);

    // Connect: ada's tokens with their type, expiry and last use (day counts depend on the time of day: not pinned).
    await connectByPaste(editor, fake, demo.signInTokens.ada, 'Ada Lovelace');
    await widenSideBar(editor, 560);
    await editor.treeItem(exactly('CI pipeline')).waitFor();
    assert.match(await treeItemDescription(editor, exactly('CI pipeline')), /^User · expires in \d+ days · last used 2 days ago$/);
    assert.match(await treeItemDescription(editor, exactly('Never used')), /^User · no expiry · never used$/);
    assert.match(await treeItemDescription(editor, exactly('Old script')), /^User · expired/);
    assert.match(await treeItemDescription(editor, exactly('Shop scan')), /^Project Analysis · Demo Shop · expires in \d days · never used$/);

    // Generate and keep: the value is held (accessible label, Copy in the context menu), the others' are not.
    await tidyWorkbench(editor);
    await generateToken(editor, { treeLabel: exactly(connection), name: TOKEN_NAME, atExpiration: () => readmeScreenshot(editor, 'generate', { x: 0, y: 0, width: 960, height: 360 }) });
    await editor.treeItem(exactly(TOKEN_NAME)).waitFor();
    const generatedValue = newestIssuedValue(fake);
    assert.deepEqual(fake.tokenNames('ada').filter((name) => name === TOKEN_NAME), [TOKEN_NAME]);
    assert.match(await treeItemDescription(editor, exactly(TOKEN_NAME)), /^User · expires in (29|30) days · never used$/);
    assert.match(await treeItemAriaLabel(editor, exactly(TOKEN_NAME)), /held in secure storage/);
    assert.doesNotMatch(await treeItemAriaLabel(editor, exactly('CI pipeline')), /held in secure storage/);
    const menu = await contextMenuEntries(editor, exactly(TOKEN_NAME));
    for (const entry of ['Copy Token Value', 'Bind Token to MCP Server…', 'Bind Token to SonarQube for IDE…', 'Rotate Token…', 'Revoke Token']) {
      assert.ok(menu.includes(entry), `the context menu of a held token offers ${entry}: ${menu.join(', ')}`);
    }
    assert.ok(!(await contextMenuEntries(editor, exactly('CI pipeline'))).includes('Copy Token Value'), 'no Copy for a token held elsewhere');

    // VS Code's built-in MCP support: the server starts with the token in its environment only.
    await bindMcp(editor, TOKEN_NAME, 'VS Code (built in, recommended)', /is now an MCP server in VS Code/);
    await editor.runCommand('MCP: List Servers');
    await editor.quickInputPick(`SonarQube (${connection})`);
    await editor.quickInputPick('Start Server');
    await waitUntil(() => stubStarts(record).length > 0, 'the stub MCP server started');
    const [started] = stubStarts(record);
    assert.equal(started.env.SONARQUBE_TOKEN, generatedValue);
    assert.equal(started.env.SONARQUBE_URL, fake.url);
    assert.ok(started.argv.every((arg) => !arg.includes(generatedValue)), 'the token is not on the command line');

    // Files: this editor runs without a Secret Service, so Cursor's entry references the environment once the person
    // agrees to the fallback (mcpLauncher.e2e.ts binds with one); .vscode/mcp.json asks for the token with an input.
    await editor.expandTreeItem(exactly(TOKEN_NAME));
    await editor.treeItem(/^MCP: VS Code$/).waitFor();
    await bindMcp(editor, TOKEN_NAME, /Cursor \(user, ~\/\.cursor\/mcp\.json\)/, /is bound to Cursor/, {
      button: 'Reference a Variable',
      says: /The launcher cannot give Cursor the token: this computer has no credential store it can use\.[\s\S]*Dock, the Start menu or a desktop launcher/,
    });
    assert.match(editor.readFile(CURSOR_MCP)!, /\$\{env:SONARQUBE_TOKEN\}/);
    await tidyWorkbench(editor);
    await bindMcp(editor, TOKEN_NAME, /VS Code workspace \(\.vscode\/mcp\.json\)/, /is bound to VS Code workspace/);
    await editor.treeItem(/^MCP: VS Code workspace/).waitFor();
    await readmeScreenshot(editor, 'binding');
    const workspaceMcp = editor.readFile(WORKSPACE_MCP)!;
    assert.match(workspaceMcp, /\$\{input:[^}]+\}/);
    assert.ok(workspaceMcp.startsWith('{\n  // Servers the whole team uses\n'), workspaceMcp);

    // SonarQube for IDE: connection in User settings without a token, folder bound, shared file, form opened.
    await editor.contextMenu(exactly(TOKEN_NAME), 'Bind Token to SonarQube for IDE…');
    await editor.quickInputPick('Demo Shop');
    await editor.quickInputPick('Share with the team');
    await editor.waitForNotification(/paste it into the Token field/);
    const sonarqubeConnections = userSettings(editor)['sonarlint.connectedMode.connections.sonarqube'] as Array<Record<string, unknown>>;
    assert.equal(sonarqubeConnections.length, 1);
    assert.equal(sonarqubeConnections[0].serverUrl, fake.url);
    assert.ok(!('token' in sonarqubeConnections[0]), 'no token field in the User settings');
    const connectionId = sonarqubeConnections[0].connectionId as string;
    const folderSettings = JSON.parse(editor.readFile('project/.vscode/settings.json')!) as Record<string, unknown>;
    assert.deepEqual(folderSettings['sonarlint.connectedMode.project'], { connectionId, projectKey: 'demo-shop' });
    assert.deepEqual(JSON.parse(editor.readFile('project/.sonarlint/connectedMode.json')!), { sonarQubeUri: fake.url, projectKey: 'demo-shop' });
    await waitUntil(() => editor.sonarLintCalls().length > 0, 'SonarQube for IDE was asked to edit the connection');
    // The stub looks the connection up as SonarQube for IDE does: its form would open.
    assert.deepEqual(editor.sonarLintCalls(), [
      { command: 'SonarLint.EditSonarQubeConnection', args: [connectionId], opened: true, connection: { connectionId, serverUrl: fake.url } },
    ]);

    // The token with its four bindings (README picture).
    await editor.treeItem(/^SonarQube for IDE$/).waitFor();
    await tidyWorkbench(editor);
    await readmeScreenshot(editor, 'tokens-tree', { x: 0, y: 0, width: 620, height: 400 });

    // Rotate: a replacement takes over every binding, the old token is revoked on the server.
    await editor.contextMenu(exactly(TOKEN_NAME), 'Rotate Token…');
    assert.match(await editor.dialogButton('Rotate'), /its 4 bindings switch/);
    await editor.waitForNotification(/4 bindings now use it/);
    const rotatedName = fake.tokenNames('ada').find((name) => name.startsWith(`${TOKEN_NAME}-`));
    assert.ok(rotatedName, `a replacement on the server: ${fake.tokenNames('ada').join(', ')}`);
    assert.ok(!fake.tokenNames('ada').includes(TOKEN_NAME), 'the old token is revoked');
    await editor.treeItem(exactly(rotatedName)).waitFor();
    await editor.treeItem(exactly(TOKEN_NAME)).waitFor({ state: 'detached' });
    assert.equal(editor.sonarLintCalls().length, 2, 'rotation hands the new value to SonarQube for IDE again');

    // Revoke the replacement: the confirmation lists what stops working, then every binding is removed.
    await editor.contextMenu(exactly(rotatedName), 'Revoke Token');
    assert.match(await editor.dialogButton('Revoke'), /These stop working:[\s\S]*MCP: Cursor[\s\S]*SonarQube for IDE/);
    await editor.waitForNotification(new RegExp(`Token ${rotatedName} was revoked`));
    await editor.treeItem(exactly(rotatedName)).waitFor({ state: 'detached' });
    assert.ok(fake.requests.some((request) => request.method === 'POST' && request.path === 'api/user_tokens/revoke' && request.form.name === rotatedName));
    assert.ok(!fake.tokenNames('ada').includes(rotatedName));
    // The bindings go once the server has confirmed; the User settings connection is the last thing removed.
    await waitUntil(() => userSettings(editor)['sonarlint.connectedMode.connections.sonarqube'] === undefined, 'the bindings were removed');
    assert.equal(editor.readFile(WORKSPACE_MCP), TEAM_MCP_JSON);
    assert.equal(editor.readFile(CURSOR_MCP), undefined);
    assert.equal(editor.readFile('project/.sonarlint/connectedMode.json'), undefined);
    const folderSettingsAfter = JSON.parse(editor.readFile('project/.vscode/settings.json') ?? '{}') as Record<string, unknown>;
    assert.equal(folderSettingsAfter['sonarlint.connectedMode.project'], undefined);
    assert.deepEqual(Object.keys(userSettings(editor)).filter((key) => key.startsWith('sonarlint.')), []);

    assert.deepEqual(await editor.scanForSecrets([demo.signInTokens.ada], [JSON.stringify(fake.requests), editor.extensionHostLog()]), []);
  });
});

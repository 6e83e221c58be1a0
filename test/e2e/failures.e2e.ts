// What a person sees when things go wrong: a refused token (nothing stored), a configuration file that does not parse
// (named, left untouched), a server limiting requests, a login page instead of JSON, and a server that is down.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { FakeSonarQube, seedDemo } from '../fake-sonarqube';
import { editorSessions } from './harness/session';
import {
  addServerConnectionByPaste, command, connectByPaste, connectionLabel, exactly, generateToken, readmeScreenshot,
  README_VIEWPORT, tidyWorkbench, treeItemAriaLabel, widenSideBar,
} from './harness/steps';

const WORKSPACE_MCP = 'project/.vscode/mcp.json';
/** A trailing comma after a comment is fine in JSONC; the missing closing brace is not. */
const BROKEN_MCP_JSON = '{\n  // half-edited by hand\n  "servers": {\n    "docs": { "type": "http", "url": "http://127.0.0.1:9/docs" },\n';

describe('Failures seen in the UI', function () {
  const startEditor = editorSessions();
  let fake: FakeSonarQube | undefined;

  afterEach(async function () {
    await fake?.close();
    fake = undefined;
  });

  it('explains a refused token, an unparsable file, rate limiting, a login page and a server that is down', async function () {
    fake = await FakeSonarQube.start({ flavour: 'server' });
    const demo = seedDemo(fake);
    const editor = await startEditor({ fake, viewport: README_VIEWPORT, files: { [WORKSPACE_MCP]: BROKEN_MCP_JSON } });
    const connection = connectionLabel(fake);

    // A token the server does not know: an error, and no connection.
    const unknownToken = `squ_${randomBytes(20).toString('hex')}`;
    await editor.openView();
    await addServerConnectionByPaste(editor, fake, unknownToken);
    await editor.waitForNotification(/did not accept the sign-in token/);
    await editor.page.locator('.part.sidebar .welcome-view-content').getByRole('button', { name: 'Connect to SonarQube Server' }).waitFor();

    // .vscode/mcp.json does not parse: the error names it, the file stays as it was.
    await connectByPaste(editor, fake, demo.signInTokens.ada, 'Ada Lovelace');
    await widenSideBar(editor, 560);
    await generateToken(editor, { treeLabel: exactly(connection), name: 'workspace-agent' });
    await editor.treeItem(exactly('workspace-agent')).waitFor();
    await tidyWorkbench(editor);
    await editor.contextMenu(exactly('workspace-agent'), 'Bind Token to MCP Server…');
    await editor.quickInputPick(/VS Code workspace \(\.vscode\/mcp\.json\)/);
    const parseError = await editor.waitForNotification(/mcp\.json/);
    assert.match(parseError, /\.vscode[/\\]mcp\.json/);
    assert.equal(editor.readFile(WORKSPACE_MCP), BROKEN_MCP_JSON);
    await readmeScreenshot(editor, 'error');
    await editor.clickNotificationButton(/mcp\.json/, 'Open File');
    await editor.page.locator('.tabs-container .tab.active', { hasText: 'mcp.json' }).waitFor();
    await editor.page.locator('.part.statusbar', { hasText: 'Ln 5, Col 1' }).waitFor();
    await editor.control.runCommand('workbench.action.closeAllEditors');

    // 429 with a long Retry-After: not waited for, the person is told how long to wait.
    fake.inject('api/user_tokens/search', { kind: 'rateLimit', retryAfterSeconds: 120 });
    await editor.contextMenu(exactly(connection), 'Generate Token…');
    await editor.waitForNotification(/is limiting requests\. Wait 120 s/);

    // A login page instead of JSON: the tree says it could not load, and why.
    fake.inject('api/user_tokens/search', { kind: 'html' });
    await editor.runCommand(command('Refresh'));
    await editor.treeItem('Could not load').waitFor();
    assert.match(await treeItemAriaLabel(editor, 'Could not load'), /answered api\/user_tokens\/search with an HTML page/);
    fake.clearFaults();

    // The server is down.
    await fake.close();
    await editor.runCommand(command('Refresh'));
    await editor.treeItem('Cannot reach the server').waitFor();
    assert.match(await treeItemAriaLabel(editor, 'Cannot reach the server'), /failed on the network \(ECONNREFUSED\)/);

    assert.deepEqual(await editor.scanForSecrets([unknownToken, demo.signInTokens.ada], [JSON.stringify(fake.requests)]), []);
  });
});

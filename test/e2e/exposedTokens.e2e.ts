// Tokens pasted in the workspace, found and made safe through the UI, on a machine with a Secret Service (a private
// D-Bus session with an unlocked gnome-keyring): the one in `.vscode/mcp.json` is moved to secure storage (its entry
// becomes a launcher binding, which starts the server with the token), the one in `.env` is revoked. The files, the
// server's token list and the tree agree afterwards; no value in any file, log or message.
import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import type { McpClientEntry } from '../../src/core/mcp/launcherEntry';
import { seedDemo } from '../fake-sonarqube';
import { startAsClient } from '../unit/support/clientStart';
import { launcherSuite, STUB_MCP_SERVER, STUB_SERVER_SETTINGS } from './harness/launcherSuite';
import { editorSessions } from './harness/session';
import { command, connectByPaste, connectionLabel, exactly, widenSideBar } from './harness/steps';

const MCP_TOKEN = 'pasted-in-mcp';
const ENV_TOKEN = 'pasted-in-env';

/** `.vscode/mcp.json` as a person pasted it: a comment, the token in the entry's env, another server after it. */
const mcpFile = (url: string, value: string) => `{
  // pasted by hand
  "servers": {
    "sonarqube": {
      "type": "stdio",
      "command": "docker",
      "env": { "SONARQUBE_URL": "${url}", "SONARQUBE_TOKEN": "${value}" }
    },
    "other": { "command": "other-mcp" }
  }
}
`;

describe('Exposed tokens in the workspace, moved to secure storage and revoked through the UI', function () {
  const startEditor = editorSessions();
  const suite = launcherSuite();

  it('finds the tokens in .vscode/mcp.json and .env; Move makes the MCP entry a launcher binding, Revoke revokes the other; files, server and tree agree', async function () {
    const fake = await suite.startFake();
    const demo = seedDemo(fake);
    const mcpValue = fake.createToken('ada', { name: MCP_TOKEN });
    const envValue = fake.createToken('ada', { name: ENV_TOKEN });
    const keyring = suite.keyring();
    const editor = await startEditor({
      fake,
      env: { DBUS_SESSION_BUS_ADDRESS: keyring.address },
      machineSettings: STUB_SERVER_SETTINGS,
      files: {
        'project/.vscode/mcp.json': mcpFile(fake.url, mcpValue),
        'project/.env': `SONAR_HOST_URL=${fake.url}\nSONAR_TOKEN=${envValue}\nDEBUG=1\n`,
      },
    });
    await connectByPaste(editor, fake, demo.signInTokens.ada, 'Ada Lovelace');
    await widenSideBar(editor, 720);

    await editor.runCommand(command('Find Exposed Tokens…'));
    await editor.waitForNotification(/2 exposed tokens found: see Exposed Tokens in the Tokens view/);
    await editor.expandTreeItem(exactly('Exposed Tokens'));
    const mcpFinding = exactly('.vscode/mcp.json:7');
    const envFinding = exactly('.env:2');
    await editor.treeItem(mcpFinding).waitFor();
    await editor.treeItem(envFinding).waitFor();
    for (const finding of [mcpFinding, envFinding]) await editor.treeItem(finding).locator('.label-description', { hasText: 'alive (ada)' }).waitFor();
    await editor.screenshot('found');

    // Move: the same entry, under its own name, runs the launcher; the token is in the credential store.
    await editor.contextMenu(mcpFinding, 'Move to Secure Storage');
    await editor.quickInputPick(exactly(MCP_TOKEN));
    assert.match(await editor.dialogButton('Move'), /The MCP server "sonarqube" in \.vscode\/mcp\.json is rewritten to start through this extension's launcher/);
    await editor.waitForNotification(new RegExp(`is now held in secure storage as ${MCP_TOKEN} and is no longer in \\.vscode/mcp\\.json`));

    // Revoke: the token's name is picked from Ada's list, then it goes from the server and from the file.
    await editor.contextMenu(envFinding, 'Revoke on the Server…');
    await editor.quickInputPick(exactly(ENV_TOKEN));
    assert.match(await editor.dialogButton('Revoke'), new RegExp(`Revoke token ${ENV_TOKEN}`));
    await editor.waitForNotification(new RegExp(`${ENV_TOKEN} was revoked and removed from \\.env`));

    assert.equal(editor.readFile('project/.env'), `SONAR_HOST_URL=${fake.url}\nDEBUG=1\n`);
    const mcpText = editor.readFile('project/.vscode/mcp.json')!;
    const entry = (parse(mcpText) as { servers: Record<string, McpClientEntry> }).servers.sonarqube;
    const [script, , bindingId] = entry.args;
    assert.match(script, /[\\/]launcher[\\/]launcher\.js$/, 'the launcher in global storage');
    assert.equal(
      mcpText,
      `{
  // pasted by hand
  "servers": {
    "sonarqube": {
      "type": "stdio",
      "command": ${JSON.stringify(entry.command)},
      "args": [
        ${JSON.stringify(script)},
        "--binding",
        "${bindingId}",
        "--",
        ${JSON.stringify(process.execPath)},
        ${JSON.stringify(STUB_MCP_SERVER)}
      ],
      "env": {
        "ELECTRON_RUN_AS_NODE": "1",
        "SONARQUBE_URL": "${fake.url}"
      }
    },
    "other": { "command": "other-mcp" }
  }
}
`,
    );
    const tokens = fake.tokenNames('ada');
    assert.ok(tokens.includes(MCP_TOKEN), 'the moved token was revoked');
    assert.ok(!tokens.includes(ENV_TOKEN), 'the revoked token is still on the server');

    // The tree: no findings left (the section is hidden), the moved token held and bound to the workspace file.
    await editor.treeItem(exactly('Exposed Tokens')).waitFor({ state: 'detached' });
    await editor.treeItem(exactly(ENV_TOKEN)).waitFor({ state: 'detached' });
    await editor.expandTreeItem(exactly(connectionLabel(fake)));
    await editor.expandTreeItem(exactly(MCP_TOKEN));
    await editor.treeItem(exactly('MCP: VS Code workspace')).waitFor();
    await editor.screenshot('fixed');

    // The rewritten entry, started the way VS Code starts it, hands the moved token to the server.
    const run = await startAsClient(entry, { home: editor.profile.home, bus: keyring.address }, suite.recordFile());
    assert.deepEqual([run.code, run.stderr], [0, ''], 'the entry started');
    assert.equal(run.started?.env.SONARQUBE_TOKEN, mcpValue, 'the server got the moved token');
    assert.deepEqual(await editor.scanForSecrets([demo.signInTokens.ada, mcpValue, envValue], [JSON.stringify(fake.requests), editor.extensionHostLog(), run.stdout, run.stderr]), []);
  });
});

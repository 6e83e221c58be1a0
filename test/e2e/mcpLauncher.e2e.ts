// Binding to MCP clients outside the editor through the UI, on a machine with a Secret Service (a private D-Bus
// session with an unlocked gnome-keyring that code-server's extension host uses): Claude Code (user) and Cursor
// (user) get launcher entries, and each written entry, started exactly as the client starts it, hands the token to
// the stub MCP server. No value in any file, log or message.
import * as assert from 'node:assert/strict';
import { seedDemo } from '../fake-sonarqube';
import { entryInFile, startAsClient } from '../unit/support/clientStart';
import { launcherSuite, STUB_SERVER_SETTINGS } from './harness/launcherSuite';
import { editorSessions } from './harness/session';
import { connectByPaste, connectionLabel, exactly, generateToken, newestIssuedValue } from './harness/steps';

const TOKEN_NAME = 'agent-laptop';

describe('MCP clients outside the editor run the launcher, which reads the OS credential store', function () {
  const startEditor = editorSessions();
  const suite = launcherSuite();

  it('binds to Claude Code (user) and Cursor (user) through the UI, and both written entries start the server with the token', async function () {
    const fake = await suite.startFake();
    const demo = seedDemo(fake);
    const keyring = suite.keyring();
    const editor = await startEditor({ fake, env: { DBUS_SESSION_BUS_ADDRESS: keyring.address }, machineSettings: STUB_SERVER_SETTINGS });
    await connectByPaste(editor, fake, demo.signInTokens.ada, 'Ada Lovelace');
    await generateToken(editor, { treeLabel: exactly(connectionLabel(fake)), name: TOKEN_NAME });
    await editor.treeItem(exactly(TOKEN_NAME)).waitFor();
    const value = newestIssuedValue(fake);

    const outputs: string[] = [];
    for (const [pick, file, client] of [
      [/Claude Code \(user, ~\/\.claude\.json\)/, '~/.claude.json', 'Claude Code'],
      [/Cursor \(user, ~\/\.cursor\/mcp\.json\)/, '~/.cursor/mcp.json', 'Cursor'],
    ] as const) {
      await editor.contextMenu(exactly(TOKEN_NAME), 'Bind Token to MCP Server…');
      await editor.quickInputPick(pick);
      const told = await editor.waitForNotification(new RegExp(`is bound to ${client}`));
      assert.match(told, /starts the server through the launcher, which reads the token from the credential store at each start/);
      const text = editor.readFile(file)!;
      assert.ok(!text.includes(value), `${file} holds the token`);
      const entry = entryInFile(text);
      assert.match(entry.args[0], /[\\/]launcher[\\/]launcher\.js$/, 'the launcher in global storage');
      assert.deepEqual(entry.args.slice(1, 5), ['--binding', entry.args[2], '--', process.execPath]);
      const run = await startAsClient(entry, { home: editor.profile.home, bus: keyring.address }, suite.recordFile());
      outputs.push(run.stdout, run.stderr);
      assert.deepEqual([run.code, run.stderr], [0, ''], `${client}'s entry started`);
      assert.equal(run.started?.env.SONARQUBE_TOKEN, value, `${client}'s server got the token`);
      assert.ok(run.started!.argv.every((arg) => !arg.includes(value)), 'the token is not on the command line');
    }
    assert.deepEqual(await editor.scanForSecrets([demo.signInTokens.ada], [JSON.stringify(fake.requests), editor.extensionHostLog(), ...outputs]), []);
  });
});

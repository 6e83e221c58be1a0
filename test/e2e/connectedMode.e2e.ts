// Handing a token to SonarQube for IDE when the person already has a connection to the server without an id: the
// stand-in looks connections up exactly as SonarQube for IDE does, so its form opens only if the entry can be found.
import * as assert from 'node:assert/strict';
import { FakeSonarQube, seedDemo } from '../fake-sonarqube';
import { editorSessions, waitUntil } from './harness/session';
import { connectByPaste, connectionLabel, exactly, generateToken, userSettings } from './harness/steps';
import { sonarLintStubVsix } from './harness/vsix';

const TOKEN_NAME = 'ide-token';

describe('Handing a token to SonarQube for IDE', function () {
  const startEditor = editorSessions();
  let fake: FakeSonarQube | undefined;

  afterEach(async function () {
    await fake?.close();
    fake = undefined;
  });

  it('opens the form of an existing connection without an id, and its folders stay bound to it', async function () {
    fake = await FakeSonarQube.start({ flavour: 'server' });
    const demo = seedDemo(fake);
    const existing = { serverUrl: fake.url, disableNotifications: true };
    const editor = await startEditor({
      fake,
      extraVsix: [await sonarLintStubVsix()],
      userSettings: { 'sonarlint.connectedMode.connections.sonarqube': [existing] },
      files: { 'project/.vscode/settings.json': JSON.stringify({ 'sonarlint.connectedMode.project': { projectKey: 'demo-shop' } }, null, 2) },
    });

    await connectByPaste(editor, fake, demo.signInTokens.ada, 'Ada Lovelace');
    await generateToken(editor, { treeLabel: exactly(connectionLabel(fake)), name: TOKEN_NAME });
    await editor.treeItem(exactly(TOKEN_NAME)).waitFor();
    await editor.contextMenu(exactly(TOKEN_NAME), 'Bind Token to SonarQube for IDE…');
    await editor.quickInputPick('Demo Shop');
    await editor.quickInputPick('Only for me');
    await editor.waitForNotification(/paste it into the Token field/);

    // The entry keeps everything it had and gets the id SonarQube for IDE already gave it: `<default>`.
    const withId = { ...existing, connectionId: '<default>' };
    assert.deepEqual(userSettings(editor)['sonarlint.connectedMode.connections.sonarqube'], [withId]);
    const folderSettings = JSON.parse(editor.readFile('project/.vscode/settings.json')!) as Record<string, unknown>;
    assert.deepEqual(folderSettings['sonarlint.connectedMode.project'], { connectionId: '<default>', projectKey: 'demo-shop' });
    await waitUntil(() => editor.sonarLintCalls().length > 0, 'SonarQube for IDE was asked to edit the connection');
    assert.deepEqual(editor.sonarLintCalls(), [{ command: 'SonarLint.EditSonarQubeConnection', args: ['<default>'], opened: true, connection: withId }]);
    assert.ok(!JSON.stringify(userSettings(editor)).includes(fake.issuedTokenValues().at(-1)!), 'no token value in the User settings');
  });
});

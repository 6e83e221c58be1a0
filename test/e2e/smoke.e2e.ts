// The packaged extension in a real VS Code: it is installed, shows its activity bar entry, and its view welcomes a
// person with the two ways to connect. Also checks the harness's SonarQube for IDE stand-in.
import * as assert from 'node:assert/strict';
import { editorSessions, VIEW_CONTAINER_TITLE, waitUntil } from './harness/session';
import { sonarLintStubVsix } from './harness/vsix';

describe('Smoke: the packaged extension in VS Code', function () {
  const startEditor = editorSessions();

  it('shows the SonarQube Tokens view with the two connect buttons', async function () {
    const editor = await startEditor();

    await editor.activityBarEntry().waitFor();
    assert.match(await editor.activityBarEntry().getAttribute('aria-label') ?? '', new RegExp(`^${VIEW_CONTAINER_TITLE}`));

    await editor.openView();
    const welcome = editor.page.locator('.part.sidebar .welcome-view-content');
    for (const button of ['Connect to SonarQube Server', 'Connect to SonarQube Cloud']) {
      await welcome.getByRole('button', { name: button }).waitFor();
    }
    await editor.screenshot('welcome view');
    assert.deepEqual(await editor.scanForSecrets(), []);
  });

  it('activates without errors when a person runs one of its commands', async function () {
    const editor = await startEditor();

    await editor.runCommand('SonarQube Tokens: Show Logs');

    await editor.page.locator('.part.panel').waitFor();
    const activation = /ExtensionService#_doActivateExtension sonarqube-tokens\.sonarqube-tokens/;
    await waitUntil(() => activation.test(editor.extensionHostLog()), 'the extension host started activating the extension');
    const failure = /Activating extension sonarqube-tokens\.sonarqube-tokens failed[^\n]*\n[^\n]*/.exec(editor.extensionHostLog());
    assert.equal(failure?.[0], undefined);
  });

  it('has a SonarQube for IDE stand-in that records the commands it receives', async function () {
    const editor = await startEditor({ extraVsix: [await sonarLintStubVsix()] });

    await editor.runCommand('SonarQube Setup (stub): Connect to SonarQube Server');

    await waitUntil(() => editor.sonarLintCalls().length > 0, 'the stub recorded a call');
    assert.deepEqual(editor.sonarLintCalls(), [{ command: 'SonarLint.ConnectToSonarQube', args: [] }]);
  });
});

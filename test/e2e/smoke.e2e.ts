// The packaged extension in a real VS Code: it is installed, shows its activity bar entry, and its view welcomes a
// person with the two ways to connect. Also checks the harness's SonarQube for IDE stand-in.
import * as assert from 'node:assert/strict';
import { editorSessions, VIEW_CONTAINER_TITLE } from './harness/session';
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

  it('has a SonarQube for IDE stand-in that records the commands it receives', async function () {
    const editor = await startEditor({ extraVsix: [await sonarLintStubVsix()] });

    await editor.runCommand('SonarQube Setup (stub): Connect to SonarQube Server');

    await waitUntil(() => editor.sonarLintCalls().length > 0);
    assert.deepEqual(editor.sonarLintCalls(), [{ command: 'SonarLint.ConnectToSonarQube', args: [] }]);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The packaged extension in a real VS Code: it is installed, shows its activity bar entry, and its view welcomes a
// person with the two ways to connect.
import * as assert from 'node:assert/strict';
import { editorSessions, VIEW_CONTAINER_TITLE } from './harness/session';

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
});

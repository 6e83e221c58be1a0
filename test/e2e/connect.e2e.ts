// A person connects to a SonarQube Server by pasting a user token: the connection and its tokens show in the view,
// and the token is written nowhere on disk.
import * as assert from 'node:assert/strict';
import { FakeSonarQube, seedDemo } from '../fake-sonarqube';
import { editorSessions } from './harness/session';

describe('Connecting to SonarQube Server with a pasted token', function () {
  const startEditor = editorSessions();
  let fake: FakeSonarQube | undefined;

  afterEach(async function () {
    await fake?.close();
    fake = undefined;
  });

  it('lists the connection and keeps the token off the disk', async function () {
    fake = await FakeSonarQube.start({ flavour: 'server' });
    const demo = seedDemo(fake);
    const editor = await startEditor({ fake });

    await editor.openView();
    await editor.page.locator('.part.sidebar .welcome-view-content').getByRole('button', { name: 'Connect to SonarQube Server' }).click();
    await editor.quickInputType(fake.url);
    await editor.quickInputPick(/Paste a user token/);
    await editor.quickInputType(demo.signInTokens.ada);

    await editor.waitForNotification(/Signed in to 127\.0\.0\.1:\d+ as Ada Lovelace/);
    await editor.treeItem(new RegExp(`127\\.0\\.0\\.1:${new URL(fake.url).port}`)).waitFor();
    await editor.treeItem(demo.signInTokenName).waitFor();
    await editor.screenshot('connected');
    assert.deepEqual(await editor.scanForSecrets([demo.signInTokens.ada]), []);
  });
});

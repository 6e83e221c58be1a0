// A person connects to a SonarQube Server by pasting a user token: the connection and its tokens show in the view,
// and the token is written nowhere on disk. Revoking that very token signs the connection out, and the view says so.
import * as assert from 'node:assert/strict';
import { FakeSonarQube, seedDemo } from '../fake-sonarqube';
import { editorSessions } from './harness/session';
import { exactly } from './harness/steps';

describe('Connecting to SonarQube Server with a pasted token', function () {
  const startEditor = editorSessions();
  let fake: FakeSonarQube | undefined;

  afterEach(async function () {
    await fake?.close();
    fake = undefined;
  });

  it('lists the connection, keeps the token off the disk, and asks to sign in again once that token is revoked', async function () {
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

    await editor.contextMenu(exactly(demo.signInTokenName), 'Revoke Token');
    await editor.dialogButton('Revoke');
    await editor.waitForNotification(/It was the token this extension signed in with: sign in again/);
    await editor.treeItem('Sign in again…').waitFor();
    assert.equal(fake.tokenNames('ada').includes(demo.signInTokenName), false);
  });
});

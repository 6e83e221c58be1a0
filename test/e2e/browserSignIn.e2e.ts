// Sign in with the browser: the server's /sonarlint/auth page hands a new token to the extension's loopback listener,
// nothing to copy. The fake listens on 127.0.0.2 so that code-server opens it directly instead of through its proxy.
import * as assert from 'node:assert/strict';
import { FakeSonarQube, seedDemo } from '../fake-sonarqube';
import { editorSessions } from './harness/session';
import { command, connectionLabel, exactly } from './harness/steps';

describe('Signing in to SonarQube Server with the browser', function () {
  const startEditor = editorSessions();
  let fake: FakeSonarQube | undefined;

  afterEach(async function () {
    await fake?.close();
    fake = undefined;
  });

  it('adds the connection once the person allows it on the server page', async function () {
    fake = await FakeSonarQube.start({ flavour: 'server', host: '127.0.0.2' });
    const demo = seedDemo(fake);
    const editor = await startEditor({ fake });

    await editor.openView();
    await editor.runCommand(command('Add Connection…'));
    await editor.quickInputPick('SonarQube Server');
    await editor.quickInputType(fake.url);
    await editor.quickInputPick(/Sign in with browser/);
    const opened = editor.page.context().waitForEvent('page');
    const question = await editor.dialogButton('Open');
    assert.match(question, /127\.0\.0\.2/);
    const authPage = await opened;
    await authPage.getByRole('button', { name: 'Allow connection' }).click();
    await authPage.locator('#outcome', { hasText: 'Connected' }).waitFor();

    await editor.waitForNotification(/Signed in to 127\.0\.0\.2:\d+ as Ada Lovelace/);
    await editor.treeItem(exactly(connectionLabel(fake))).waitFor();
    await editor.treeItem(exactly('CI pipeline')).waitFor();
    const issued = fake.tokenNames('ada').filter((name) => name.startsWith('SonarQube for IDE'));
    assert.equal(issued.length, 1, `one token issued through the page: ${fake.tokenNames('ada').join(', ')}`);
    await editor.treeItem(exactly(issued[0])).waitFor();
    await authPage.close();
    assert.deepEqual(await editor.scanForSecrets([demo.signInTokens.ada], [JSON.stringify(fake.requests)]), []);
  });
});

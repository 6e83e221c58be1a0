// An administrator of SonarQube Server manages someone else's tokens: the Users node, a token generated for grace
// from her context menu, one of her tokens revoked.
import * as assert from 'node:assert/strict';
import { FakeSonarQube, seedDemo } from '../fake-sonarqube';
import { editorSessions } from './harness/session';
import { connectByPaste, exactly, generateToken, treeItemDescription } from './harness/steps';

describe('Administrators on SonarQube Server', function () {
  const startEditor = editorSessions();
  let fake: FakeSonarQube | undefined;

  afterEach(async function () {
    await fake?.close();
    fake = undefined;
  });

  it('generate a token for another user and revoke one of theirs', async function () {
    fake = await FakeSonarQube.start({ flavour: 'server' });
    const demo = seedDemo(fake);
    const editor = await startEditor({ fake });

    await connectByPaste(editor, fake, demo.signInTokens.admin, 'Administrator');
    await editor.expandTreeItem('Users');
    await editor.treeItem(exactly('Grace Hopper')).waitFor();
    assert.match(await treeItemDescription(editor, exactly('Grace Hopper')), /^grace · 2 tokens$/);
    await editor.treeItem(exactly('Ken Former')).waitFor({ state: 'detached' });

    await generateToken(editor, { treeLabel: exactly('Grace Hopper'), menu: 'Generate Token for User…', name: 'grace-ci', askType: false });
    await editor.waitForNotification(/grace-ci/);
    assert.ok(fake.tokenNames('grace').includes('grace-ci'), fake.tokenNames('grace').join(', '));
    assert.ok(fake.requests.some((request) => request.path === 'api/user_tokens/generate' && request.form.login === 'grace'));
    await editor.expandTreeItem(exactly('Grace Hopper'));
    await editor.treeItem(exactly('grace-ci')).waitFor();

    await editor.contextMenu(exactly('Release automation'), 'Revoke Token');
    assert.match(await editor.dialogButton('Revoke'), /belongs to grace/);
    await editor.waitForNotification(/Token Release automation was revoked/);
    await editor.treeItem(exactly('Release automation')).waitFor({ state: 'detached' });
    assert.deepEqual(fake.tokenNames('grace').sort(), ['Payments scan', 'grace-ci']);
    assert.ok(fake.requests.some((request) => request.path === 'api/user_tokens/revoke' && request.form.login === 'grace' && request.form.name === 'Release automation'));
    assert.deepEqual(await editor.scanForSecrets([demo.signInTokens.admin], [JSON.stringify(fake.requests)]), []);
  });
});

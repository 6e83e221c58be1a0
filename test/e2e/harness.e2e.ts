// The harness's person-like actions against VS Code's own Explorer, independent of the extension under test.
import * as assert from 'node:assert/strict';
import { editorSessions } from './harness/session';

describe('Editor harness', function () {
  const startEditor = editorSessions();

  it('creates files, expands tree items, uses context menus and modal dialogs', async function () {
    const editor = await startEditor({
      files: { 'project/docs/keep.md': '# keep\n', 'project/docs/drop.md': '# drop\n', '~/.cursor/mcp.json': '{}\n' },
      userSettings: { 'files.enableTrash': false },
    });
    assert.equal(editor.readFile('~/.cursor/mcp.json'), '{}\n');

    await editor.expandTreeItem('docs');
    await editor.treeItem('drop.md').waitFor();
    await editor.contextMenu('drop.md', 'Delete Permanently');
    const question = await editor.dialogButton('Delete');

    assert.match(question, /drop\.md/);
    await editor.treeItem('drop.md').waitFor({ state: 'detached' });
    assert.equal(editor.readFile('project/docs/drop.md'), undefined);
    assert.equal(editor.readFile('project/docs/keep.md'), '# keep\n');
  });
});

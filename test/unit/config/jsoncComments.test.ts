// A person's comments in a JSONC file survive the extension's edits: removing the last entry keeps the comment
// above it, a file of comments only is edited (not refused), and a file left with a comment is never deleted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { deleteIfEmptyObject, editJsoncFile, readJsoncFile } from '../../../src/core/config/jsoncFile';
import type { JsoncDocument } from '../../../src/core/config/jsoncFile';

describe('JSONC comments of the person', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsonc-comments-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = () => path.join(dir, 'mcp.json');

  async function edited(before: string, edit: (document: JsoncDocument) => void): Promise<string> {
    fs.writeFileSync(file(), before);
    await editJsoncFile(nodeFileSystem, file(), edit);
    return fs.readFileSync(file(), 'utf8');
  }

  it('removing the only entry of the file keeps the comment written above it', async () => {
    const before = '{\n  // servers for the team, ask Kim\n  "servers": {\n    "sonarqube": {}\n  }\n}\n';
    assert.equal(await edited(before, (document) => document.remove(['servers'])), '{\n  // servers for the team, ask Kim\n}\n');
  });

  it('removing the only entry of a nested object keeps the block comment above it', async () => {
    const before = '{\n  "servers": {\n    /* ours */\n    "sonarqube": { "command": "x" }\n  },\n  "other": 1\n}\n';
    assert.equal(await edited(before, (document) => document.remove(['servers', 'sonarqube'])), '{\n  "servers": {\n    /* ours */\n  },\n  "other": 1\n}\n');
  });

  it('removing the only entry without a comment still leaves {} as before', async () => {
    assert.equal(await edited('{\n  "servers": {}\n}\n', (document) => document.remove(['servers'])), '{}\n');
  });

  it('a file left with only a comment after the last entry went is not deleted, even though the extension created it', async () => {
    await edited('{\n  // mine\n  "servers": {}\n}\n', (document) => document.remove(['servers']));
    assert.equal(await deleteIfEmptyObject(nodeFileSystem, file(), []), false);
    assert.equal(fs.readFileSync(file(), 'utf8'), '{\n  // mine\n}\n');
  });

  it('a file of comments only reads as an empty object', async () => {
    fs.writeFileSync(file(), '// MCP servers go here\n');
    assert.deepEqual(await readJsoncFile(nodeFileSystem, file()), { exists: true, text: '// MCP servers go here\n', value: {} });
  });

  it('a file of comments only is edited with the object after the comments, which stay', async () => {
    assert.equal(await edited('// MCP servers go here\n', (document) => document.set(['servers'], {})), '// MCP servers go here\n{\n  "servers": {}\n}');
    assert.equal(await edited('/* a */ // b', (document) => document.set(['a'], 1)), '/* a */ // b\n{\n  "a": 1\n}');
    assert.equal(await edited('// windows\r\n', (document) => document.set(['a'], 1)), '// windows\r\n{\r\n  "a": 1\r\n}');
  });

  it('a file of comments only that the edit leaves alone is not written', async () => {
    fs.writeFileSync(file(), '// nothing yet\n');
    assert.deepEqual(await editJsoncFile(nodeFileSystem, file(), () => undefined), { changed: false, createdFile: false, createdDirs: [] });
    assert.equal(fs.readFileSync(file(), 'utf8'), '// nothing yet\n');
  });
});

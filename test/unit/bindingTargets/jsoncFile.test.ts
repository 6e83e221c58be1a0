import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../src/core/config/atomicWrite';
import { isConfigFileError } from '../../../src/core/config/configFileError';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { deleteIfEmptyObject, detectFormatting, editJsoncFile } from '../../../src/core/config/jsoncFile';

describe('JSONC files and atomic writes', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsonc-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name = 'settings.json') => path.join(dir, name);

  it('edits one entry and keeps comments, trailing commas, CRLF, tabs and the BOM', async () => {
    const original = '\uFEFF{\r\n\t// keep me\r\n\t"a": 1,\r\n\t"b": [1, 2,],\r\n}\r\n';
    fs.writeFileSync(file(), original);
    await editJsoncFile(nodeFileSystem, file(), (document) => document.set(['c'], { d: true }));
    const edited = fs.readFileSync(file(), 'utf8');
    assert.ok(edited.startsWith('\uFEFF{\r\n\t// keep me\r\n\t"a": 1,\r\n\t"b": [1, 2,],'));
    assert.match(edited, /\r\n\t"c": \{\r\n\t\t"d": true\r\n\t\}/);
    assert.ok(!/[^\r]\n/.test(edited), 'no bare LF added');
    await editJsoncFile(nodeFileSystem, file(), (document) => document.remove(['c']));
    assert.equal(fs.readFileSync(file(), 'utf8'), original);
  });

  it('detects indentation width and line ends', () => {
    assert.deepEqual(detectFormatting('{\n    "a": 1\n}'), { eol: '\n', insertSpaces: true, tabSize: 4, insertFinalNewline: false });
    assert.equal(detectFormatting('{\r\n\t"a": 1\r\n}').insertSpaces, false);
  });

  it('never writes a file that does not parse, and names the line', async () => {
    const broken = '{\n  "a": 1,\n  "b" 2\n}\n';
    fs.writeFileSync(file(), broken);
    await assert.rejects(
      editJsoncFile(nodeFileSystem, file(), (document) => document.set(['c'], 1)),
      (error: unknown) => isConfigFileError(error) && error.reason === 'parse' && error.line === 3 && error.message.includes(file()) && error.message.includes('line 3'),
    );
    assert.equal(fs.readFileSync(file(), 'utf8'), broken);
  });

  it('creates a missing file and its folders, and removes them again when emptied', async () => {
    const nested = path.join(dir, 'a', 'b', 'mcp.json');
    const result = await editJsoncFile(nodeFileSystem, nested, (document) => document.set(['servers', 'x'], { command: 'y' }));
    assert.deepEqual(result, { changed: true, createdFile: true, createdDirs: [path.join(dir, 'a'), path.join(dir, 'a', 'b')] });
    assert.equal(fs.readFileSync(nested, 'utf8'), '{\n  "servers": {\n    "x": {\n      "command": "y"\n    }\n  }\n}\n');
    await editJsoncFile(nodeFileSystem, nested, (document) => document.remove(['servers']));
    assert.ok(await deleteIfEmptyObject(nodeFileSystem, nested, result.createdDirs));
    assert.ok(!fs.existsSync(path.join(dir, 'a')));
  });

  it('writes nothing when nothing changed', async () => {
    fs.writeFileSync(file(), '{"a":1}');
    const before = fs.statSync(file()).mtimeMs;
    const result = await editJsoncFile(nodeFileSystem, file(), (document) => document.set(['a'], 1));
    assert.equal(result.changed, false);
    assert.equal(fs.statSync(file()).mtimeMs, before);
  });

  it('refuses a file that holds no object', async () => {
    fs.writeFileSync(file(), '[1, 2]');
    await assert.rejects(editJsoncFile(nodeFileSystem, file(), (document) => document.set(['a'], 1)), /does not hold a JSON object/);
  });

  it('edits a symlinked file through the link, keeping the link', async function () {
    if (process.platform === 'win32') this.skip();
    const real = file('real.json');
    fs.writeFileSync(real, '{}\n');
    fs.symlinkSync(real, file('link.json'));
    await editJsoncFile(nodeFileSystem, file('link.json'), (document) => document.set(['a'], 1));
    assert.ok(fs.lstatSync(file('link.json')).isSymbolicLink());
    assert.deepEqual(JSON.parse(fs.readFileSync(real, 'utf8')), { a: 1 });
  });

  it('says clearly when a file is read-only and leaves it', async function () {
    if (process.getuid?.() === 0) {
      // root may write anyway: check the message through the mode check alone
      fs.writeFileSync(file(), '{}');
      fs.chmodSync(file(), 0o444);
      await assert.rejects(writeFileAtomic(nodeFileSystem, file(), '{"a":1}'), (error: unknown) => isConfigFileError(error) && error.reason === 'readOnly' && /read-only/.test(error.message));
      assert.equal(fs.readFileSync(file(), 'utf8'), '{}');
      return;
    }
    fs.writeFileSync(file(), '{}');
    fs.chmodSync(file(), 0o444);
    await assert.rejects(writeFileAtomic(nodeFileSystem, file(), '{"a":1}'), /read-only/);
  });

  it('keeps the old file and leaves no temporary file when the write crashes before the rename', async () => {
    fs.writeFileSync(file(), '{"old": true}\n');
    fs.chmodSync(file(), 0o640);
    await assert.rejects(
      writeFileAtomic(nodeFileSystem, file(), '{"new": true}\n', { beforeRename: async () => { throw new Error('power cut'); } }),
      /power cut/,
    );
    assert.equal(fs.readFileSync(file(), 'utf8'), '{"old": true}\n');
    assert.deepEqual(fs.readdirSync(dir), ['settings.json']);
    await writeFileAtomic(nodeFileSystem, file(), '{"new": true}\n');
    assert.equal(fs.statSync(file()).mode & 0o777, 0o640, 'the mode is kept');
  });
});

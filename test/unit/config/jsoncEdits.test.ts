// Edits of JSON-with-comments files, compared with the literal text a person would expect to find in the file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isConfigFileError } from '../../../src/core/config/configFileError';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { deleteIfEmptyObject, detectFormatting, editJsoncFile, readConfigFile, readJsoncFile } from '../../../src/core/config/jsoncFile';
import type { JsoncDocument } from '../../../src/core/config/jsoncFile';

describe('JSONC edits, as text', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsonc-edits-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = () => path.join(dir, 'mcp.json');

  async function edited(before: string, edit: (document: JsoncDocument) => void): Promise<string> {
    fs.writeFileSync(file(), before);
    await editJsoncFile(nodeFileSystem, file(), edit);
    return fs.readFileSync(file(), 'utf8');
  }

  describe('reading', () => {
    it('reads a missing file as an empty object that does not exist', async () => {
      assert.deepEqual(await readJsoncFile(nodeFileSystem, file()), { exists: false, text: '', value: {} });
    });

    it('reads a blank file as an empty object', async () => {
      fs.writeFileSync(file(), ' \n\t\n');
      assert.deepEqual(await readJsoncFile(nodeFileSystem, file()), { exists: true, text: ' \n\t\n', value: {} });
    });

    it('drops a leading byte-order mark but keeps one inside a value', async () => {
      fs.writeFileSync(file(), '{"a": "x\uFEFFy"}');
      assert.deepEqual(await readJsoncFile(nodeFileSystem, file()), { exists: true, text: '{"a": "x\uFEFFy"}', value: { a: 'x\uFEFFy' } });
      fs.writeFileSync(file(), '\uFEFF{"a": 1}');
      assert.deepEqual(await readJsoncFile(nodeFileSystem, file()), { exists: true, text: '{"a": 1}', value: { a: 1 } });
    });

    it('names the line and column of a syntax error and what is wrong there', async () => {
      fs.writeFileSync(file(), '{\n  "a": 1,\n  "b" 2\n}\n');
      await assert.rejects(readJsoncFile(nodeFileSystem, file()), (error: unknown) => {
        assert.ok(isConfigFileError(error));
        assert.equal(error.reason, 'parse');
        assert.deepEqual([error.line, error.column], [3, 7]);
        assert.equal(error.message, `Cannot edit ${file()}: it is not valid JSON (line 3, column 7: colon expected). Fix the file and try again; it was left untouched.`);
        return true;
      });
    });

    it('names an error on the first line at its exact column', async () => {
      fs.writeFileSync(file(), '{"a": 1 "b": 2}');
      await assert.rejects(readJsoncFile(nodeFileSystem, file()), (error: unknown) => isConfigFileError(error) && error.line === 1 && error.column === 9 && error.message.includes('(line 1, column 9: comma expected)'));
    });
  });

  describe('formatting', () => {
    it('detects tabs and CRLF line ends', () => {
      assert.deepEqual(detectFormatting('{\r\n\t"a": {\r\n\t\t"b": 1\r\n\t}\r\n}'), { eol: '\r\n', insertSpaces: false, tabSize: 2, insertFinalNewline: false });
    });

    it('takes the smallest indentation as the indentation step', () => {
      assert.deepEqual(detectFormatting('{\n  "a": {\n    "b": 1\n  }\n}'), { eol: '\n', insertSpaces: true, tabSize: 2, insertFinalNewline: false });
    });

    it('indents with spaces when the file has no indentation yet', () => {
      assert.deepEqual(detectFormatting('{"a": 1}'), { eol: '\n', insertSpaces: true, tabSize: 2, insertFinalNewline: false });
    });

    it('indents with tabs when the first indented line starts with a tab', () => {
      assert.equal(detectFormatting('{\n\t  "a": 1\n}').insertSpaces, false);
    });
  });

  describe('changing entries', () => {
    it('adds an entry to an empty object on its own lines', async () => {
      assert.equal(
        await edited('{\n  "servers": {}\n}\n', (document) => document.set(['servers', 'x'], { command: 'y' })),
        '{\n  "servers": {\n    "x": {\n      "command": "y"\n    }\n  }\n}\n',
      );
    });

    it('adds an item to an empty array on its own lines', async () => {
      assert.equal(await edited('{\n  "a": []\n}\n', (document) => document.set(['a', 0], 'x')), '{\n  "a": [\n    "x"\n  ]\n}\n');
    });

    it('adds an entry without reformatting its one-line neighbours', async () => {
      assert.equal(
        await edited('{\n  "a": {"b": 1},\n  "c": [1, 2]\n}\n', (document) => document.set(['d'], { e: 1 })),
        '{\n  "a": {"b": 1},\n  "c": [1, 2],\n  "d": {\n    "e": 1\n  }\n}\n',
      );
    });

    it('removes the last item of an array and nothing else', async () => {
      assert.equal(await edited('{\n  "a": [\n    1,\n    2\n  ]\n}\n', (document) => document.remove(['a', 1])), '{\n  "a": [\n    1\n  ]\n}\n');
    });

    it('removes a middle item of an array and nothing else', async () => {
      assert.equal(await edited('{\n  "a": [\n    1,\n    2,\n    3\n  ]\n}\n', (document) => document.remove(['a', 1])), '{\n  "a": [\n    1,\n    3\n  ]\n}\n');
    });

    it('removes the only item of an array, leaving []', async () => {
      assert.equal(await edited('{\n  "a": [\n    1\n  ]\n}\n', (document) => document.remove(['a', 0])), '{\n  "a": []\n}\n');
    });

    it('collapses an object emptied by a removal back to {}', async () => {
      assert.equal(await edited('{\n  "servers": {\n    "x": 1\n  },\n  "y": 2\n}\n', (document) => document.remove(['servers', 'x'])), '{\n  "servers": {},\n  "y": 2\n}\n');
    });

    it('collapses the whole file to {} when its last entry is removed', async () => {
      assert.equal(await edited('{\n  "x": 1\n}\n', (document) => document.remove(['x'])), '{}\n');
    });

    it("shows the edit to the callback as it goes, keeping the file's trailing commas", async () => {
      const seen: unknown[] = [];
      await edited('{\n  "a": [1, 2,],\n}\n', (document) => {
        document.set(['b'], true);
        seen.push(document.value, document.text);
      });
      assert.deepEqual(seen, [{ a: [1, 2], b: true }, '{\n  "a": [1, 2,],\n  "b": true,\n}\n']);
    });

    it('edits a blank existing file as {} and keeps it without a final newline it never had', async () => {
      assert.equal(await edited('  ', (document) => document.set(['a'], 1)), '{\n  "a": 1\n}');
    });

    for (const content of ['null', '42', '"text"', '[]']) {
      it(`refuses a file holding ${content} instead of an object and leaves it`, async () => {
        fs.writeFileSync(file(), content);
        await assert.rejects(editJsoncFile(nodeFileSystem, file(), (document) => document.set(['a'], 1)), (error: unknown) =>
          isConfigFileError(error) && error.reason === 'shape' &&
          error.message === `Cannot edit ${file()}: it does not hold a JSON object. Fix the file and try again; it was left untouched.`);
        assert.equal(fs.readFileSync(file(), 'utf8'), content);
      });
    }
  });

  describe('creating and deleting', () => {
    it('reports nothing created when an edit of a missing file changes nothing, and creates no file', async () => {
      const nested = path.join(dir, 'a', 'mcp.json');
      assert.deepEqual(await editJsoncFile(nodeFileSystem, nested, () => undefined), { changed: false, createdFile: false, createdDirs: [] });
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('reports no folders created when it edits an existing file', async () => {
      fs.writeFileSync(file(), '{}');
      assert.deepEqual(await editJsoncFile(nodeFileSystem, file(), (document) => document.set(['a'], 1)), { changed: true, createdFile: false, createdDirs: [] });
    });

    it('creates a new file with the mode asked for and runs the hook before the rename', async () => {
      const events: string[] = [];
      await editJsoncFile(nodeFileSystem, file(), (document) => document.set(['a'], 1), {
        newFileMode: 0o600,
        beforeRename: async () => {
          events.push(fs.existsSync(file()) ? 'file already there' : 'before rename');
        },
      });
      assert.deepEqual(events, ['before rename']);
      assert.equal(fs.statSync(file()).mode & 0o777, 0o600);
    });

    it('never deletes a file the extension created once the user added an entry of their own', async () => {
      const nested = path.join(dir, 'a', 'mcp.json');
      fs.mkdirSync(path.dirname(nested));
      fs.writeFileSync(nested, '{\n  "mine": true\n}\n');
      assert.equal(await deleteIfEmptyObject(nodeFileSystem, nested, [path.join(dir, 'a')]), false);
      assert.equal(fs.readFileSync(nested, 'utf8'), '{\n  "mine": true\n}\n');
    });

    it('never deletes a file that holds only the user\'s comments, or no object', async () => {
      for (const content of ['// my notes\n', 'null', '"text"']) {
        fs.writeFileSync(file(), content);
        assert.equal(await deleteIfEmptyObject(nodeFileSystem, file(), []), false, content);
        assert.equal(fs.readFileSync(file(), 'utf8'), content);
      }
    });

    it('reports a missing file as not deleted', async () => {
      assert.equal(await deleteIfEmptyObject(nodeFileSystem, file(), []), false);
    });

    it('deletes an emptied file and the folders made for it, innermost first, keeping a folder the user filled', async () => {
      const outer = path.join(dir, 'a');
      const inner = path.join(outer, 'b');
      fs.mkdirSync(inner, { recursive: true });
      fs.writeFileSync(path.join(inner, 'mcp.json'), '{}\n');
      fs.writeFileSync(path.join(outer, 'mine.txt'), 'mine');
      assert.equal(await deleteIfEmptyObject(nodeFileSystem, path.join(inner, 'mcp.json'), [outer, inner]), true);
      assert.deepEqual(fs.readdirSync(outer), ['mine.txt']);
    });
  });

  // A person's comments survive the extension's edits: removing the last entry keeps the comment above it, a file of
  // comments only is edited (not refused), and a file left with a comment is never deleted.
  describe('the person\'s comments', () => {
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

    it('a file of line comments without a final line break gets the object on a line of its own, not inside the last comment', async () => {
      assert.equal(await edited('// first\n// second', (document) => document.set(['a'], 1)), '// first\n// second\n{\n  "a": 1\n}');
    });

    it('a file of comments only that the edit leaves alone is not written', async () => {
      fs.writeFileSync(file(), '// nothing yet\n');
      assert.deepEqual(await editJsoncFile(nodeFileSystem, file(), () => undefined), { changed: false, createdFile: false, createdDirs: [] });
      assert.equal(fs.readFileSync(file(), 'utf8'), '// nothing yet\n');
    });
  });
});

describe('config file errors', () => {
  it('an unreadable file is reported with its own error, not as a folder in the way', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const unreadable = { ...nodeFileSystem, readFile: () => Promise.reject(denied) };
    await assert.rejects(readConfigFile(unreadable, '/home/ada/.cursor/mcp.json'), (error: unknown) => error === denied);
  });

  it('are recognised only with their reason and wording', () => {
    const named = (fields: object) => Object.assign(new Error('x'), { name: 'ConfigFileError' }, fields);
    assert.equal(isConfigFileError(named({ reason: 'io', wording: () => 'x' })), true);
    assert.equal(isConfigFileError(named({ reason: 'io' })), false);
    assert.equal(isConfigFileError(named({ wording: () => 'x' })), false);
    assert.equal(isConfigFileError(Object.assign(new Error('x'), { name: 'OtherError', reason: 'io', wording: () => 'x' })), false);
  });

});

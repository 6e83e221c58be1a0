// The real file-system port: only a file that does not exist reads as missing. Anything else that stops a read
// (a folder in its place, no permission) must fail loudly, or the caller would take the file as absent and write
// over it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { editJsoncFile } from '../../../src/core/config/jsoncFile';

const code = (expected: string) => (error: unknown) => (error as NodeJS.ErrnoException).code === expected;

describe('node file system port', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsport-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a file exclusively: never over an existing one', async () => {
    fs.writeFileSync(path.join(dir, 'a.json'), 'mine');
    await assert.rejects(nodeFileSystem.writeFile(path.join(dir, 'a.json'), 'new'), code('EEXIST'));
    assert.equal(fs.readFileSync(path.join(dir, 'a.json'), 'utf8'), 'mine');
  });

  it('reads a missing file as undefined and an existing one as its bytes', async () => {
    assert.equal(await nodeFileSystem.readFile(path.join(dir, 'missing.json')), undefined);
    fs.writeFileSync(path.join(dir, 'a.json'), '{"a":1}');
    assert.equal((await nodeFileSystem.readFile(path.join(dir, 'a.json')))?.toString('utf8'), '{"a":1}');
  });

  it('fails a read of a folder instead of treating it as a missing file', async () => {
    await assert.rejects(nodeFileSystem.readFile(dir), code('EISDIR'));
  });

  it('never writes over a path it cannot read: a folder named like the config file stays a folder', async () => {
    const folder = path.join(dir, 'mcp.json');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'inside.txt'), 'mine');
    await assert.rejects(editJsoncFile(nodeFileSystem, folder, (document) => document.set(['servers'], {})), code('EISDIR'));
    assert.deepEqual(fs.readdirSync(folder), ['inside.txt']);
  });

  it('fails a stat through a file used as a folder instead of calling the path missing', async () => {
    fs.writeFileSync(path.join(dir, 'file'), '');
    await assert.rejects(nodeFileSystem.stat(path.join(dir, 'file', 'child')), code('ENOTDIR'));
    assert.equal(await nodeFileSystem.stat(path.join(dir, 'missing')), undefined);
    assert.deepEqual(await nodeFileSystem.stat(path.join(dir, 'file')), { mode: fs.statSync(path.join(dir, 'file')).mode & 0o777, isFile: true, isDirectory: false });
  });

  it('unlinks a missing file quietly but fails on a folder', async () => {
    await nodeFileSystem.unlink(path.join(dir, 'missing.json'));
    fs.mkdirSync(path.join(dir, 'folder'));
    await assert.rejects(nodeFileSystem.unlink(path.join(dir, 'folder')), (error: unknown) => ['EISDIR', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? ''));
    assert.ok(fs.statSync(path.join(dir, 'folder')).isDirectory());
  });

  it('removes an empty folder, keeps one with something in it, ignores a missing one and fails on a file', async () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.mkdirSync(path.join(dir, 'full'));
    fs.writeFileSync(path.join(dir, 'full', 'mine.txt'), 'mine');
    fs.writeFileSync(path.join(dir, 'file'), '');
    await nodeFileSystem.rmdirIfEmpty(path.join(dir, 'empty'));
    await nodeFileSystem.rmdirIfEmpty(path.join(dir, 'full'));
    await nodeFileSystem.rmdirIfEmpty(path.join(dir, 'missing'));
    await assert.rejects(nodeFileSystem.rmdirIfEmpty(path.join(dir, 'file')), code('ENOTDIR'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['file', 'full']);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'full')), ['mine.txt']);
  });

  it('creates missing folders and names only those it created, outermost first', async () => {
    assert.deepEqual(await nodeFileSystem.mkdir(path.join(dir, 'a', 'b')), [path.join(dir, 'a'), path.join(dir, 'a', 'b')]);
    assert.deepEqual(await nodeFileSystem.mkdir(path.join(dir, 'a', 'b')), []);
  });

  it('closes the file it wrote (no descriptor left open per write)', async function () {
    if (!fs.existsSync('/proc/self/fd')) this.skip();
    const target = (n: number) => path.join(dir, `${n}.json`);
    await nodeFileSystem.writeFile(target(-1), 'warm-up');
    const before = fs.readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) await nodeFileSystem.writeFile(target(i), `{"n": ${i}}`);
    // Other tests' sockets may close meanwhile: allow some noise, far below one descriptor per write.
    assert.ok(fs.readdirSync('/proc/self/fd').length - before < 10);
    assert.equal(fs.readFileSync(target(19), 'utf8'), '{"n": 19}');
  });
});

// Atomic writes of configuration files: the mode a new file gets (0600 for a file that holds a token), the mode an
// existing file keeps, and what a person is told when the write fails. Failures are injected through the port,
// because this suite may run as root, for whom permissions never fail.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../src/core/config/atomicWrite';
import { isConfigFileError } from '../../../src/core/config/configFileError';
import type { ConfigFileError } from '../../../src/core/config/configFileError';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import type { FileSystem } from '../../../src/core/config/fileSystem';

/** The real file system, recording the mode of every file written and failing writes with `failWith` if set. */
function recordingFileSystem(failWith?: unknown): FileSystem & { modes: (number | undefined)[] } {
  const modes: (number | undefined)[] = [];
  return {
    ...nodeFileSystem,
    modes,
    async writeFile(file, data, options) {
      modes.push(options?.mode);
      if (failWith !== undefined) throw failWith;
      await nodeFileSystem.writeFile(file, data, options);
    },
  };
}

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, open`), { code });
}

async function rejection(promise: Promise<unknown>): Promise<ConfigFileError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isConfigFileError(error), `a ConfigFileError, not ${String(error)}`);
    return error;
  }
  assert.fail('the write did not fail');
}

describe('atomic writes', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = () => path.join(dir, 'mcp.json');
  const modeOf = (target: string) => fs.statSync(target).mode & 0o777;

  it('creates a new file holding a token readable by its owner only (0600)', async () => {
    const recorded = recordingFileSystem();
    await writeFileAtomic(recorded, file(), '{"token": "x"}\n', { mode: 0o600 });
    assert.deepEqual(recorded.modes, [0o600]);
    assert.equal(modeOf(file()), 0o600);
    assert.equal(fs.readFileSync(file(), 'utf8'), '{"token": "x"}\n');
  });

  it('creates other new files 0644', async () => {
    const recorded = recordingFileSystem();
    await writeFileAtomic(recorded, file(), '{}\n');
    assert.deepEqual(recorded.modes, [0o644]);
  });

  it('keeps the mode of an existing file, even one wider than the umask allows, over the mode asked for', async () => {
    fs.writeFileSync(file(), '{}\n');
    fs.chmodSync(file(), 0o666);
    const recorded = recordingFileSystem();
    await writeFileAtomic(recorded, file(), '{"a": 1}\n', { mode: 0o600 });
    assert.deepEqual(recorded.modes, [0o666]);
    assert.equal(modeOf(file()), 0o666);
  });

  for (const code of ['EACCES', 'EPERM', 'EROFS']) {
    it(`says permission was denied for the folder on ${code}, keeps the file and leaves no temporary file`, async () => {
      fs.writeFileSync(file(), '{"old": true}\n');
      const injected = errnoError(code);
      const error = await rejection(writeFileAtomic(recordingFileSystem(injected), file(), '{"new": true}\n'));
      assert.equal(error.reason, 'readOnly');
      assert.equal(error.message, `Cannot write ${file()}: permission denied for its folder. Check its permissions and try again; it was left untouched.`);
      assert.equal(error.cause, injected);
      assert.equal(fs.readFileSync(file(), 'utf8'), '{"old": true}\n');
      assert.deepEqual(fs.readdirSync(dir), ['mcp.json']);
    });
  }

  it('passes on the reason of any other failure, with the original error as its cause', async () => {
    const injected = errnoError('ENOSPC');
    const error = await rejection(writeFileAtomic(recordingFileSystem(injected), file(), '{}\n'));
    assert.equal(error.reason, 'io');
    assert.equal(error.message, `Cannot write ${file()}: ENOSPC: injected, open. It was left untouched.`);
    assert.equal(error.cause, injected);
    assert.ok(!fs.existsSync(file()));
  });

  it('still reports a failure that is not an Error object as a file error', async () => {
    const error = await rejection(writeFileAtomic(nodeFileSystem, file(), '{}\n', { beforeRename: () => Promise.reject(undefined) }));
    assert.equal(error.reason, 'io');
    assert.equal(error.message, `Cannot write ${file()}: undefined. It was left untouched.`);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('refuses an existing read-only file before writing anything', async () => {
    fs.writeFileSync(file(), '{}\n');
    fs.chmodSync(file(), 0o444);
    const recorded = recordingFileSystem();
    const error = await rejection(writeFileAtomic(recorded, file(), '{"a": 1}\n'));
    assert.equal(error.reason, 'readOnly');
    assert.equal(error.message, `Cannot edit ${file()}: the file is read-only. Make it writable and try again; it was left untouched.`);
    assert.deepEqual(recorded.modes, []);
  });
});

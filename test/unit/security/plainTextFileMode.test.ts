// Attack: Claude Desktop's file holds the token in plain text. If the file already exists with mode 0644, the
// temporary file used to be created 0644 (the old mode) and narrowed only after the rename: a local reader polling
// the folder could catch the token in between.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import type { FileSystem } from '../../../src/core/config/fileSystem';
import { applyMcpFileBinding, rewritePlainTextToken } from '../../../src/core/mcp/fileBinding';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { freshTokenValue } from '../support/fakeTokenApi';

const launch = buildMcpLaunch({ launcher: 'docker', dockerImage: 'sonarsource/sonarqube-mcp' }, { kind: 'server', serverUrl: 'https://sq.example.com' });

describe('attack: plain-text token file briefly readable by others', () => {
  let dir: string;
  let file: string;
  /** Every mode a file holding the token had, seen from outside (the temporary file right before the rename). */
  let modesSeen: number[];
  /** Every mode the code set or created a file with. */
  let modesRequested: number[];

  const recordingFs: FileSystem = {
    ...nodeFileSystem,
    writeFile: async (target, data, options) => {
      modesRequested.push(options?.mode ?? -1);
      return nodeFileSystem.writeFile(target, data, options);
    },
    chmod: async (target, mode) => {
      modesRequested.push(mode);
      return nodeFileSystem.chmod(target, mode);
    },
  };
  const temporaryFileModes = async () => {
    for (const name of fs.readdirSync(dir).filter((entry) => entry.endsWith('.tmp'))) modesSeen.push(fs.statSync(path.join(dir, name)).mode & 0o777);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plaintext-'));
    file = path.join(dir, 'claude_desktop_config.json');
    fs.writeFileSync(file, '{\n  "mcpServers": {}\n}\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    modesSeen = [];
    modesRequested = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the temporary file 0600 from the start when binding to an existing 0644 file', async () => {
    const token = freshTokenValue();
    await applyMcpFileBinding(recordingFs, { target: 'claudeDesktop', path: file, launch, connectionSlug: 's', plainTextToken: token, beforeRename: temporaryFileModes });
    assert.deepEqual(modesSeen, [0o600]);
    assert.ok(modesRequested.every((mode) => mode === 0o600), `modes used: ${modesRequested.map((mode) => mode.toString(8)).join(', ')}`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(fs.readFileSync(file, 'utf8').includes(token));
    assert.deepEqual(fs.readdirSync(dir), ['claude_desktop_config.json'], 'no temporary file left behind');
  });

  it('never widens the temporary file to the old mode on rotation either', async () => {
    const [oldToken, newToken] = [freshTokenValue(), freshTokenValue()];
    await applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 's', plainTextToken: oldToken });
    fs.chmodSync(file, 0o644); // widened by hand or by another program meanwhile
    const before = fs.readFileSync(file, 'utf8');
    const observing: FileSystem = { ...recordingFs, rename: async (from, to) => (await temporaryFileModes(), nodeFileSystem.rename(from, to)) };
    await rewritePlainTextToken(observing, { path: file, serverName: 'sonarqube', token: newToken });
    assert.deepEqual(modesSeen, [0o600]);
    assert.ok(modesRequested.every((mode) => mode === 0o600), `modes used: ${modesRequested.map((mode) => mode.toString(8)).join(', ')}`);
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace(oldToken, newToken));
  });

  it('creates its temporary files exclusively: a link planted at the name is not followed', async () => {
    const planted = path.join(dir, 'planted.tmp');
    const elsewhere = path.join(dir, 'elsewhere.txt');
    fs.writeFileSync(elsewhere, 'keep');
    fs.symlinkSync(elsewhere, planted);
    await assert.rejects(nodeFileSystem.writeFile(planted, freshTokenValue(), { mode: 0o600 }), { code: 'EEXIST' });
    assert.equal(fs.readFileSync(elsewhere, 'utf8'), 'keep');
  });
});

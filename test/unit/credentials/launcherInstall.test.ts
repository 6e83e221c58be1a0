// The launcher copied from the extension's dist/ to global storage: only when it differs, never half-written, and,
// where a running launcher holds the old binary (Windows), moved aside rather than failing. Entries written for an
// older runtime or launcher path are pointed at the current one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import type { FileSystem } from '../../../src/core/config/fileSystem';
import { installLauncher } from '../../../src/core/mcp/launcherInstall';
import { repairLauncherEntry } from '../../../src/core/mcp/launcherRepair';

describe('MCP launcher install', () => {
  let root: string;
  let dist: string;
  let storage: string;
  let writes: string[];
  let refuseRenameOver: string | undefined;
  const counting: FileSystem = {
    ...nodeFileSystem,
    writeFile: (file, data, options) => (writes.push(path.basename(file).replace(/\.[0-9a-f]{12}\.tmp$/, '.tmp')), nodeFileSystem.writeFile(file, data, options)),
    rename: async (from, to) => {
      if (to === refuseRenameOver && fs.existsSync(to)) throw Object.assign(new Error(`EPERM: operation not permitted, rename '${from}' -> '${to}'`), { code: 'EPERM' });
      return nodeFileSystem.rename(from, to);
    },
  };
  const install = () => installLauncher(counting, { distFolder: dist, storagePath: storage, executable: '/opt/editor/code' });
  const folder = () => path.join(storage, 'launcher');
  const installed = () => fs.readdirSync(folder()).sort();

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-install-'));
    dist = path.join(root, 'extension-0.2.0', 'dist');
    storage = path.join(root, 'globalStorage', 'sonarqube-tokens.sonarqube-tokens');
    fs.mkdirSync(dist, { recursive: true });
    fs.writeFileSync(path.join(dist, 'launcher.js'), 'launcher v1');
    fs.writeFileSync(path.join(dist, 'keyring.node'), 'binary v1');
    writes = [];
    refuseRenameOver = undefined;
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('copies the script and the binary into global storage and names the runtime entries run', async () => {
    const result = await install();
    assert.deepEqual(result, {
      runtime: { executable: '/opt/editor/code', script: path.join(storage, 'launcher', 'launcher.js') },
      written: [path.join(storage, 'launcher', 'keyring.node'), path.join(storage, 'launcher', 'launcher.js')],
    });
    assert.deepEqual(installed(), ['keyring.node', 'launcher.js']);
    assert.equal(fs.readFileSync(path.join(folder(), 'launcher.js'), 'utf8'), 'launcher v1');
    assert.equal(fs.readFileSync(path.join(folder(), 'keyring.node'), 'utf8'), 'binary v1');
  });

  it('writes nothing when the installed copy is current, and only what changed after an update', async () => {
    await install();
    writes = [];
    assert.deepEqual((await install()).written, []);
    assert.deepEqual(writes, []);
    fs.writeFileSync(path.join(dist, 'launcher.js'), 'launcher v2');
    assert.deepEqual((await install()).written, [path.join(folder(), 'launcher.js')]);
    assert.deepEqual(writes, ['launcher.js.tmp']);
    assert.equal(fs.readFileSync(path.join(folder(), 'launcher.js'), 'utf8'), 'launcher v2');
    assert.deepEqual(installed(), ['keyring.node', 'launcher.js']);
  });

  it('installs nothing from a build without the keyring binary (the universal VSIX)', async () => {
    fs.rmSync(path.join(dist, 'keyring.node'));
    assert.deepEqual(await install(), { runtime: undefined, written: [] });
    assert.equal(fs.existsSync(storage), false);
  });

  it('moves a binary in use aside instead of failing, and removes it at the next install', async () => {
    await install();
    fs.writeFileSync(path.join(dist, 'keyring.node'), 'binary v2');
    refuseRenameOver = path.join(folder(), 'keyring.node');
    await install();
    assert.deepEqual(installed(), ['keyring.node', 'keyring.node.old', 'launcher.js']);
    assert.equal(fs.readFileSync(path.join(folder(), 'keyring.node'), 'utf8'), 'binary v2');
    assert.equal(fs.readFileSync(path.join(folder(), 'keyring.node.old'), 'utf8'), 'binary v1');
    refuseRenameOver = undefined;
    await install();
    assert.deepEqual(installed(), ['keyring.node', 'launcher.js']);
  });

  it('leaves the installed copy whole and no temporary file when writing fails', async () => {
    await install();
    fs.writeFileSync(path.join(dist, 'launcher.js'), 'launcher v2');
    const full: FileSystem = { ...counting, writeFile: async () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) };
    await assert.rejects(installLauncher(full, { distFolder: dist, storagePath: storage, executable: '/opt/editor/code' }), /ENOSPC/);
    assert.equal(fs.readFileSync(path.join(folder(), 'launcher.js'), 'utf8'), 'launcher v1');
    assert.deepEqual(installed(), ['keyring.node', 'launcher.js']);
  });
  it('installs nothing from a build without the launcher script', async () => {
    fs.rmSync(path.join(dist, 'launcher.js'));
    assert.deepEqual(await install(), { runtime: undefined, written: [] });
    assert.equal(fs.existsSync(storage), false);
  });

  it('reports a failed rename where no old copy is in the way, leaving no temporary file', async () => {
    const refusing: FileSystem = {
      ...counting,
      rename: async (from, to) => (from.endsWith('.tmp') ? Promise.reject(Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES' })) : nodeFileSystem.rename(from, to)),
    };
    await assert.rejects(installLauncher(refusing, { distFolder: dist, storagePath: storage, executable: '/opt/editor/code' }), { code: 'EACCES' });
    assert.deepEqual(installed(), []);
  });

  it('replaces a copy changed by hand even when it has the same size', async () => {
    await install();
    fs.writeFileSync(path.join(folder(), 'launcher.js'), 'launcher v9');
    assert.deepEqual((await install()).written, [path.join(folder(), 'launcher.js')]);
    assert.equal(fs.readFileSync(path.join(folder(), 'launcher.js'), 'utf8'), 'launcher v1');
  });
});

describe('MCP launcher entry repair', () => {
  const runtime = { executable: '/usr/share/code/code', script: '/home/ada/.config/Code/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js' };
  const written = {
    type: 'stdio',
    command: '/opt/VSCode-linux-x64/code',
    args: ['/home/ada/.config/Code - Insiders/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js', '--binding', 'b-42', '--', 'docker', 'run', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', 'sonarsource/sonarqube-mcp'],
    env: { ELECTRON_RUN_AS_NODE: '1', SONARQUBE_URL: 'https://sonar.example.com' },
  };

  it('points an entry it wrote at the current runtime and launcher, keeping everything else', () => {
    assert.deepEqual(repairLauncherEntry(written, runtime), {
      type: 'stdio',
      command: '/usr/share/code/code',
      args: ['/home/ada/.config/Code/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js', '--binding', 'b-42', '--', 'docker', 'run', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', 'sonarsource/sonarqube-mcp'],
      env: { ELECTRON_RUN_AS_NODE: '1', SONARQUBE_URL: 'https://sonar.example.com' },
    });
  });

  it('repairs a Windows entry whose runtime moved and keeps the script', () => {
    const script = 'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\globalStorage\\sonarqube-tokens.sonarqube-tokens\\launcher\\launcher.js';
    const entry = { command: 'C:\\Program Files\\Microsoft VS Code\\Code.exe', args: [script, '--binding', 'b-1', '--', 'java', '-jar', 'C:\\mcp.jar'], env: { ELECTRON_RUN_AS_NODE: '1' } };
    const current = { executable: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', script };
    assert.deepEqual(repairLauncherEntry(entry, current), {
      command: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe',
      args: [script, '--binding', 'b-1', '--', 'java', '-jar', 'C:\\mcp.jar'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('leaves alone an entry that is current, and entries it did not write', () => {
    assert.equal(repairLauncherEntry({ ...written, command: runtime.executable, args: [runtime.script, ...written.args.slice(1)] }, runtime), undefined);
    assert.equal(repairLauncherEntry({ command: 'docker', args: ['run', '-i', '--rm', 'sonarsource/sonarqube-mcp'] }, runtime), undefined);
    assert.equal(repairLauncherEntry({ command: 'node', args: ['/home/ada/tools/wrapper.js', '--binding', 'b-42', '--', 'docker'] }, runtime), undefined);
    assert.equal(repairLauncherEntry({ command: 'node', args: ['/home/ada/launcher.js', '--binding', 'b-42', '--', 'docker'] }, runtime), undefined);
    assert.equal(repairLauncherEntry({ url: 'https://mcp.example.com' }, runtime), undefined);
  });
  it('repairs an entry whose launcher moved while the runtime stayed (another profile), keeping the runtime', () => {
    const sameRuntime = { ...written, command: runtime.executable };
    assert.deepEqual(repairLauncherEntry(sameRuntime, runtime), {
      type: 'stdio',
      command: '/usr/share/code/code',
      args: ['/home/ada/.config/Code/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js', '--binding', 'b-42', '--', 'docker', 'run', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', 'sonarsource/sonarqube-mcp'],
      env: { ELECTRON_RUN_AS_NODE: '1', SONARQUBE_URL: 'https://sonar.example.com' },
    });
    assert.deepEqual(written.args[0], '/home/ada/.config/Code - Insiders/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js', 'the entry given is not changed');
  });

  it('recognises its script only as launcher/launcher.js, whichever separator the path uses', () => {
    const entry = (script: string) => ({ command: '/opt/old/code', args: [script, '--binding', 'b-1', '--', 'docker'] });
    assert.equal(repairLauncherEntry(entry('D:\\storage\\launcher\\launcher.js'), runtime)?.command, '/usr/share/code/code');
    assert.equal(repairLauncherEntry(entry('/srv/storage/launcher/launcher.js'), runtime)?.command, '/usr/share/code/code');
    for (const script of ['/srv/storage/launcher/launcher.cjs', '/srv/storage/launchers/launcher.js', 'launcher.js', '/srv/launcher/launcher.js/other.js']) {
      assert.equal(repairLauncherEntry(entry(script), runtime), undefined, script);
    }
  });
});

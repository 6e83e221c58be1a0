// The extension host's launcher host: the credential store over the binary beside the bundles, and the launcher
// installed into global storage once per activation. A build without the binary (the universal VSIX) degrades to
// "no credential store", in words, and never fails to load.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLauncherHost, updateInstalledLauncher } from '../../../src/vscode/launcherHost';
import { RecordingLogger } from '../support/recordingLogger';

describe('launcher host', () => {
  let root: string;
  let bundles: string;
  let storage: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-host-'));
    bundles = path.join(root, 'dist');
    storage = path.join(root, 'storage');
    fs.mkdirSync(bundles);
    fs.writeFileSync(path.join(bundles, 'launcher.js'), 'launcher');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('without a keyring binary: the store is unavailable in words, and there is no launcher to install', async () => {
    const host = createLauncherHost(storage, new RecordingLogger(), bundles);
    assert.deepEqual(await host.credentials.probe(), {
      available: false,
      reason: `This installation of the extension has no credential-store library for ${process.platform}-${process.arch}: install the extension built for this platform.`,
    });
    await assert.rejects(host.installLauncher(), { message: 'This build of the extension has no MCP launcher for this platform.' });
    assert.equal(fs.existsSync(storage), false);
  });

  it('installs the launcher once per activation, and updates it when this version ships another', async () => {
    fs.writeFileSync(path.join(bundles, 'keyring.node'), 'binary');
    const logger = new RecordingLogger();
    const host = createLauncherHost(storage, logger, bundles);
    const runtime = { executable: process.execPath, script: path.join(storage, 'launcher', 'launcher.js') };
    assert.deepEqual(await host.installLauncher(), runtime);
    fs.writeFileSync(path.join(bundles, 'launcher.js'), 'launcher v2');
    assert.deepEqual(await host.installLauncher(), runtime);
    assert.equal(fs.readFileSync(runtime.script, 'utf8'), 'launcher');
    assert.deepEqual(await updateInstalledLauncher(storage, logger, bundles), runtime);
    assert.equal(fs.readFileSync(runtime.script, 'utf8'), 'launcher v2');
    assert.deepEqual(logger.lines, [
      `info MCP launcher: installed ${path.join(storage, 'launcher', 'keyring.node')}`,
      `info MCP launcher: installed ${runtime.script}`,
      `info MCP launcher: installed ${runtime.script}`,
    ]);
  });
});

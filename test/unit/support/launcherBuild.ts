// The launcher as it ships: bundled by esbuild.mjs (same options as dist/launcher.js) with this machine's keyring
// binary beside it, into a folder of the test's own.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NativeKeyring } from '../../../src/core/credentials/keyringStore';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface LauncherBuild {
  readonly folder: string;
  readonly script: string;
  readonly binary: string;
  loadKeyring(): NativeKeyring;
  remove(): void;
}

export function buildLauncher(): LauncherBuild {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-launcher-build-'));
  execFileSync(process.execPath, ['esbuild.mjs', '--launcher', folder], { cwd: REPO_ROOT, stdio: 'pipe' });
  const binary = path.join(folder, 'keyring.node');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { folder, script: path.join(folder, 'launcher.js'), binary, loadKeyring: () => require(binary) as NativeKeyring, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

// Locates the packaged extension and packages the test-only extensions of test/e2e/fixtures/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The repository root: compiled files sit in <out folder>/test/e2e/harness/. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** `sonarqube-tokens-<version>.vsix` at the repository root, as `npm run package` writes it. */
export function extensionVsix(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(REPO_ROOT, `${name}-${version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" before the editor tests.`);
  return vsix;
}

const fixtureVsixes = new Map<string, Promise<string>>();

/** Packages the extension in test/e2e/fixtures/<name> once per run into a temp folder. */
function fixtureVsix(name: string): Promise<string> {
  let packaged = fixtureVsixes.get(name);
  if (!packaged) {
    packaged = (async () => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
      process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
      const packagePath = path.join(folder, `${name}.vsix`);
      // vsce's command line rather than its API: its listing of the packaged files stays out of the test output.
      await promisify(execFile)(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies',
        '--allow-missing-repository', '--out', packagePath], { cwd: path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', name) });
      return packagePath;
    })();
    fixtureVsixes.set(name, packaged);
  }
  return packaged;
}

/** The SonarQube for IDE stand-in (test/e2e/fixtures/sonarlint-stub, id SonarSource.sonarlint-vscode). */
export function sonarLintStubVsix(): Promise<string> {
  return fixtureVsix('sonarlint-stub');
}

/** The test-only helper extension every session installs (test/e2e/fixtures/test-control; see harness/testControl.ts). */
export function testControlVsix(): Promise<string> {
  return fixtureVsix('test-control');
}

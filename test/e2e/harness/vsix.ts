// Locates the packaged extension and packages the test-only SonarQube for IDE stub.
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

let stubVsix: Promise<string> | undefined;

/** Packages test/e2e/fixtures/sonarlint-stub (id SonarSource.sonarlint-vscode) once per run into a temp folder. */
export function sonarLintStubVsix(): Promise<string> {
  stubVsix ??= (async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sonarlint-stub-'));
    process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
    const packagePath = path.join(folder, 'sonarlint-stub.vsix');
    // vsce's command line rather than its API: its listing of the packaged files stays out of the test output.
    await promisify(execFile)(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies',
      '--allow-missing-repository', '--out', packagePath], { cwd: path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'sonarlint-stub') });
    return packagePath;
  })();
  return stubVsix;
}

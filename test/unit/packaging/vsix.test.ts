// What the published VSIX holds: the bundles, the manifest and its translations, the l10n message bundle, media,
// README, CHANGELOG and LICENSE; no sources, tests, source maps, build metadata or node_modules, and nothing shaped like a token.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readZipEntries } from './zip';
import type { ZipEntry } from './zip';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

const ALLOWED_ENTRIES = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls(\.[a-z-]+)?\.json$/i,
  /^extension\/l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/i,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/dist\/(extension|sonar|commands|launcher)\.js$/,
  /^extension\/media\/[\w.-]+\.(png|svg)$/,
];

const REQUIRED_ENTRIES = [
  /^extension\/package\.json$/,
  /^extension\/package\.nls\.json$/,
  /^extension\/l10n\/bundle\.l10n\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/sonar\.js$/,
  /^extension\/dist\/commands\.js$/,
  /^extension\/dist\/launcher\.js$/,
];

describe('VSIX contents', function () {
  let tempDir: string;
  let entries: ZipEntry[];

  before(function () {
    this.timeout(120_000);
    // In `npm test` the unit tests run before `npm run package`: bundle first when a clean clone has no dist yet.
    if (!['extension.js', 'sonar.js', 'commands.js', 'launcher.js'].every((file) => fs.existsSync(path.join(REPO_ROOT, 'dist', file)))) {
      execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: REPO_ROOT, stdio: 'pipe' });
    }
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-test-'));
    const vsix = path.join(tempDir, 'under-test.vsix');
    // The same vsce invocation as `npm run package`, writing into a temp folder instead of the repository root.
    execFileSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix],
      { cwd: REPO_ROOT, stdio: 'pipe' });
    entries = readZipEntries(fs.readFileSync(vsix));
  });

  after(function () {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('holds only the bundles, manifest, translations, message bundle, media, README, CHANGELOG and LICENSE', function () {
    const unexpected = entries.map((entry) => entry.name).filter((name) => !ALLOWED_ENTRIES.some((allowed) => allowed.test(name)));
    assert.deepEqual(unexpected, []);
  });

  it('holds every file the extension needs at run time and on the Marketplace page', function () {
    const missing = REQUIRED_ENTRIES.filter((required) => !entries.some((entry) => required.test(entry.name)));
    assert.deepEqual(missing.map(String), []);
  });

  it('ships the files its manifest points at', function () {
    const manifest = JSON.parse(entryNamed('extension/package.json').content().toString('utf8')) as { main: string; icon?: string };
    const referenced = [manifest.main, manifest.icon].filter((file): file is string => file !== undefined);
    for (const file of referenced) {
      const name = `extension/${path.posix.normalize(file)}`;
      assert.ok(entries.some((entry) => entry.name === name), `${name} is referenced by package.json but not packaged`);
    }
  });

  it('contains nothing shaped like a SonarQube token', function () {
    const withTokens = entries.filter((entry) => /sq[uapb]_[0-9a-f]{40}/.test(entry.content().toString('latin1')));
    assert.deepEqual(withTokens.map((entry) => entry.name), []);
  });

  function entryNamed(name: string): ZipEntry {
    const entry = entries.find((candidate) => candidate.name === name);
    assert.ok(entry, `${name} is not in the VSIX`);
    return entry;
  }
});

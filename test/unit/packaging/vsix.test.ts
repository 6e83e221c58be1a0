// What the published VSIXs hold: the bundles, the manifest and its translations, the l10n message bundle, media,
// README, CHANGELOG and LICENSE, and in each platform's VSIX that platform's keyring binary and nothing of another's;
// no sources, tests, source maps, build metadata or node_modules, and nothing shaped like a token. All of them are
// built the way `npm run package:all` builds them, and the one for this machine is loaded.
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
  /^extension\/dist\/keyring\.node$/,
  /^extension\/dist\/keyring\.LICENSE\.third-party\.md$/,
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

/** What each platform's binary must be: its file format, processor and, on Linux, C library. */
const BINARIES: Record<string, { format: 'elf' | 'mach-o' | 'pe'; machine: number; glibc?: boolean }> = {
  'linux-x64': { format: 'elf', machine: 0x3e, glibc: true },
  'linux-arm64': { format: 'elf', machine: 0xb7, glibc: true },
  'linux-armhf': { format: 'elf', machine: 0x28, glibc: true },
  'alpine-x64': { format: 'elf', machine: 0x3e, glibc: false },
  'alpine-arm64': { format: 'elf', machine: 0xb7, glibc: false },
  'darwin-x64': { format: 'mach-o', machine: 0x01000007 },
  'darwin-arm64': { format: 'mach-o', machine: 0x0100000c },
  'win32-x64': { format: 'pe', machine: 0x8664 },
  'win32-arm64': { format: 'pe', machine: 0xaa64 },
};

/** Read from the headers, not from the file name: ELF e_machine, Mach-O cputype, PE machine; glibc by its symbol versions. */
function describeBinary(binary: Buffer): { format: string; machine: number; glibc?: boolean } {
  if (binary.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return { format: 'elf', machine: binary.readUInt16LE(18), glibc: binary.includes('GLIBC_2.') };
  if (binary.readUInt32LE(0) === 0xfeedfacf) return { format: 'mach-o', machine: binary.readUInt32LE(4) };
  if (binary.subarray(0, 2).toString('latin1') === 'MZ') {
    const pe = binary.readUInt32LE(0x3c);
    assert.equal(binary.subarray(pe, pe + 4).toString('latin1'), 'PE\0\0');
    return { format: 'pe', machine: binary.readUInt16LE(pe + 4) };
  }
  return { format: 'unknown', machine: 0 };
}

/** This machine's target as scripts/package.mjs names it. */
function thisMachine(): string {
  const musl = process.platform === 'linux' && !(process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
  return `${musl ? 'alpine' : process.platform}-${process.arch === 'arm' ? 'armhf' : process.arch}`;
}

describe('VSIX contents, per platform', function () {
  let tempDir: string;
  const vsixes = new Map<string, ZipEntry[]>();

  before(function () {
    this.timeout(300_000);
    // In `npm test` the unit tests run before `npm run package`: bundle first when a clean clone has no dist yet.
    const built = ['dist/extension.js', 'dist/sonar.js', 'dist/commands.js', 'dist/launcher.js', 'l10n/bundle.l10n.json'];
    if (!built.every((file) => fs.existsSync(path.join(REPO_ROOT, file)))) {
      execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: REPO_ROOT, stdio: 'pipe' });
    }
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-test-'));
    // What `npm run package:all` runs, writing into a temp folder instead of vsix/.
    execFileSync(process.execPath, ['scripts/package.mjs', '--all', '--no-build', '--out', tempDir], { cwd: REPO_ROOT, stdio: 'pipe' });
    for (const file of fs.readdirSync(tempDir)) {
      const target = /^sonarqube-tokens-[\d.]+-(.+)\.vsix$/.exec(file)?.[1];
      assert.ok(target, `unexpected file ${file}`);
      vsixes.set(target, readZipEntries(fs.readFileSync(path.join(tempDir, file))));
    }
  });

  after(function () {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('builds one VSIX per platform and a universal one', function () {
    assert.deepEqual([...vsixes.keys()].sort(), [
      'alpine-arm64', 'alpine-x64', 'darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-armhf', 'linux-x64', 'universal', 'win32-arm64', 'win32-x64',
    ]);
  });

  it('holds only the bundles, manifest, translations, message bundle, media, README, CHANGELOG, LICENSE and the keyring binary', function () {
    for (const [target, entries] of vsixes) {
      const unexpected = entries.map((entry) => entry.name).filter((name) => !ALLOWED_ENTRIES.some((allowed) => allowed.test(name)));
      assert.deepEqual(unexpected, [], target);
    }
  });

  it('holds every file the extension needs at run time and on the Marketplace page', function () {
    for (const [target, entries] of vsixes) {
      const missing = REQUIRED_ENTRIES.filter((required) => !entries.some((entry) => required.test(entry.name)));
      assert.deepEqual(missing.map(String), [], target);
    }
  });

  it('ships the files its manifest points at', function () {
    for (const [target, entries] of vsixes) {
      const manifest = JSON.parse(entryNamed(entries, 'extension/package.json').content().toString('utf8')) as { main: string; icon?: string };
      const referenced = [manifest.main, manifest.icon].filter((file): file is string => file !== undefined);
      for (const file of referenced) {
        const name = `extension/${path.posix.normalize(file)}`;
        assert.ok(entries.some((entry) => entry.name === name), `${target}: ${name} is referenced by package.json but not packaged`);
      }
    }
  });

  it("carries exactly its own platform's keyring binary, with its licence notice, and says which platform it is for", function () {
    for (const [target, expected] of Object.entries(BINARIES)) {
      const entries = vsixes.get(target)!;
      assert.deepEqual(entries.filter((entry) => entry.name.endsWith('.node')).map((entry) => entry.name), ['extension/dist/keyring.node'], target);
      assert.deepEqual(describeBinary(entryNamed(entries, 'extension/dist/keyring.node').content()), expected, target);
      assert.match(entryNamed(entries, 'extension/dist/keyring.LICENSE.third-party.md').content().toString('utf8'), /licen[cs]e/i, target);
      assert.match(entryNamed(entries, 'extension.vsixmanifest').content().toString('utf8'), new RegExp(`<Identity [^>]*TargetPlatform="${target}"`), target);
    }
  });

  it('leaves the binary out of the universal VSIX, which is for no platform in particular', function () {
    const entries = vsixes.get('universal')!;
    assert.deepEqual(entries.filter((entry) => entry.name.includes('keyring')).map((entry) => entry.name), []);
    assert.doesNotMatch(entryNamed(entries, 'extension.vsixmanifest').content().toString('utf8'), /TargetPlatform/);
  });

  it("loads this machine's binary from its VSIX", function () {
    const target = thisMachine();
    assert.ok(target in BINARIES, `no VSIX for ${target}`);
    const folder = fs.mkdtempSync(path.join(tempDir, 'unpacked-'));
    const binary = path.join(folder, 'keyring.node');
    fs.writeFileSync(binary, entryNamed(vsixes.get(target)!, 'extension/dist/keyring.node').content());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const keyring = require(binary) as { AsyncEntry: unknown; Entry: new (service: string, account: string, options?: unknown) => { getPassword: unknown } };
    assert.equal(typeof keyring.AsyncEntry, 'function');
    // Making an entry touches no store (on Linux the kernel keyring's handle, not the Secret Service's bus).
    const entry = new keyring.Entry('sonarqube-tokens-packaging-test', 'load-check', { linux: { store: 'keyutils' } });
    assert.equal(typeof entry.getPassword, 'function');
  });

  it('contains nothing shaped like a SonarQube token', function () {
    for (const [target, entries] of vsixes) {
      const withTokens = entries.filter((entry) => /sq[uapb]_[0-9a-f]{40}/.test(entry.content().toString('latin1')));
      assert.deepEqual(withTokens.map((entry) => entry.name), [], target);
    }
  });

  function entryNamed(entries: ZipEntry[], name: string): ZipEntry {
    const entry = entries.find((candidate) => candidate.name === name);
    assert.ok(entry, `${name} is not in the VSIX`);
    return entry;
  }
});

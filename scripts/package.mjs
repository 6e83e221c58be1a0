// Packages the extension. The credential store needs @napi-rs/keyring's native binary, one per platform, so there is a
// VSIX per platform (`vsce package --target`), each carrying only its own binary as dist/keyring.node (the launcher
// loads it from beside itself), and a universal VSIX without one, where binds explain there is no credential store.
//   node scripts/package.mjs          this platform's VSIX, sonarqube-tokens-<version>.vsix (the editor tests install it)
//   node scripts/package.mjs --all    every platform's, and the universal one, into vsix/
//   --out <folder>                    write there instead; --no-build: package dist/ as it is
// Another platform's binary comes from the npm registry at build time (`npm pack`, kept in .cache/keyring/), never at
// run time.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const KEYRING = '@napi-rs/keyring';
/** Where the binary goes in the VSIX, and its licence notice (the Rust crates compiled into it). */
export const BINARY_ENTRY = 'dist/keyring.node';
export const BINARY_NOTICE_ENTRY = 'dist/keyring.LICENSE.third-party.md';

/** vsce's target name -> the suffix of @napi-rs/keyring's package for it (`@napi-rs/keyring-<suffix>`). */
export const TARGETS = {
  'linux-x64': 'linux-x64-gnu',
  'linux-arm64': 'linux-arm64-gnu',
  'linux-armhf': 'linux-arm-gnueabihf',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64-msvc',
  'win32-arm64': 'win32-arm64-msvc',
};

/** This machine's vsce target, or undefined where none of ours fits (then the universal VSIX is built). */
export function currentTarget(platform = process.platform, arch = process.arch) {
  const musl = platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime;
  const name = `${musl ? 'alpine' : platform}-${arch === 'arm' ? 'armhf' : arch}`;
  return name in TARGETS ? name : undefined;
}

function manifest() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

/** The version of each platform package @napi-rs/keyring itself asks for: the binary matches its JS API. */
function binaryPackage(target) {
  const name = `${KEYRING}-${TARGETS[target]}`;
  const version = JSON.parse(fs.readFileSync(require.resolve(`${KEYRING}/package.json`), 'utf8')).optionalDependencies[name];
  if (!version) throw new Error(`${KEYRING} names no package ${name}`);
  return { name, version, file: `keyring.${TARGETS[target]}.node` };
}

/** The files of a package tarball (`package/<path>`) that `wanted` picks, by path. */
function filesInTarball(tarball, wanted) {
  const tar = gunzipSync(tarball);
  const found = new Map();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (wanted.includes(name)) found.set(name, tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return found;
}

/** The binary and its notice for a target: from node_modules when npm installed that very package, else from the registry. */
export async function keyringBinary(target, cacheDir = path.join(ROOT, '.cache', 'keyring')) {
  const { name, version, file } = binaryPackage(target);
  try {
    const folder = path.dirname(require.resolve(`${name}/package.json`));
    if (JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')).version === version) {
      return { binary: fs.readFileSync(path.join(folder, file)), notice: fs.readFileSync(path.join(folder, 'LICENSE.third-party.md')) };
    }
  } catch {
    // Not installed here (another platform's package): fetched below.
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const tarball = path.join(cacheDir, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!fs.existsSync(tarball)) {
    // npm checks the tarball against the registry's integrity hash.
    await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', `${name}@${version}`, '--pack-destination', cacheDir, '--silent'], { cwd: cacheDir, shell: process.platform === 'win32' });
  }
  const files = filesInTarball(fs.readFileSync(tarball), [`package/${file}`, 'package/LICENSE.third-party.md']);
  const binary = files.get(`package/${file}`);
  if (!binary) throw new Error(`${path.basename(tarball)} has no ${file}`);
  return { binary, notice: files.get('package/LICENSE.third-party.md') };
}

const vsce = () => [require.resolve('@vscode/vsce/vsce')];

/** What vsce packages (per .vscodeignore), without the host's binary that the build puts in dist/. */
async function packagedFiles() {
  const { stdout } = await run(process.execPath, [...vsce(), 'ls', '--no-dependencies'], { cwd: ROOT });
  return stdout.split(/\r?\n/).filter((file) => file !== '' && file !== BINARY_ENTRY && file !== BINARY_NOTICE_ENTRY);
}

/** Packages one VSIX from a copy of the packaged files, with this target's binary or (target undefined) none. */
async function packageOne(files, target, out) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-vsix-'));
  try {
    for (const file of [...files, '.vscodeignore']) {
      fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
    }
    const targetArgs = [];
    if (target) {
      const { binary, notice } = await keyringBinary(target);
      fs.writeFileSync(path.join(stage, BINARY_ENTRY), binary);
      if (notice) fs.writeFileSync(path.join(stage, BINARY_NOTICE_ENTRY), notice);
      targetArgs.push('--target', target);
    }
    await run(process.execPath, [...vsce(), 'package', '--no-dependencies', ...targetArgs, '--out', out], { cwd: stage });
    return out;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Builds (unless told not to) and packages; returns the VSIX paths by target (`universal` for the one without a binary). */
export async function packageExtension({ all = false, out, build = true } = {}) {
  if (build) await run(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT });
  const { name, version } = manifest();
  const files = await packagedFiles();
  if (!all) {
    const target = currentTarget();
    if (!target) console.warn(`No keyring binary for ${process.platform}-${process.arch}: packaging the universal VSIX (no credential store).`);
    const file = path.join(out ?? ROOT, `${name}-${version}.vsix`);
    return { [target ?? 'universal']: await packageOne(files, target, file) };
  }
  const folder = out ?? path.join(ROOT, 'vsix');
  fs.mkdirSync(folder, { recursive: true });
  const jobs = [...Object.keys(TARGETS), undefined].map((target) => async () => [target ?? 'universal', await packageOne(files, target, path.join(folder, `${name}-${version}-${target ?? 'universal'}.vsix`))]);
  const results = [];
  // vsce is mostly CPU: as many at once as there are cores.
  const workers = Array.from({ length: Math.min(os.availableParallelism(), jobs.length) }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) results.push(await job());
  });
  await Promise.all(workers);
  return Object.fromEntries(results);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const built = await packageExtension({ all: args.includes('--all'), out: outIndex >= 0 ? path.resolve(args[outIndex + 1]) : undefined, build: !args.includes('--no-build') });
  for (const [target, file] of Object.entries(built)) console.log(`${target}: ${path.relative(process.cwd(), file)}`);
}

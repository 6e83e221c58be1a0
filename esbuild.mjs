// Builds the extension: a small entry bundle loaded at activation, and the HTTP client bundle loaded on first use.
// Also the MCP launcher (dist/launcher.js) and, beside it, this machine's keyring binary (dist/keyring.node).
// `node esbuild.mjs --launcher <folder>` builds only the launcher, with the binary beside it, into <folder> (its tests).
import * as esbuild from 'esbuild';
import { copyFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import l10n from './scripts/l10n/bundle.cjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: {
    extension: 'src/extension.ts',
    // Loaded on first use, so that activation only pays for registering views and command ids:
    // the Web API client (undici and the zod schemas) and the commands' implementations.
    sonar: 'src/core/sonar/index.ts',
    commands: 'src/vscode/commands.ts',
    // Run by MCP clients outside VS Code: loads only what reading a token and starting the server need.
    launcher: 'src/launcher/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's default (UMD) build loads its parts at run time, which a bundle cannot resolve: take its ESM build.
  mainFields: ['module', 'main'],
  external: ['vscode', './sonar.js', './commands.js'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  legalComments: 'none',
  logLevel: 'info',
  logOverride: { 'import-is-undefined': 'error' },
};

// Every build writes l10n/bundle.l10n.json anew from the sources, so the bundle shipped is never stale; a message
// given to t() as a variable fails the build (a translator would never see it).
const l10nBundle = {
  name: 'l10n-bundle',
  setup(build) {
    build.onStart(() => {
      try {
        l10n.writeBundle(process.cwd());
        return undefined;
      } catch (error) {
        return { errors: [{ text: error.message }] };
      }
    });
  },
};

function writeMetafile(result) {
  if (!result.metafile) return;
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
}

/** @napi-rs/keyring's binary for this machine (the package its index.js would pick), or undefined when not installed. */
function hostKeyringBinary() {
  const abi = { linux: process.report.getReport().header.glibcVersionRuntime ? '-gnu' : '-musl', win32: '-msvc' }[process.platform] ?? '';
  const suffix = `${process.platform}-${process.arch}${abi}`;
  try {
    return createRequire(import.meta.url).resolve(`@napi-rs/keyring-${suffix}/keyring.${suffix}.node`);
  } catch {
    return undefined;
  }
}

function copyKeyringBinary(folder) {
  const binary = hostKeyringBinary();
  if (binary) copyFileSync(binary, path.join(folder, 'keyring.node'));
}

const launcherOnly = process.argv.indexOf('--launcher');
if (launcherOnly !== -1) {
  const outdir = process.argv[launcherOnly + 1];
  await esbuild.build({ ...options, entryPoints: { launcher: options.entryPoints.launcher }, outdir, metafile: false, logLevel: 'warning' });
  copyKeyringBinary(outdir);
} else if (watch) {
  const ctx = await esbuild.context({
    ...options,
    plugins: [l10nBundle, { name: 'metafile', setup: (build) => build.onEnd(writeMetafile) }],
  });
  copyKeyringBinary('dist');
  await ctx.watch();
} else {
  const { rmSync } = await import('node:fs');
  rmSync('dist', { recursive: true, force: true });
  writeMetafile(await esbuild.build({ ...options, plugins: [l10nBundle] }));
  copyKeyringBinary('dist');
}

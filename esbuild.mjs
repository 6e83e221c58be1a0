// Builds the extension: a small entry bundle loaded at activation, and the HTTP client bundle loaded on first use.
import * as esbuild from 'esbuild';
import { writeFileSync, mkdirSync } from 'node:fs';
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

if (watch) {
  const ctx = await esbuild.context({
    ...options,
    plugins: [l10nBundle, { name: 'metafile', setup: (build) => build.onEnd(writeMetafile) }],
  });
  await ctx.watch();
} else {
  const { rmSync } = await import('node:fs');
  rmSync('dist', { recursive: true, force: true });
  writeMetafile(await esbuild.build({ ...options, plugins: [l10nBundle] }));
}

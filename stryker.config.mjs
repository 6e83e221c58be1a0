// Mutation testing of the core: `npm run mutation` (all of src/core) or `npm run mutation -- config` (one folder
// or file under src/core). Stryker changes the compiled core in small ways and runs, per change, only the unit tests
// that cover it; a change no test notices is a "survivor". See docs/testing.md.
const target = process.env.MUTATION_TARGET ?? '';
const reportName = target === '' ? 'core' : target.replace(/\.ts$/, '').replace(/[\\/]/g, '-');
const mutate = target === ''
  ? ['out/src/core/**/*.js']
  : target.endsWith('.ts')
    ? [`out/src/core/${target.replace(/\.ts$/, '.js')}`]
    : [`out/src/core/${target}/**/*.js`];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  coverageAnalysis: 'perTest',
  mutate,
  mochaOptions: {
    config: '.mocharc.json',
    // The packaging and manifest tests check the VSIX and package.json, never the core.
    spec: ['out/test/unit/**/*.test.js'],
    ignore: ['out/test/unit/packaging/**', 'out/test/unit/manifest/**'],
  },
  plugins: ['@stryker-mutator/mocha-runner', './scripts/mutation/tscEmitIgnorer.mjs'],
  ignorers: ['tsc-emit'],
  // The machine running this is usually shared: one test process unless told otherwise (--concurrency N).
  concurrency: 1,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  ignorePatterns: ['/dist', '*.vsix', '/.vscode-test', '/.cache', '/test-results', '/reports', '/bench', '/docs', '/media', '/test/e2e'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

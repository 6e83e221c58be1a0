// Mutation testing of the core: `npm run mutation` (all of src/core) or `npm run mutation -- config` (one folder
// or file under src/core). Stryker changes the compiled core in small ways and runs, per change, only the unit tests
// that cover it; a change no test notices is a "survivor". See docs/testing.md.
import * as fs from 'node:fs';
import { reportName as reportNameOf, targetParts } from './scripts/mutation/target.mjs';

const target = process.env.MUTATION_TARGET ?? '';
// A comma-separated list mutates several folders or files in one run (one dry run of the suite instead of several).
const targets = targetParts(target);
const reportName = reportNameOf(target);
const mutate = targets.length === 0
  ? ['out/src/core/**/*.js']
  : targets.map((part) => (part.endsWith('.ts') ? `out/src/core/${part.replace(/\.ts$/, '.js')}` : `out/src/core/${part}/**/*.js`));

/**
 * The unit test folders, the slow ones (real servers, keyrings, timeouts, the crash matrix) last: a mutant is usually
 * killed by a fast test of its own folder first, and a module-level (static) mutant, which runs every test, stops at
 * that test. The packaging and manifest tests check the VSIX and package.json, never the core.
 */
function unitTestSpec() {
  const slow = ['host', 'compatibility', 'credentials', 'crash', 'sonar', 'auth', 'fake-sonarqube', 'faults'];
  const unrelated = ['packaging', 'manifest'];
  const folders = fs.readdirSync('out/test/unit', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !unrelated.includes(entry.name))
    .filter((entry) => fs.readdirSync(`out/test/unit/${entry.name}`, { recursive: true }).some((name) => String(name).endsWith('.test.js')))
    .map((entry) => entry.name)
    .sort((a, b) => slow.indexOf(a) - slow.indexOf(b) || a.localeCompare(b));
  return folders.map((folder) => `out/test/unit/${folder}/**/*.test.js`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  coverageAnalysis: 'perTest',
  mutate,
  mochaOptions: {
    config: '.mocharc.json',
    spec: unitTestSpec(),
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
  ignorePatterns: ['/dist', '*.vsix', '/.vscode-test', '/.cache', '/test-results', '/reports', '/bench', '/media', '/test/e2e/*', '!/test/e2e/fixtures'],
  // Incremental: a second run of the same target reuses every result whose code and tests did not change, so a run
  // at a new commit costs only the mutants that commit can affect (https://stryker-mutator.io/docs/stryker-js/incremental).
  incremental: true,
  incrementalFile: `reports/mutation/${reportName}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

// `npm run mutation [-- <folder or file under src/core>] [-- <stryker options>]`: runs Stryker with the Node 22 it
// needs (the `node` devDependency), whatever Node runs npm. Stryker's own flags after the target pass through,
// e.g. `npm run mutation -- config --concurrency 2`.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reportName } from './target.mjs';

const [first, ...rest] = process.argv.slice(2);
const target = first !== undefined && !first.startsWith('-') ? first.replace(/^src\/core\/?/, '').replace(/\/$/, '') : '';
const strykerArgs = target === '' && first !== undefined ? [first, ...rest] : rest;

const node22 = path.join('node_modules', 'node', 'bin', 'node');
const stryker = path.join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const mutationTarget = target || process.env.MUTATION_TARGET || '';
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
// Which code the run measured, so the table can say it: the commit, and whether src/ or test/ differed from it.
const commit = git('rev-parse', '--short', 'HEAD');
const changed = git('status', '--porcelain', '--', 'src', 'test') !== '';
const result = spawnSync(node22, [stryker, 'run', 'stryker.config.mjs', ...strykerArgs], {
  stdio: 'inherit',
  env: { ...process.env, MUTATION_TARGET: mutationTarget },
});
if (result.status === 0) {
  const run = { commit, changedSinceCommit: changed, finished: new Date().toISOString(), options: strykerArgs };
  fs.writeFileSync(path.join('reports', 'mutation', `${reportName(mutationTarget)}.run.json`), `${JSON.stringify(run, null, 2)}\n`);
}
process.exit(result.status ?? 1);

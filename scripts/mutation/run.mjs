// `npm run mutation [-- <folder or file under src/core>] [-- <stryker options>]`: runs Stryker with the Node 22 it
// needs (the `node` devDependency), whatever Node runs npm. Stryker's own flags after the target pass through,
// e.g. `npm run mutation -- config --concurrency 2`.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const [first, ...rest] = process.argv.slice(2);
const target = first !== undefined && !first.startsWith('-') ? first.replace(/^src\/core\/?/, '').replace(/\/$/, '') : '';
const strykerArgs = target === '' && first !== undefined ? [first, ...rest] : rest;

const node22 = path.join('node_modules', 'node', 'bin', 'node');
const stryker = path.join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const result = spawnSync(node22, [stryker, 'run', 'stryker.config.mjs', ...strykerArgs], {
  stdio: 'inherit',
  env: { ...process.env, MUTATION_TARGET: target || process.env.MUTATION_TARGET || '' },
});
process.exit(result.status ?? 1);

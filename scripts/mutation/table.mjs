// Prints the mutation score per folder of src/core, as the Markdown table in docs/testing.md, from the JSON reports
// that `npm run mutation` leaves in reports/mutation/ (the newest report of each file wins), with the commit and date
// of the run each folder's numbers come from (`<report>.run.json`, written by scripts/mutation/run.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';

const reportDir = path.join('reports', 'mutation');
const newestFirst = fs.readdirSync(reportDir)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.incremental.json') && !name.endsWith('.run.json'))
  .map((name) => path.join(reportDir, name))
  .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);

/** `abc1234, 2026-12-04`; `+ changes` when src/ or test/ differed from that commit; `?` for a run without its record. */
function runOf(report) {
  const record = report.replace(/\.json$/, '.run.json');
  if (!fs.existsSync(record)) return '?';
  const { commit, changedSinceCommit, finished } = JSON.parse(fs.readFileSync(record, 'utf8'));
  return `${commit}${changedSinceCommit ? ' + changes' : ''}, ${finished.slice(0, 10)}`;
}

const filesMeasured = new Map();
for (const report of newestFirst) {
  for (const [file, { mutants }] of Object.entries(JSON.parse(fs.readFileSync(report, 'utf8')).files)) {
    if (!filesMeasured.has(file)) filesMeasured.set(file, { mutants, run: runOf(report) });
  }
}

const folders = new Map();
for (const [file, { mutants, run }] of filesMeasured) {
  const folder = path.posix.dirname(file.replace(/\\/g, '/').replace(/^out\/src\//, ''));
  const counts = folders.get(folder) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, errors: 0, runs: new Set() };
  for (const { status } of mutants) {
    if (status in counts) counts[status] += 1;
    else if (status === 'RuntimeError' || status === 'CompileError') counts.errors += 1;
  }
  counts.runs.add(run);
  folders.set(folder, counts);
}

console.log('| folder | mutation score | killed | timed out | survived | not covered | ignored | errors | run (commit, date) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [folder, c] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
  console.log(`| ${folder} | ${score} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.Ignored} | ${c.errors} | ${[...c.runs].join('; ')} |`);
}

// Runs the editor suite N times in a row on a clean checkout of HEAD and prints how many runs passed, to measure
// whether the suite is stable: `npm run test:e2e:repeat -- 10 [--retries 0]`.
// Uncommitted changes are not tested (the checkout is HEAD). node_modules is hard-linked from this checkout. Each run
// takes /tmp/sqt-e2e.lock on its own, so other people's single editor tests can run between the runs. A failing run's
// test-results/ are kept under test-results/repeat/<run>/ of this checkout.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const E2E_LOCK = '/tmp/sqt-e2e.lock';

function usage(message) {
  process.stderr.write(`${message}\nusage: npm run test:e2e:repeat -- <runs> [--retries <n>]\n`);
  process.exit(2);
}

function parseArguments(argv) {
  const options = { runs: 0, retries: undefined };
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--retries') options.retries = Number(argv[++index]);
    else options.runs = Number(argv[index]);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) usage('The number of runs must be a whole number above 0.');
  if (options.retries !== undefined && !(Number.isInteger(options.retries) && options.retries >= 0)) {
    usage('--retries takes a whole number, 0 or more.');
  }
  return options;
}

/** How long a stopped suite may take to close its browsers before it and its servers are killed. */
const STOP_GRACE_MS = 15_000;

let running;
let temp;
// Ctrl+C or a kill interrupts the running suite (SIGINT: playwright closes its browsers; SIGTERM only closes them and
// mocha would go on with the next test), then kills whatever is left of it, then the finally block cleans up.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    process.exitCode = 130;
    if (!running) return;
    signalGroup(running.pid, 'SIGINT');
    setTimeout(() => {
      if (running) signalGroup(running.pid, 'SIGKILL');
      stopLeftovers();
    }, STOP_GRACE_MS);
  });
}

function signalGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

/**
 * Kills the process groups of processes started from the temp folder: the runs' TMPDIR is inside it, so every
 * code-server a test started (in a group of its own) names it on its command line, also when its test was killed.
 */
function stopLeftovers() {
  if (!temp) return;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)) {
    if (pid === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(temp)) continue;
      const processGroup = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[2]);
      signalGroup(processGroup, 'SIGKILL');
    } catch { /* it ended meanwhile */ }
  }
}

/** Runs a command in its own process group; output goes to ours and, when given, into `logFile`. */
function run(command, args, cwd, logFile) {
  return new Promise((resolve) => {
    const env = { ...process.env, TMPDIR: path.join(temp, 'tmp') };
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    const log = logFile ? fs.createWriteStream(logFile) : undefined;
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
        log?.write(chunk);
      });
    }
    child.on('close', (code, signal) => {
      running = undefined;
      // Whatever the suite left behind (a code-server whose test was killed) goes with it.
      signalGroup(child.pid, 'SIGKILL');
      stopLeftovers();
      log?.end();
      resolve({ code: signal ? 1 : code, output });
    });
  });
}

async function mustRun(command, args, cwd) {
  const { code } = await run(command, args, cwd);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${code})`);
}

function summaryOf(output) {
  const lines = output.match(/^mocha: \d+ passed, \d+ failed, \d+ skipped$/gm);
  return lines ? lines[lines.length - 1] : 'no summary line';
}

function failedTitles(output) {
  return [...output.matchAll(/^\s+\d+\) (.+)$/gm)].map((match) => match[1].trim());
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const head = execFileSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-e2e-repeat-'));
  fs.mkdirSync(path.join(temp, 'tmp'));
  const checkout = path.join(temp, 'repo');
  const keptResults = path.join(REPO, 'test-results', 'repeat');
  const results = [];
  try {
    execFileSync('git', ['clone', '--quiet', '--no-checkout', REPO, checkout]);
    execFileSync('git', ['-C', checkout, 'checkout', '--quiet', '--detach', head]);
    execFileSync('cp', ['-al', path.join(REPO, 'node_modules'), path.join(checkout, 'node_modules')]);
    process.stdout.write(`e2e-repeat: ${options.runs} runs of the editor suite at ${head.slice(0, 7)} in ${checkout}\n`);
    await mustRun('npm', ['run', 'compile'], checkout);
    await mustRun('npm', ['run', 'package'], checkout);
    fs.rmSync(keptResults, { recursive: true, force: true });
    const mochaArgs = ['--config', 'test/e2e/.mocharc.json'];
    if (options.retries !== undefined) mochaArgs.push('--retries', String(options.retries));
    for (let runNumber = 1; runNumber <= options.runs && process.exitCode !== 130; runNumber++) {
      fs.rmSync(path.join(checkout, 'test-results'), { recursive: true, force: true });
      const started = Date.now();
      const logFile = path.join(temp, `run-${runNumber}.log`);
      const { code, output } = await run('flock', [E2E_LOCK, 'npx', 'mocha', ...mochaArgs], checkout, logFile);
      const passed = code === 0;
      const minutes = ((Date.now() - started) / 60_000).toFixed(1);
      const failures = failedTitles(output);
      results.push({ runNumber, passed, summary: summaryOf(output), failures, minutes });
      if (!passed) {
        const kept = path.join(keptResults, String(runNumber));
        fs.mkdirSync(kept, { recursive: true });
        fs.copyFileSync(logFile, path.join(kept, 'run.log'));
        if (fs.existsSync(path.join(checkout, 'test-results'))) {
          fs.cpSync(path.join(checkout, 'test-results'), kept, { recursive: true });
        }
      }
      process.stdout.write(`\ne2e-repeat: run ${runNumber} of ${options.runs} ${passed ? 'passed' : 'FAILED'} ` +
        `(${results.at(-1).summary}, ${minutes} min)${failures.length ? `: ${failures.join('; ')}` : ''}\n`);
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  process.stdout.write(`\ne2e-repeat at ${head.slice(0, 7)}${options.retries !== undefined ? ` (retries ${options.retries})` : ''}:\n`);
  for (const result of results) {
    process.stdout.write(`  run ${result.runNumber}: ${result.passed ? 'passed' : 'FAILED'} (${result.summary}, ` +
      `${result.minutes} min)${result.failures.length ? ` ${result.failures.join('; ')}` : ''}\n`);
  }
  const passedRuns = results.filter((result) => result.passed).length;
  process.stdout.write(`${passedRuns} of ${options.runs} passed\n`);
  if (passedRuns !== options.runs) {
    process.stdout.write(`failed runs' logs and test-results: ${keptResults}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`e2e-repeat: ${error.message}\n`);
  process.exitCode = 1;
});

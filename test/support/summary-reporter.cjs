// Mocha's spec reporter plus one closing line in the plain form CI reads: "mocha: N passed, N failed, N skipped".
// A test that is retried (the editor tests allow one retry) is named with the first attempt's error, so that a flaky
// step shows in the log even when the retry passes.
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_RETRY } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.on(EVENT_TEST_RETRY, (test, error) => {
      const reason = String((error && error.message) || error).split('\n')[0];
      process.stdout.write(`    retrying "${test.fullTitle()}" after: ${reason}\n`);
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? this.stats;
      process.stdout.write(`\nmocha: ${passes} passed, ${failures} failed, ${pending} skipped\n`);
    });
  }
}

module.exports = SummaryReporter;

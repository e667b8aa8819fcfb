'use strict';
// Ends the run with one plain line, "tests: N passed, N failed, N skipped", that any CI log
// reader understands, whatever jest's own summary looks like.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;

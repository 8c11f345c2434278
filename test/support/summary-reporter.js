/**
 * Prints one plain closing line CI can read ("jest: N passed, N failed, N skipped"), and how
 * many tests ran against each database (test titles name it: "... on pglite").
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const perDatabase = { pglite: 0, postgresql: 0 };
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'passed') continue;
        for (const kind of Object.keys(perDatabase)) {
          if (test.ancestorTitles.some((title) => title.endsWith(` on ${kind}`))) perDatabase[kind] += 1;
        }
      }
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\npassed per database: pglite ${perDatabase.pglite}, postgresql ${perDatabase.postgresql}\n`);
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;

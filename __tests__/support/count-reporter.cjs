// Prints the plain closing line that CI reads: "N passed, M failed".
class CountReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`)
  }
}
module.exports = CountReporter

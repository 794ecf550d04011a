// Coverage counts our own contracts: the emulated issuers and test doubles are not the product.
// The json-summary report feeds scripts/check-coverage.ts, which enforces the thresholds in CI.
module.exports = {
  skipFiles: ["sandbox/", "test/"],
  configureYulOptimizer: true,
  istanbulReporter: ["text", "json-summary"],
};

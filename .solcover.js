// Coverage counts our own contracts: the emulated issuers and test doubles are not the product.
module.exports = {
  skipFiles: ["sandbox/", "test/"],
  configureYulOptimizer: true,
};

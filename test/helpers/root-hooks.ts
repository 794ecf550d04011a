import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { mainnet } from "./mainnet";

/**
 * Every test file starts from the same chain: mainnet as the tests see it (`mainnet`), installed once per
 * process and reverted to before each file. A worker runs several files in turn on one in-process network;
 * without this, what one file leaves behind (an issuer paused by the last of its random sequences) would
 * become the next file's mainnet. Mocha runs a root `beforeAll` once per file in parallel mode (`npm test`);
 * a serial run (coverage) runs it once.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(300_000);
    await loadFixture(mainnet);
  },
};

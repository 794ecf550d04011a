import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { invariantSystem, runInvariants, stats } from "./runner";

describe("invariants under random sequences (real adapters, emulated mainnet)", function () {
  this.timeout(600_000);
  it("hold after every step of 100 sequences of up to 30 steps (npm run fuzz goes deeper)", async function () {
    await runInvariants({ runs: 100, steps: 30, seed: 7, fresh: () => loadFixture(invariantSystem) });
    expect(stats.sequences).to.equal(100);
    expect(stats.checks, "the invariants were checked after every step").to.be.gt(600);
    console.log(`      ${stats.sequences} sequences, ${stats.checks} invariant checks`);
  });
});

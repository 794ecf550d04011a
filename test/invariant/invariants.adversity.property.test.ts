import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { invariantSystemInFlight, runInvariants, stats } from "./runner";

// A file of its own so that a parallel run (npm test) gives it a worker beside the 100 sequences.
describe("invariants under an adversarial issuer (real adapters, emulated mainnet)", function () {
  this.timeout(600_000);
  it("hold against an adversarial issuer: 40 sequences of up to 30 steps of its faults, write-offs included", async function () {
    const before = { ...stats };
    await runInvariants({
      runs: 40,
      steps: 30,
      seed: 13,
      focus: "adversity",
      fresh: () => loadFixture(invariantSystemInFlight),
    });
    expect(stats.sequences - before.sequences).to.equal(40);
    expect(stats.checks - before.checks).to.be.gt(240);
    expect(stats.writeOffs - before.writeOffs, "the runs reached write-offs, and invariant 7 was checked").to.be.gt(0);
    expect(
      stats.offRampSales - before.offRampSales,
      "withdrawals sold BUIDL through Securitize's off-ramp between its faults",
    ).to.be.gt(0);
    console.log(
      `      ${stats.sequences - before.sequences} sequences, ${stats.checks - before.checks} invariant checks, ${stats.writeOffs - before.writeOffs} write-offs, ` +
        `${stats.offRampSales - before.offRampSales} off-ramp sales`,
    );
  });
});

import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { invariantSystem, runInvariants, stats } from "./runner";

describe("invariants under random sequences (real adapters, emulated mainnet)", function () {
  this.timeout(600_000);
  it("hold after every step of 100 sequences of up to 30 steps (npm run fuzz goes deeper)", async function () {
    const before = { ...stats };
    await runInvariants({ runs: 100, steps: 30, seed: 7, fresh: () => loadFixture(invariantSystem) });
    expect(stats.sequences - before.sequences).to.equal(100);
    expect(stats.checks - before.checks, "the invariants were checked after every step").to.be.gt(600);
    const queue = {
      requests: stats.queueRequests - before.queueRequests,
      served: stats.queueServed - before.queueServed,
      claims: stats.queueClaims - before.queueClaims,
    };
    const counts = `queue: ${queue.requests} requests, ${queue.served} served, ${queue.claims} claims`;
    expect(queue.requests, `queue requests were made (${counts})`).to.be.gt(0);
    expect(queue.served, `and served in order, invariant 9 (${counts})`).to.be.gt(0);
    expect(queue.claims, `and claimed (${counts})`).to.be.gt(0);
    const sales = stats.offRampSales - before.offRampSales;
    console.log(
      `      ${stats.sequences - before.sequences} sequences, ${stats.checks - before.checks} invariant checks, ${stats.writeOffs - before.writeOffs} write-offs, ` +
        `queue: ${queue.requests} requests, ${queue.served} served, ${queue.claims} claims, ${sales} off-ramp sales`,
    );
  });
});

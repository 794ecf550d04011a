import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployReserveVault } from "../../../src/deploy/vault";
import {
  AdapterOpsHarness__factory,
  LibHarness__factory,
  MockAdapter__factory,
  MockERC20__factory,
} from "../../../typechain-types";

const MAX128 = 2n ** 128n - 1n;

async function harness() {
  const [deployer] = await ethers.getSigners();
  return new LibHarness__factory(deployer!).deploy();
}

describe("libraries", function () {
  describe("RateLimitLib", function () {
    const limit = { maxAmount: 1_000n, slopePerSecond: 10n, lastAmount: 200n, lastUpdated: 100n };

    it("refills linearly and stops at maxAmount", async function () {
      const lib = await loadFixture(harness);
      expect(await lib.available(limit, 100n)).to.equal(200n);
      expect(await lib.available(limit, 150n)).to.equal(700n);
      expect(await lib.available(limit, 180n), "exactly full").to.equal(1_000n);
      expect(await lib.available(limit, 10_000n)).to.equal(1_000n);
    });

    it("treats maxAmount = type(uint128).max as unlimited", async function () {
      const lib = await loadFixture(harness);
      const unlimited = { ...limit, maxAmount: MAX128 };
      expect(await lib.available(unlimited, 100n)).to.equal(MAX128);
      const after = await lib.consume(unlimited, 10n ** 30n, 200n);
      expect(after.lastUpdated, "an unlimited limit keeps no state").to.equal(100n);
    });

    it("consume leaves what was available minus the amount", async function () {
      const lib = await loadFixture(harness);
      const after = await lib.consume(limit, 700n, 150n);
      expect(after.lastAmount).to.equal(0n);
      expect(after.lastUpdated).to.equal(150n);
      await expect(lib.consume(limit, 701n, 150n), "more than available underflows").to.be.reverted;
    });

    it("reconfigure keeps current headroom, clipped to the new maximum", async function () {
      const lib = await loadFixture(harness);
      const lower = await lib.reconfigure(limit, 500n, 1n, 150n);
      expect(lower.lastAmount).to.equal(500n);
      const higher = await lib.reconfigure(limit, 5_000n, 1n, 150n);
      expect(higher.lastAmount, "raising the max does not refund").to.equal(700n);
      const fromUnlimited = await lib.reconfigure({ ...limit, maxAmount: MAX128 }, 300n, 0n, 150n);
      expect(fromUnlimited.lastAmount).to.equal(300n);
    });
  });

  describe("ProfitLockLib", function () {
    it("releases linearly and rounds what is still locked up", async function () {
      const lib = await loadFixture(harness);
      const lock = { locked: 1_000n, updatedAt: 0n, unlockEnd: 3n };
      expect(await lib.lockedAt(lock, 0n)).to.equal(1_000n);
      expect(await lib.lockedAt(lock, 1n), "666.67 rounds up").to.equal(667n);
      expect(await lib.lockedAt(lock, 3n)).to.equal(0n);
      expect(await lib.lockedAt(lock, 4n)).to.equal(0n);
    });

    it("a new gain extends the end to the value-weighted mean, rounded up", async function () {
      const lib = await loadFixture(harness);
      const first = await lib.addGain({ locked: 0n, updatedAt: 0n, unlockEnd: 0n }, 600n, 100n, 0n);
      expect([first.locked, first.unlockEnd]).to.deep.equal([600n, 100n]);
      // at t=50: 300 remain for 50 s; 300 new for 100 s → 600 over ceil((300×50 + 300×100)/600) = 75 s
      const second = await lib.addGain(
        { locked: first.locked, updatedAt: first.updatedAt, unlockEnd: first.unlockEnd },
        300n,
        100n,
        50n,
      );
      expect([second.locked, second.updatedAt, second.unlockEnd]).to.deep.equal([600n, 50n, 125n]);
    });

    it("with a zero unlock time a gain releases at once", async function () {
      const lib = await loadFixture(harness);
      const lock = await lib.addGain({ locked: 100n, updatedAt: 0n, unlockEnd: 10n }, 1_000n, 0n, 5n);
      expect(lock.locked).to.equal(50n);
      expect(lock.unlockEnd).to.equal(10n);
      const none = await lib.addGain({ locked: 0n, updatedAt: 0n, unlockEnd: 0n }, 0n, 10n, 5n);
      expect(none.locked).to.equal(0n);
    });

    it("a loss eats locked profit first and reports what it absorbed", async function () {
      const lib = await loadFixture(harness);
      const lock = { locked: 1_000n, updatedAt: 0n, unlockEnd: 100n };
      const [partial, absorbedPartial] = await lib.absorbLoss(lock, 400n, 50n);
      expect([partial.locked, absorbedPartial]).to.deep.equal([100n, 400n]);
      const [all, absorbedAll] = await lib.absorbLoss(lock, 4_000n, 50n);
      expect([all.locked, absorbedAll]).to.deep.equal([0n, 500n]);
    });
  });

  describe("AllocationLib", function () {
    it("rounds the buffer up and targets down", async function () {
      const lib = await loadFixture(harness);
      expect(await lib.bufferUp(1_001n, 1_000n)).to.equal(101n);
      expect(await lib.targetDown(1_001n, 1_000n)).to.equal(100n);
    });

    it("takes the larger of the relative band and minMove", async function () {
      const lib = await loadFixture(harness);
      expect(await lib.band(10_000n, 100n, 50n)).to.equal(100n);
      expect(await lib.band(10_000n, 100n, 150n)).to.equal(150n);
    });

    it("slippage bounds never round in the caller's favour", async function () {
      const lib = await loadFixture(harness);
      expect(await lib.minValueAddedUp(10_001n, 10n), "10,001 × 0.999 = 9,990.999 → 9,991").to.equal(9_991n);
      expect(await lib.maxValueRemovedDown(10_001n, 10n), "10,001 × 1.001 = 10,011.001 → 10,011").to.equal(10_011n);
    });

    it("deviation: exactly at the bound passes, one unit over fails, on both sides", async function () {
      const lib = await loadFixture(harness);
      expect(await lib.deviates(10_000n, 10_100n, 100n, 1n)).to.equal(false);
      expect(await lib.deviates(10_000n, 10_101n, 100n, 1n)).to.equal(true);
      expect(await lib.deviates(10_000n, 9_900n, 100n, 1n)).to.equal(false);
      expect(await lib.deviates(10_000n, 9_899n, 100n, 1n)).to.equal(true);
      expect(await lib.deviates(0n, MAX128 + 1n, 10_000n, 1n), "no book value can hold it").to.equal(true);
    });

    it("deviation has no hole at zero: on a drained book any valuation above dust deviates", async function () {
      const lib = await loadFixture(harness);
      const unit = 1_000_000n;
      expect(await lib.deviates(0n, 10n ** 20n, 10_000n, unit), "even a 100 % bound").to.equal(true);
      expect(await lib.deviates(0n, unit + 1n, 100n, unit), "one unit of dust over").to.equal(true);
      expect(await lib.deviates(0n, unit, 100n, unit), "dust itself never trips").to.equal(false);
      expect(await lib.deviates(0n, 0n, 0n, unit)).to.equal(false);
      expect(await lib.deviates(unit + 1n, 0n, 100n, unit), "a book drained by a report").to.equal(true);
      // A small book: the relative bound would accept nothing, dust still passes.
      expect(await lib.deviates(10n, 10n + unit, 100n, unit)).to.equal(false);
      expect(await lib.deviates(10n, 11n + unit, 100n, unit)).to.equal(true);
    });
  });

  describe("AdapterOpsLib.allocate", function () {
    async function opsFixture() {
      const [deployer] = await ethers.getSigners();
      const usdc = await new MockERC20__factory(deployer!).deploy("USD Coin", "USDC", 6);
      const { vault } = await deployReserveVault({ deployer: deployer!, asset: usdc, admin: deployer! });
      const ops = await new AdapterOpsHarness__factory(deployer!).deploy(usdc);
      const adapter = await new MockAdapter__factory(deployer!).deploy(ops, usdc);
      await usdc.mint(ops, 1_000n);
      await ops.setUp(adapter, 1_000n, 300n, 0);
      return { ops, adapter, usdc, vault };
    }

    it("moves exactly the rate-limit headroom; one unit more reverts with RateLimitExceeded", async function () {
      const { ops, adapter, vault } = await loadFixture(opsFixture);
      // The error is declared on IReserveVault, so the vault's ABI decodes it.
      await expect(ops.allocate(adapter, 301n))
        .to.be.revertedWithCustomError(vault, "RateLimitExceeded")
        .withArgs(await adapter.getAddress(), 301n, 300n);
      await ops.allocate(adapter, 300n);
      expect((await ops.books()).idle).to.equal(700n);
      expect((await ops.books()).totalValue).to.equal(300n);
    });
  });
});

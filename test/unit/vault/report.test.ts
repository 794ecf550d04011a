import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Reason, USDC, oneAdapter, threeAdapters } from "../../helpers/fixtures";

const WEEK = 7n * 24n * 3600n;

describe("ReserveVault › report", function () {
  describe("failures", function () {
    it("reverts with AccessControlUnauthorizedAccount for anyone but a keeper", async function () {
      const { vault, alice } = await loadFixture(threeAdapters);
      await expect(vault.connect(alice).report())
        .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, await vault.KEEPER_ROLE());
    });
  });

  describe("gains and losses", function () {
    it("locks a gain and releases it linearly over profitUnlockSeconds", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(oneAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.moveNav(7n * USDC);
      const tx = vault.connect(keeper).report();
      await expect(tx)
        .to.emit(vault, "AdapterReported")
        .withArgs(await adapters[0]!.getAddress(), 1_000n * USDC, 1_007n * USDC);
      const reportedAt = BigInt(await time.latest());
      await expect(tx)
        .to.emit(vault, "ProfitLocked")
        .withArgs(7n * USDC, 7n * USDC, reportedAt + WEEK);
      expect(await vault.totalAssets(), "nothing released at once").to.equal(1_000n * USDC);
      await time.increaseTo(reportedAt + WEEK / 2n);
      expect(await vault.totalAssets(), "half released at half time").to.equal(1_003_500_000n);
      await time.increaseTo(reportedAt + WEEK);
      expect(await vault.totalAssets()).to.equal(1_007n * USDC);
      expect(await vault.lockedProfit()).to.equal(0n);
    });

    it("recognises a loss at once, eating locked profit first", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(oneAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.moveNav(5n * USDC);
      await vault.connect(keeper).report();
      const lockedBefore = await vault.lockedProfit();
      await adapters[0]!.moveNav(-8n * USDC);
      await expect(vault.connect(keeper).report()).to.emit(vault, "LossRecognized");
      expect(await vault.lockedProfit(), "the locked profit is gone").to.equal(0n);
      // gross 997; the 5 gain had partly unlocked before the loss took the rest of it
      expect(await vault.totalAssets()).to.equal(997n * USDC);
      expect(lockedBefore).to.be.lte(5n * USDC);
    });
  });

  describe("the NAV circuit breaker", function () {
    it("a move exactly at maxNavDeviationBps is accepted; one unit over quarantines that adapter only", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance(); // 500 / 300 / 200, deviation bound 1 %
      await adapters[0]!.moveNav(5n * USDC);
      await expect(vault.connect(keeper).report()).to.not.emit(vault, "AdapterQuarantined");
      await adapters[1]!.moveNav(3n * USDC + 1n);
      await adapters[2]!.moveNav(1n * USDC);
      await expect(vault.connect(keeper).report())
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(await adapters[1]!.getAddress(), Reason.Deviation, 300n * USDC, 303n * USDC + 1n);
      const b = await vault.adapterConfig(adapters[1]!);
      expect([b.quarantined, b.value], "kept at its last good value").to.deep.equal([true, 300n * USDC]);
      expect((await vault.adapterConfig(adapters[2]!)).value, "the others are reported").to.equal(201n * USDC);
    });

    it("a price exactly maxNavAgeSeconds old is accepted; one second older quarantines as Stale", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setNavGuard(adapters[0]!, 3_600n, 100n);
      const next = BigInt(await time.latest()) + 1n;
      await adapters[0]!.setLies(0n, false, next - 3_600n + 1n); // report mines at next+1: age 3,600
      await expect(vault.connect(keeper).report()).to.not.emit(vault, "AdapterQuarantined");
      await adapters[0]!.setLies(0n, false, next - 3_600n + 1n); // one more second older
      await expect(vault.connect(keeper).report())
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(await adapters[0]!.getAddress(), Reason.Stale, 500n * USDC, 500n * USDC);
    });

    it("a reverting valuation quarantines that adapter, and withdrawals keep working", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.setLies(0n, true, 0n);
      await expect(vault.connect(keeper).report())
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(await adapters[0]!.getAddress(), Reason.ValuationReverted, 500n * USDC, 0n);
      expect(await vault.totalAssets()).to.equal(1_000n * USDC);
      expect(await vault.maxWithdraw(alice), "B and C still serve").to.equal(500n * USDC);
      await vault.connect(alice).withdraw(500n * USDC, alice, alice);
      await vault.connect(keeper).report(); // a quarantined adapter is skipped, not re-read
    });

    it("liftQuarantine re-bases on a usable valuation, and refuses an unusable one", async function () {
      const { vault, alice, keeper, guardian, curator, adapters } = await loadFixture(threeAdapters);
      const a = await adapters[0]!.getAddress();
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await expect(vault.connect(guardian).liftQuarantine(a, ethers.MaxUint256))
        .to.be.revertedWithCustomError(vault, "AdapterNotQuarantined")
        .withArgs(a);
      await adapters[0]!.moveNav(-50n * USDC);
      await adapters[0]!.setLies(0n, true, 0n);
      await vault.connect(keeper).report();
      await expect(vault.connect(curator).liftQuarantine(a, ethers.MaxUint256))
        .to.be.revertedWithCustomError(vault, "ValuationUnusable")
        .withArgs(a);
      await expect(vault.connect(alice).liftQuarantine(a, ethers.MaxUint256)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await adapters[0]!.setLies(0n, false, 0n);
      await expect(vault.connect(curator).liftQuarantine(a, ethers.MaxUint256))
        .to.emit(vault, "QuarantineLifted")
        .withArgs(a, curator.address, 450n * USDC);
      expect(await vault.totalAssets(), "the loss is recognised on lifting").to.equal(950n * USDC);
    });
  });

  describe("sandwiching a NAV step", function () {
    it("a deposit just before report() and a withdrawal just after capture only the seconds held, not the step", async function () {
      const { vault, usdc, alice, attacker, keeper, adapters } = await loadFixture(oneAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      const gain = 9n * USDC;
      await adapters[0]!.moveNav(gain); // a dividend or epoch price, visible in the mempool
      const start = await usdc.balanceOf(attacker);
      await vault.connect(attacker).deposit(900_000n * USDC, attacker);
      await vault.connect(keeper).report();
      const reportedAt = BigInt(await time.latest());
      await vault.connect(attacker).redeem(await vault.balanceOf(attacker), attacker, attacker);
      const held = BigInt(await time.latest()) - reportedAt;
      const profit = (await usdc.balanceOf(attacker)) - start;
      // Unlocked at once, the step would pay the attacker 900,000 / 901,000 of 9 USDC ≈ 8.99 USDC.
      // Locked, the attacker earns at most its share of what unlocked in the seconds it held.
      expect(profit, "bounded by gain × seconds held / unlock time").to.be.lte((gain * held) / WEEK + 1n);
      expect(profit, "less than a millionth of the step").to.be.lt(gain / 100_000n);
      await time.increase(WEEK);
      expect(await vault.previewRedeem(await vault.balanceOf(alice)), "alice keeps the gain").to.be.gte(
        1_009n * USDC - 20n,
      );
    });
  });
});

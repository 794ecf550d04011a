import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { RedeemQueue__factory } from "../../../typechain-types";
import { LegKind, Reason, USDC, deploySystem, executedLegs, planOf } from "../../helpers/fixtures";

const DAY = 86_400n;

/**
 * Every bound the vault enforces on what executes, at the bound and one unit past it. The plan's own
 * bounds (cap, rate limit, minimum ticket, band, minimum move, instant and async liquidity, exit cost)
 * are pinned the same way, through PlanLib and the TypeScript planner alike, in
 * test/keeper/planner.boundaries.test.ts; the NAV deviation bound in issuer-adversity.test.ts › 3; the
 * timelock in config.test.ts › executes exactly at executableAt.
 */
describe("ReserveVault › bounds, at the limit and one unit past it", function () {
  /** One mock adapter at 100 %, holding alice's 1M; a band of zero, so any drift is moved. */
  async function placed() {
    const system = await deploySystem(1, [10_000n]);
    const { vault, curator, keeper, alice } = system;
    await vault.connect(curator).setDriftBand(0n, 0n);
    await vault.connect(alice).deposit(1_000_000n * USDC, alice);
    await vault.connect(keeper).rebalance();
    return system;
  }

  describe("exit slippage of an instant exit leg", function () {
    /** A's weight falls to 60 %: a 400k instant exit, whose fee the adapter does not quote. */
    async function exiting() {
      const system = await loadFixture(placed);
      const { vault, curator, adapters } = system;
      const a = adapters[0]!;
      await vault.connect(curator).setMaxSlippage(a, 10n);
      await vault.connect(curator).setMaxRebalanceLoss(100n);
      await vault.connect(curator).setTargetWeight(a, 6_000n);
      await a.setUnderquotes(true);
      expect(await planOf(vault)).to.deep.equal([[await a.getAddress(), LegKind.Withdraw, 400_000n * USDC]]);
      return system;
    }

    it("an exit removing exactly amount × (1 + 10 bps) executes", async function () {
      const { vault, keeper, adapters } = await exiting();
      const a = adapters[0]!;
      await a.setFees(0n, 10n, 0n); // removes 400,400 for 400,000
      expect(await executedLegs(vault, vault.connect(keeper).rebalance())).to.have.length(1);
      expect((await vault.adapterConfig(a)).value).to.equal(600_000n * USDC - 400n * USDC);
    });

    it("one basis point past it (40 USDC past the bound) fails with ExitSlippageExceeded; books and idle unchanged", async function () {
      const { vault, keeper, adapters } = await exiting();
      const a = adapters[0]!;
      await a.setFees(0n, 11n, 0n); // removes 400,440: 40 past the bound of 400,400
      const [bookBefore, idleBefore, totalBefore] = [
        (await vault.adapterConfig(a)).value,
        await vault.idle(),
        await vault.totalAssets(),
      ];
      const tx = vault.connect(keeper).rebalance();
      const receipt = await (await tx).wait();
      const failed = receipt!.logs.map((log) => vault.interface.parseLog(log)).find((e) => e?.name === "LegFailed");
      const reason = vault.interface.parseError(failed!.args.reason as string)!;
      expect(reason.name).to.equal("ExitSlippageExceeded");
      expect([...reason.args]).to.deep.equal([await a.getAddress(), 400_000n * USDC, 400_440n * USDC, 400_400n * USDC]);
      expect((await vault.adapterConfig(a)).value).to.equal(bookBefore);
      expect(await vault.idle()).to.equal(idleBefore);
      expect(await vault.totalAssets()).to.equal(totalBefore);
    });
  });

  describe("entry slippage and the whole rebalance's loss bound", function () {
    /** B at 50 % takes 500k from idle; its entry fee burns part of it. */
    async function entering() {
      const system = await deploySystem(1, [5_000n]);
      const { vault, curator, alice, adapters } = system;
      await vault.connect(curator).setDriftBand(0n, 0n);
      await vault.connect(alice).deposit(1_000_000n * USDC, alice);
      await vault.connect(curator).setMaxSlippage(adapters[0]!, 10n);
      await vault.connect(curator).setMaxRebalanceLoss(100n);
      return system;
    }

    it("an entry adding exactly amount × (1 − 10 bps) executes; 1 bps less added fails with EntrySlippageExceeded", async function () {
      const { vault, keeper, adapters } = await loadFixture(entering);
      const a = adapters[0]!;
      await a.setFees(10n, 0n, 0n);
      await expect(vault.connect(keeper).rebalance.staticCall()).to.eventually.equal(1n);
      await a.setFees(11n, 0n, 0n);
      const receipt = await (await vault.connect(keeper).rebalance()).wait();
      const failed = receipt!.logs.map((log) => vault.interface.parseLog(log)).find((e) => e?.name === "LegFailed");
      const reason = vault.interface.parseError(failed!.args.reason as string)!;
      expect(reason.name).to.equal("EntrySlippageExceeded");
      expect([...reason.args]).to.deep.equal([await a.getAddress(), 500_000n * USDC, 499_450n * USDC, 499_500n * USDC]);
    });

    it("a rebalance losing exactly maxRebalanceLossBps of gross executes; one basis point more reverts RebalanceLossExceeded", async function () {
      const { vault, curator, keeper, adapters } = await loadFixture(entering);
      const a = adapters[0]!;
      await vault.connect(curator).setMaxSlippage(a, 100n);
      await vault.connect(curator).setMaxRebalanceLoss(5n); // 500 of a 1M gross
      await a.setFees(10n, 0n, 0n); // 500 of a 500k entry
      await expect(vault.connect(keeper).rebalance.staticCall()).to.eventually.equal(1n);
      await a.setFees(11n, 0n, 0n); // 550
      await expect(vault.connect(keeper).rebalance())
        .to.be.revertedWithCustomError(vault, "RebalanceLossExceeded")
        .withArgs(1_000_000n * USDC, 1_000_000n * USDC - 550n * USDC, 1_000_000n * USDC - 500n * USDC);
    });
  });

  describe("request age and NAV age, to the second", function () {
    it("a report exactly at the maximum request age keeps the adapter usable; one second later it is quarantined (RequestOverdue)", async function () {
      const { vault, curator, keeper, adapters } = await loadFixture(placed);
      const a = adapters[0]!;
      await a.setAsync(false, true);
      await a.setLimits(0n, ethers.MaxUint256, 0n);
      await vault.connect(curator).setTargetWeight(a, 5_000n);
      await vault.connect(keeper).rebalance(); // files a 500k redemption
      const at = await a.requestedAt();
      const age = BigInt((await vault.adapterConfig(a)).maxRequestAgeSeconds);
      await time.setNextBlockTimestamp(at + age);
      await expect(vault.connect(keeper).report()).to.emit(vault, "AdapterReported");
      await time.setNextBlockTimestamp(at + age + 1n);
      await expect(vault.connect(keeper).report())
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(await a.getAddress(), Reason.RequestOverdue, anyValue, anyValue);
    });

    it("a price exactly maxNavAgeSeconds old is usable; one second older is stale", async function () {
      const { vault, curator, keeper, adapters } = await loadFixture(placed);
      const a = adapters[0]!;
      await vault.connect(curator).setNavGuard(a, DAY, 100n);
      const struck = BigInt(await time.latest());
      await a.setLies(0n, false, struck);
      await time.setNextBlockTimestamp(struck + DAY);
      await expect(vault.connect(keeper).report()).to.emit(vault, "AdapterReported");
      await time.setNextBlockTimestamp(struck + DAY + 1n);
      await expect(vault.connect(keeper).report())
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(await a.getAddress(), Reason.Stale, anyValue, anyValue);
    });
  });

  describe("the redemption queue's age", function () {
    it("a request exactly maxQueueAgeSeconds old is not overdue; one second older, entries stop", async function () {
      const { vault, curator, alice, deployer } = await loadFixture(placed);
      const queue = await new RedeemQueue__factory(deployer).deploy(vault, 0n, DAY);
      await vault.connect(curator).setRedeemQueue(queue);
      await vault.connect(alice).approve(queue, ethers.MaxUint256);
      await queue.connect(alice).requestRedeem(10n ** 18n, alice, alice);
      const at = await queue.oldestRequestAt();
      await time.increaseTo(at + DAY);
      expect(await queue.overdue()).to.equal(false);
      await time.increaseTo(at + DAY + 1n);
      expect(await queue.overdue()).to.equal(true);
    });
  });
});

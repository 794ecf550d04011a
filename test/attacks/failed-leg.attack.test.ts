import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { RedeemQueue__factory } from "../../typechain-types";
import { LegKind, USDC, deploySystem, executedLegs, planOf } from "../helpers/fixtures";
import { MODE } from "../helpers/mainnet";
import { DAY, reserveSystem } from "../helpers/reserve";

const M = 1_000_000n * USDC;

/**
 * Two mock adapters: A holds alice's 1M (weight 100 %), B none. Bob deposits 100k and queues its
 * redemption: the queue's 100k is the reserve the plan keeps idle. Then the curator moves half to B.
 */
async function reserveBehindAnExit() {
  const system = await deploySystem(2, [10_000n, 0n]);
  const { vault, curator, keeper, alice, bob, deployer, adapters } = system;
  const queue = await new RedeemQueue__factory(deployer).deploy(vault, 100n * USDC, 3n * DAY);
  await vault.connect(curator).setRedeemQueue(queue);
  await vault.connect(alice).deposit(1n * M, alice);
  await vault.connect(keeper).rebalance();
  await adapters[0]!.setLimits(0n, ethers.MaxUint256, 0n); // bob's exit cannot be paid at once
  await vault.connect(bob).deposit(100_000n * USDC, bob);
  await vault.connect(bob).approve(queue, ethers.MaxUint256);
  await queue.connect(bob).requestRedeem(await vault.balanceOf(bob), bob, bob);
  await adapters[0]!.setLimits(ethers.MaxUint256, ethers.MaxUint256, 0n);
  await vault.connect(curator).setTargetWeight(adapters[0]!, 5_000n);
  await vault.connect(curator).setTargetWeight(adapters[1]!, 5_000n);
  return { ...system, queue };
}

describe(`attack › a failed leg and the reserve (${MODE})`, function () {
  describe("finding 3: entries never spend the buffer and the queue's pending exits", function () {
    it("an exit leg that fails at execution leaves the queue's reserve idle: the entry is cut to what is above it", async function () {
      const { vault, keeper, queue, bob, usdc, adapters } = await loadFixture(reserveBehindAnExit);
      const [a, b] = [adapters[0]!, adapters[1]!];
      const demand = await queue.pendingAssets();
      expect(demand).to.be.closeTo(100_000n * USDC, 1n);
      const plan = await planOf(vault);
      expect(
        plan.map((leg) => leg[1]),
        "an exit from A funds an entry into B",
      ).to.deep.equal([LegKind.Withdraw, LegKind.Deposit]);
      // A's issuer pays 1 % short when called, though its views promised the exit.
      await a.setFees(0n, 0n, 100n);
      const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
      expect(legs, "the exit failed, and the entry had nothing above the reserve to spend").to.deep.equal([]);
      expect(await vault.idle(), "the reserve stays idle").to.be.gte(demand);
      expect((await vault.adapterConfig(b)).value).to.equal(0n);
      // So the queued holder is paid from it.
      const cash = await usdc.balanceOf(bob);
      await queue.fulfil(10n);
      await queue.connect(bob).redeem(await queue.maxRedeem(bob), bob, bob);
      expect((await usdc.balanceOf(bob)) - cash).to.be.closeTo(100_000n * USDC, 1n);
    });

    it("the plan prices an instant exit as a withdrawal does: one dearer than the slippage bound becomes a redemption request", async function () {
      const system = await deploySystem(1, [10_000n]);
      const { vault, curator, keeper, alice, adapters } = system;
      const a = adapters[0]!;
      await a.setAsync(false, true);
      await vault.connect(curator).setMaxSlippage(a, 10n);
      await vault.connect(alice).deposit(1n * M, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setTargetWeight(a, 4_000n);
      // An exit fee of exactly the bound: the instant exit is planned.
      await a.setFees(0n, 10n, 0n);
      expect((await planOf(vault)).map((leg) => leg[1])).to.deep.equal([LegKind.Withdraw]);
      // One basis point over it: the exit the plan would schedule fails, so it files a request instead.
      await a.setFees(0n, 11n, 0n);
      const plan = await planOf(vault);
      expect(plan.map((leg) => [leg[1], leg[2]])).to.deep.equal([[LegKind.RequestRedeem, 600_000n * USDC]]);
      expect(await executedLegs(vault, vault.connect(keeper).rebalance())).to.deep.equal(plan);
      expect(await a.pendingRedeem()).to.equal(600_000n * USDC);
    });

    it("USTB with RedemptionIdle's fee at its 10 bps cap and a 10 bps bound is reduced by an off-chain redemption", async function () {
      const system = await reserveSystem();
      const { vault, curator, keeper, alice, driver, ustb } = system;
      await vault.connect(curator).setTargetWeight(ustb, 6_000n);
      await vault.connect(alice).deposit(10n * M, alice);
      await vault.connect(keeper).rebalance();
      await driver.fundUstbRedemption(10n * M);
      await driver.setUstbRedemptionFee(10n);
      await vault.connect(curator).setTargetWeight(ustb, 1_000n);
      const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
      expect(
        legs.map((leg) => leg[1]),
        "no instant exit that must fail",
      ).to.deep.equal([LegKind.RequestRedeem]);
      expect(await ustb.pendingRedeem()).to.be.closeTo(5n * M, 10_000n * USDC);
    });
  });
});

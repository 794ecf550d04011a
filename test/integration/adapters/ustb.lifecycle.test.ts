import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { impersonate } from "../../../src/sandbox/rpc";
import { SandboxUSTB__factory } from "../../../typechain-types";
import { LegKind, Reason, planOf } from "../../helpers/fixtures";
import { MODE } from "../../helpers/mainnet";
import { DAY, USDC, reserveSystem } from "../../helpers/reserve";

describe(`UstbAdapter through the vault (${MODE})`, function () {
  async function ustbOnly() {
    const system = await reserveSystem();
    await system.vault.connect(system.curator).setTargetWeight(system.ustb, 10_000n);
    await system.vault.connect(system.alice).deposit(1_000_000n * USDC, system.alice);
    return system;
  }

  it("lives a full cycle: subscribe, NAV up, report, weight down, instant and async exits, settle", async function () {
    const { vault, ustb, keeper, curator, driver, book } = await loadFixture(ustbOnly);
    const token = SandboxUSTB__factory.connect(book.USTB, keeper);

    // deposit → rebalance: subscribed at the NAV; the loss is the fee and rounding, within 10 bps
    await vault.connect(keeper).rebalance();
    const held = await token.balanceOf(ustb);
    expect(held).to.be.gt(0n);
    const afterEntry = await vault.totalAssets();
    expect(afterEntry).to.be.within(999_000n * USDC, 1_000_000n * USDC);
    expect(await vault.idle()).to.equal(0n);
    expect((await vault.adapterConfig(ustb)).value).to.equal(await ustb.totalAssets());

    // the NAV steps up; report locks the gain
    const stepped = (await ustb.nav()) + 10_000n; // +$0.01 per share
    await driver.setUstbNav(stepped);
    const live = await ustb.totalAssets();
    await vault.connect(keeper).report();
    expect((await vault.adapterConfig(ustb)).value).to.equal(live);
    expect(await vault.totalAssets(), "gain locked").to.equal(afterEntry);
    await driver.advanceTime(7n * DAY);
    expect(await vault.totalAssets(), "gain released").to.equal(live);
    await driver.setUstbNav(stepped); // Superstate strikes the NAV daily; unchanged over the week here

    // weight to 40 %: RedemptionIdle has 100k USDC, the rest goes async
    await vault.connect(curator).setTargetWeight(ustb, 4_000n);
    await driver.drainUstbRedemption();
    await driver.fundUstbRedemption(100_000n * USDC);
    const plan = await planOf(vault);
    expect(plan.map((l) => l[1])).to.deep.equal([LegKind.Withdraw, LegKind.RequestRedeem]);
    const total = await vault.totalAssets();
    await vault.connect(keeper).rebalance();
    expect(await vault.idle(), "instant exit landed").to.be.gte(plan[0]![2]);
    expect(await ustb.pendingRedeem(), "async exit in flight").to.be.gt(0n);
    expect(await vault.totalAssets(), "in-flight value still counted").to.be.closeTo(total, total / 10_000n);
    expect(await planOf(vault), "nothing more while the request is open").to.deep.equal([]);

    // Superstate pays the off-chain redemption to the adapter; settle returns it
    const owed = await ustb.pendingRedeem();
    await driver.payUstbRedemption(await ustb.getAddress(), owed);
    const totalBeforeSettle = await vault.totalAssets();
    await vault.connect(keeper).settle(ustb);
    expect(await ustb.pendingRedeem()).to.equal(0n);
    expect(await vault.totalAssets(), "settling moves value, it creates none").to.equal(totalBeforeSettle);
    const value = (await vault.adapterConfig(ustb)).value;
    expect(value).to.be.closeTo((total * 4_000n) / 10_000n, total / 1_000n);
  });

  it("a stale oracle quarantines only USTB, and withdrawals keep being served from idle", async function () {
    const { vault, ustb, keeper, alice, driver, curator } = await loadFixture(ustbOnly);
    await vault.connect(curator).setTargetWeight(ustb, 5_000n);
    await vault.connect(keeper).rebalance();
    await driver.advanceTime(6n * DAY); // past the oracle's 5-day horizon
    await expect(ustb.totalAssets()).to.be.reverted;
    expect(await ustb.maxWithdraw(), "views answer zero instead of reverting").to.equal(0n);
    await expect(vault.connect(keeper).report())
      .to.emit(vault, "AdapterQuarantined")
      .withArgs(await ustb.getAddress(), Reason.ValuationReverted, (await vault.adapterConfig(ustb)).value, 0n);
    const max = await vault.maxWithdraw(alice);
    expect(max).to.be.closeTo(500_000n * USDC, 1n * USDC);
    await vault.connect(alice).withdraw(max, alice, alice);
    expect(await planOf(vault)).to.deep.equal([]);
  });

  it("dates its NAV by Superstate's strike, not the read: a day without a strike ages it, the guard quarantines it", async function () {
    const { vault, ustb, keeper, curator, driver } = await loadFixture(ustbOnly);
    await vault.connect(keeper).rebalance();
    await driver.setUstbNav(await ustb.nav());
    const struck = (await driver.ustbNav())!.updatedAt;
    expect(await ustb.navUpdatedAt(), "the checkpoint's strike time").to.equal(struck);
    await driver.advanceTime(2n * DAY); // the oracle still prices (its horizon is 5 days), by extrapolation
    expect(await ustb.nav()).to.be.gt(0n);
    expect(await ustb.navUpdatedAt(), "two days without a strike read as two days").to.equal(struck);
    await vault.connect(keeper).report();
    expect((await vault.adapterConfig(ustb)).quarantined, "within the 5-day guard").to.equal(false);
    await vault.connect(curator).setNavGuard(ustb, DAY, 100n); // a tighter guard applies at once
    await expect(vault.connect(keeper).report())
      .to.emit(vault, "AdapterQuarantined")
      .withArgs(await ustb.getAddress(), Reason.Stale, anyValue, anyValue);
  });

  it("dates a price from an oracle without Superstate's checkpoints by the oracle's own updatedAt", async function () {
    const { ustb, book } = await loadFixture(ustbOnly);
    const feed = await (await ethers.getContractFactory("MockAggregator")).deploy(10_500_000n);
    const token = new ethers.Contract(
      book.USTB,
      ["function owner() view returns (address)", "function setOracle(address)"],
      ethers.provider,
    );
    await impersonate(ethers.provider, (await token.getFunction("owner")()) as string, async (owner) => {
      await (await (token.connect(owner) as typeof token).getFunction("setOracle")(await feed.getAddress())).wait();
    });
    expect(await ustb.nav()).to.equal(10_500_000n);
    const block = await ethers.provider.getBlock("latest");
    expect(await ustb.navUpdatedAt(), "the feed's updatedAt: the block read").to.equal(BigInt(block!.timestamp));
  });

  it("RedemptionIdle out of USDC: no instant exit is planned, the exit goes async", async function () {
    const { vault, ustb, keeper, curator, driver } = await loadFixture(ustbOnly);
    await vault.connect(keeper).rebalance();
    await driver.drainUstbRedemption();
    expect(await ustb.maxWithdraw()).to.equal(0n);
    await vault.connect(curator).setTargetWeight(ustb, 5_000n);
    const plan = await planOf(vault);
    expect(plan.map((l) => l[1])).to.deep.equal([LegKind.RequestRedeem]);
  });

  it("a removed AllowList permission blocks entries with a named error and plans nothing", async function () {
    const { vault, ustb, keeper, driver } = await loadFixture(ustbOnly);
    await driver.revokeUstb(await ustb.getAddress());
    expect(await ustb.maxDeposit()).to.equal(0n);
    expect(await planOf(vault)).to.deep.equal([]);
    const total = await vault.totalAssets();
    await vault.connect(keeper).rebalance();
    expect(await vault.totalAssets(), "accounting intact").to.equal(total);
    await impersonate(ethers.provider, await vault.getAddress(), async (asVault) => {
      await expect(ustb.connect(asVault).deposit(1n))
        .to.be.revertedWithCustomError(ustb, "NotAllowlisted")
        .withArgs(await ustb.getAddress());
      await expect(ustb.connect(asVault).withdraw(1n)).to.be.revertedWithCustomError(ustb, "NotAllowlisted");
    });
  });
});

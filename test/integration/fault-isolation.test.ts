import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { MODE } from "../helpers/mainnet";
import { DAY, USDC, investAndFill, reserveSystem, type ReserveSystem } from "../helpers/reserve";
import { LegKind, Reason, executedLegs } from "../helpers/fixtures";
import { breakAt, restoreCode } from "../helpers/code";

const M = 1_000_000n * USDC;
/** The deployed USTB exit bound: RedemptionIdle's 10 bps fee cap plus room for rounding. */
const USTB_EXIT_BOUND_BPS = 15n;

/** alice's withdrawal of `assets`: what it burnt and what she received, measured. */
async function withdrawMeasured(system: ReserveSystem, assets: bigint) {
  const { vault, usdc, alice } = system;
  const [sharesBefore, cashBefore] = [await vault.balanceOf(alice), await usdc.balanceOf(alice)];
  await vault.connect(alice).withdraw(assets, alice, alice);
  return {
    burnt: sharesBefore - (await vault.balanceOf(alice)),
    paid: (await usdc.balanceOf(alice)) - cashBefore,
  };
}

/** The (adapter, kind) of each leg `tx` executed, for membership checks. */
async function legsRun(system: ReserveSystem, tx: Parameters<typeof executedLegs>[1]): Promise<string[]> {
  return (await executedLegs(system.vault, tx)).map(([adapter, kind]) => `${adapter}:${kind}`);
}

/** The price of one whole share, in USDC base units, to 18 more decimals: moves a holder would feel. */
async function sharePrice(system: ReserveSystem): Promise<bigint> {
  const { vault } = system;
  return ((await vault.totalAssets()) * 10n ** 36n) / (await vault.totalSupply());
}

/**
 * One issuer's trouble stays with that issuer (DESIGN: faults stay where they start). A $10M vault,
 * 50 % USTB / 50 % BUIDL, both instant exits funded, withdraw order USTB then BUIDL, bob in idle.
 */
describe(`fault isolation: one issuer's trouble stays with it (${MODE})`, function () {
  // A broken issuer stays with its test: the next file's fixtures are taken from a healthy chain.
  afterEach(() => restoreCode());

  async function spread() {
    const system = await reserveSystem();
    const { vault, curator, driver, ustb } = system;
    await investAndFill(system, { ustb: 5_000n, buidl: 5_000n });
    await vault.connect(curator).setMaxSlippage(ustb, USTB_EXIT_BOUND_BPS);
    await driver.advanceTime(DAY); // past BUIDL's 24 h lock-up
    await driver.setUstbNav(await driver.ustbPrice()); // a fresh NAV strike after the day
    await driver.fundUstbRedemption(20n * M);
    await driver.fundBuidlRedemption(20n * M);
    return system;
  }

  it("1. RedemptionIdle paused: USTB promises nothing, the withdrawal is served by BUIDL, maxWithdraw is paid to the unit", async function () {
    const system = await loadFixture(spread);
    const { vault, alice, driver, ustb, buidl } = system;
    await driver.pauseUstbRedemption(true);
    expect(await ustb.maxWithdraw(), "USTB's instant exit is closed").to.equal(0n);
    const max = await vault.maxWithdraw(alice);
    const buidlLiquid = await buidl.maxWithdraw();
    expect(max, "idle plus BUIDL's facility, not USTB").to.equal((await vault.idle()) + buidlLiquid);

    const small = await withdrawMeasured(system, 100_000n * USDC);
    expect(small.paid).to.equal(100_000n * USDC);
    const rest = await vault.maxWithdraw(alice);
    const all = await withdrawMeasured(system, rest);
    expect(all.paid, "maxWithdraw is what withdraw pays").to.equal(rest);
  });

  it("1. RedemptionIdle paused: the plan exits USTB through its async path, and BUIDL's and JTRSY's legs run", async function () {
    const system = await loadFixture(spread);
    const { vault, curator, keeper, bob, driver, ustb, buidl, jtrsy } = system;
    await vault.connect(curator).setTargetWeight(ustb, 2_000n);
    await vault.connect(curator).setTargetWeight(jtrsy, 3_000n);
    await vault.connect(bob).deposit(3n * M, bob); // idle for the entries
    await driver.pauseUstbRedemption(true);
    const ustbAddress = await ustb.getAddress();
    const plan = await vault.previewRebalance();
    expect(
      plan.filter((leg) => leg.adapter === ustbAddress).map((leg) => leg.kind),
      "no instant exit planned into a paused RedemptionIdle",
    ).to.deep.equal([LegKind.RequestRedeem]);
    const tx = vault.connect(keeper).rebalance();
    await expect(tx).to.not.emit(vault, "LegFailed");
    expect(await legsRun(system, tx)).to.include.members([
      `${ustbAddress}:${LegKind.RequestRedeem}`,
      `${await buidl.getAddress()}:${LegKind.Deposit}`,
      `${await jtrsy.getAddress()}:${LegKind.Deposit}`,
    ]);
  });

  it("2. USTB's redemption fee at its 10 bps cap above an exit bound of 10 bps: USTB is passed over, BUIDL pays", async function () {
    const system = await loadFixture(spread);
    const { vault, curator, alice, driver, ustb } = system;
    await vault.connect(curator).setMaxSlippage(ustb, 10n); // the bound the deployment used to have
    await driver.setUstbRedemptionFee(10n);
    const max = await vault.maxWithdraw(alice);
    expect(max, "USTB's exit would break its bound: not promised").to.be.lte(5n * M + (await vault.idle()));
    const out = await withdrawMeasured(system, 100_000n * USDC);
    expect(out.paid).to.equal(100_000n * USDC);
    expect(await vault.maxWithdraw(alice)).to.equal(max - 100_000n * USDC);
  });

  it("2. with the deployed 15 bps bound, USTB itself pays at its 10 bps fee and the leaver bears the fee", async function () {
    const system = await loadFixture(spread);
    const { vault, alice, driver } = system;
    await driver.setUstbRedemptionFee(10n);
    const priceBefore = await sharePrice(system);
    const shares = await vault.previewWithdraw(100_000n * USDC);
    const out = await withdrawMeasured(system, 100_000n * USDC);
    expect(out.burnt, "preview equals the action").to.equal(shares);
    expect(out.paid).to.equal(100_000n * USDC);
    expect(await sharePrice(system), "the holders who stay did not pay the fee").to.be.gte(priceBefore);
    const max = await vault.maxWithdraw(alice);
    expect((await withdrawMeasured(system, max)).paid).to.equal(max);
  });

  it("3. USTB's fee at 1 bp: withdraw(maxWithdraw) succeeds and pays it exactly, and a full exit of USTB completes", async function () {
    const system = await loadFixture(spread);
    const { vault, curator, keeper, alice, driver, ustb } = system;
    await driver.setUstbRedemptionFee(1n);
    await vault.connect(curator).setTargetWeight(ustb, 0n);
    await vault.connect(keeper).rebalance();
    expect((await vault.adapterConfig(ustb)).value, "USTB emptied through its instant exit").to.be.lt(
      await vault.minMove(),
    );
    expect(await ustb.maxWithdraw()).to.be.lt(await vault.minMove());
    const max = await vault.maxWithdraw(alice);
    expect((await withdrawMeasured(system, max)).paid).to.equal(max);
  });

  it("4. USTB's subscription fee at 10 bps: USTB's entry fails alone, BUIDL's exit and JTRSY's entry execute", async function () {
    const system = await loadFixture(spread);
    const { vault, curator, keeper, bob, driver, ustb, buidl, jtrsy } = system;
    // A bound under the fee: at exactly 10 bps the entry passes or fails by the mint's rounding at the
    // second's extrapolated NAV, which would make the case depend on the wall clock.
    await vault.connect(curator).setMaxSlippage(ustb, 9n);
    // 14M after bob's deposit: USTB 50 % (+2M), BUIDL 30 % (−0.8M), JTRSY 20 % (+2.8M).
    await vault.connect(curator).setTargetWeight(buidl, 3_000n);
    await vault.connect(curator).setTargetWeight(jtrsy, 2_000n);
    await driver.setUstbSubscriptionFee(10n);
    await vault.connect(bob).deposit(4n * M, bob);
    const tx = vault.connect(keeper).rebalance();
    await expect(tx)
      .to.emit(vault, "LegFailed")
      .withArgs(await ustb.getAddress(), LegKind.Deposit, anyValue, anyValue);
    expect(await legsRun(system, tx)).to.include.members([
      `${await jtrsy.getAddress()}:${LegKind.Deposit}`,
      `${await buidl.getAddress()}:${LegKind.Withdraw}`,
    ]);
    const failed = (await (await tx).wait())!.logs
      .map((log) => vault.interface.parseLog(log))
      .find((event) => event?.name === "LegFailed");
    expect(vault.interface.parseError(failed!.args.reason as string)?.name).to.equal("EntrySlippageExceeded");
    expect((await vault.adapterConfig(ustb)).value, "USTB's book untouched").to.be.lte(5n * M + 10_000n * USDC);
  });

  it("5. Circle's facility liquidity() reverts: the vault's views answer, alice withdraws from idle and USTB", async function () {
    const system = await loadFixture(spread);
    const { vault, alice, bob, book, buidl, ustb } = system;
    await vault.connect(bob).deposit(3n * M, bob);
    await breakAt(book.BUIDL_REDEMPTION);
    expect(await buidl.maxWithdraw(), "BUIDL's instant exit reads as closed").to.equal(0n);
    const max = await vault.maxWithdraw(alice);
    const ustbLiquid = await ustb.maxWithdraw();
    const ustbBook = (await vault.adapterConfig(ustb)).value;
    expect(max, "idle plus USTB (at most its book value)").to.equal(
      (await vault.idle()) + (ustbLiquid < ustbBook ? ustbLiquid : ustbBook),
    );
    expect(await vault.maxRedeem(alice)).to.be.gt(0n);
    expect((await withdrawMeasured(system, USDC)).paid).to.equal(USDC);
    expect((await withdrawMeasured(system, await vault.maxWithdraw(alice))).paid).to.be.gt(0n);
  });

  for (const feeBps of [1n, 5n, 10n]) {
    it(`a withdrawal that draws on USTB at a ${feeBps} bps fee: the leaver pays it, previews equal actions, the price of those who stay does not fall`, async function () {
      const system = await loadFixture(spread);
      const { vault, alice, bob, driver } = system;
      await vault.connect(bob).deposit(M, bob); // bob stays
      await driver.setUstbRedemptionFee(feeBps);
      const price0 = await sharePrice(system);

      const assets = 3_100_000n * USDC + 123n; // beyond bob's idle million: USTB pays over 2M of it
      const shares = await vault.previewWithdraw(assets);
      const out = await withdrawMeasured(system, assets);
      expect(out.burnt, "previewWithdraw equals withdraw").to.equal(shares);
      expect(out.paid).to.equal(assets);
      const price1 = await sharePrice(system);
      expect(price1, "withdraw: the holders who stay are not worse off").to.be.gte(price0);

      const redeemShares = (await vault.balanceOf(alice)) / 7n;
      const expected = await vault.previewRedeem(redeemShares);
      const cash = await system.usdc.balanceOf(alice);
      await vault.connect(alice).redeem(redeemShares, alice, alice);
      expect((await system.usdc.balanceOf(alice)) - cash, "previewRedeem equals redeem").to.equal(expected);
      expect(await sharePrice(system), "redeem: the holders who stay are not worse off").to.be.gte(price1);
    });
  }

  describe("JTRSY's Centrifuge V3 price", function () {
    /** Spark's split, filled, a day on, USTB's NAV fresh, both instant exits funded. */
    async function split() {
      const system = await reserveSystem();
      const { vault, curator, driver, ustb } = system;
      await investAndFill(system, { buidlI: 5_000n, ustb: 3_000n, jtrsy: 2_000n });
      await vault.connect(curator).setMaxSlippage(ustb, USTB_EXIT_BOUND_BPS);
      await driver.advanceTime(DAY);
      await driver.setUstbNav(await driver.ustbPrice());
      await driver.fundUstbRedemption(20n * M);
      await driver.fundBuidlRedemption(20n * M);
      return system;
    }

    it("older than JTRSY's NAV guard (Centrifuge still serves it): the report quarantines JTRSY alone, the others report and pay", async function () {
      const system = await loadFixture(split);
      const { vault, keeper, driver, jtrsy, ustb, buidlI } = system;
      const booked = (await vault.adapterConfig(jtrsy)).value;
      const nav = await driver.ustbPrice();
      await driver.advanceTime(8n * DAY); // past the 7-day guard, with no new JTRSY price
      await driver.setUstbNav(nav); // USTB's oracle strikes daily; its own goes stale after five days
      expect(await jtrsy.totalAssets(), "the stale price still values the shares").to.be.gt(0n);
      const tx = vault.connect(keeper).report();
      await expect(tx)
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(await jtrsy.getAddress(), Reason.Stale, booked, anyValue);
      for (const other of [ustb, buidlI]) {
        expect((await vault.adapterConfig(other)).quarantined, "the others stay live").to.equal(false);
      }
      expect((await vault.adapterConfig(jtrsy)).value, "JTRSY keeps its last good value").to.equal(booked);
      expect((await withdrawMeasured(system, M)).paid, "a withdrawal beyond idle is paid by the others").to.equal(M);
    });

    it("set to zero (the issuer prices the share at nothing): a step beyond JTRSY's deviation bound quarantines it at its book; the others unaffected", async function () {
      const system = await loadFixture(split);
      const { vault, keeper, driver, jtrsy, ustb, buidlI } = system;
      const booked = (await vault.adapterConfig(jtrsy)).value;
      const total = await vault.totalAssets();
      await driver.setJtrsyPrice(0n);
      expect(await jtrsy.totalAssets(), "the issuer's valuation, read").to.equal(0n);
      expect(await jtrsy.maxRequestRedeem(), "no exit priced at zero").to.equal(0n);
      await expect(vault.connect(keeper).report())
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(await jtrsy.getAddress(), Reason.Deviation, booked, 0n);
      expect(await vault.totalAssets(), "nothing written down").to.be.closeTo(total, 2n);
      for (const other of [ustb, buidlI]) {
        expect((await vault.adapterConfig(other)).quarantined).to.equal(false);
      }
      await expect(vault.connect(keeper).rebalance()).to.not.be.reverted;
      expect((await withdrawMeasured(system, M)).paid).to.equal(M);
    });
  });
});

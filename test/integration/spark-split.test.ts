import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { LegKind, executedLegs } from "../helpers/fixtures";
import { MODE } from "../helpers/mainnet";
import { DAY, USDC, reserveSystem } from "../helpers/reserve";

const M = 1_000_000n * USDC;

describe(`Spark's split in one vault: BUIDL-I 50 %, USTB 30 %, JTRSY 20 % (${MODE})`, function () {
  async function spark() {
    const system = await reserveSystem();
    const { vault, curator, alice, driver, buidlI, ustb, jtrsy } = system;
    await vault.connect(curator).setBuffer(200n); // 2 % idle for withdrawals
    await vault.connect(curator).setTargetWeight(buidlI, 5_000n);
    await vault.connect(curator).setTargetWeight(ustb, 3_000n);
    await vault.connect(curator).setTargetWeight(jtrsy, 2_000n);
    await driver.fundUsdc(alice.address, 100n * M);
    await vault.connect(alice).deposit(100n * M, alice);
    return system;
  }

  it("one rebalance places the money; issuer fills keep it counted; NAV moves and a dividend unlock over time", async function () {
    const { vault, keeper, driver, buidlI, ustb, jtrsy } = await loadFixture(spark);
    const [b, u, j] = await Promise.all([buidlI.getAddress(), ustb.getAddress(), jtrsy.getAddress()]);

    const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
    expect(legs, "in listing order").to.deep.equal([
      [u, LegKind.Deposit, (294n * M) / 10n],
      [b, LegKind.Deposit, 49n * M],
      [j, LegKind.Deposit, (196n * M) / 10n],
    ]);
    expect(await vault.idle()).to.equal(2n * M);
    const placed = await vault.totalAssets();
    expect(placed, "only USTB's subscription rounding is lost").to.be.closeTo(100n * M, 30n * USDC);

    // The issuers act: BUIDL-I issues, Centrifuge fulfils at its price; the keeper settles and reports.
    await driver.advanceTime(DAY);
    await driver.issueBuidl("BUIDL_I", b, 49n * M);
    await driver.fulfilJtrsyDeposit(j);
    await driver.setUstbNav(await ustb.nav()); // today's strike
    for (const adapter of [buidlI, jtrsy]) await vault.connect(keeper).settle(adapter);
    await vault.connect(keeper).report();
    expect(await vault.totalAssets(), "fills change custody, not value").to.be.closeTo(placed, 100n * USDC);
    expect(await buidlI.pendingDeposit()).to.equal(0n);
    expect(await jtrsy.pendingDeposit()).to.equal(0n);

    // A month: USTB's NAV rises 0.4 %, BUIDL-I pays its dividend in tokens, JTRSY's epoch prices +0.35 %.
    const ustbNav = await ustb.nav(); // read before the month: unstruck for 30 days, the oracle goes stale
    await driver.advanceTime(30n * DAY);
    await driver.setUstbNav((ustbNav * 1_004n) / 1_000n);
    await driver.issueBuidl("BUIDL_I", b, 180_000n * USDC);
    const { price } = await driver.jtrsyPrice();
    await driver.setJtrsyPrice((price * 10_035n) / 10_000n);
    const totalBefore = await vault.totalAssets(); // earlier small gains have unlocked over the month
    await vault.connect(keeper).settle(buidlI); // the dividend is yield, not a fill
    await vault.connect(keeper).report();
    const locked = await vault.lockedProfit();
    expect(locked, "about $117.6k + $180k + $68.6k of gains, all locked").to.be.closeTo(366_000n * USDC, 5_000n * USDC);
    expect(await vault.totalAssets(), "nothing released at once").to.be.closeTo(totalBefore, 200n * USDC);
    const monthEndNav = await ustb.nav();
    await driver.advanceTime(7n * DAY);
    await driver.setUstbNav(monthEndNav);
    expect(await vault.totalAssets(), "released after the unlock period").to.be.closeTo(
      totalBefore + locked,
      1_000n * USDC,
    );
  });

  it("a withdrawal larger than idle is served from instant liquidity in withdraw order; a larger one is told the truth", async function () {
    const { vault, keeper, driver, alice, usdc, ustb } = await loadFixture(spark);
    await vault.connect(keeper).rebalance();
    await driver.drainUstbRedemption();
    await driver.fundUstbRedemption(10n * M); // RedemptionIdle holds $10M, as in January 2025

    const max = await vault.maxWithdraw(alice);
    expect(await ustb.maxWithdraw()).to.be.closeTo(10n * M, 20n * USDC);
    expect(max, "idle $2M + USTB's instant $10M; BUIDL-I and JTRSY exit only asynchronously").to.equal(
      (await vault.idle()) + (await ustb.maxWithdraw()),
    );
    const before = await usdc.balanceOf(alice);
    await vault.connect(alice).withdraw(7n * M, alice, alice); // beyond idle: USTB redeems the rest
    expect((await usdc.balanceOf(alice)) - before).to.equal(7n * M);
    expect(await vault.idle()).to.be.lt(USDC);
    expect((await vault.adapterConfig(ustb)).value).to.be.closeTo((294n * M) / 10n - 5n * M, 30_000n * USDC);

    // USTB's price moves every second and RedemptionIdle's payout rounds to whole USTB units, so the
    // promise holds for the block it is read for: read it on the pending block, pinned. The refused
    // attempt is mined too (in that pinned block), so the successful one reads its own block again.
    const maxInNextBlock = async () => {
      await time.setNextBlockTimestamp((await time.latest()) + 1);
      return vault.maxWithdraw(alice, { blockTag: "pending" });
    };
    const rest = await maxInNextBlock();
    await expect(vault.connect(alice).withdraw(rest + 1n, alice, alice)).to.be.revertedWithCustomError(
      vault,
      "ERC4626ExceededMaxWithdraw",
    );
    const restNow = await maxInNextBlock();
    expect(restNow, "a second later, the same up to USTB's unit rounding").to.be.closeTo(rest, 10n * USDC);
    await vault.connect(alice).withdraw(restNow, alice, alice);
    expect(await vault.maxWithdraw(alice), "nothing more can leave now").to.be.lt(10n * USDC);
  });
});

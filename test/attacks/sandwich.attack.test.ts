import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MODE } from "../helpers/mainnet";
import { DAY, USDC, investAndFill, reserveSystem, type ReserveSystem } from "../helpers/reserve";
import { GAS, inOneBlock } from "./block";

const M = 1_000_000n * USDC;
const WEEK = 7n * DAY;

/**
 * A searcher sees a value step coming (a NAV strike, a dividend, an epoch price) and bundles, in one
 * block: deposit → the keeper's report that books the step → redeem. Gains are locked at report and
 * released over a week, so within one block nothing is released and the bundle must not profit.
 */
describe(`attack › sandwiching a value step on the real products (${MODE})`, function () {
  async function invested(): Promise<ReserveSystem> {
    const system = await reserveSystem();
    const { vault, keeper, attacker, driver, ustb } = system;
    await investAndFill(system, { ustb: 3_000n, buidl: 4_000n, jtrsy: 2_000n });
    await driver.advanceTime(DAY);
    await driver.setUstbNav(await ustb.nav());
    await vault.connect(keeper).report();
    const nav = await ustb.nav(); // read while the oracle is fresh
    await time.increase(WEEK); // whatever the fills booked has unlocked: a quiet vault
    await driver.setUstbNav(nav); // both issuers strike again, at unchanged prices
    await driver.setJtrsyPrice((await driver.jtrsyPrice()).price);
    await vault.connect(keeper).report();
    expect(await vault.lockedProfit(), "a quiet vault").to.equal(0n);
    await driver.fundUsdc(attacker.address, 50n * M);
    await system.usdc.connect(attacker).approve(vault, ethers.MaxUint256);
    return system;
  }

  async function sandwich(system: ReserveSystem, step: () => Promise<void>, capital: bigint) {
    const { vault, usdc, alice, attacker, keeper } = system;
    const aliceBefore = await vault.previewRedeem(await vault.balanceOf(alice));
    const attackerStart = await usdc.balanceOf(attacker);
    await step(); // visible to the searcher before the keeper's report books it
    const shares = await vault.previewDeposit(capital); // what the first leg of the bundle mints
    const statuses = await inOneBlock([
      () => vault.connect(attacker).deposit(capital, attacker, GAS),
      () => vault.connect(keeper).report(GAS),
      () => vault.connect(attacker).redeem(shares, attacker, attacker, GAS),
    ]);
    expect(statuses, "all three legs of the bundle landed").to.deep.equal([1, 1, 1]);
    const locked = await vault.lockedProfit();
    const profit = (await usdc.balanceOf(attacker)) - attackerStart;
    const aliceAfter = await vault.previewRedeem(await vault.balanceOf(alice));
    return { profit, aliceBefore, aliceAfter, locked };
  }

  it("sandwich around report() on a USTB NAV strike: the searcher's profit is ≤ 0", async function () {
    const system = await loadFixture(invested);
    const { driver, ustb } = system;
    const outcome = await sandwich(
      system,
      async () => driver.setUstbNav(((await ustb.nav()) * 1_005n) / 1_000n),
      40n * M,
    );
    expect(outcome.locked, "the strike was booked, and locked").to.be.gt(10_000n * USDC);
    expect(outcome.profit, "the searcher's profit").to.be.lte(0n);
    expect(outcome.aliceAfter, "alice loses at most rounding").to.be.gte(outcome.aliceBefore - 1n);
    await time.increase(WEEK);
    expect(
      await system.vault.previewRedeem(await system.vault.balanceOf(system.alice)),
      "and the strike is alice's",
    ).to.be.gte(outcome.aliceBefore + outcome.locked - 2n);
  });

  it("sandwich around a BUIDL dividend (new tokens issued to the adapter): the searcher's profit is ≤ 0", async function () {
    const system = await loadFixture(invested);
    const { driver, buidl } = system;
    const dividend = 14_000n * USDC; // a month of yield on $4M
    const outcome = await sandwich(system, () => driver.issueBuidl("BUIDL", buidl.target as string, dividend), 40n * M);
    expect(outcome.locked, "the dividend was booked, and locked").to.equal(dividend);
    expect(outcome.profit, "the searcher's profit").to.be.lte(0n);
    expect(outcome.aliceAfter, "alice loses at most rounding").to.be.gte(outcome.aliceBefore - 1n);
  });

  it("sandwich around a Centrifuge epoch price: the searcher's profit is ≤ 0", async function () {
    const system = await loadFixture(invested);
    const { driver } = system;
    const outcome = await sandwich(
      system,
      async () => {
        const { price } = await driver.jtrsyPrice();
        await driver.setJtrsyPrice((price * 1_004n) / 1_000n);
      },
      40n * M,
    );
    expect(outcome.locked, "the epoch was booked, and locked").to.be.gt(5_000n * USDC);
    expect(outcome.profit, "the searcher's profit").to.be.lte(0n);
    expect(outcome.aliceAfter, "alice loses at most rounding").to.be.gte(outcome.aliceBefore - 1n);
  });

  it("holding across the report for a day earns only the day's share of the step, as any holder would", async function () {
    const system = await loadFixture(invested);
    const { vault, usdc, alice, attacker, keeper, driver, buidl } = system;
    const dividend = 14_000n * USDC;
    const capital = 40n * M;
    const attackerStart = await usdc.balanceOf(attacker);
    const aliceValue = await vault.previewRedeem(await vault.balanceOf(alice));
    await driver.issueBuidl("BUIDL", await buidl.getAddress(), dividend);
    await vault.connect(attacker).deposit(capital, attacker);
    await vault.connect(keeper).report();
    await time.increase(DAY);
    await vault.connect(attacker).redeem(await vault.maxRedeem(attacker), attacker, attacker);
    const released = dividend - (await vault.lockedProfit());
    const profit = (await usdc.balanceOf(attacker)) - attackerStart;
    // Released linearly: the attacker's take is its share of what unlocked while it held, no more.
    expect(profit).to.be.lte((released * capital) / (capital + aliceValue) + 1n);
    expect(profit, "a seventh of the dividend at most, not the step").to.be.lt(dividend / 7n);
  });
});

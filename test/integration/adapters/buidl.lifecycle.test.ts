import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { BuidlAdapter__factory, SandboxDSToken__factory } from "../../../typechain-types";
import { impersonate } from "../../../src/sandbox/rpc";
import { LegKind, executedLegs, planOf } from "../../helpers/fixtures";
import { MODE, describeSandboxOnly } from "../../helpers/mainnet";
import { BUIDL_DEPOSIT_STAND_IN, DAY, USDC, reserveSystem } from "../../helpers/reserve";
import { DEFAULT_SETTLE_TOLERANCE_BPS } from "../../../src/deploy/params";
import { DOLLAR_DS_TERMS } from "../../../src/deploy/system";

describe(`BuidlAdapter through the vault (${MODE})`, function () {
  async function buidlOnly() {
    const system = await reserveSystem();
    await system.vault.connect(system.curator).setTargetWeight(system.buidl, 9_000n);
    await system.vault.connect(system.alice).deposit(1_000_000n * USDC, system.alice);
    return system;
  }

  it("subscribes at cost, books the fill once, recognises a dividend as a gain, exits after the lock-up", async function () {
    const { vault, buidl, keeper, curator, driver, usdc, book } = await loadFixture(buidlOnly);
    const token = SandboxDSToken__factory.connect(book.BUIDL, keeper);
    const deposited = await usdc.balanceOf(BUIDL_DEPOSIT_STAND_IN);

    await vault.connect(keeper).rebalance();
    expect((await usdc.balanceOf(BUIDL_DEPOSIT_STAND_IN)) - deposited, "USDC went to the deposit address").to.equal(
      900_000n * USDC,
    );
    expect(await buidl.pendingDeposit()).to.equal(900_000n * USDC);
    expect(await vault.totalAssets(), "pending at cost").to.equal(1_000_000n * USDC);
    expect(await planOf(vault), "one open subscription: nothing more").to.deep.equal([]);

    await driver.issueBuidl("BUIDL", await buidl.getAddress(), 900_000n * USDC); // the issuer fills
    expect(await buidl.totalAssets(), "the fill replaces the pending amount, not added to it").to.equal(
      900_000n * USDC,
    );
    await vault.connect(keeper).settle(buidl);
    expect(await buidl.pendingDeposit()).to.equal(0n);
    expect(await vault.totalAssets()).to.equal(1_000_000n * USDC);

    await driver.issueBuidl("BUIDL", await buidl.getAddress(), 3_000n * USDC); // the monthly dividend
    await vault.connect(keeper).report();
    expect(await vault.lockedProfit(), "a dividend is a gain, locked").to.equal(3_000n * USDC);

    await vault.connect(curator).setTargetWeight(buidl, 5_000n);
    await driver.fundBuidlRedemption(1_000_000n * USDC);
    expect(await buidl.maxWithdraw(), "all of it still under the 24 h lock-up").to.equal(0n);
    expect(await planOf(vault), "locked tokens: no instant exit, and BUIDL has no async path").to.deep.equal([]);

    await driver.advanceTime(DAY);
    expect((await planOf(vault)).map((l) => l[1])).to.deep.equal([LegKind.Withdraw]);
    const [exit] = await executedLegs(vault, vault.connect(keeper).rebalance());
    expect(await token.balanceOf(buidl)).to.equal(903_000n * USDC - exit![2]);
    expect(
      await token.allowance(buidl, book.BUIDL_REDEMPTION),
      "Circle's facility keeps one base unit of allowance after the redemption, never more",
    ).to.equal(1n);
    // Targets are on gross assets (idle + books): the locked dividend sits somewhere too.
    const gross = (await vault.idle()) + (await vault.totalAdapterValue());
    expect((await vault.adapterConfig(buidl)).value).to.be.closeTo((gross * 5_000n) / 10_000n, 1_000n * USDC);
  });

  it("reads the lock-up from Securitize's compliance configuration: lengthened to 3 days, nothing is promised before then", async function () {
    const { vault, buidl, keeper, curator, alice, driver } = await loadFixture(buidlOnly);
    await vault.connect(keeper).rebalance();
    await driver.issueBuidl("BUIDL", await buidl.getAddress(), 900_000n * USDC);
    await vault.connect(keeper).settle(buidl);
    await driver.fundBuidlRedemption(1_000_000n * USDC);
    await driver.setBuidlLockPeriod("BUIDL", 3n * DAY);
    expect(await buidl.lockPeriod()).to.equal(3n * DAY);

    // Two days on, a 24 h assumption would promise the exit the token refuses ("Under lock-up").
    await driver.advanceTime(2n * DAY);
    expect(await buidl.transferable(), "still under Securitize's lock-up").to.equal(0n);
    expect(await buidl.maxWithdraw()).to.equal(0n);
    await vault.connect(curator).setTargetWeight(buidl, 0n);
    expect(await planOf(vault), "no exit that must fail").to.deep.equal([]);
    expect(await vault.maxWithdraw(alice), "idle only: 100k").to.equal(100_000n * USDC);
    await vault.connect(alice).withdraw(await vault.maxWithdraw(alice), alice, alice);

    // A day later the lock-up ends: the exit the views promise goes through.
    await driver.advanceTime(DAY);
    expect(await buidl.transferable()).to.equal(900_000n * USDC);
    const [exit] = await executedLegs(vault, vault.connect(keeper).rebalance());
    expect(exit![1]).to.equal(LegKind.Withdraw);
  });

  it("holds each issuance to its own lock-up: a 40-day lock-up and monthly dividends never freeze what is older", async function () {
    const { vault, buidl, keeper, driver } = await loadFixture(buidlOnly);
    await vault.connect(keeper).rebalance();
    await driver.setBuidlLockPeriod("BUIDL", 40n * DAY);
    await driver.issueBuidl("BUIDL", await buidl.getAddress(), 900_000n * USDC); // the fill
    await vault.connect(keeper).settle(buidl);
    for (let month = 0; month < 2; month++) {
      await driver.advanceTime(30n * DAY);
      await driver.issueBuidl("BUIDL", await buidl.getAddress(), 3_000n * USDC); // a dividend
      await vault.connect(keeper).settle(buidl); // the keeper's routine sees every arrival
    }
    // Sixty days after the fill: it is free; the two dividends (30 and 0 days old) are not.
    expect(await buidl.transferable()).to.equal(900_000n * USDC);
    await driver.fundBuidlRedemption(1_000_000n * USDC);
    expect(await buidl.maxWithdraw()).to.equal(900_000n * USDC);
  });

  it("skips a subscription below the minimum ticket instead of sending dust", async function () {
    const { vault, buidl, keeper, curator, usdc } = await loadFixture(buidlOnly);
    await vault.connect(curator).setTargetWeight(buidl, 900n); // 9 % of 1M: 90k, below the 100k ticket
    expect(await planOf(vault)).to.deep.equal([]);
    const before = await usdc.balanceOf(BUIDL_DEPOSIT_STAND_IN);
    await vault.connect(keeper).rebalance();
    expect(await usdc.balanceOf(BUIDL_DEPOSIT_STAND_IN)).to.equal(before);
    await vault.connect(curator).setTargetWeight(buidl, 1_000n); // 100k: exactly the ticket
    expect(await planOf(vault)).to.deep.equal([[await buidl.getAddress(), LegKind.Deposit, 100_000n * USDC]]);
  });

  it("BUIDL-I exits asynchronously by transfer to the redemption address, counted until paid", async function () {
    const { vault, buidlI, keeper, curator, driver, alice } = await loadFixture(buidlOnly);
    await vault.connect(curator).setTargetWeight(await buidlI.getAddress(), 0n);
    await vault.connect(curator).setTargetWeight((await vault.adapters())[1]!, 0n);
    await vault.connect(curator).setTargetWeight(buidlI, 8_000n);
    await vault.connect(keeper).rebalance();
    await driver.issueBuidl("BUIDL_I", await buidlI.getAddress(), 800_000n * USDC);
    await vault.connect(keeper).settle(buidlI);
    await driver.advanceTime(DAY);

    await vault.connect(curator).setTargetWeight(buidlI, 3_000n);
    expect((await planOf(vault)).map((l) => l[1])).to.deep.equal([LegKind.RequestRedeem]);
    await vault.connect(keeper).rebalance();
    expect(await buidlI.pendingRedeem()).to.equal(500_000n * USDC);
    expect(await vault.totalAssets()).to.equal(1_000_000n * USDC);
    expect(await vault.maxWithdraw(alice), "in flight is not instant liquidity").to.equal(200_000n * USDC);

    await driver.payBuidlRedemption(await buidlI.getAddress(), 500_000n * USDC);
    await vault.connect(keeper).settle(buidlI);
    expect(await vault.idle()).to.equal(700_000n * USDC);
    expect(await vault.totalAssets()).to.equal(1_000_000n * USDC);
  });

  it("an unregistered wallet cannot subscribe: nothing is planned and a direct call names the error", async function () {
    const { vault, keeper, curator, book, deployer } = await loadFixture(buidlOnly);
    const unregistered = await new BuidlAdapter__factory(deployer).deploy(
      vault,
      book.USDC,
      book.BUIDL,
      book.BUIDL_REGISTRY,
      BUIDL_DEPOSIT_STAND_IN,
      ethers.ZeroAddress,
      1n, // instant exit: Circle facility
      book.BUIDL_REDEMPTION,
      ethers.ZeroAddress, // no on-ramp: entries subscribe at the deposit address
      0n,
      DEFAULT_SETTLE_TOLERANCE_BPS,
      DOLLAR_DS_TERMS,
    );
    await vault.connect(curator).setTargetWeight((await vault.adapters())[1]!, 0n);
    await vault.connect(curator).addAdapter(unregistered);
    await vault.connect(curator).setCap(unregistered, 10n ** 30n);
    await vault.connect(curator).setRateLimit(unregistered, 2n ** 128n - 1n, 0n);
    await vault.connect(curator).setTargetWeight(unregistered, 5_000n);
    expect(await unregistered.maxDeposit()).to.equal(0n);
    expect(await planOf(vault)).to.deep.equal([]);
    const total = await vault.totalAssets();
    await vault.connect(keeper).rebalance();
    expect(await vault.totalAssets(), "accounting intact").to.equal(total);
    await impersonate(ethers.provider, await vault.getAddress(), async (asVault) => {
      await expect(unregistered.connect(asVault).deposit(1n))
        .to.be.revertedWithCustomError(unregistered, "NotRegistered")
        .withArgs(await unregistered.getAddress());
    });
  });
  describeSandboxOnly(
    "BuidlAdapter › a lock-up it cannot read",
    "rewiring the token's service registry takes the issuer's master key on mainnet",
    function () {
      it("a lock-up it cannot read promises no exit: the issuer's fault stays with BUIDL", async function () {
        const { vault, buidl, keeper, driver, book } = await loadFixture(buidlOnly);
        await vault.connect(keeper).rebalance();
        await driver.issueBuidl("BUIDL", await buidl.getAddress(), 900_000n * USDC);
        await vault.connect(keeper).settle(buidl);
        await driver.fundBuidlRedemption(1_000_000n * USDC);
        await driver.advanceTime(2n * DAY);
        expect(await buidl.maxWithdraw()).to.equal(900_000n * USDC);
        // The token's service registry answers garbage: no lock-up can be read.
        const token = SandboxDSToken__factory.connect(book.BUIDL, keeper);
        await impersonate(ethers.provider, book.BUIDL_ADMIN, async (admin) => {
          await token.connect(admin).setDSService(256n, ethers.ZeroAddress);
        });
        expect(await buidl.transferable()).to.equal(0n);
        expect(await buidl.maxWithdraw()).to.equal(0n);
        expect(await buidl.totalAssets(), "the valuation does not depend on it").to.equal(900_000n * USDC);
      });
    },
  );
});

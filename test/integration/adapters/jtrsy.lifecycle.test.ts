import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { impersonate } from "../../../src/sandbox/rpc";
import { SandboxTrancheToken__factory } from "../../../typechain-types";
import { LegKind, planOf } from "../../helpers/fixtures";
import { MODE } from "../../helpers/mainnet";
import { DAY, USDC, reserveSystem } from "../../helpers/reserve";

describe(`Erc7540Adapter (JTRSY) through the vault (${MODE})`, function () {
  async function jtrsyOnly() {
    const system = await reserveSystem();
    await system.vault.connect(system.curator).setTargetWeight(system.jtrsy, 8_000n);
    await system.vault.connect(system.alice).deposit(1_000_000n * USDC, system.alice);
    return system;
  }

  it("requests, is fulfilled, claims, reprices, redeems and settles back with nothing counted twice", async function () {
    const { vault, jtrsy, keeper, curator, driver, book } = await loadFixture(jtrsyOnly);
    const shares = SandboxTrancheToken__factory.connect(book.JTRSY, keeper);
    const controller = await jtrsy.getAddress();

    await vault.connect(keeper).rebalance();
    expect(await jtrsy.pendingDeposit(), "pending at cost").to.equal(800_000n * USDC);
    expect(await vault.totalAssets()).to.equal(1_000_000n * USDC);
    expect(await planOf(vault), "one open request per side").to.deep.equal([]);

    await driver.advanceTime(DAY);
    await driver.fulfilJtrsyDeposit(controller); // at the current epoch price
    const claimableValue = await jtrsy.totalAssets();
    expect(claimableValue, "a filled, unclaimed deposit stays at cost").to.equal(800_000n * USDC);
    await vault.connect(keeper).settle(jtrsy);
    expect(await shares.balanceOf(jtrsy)).to.be.gt(0n);
    const claimedValue = await jtrsy.totalAssets();
    // Claiming changes custody, not value, beyond the issuer's rounding (down, a unit or two).
    expect(claimedValue).to.be.lte(claimableValue);
    expect(claimedValue).to.be.gte(claimableValue - 2n);
    await vault.connect(keeper).report();

    const { price } = await driver.jtrsyPrice();
    await driver.setJtrsyPrice(price + price / 200n); // an epoch: +0.5 %
    await vault.connect(keeper).report();
    expect(await vault.lockedProfit()).to.be.closeTo(4_000n * USDC, 10n * USDC);

    await vault.connect(curator).setTargetWeight(jtrsy, 3_000n);
    expect((await planOf(vault)).map((l) => l[1])).to.deep.equal([LegKind.RequestRedeem]);
    const gross = async () => (await vault.idle()) + (await vault.totalAdapterValue());
    const grossBefore = await gross();
    await vault.connect(keeper).rebalance();
    expect(await jtrsy.pendingRedeem(), "in flight at the request's price").to.be.gt(490_000n * USDC);
    expect(await gross(), "a request moves value in flight; it loses none").to.equal(grossBefore);

    await driver.setJtrsyPrice(price + price / 100n); // the fulfilment may price differently
    await driver.advanceTime(DAY);
    await driver.fulfilJtrsyRedeem(controller);
    const idleBefore = await vault.idle();
    await vault.connect(keeper).settle(jtrsy);
    const returned = (await vault.idle()) - idleBefore;
    expect(returned).to.be.gt(490_000n * USDC);
    expect(await jtrsy.pendingRedeem()).to.equal(0n);
    await vault.connect(keeper).report();
    expect((await vault.adapterConfig(jtrsy)).value).to.equal(await jtrsy.totalAssets());
  });

  it("the keeper cancels an open deposit request (ERC-7887) and settle brings the assets back", async function () {
    const { vault, jtrsy, keeper, alice, driver } = await loadFixture(jtrsyOnly);
    await vault.connect(keeper).rebalance();
    await expect(jtrsy.connect(alice).cancelDeposit()).to.be.revertedWithCustomError(jtrsy, "OnlyVaultKeeper");
    await expect(jtrsy.connect(keeper).cancelDeposit())
      .to.emit(jtrsy, "CancelRequested")
      .withArgs(true, keeper.address);
    expect(await jtrsy.maxDeposit(), "no new request while a cancel is pending").to.equal(0n);
    expect(await vault.totalAssets(), "still counted while the cancel is pending").to.equal(1_000_000n * USDC);
    await driver.fulfilJtrsyCancelDeposit(await jtrsy.getAddress());
    await vault.connect(keeper).settle(jtrsy);
    expect(await vault.idle()).to.equal(1_000_000n * USDC);
    expect(await jtrsy.totalAssets()).to.equal(0n);
    expect(await vault.totalAssets()).to.equal(1_000_000n * USDC);
  });

  it("the keeper cancels an open redemption (ERC-7887) and settle brings the shares back", async function () {
    const { vault, jtrsy, keeper, curator, driver } = await loadFixture(jtrsyOnly);
    const controller = await jtrsy.getAddress();
    await vault.connect(keeper).rebalance();
    await driver.fulfilJtrsyDeposit(controller);
    await vault.connect(keeper).settle(jtrsy);
    await vault.connect(keeper).report();
    await vault.connect(curator).setTargetWeight(jtrsy, 2_000n);
    await vault.connect(keeper).rebalance(); // requests shares out
    const value = await jtrsy.totalAssets();
    expect(await jtrsy.pendingRedeem()).to.be.gt(0n);
    await jtrsy.connect(keeper).cancelRedeem();
    expect(await jtrsy.maxRequestRedeem(), "no new request while the cancel is pending").to.equal(0n);
    await driver.fulfilJtrsyCancelRedeem(controller);
    await vault.connect(keeper).settle(jtrsy);
    expect(await jtrsy.pendingRedeem()).to.equal(0n);
    expect(await jtrsy.totalAssets(), "the shares are back, the value with them").to.be.closeTo(value, 2n);
    expect(await jtrsy.maxRequestRedeem()).to.be.gt(0n);
  });

  it("an expired membership plans no entry; its claim waits, counted, until membership returns", async function () {
    const { vault, jtrsy, keeper, driver } = await loadFixture(jtrsyOnly);
    const controller = await jtrsy.getAddress();
    await vault.connect(keeper).rebalance();
    await driver.fulfilJtrsyDeposit(controller);
    await driver.setJtrsyMembership(controller, (await driver.now()) + 60n);
    await driver.advanceTime(120);
    expect(await jtrsy.maxDeposit()).to.equal(0n);
    await impersonate(ethers.provider, await vault.getAddress(), async (asVault) => {
      await expect(jtrsy.connect(asVault).deposit(1n))
        .to.be.revertedWithCustomError(jtrsy, "NotMember")
        .withArgs(controller);
    });
    const before = await jtrsy.totalAssets();
    expect(before, "the fill is valued from the request, not from the hidden maxMint").to.equal(800_000n * USDC);
    expect(await jtrsy.maxRequestRedeem(), "nothing held yet to redeem").to.equal(0n);
    await vault.connect(keeper).settle(jtrsy); // cannot claim shares: skips, loses nothing
    expect(await jtrsy.totalAssets()).to.equal(before);
    expect(await jtrsy.depositRequestAssets(), "the request stays open while the fill is hidden").to.equal(before);
    await driver.allowlist("JTRSY", controller);
    await vault.connect(keeper).settle(jtrsy);
    expect(await jtrsy.claimable()).to.equal(0n);
    expect(await jtrsy.depositRequestAssets()).to.equal(0n);
    expect(await jtrsy.totalAssets()).to.be.closeTo(before, 2n);
  });
});

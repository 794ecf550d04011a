import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  IInvestmentManagerLike__factory,
  SandboxERC7540Vault__factory,
  SandboxTrancheToken__factory,
  SandboxUSDC__factory,
} from "../../../typechain-types";
import { MODE, mainnet } from "../../helpers/mainnet";

const USDC = 10n ** 6n;

async function centrifuge() {
  const { driver, book } = await loadFixture(mainnet);
  const [, alice, bob] = await ethers.getSigners();
  const vault = SandboxERC7540Vault__factory.connect(book.JTRSY_VAULT, alice!);
  const usdc = SandboxUSDC__factory.connect(book.USDC, alice!);
  const jtrsy = SandboxTrancheToken__factory.connect(book.JTRSY, alice!);
  await driver.fundUsdc(alice!.address, 1_000_000n * USDC);
  await usdc.approve(vault, ethers.MaxUint256);
  return { driver, book, alice: alice!, bob: bob!, vault, usdc, jtrsy };
}

describe(`Centrifuge JTRSY conformance (${MODE})`, function () {
  it("refuses a request from a controller that is not a member", async function () {
    const { vault, alice } = await loadFixture(centrifuge);
    await expect(vault.requestDeposit(1_000n * USDC, alice, alice)).to.be.revertedWith(
      "InvestmentManager/transfer-not-allowed",
    );
  });

  it("deposit: pending → claimable → claimed with mint(maxMint), assets in escrow from the request", async function () {
    const { driver, book, vault, usdc, jtrsy, alice } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    const escrowBefore = await usdc.balanceOf(book.CENTRIFUGE_ESCROW);
    await expect(vault.requestDeposit(1_000n * USDC, alice, alice))
      .to.emit(vault, "DepositRequest")
      .withArgs(alice.address, alice.address, 0n, alice.address, 1_000n * USDC);
    expect((await usdc.balanceOf(book.CENTRIFUGE_ESCROW)) - escrowBefore, "custody moved at once").to.equal(
      1_000n * USDC,
    );
    expect(await vault.pendingDepositRequest(0, alice)).to.equal(1_000n * USDC);
    expect(await vault.claimableDepositRequest(0, alice)).to.equal(0n);

    await driver.fulfilJtrsyDeposit(alice.address, { shares: 950n * USDC }); // the issuer's price
    expect(await vault.pendingDepositRequest(0, alice)).to.equal(0n);
    // The shares at the fulfilment's price, rounded down as the real investment manager does.
    expect(await vault.claimableDepositRequest(0, alice)).to.equal(1_000n * USDC - 1n);
    expect(await vault.maxDeposit(alice)).to.equal(1_000n * USDC - 1n);
    expect(await vault.maxMint(alice)).to.equal(950n * USDC);

    // Claimed to another member: Deposit names the receiver first, then the controller (sender, owner).
    const [, , bob] = await ethers.getSigners();
    await driver.allowlist("JTRSY", bob!.address);
    const bobBefore = await jtrsy.balanceOf(bob!);
    await expect(vault["mint(uint256,address,address)"](await vault.maxMint(alice), bob!, alice))
      .to.emit(vault, "Deposit")
      .withArgs(bob!.address, alice.address, anyValue, 950n * USDC);
    expect((await jtrsy.balanceOf(bob!)) - bobBefore).to.equal(950n * USDC);
    expect(await vault.maxMint(alice), "mint(maxMint) leaves no dust").to.equal(0n);
    expect(await vault.claimableDepositRequest(0, alice)).to.equal(0n);
  });

  it("redeem: shares to escrow at request, claimed with withdraw(maxWithdraw)", async function () {
    const { driver, book, vault, usdc, jtrsy, alice } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    await vault["mint(uint256,address)"](await vault.maxMint(alice), alice);
    const shares = await jtrsy.balanceOf(alice);
    await expect(vault.requestRedeem(shares, alice, alice)).to.emit(vault, "RedeemRequest");
    expect(await jtrsy.balanceOf(book.CENTRIFUGE_ESCROW)).to.be.gte(shares);
    expect(await vault.pendingRedeemRequest(0, alice)).to.equal(shares);
    await driver.fulfilJtrsyRedeem(alice.address, { assets: 1_001n * USDC });
    expect(await vault.claimableRedeemRequest(0, alice)).to.equal(shares);
    const before = await usdc.balanceOf(alice);
    await vault.withdraw(await vault.maxWithdraw(alice), alice, alice);
    expect((await usdc.balanceOf(alice)) - before).to.equal(1_001n * USDC);
    expect(await vault.maxWithdraw(alice)).to.equal(0n);
  });

  it("ERC-7887: a pending cancel blocks new requests; the cancelled assets are claimable back", async function () {
    const { driver, vault, usdc, alice } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await expect(vault.cancelDepositRequest(0, alice)).to.emit(vault, "CancelDepositRequest");
    expect(await vault.pendingCancelDepositRequest(0, alice)).to.equal(true);
    await expect(vault.requestDeposit(1n, alice, alice)).to.be.revertedWith(
      "InvestmentManager/cancellation-is-pending",
    );
    await driver.fulfilJtrsyCancelDeposit(alice.address);
    expect(await vault.pendingCancelDepositRequest(0, alice)).to.equal(false);
    expect(await vault.claimableCancelDepositRequest(0, alice)).to.equal(1_000n * USDC);
    const before = await usdc.balanceOf(alice);
    await vault.claimCancelDepositRequest(0, alice, alice);
    expect((await usdc.balanceOf(alice)) - before).to.equal(1_000n * USDC);
  });

  it("ERC-7887 on the redeem side returns the shares", async function () {
    const { driver, vault, jtrsy, alice } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    await vault["mint(uint256,address)"](await vault.maxMint(alice), alice);
    const shares = await jtrsy.balanceOf(alice);
    await vault.requestRedeem(shares, alice, alice);
    await vault.cancelRedeemRequest(0, alice);
    await expect(vault.requestRedeem(1n, alice, alice)).to.be.reverted;
    await driver.fulfilJtrsyCancelRedeem(alice.address);
    expect(await vault.claimableCancelRedeemRequest(0, alice)).to.equal(shares);
    await vault.claimCancelRedeemRequest(0, alice, alice);
    expect(await jtrsy.balanceOf(alice)).to.equal(shares);
  });

  it("an expired membership blocks new requests and claims", async function () {
    const { driver, vault, alice } = await loadFixture(centrifuge);
    const now = BigInt(await time.latest());
    await driver.setJtrsyMembership(alice.address, now + 100n);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    const shares = await vault.maxMint(alice);
    expect(shares).to.be.gt(0n);
    await time.increase(200);
    await expect(vault.requestDeposit(1n, alice, alice)).to.be.revertedWith("InvestmentManager/transfer-not-allowed");
    // As the real investment manager: the fill is hidden while the controller may not receive shares.
    expect(await vault.maxMint(alice), "maxMint reads zero").to.equal(0n);
    expect(await vault.claimableDepositRequest(0, alice), "and so does the claimable deposit").to.equal(0n);
    await expect(vault["mint(uint256,address)"](shares, alice)).to.be.reverted;
    await driver.allowlist("JTRSY", alice.address); // renewed: the fill shows again, whole
    expect(await vault.maxMint(alice)).to.equal(shares);
  });

  it("previews revert; prices come from the epoch with priceLastUpdated", async function () {
    const { driver, vault } = await loadFixture(centrifuge);
    await expect(vault.previewDeposit(1n)).to.be.reverted;
    await expect(vault.previewMint(1n)).to.be.reverted;
    await expect(vault.previewWithdraw(1n)).to.be.reverted;
    await expect(vault.previewRedeem(1n)).to.be.reverted;
    await driver.setJtrsyPrice(1_100_000_000_000_000_000n);
    expect(await vault.convertToAssets(1_000n * USDC)).to.equal(1_100n * USDC);
    expect(await vault.pricePerShare()).to.equal(1_100_000n);
    const { computedAt } = await driver.jtrsyPrice();
    expect(await vault.priceLastUpdated()).to.equal(computedAt);
    expect(computedAt).to.be.lte(BigInt(await time.latest()));
  });

  it("an operator may request for its controller", async function () {
    const { driver, vault, alice, bob } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await expect(vault.connect(bob).requestDeposit(1n, alice, alice)).to.be.revertedWith("ERC7540Vault/invalid-owner");
    await expect(vault.setOperator(bob, true)).to.emit(vault, "OperatorSet").withArgs(alice.address, bob.address, true);
    await vault.connect(bob).requestDeposit(10n * USDC, alice, alice);
    expect(await vault.pendingDepositRequest(0, alice)).to.equal(10n * USDC);
  });

  it("a forced redemption takes the unclaimed fill first, then the balance, member or not; the raw state shows hidden fills", async function () {
    const { driver, book, vault, jtrsy, alice } = await loadFixture(centrifuge);
    const manager = IInvestmentManagerLike__factory.connect(book.CENTRIFUGE_INVESTMENT_MANAGER, alice);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    const filled = await vault.maxMint(alice);
    await vault["mint(uint256,address)"](filled / 2n, alice); // half claimed, half left in the escrow
    const held = await jtrsy.balanceOf(alice);
    const unclaimed = filled - filled / 2n;
    await driver.setJtrsyMembership(alice.address, (await driver.now()) + 60n);
    await driver.advanceTime(120);
    expect(await vault.maxMint(alice), "hidden from a lapsed member").to.equal(0n);
    expect((await manager.investments(book.JTRSY_VAULT, alice)).maxMint, "the raw state keeps it").to.equal(unclaimed);

    await driver.triggerJtrsyRedeem(alice.address, unclaimed + held / 2n);
    expect((await manager.investments(book.JTRSY_VAULT, alice)).maxMint, "the fill went first").to.equal(0n);
    expect(await jtrsy.balanceOf(alice), "then the balance").to.equal(held - held / 2n);
    expect(await vault.pendingRedeemRequest(0, alice)).to.equal(unclaimed + held / 2n);
    await driver.fulfilJtrsyRedeem(alice.address);
    expect(await vault.maxWithdraw(alice), "paid to the lapsed member, claimable by it").to.be.gt(0n);
  });
});

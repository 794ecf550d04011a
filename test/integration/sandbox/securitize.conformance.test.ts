import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxBuidlRedemption__factory,
  SandboxDSToken__factory,
  SandboxUSDC__factory,
} from "../../../typechain-types";
import { MODE, describeSandboxOnly, mainnet } from "../../helpers/mainnet";

const USDC = 10n ** 6n;
const DAY = 86_400;

async function securitize() {
  const { driver, book } = await loadFixture(mainnet);
  const [, alice, bob] = await ethers.getSigners();
  return {
    driver,
    book,
    alice: alice!,
    bob: bob!,
    buidl: SandboxDSToken__factory.connect(book.BUIDL, alice!),
    buidlI: SandboxDSToken__factory.connect(book.BUIDL_I, alice!),
    facility: SandboxBuidlRedemption__factory.connect(book.BUIDL_REDEMPTION, alice!),
    usdc: SandboxUSDC__factory.connect(book.USDC, alice!),
  };
}

describe(`Securitize BUIDL conformance (${MODE})`, function () {
  it("issues only to registered wallets and moves only between them", async function () {
    const { driver, buidl, alice, bob } = await loadFixture(securitize);
    await expect(driver.issueBuidl("BUIDL", alice.address, 1_000n * USDC)).to.be.revertedWith(
      "Wallet not in registry service",
    );
    await driver.allowlist("BUIDL", alice.address);
    const before = await buidl.balanceOf(alice);
    await driver.issueBuidl("BUIDL", alice.address, 1_000n * USDC);
    expect((await buidl.balanceOf(alice)) - before).to.equal(1_000n * USDC);
    const [issued] = await buidl.queryFilter(buidl.filters.Issue(alice.address), -1);
    expect(issued?.args.value).to.equal(1_000n * USDC);
    await time.increase(DAY);
    await expect(buidl.transfer(bob, 1n)).to.be.revertedWith("Wallet not in registry service");
    expect(await buidl.decimals()).to.equal(6n);
  });

  it("the instant facility refuses tokens issued less than 24 h ago, then pays 1:1 from finite USDC", async function () {
    const { driver, buidl, facility, usdc, alice } = await loadFixture(securitize);
    await driver.allowlist("BUIDL", alice.address);
    await driver.issueBuidl("BUIDL", alice.address, 1_000n * USDC);
    const issuedAt = BigInt(await time.latest());
    await buidl.approve(facility, ethers.MaxUint256);
    await driver.fundBuidlRedemption(600n * USDC);
    await time.setNextBlockTimestamp(issuedAt + BigInt(DAY) - 1n);
    await expect(facility.redeem(100n * USDC)).to.be.revertedWith("Under lock-up");
    const before = await usdc.balanceOf(alice);
    await time.setNextBlockTimestamp(issuedAt + BigInt(DAY));
    await facility.redeem(100n * USDC); // exactly 24 h: free
    expect((await usdc.balanceOf(alice)) - before, "paid 1:1").to.equal(100n * USDC);
    const available = await facility.availableLiquidity();
    await expect(facility.redeem(available + 1n))
      .to.be.revertedWithCustomError(facility, "InsufficientLiquidity")
      .withArgs(available + 1n, available);
  });

  it("BUIDL-I: USDC to the deposit address, tokens issued later, off-chain redemption by transfer", async function () {
    const { driver, book, buidlI, usdc, alice } = await loadFixture(securitize);
    await driver.allowlist("BUIDL_I", alice.address);
    await driver.fundUsdc(alice.address, 5_000_000n * USDC);
    await usdc.transfer(book.BUIDL_I_DEPOSIT, 5_000_000n * USDC);
    expect(await usdc.balanceOf(book.BUIDL_I_DEPOSIT)).to.be.gte(5_000_000n * USDC);
    await driver.issueBuidl("BUIDL_I", alice.address, 5_000_000n * USDC); // the issuer mints later
    await driver.issueBuidl("BUIDL_I", alice.address, 20_000n * USDC); // a monthly dividend, as new tokens
    await time.increase(DAY);
    const held = await buidlI.balanceOf(alice);
    await buidlI.transfer(book.BUIDL_I_REDEMPTION, 1_000_000n * USDC);
    expect(held - (await buidlI.balanceOf(alice))).to.equal(1_000_000n * USDC);
  });
});

describeSandboxOnly(
  "Securitize BUIDL conformance (sandbox quirks)",
  "it reads the sandbox token's issuance records; the real ones live in the compliance service",
  function () {
    it("every issuance is a record the transfer check walks: dust issuances make transfers costlier", async function () {
      const { driver, buidl, alice, bob } = await loadFixture(securitize);
      await driver.allowlist("BUIDL", alice.address);
      await driver.allowlist("BUIDL", bob.address);
      await driver.issueBuidl("BUIDL", alice.address, 1_000n * USDC);
      await time.increase(DAY);
      const few = await buidl.transfer.estimateGas(bob, 1n);
      for (let i = 0; i < 60; i++) await driver.issueBuidl("BUIDL", alice.address, 1n);
      await time.increase(DAY);
      const many = await buidl.transfer.estimateGas(bob, 1n);
      expect(await buidl.issuancesCount(alice)).to.be.gte(61n);
      expect(many - few, "each issuance record adds gas to every transfer").to.be.gt(60n * 2_000n);
    });
  },
);

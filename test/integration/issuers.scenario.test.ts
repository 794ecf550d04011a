import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxBuidlRedemption__factory,
  SandboxDSToken__factory,
  SandboxAsyncVault__factory,
  SandboxRedemptionIdle__factory,
  SandboxShareToken__factory,
  SandboxUSDC__factory,
  SandboxUSTB__factory,
} from "../../typechain-types";
import { SandboxInstallError, installEmulatedMainnet } from "../../src/sandbox/install";
import { impersonating } from "../../src/issuers/actors";
import { DriverError, IssuerDriver } from "../../src/issuers/driver";
import { DEFAULT_FORK_BLOCK } from "../../src/config/environment";
import { MAINNET } from "../../src/addresses";
import { FORK, MODE, describeForkOnly, mainnet } from "../helpers/mainnet";

const USDC = 10n ** 6n;
const DAY = 86_400n;

/**
 * One treasury's month with every issuer, driven only through the issuer driver and the products'
 * public interfaces — the same file runs on the emulated mainnet and on a real fork.
 */
describe(`issuer driver scenario (${MODE})`, function () {
  async function treasury() {
    const { driver, book } = await loadFixture(mainnet);
    const [, , , , , , , , holder] = await ethers.getSigners();
    const who = holder!;
    for (const product of ["USTB", "BUIDL", "BUIDL_I", "JTRSY"] as const) await driver.allowlist(product, who.address);
    await driver.fundUsdc(who.address, 3_000_000n * USDC);
    return {
      driver,
      book,
      holder: who,
      usdc: SandboxUSDC__factory.connect(book.USDC, who),
      ustb: SandboxUSTB__factory.connect(book.USTB, who),
      redemptionIdle: SandboxRedemptionIdle__factory.connect(book.USTB_REDEMPTION_IDLE, who),
      buidl: SandboxDSToken__factory.connect(book.BUIDL, who),
      facility: SandboxBuidlRedemption__factory.connect(book.BUIDL_REDEMPTION, who),
      vault: SandboxAsyncVault__factory.connect(book.JTRSY_VAULT, who),
      jtrsy: SandboxShareToken__factory.connect(book.JTRSY, who),
    };
  }

  it("subscribes to USTB, sees the NAV move, and redeems instantly from funded liquidity", async function () {
    const { driver, holder, usdc, ustb, redemptionIdle } = await loadFixture(treasury);
    await usdc.approve(ustb, ethers.MaxUint256);
    const held = await ustb.balanceOf(holder);
    await ustb["subscribe(uint256,address)"](1_000_000n * USDC, usdc);
    const bought = (await ustb.balanceOf(holder)) - held;
    expect(bought).to.be.gt(0n);

    const priceBefore = await driver.ustbPrice();
    await driver.setUstbNav(priceBefore + 5_000n); // half a cent up
    expect(await driver.ustbPrice()).to.be.gt(priceBefore);

    // The price extrapolates every second: quote, then fund a margin above the quote.
    const [quoted] = await redemptionIdle.calculateUsdcOut(bought);
    await driver.fundUstbRedemption(quoted + quoted / 1_000n);
    await ustb.approve(redemptionIdle, bought);
    const cash = await usdc.balanceOf(holder);
    await redemptionIdle["redeem(uint256)"](bought);
    const received = (await usdc.balanceOf(holder)) - cash;
    expect(received, "at least the quote: the price only rose since").to.be.gte(quoted);
    expect(received, "the NAV rose while held").to.be.gt(1_000_000n * USDC - 1_000n * USDC);
  });

  it("a daily checkpoint makes the USTB price accrue along the line through the previous one", async function () {
    const { driver } = await loadFixture(treasury);
    await driver.setUstbNav(10_600_000n);
    expect(await driver.ustbPrice()).to.equal(10_600_000n);
    await driver.advanceTime(DAY);
    await driver.addUstbCheckpoint(10_601_000n); // struck a day after: +$0.001 a day
    const first = await driver.ustbPrice();
    await driver.advanceTime(DAY);
    const dayLater = await driver.ustbPrice();
    expect(first).to.be.within(10_601_000n, 10_601_010n);
    expect(dayLater - first, "one more day at the same slope").to.be.closeTo(1_000n, 2n);
  });

  it("is issued BUIDL and a dividend, and redeems past the lock-up through the facility", async function () {
    const { driver, holder, usdc, buidl, facility } = await loadFixture(treasury);
    const start = await buidl.balanceOf(holder);
    await driver.issueBuidl("BUIDL", holder.address, 500_000n * USDC);
    await driver.issueBuidl("BUIDL", holder.address, 1_500n * USDC); // the monthly dividend
    expect((await buidl.balanceOf(holder)) - start).to.equal(501_500n * USDC);
    await driver.advanceTime(DAY);
    await driver.fundBuidlRedemption(501_500n * USDC);
    await buidl.approve(facility, ethers.MaxUint256);
    const cash = await usdc.balanceOf(holder);
    await facility.redeem(501_500n * USDC);
    expect((await usdc.balanceOf(holder)) - cash).to.equal(501_500n * USDC);
  });

  it("requests, is fulfilled and claims JTRSY both ways at the epoch price", async function () {
    const { driver, holder, usdc, vault, jtrsy } = await loadFixture(treasury);
    await usdc.approve(vault, ethers.MaxUint256);
    await vault.requestDeposit(1_000_000n * USDC, holder, holder);
    await driver.advanceTime(DAY);
    await driver.fulfilJtrsyDeposit(holder.address);
    const shares = await vault.maxMint(holder);
    const sharesBefore = await jtrsy.balanceOf(holder);
    await vault["mint(uint256,address)"](shares, holder);
    expect((await jtrsy.balanceOf(holder)) - sharesBefore).to.equal(shares);

    const { price } = await driver.jtrsyPrice();
    await driver.setJtrsyPrice(price + price / 1_000n); // an epoch: +0.1 %
    await vault.requestRedeem(shares, holder, holder);
    await driver.advanceTime(DAY);
    await driver.fulfilJtrsyRedeem(holder.address);
    const cash = await usdc.balanceOf(holder);
    await vault.withdraw(await vault.maxWithdraw(holder), holder, holder);
    const returned = (await usdc.balanceOf(holder)) - cash;
    expect(returned, "more back than put in after the price rose").to.be.gt(1_000_000n * USDC);
  });

  it("refuses to act on an address without code, naming it and its book entry", async function () {
    const { book } = await loadFixture(mainnet);
    const empty = ethers.getAddress(`0x${"ee".repeat(20)}`);
    const driver = IssuerDriver.onHardhat(ethers.provider, { ...book, USTB_ALLOWLIST: empty });
    const [, alice] = await ethers.getSigners();
    await expect(driver.allowlist("USTB", alice!.address)).to.be.rejectedWith(
      DriverError,
      `no contract at ${empty} (issuer book entry USTB_ALLOWLIST) on this chain`,
    );
  });
});

describeForkOnly(`mainnet at block ${FORK?.blockNumber ?? DEFAULT_FORK_BLOCK}`, function () {
  it("the real issuers are where the address book says, with the reference's decimals and price ranges", async function () {
    const { driver, book } = await loadFixture(mainnet);
    const [signer] = await ethers.getSigners();
    for (const token of [book.USDC, book.USTB, book.BUIDL, book.BUIDL_I, book.JTRSY]) {
      expect(await SandboxUSDC__factory.connect(token, signer!).decimals(), token).to.equal(6n);
    }
    const ustbPrice = await driver.ustbPrice();
    expect(ustbPrice, "USTB NAV per share between $10 and $12").to.be.within(10_000_000n, 12_000_000n);
    const { price } = await driver.jtrsyPrice();
    expect(price, "JTRSY between $1.00 and $1.20").to.be.within(10n ** 18n, 12n * 10n ** 17n);

    // Two addresses the book takes from sources that disagree or are docs only: the chain decides.
    const jtrsyVault = SandboxAsyncVault__factory.connect(book.JTRSY_VAULT, signer!);
    expect(await jtrsyVault.manager(), "the JTRSY vault's request manager").to.equal(
      book.CENTRIFUGE_ASYNC_REQUEST_MANAGER,
    );
    expect(await SandboxUSTB__factory.connect(book.USTB, signer!).superstateOracle(), "USTB's oracle").to.equal(
      book.USTB_ORACLE,
    );
  });

  if (FORK?.source === "emulated") {
    // The fork source hosts our sandbox (scripts/fork-local.ts): the installer must recognise it.
    it("the installer recognises the emulated mainnet the fork source hosts and installs nothing", async function () {
      const [deployer] = await ethers.getSigners();
      const before = await ethers.provider.getBlockNumber();
      const book = await installEmulatedMainnet(ethers.provider, deployer!, impersonating(ethers.provider));
      expect(book.USTB).to.equal(MAINNET.USTB);
      expect(await ethers.provider.getBlockNumber(), "only the probe deployment").to.be.lte(before + 1);
    });
  } else {
    it("the installer refuses to install the sandbox over the real contracts", async function () {
      const [deployer] = await ethers.getSigners();
      await expect(
        installEmulatedMainnet(ethers.provider, deployer!, impersonating(ethers.provider)),
      ).to.be.rejectedWith(SandboxInstallError);
    });
  }
});

if (!FORK) {
  describe("emulated mainnet installer", function () {
    it("is idempotent on one chain and returns the same address book", async function () {
      const { book } = await loadFixture(mainnet);
      const [deployer] = await ethers.getSigners();
      const again = await installEmulatedMainnet(ethers.provider, deployer!, impersonating(ethers.provider));
      expect(again).to.deep.equal(book);
    });
  });
}

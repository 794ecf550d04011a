import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import {
  BuidlAdapter__factory,
  Erc4626Adapter__factory,
  Erc7540Adapter__factory,
  MockAggregator__factory,
  MockERC20__factory,
  ReferenceERC4626__factory,
} from "../../../typechain-types";
import { impersonate } from "../../../src/sandbox/rpc";
import { MODE } from "../../helpers/mainnet";
import { DAY, USDC, investAndFill, reserveSystem } from "../../helpers/reserve";
import { DEFAULT_SETTLE_TOLERANCE_BPS } from "../../../src/deploy/params";
import { DOLLAR_DS_TERMS } from "../../../src/deploy/system";

const M = 1_000_000n * USDC;

/** Every adapter's refusals, called directly: the vault never asks for these, a hostile caller might. */
describe(`adapter guards, called directly (${MODE})`, function () {
  async function holding() {
    const system = await reserveSystem();
    const { vault, deployer } = system;
    await investAndFill(system, { ustb: 2_000n, buidl: 2_000n, buidlI: 3_000n, jtrsy: 2_000n });
    const reference = await new ReferenceERC4626__factory(deployer).deploy(system.book.USDC);
    const erc4626 = await new Erc4626Adapter__factory(deployer).deploy(vault, reference, 1_000n);
    return { ...system, erc4626, reference };
  }

  const asVault = async <T>(vault: { getAddress(): Promise<string> }, work: (signer: Signer) => Promise<T>) =>
    impersonate(ethers.provider, await vault.getAddress(), work);

  it("every mutating function of every adapter refuses anyone but its vault (OnlyVault)", async function () {
    const { alice, ustb, buidl, buidlI, jtrsy, erc4626 } = await loadFixture(holding);
    for (const adapter of [ustb, buidl, buidlI, jtrsy, erc4626]) {
      const as = adapter.connect(alice);
      for (const call of [() => as.deposit(1n), () => as.withdraw(1n), () => as.requestRedeem(1n), () => as.settle()]) {
        await expect(call()).to.be.revertedWithCustomError(adapter, "OnlyVault").withArgs(alice.address);
      }
    }
    await expect(jtrsy.connect(alice).cancelRedeem()).to.be.revertedWithCustomError(jtrsy, "OnlyVaultKeeper");
  });

  it("paths a product does not have revert with Unsupported", async function () {
    const { vault, buidl, buidlI, jtrsy, erc4626 } = await loadFixture(holding);
    await asVault(vault, async (signer) => {
      await expect(buidlI.connect(signer).withdraw(1n), "BUIDL-I: no facility").to.be.revertedWithCustomError(
        buidlI,
        "Unsupported",
      );
      await expect(
        buidl.connect(signer).requestRedeem(1n),
        "BUIDL: no redemption address",
      ).to.be.revertedWithCustomError(buidl, "Unsupported");
      await expect(jtrsy.connect(signer).withdraw(1n), "JTRSY: async only").to.be.revertedWithCustomError(
        jtrsy,
        "Unsupported",
      );
      await expect(erc4626.connect(signer).requestRedeem(1n), "ERC-4626: sync only").to.be.revertedWithCustomError(
        erc4626,
        "Unsupported",
      );
    });
  });

  it("amounts beyond what the adapter can do revert with AmountTooLarge or BelowMinimumTicket", async function () {
    const { vault, ustb, buidl, driver } = await loadFixture(holding);
    await driver.advanceTime(DAY); // past BUIDL's lock-up
    await driver.fundBuidlRedemption(10n * M);
    await driver.setUstbNav(await ustb.nav());
    await asVault(vault, async (signer) => {
      await expect(buidl.connect(signer).deposit(99_999n * USDC))
        .to.be.revertedWithCustomError(buidl, "BelowMinimumTicket")
        .withArgs(99_999n * USDC, 100_000n * USDC);
      const free = await buidl.maxWithdraw();
      await expect(buidl.connect(signer).withdraw(free + 1n))
        .to.be.revertedWithCustomError(buidl, "AmountTooLarge")
        .withArgs(free + 1n, free);
      await expect(ustb.connect(signer).withdraw(100n * M)).to.be.revertedWithCustomError(ustb, "AmountTooLarge");
    });
  });

  it("JTRSY asked to redeem with nothing held reverts with AmountTooLarge(assets, 0), booking no request", async function () {
    const { vault, deployer, book } = await loadFixture(holding);
    const empty = await new Erc7540Adapter__factory(deployer).deploy(
      vault,
      book.JTRSY_VAULT,
      DEFAULT_SETTLE_TOLERANCE_BPS,
    );
    await asVault(vault, async (signer) => {
      await expect(empty.connect(signer).requestRedeem(1_000n * USDC))
        .to.be.revertedWithCustomError(empty, "AmountTooLarge")
        .withArgs(1_000n * USDC, 0n);
    });
    expect(await empty.pendingRedeem()).to.equal(0n);
    expect(await empty.maxRequestRedeem()).to.equal(0n);
  });

  it("a second redemption request while one is open reverts with RequestAlreadyOpen", async function () {
    const { vault, ustb, buidlI, jtrsy, driver } = await loadFixture(holding);
    await driver.advanceTime(DAY);
    await driver.setUstbNav(await ustb.nav());
    await asVault(vault, async (signer) => {
      for (const adapter of [ustb, buidlI, jtrsy]) {
        await adapter.connect(signer).requestRedeem(100_000n * USDC);
        await expect(adapter.connect(signer).requestRedeem(100_000n * USDC)).to.be.revertedWithCustomError(
          adapter,
          "RequestAlreadyOpen",
        );
        expect(await adapter.maxRequestRedeem(), "and the adapter says so up front").to.equal(0n);
      }
    });
  });

  it("an ERC-4626 target whose rate jumped above the ceiling refuses a direct deposit (ExchangeRateAboveCeiling)", async function () {
    const { vault, erc4626, reference, driver, alice, usdc } = await loadFixture(holding);
    await driver.fundUsdc(alice.address, 2_000n * USDC);
    await usdc.connect(alice).approve(reference, 1_000n * USDC);
    await reference.connect(alice).deposit(1_000n * USDC, alice);
    await usdc.connect(alice).transfer(reference, 1_000n * USDC); // the rate doubles at once
    await asVault(vault, async (signer) => {
      await expect(erc4626.connect(signer).deposit(1n)).to.be.revertedWithCustomError(
        erc4626,
        "ExchangeRateAboveCeiling",
      );
    });
  });

  it("a BUIDL adapter over a token with other decimals than the asset is refused at deployment", async function () {
    const { vault, book, deployer } = await loadFixture(holding);
    const wrong = await new MockERC20__factory(deployer).deploy("Wrong", "W18", 18);
    await expect(
      new BuidlAdapter__factory(deployer).deploy(
        vault,
        book.USDC,
        wrong,
        book.BUIDL_REGISTRY,
        book.BUIDL_I_DEPOSIT,
        book.BUIDL_I_REDEMPTION,
        0n, // instant exit: none
        ethers.ZeroAddress,
        ethers.ZeroAddress, // no on-ramp: entries subscribe at the deposit address
        1n,
        DEFAULT_SETTLE_TOLERANCE_BPS,
        DOLLAR_DS_TERMS,
      ),
    )
      .to.be.revertedWithCustomError(new BuidlAdapter__factory(deployer), "DecimalsMismatch")
      .withArgs(18, 6);
  });

  it("the settlement tolerance is the deployment's, at most 10 %: SettleToleranceTooHigh past it", async function () {
    const { vault, book, deployer, ustb, jtrsy } = await loadFixture(holding);
    expect(await ustb.SETTLE_TOLERANCE_BPS()).to.equal(DEFAULT_SETTLE_TOLERANCE_BPS);
    const factory = new Erc7540Adapter__factory(deployer);
    const strict = await factory.deploy(vault, book.JTRSY_VAULT, 0n);
    expect(await strict.SETTLE_TOLERANCE_BPS()).to.equal(0n);
    await factory.deploy(vault, book.JTRSY_VAULT, 1_000n); // the bound itself is accepted
    await expect(factory.deploy(vault, book.JTRSY_VAULT, 1_001n))
      .to.be.revertedWithCustomError(jtrsy, "SettleToleranceTooHigh")
      .withArgs(1_001n, 1_000n);
  });

  describe("issuer states, set through the issuer's own admin functions", function () {
    it("a paused USTB, or one with accounting paused, takes no subscription", async function () {
      const { ustb, book } = await loadFixture(holding);
      const token = await ethers.getContractAt("SandboxUSTB", book.USTB);
      const owner = await token.owner();
      expect(await ustb.maxDeposit()).to.be.gt(0n);
      await impersonate(ethers.provider, owner, async (signer) => (await token.connect(signer).pause()).wait());
      expect(await ustb.maxDeposit(), "paused").to.equal(0n);
      await impersonate(ethers.provider, owner, async (signer) => {
        await (await token.connect(signer).unpause()).wait();
        await (await token.connect(signer).accountingPause()).wait();
      });
      expect(await ustb.maxDeposit(), "accounting paused").to.equal(0n);
    });

    it("a USTB price below $7 is bad data: nav() reverts with BadNav and the vault quarantines", async function () {
      const { vault, keeper, ustb, book, deployer } = await loadFixture(holding);
      const token = await ethers.getContractAt("SandboxUSTB", book.USTB);
      const broken = await new MockAggregator__factory(deployer).deploy(6_000_000n); // a feed answering $6
      await impersonate(ethers.provider, await token.owner(), async (signer) =>
        (await token.connect(signer).setOracle(broken)).wait(),
      );
      await expect(ustb.nav()).to.be.revertedWithCustomError(ustb, "BadNav");
      await expect(vault.connect(keeper).report()).to.emit(vault, "AdapterQuarantined");
      expect(await ustb.maxWithdraw(), "views answer zero instead of reverting").to.equal(0n);
    });
  });
});

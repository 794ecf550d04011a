import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxExternalAssetProvider__factory,
  SandboxGroveBasin__factory,
  SandboxSecuritizeOnRamp__factory,
} from "../../../typechain-types";
import { RATE, buidlBasin } from "../../helpers/basin";
import { describeSandboxOnly } from "../../helpers/mainnet";
import { bookEntry } from "../../../src/issuers/book";
import { SANDBOX_SEED } from "../../../src/sandbox/install";

const USDC = 10n ** 6n;

/** The on-ramp as the emulated mainnet places it; alice registered, holding USDC approved to it. */
async function onRamp() {
  const base = await loadFixture(buidlBasin);
  const { book, driver, alice, usdc } = base;
  const ramp = SandboxSecuritizeOnRamp__factory.connect(bookEntry(book, "BUIDL_ON_RAMP"), ethers.provider);
  const provider = SandboxExternalAssetProvider__factory.connect(await ramp.assetProvider(), ethers.provider);
  const pool = SandboxGroveBasin__factory.connect(bookEntry(book, "BUIDL_BASIN"), ethers.provider);
  await driver.fundUsdc(alice.address, 5_000_000n * USDC);
  await usdc.approve(ramp, ethers.MaxUint256);
  return { ...base, ramp, provider, pool };
}

describeSandboxOnly(
  "Securitize on-ramp over a Grove Basin (sandbox) conformance",
  "no on-ramp or BUIDL Basin is published on mainnet: the emulated mainnet places its own",
  function () {
    it("is wired as bc-on-off-ramp-sc wires it: the provider is the custodian wallet, subscriptions on, the Basin stocked", async function () {
      const { book, ramp, provider, pool } = await loadFixture(onRamp);
      expect(await ramp.custodianWallet()).to.equal(await provider.getAddress());
      expect(await provider.securitizeOnRamp()).to.equal(await ramp.getAddress());
      expect(await provider.externalProvider()).to.equal(await pool.getAddress());
      expect(await ramp.investorSubscriptionEnabled()).to.equal(true);
      expect(await provider.availableAsset()).to.equal(SANDBOX_SEED.basinBuidl);
      expect(await pool.purchaseFee()).to.equal(SANDBOX_SEED.basinPurchaseFeeBps);
      expect(await ramp.dsToken()).to.equal(book.BUIDL);
    });

    it("sells BUIDL at once: Securitize's fee on the USDC paid (rounded up), the Basin's purchase fee on the tokens; quoted to the unit", async function () {
      const { book, driver, ramp, alice, usdc, buidl } = await loadFixture(onRamp);
      await driver.setBuidlOnRampFee(10n); // 0.01 %
      await driver.setBuidlBasinFee(5n, "purchases"); // 5 bps
      const amount = 1_000_000n * USDC + 7n;
      const fee = (amount * 10n + 99_999n) / 100_000n;
      const net = amount - fee;
      const tokens = net - (net * 5n + 9_999n) / 10_000n;
      const [quoted, rate, quotedFee] = await ramp.calculateDsTokenAmount(amount);
      expect([quoted, rate, quotedFee]).to.deep.equal([tokens, USDC, fee]);
      const [usdcBefore, buidlBefore] = [await usdc.balanceOf(alice), await buidl.balanceOf(alice)];
      await expect(ramp.connect(alice).swap(amount, tokens))
        .to.emit(ramp, "Swap")
        .withArgs(alice.address, tokens, amount, alice.address, USDC, fee, book.USDC);
      expect(usdcBefore - (await usdc.balanceOf(alice))).to.equal(amount);
      expect((await buidl.balanceOf(alice)) - buidlBefore).to.equal(tokens);
    });

    it("refuses: paused (on-ramp or provider), an unregistered buyer, subscriptions off, under the minimum, no NAV, out of the band, a short Basin, a minimum out not met", async function () {
      const { driver, ramp, provider, pool, alice } = await loadFixture(onRamp);
      const [, , , stranger] = await ethers.getSigners();
      await driver.pauseBuidlOnRamp(true);
      await expect(ramp.connect(alice).swap(USDC, 0n)).to.be.revertedWithCustomError(ramp, "EnforcedPause");
      await driver.pauseBuidlOnRamp(false);
      await driver.pauseBuidlOnRamp(true, "provider");
      await expect(ramp.connect(alice).swap(USDC, 0n)).to.be.revertedWithCustomError(provider, "EnforcedPause");
      await driver.pauseBuidlOnRamp(false, "provider");
      await expect(ramp.connect(stranger!).swap(USDC, 0n)).to.be.revertedWithCustomError(
        ramp,
        "InvestorNotRegisteredError",
      );
      await driver.setBuidlOnRampSubscriptions(false);
      await expect(ramp.connect(alice).swap(USDC, 0n)).to.be.revertedWithCustomError(
        ramp,
        "InvestorSubscriptionDisabledError",
      );
      await driver.setBuidlOnRampSubscriptions(true, 10_000n * USDC);
      await expect(ramp.connect(alice).swap(9_999n * USDC, 0n)).to.be.revertedWithCustomError(
        ramp,
        "MinSubscriptionAmountError",
      );
      await driver.setBuidlOnRampSubscriptions(true, 0n);
      await driver.setBuidlOffRampNav(0n); // one NAV provider behind both ramps
      await expect(ramp.connect(alice).swap(USDC, 0n)).to.be.revertedWithCustomError(ramp, "NonZeroNavRateError");
      await driver.setBuidlOffRampNav(USDC);
      await driver.setBuidlBasinRate((RATE * 1_015n) / 1_000n); // BUIDL dearer in the Basin: fewer tokens
      await expect(ramp.connect(alice).swap(1_000n * USDC, 0n)).to.be.revertedWithCustomError(
        provider,
        "MinRateDivergenceError",
      );
      await driver.setBuidlBasinRate(RATE);
      await driver.pauseBuidlBasin(true, "purchases");
      await expect(ramp.connect(alice).swap(USDC, 0n)).to.be.revertedWithCustomError(pool, "Paused");
      await driver.pauseBuidlBasin(false, "purchases");
      await driver.drainBuidlBasinStock(1_000n * USDC);
      await expect(ramp.connect(alice).swap(2_000n * USDC, 0n))
        .to.be.revertedWithCustomError(provider, "InsufficientAssetLiquidity")
        .withArgs(1_999_700_010n, 1_000n * USDC); // $2,000 less 5 mbps, less 1 bp of that, rounded up
      await expect(ramp.connect(alice).swap(USDC, USDC)).to.be.revertedWithCustomError(ramp, "SlippageControlError");
    });
  },
);

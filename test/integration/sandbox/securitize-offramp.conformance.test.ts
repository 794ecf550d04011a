import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SandboxDSToken__factory } from "../../../typechain-types";
import { RATE, buidlBasin as offRamp } from "../../helpers/basin";
import { describeSandboxOnly } from "../../helpers/mainnet";
import { SANDBOX_SEED } from "../../../src/sandbox/install";

const USDC = 10n ** 6n;

describeSandboxOnly(
  "Securitize off-ramp over a Grove Basin (sandbox) conformance",
  "no off-ramp or BUIDL Basin is published on mainnet: the emulated mainnet places its own",
  function () {
    it("is wired as bc-on-off-ramp-sc wires it: provider over the Basin, NAV, fees, a 1 % band", async function () {
      const { book, pool, ramp, provider, nav, fees } = await loadFixture(offRamp);
      expect(await ramp.assetAddress()).to.equal(book.BUIDL);
      expect(await provider.securitizeOffRamp()).to.equal(await ramp.getAddress());
      expect(await provider.externalProvider()).to.equal(await pool.getAddress());
      expect(await provider.recipient()).to.equal(await provider.getAddress());
      expect([await provider.assetToken(), await provider.liquidityToken()]).to.deep.equal([book.BUIDL, book.USDC]);
      expect([await pool.creditToken(), await pool.collateralToken()]).to.deep.equal([book.BUIDL, book.USDC]);
      expect(await provider.rateTolerance()).to.equal(1_000n);
      expect(await nav.rate()).to.equal(SANDBOX_SEED.buidlNav);
      expect(await fees.feePercentageMBPS()).to.equal(SANDBOX_SEED.offRampFeeMbps);
      expect(await ramp.availableLiquidity()).to.equal(SANDBOX_SEED.basinUsdc);
    });

    it("pays the Basin's price less both fees, Securitize's on what the Basin paid, rounded up; quoted to the unit", async function () {
      const { book, driver, ramp, alice, usdc } = await loadFixture(offRamp);
      await driver.setBuidlBasinFee(5n); // 5 bps
      await driver.setBuidlOffRampFee(10n); // 0.01 %
      const amount = 1_000_000n * USDC + 3n;
      const supplied = amount - (amount * 5n + 9_999n) / 10_000n;
      const fee = (supplied * 10n + 99_999n) / 100_000n;
      expect(await ramp.calculateLiquidityTokenAmount(amount)).to.equal(supplied - fee);
      expect(await ramp.calculateLiquidityTokenAmountBeforeFee(amount), "the NAV quote").to.equal(amount);
      const before = await usdc.balanceOf(alice);
      await expect(ramp.connect(alice).redeem(amount, supplied - fee))
        .to.emit(ramp, "RedemptionCompleted")
        .withArgs(alice.address, amount, supplied - fee, USDC, fee, book.USDC);
      expect((await usdc.balanceOf(alice)) - before).to.equal(supplied - fee);
      expect(await usdc.balanceOf(book.BUIDL_OFF_RAMP_FEE_COLLECTOR!)).to.equal(fee);
    });

    it("refuses: paused (off-ramp or provider), a Basin paused or out of the NAV band, no NAV, short balance, a minimum not met, a short Basin", async function () {
      const { book, driver, pool, ramp, provider, alice } = await loadFixture(offRamp);
      await driver.pauseBuidlOffRamp(true);
      await expect(ramp.connect(alice).redeem(USDC, 0n)).to.be.revertedWithCustomError(ramp, "EnforcedPause");
      await driver.pauseBuidlOffRamp(false);
      await driver.pauseBuidlOffRamp(true, "provider");
      await expect(ramp.connect(alice).redeem(USDC, 0n)).to.be.revertedWithCustomError(provider, "EnforcedPause");
      await driver.pauseBuidlOffRamp(false, "provider");
      await driver.pauseBuidlBasin(true);
      await expect(ramp.connect(alice).redeem(USDC, 0n)).to.be.revertedWithCustomError(pool, "Paused");
      await driver.pauseBuidlBasin(false);
      // BUIDL's rate in the Basin 1.1 % under the NAV: outside the 1 % band (the preview net of 1 bp).
      await driver.setBuidlBasinRate((RATE * 989n) / 1_000n);
      await expect(ramp.connect(alice).redeem(1_000n * USDC, 0n))
        .to.be.revertedWithCustomError(provider, "MinRateDivergenceError")
        .withArgs(1_000n * USDC, 989n * USDC - 98_900n, 1_000n);
      await driver.setBuidlBasinRate(RATE);
      await driver.setBuidlOffRampNav(0n);
      await expect(ramp.connect(alice).redeem(USDC, 0n)).to.be.revertedWithCustomError(ramp, "NonZeroNavRateError");
      await driver.setBuidlOffRampNav(USDC);
      await expect(ramp.connect(alice).redeem(3_000_000n * USDC, 0n))
        .to.be.revertedWithCustomError(ramp, "InsufficientRedeemerBalance")
        .withArgs(alice.address, 3_000_000n * USDC, 2_000_000n * USDC);
      await expect(ramp.connect(alice).redeem(USDC, USDC)).to.be.revertedWithCustomError(ramp, "SlippageControlError");
      await expect(provider.connect(alice).supplyExactIn(alice.address, 1n, 1n), "only the off-ramp")
        .to.be.revertedWithCustomError(provider, "RedemptionUnauthorizedAccount")
        .withArgs(alice.address);
      await driver.drainBuidlBasin(1_000_000n * USDC);
      expect(await ramp.availableLiquidity()).to.equal(1_000_000n * USDC);
      await expect(ramp.connect(alice).redeem(2_000_000n * USDC, 0n), "the Basin holds 1M").to.be.reverted;
      expect(await SandboxDSToken__factory.connect(book.BUIDL, alice).balanceOf(alice)).to.equal(2_000_000n * USDC);
    });
  },
);

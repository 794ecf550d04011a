import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxDSToken__factory,
  SandboxMbpsFeeManager__factory,
  SandboxSecuritizeNavProvider__factory,
  SandboxSecuritizeOffRamp__factory,
} from "../../../typechain-types";
import { RATE, buidlBasin } from "../../helpers/basin";
import { describeSandboxOnly } from "../../helpers/mainnet";

const USDC = 10n ** 6n;
const COLLECTOR = "0x000000000000000000000000000000000000fee1";

/** Securitize's off-ramp over the BUIDL Basin, a NAV of $1, alice's BUIDL approved to the off-ramp. */
async function offRamp() {
  const { book, driver, pool: basin, providers, owner, alice, buidl, usdc } = await loadFixture(buidlBasin);
  const nav = await new SandboxSecuritizeNavProvider__factory(owner).deploy();
  await nav.initialize(owner.address, USDC);
  const fees = await new SandboxMbpsFeeManager__factory(owner).deploy();
  await fees.initialize(owner.address, 0n, COLLECTOR);
  const ramp = await new SandboxSecuritizeOffRamp__factory(owner).deploy();
  await ramp.initialize(owner.address, book.BUIDL, book.USDC, nav, fees, basin);
  await driver.allowlist("BUIDL", await ramp.getAddress());
  await buidl.approve(ramp, ethers.MaxUint256);
  return { book, driver, basin, providers, nav, fees, ramp, owner, alice, usdc };
}

describeSandboxOnly(
  "Securitize off-ramp over a Grove Basin (sandbox) conformance",
  "no off-ramp or BUIDL Basin is published on mainnet: the emulated mainnet places its own",
  function () {
    it("pays the Basin's price less both fees, Securitize's on what the Basin paid, rounded up; quoted to the unit", async function () {
      const { book, basin, fees, ramp, owner, alice, usdc } = await loadFixture(offRamp);
      await basin.connect(owner).setFeeBounds(0n, 500n);
      await basin.connect(owner).setRedemptionFee(5n); // 5 bps
      await fees.connect(owner).setFeePercentageMBPS(10n); // 0.01 %
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
      expect(await usdc.balanceOf(COLLECTOR)).to.equal(fee);
    });

    it("refuses: paused, a Basin paused or out of the NAV band, no NAV, short balance, a minimum not met, a short Basin", async function () {
      const { book, driver, basin, providers, nav, ramp, owner, alice } = await loadFixture(offRamp);
      await ramp.connect(owner).pause();
      await expect(ramp.connect(alice).redeem(USDC, 0n)).to.be.revertedWithCustomError(ramp, "EnforcedPause");
      await ramp.connect(owner).unpause();
      await basin.connect(owner).setPaused(await basin.PAUSED_SWAP_CREDIT_TO_COLLATERAL());
      await expect(ramp.connect(alice).redeem(USDC, 0n)).to.be.revertedWithCustomError(basin, "Paused");
      await basin.connect(owner).setUnpaused(await basin.PAUSED_SWAP_CREDIT_TO_COLLATERAL());
      // BUIDL's rate in the Basin 1.1 % under the NAV: outside the 1 % band.
      await providers[2]!.setConversionRate((RATE * 989n) / 1_000n);
      await expect(ramp.connect(alice).redeem(1_000n * USDC, 0n))
        .to.be.revertedWithCustomError(ramp, "MinRateDivergenceError")
        .withArgs(1_000n * USDC, 989n * USDC, 1_000n);
      await providers[2]!.setConversionRate(RATE);
      await nav.connect(owner).setRate(0n);
      await expect(ramp.connect(alice).redeem(USDC, 0n)).to.be.revertedWithCustomError(ramp, "NonZeroNavRateError");
      await nav.connect(owner).setRate(USDC);
      await expect(ramp.connect(alice).redeem(3_000_000n * USDC, 0n))
        .to.be.revertedWithCustomError(ramp, "InsufficientRedeemerBalance")
        .withArgs(alice.address, 3_000_000n * USDC, 2_000_000n * USDC);
      await expect(ramp.connect(alice).redeem(USDC, USDC + 1n)).to.be.revertedWithCustomError(
        ramp,
        "SlippageControlError",
      );
      await driver.issueBuidl("BUIDL", alice.address, 4_000_000n * USDC);
      await driver.advanceTime(86_401);
      expect(await ramp.availableLiquidity()).to.equal(5_000_000n * USDC);
      await expect(ramp.connect(alice).redeem(6_000_000n * USDC, 0n), "the Basin holds 5M").to.be.reverted;
      expect(await SandboxDSToken__factory.connect(book.BUIDL, alice).balanceOf(alice)).to.equal(6_000_000n * USDC);
    });
  },
);

import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { admin, buidlBasin as basin } from "../../helpers/basin";
import { describeSandboxOnly } from "../../helpers/mainnet";

const USDC = 10n ** 6n;

describeSandboxOnly(
  "Grove Basin (sandbox) conformance",
  "no BUIDL Basin is published on mainnet: the emulated mainnet places its own",
  function () {
    it("sells BUIDL for USDC at the rates, the redemption fee taken from the output and rounded up", async function () {
      const { book, driver, pool, alice, usdc } = await loadFixture(basin);
      expect(await pool.redemptionFee(), "seeded").to.equal(1n);
      expect([await pool.minFee(), await pool.maxFee()]).to.deep.equal([0n, 500n]);
      await driver.setBuidlBasinFee(7n); // 7 bps
      const amount = 1_000_000n * USDC + 1n;
      const fee = (amount * 7n + 9_999n) / 10_000n;
      expect(await pool.previewSwapExactIn(book.BUIDL, book.USDC, amount)).to.equal(amount - fee);
      const before = await usdc.balanceOf(alice);
      await expect(pool.connect(alice).swapExactIn(book.BUIDL, book.USDC, amount, amount - fee, alice, 42n))
        .to.emit(pool, "Swap")
        .withArgs(book.BUIDL, book.USDC, alice.address, alice.address, amount, amount - fee, 42n);
      expect((await usdc.balanceOf(alice)) - before).to.equal(amount - fee);
      expect(await pool.calculateRedemptionFee(amount)).to.equal(fee);
      expect(await pool.previewSwapExactInFee(book.USDC, amount)).to.equal(fee);
      expect(await pool.getAssetValue(book.BUIDL, amount, true), "USD, 18 decimals").to.equal(amount * 10n ** 12n);
    });

    it("refuses what the real Basin refuses, with its errors", async function () {
      const { book, driver, pool, alice } = await loadFixture(basin);
      await expect(pool.previewSwapExactIn(book.USDS, book.USDC, 1n), "no credit token").to.be.revertedWithCustomError(
        pool,
        "InvalidSwap",
      );
      await expect(pool.previewSwapExactIn(book.BUIDL, book.BUIDL, 1n)).to.be.revertedWithCustomError(
        pool,
        "InvalidAsset",
      );
      await expect(
        pool.connect(alice).swapExactIn(book.BUIDL, book.USDC, 100n, 101n, alice, 0n),
        "under the minimum out",
      ).to.be.revertedWithCustomError(pool, "AmountOutTooLow");
      await driver.setBuidlBasinMaxSwapSize(1_000n * 10n ** 18n); // $1,000
      await expect(pool.previewSwapExactIn(book.BUIDL, book.USDC, 1_000n * USDC + 1n)).to.be.revertedWithCustomError(
        pool,
        "SwapSizeExceeded",
      );
      expect(await pool.previewSwapExactIn(book.BUIDL, book.USDC, 1_000n * USDC)).to.equal(1_000n * USDC - 100_000n);
      await expect(pool.previewSwapExactIn(book.BUIDL, book.USDC, 0n)).to.be.revertedWithCustomError(
        pool,
        "ZeroAmountIn",
      );
      await expect(
        pool.connect(await admin(await pool.owner())).setRedemptionFee(501n),
        "outside [0, 500]",
      ).to.be.revertedWithCustomError(pool, "RedemptionFeeOutOfBounds");
      await driver.pauseBuidlBasin(true);
      await expect(pool.previewSwapExactIn(book.BUIDL, book.USDC, 1n)).to.be.revertedWithCustomError(pool, "Paused");
      await driver.pauseBuidlBasin(false);
      await driver.ageBuidlBasinRate(7n * 86_400n + 1n);
      await expect(pool.previewSwapExactIn(book.BUIDL, book.USDC, 1n)).to.be.revertedWithCustomError(pool, "StaleRate");
    });

    it("short of USDC, the swap fails in the transfer: the Basin checks no inventory itself", async function () {
      const { book, driver, pool, alice, buidl } = await loadFixture(basin);
      await driver.setBuidlBasinFee(0n);
      expect(await driver.drainBuidlBasin(5_000_000n * USDC), "down to 5M").to.equal(45_000_000n * USDC);
      await driver.issueBuidl("BUIDL", alice.address, 4_000_000n * USDC);
      await driver.advanceTime(86_401);
      const amount = 6_000_000n * USDC; // the Basin holds 5,000,000 USDC
      expect(await buidl.balanceOf(alice)).to.equal(amount);
      expect(await pool.previewSwapExactIn(book.BUIDL, book.USDC, amount), "the quote does not look").to.equal(amount);
      expect(await pool.pocket()).to.equal(await pool.getAddress());
      await expect(pool.connect(alice).swapExactIn(book.BUIDL, book.USDC, amount, 0n, alice, 0n)).to.be.reverted;
      await pool.connect(alice).swapExactIn(book.BUIDL, book.USDC, 5_000_000n * USDC, 0n, alice, 0n);
    });
  },
);

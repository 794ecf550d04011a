import { expect } from "chai";
import { ethers } from "hardhat";
import { MockERC20__factory, ReserveVault__factory, RevertingStub__factory } from "../../../typechain-types";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { USDC, emptyVault, oneAdapter, threeAdapters, type VaultSystem } from "../../helpers/fixtures";

/** Shares carry 12 more decimals than 6-decimal USDC: the virtual offset is 10^12. */
const VIRTUAL_SHARES = 10n ** 12n;

/** A vault whose share price is not 1: 100,000 USDC deposited, 7.123457 USDC of gain reported and
 * fully unlocked, with odd amounts so every conversion has a remainder. */
async function oddRateVault(): Promise<VaultSystem> {
  const system = await oneAdapter();
  const { vault, alice, keeper, adapters } = system;
  await vault.connect(alice).deposit(100_000n * USDC + 7n, alice);
  await vault.connect(keeper).rebalance();
  await adapters[0]!.moveNav(7_123_457n);
  await vault.connect(keeper).report();
  await time.increase(8 * 24 * 3600);
  return system;
}

async function rate(system: VaultSystem): Promise<{ assets: bigint; supply: bigint }> {
  return { assets: await system.vault.totalAssets(), supply: await system.vault.totalSupply() };
}

describe("ReserveVault › ERC-4626", function () {
  describe("decimals and asset", function () {
    it("has 18-decimal shares over a 6-decimal asset", async function () {
      const { vault, usdc } = await loadFixture(emptyVault);
      expect(await vault.decimals()).to.equal(18n);
      expect(await vault.asset()).to.equal(await usdc.getAddress());
    });

    it("reverts with AssetDecimalsUnsupported for an asset above 18 decimals", async function () {
      const { deployer, admin, vault, libraries } = await loadFixture(emptyVault);
      const token = await new MockERC20__factory(deployer).deploy("Wide", "W", 19);
      const factory = new ReserveVault__factory(libraries, deployer);
      await expect(factory.deploy(token, "n", "s", admin, 0n))
        .to.be.revertedWithCustomError(vault, "AssetDecimalsUnsupported")
        .withArgs(19);
    });
  });

  describe("deposit", function () {
    it("reverts with EnforcedPause while paused, and maxDeposit says zero", async function () {
      const { vault, guardian, alice } = await loadFixture(emptyVault);
      await vault.connect(guardian).pause();
      expect(await vault.maxDeposit(alice)).to.equal(0n);
      await expect(vault.connect(alice).deposit(USDC, alice)).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });

    it("books the deposit as idle and mints 10^12 shares per base unit at the first deposit", async function () {
      const { vault, alice } = await loadFixture(emptyVault);
      await expect(vault.connect(alice).deposit(100n * USDC, alice))
        .to.emit(vault, "Deposit")
        .withArgs(alice.address, alice.address, 100n * USDC, 100n * USDC * VIRTUAL_SHARES);
      expect(await vault.idle()).to.equal(100n * USDC);
      expect(await vault.totalAssets()).to.equal(100n * USDC);
    });

    it("never loops over adapters: 16 listed adapters leave the deposit unchanged", async function () {
      const { vault, alice } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(10n * USDC, alice);
      expect(await vault.idle()).to.equal(10n * USDC);
      expect(await vault.totalAdapterValue()).to.equal(0n);
    });
  });

  describe("rounding against the caller", function () {
    const amounts = [1n, 3n, 999_999n, 123_456_789n, 10n ** 10n + 1n];

    it("deposit and previewDeposit round shares down", async function () {
      const system = await loadFixture(oddRateVault);
      const { vault, bob } = system;
      for (const assets of amounts) {
        const { assets: total, supply } = await rate(system);
        const preview = await vault.previewDeposit(assets);
        // exact = assets × (supply + 10^12) / (total + 1); floor means preview × (total+1) ≤ exact numerator < (preview+1) × (total+1)
        const numerator = assets * (supply + VIRTUAL_SHARES);
        expect(preview * (total + 1n) <= numerator, "rounded down").to.equal(true);
        expect((preview + 1n) * (total + 1n) > numerator, "by less than one share").to.equal(true);
        const before = await vault.balanceOf(bob);
        await vault.connect(bob).deposit(assets, bob);
        expect((await vault.balanceOf(bob)) - before, "deposit mints what previewDeposit said").to.equal(preview);
      }
    });

    it("mint and previewMint round assets up", async function () {
      const system = await loadFixture(oddRateVault);
      const { vault, usdc, bob } = system;
      for (const shares of amounts.map((a) => a * 1_000_003n)) {
        const { assets: total, supply } = await rate(system);
        const preview = await vault.previewMint(shares);
        const numerator = shares * (total + 1n);
        expect(preview * (supply + VIRTUAL_SHARES) >= numerator, "rounded up").to.equal(true);
        expect((preview - 1n) * (supply + VIRTUAL_SHARES) < numerator, "by less than one unit").to.equal(true);
        const before = await usdc.balanceOf(bob);
        await vault.connect(bob).mint(shares, bob);
        expect(before - (await usdc.balanceOf(bob)), "mint pulls what previewMint said").to.equal(preview);
      }
    });

    it("withdraw and previewWithdraw round shares up", async function () {
      const system = await loadFixture(oddRateVault);
      const { vault, alice } = system;
      for (const assets of amounts) {
        const { assets: total, supply } = await rate(system);
        const preview = await vault.previewWithdraw(assets);
        const numerator = assets * (supply + VIRTUAL_SHARES);
        expect(preview * (total + 1n) >= numerator, "rounded up").to.equal(true);
        expect((preview - 1n) * (total + 1n) < numerator, "by less than one share").to.equal(true);
        const before = await vault.balanceOf(alice);
        await vault.connect(alice).withdraw(assets, alice, alice);
        expect(before - (await vault.balanceOf(alice)), "withdraw burns what previewWithdraw said").to.equal(preview);
      }
    });

    it("redeem, previewRedeem, convertToAssets and convertToShares round down", async function () {
      const system = await loadFixture(oddRateVault);
      const { vault, usdc, alice } = system;
      for (const shares of amounts.map((a) => a * 999_983n)) {
        const { assets: total, supply } = await rate(system);
        const preview = await vault.previewRedeem(shares);
        expect(await vault.convertToAssets(shares)).to.equal(preview);
        const numerator = shares * (total + 1n);
        expect(preview * (supply + VIRTUAL_SHARES) <= numerator, "rounded down").to.equal(true);
        expect((preview + 1n) * (supply + VIRTUAL_SHARES) > numerator, "by less than one unit").to.equal(true);
        expect(await vault.convertToShares(preview)).to.be.lte(shares);
        const before = await usdc.balanceOf(alice);
        await vault.connect(alice).redeem(shares, alice, alice);
        expect((await usdc.balanceOf(alice)) - before, "redeem pays what previewRedeem said").to.equal(preview);
      }
    });

    it("a redemption idle covers pays previewRedeem to the unit at an odd rate, and spends an allowance", async function () {
      const system = await loadFixture(oddRateVault);
      const { vault, usdc, alice, bob } = system;
      await vault.connect(bob).deposit(1_234_567_891n, bob);
      const held = await vault.balanceOf(bob);
      expect(await vault.previewRedeem(held), "bob's whole position is within idle").to.be.lte(await vault.idle());
      await expect(vault.connect(alice).redeem(1n, alice, bob)).to.be.revertedWithCustomError(
        vault,
        "ERC20InsufficientAllowance",
      );
      await vault.connect(bob).approve(alice, 999_983n * 10n ** 12n);
      for (const [caller, shares] of [
        [alice, 999_983n * 10n ** 12n],
        [bob, 1n],
        [bob, held - 999_983n * 10n ** 12n - 1n],
      ] as const) {
        const { assets: total, supply } = await rate(system);
        const preview = await vault.previewRedeem(shares);
        const numerator = shares * (total + 1n);
        expect(preview * (supply + VIRTUAL_SHARES) <= numerator, "rounded down").to.equal(true);
        expect((preview + 1n) * (supply + VIRTUAL_SHARES) > numerator, "by less than one unit").to.equal(true);
        const before = await usdc.balanceOf(caller);
        await vault.connect(caller).redeem(shares, caller, bob);
        expect((await usdc.balanceOf(caller)) - before, "redeem pays what previewRedeem said").to.equal(preview);
      }
      expect(await vault.balanceOf(bob)).to.equal(0n);
      expect(await vault.allowance(bob, alice)).to.equal(0n);
    });

    it("a deposit followed by a full redeem never returns more than was put in", async function () {
      const system = await loadFixture(oddRateVault);
      const { vault, usdc, bob } = system;
      for (const assets of amounts) {
        const start = await usdc.balanceOf(bob);
        await vault.connect(bob).deposit(assets, bob);
        await vault.connect(bob).redeem(await vault.balanceOf(bob), bob, bob);
        expect(await usdc.balanceOf(bob)).to.be.lte(start);
      }
    });
  });

  describe("donations and the first-depositor inflation attack", function () {
    it("a donation to the vault changes neither totalAssets nor the share price", async function () {
      const { vault, usdc, alice, attacker } = await loadFixture(emptyVault);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      const priceBefore = await vault.convertToAssets(10n ** 18n);
      await usdc.connect(attacker).transfer(vault, 500_000n * USDC);
      expect(await vault.totalAssets()).to.equal(1_000n * USDC);
      expect(await vault.convertToAssets(10n ** 18n)).to.equal(priceBefore);
    });

    it("attacker deposits 1 wei and donates: the victim loses at most one unit", async function () {
      const { vault, usdc, alice, attacker } = await loadFixture(emptyVault);
      await vault.connect(attacker).deposit(1n, attacker);
      await usdc.connect(attacker).transfer(vault, 500_000n * USDC);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      const victimAssets = await vault.previewRedeem(await vault.balanceOf(alice));
      expect(victimAssets).to.be.gte(1_000n * USDC - 1n);
      const attackerAssets = await vault.previewRedeem(await vault.balanceOf(attacker));
      expect(attackerAssets, "the attacker's share is worth no more than its wei").to.be.lte(1n);
    });

    it("attacker deposits 1 wei and inflates the adapter: the gain unlocks slowly and the victim loses at most one unit", async function () {
      const { vault, usdc, alice, attacker, keeper, adapters } = await loadFixture(oneAdapter);
      await vault.connect(attacker).deposit(1_000_000n, attacker);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.moveNav(100_000n * USDC); // the attacker's donation, recognised as a gain
      await vault.connect(keeper).report();
      expect(await vault.totalAssets(), "the whole gain is locked at first").to.equal(1_000_000n);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await time.increase(8 * 24 * 3600);
      const victimAssets = await vault.previewRedeem(await vault.balanceOf(alice));
      expect(victimAssets).to.be.gte(1_000n * USDC - 1n);
      const attackerAssets = await vault.previewRedeem(await vault.balanceOf(attacker));
      expect(attackerAssets, "attacker got back less than deposit + donation").to.be.lt(1_000_000n + 100_000n * USDC);
      expect(await usdc.balanceOf(vault)).to.be.gte(await vault.idle());
    });
  });

  describe("withdraw", function () {
    it("reverts with ERC4626ExceededMaxWithdraw above maxWithdraw, and serves maxWithdraw exactly", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await adapters[1]!.setLimits(100n * USDC, 2n ** 255n, 0n); // B returns at most 100 instantly
      await adapters[2]!.setLimits(0n, 2n ** 255n, 0n); // C is illiquid
      const max = await vault.maxWithdraw(alice);
      expect(max, "idle 0 + A 500 + B 100").to.equal(600n * USDC);
      await expect(vault.connect(alice).withdraw(max + 1n, alice, alice))
        .to.be.revertedWithCustomError(vault, "ERC4626ExceededMaxWithdraw")
        .withArgs(alice.address, max + 1n, max);
      await vault.connect(alice).withdraw(max, alice, alice);
      expect(await vault.totalAssets()).to.equal(400n * USDC);
    });

    it("within idle burns previewWithdraw's shares and prices no position: a leaver holding more than idle pays what one holding less does", async function () {
      const { vault, alice, bob, curator, keeper } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(curator).setBuffer(1_000n);
      await vault.connect(keeper).rebalance(); // idle 100, the rest in the adapters
      await vault.connect(bob).deposit(60n * USDC, bob);
      expect(await vault.maxWithdraw(alice)).to.be.gt(await vault.idle());
      const gas: bigint[] = [];
      for (const leaver of [bob, alice]) {
        const shares = await vault.previewWithdraw(50n * USDC);
        const before = await vault.balanceOf(leaver);
        const receipt = await (await vault.connect(leaver).withdraw(50n * USDC, leaver, leaver)).wait();
        expect(before - (await vault.balanceOf(leaver)), "previewWithdraw's shares").to.equal(shares);
        gas.push(receipt!.gasUsed);
      }
      // Pricing alice's position across three adapters would cost tens of thousands of gas more.
      expect(gas[1]! - gas[0]!, "the same work for both").to.be.lessThan(3_000n);
      expect(await vault.idle()).to.equal(60n * USDC);
    });

    it("beyond idle, the leaver must hold the shares for the amount and its exit cost: short of them, refused naming maxWithdraw", async function () {
      const { vault, alice, bob, keeper, curator, adapters } = await loadFixture(oneAdapter);
      await vault.connect(alice).deposit(100n * USDC, alice);
      await vault.connect(bob).deposit(100n * USDC, bob);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.setFees(0n, 10n, 0n); // 10 bps exit fee, at the bound
      await vault.connect(curator).setMaxSlippage(adapters[0]!, 10n);
      const owned = await vault.convertToAssets(await vault.balanceOf(alice));
      const max = await vault.maxWithdraw(alice);
      expect(max, "the fee comes out of the position").to.be.lt(owned);
      await expect(vault.connect(alice).withdraw(owned, alice, alice))
        .to.be.revertedWithCustomError(vault, "ERC4626ExceededMaxWithdraw")
        .withArgs(alice.address, owned, max);
      const shares = await vault.previewWithdraw(max);
      await expect(vault.connect(alice).withdraw(max, alice, alice)).to.changeTokenBalance(vault, alice, -shares);
    });

    it("draws as the walk quoted; when a quoted exit fails, the adapters after it are asked afresh", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance(); // idle 0: A 500, B 300, C 200
      await adapters[0]!.setFees(0n, 0n, 1n); // A quotes its exit, then delivers a unit short
      const [a, b] = [await adapters[0]!.getAddress(), await adapters[1]!.getAddress()];
      const before = (await vault.adapterConfig(b)).value;
      await expect(vault.connect(alice).withdraw(100n * USDC, alice, alice))
        .to.emit(vault, "WithdrawalSourceFailed")
        .withArgs(a, 100n * USDC, anyValue);
      expect(before - (await vault.adapterConfig(b)).value, "B, unquoted, paid it all").to.equal(100n * USDC);
      expect((await vault.adapterConfig(a)).value, "A untouched").to.equal(500n * USDC);
    });

    it("draws idle first, then adapters in withdraw order", async function () {
      const { vault, alice, curator, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(curator).setBuffer(1_000n);
      await vault.connect(keeper).rebalance(); // idle 100, A 450, B 270, C 180
      await vault.connect(curator).setWithdrawOrder([adapters[2]!, adapters[0]!]);
      await vault.connect(alice).withdraw(300n * USDC, alice, alice);
      expect(await vault.idle()).to.equal(0n);
      expect((await vault.adapterConfig(adapters[2]!)).value, "C drained first").to.equal(0n);
      expect((await vault.adapterConfig(adapters[0]!)).value, "A gave the remaining 20").to.equal(430n * USDC);
      expect((await vault.adapterConfig(adapters[1]!)).value, "B is not in the order").to.equal(270n * USDC);
    });

    it("skips quarantined adapters in maxWithdraw and in the withdrawal itself", async function () {
      const { vault, alice, guardian, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(guardian).quarantine(adapters[0]!);
      expect(await vault.maxWithdraw(alice)).to.equal(500n * USDC);
      await vault.connect(alice).withdraw(500n * USDC, alice, alice);
      expect((await vault.adapterConfig(adapters[0]!)).value).to.equal(500n * USDC);
    });

    it("is never blocked by the pause", async function () {
      const { vault, alice, guardian } = await loadFixture(emptyVault);
      await vault.connect(alice).deposit(10n * USDC, alice);
      await vault.connect(guardian).pause();
      await expect(vault.connect(alice).withdraw(10n * USDC, alice, alice)).to.emit(vault, "Withdraw");
    });

    it("passes over an adapter that delivers less than asked (WithdrawalSourceFailed), then reverts with InsufficientLiquidity when nothing else can pay", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(oneAdapter);
      await vault.connect(alice).deposit(100n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.setFees(0n, 0n, 1n);
      const idle = await vault.idle();
      // The failed draw leaves no trace: the revert names what the order could pay (nothing).
      await expect(vault.connect(alice).withdraw(50n * USDC, alice, alice))
        .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
        .withArgs(50n * USDC - idle, 0n);
      // Within idle the same withdrawal never touches the adapter.
      await expect(vault.connect(alice).withdraw(idle, alice, alice)).to.not.emit(vault, "WithdrawalSourceFailed");
      expect(await vault.maxWithdraw(alice), "the adapter still promises its liquidity").to.be.gt(0n);
      await expect(vault.connect(alice).withdraw(USDC, alice, alice))
        .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
        .withArgs(USDC, 0n);
    });

    it("does not promise an instant exit that costs more than the adapter's bound; at the bound the leaver pays the fee in shares", async function () {
      const { vault, alice, bob, keeper, curator, adapters } = await loadFixture(oneAdapter);
      await vault.connect(alice).deposit(100n * USDC, alice);
      await vault.connect(bob).deposit(100n * USDC, bob);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.setFees(0n, 10n, 0n); // 10 bps exit fee
      const adapter = await adapters[0]!.getAddress();
      await expect(vault.connect(alice).withdraw(50n * USDC, alice, alice)).to.be.revertedWithCustomError(
        vault,
        "ERC4626ExceededMaxWithdraw",
      );
      expect(await vault.maxWithdraw(alice), "an exit beyond its bound is not promised").to.equal(await vault.idle());
      await vault.connect(curator).setMaxSlippage(adapter, 10n); // the boundary: exactly 10 bps passes
      const idle = await vault.idle();
      const fee = ((50n * USDC - idle) * 10n) / 10_000n;
      const shares = await vault.previewWithdraw(50n * USDC);
      const floor = await vault.convertToShares(50n * USDC + fee);
      expect(shares, "the fee is in the preview, rounded up").to.be.within(floor, floor + 1n);
      const priceBefore = await vault.convertToAssets(10n ** 18n);
      await expect(vault.connect(alice).withdraw(50n * USDC, alice, alice)).to.changeTokenBalance(
        vault,
        alice,
        -shares,
      );
      expect(await vault.convertToAssets(10n ** 18n), "bob's share price did not pay alice's fee").to.be.gte(
        priceBefore,
      );
    });
  });

  describe("an adapter whose every view reverts", function () {
    it("reads as illiquid: max*, previews and the plan answer, its draw and legs are skipped, the others serve", async function () {
      const { vault, alice, keeper, curator, adapters, usdc } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      const [first, second] = [adapters[0]!, adapters[1]!];
      await vault.connect(curator).setWithdrawOrder([first, second]);
      const stub = await new RevertingStub__factory(alice).deploy();
      await ethers.provider.send("hardhat_setCode", [
        await first.getAddress(),
        await ethers.provider.getCode(await stub.getAddress()),
      ]);
      const max = await vault.maxWithdraw(alice);
      expect(max, "idle plus the second adapter only").to.equal(
        (await vault.idle()) + (await vault.adapterConfig(second)).value,
      );
      expect(await vault.previewWithdraw(max)).to.be.gt(0n);
      expect(await vault.previewRedeem(await vault.maxRedeem(alice))).to.be.lte(max);
      await vault.connect(curator).setTargetWeight(first, 0n);
      const plan = await vault.previewRebalance();
      expect(
        plan.filter((leg) => leg.adapter === first.target),
        "nothing planned against an adapter that cannot say what it can do",
      ).to.deep.equal([]);
      const before = await usdc.balanceOf(alice);
      await vault.connect(alice).withdraw(max, alice, alice);
      expect((await usdc.balanceOf(alice)) - before).to.equal(max);
    });
  });

  describe("maxRedeem", function () {
    it("returns the whole balance when liquid, and redeemable shares when not", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      expect(await vault.maxRedeem(alice)).to.equal(await vault.balanceOf(alice));
      await vault.connect(keeper).rebalance();
      await adapters[2]!.setLimits(0n, 2n ** 255n, 0n);
      const max = await vault.maxRedeem(alice);
      expect(await vault.previewRedeem(max)).to.be.lte(800n * USDC);
      await vault.connect(alice).redeem(max, alice, alice);
      await expect(vault.connect(alice).redeem(1n, alice, alice)).to.be.revertedWithCustomError(
        vault,
        "ERC4626ExceededMaxRedeem",
      );
    });
  });
});

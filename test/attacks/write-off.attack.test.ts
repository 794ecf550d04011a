import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { LegKind, USDC as UNIT_USDC, deploySystem, executedLegs } from "../helpers/fixtures";
import { MODE } from "../helpers/mainnet";
import { DAY, MAX_REQUEST_AGE, USDC, pastRequestAge, reserveSystem, type ReserveSystem } from "../helpers/reserve";

const M = 1_000_000n * USDC;

/** What each holder's shares are worth now, in assets. */
async function worth(system: ReserveSystem, who: string): Promise<bigint> {
  return system.vault.convertToAssets(await system.vault.balanceOf(who));
}

/**
 * Alice and bob hold $5M each, half in USTB. USTB's weight falls to 30 %, RedemptionIdle is empty, so
 * the plan files a 2M off-chain redemption; Superstate pays 98 % of it, and the 40k rest, overdue, is
 * written off. The quarantine is lifted: USTB is usable again.
 */
async function ustbWrittenOff() {
  const system = await reserveSystem();
  const { vault, curator, keeper, guardian, alice, bob, driver, ustb } = system;
  await vault.connect(curator).setTargetWeight(ustb, 5_000n);
  await vault.connect(alice).deposit(5n * M, alice);
  await vault.connect(bob).deposit(5n * M, bob);
  await vault.connect(keeper).rebalance();
  await driver.drainUstbRedemption();
  await vault.connect(curator).setTargetWeight(ustb, 3_000n);
  const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
  expect(legs.map((leg) => leg[1])).to.deep.equal([LegKind.RequestRedeem]);
  const requested = await ustb.pendingRedeem();
  const paid = (requested * 98n) / 100n;
  await driver.payUstbRedemption(await ustb.getAddress(), paid);
  await vault.connect(keeper).settle(ustb);
  const gap = requested - paid;
  const before = { alice: await worth(system, alice.address), bob: await worth(system, bob.address) };
  await pastRequestAge(system);
  await vault.connect(keeper).report();
  await expect(vault.connect(guardian).writeOff(ustb)).to.emit(vault, "RequestWrittenOff");
  await vault.connect(guardian).liftQuarantine(ustb, ethers.MaxUint256);
  return { ...system, gap, before };
}

describe(`attack › write-offs and what comes after (${MODE})`, function () {
  describe("finding 1: a deposit timed after a write-off does not capture the late recovery", function () {
    it("the attacker's 90M, deposited right after the write-off, gains nothing from the 40k Superstate pays later", async function () {
      const system = await loadFixture(ustbWrittenOff);
      const { vault, keeper, guardian, attacker, alice, bob, driver, usdc, ustb, gap, before } = system;
      expect(await vault.recoverable(), "the write-off is recorded as recoverable").to.equal(gap);
      expect((await vault.adapterConfig(ustb)).writtenOff).to.equal(gap);

      await driver.fundUsdc(attacker.address, 90n * M);
      await usdc.connect(attacker).approve(vault, ethers.MaxUint256);
      const cashBefore = await usdc.balanceOf(attacker);
      await vault.connect(attacker).deposit(90n * M, attacker);

      // Superstate pays the rest after all; the keeper settles, the report quarantines the 1.3 % step
      // on a 3M book, and the guardian lifts it: the recovery books, whatever path it takes.
      await driver.payUstbRedemption(await ustb.getAddress(), gap);
      await vault.connect(keeper).settle(ustb);
      await vault.connect(keeper).report();
      if ((await vault.adapterConfig(ustb)).quarantined) {
        await vault.connect(guardian).liftQuarantine(ustb, ethers.MaxUint256);
      }
      expect(await vault.recoverable(), "the recovery is booked").to.equal(0n);
      expect(await vault.lockedProfit(), "not through the profit lock").to.be.lte(2n);

      await vault.connect(attacker).redeem(await vault.balanceOf(attacker), attacker, attacker);
      const profit = (await usdc.balanceOf(attacker)) - cashBefore;
      expect(profit, "the attacker's profit").to.be.lte(0n);
      // Those who bore the loss have it back, to within rounding and USTB's accrual.
      for (const [who, was] of [
        [alice.address, before.alice],
        [bob.address, before.bob],
      ] as const) {
        expect(await worth(system, who), "a holder at the write-off is made whole").to.be.gte(was - 2n);
      }
    });

    it("an entrant after the write-off pays the price before it; a leaver gets the price after it", async function () {
      const system = await loadFixture(ustbWrittenOff);
      const { vault, gap } = system;
      const total = await vault.totalAssets();
      const supply = await vault.totalSupply();
      const shares = 10n ** 18n;
      const virtualShares = 10n ** 12n; // 18-decimal shares over a 6-decimal asset
      expect(await vault.previewDeposit(1n * M), "entry priced as if the recovery were there").to.equal(
        (1n * M * (supply + virtualShares)) / (total + gap + 1n),
      );
      expect(await vault.previewMint(shares), "a mint too, rounded up").to.equal(
        (shares * (total + gap + 1n) + supply + virtualShares - 1n) / (supply + virtualShares),
      );
      expect(await vault.previewRedeem(shares), "exit priced without it").to.equal(
        (shares * (total + 1n)) / (supply + virtualShares),
      );
    });

    it("a recovery beyond what was written off is an ordinary gain, locked", async function () {
      const system = await loadFixture(ustbWrittenOff);
      const { vault, keeper, guardian, driver, ustb, gap } = system;
      await driver.payUstbRedemption(await ustb.getAddress(), gap + 10_000n * USDC);
      await vault.connect(keeper).settle(ustb);
      await vault.connect(keeper).report();
      if ((await vault.adapterConfig(ustb)).quarantined) {
        await vault.connect(guardian).liftQuarantine(ustb, ethers.MaxUint256);
      }
      expect(await vault.recoverable()).to.equal(0n);
      expect(await vault.lockedProfit(), "the 10k beyond the write-off").to.be.closeTo(10_000n * USDC, 10n * USDC);
    });

    it("the curator may declare a write-off final: entries are then priced on what is there", async function () {
      const system = await loadFixture(ustbWrittenOff);
      const { vault, curator, guardian, ustb, gap } = system;
      await expect(vault.connect(guardian).closeRecovery(ustb)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(vault.connect(curator).closeRecovery(ustb))
        .to.emit(vault, "RecoveryClosed")
        .withArgs(await ustb.getAddress(), curator.address, gap);
      expect(await vault.recoverable()).to.equal(0n);
      expect(await vault.previewDeposit(1n * M)).to.equal(await vault.convertToShares(1n * M));
      await expect(vault.connect(curator).closeRecovery(ustb))
        .to.be.revertedWithCustomError(vault, "NothingToRecover")
        .withArgs(await ustb.getAddress());
    });
  });

  describe("finding 1, continued: yield after a write-off is not its recovery", function () {
    /** One async mock adapter holding 500k of 1M; a 500k redemption half paid, the rest written off. */
    async function mockWrittenOff() {
      const system = await deploySystem(1, [10_000n]);
      const { vault, alice, keeper, guardian, curator, adapters } = system;
      const a = adapters[0]!;
      await a.setAsync(false, true);
      await vault.connect(curator).setNavGuard(a, 7n * DAY, 10_000n); // steps of any size are reported
      await vault.connect(alice).deposit(1_000_000n * UNIT_USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setTargetWeight(a, 5_000n);
      await a.setLimits(0n, ethers.MaxUint256, 0n);
      await vault.connect(keeper).rebalance(); // a 500k redemption
      await a.fulfilRedeemPart(250_000n * UNIT_USDC);
      await vault.connect(keeper).settle(a);
      await ethers.provider.send("evm_increaseTime", [Number(MAX_REQUEST_AGE + 1n)]);
      await vault.connect(keeper).report();
      await vault.connect(guardian).writeOff(a);
      await vault.connect(guardian).liftQuarantine(a, ethers.MaxUint256);
      return system;
    }

    it("a report's gain that the issuer did not deliver (yield) is locked and leaves the recovery owed", async function () {
      const { vault, keeper, adapters } = await loadFixture(mockWrittenOff);
      const a = adapters[0]!;
      const owed = await vault.recoverable();
      expect(owed, "the 250k written off").to.equal(250_000n * UNIT_USDC);
      await a.moveNav(3_000n * UNIT_USDC); // yield: nothing the issuer owed
      await expect(vault.connect(keeper).report()).to.emit(vault, "ProfitLocked");
      expect(await vault.recoverable(), "still owed in full").to.equal(owed);
      expect(await vault.lockedProfit()).to.equal(3_000n * UNIT_USDC);
    });

    it("a late payment the report finds claimable is the recovery, at once", async function () {
      const { vault, keeper, adapters } = await loadFixture(mockWrittenOff);
      const a = adapters[0]!;
      const total = await vault.totalAssets();
      await a.fulfilRedeem(250_000n * UNIT_USDC); // the issuer pays the written-off rest after all
      expect(await a.claimable()).to.equal(250_000n * UNIT_USDC);
      await expect(vault.connect(keeper).report())
        .to.emit(vault, "LossRecovered")
        .withArgs(250_000n * UNIT_USDC, 0n);
      expect(await vault.totalAssets()).to.equal(total + 250_000n * UNIT_USDC);
      expect(await vault.lockedProfit()).to.equal(0n);
    });
  });

  describe("finding 2: nothing claimable is written off or stranded", function () {
    /** 10M, 20 % in JTRSY, filled and claimed; the weight drops to zero, a 2M redemption is filed and
     * JTRSY pays it; the keeper is down for 15 days, so the report finds the request overdue. */
    async function jtrsyPaidKeeperDown() {
      const system = await reserveSystem();
      const { vault, curator, keeper, alice, bob, driver, jtrsy } = system;
      await vault.connect(curator).setTargetWeight(jtrsy, 2_000n);
      await vault.connect(alice).deposit(5n * M, alice);
      await vault.connect(bob).deposit(5n * M, bob);
      await vault.connect(keeper).rebalance();
      await driver.fulfilJtrsyDeposit(await jtrsy.getAddress());
      await vault.connect(keeper).settle(jtrsy);
      await vault.connect(keeper).report();
      await vault.connect(curator).setTargetWeight(jtrsy, 0n);
      await vault.connect(keeper).rebalance();
      expect(await jtrsy.pendingRedeem()).to.be.closeTo(2n * M, 1n * USDC);
      await driver.fulfilJtrsyRedeem(await jtrsy.getAddress());
      // The keeper goes quiet; the issuer's price stays fresh.
      await driver.advanceTime(15n * DAY);
      await driver.setJtrsyPrice((await driver.jtrsyPrice()).price);
      await vault.connect(keeper).report();
      expect((await vault.adapterConfig(jtrsy)).quarantined, "overdue on our books").to.equal(true);
      return system;
    }

    it("a redemption JTRSY already paid is claimed by the write-off, not booked as a loss", async function () {
      const { vault, guardian, jtrsy } = await loadFixture(jtrsyPaidKeeperDown);
      const claimable = await jtrsy.claimable();
      expect(claimable, "the issuer shows the money").to.be.closeTo(2n * M, 1n * USDC);
      const totalBefore = await vault.totalAssets();
      const idleBefore = await vault.idle();
      await expect(vault.connect(guardian).writeOff(jtrsy))
        .to.emit(vault, "RequestWrittenOff")
        .withArgs(await jtrsy.getAddress(), guardian.address, claimable, 0n, 0n);
      expect(await vault.idle(), "claimed into idle").to.equal(idleBefore + claimable);
      expect(await vault.totalAssets(), "no holder lost anything").to.be.gte(totalBefore - 2n);
      expect(await vault.recoverable()).to.equal(0n);
    });

    it("what the claim cannot take stays claimable and is not written off (ClaimableNotSettled)", async function () {
      const system = await deploySystem(1, [5_000n]);
      const { vault, alice, keeper, guardian, curator, adapters } = system;
      const a = adapters[0]!;
      await a.setAsync(false, true);
      await vault.connect(alice).deposit(1_000_000n * UNIT_USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setTargetWeight(a, 0n);
      await a.setLimits(0n, ethers.MaxUint256, 0n); // no instant exit: the plan files a request
      await vault.connect(keeper).rebalance();
      await a.fulfilRedeemPart(300_000n * UNIT_USDC); // 60 % of a 500k request paid, the rest pending
      await a.setClaimsRefused(true);
      await ethers.provider.send("evm_increaseTime", [Number(MAX_REQUEST_AGE + 1n)]);
      await vault.connect(keeper).report();
      await expect(vault.connect(guardian).writeOff(a))
        .to.be.revertedWithCustomError(vault, "ClaimableNotSettled")
        .withArgs(await a.getAddress(), 300_000n * UNIT_USDC);
      // Once the claim goes through, the write-off takes what it brings back and writes off the rest.
      await a.setClaimsRefused(false);
      await expect(vault.connect(guardian).writeOff(a))
        .to.emit(vault, "RequestWrittenOff")
        .withArgs(
          await a.getAddress(),
          guardian.address,
          300_000n * UNIT_USDC,
          200_000n * UNIT_USDC,
          200_000n * UNIT_USDC,
        );
    });

    it("a stranger's cash on the adapter cannot keep the write-off waiting: a second settlement returns it", async function () {
      const { vault, guardian, attacker, driver, usdc, jtrsy } = await loadFixture(jtrsyPaidKeeperDown);
      const claimable = await jtrsy.claimable();
      // More than the one unit of dust the adapter tolerates, sent right before the write-off.
      await driver.fundUsdc(attacker.address, 5n * USDC);
      await usdc.connect(attacker).transfer(jtrsy, 5n * USDC);
      await expect(vault.connect(guardian).writeOff(jtrsy))
        .to.emit(vault, "RequestWrittenOff")
        .withArgs(await jtrsy.getAddress(), guardian.address, claimable + 5n * USDC, 0n, 0n);
      expect(await jtrsy.claimable()).to.equal(0n);
    });

    it("removeAdapter refuses an adapter with anything claimable at its issuer, or that cannot say", async function () {
      const system = await deploySystem(2, [5_000n, 0n]);
      const { vault, alice, keeper, guardian, curator, adapters } = system;
      const b = adapters[1]!;
      await b.setAsync(false, true);
      await vault.connect(curator).setTargetWeight(b, 5_000n);
      await vault.connect(alice).deposit(1_000_000n * UNIT_USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setTargetWeight(b, 0n);
      await b.setLimits(0n, ethers.MaxUint256, 0n);
      await vault.connect(keeper).rebalance();
      await b.fulfilRedeem(500_000n * UNIT_USDC);
      // Its valuation lies at zero, and a guardian books it: the book is empty, the money is not.
      await b.setLies(-(500_000n * UNIT_USDC), false, 0n);
      await vault.connect(guardian).quarantine(b);
      await vault.connect(guardian).liftQuarantine(b, ethers.MaxUint256);
      expect((await vault.adapterConfig(b)).value).to.equal(0n);
      await expect(vault.connect(curator).removeAdapter(b))
        .to.be.revertedWithCustomError(vault, "ClaimableNotSettled")
        .withArgs(await b.getAddress(), 500_000n * UNIT_USDC);
    });

    it("an empty adapter that cannot say what waits at its issuer is removed only once the guardian quarantined it", async function () {
      const { vault, guardian, curator, adapters } = await deploySystem(2, [10_000n, 0n]);
      const idle = adapters[1]!;
      await idle.setClaimableReverts(true);
      await expect(vault.connect(curator).removeAdapter(idle))
        .to.be.revertedWithCustomError(vault, "ClaimableNotSettled")
        .withArgs(await idle.getAddress(), ethers.MaxUint256);
      await vault.connect(guardian).quarantine(idle);
      await expect(vault.connect(curator).removeAdapter(idle)).to.emit(vault, "AdapterRemoved");
    });
  });
});

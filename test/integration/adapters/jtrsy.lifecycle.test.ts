import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { impersonate } from "../../../src/sandbox/rpc";
import {
  Erc7540Adapter__factory,
  IERC7540Like__factory,
  SandboxAsyncRequestManager__factory,
  SandboxAsyncVault__factory,
  SandboxBalanceSheet__factory,
  SandboxFullRestrictions__factory,
  SandboxPoolEscrow__factory,
  SandboxShareToken__factory,
  SandboxSpoke__factory,
  SandboxUSDC__factory,
  SandboxVaultRegistry__factory,
} from "../../../typechain-types";
import { LegKind, planOf } from "../../helpers/fixtures";
import { MODE, describeSandboxOnly, mainnet } from "../../helpers/mainnet";
import { DAY, USDC, reserveSystem, type ReserveSystem } from "../../helpers/reserve";

/** A vault of $1M with 80 % weight on JTRSY, nothing placed yet. */
async function jtrsyOnly() {
  const system = await reserveSystem();
  await system.vault.connect(system.curator).setTargetWeight(system.jtrsy, 8_000n);
  await system.vault.connect(system.alice).deposit(1_000_000n * USDC, system.alice);
  return system;
}

/** Places JTRSY (request, fill, claim, report), then lowers its weight to `weightBps`: a redemption request. */
async function placedThenRedeeming({ vault, jtrsy, keeper, curator, driver }: ReserveSystem, weightBps: bigint) {
  await vault.connect(keeper).rebalance();
  await driver.fulfilJtrsyDeposit(await jtrsy.getAddress());
  await vault.connect(keeper).settle(jtrsy);
  await vault.connect(keeper).report();
  await vault.connect(curator).setTargetWeight(jtrsy, weightBps);
  await vault.connect(keeper).rebalance();
}

/** Past the request age, with a fresh price: the report quarantines JTRSY and the guardian writes it off. */
async function writtenOff({ vault, jtrsy, keeper, guardian, driver }: ReserveSystem) {
  await driver.advanceTime(15n * DAY);
  await driver.setJtrsyPrice((await driver.jtrsyPrice()).price);
  await vault.connect(keeper).report();
  await vault.connect(guardian).writeOff(jtrsy);
}

describe(`Erc7540Adapter (JTRSY) through the vault (${MODE})`, function () {
  it("requests, is fulfilled, claims, reprices, redeems and settles back with nothing counted twice", async function () {
    const { vault, jtrsy, keeper, curator, driver, book } = await loadFixture(jtrsyOnly);
    const shares = SandboxShareToken__factory.connect(book.JTRSY, keeper);
    const controller = await jtrsy.getAddress();

    await vault.connect(keeper).rebalance();
    expect(await jtrsy.pendingDeposit(), "pending at cost").to.equal(800_000n * USDC);
    expect(await vault.totalAssets()).to.equal(1_000_000n * USDC);
    expect(await planOf(vault), "one open request per side").to.deep.equal([]);

    await driver.advanceTime(DAY);
    await driver.fulfilJtrsyDeposit(controller); // at the current epoch price
    const claimableValue = await jtrsy.totalAssets();
    expect(claimableValue, "a filled, unclaimed deposit stays at cost").to.equal(800_000n * USDC);
    await vault.connect(keeper).settle(jtrsy);
    expect(await shares.balanceOf(jtrsy)).to.be.gt(0n);
    const claimedValue = await jtrsy.totalAssets();
    // Claiming changes custody, not value, beyond the issuer's rounding (down, a unit or two).
    expect(claimedValue).to.be.lte(claimableValue);
    expect(claimedValue).to.be.gte(claimableValue - 2n);
    await vault.connect(keeper).report();

    const { price } = await driver.jtrsyPrice();
    await driver.setJtrsyPrice(price + price / 200n); // an epoch: +0.5 %
    await vault.connect(keeper).report();
    expect(await vault.lockedProfit()).to.be.closeTo(4_000n * USDC, 10n * USDC);

    await vault.connect(curator).setTargetWeight(jtrsy, 3_000n);
    expect((await planOf(vault)).map((l) => l[1])).to.deep.equal([LegKind.RequestRedeem]);
    const gross = async () => (await vault.idle()) + (await vault.totalAdapterValue());
    const grossBefore = await gross();
    await vault.connect(keeper).rebalance();
    expect(await jtrsy.pendingRedeem(), "in flight at the request's price").to.be.gt(490_000n * USDC);
    expect(await gross(), "a request moves value in flight; it loses none").to.equal(grossBefore);

    await driver.setJtrsyPrice(price + price / 100n); // the fulfilment may price differently
    await driver.advanceTime(DAY);
    await driver.fulfilJtrsyRedeem(controller);
    const idleBefore = await vault.idle();
    await vault.connect(keeper).settle(jtrsy);
    const returned = (await vault.idle()) - idleBefore;
    expect(returned).to.be.gt(490_000n * USDC);
    expect(await jtrsy.pendingRedeem()).to.equal(0n);
    await vault.connect(keeper).report();
    expect((await vault.adapterConfig(jtrsy)).value).to.equal(await jtrsy.totalAssets());
  });

  it("the keeper cancels an open deposit request (ERC-7887) and settle brings the assets back", async function () {
    const { vault, jtrsy, keeper, alice } = await loadFixture(jtrsyOnly);
    await vault.connect(keeper).rebalance();
    await expect(jtrsy.connect(alice).cancelDeposit()).to.be.revertedWithCustomError(jtrsy, "OnlyVaultKeeper");
    await expect(jtrsy.connect(keeper).cancelDeposit())
      .to.emit(jtrsy, "CancelRequested")
      .withArgs(true, keeper.address);
    // Not approved yet: Centrifuge answers at once, and the refund is claimable.
    expect(await jtrsy.claimable(), "the refund, at once").to.equal(800_000n * USDC);
    expect(await vault.totalAssets(), "still counted until settled").to.equal(1_000_000n * USDC);
    await vault.connect(keeper).settle(jtrsy);
    expect(await vault.idle()).to.equal(1_000_000n * USDC);
    expect(await jtrsy.totalAssets()).to.equal(0n);
    expect(await vault.totalAssets()).to.equal(1_000_000n * USDC);
    expect(await jtrsy.watching(), "the cancel is done: nothing left to look for").to.equal(0n);
    expect(await jtrsy.maxDeposit(), "open again").to.equal(ethers.MaxUint256);
  });

  it("a cancellation asked after an approval waits for the hub's next answer: the fill as shares, the rest as a refund", async function () {
    const { vault, jtrsy, keeper, driver } = await loadFixture(jtrsyOnly);
    const controller = await jtrsy.getAddress();
    await vault.connect(keeper).rebalance();
    const fill = await driver.approveCentrifugeDeposit(controller, { assets: 300_000n * USDC });
    await jtrsy.connect(keeper).cancelDeposit();
    expect(await jtrsy.maxDeposit(), "no new request while the cancel is pending").to.equal(0n);
    expect(await jtrsy.claimable(), "nothing back yet").to.equal(0n);
    expect(await vault.totalAssets(), "still counted while the cancel is pending").to.equal(1_000_000n * USDC);
    await driver.notifyCentrifugeDeposit(controller, fill);
    const idle = await vault.idle();
    await vault.connect(keeper).settle(jtrsy);
    expect((await vault.idle()) - idle, "the unfilled rest").to.equal(500_000n * USDC);
    expect(await jtrsy.depositRequestAssets()).to.equal(0n);
    expect(await jtrsy.totalAssets(), "the filled part, as shares").to.be.closeTo(300_000n * USDC, 2n);
    expect(await vault.totalAssets()).to.be.closeTo(1_000_000n * USDC, 2n);
    expect(await jtrsy.watching()).to.equal(0n);
  });

  it("the keeper cancels an open redemption (ERC-7887) and settle brings the shares back", async function () {
    const system = await loadFixture(jtrsyOnly);
    const { vault, jtrsy, keeper } = system;
    await placedThenRedeeming(system, 2_000n); // requests shares out
    const value = await jtrsy.totalAssets();
    expect(await jtrsy.pendingRedeem()).to.be.gt(0n);
    await jtrsy.connect(keeper).cancelRedeem();
    expect(await jtrsy.claimable(), "answered at once: the shares are claimable").to.be.gt(0n);
    await vault.connect(keeper).settle(jtrsy);
    expect(await jtrsy.pendingRedeem()).to.equal(0n);
    expect(await jtrsy.totalAssets(), "the shares are back, the value with them").to.be.closeTo(value, 2n);
    expect(await jtrsy.maxRequestRedeem()).to.be.gt(0n);
    expect(await jtrsy.watching(), "the cancel is done: nothing left to look for").to.equal(0n);
  });

  it("an expired membership plans no entry; its claim waits, counted, until membership returns", async function () {
    const { vault, jtrsy, keeper, driver } = await loadFixture(jtrsyOnly);
    const controller = await jtrsy.getAddress();
    await vault.connect(keeper).rebalance();
    await driver.fulfilJtrsyDeposit(controller);
    await driver.setJtrsyMembership(controller, (await driver.now()) + 60n);
    await driver.advanceTime(120);
    expect(await jtrsy.maxDeposit()).to.equal(0n);
    await impersonate(ethers.provider, await vault.getAddress(), async (asVault) => {
      await expect(jtrsy.connect(asVault).deposit(1n))
        .to.be.revertedWithCustomError(jtrsy, "NotMember")
        .withArgs(controller);
    });
    const before = await jtrsy.totalAssets();
    expect(before, "the fill is valued from the request, not from the hidden maxMint").to.equal(800_000n * USDC);
    expect(await jtrsy.maxRequestRedeem(), "nothing held yet to redeem").to.equal(0n);
    await vault.connect(keeper).settle(jtrsy); // cannot claim shares: skips, loses nothing
    expect(await jtrsy.totalAssets()).to.equal(before);
    expect(await jtrsy.depositRequestAssets(), "the request stays open while the fill is hidden").to.equal(before);
    await driver.allowlist("JTRSY", controller);
    await vault.connect(keeper).settle(jtrsy);
    expect(await jtrsy.claimable()).to.equal(0n);
    expect(await jtrsy.depositRequestAssets()).to.equal(0n);
    expect(await jtrsy.totalAssets()).to.be.closeTo(before, 2n);
  });

  describe("a cancellation still pending at the issuer after a write-off", function () {
    it("no new deposit request while it is pending; its refund is recovered, then entries reopen to a member only", async function () {
      const system = await loadFixture(jtrsyOnly);
      const { vault, jtrsy, keeper, driver } = system;
      const controller = await jtrsy.getAddress();
      await vault.connect(keeper).rebalance();
      // Approved in part, so the cancellation waits at the issuer.
      const fill = await driver.approveCentrifugeDeposit(controller, { assets: 1_000n * USDC });
      await jtrsy.connect(keeper).cancelDeposit();
      await writtenOff(system);
      expect(await jtrsy.depositRequestAssets(), "ours is written off").to.equal(0n);
      expect(await jtrsy.maxDeposit(), "the issuer refuses new requests while our cancellation is pending").to.equal(
        0n,
      );

      await driver.notifyCentrifugeDeposit(controller, fill);
      expect(await jtrsy.claimable(), "the refund and the filled part").to.be.closeTo(800_000n * USDC, 2n);
      const idle = await vault.idle();
      await vault.connect(keeper).settle(jtrsy);
      expect((await vault.idle()) - idle, "recovered after the write-off").to.equal(799_000n * USDC);
      expect(await jtrsy.totalAssets(), "and the filled part, as shares").to.be.closeTo(1_000n * USDC, 2n);
      expect(await jtrsy.watching(), "nothing left to look for").to.equal(0n);
      expect(await jtrsy.maxDeposit(), "a member may request again").to.equal(ethers.MaxUint256);

      await driver.setJtrsyMembership(controller, (await driver.now()) + 60n);
      await driver.advanceTime(120);
      expect(await jtrsy.maxDeposit(), "a lapsed member may not, with nothing open").to.equal(0n);
    });

    it("no new redemption request while it is pending; once the issuer answers, the shares held may be redeemed", async function () {
      const system = await loadFixture(jtrsyOnly);
      const { vault, jtrsy, keeper, driver, book } = system;
      const controller = await jtrsy.getAddress();
      const shares = SandboxShareToken__factory.connect(book.JTRSY, keeper);
      await placedThenRedeeming(system, 2_000n);
      // Approved in part (its proceeds paid), so the cancellation waits at the issuer.
      const fill = await driver.approveCentrifugeRedeem(controller, { shares: 1_000n });
      await jtrsy.connect(keeper).cancelRedeem();
      await writtenOff(system);
      expect(await jtrsy.pendingRedeem(), "ours is written off").to.equal(0n);
      expect(
        await jtrsy.maxRequestRedeem(),
        "the issuer refuses new requests while our cancellation is pending",
      ).to.equal(0n);

      await driver.notifyCentrifugeRedeem(controller, fill);
      const target = IERC7540Like__factory.connect(book.JTRSY_VAULT, keeper);
      expect(await jtrsy.maxRequestRedeem(), "the shares still held, at their value").to.equal(
        await target.convertToAssets(await shares.balanceOf(controller)),
      );
      const held = await shares.balanceOf(controller);
      await vault.connect(keeper).settle(jtrsy);
      expect(await shares.balanceOf(controller), "the cancelled shares are back").to.be.gt(held);
      expect(await jtrsy.watching()).to.equal(0n);
      expect(await jtrsy.maxRequestRedeem()).to.equal(await target.convertToAssets(await shares.balanceOf(controller)));
    });
  });

  describe("what a settlement looks for", function () {
    it("a deposit request written off stays watched: its late fill is claimed, and then nothing is watched", async function () {
      const system = await loadFixture(jtrsyOnly);
      const { vault, jtrsy, keeper, driver, book } = system;
      const controller = await jtrsy.getAddress();
      const shares = SandboxShareToken__factory.connect(book.JTRSY, keeper);
      await vault.connect(keeper).rebalance();
      await writtenOff(system);
      expect(await jtrsy.totalAssets(), "written off").to.equal(0n);
      expect(await jtrsy.watching()).to.equal(await jtrsy.WATCH_DEPOSIT_TAIL());
      expect(await jtrsy.claimable(), "nothing filled yet").to.equal(0n);

      await driver.fulfilJtrsyDeposit(controller); // the issuer fills it after all
      expect(await jtrsy.claimable()).to.be.closeTo(800_000n * USDC, 2n);
      await vault.connect(keeper).settle(jtrsy);
      expect(await shares.balanceOf(controller), "the late fill is ours").to.be.gt(0n);
      expect(await jtrsy.totalAssets()).to.be.closeTo(800_000n * USDC, 2n);
      expect(await jtrsy.watching(), "the issuer holds nothing more for us").to.equal(0n);
      expect(await jtrsy.claimable()).to.equal(0n);
    });

    it("a stranger's deposit under our name, with none of ours open, is neither claimed nor shown as claimable", async function () {
      const { vault, jtrsy, keeper, attacker, driver, book } = await loadFixture(jtrsyOnly);
      const controller = await jtrsy.getAddress();
      const shares = SandboxShareToken__factory.connect(book.JTRSY, keeper);
      const target = IERC7540Like__factory.connect(book.JTRSY_VAULT, attacker);
      await driver.fundUsdc(attacker.address, 1_000n * USDC);
      await SandboxUSDC__factory.connect(book.USDC, attacker).approve(target, ethers.MaxUint256);
      await target.requestDeposit(1_000n * USDC, controller, attacker.address);
      await driver.fulfilJtrsyDeposit(controller);
      expect(await target.maxMint(controller), "filled at the issuer").to.be.gt(0n);
      expect(await jtrsy.claimable(), "not ours: the keeper has nothing to settle").to.equal(0n);
      await vault.connect(keeper).settle(jtrsy);
      expect(await shares.balanceOf(controller)).to.equal(0n);
      expect(await jtrsy.totalAssets()).to.equal(0n);

      // Our own request: its claim takes the stranger's fill with it, as a donation, and closes ours.
      await vault.connect(keeper).rebalance();
      await driver.fulfilJtrsyDeposit(controller);
      await vault.connect(keeper).settle(jtrsy);
      expect(await jtrsy.depositRequestAssets()).to.equal(0n);
      expect(await jtrsy.totalAssets()).to.be.closeTo(801_000n * USDC, 3n);
      expect(await jtrsy.watching()).to.equal(0n);
    });

    it("cash on the adapter is shown as claimable and returned by a settlement with nothing else to claim", async function () {
      const { vault, jtrsy, keeper, driver, book } = await loadFixture(jtrsyOnly);
      const controller = await jtrsy.getAddress();
      const usdc = SandboxUSDC__factory.connect(book.USDC, keeper);
      await vault.connect(keeper).rebalance();
      await driver.fulfilJtrsyDeposit(controller);
      await driver.fundUsdc(controller, 5n * USDC); // a stranger's
      const fill = await jtrsy.claimable();
      expect(fill).to.be.closeTo(800_005n * USDC, 2n);
      await vault.connect(keeper).settle(jtrsy); // claims the fill; the cash waits
      expect(await usdc.balanceOf(controller)).to.equal(5n * USDC);
      expect(await jtrsy.claimable(), "the keeper comes back for it").to.equal(5n * USDC);
      const idle = await vault.idle();
      await expect(vault.connect(keeper).settle(jtrsy))
        .to.emit(vault, "Settled")
        .withArgs(controller, keeper.address, 5n * USDC);
      expect((await vault.idle()) - idle).to.equal(5n * USDC);
      expect(await jtrsy.claimable()).to.equal(0n);
      expect(await usdc.balanceOf(controller)).to.equal(0n);
    });

    it("a filled redemption the issuer hides from a frozen adapter stays in flight at its value, whatever cash arrives", async function () {
      const system = await loadFixture(jtrsyOnly);
      const { vault, jtrsy, keeper, driver } = system;
      const controller = await jtrsy.getAddress();
      await placedThenRedeeming(system, 2_000n);
      const inFlight = await jtrsy.pendingRedeem();
      const total = await vault.totalAssets();
      await driver.fulfilJtrsyRedeem(controller);
      await driver.freezeCentrifuge("JTRSY", controller, true);
      expect(await IERC7540Like__factory.connect(system.book.JTRSY_VAULT, keeper).maxWithdraw(controller)).to.equal(0n);
      await driver.fundUsdc(controller, 2n * USDC); // a stranger's, to make the keeper settle
      await vault.connect(keeper).settle(jtrsy);
      expect(await jtrsy.pendingRedeem(), "not closed: the proceeds are held at the issuer").to.equal(inFlight);
      expect(await vault.totalAssets(), "nothing written down; the 2 USDC a gain").to.be.gte(total);
      await driver.freezeCentrifuge("JTRSY", controller, false);
      const idle = await vault.idle();
      await vault.connect(keeper).settle(jtrsy);
      expect((await vault.idle()) - idle, "paid once unfrozen").to.be.closeTo(inFlight, 2n);
      expect(await jtrsy.pendingRedeem()).to.equal(0n);
    });

    it("a claim the issuer refuses (an expired asset price, a frozen adapter's refund) leaves a settlement whole", async function () {
      const system = await loadFixture(jtrsyOnly);
      const { vault, jtrsy, keeper, driver } = system;
      const controller = await jtrsy.getAddress();
      await placedThenRedeeming(system, 2_000n);
      const inFlight = await jtrsy.pendingRedeem();
      await driver.fulfilJtrsyRedeem(controller);
      await driver.setCentrifugeMaxAssetPriceAge(60n);
      await driver.advanceTime(120);
      await expect(vault.connect(keeper).settle(jtrsy), "the refused claim does not revert the settlement").to.not.be
        .reverted;
      expect(await jtrsy.pendingRedeem(), "still in flight").to.equal(inFlight);
      await driver.setCentrifugeAssetPrice(10n ** 18n);
      await vault.connect(keeper).settle(jtrsy);
      expect(await jtrsy.pendingRedeem(), "claimed once the price is valid").to.equal(0n);

      // A cancelled deposit's refund while frozen: not shown as claimable, not claimed, kept watched.
      await vault.connect(system.curator).setTargetWeight(jtrsy, 8_000n);
      await vault.connect(keeper).rebalance();
      expect(await jtrsy.pendingDeposit()).to.be.gt(0n);
      await jtrsy.connect(keeper).cancelDeposit();
      const refund = await jtrsy.pendingDeposit();
      await driver.freezeCentrifuge("JTRSY", controller, true);
      expect(await jtrsy.claimable(), "a frozen adapter cannot be paid its refund").to.equal(0n);
      await expect(vault.connect(keeper).settle(jtrsy)).to.not.be.reverted;
      expect(await jtrsy.pendingDeposit(), "at cost until refunded").to.equal(refund);
      expect((await jtrsy.watching()) & (await jtrsy.WATCH_CANCEL_DEPOSIT())).to.not.equal(0n);
      await driver.freezeCentrifuge("JTRSY", controller, false);
      expect(await jtrsy.claimable()).to.equal(refund);
      const idle = await vault.idle();
      await vault.connect(keeper).settle(jtrsy);
      expect((await vault.idle()) - idle).to.equal(refund);
      expect(await jtrsy.pendingDeposit()).to.equal(0n);
    });

    it("the NAV's age is the share price's: a fresh asset price does not hide a stale share price", async function () {
      const system = await loadFixture(jtrsyOnly);
      const { vault, jtrsy, keeper, driver } = system;
      await placedThenRedeeming(system, 8_000n);
      const { computedAt } = await driver.jtrsyPrice();
      await driver.advanceTime(3n * DAY);
      await driver.setCentrifugeAssetPrice(10n ** 18n);
      const target = IERC7540Like__factory.connect(system.book.JTRSY_VAULT, keeper);
      expect(await target.priceLastUpdated(), "Centrifuge dates by the later of the two").to.be.gt(computedAt);
      expect(await jtrsy.navUpdatedAt(), "the adapter by the share price").to.equal(computedAt);
      await driver.advanceTime(5n * DAY); // past JTRSY's 7-day guard
      await driver.setCentrifugeAssetPrice(10n ** 18n);
      await expect(vault.connect(keeper).report()).to.emit(vault, "AdapterQuarantined");
      expect((await vault.adapterConfig(jtrsy)).quarantined).to.equal(true);
    });

    it("dust on the adapter does not call for a settlement; more than one unit does", async function () {
      const { jtrsy, driver } = await loadFixture(jtrsyOnly);
      const controller = await jtrsy.getAddress();
      await driver.fundUsdc(controller, USDC); // one whole unit: dust, as the vault tolerates it at removal
      expect(await jtrsy.claimable()).to.equal(0n);
      await driver.fundUsdc(controller, 1n);
      expect(await jtrsy.claimable()).to.equal(USDC + 1n);
    });

    it("a cancelled redemption's shares are shown as claimable only while they can come back to a member", async function () {
      const system = await loadFixture(jtrsyOnly);
      const { vault, jtrsy, keeper, driver } = system;
      const controller = await jtrsy.getAddress();
      await placedThenRedeeming(system, 2_000n);
      const value = await jtrsy.totalAssets();
      await jtrsy.connect(keeper).cancelRedeem();
      expect(await jtrsy.claimable()).to.be.gt(0n);
      await driver.setJtrsyMembership(controller, (await driver.now()) + 60n);
      await driver.advanceTime(120);
      expect(await jtrsy.claimable(), "they cannot come back now: the keeper has nothing to settle").to.equal(0n);
      await vault.connect(keeper).settle(jtrsy);
      expect(await jtrsy.pendingRedeem(), "still in flight, at the request's value").to.be.gt(0n);
      expect(await jtrsy.totalAssets()).to.equal(value);
      await driver.allowlist("JTRSY", controller);
      expect(await jtrsy.claimable()).to.be.gt(0n);
      await vault.connect(keeper).settle(jtrsy);
      expect(await jtrsy.pendingRedeem()).to.equal(0n);
      expect(await jtrsy.totalAssets()).to.be.closeTo(value, 2n);
      expect(await jtrsy.watching()).to.equal(0n);
    });
  });
});

describeSandboxOnly(
  "Erc7540Adapter: an issuer that refuses to deliver a fill",
  "the escrow's shares are burnt from under a fill, which only the sandbox's root may do",
  function () {
    it("the refused claim stays open and watched; the redemption's proceeds settle in the same call", async function () {
      const system = await jtrsyOnly();
      const { vault, keeper, jtrsy, driver, book } = system;
      const controller = await jtrsy.getAddress();
      await placedThenRedeeming(system, 3_000n);
      const inFlight = await jtrsy.pendingRedeem();
      expect(inFlight).to.be.gt(0n);
      await driver.fulfilJtrsyRedeem(controller);
      // A deposit of ours on the other side, filled, whose shares the escrow no longer holds.
      await driver.fundUsdc(controller, 1_000n * USDC);
      await impersonate(ethers.provider, await vault.getAddress(), (asVault) =>
        jtrsy.connect(asVault).deposit(1_000n * USDC),
      );
      await driver.fulfilJtrsyDeposit(controller);
      const target = IERC7540Like__factory.connect(book.JTRSY_VAULT, keeper);
      const escrow = await SandboxAsyncRequestManager__factory.connect(
        book.CENTRIFUGE_ASYNC_REQUEST_MANAGER,
        keeper,
      ).poolEscrow(await SandboxAsyncVault__factory.connect(book.JTRSY_VAULT, keeper).poolId());
      const shareToken = SandboxShareToken__factory.connect(book.JTRSY, keeper);
      await impersonate(ethers.provider, book.CENTRIFUGE_ROOT, async (root) =>
        shareToken.connect(root).burn(escrow, await shareToken.balanceOf(escrow)),
      );
      expect(await target.maxMint(controller), "the issuer still shows the fill").to.be.gt(0n);

      const idle = await vault.idle();
      await vault.connect(keeper).settle(jtrsy);
      expect((await vault.idle()) - idle, "the redemption's proceeds").to.be.gte(inFlight);
      expect(await jtrsy.pendingRedeem()).to.equal(0n);
      expect(await jtrsy.depositRequestAssets(), "ours stays open, at cost").to.equal(1_000n * USDC);
      expect(await jtrsy.claimable(), "and the fill stays in view").to.be.gt(0n);
    });
  },
);

describeSandboxOnly(
  "Erc7540Adapter: a share class Centrifuge has never priced",
  "a new share class is linked on the sandbox spoke, which only the sandbox's installer may do",
  function () {
    it("holding its shares, the adapter's value is unreadable (PriceUnavailable), its NAV undated, its exit closed", async function () {
      const { book } = await loadFixture(mainnet);
      const [deployer] = await ethers.getSigners();
      const [poolId, scId] = [281474976719999n, "0x000100000000ffff0000000000000001"];
      const token = await new SandboxShareToken__factory(deployer!).deploy();
      const target = await new SandboxAsyncVault__factory(deployer!).deploy();
      const escrow = await new SandboxPoolEscrow__factory(deployer!).deploy();
      const root = book.CENTRIFUGE_ROOT;
      await token.initialize("Unpriced", "NEW", 6, root);
      await escrow.initialize(root, poolId);
      await target.initialize(root, poolId, scId, book.USDC, token, root, book.CENTRIFUGE_ASYNC_REQUEST_MANAGER);
      const spoke = SandboxSpoke__factory.connect(book.CENTRIFUGE_SPOKE, deployer!);
      const usdcId = await spoke.assetToId(book.USDC, 0n);
      const adapter = await new Erc7540Adapter__factory(deployer!).deploy(deployer!.address, target, 50n);
      await impersonate(ethers.provider, root, async (asRoot) => {
        await token.connect(asRoot).file(ethers.encodeBytes32String("hook"), book.CENTRIFUGE_FULL_RESTRICTIONS);
        await spoke.connect(asRoot).addShareClass(poolId, scId, token);
        await spoke.connect(asRoot).updatePricePoolPerAsset(poolId, scId, usdcId, 10n ** 18n, await time.latest());
        await SandboxBalanceSheet__factory.connect(book.CENTRIFUGE_BALANCE_SHEET, asRoot).setEscrow(poolId, escrow);
        await SandboxVaultRegistry__factory.connect(book.CENTRIFUGE_VAULT_REGISTRY, asRoot).linkVault(
          poolId,
          scId,
          usdcId,
          book.USDC,
          target,
          book.CENTRIFUGE_ASYNC_REQUEST_MANAGER,
        );
        await SandboxFullRestrictions__factory.connect(book.CENTRIFUGE_FULL_RESTRICTIONS, asRoot).updateMember(
          token,
          adapter,
          2n ** 64n - 1n,
        );
        await token.connect(asRoot).mint(adapter, 1_000n * USDC); // shares the adapter holds
      });
      expect(await target.pricePerShare(), "Centrifuge's conversion reads zero").to.equal(0n);
      await expect(adapter.totalAssets()).to.be.revertedWithCustomError(adapter, "PriceUnavailable");
      expect(await adapter.navUpdatedAt(), "no share price date").to.equal(0n);
      expect(await adapter.maxRequestRedeem()).to.equal(0n);
    });
  },
);

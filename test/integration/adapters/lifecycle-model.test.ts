import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { IERC7540Like__factory, SandboxUSDC__factory } from "../../../typechain-types";
import type { ReserveVault } from "../../../typechain-types";
import { MODE } from "../../helpers/mainnet";
import { DAY, USDC, reserveSystem, type ReserveSystem } from "../../helpers/reserve";

/**
 * Each adapter's `totalAssets` at every stage of its lifecycle, against an independent model of what
 * that stage is worth: built from the issuer's raw state (token balances, the issuer's price) and
 * what the test itself sent and requested, never from the adapter's own views. In the window between
 * the issuer paying (or filling) and `settle`, a report must book nothing.
 */

const M = 1_000_000n * USDC;
const floorDiv = (x: bigint, d: bigint): bigint => x / d;

async function expectNothingBooked(vault: ReserveVault, adapter: string, keeper: ReserveSystem["keeper"]) {
  const [book, locked, total] = [
    (await vault.adapterConfig(adapter)).value,
    await vault.lockedProfit(),
    await vault.totalAssets(),
  ];
  const sent = vault.connect(keeper).report();
  await expect(sent, "no gain").to.not.emit(vault, "ProfitLocked");
  await expect(sent, "no loss").to.not.emit(vault, "LossRecognized");
  await expect(sent, "no quarantine").to.not.emit(vault, "AdapterQuarantined");
  expect((await vault.adapterConfig(adapter)).value, "book unchanged").to.equal(book);
  expect(await vault.lockedProfit()).to.be.lte(locked);
  expect(await vault.totalAssets()).to.be.gte(total);
}

async function ustbPlaced() {
  const system = await reserveSystem();
  const { vault, curator, alice, keeper, driver, ustb } = system;
  await driver.setUstbSubscriptionFee(10n); // the issuer's maximum
  await vault.connect(curator).setMaxSlippage(ustb, 15n); // the deployed bound: the fee plus rounding
  await driver.setUstbNav(10_500_000n); // $10.50, held flat
  await vault.connect(curator).setTargetWeight(ustb, 5_000n);
  await vault.connect(alice).deposit(4n * M, alice);
  await vault.connect(keeper).rebalance();
  await driver.drainUstbRedemption(); // exits go off-chain
  return system;
}

/** The reserve system with alice's $4M in and `product` weighted 50 %, not yet rebalanced. */
async function halfIn(product: "buidlI" | "jtrsy") {
  const system = await reserveSystem();
  const { vault, curator, alice } = system;
  await vault.connect(curator).setTargetWeight(system[product], 5_000n);
  await vault.connect(alice).deposit(4n * M, alice);
  return system;
}

const buidlIPlaced = () => halfIn("buidlI");
const jtrsyPlaced = () => halfIn("jtrsy");

describe(`adapter value at every lifecycle stage, against an independent model (${MODE})`, function () {
  it("USTB (10 bps subscription fee): held, pending out, paid and unsettled, settled, paid short, written off", async function () {
    const system = await loadFixture(ustbPlaced);
    const { vault, curator, keeper, guardian, driver, book, ustb } = system;
    const address = await ustb.getAddress();
    const token = SandboxUSDC__factory.connect(book.USTB, keeper);
    const usdc = SandboxUSDC__factory.connect(book.USDC, keeper);
    const price = 10_500_000n;
    const worth = (shares: bigint) => floorDiv(shares * price, 1_000_000n);

    // Held: the USTB balance at the NAV; the fee shows as less USTB for the USDC sent.
    const held = await token.balanceOf(address);
    expect(held, "subscribed").to.be.gt(0n);
    expect(await ustb.totalAssets(), "held").to.equal(worth(held));
    expect(worth(held)).to.be.lte(2n * M - (2n * M * 10n) / 10_000n);
    expect(worth(held)).to.be.gte(2n * M - (2n * M * 11n) / 10_000n);

    // Pending out: the burnt USTB's value at the NAV of the request, plus what is still held.
    await vault.connect(curator).setTargetWeight(ustb, 2_500n);
    await vault.connect(keeper).rebalance();
    const left = await token.balanceOf(address);
    const requested = worth(held) - worth(left);
    expect(requested).to.be.closeTo(M, 2_000n * USDC); // 25 % of gross, net of the entry fee
    expect(await ustb.totalAssets(), "pending out").to.equal(worth(left) + requested);

    // Paid, not yet settled: the cash replaces the request; a report books nothing.
    await driver.payUstbRedemption(address, requested);
    expect(await usdc.balanceOf(address)).to.equal(requested);
    expect(await ustb.totalAssets(), "paid, unsettled").to.equal(worth(left) + requested);
    await expectNothingBooked(vault, address, keeper);

    // Settled.
    await vault.connect(keeper).settle(ustb);
    expect(await ustb.totalAssets(), "settled").to.equal(worth(left));

    // Paid short (97 %): the unpaid rest stays in flight at the request's value; then written off.
    await vault.connect(curator).setTargetWeight(ustb, 1_000n);
    await vault.connect(keeper).rebalance();
    const rest = await token.balanceOf(address);
    const second = worth(left) - worth(rest);
    const paid = (second * 97n) / 100n;
    await driver.payUstbRedemption(address, paid);
    await expectNothingBooked(vault, address, keeper);
    await vault.connect(keeper).settle(ustb);
    expect(await ustb.totalAssets(), "paid short, rest in flight").to.equal(worth(rest) + second - paid);
    await driver.advanceTime(15n * DAY);
    await driver.setUstbNav(price);
    await vault.connect(keeper).report();
    await vault.connect(guardian).writeOff(ustb);
    expect(await ustb.totalAssets(), "written off").to.equal(worth(rest));
    expect((await vault.adapterConfig(ustb)).value, "and the book with it").to.equal(worth(rest));
  });

  it("BUIDL-I: pending in, filled and unseen, held, pending out, paid and unsettled, refunded, written off", async function () {
    const system = await loadFixture(buidlIPlaced);
    const { vault, curator, keeper, guardian, driver, book, buidlI } = system;
    const address = await buidlI.getAddress();
    const token = SandboxUSDC__factory.connect(book.BUIDL_I, keeper);
    const usdc = SandboxUSDC__factory.connect(book.USDC, keeper);
    const model = async (inFlight: bigint) => {
      const cash = await usdc.balanceOf(address);
      return (await token.balanceOf(address)) + (inFlight > cash ? inFlight : cash);
    };

    // Pending in: the USDC sent, at cost.
    await vault.connect(keeper).rebalance();
    const sent = 2n * M;
    expect(await buidlI.totalAssets(), "pending in").to.equal(await model(sent));

    // Filled, not yet seen by the adapter: the tokens replace the subscription; a report books nothing.
    await driver.issueBuidl("BUIDL_I", address, sent);
    expect(await buidlI.totalAssets(), "filled, unseen").to.equal(await model(0n));
    await expectNothingBooked(vault, address, keeper);
    await vault.connect(keeper).settle(buidlI);
    expect(await buidlI.totalAssets(), "held").to.equal(await model(0n));

    // Pending out, then paid and unsettled: a report books nothing; settled.
    await driver.advanceTime(DAY);
    await vault.connect(curator).setTargetWeight(buidlI, 2_500n);
    await vault.connect(keeper).rebalance();
    const out = sent - (await token.balanceOf(address));
    expect(out).to.equal(M);
    expect(await buidlI.totalAssets(), "pending out").to.equal(await model(out));
    await driver.payBuidlRedemption(address, out);
    expect(await buidlI.totalAssets(), "paid, unsettled").to.equal(await model(out));
    await expectNothingBooked(vault, address, keeper);
    await vault.connect(keeper).settle(buidlI);
    expect(await buidlI.totalAssets(), "settled").to.equal(await model(0n));

    // A subscription refunded (cancelled by the issuer): counted once, closed by settle.
    await vault.connect(curator).setTargetWeight(buidlI, 5_000n);
    await vault.connect(keeper).rebalance();
    const again = await buidlI.pendingDeposit();
    expect(await buidlI.totalAssets(), "pending in again").to.equal(await model(again));
    await driver.fundUsdc(address, again);
    expect(await buidlI.totalAssets(), "refunded, unsettled").to.equal(await model(again));
    await vault.connect(keeper).settle(buidlI);
    expect(await buidlI.totalAssets(), "refund settled").to.equal(await model(0n));

    // Filled 90 %, the rest never comes: written off.
    await vault.connect(keeper).rebalance();
    const third = await buidlI.pendingDeposit();
    await driver.issueBuidl("BUIDL_I", address, (third * 9n) / 10n);
    await vault.connect(keeper).settle(buidlI);
    expect(await buidlI.totalAssets(), "filled 90 %").to.equal(await model(third - (third * 9n) / 10n));
    await driver.advanceTime(15n * DAY);
    await vault.connect(keeper).report();
    await vault.connect(guardian).writeOff(buidlI);
    expect(await buidlI.totalAssets(), "written off").to.equal(await model(0n));
  });

  it("JTRSY: pending in, filled and unclaimed (membership lapsed too), held, pending out, fulfilled and unclaimed, cancelled, written off", async function () {
    const system = await loadFixture(jtrsyPlaced);
    const { vault, curator, keeper, guardian, driver, book, jtrsy } = system;
    const address = await jtrsy.getAddress();
    const target = IERC7540Like__factory.connect(book.JTRSY_VAULT, keeper);
    const shareToken = SandboxUSDC__factory.connect(await target.share(), keeper);
    const worth = async (shares: bigint) => floorDiv(shares * (await driver.jtrsyPrice()).price, 10n ** 18n);
    const held = async () => shareToken.balanceOf(address);

    // Pending in: at cost.
    await vault.connect(keeper).rebalance();
    const sent = 2n * M;
    expect(await jtrsy.totalAssets(), "pending in").to.equal(sent);

    // Filled and unclaimed: at cost, the same while the membership has lapsed; a report books nothing.
    await driver.fulfilJtrsyDeposit(address);
    expect(await jtrsy.totalAssets(), "filled, unclaimed").to.equal(sent);
    await driver.setJtrsyMembership(address, (await driver.now()) + 30n);
    await driver.advanceTime(60);
    expect(await target.maxMint(address), "the issuer hides the fill").to.equal(0n);
    expect(await jtrsy.totalAssets(), "filled, unclaimed, membership lapsed").to.equal(sent);
    await expectNothingBooked(vault, address, keeper);
    await driver.allowlist("JTRSY", address);
    await vault.connect(keeper).settle(jtrsy);
    expect(await jtrsy.totalAssets(), "held").to.equal(await worth(await held()));

    // Pending out, then fulfilled and unclaimed: at the request's value; a report books nothing.
    await vault.connect(keeper).report();
    const before = await held();
    await vault.connect(curator).setTargetWeight(jtrsy, 2_500n);
    await vault.connect(keeper).rebalance();
    const requested = (await worth(before)) - (await worth(await held()));
    expect(await jtrsy.totalAssets(), "pending out").to.equal((await worth(await held())) + requested);
    await driver.fulfilJtrsyRedeem(address);
    expect(await jtrsy.totalAssets(), "fulfilled, unclaimed").to.equal((await worth(await held())) + requested);
    await expectNothingBooked(vault, address, keeper);
    await vault.connect(keeper).settle(jtrsy);
    expect(await jtrsy.totalAssets(), "settled").to.equal(await worth(await held()));

    // A deposit request approved in half, then cancelled: at cost while the cancel waits at the issuer
    // and once the fill and the refund are claimable, then the shares held and the refund gone.
    await vault.connect(curator).setTargetWeight(jtrsy, 5_000n);
    await vault.connect(keeper).rebalance();
    const second = await jtrsy.pendingDeposit();
    expect(second).to.be.gt(0n);
    const fill = await driver.approveCentrifugeDeposit(address, { assets: second / 2n });
    await jtrsy.connect(keeper).cancelDeposit();
    expect(await jtrsy.totalAssets(), "cancel pending").to.equal((await worth(await held())) + second);
    await driver.notifyCentrifugeDeposit(address, fill);
    expect(await jtrsy.totalAssets(), "cancel claimable").to.equal((await worth(await held())) + second);
    await expectNothingBooked(vault, address, keeper);
    await vault.connect(keeper).settle(jtrsy);
    expect(await jtrsy.totalAssets(), "cancelled").to.equal(await worth(await held()));

    // A request the issuer never fills: written off after the maximum request age.
    await vault.connect(keeper).rebalance();
    expect(await jtrsy.pendingDeposit()).to.be.gt(0n);
    await driver.advanceTime(15n * DAY);
    await driver.setJtrsyPrice((await driver.jtrsyPrice()).price); // a fresh epoch price
    await vault.connect(keeper).report();
    await vault.connect(guardian).writeOff(jtrsy);
    expect(await jtrsy.totalAssets(), "written off").to.equal(await worth(await held()));
    expect(await ethers.provider.getCode(address)).to.not.equal("0x");
  });
});

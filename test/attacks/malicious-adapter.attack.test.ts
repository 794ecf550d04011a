import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { USDC, UNLIMITED, Reason, deploySystem, listAdapter } from "../helpers/fixtures";
import { MaliciousAdapter__factory } from "../../typechain-types";
import { GAS, ON_DEPOSIT, ON_SETTLE, ON_WITHDRAW, inOneBlock } from "./block";

const WEEK = 7 * 24 * 3600;

/**
 * An adapter is code the curator listed through the timelock; these tests show what the vault still
 * bounds when one turns hostile: its lies, its refusals and its short deliveries.
 */
describe("attack › a malicious adapter", function () {
  /** An honest adapter (60 %) and a hostile one (30 %), alice and an attacker holding shares. */
  async function withHostile() {
    const system = await deploySystem(1, [6_000n]);
    const { vault, usdc, curator, alice, attacker, keeper, deployer, adapters } = system;
    const hostile = await new MaliciousAdapter__factory(deployer).deploy(vault, usdc);
    await listAdapter(vault, curator, hostile, 3_000n);
    await vault.connect(curator).setWithdrawOrder([hostile, adapters[0]!]);
    await vault.connect(alice).deposit(900_000n * USDC, alice);
    await vault.connect(attacker).deposit(100_000n * USDC, attacker);
    await vault.connect(keeper).rebalance();
    return { ...system, honest: adapters[0]!, hostile };
  }

  it("lies its value up beyond the NAV bound: quarantined at its last value, nothing booked", async function () {
    const { vault, keeper, hostile, alice, attacker } = await loadFixture(withHostile);
    const before = await vault.totalAssets();
    await hostile.setLies(30_000n * USDC, false, 0n); // +10 % on a 300k position
    await expect(vault.connect(keeper).report())
      .to.emit(vault, "AdapterQuarantined")
      .withArgs(await hostile.getAddress(), Reason.Deviation, anyValue, anyValue);
    expect(await vault.totalAssets()).to.equal(before);
    expect(await vault.lockedProfit()).to.equal(0n);
    await time.increase(WEEK);
    expect(await vault.previewRedeem(await vault.balanceOf(attacker)), "the attacker gained nothing").to.be.lte(
      100_000n * USDC,
    );
    expect(await vault.previewRedeem(await vault.balanceOf(alice))).to.be.gte(900_000n * USDC - 1n);
  });

  it("lies its value down to buy cheap: the loss is booked, but the lie's reversal is locked and the attacker's round trip does not profit", async function () {
    const { vault, keeper, hostile, usdc, attacker } = await loadFixture(withHostile);
    const start = await usdc.balanceOf(attacker);
    await hostile.setLies(-2_900n * USDC, false, 0n); // −0.97 %: inside the breaker, booked as a loss at once
    await vault.connect(keeper).report();
    const bought = await vault.previewDeposit(500_000n * USDC);
    // In one block: buy at the depressed price, the truth returns (a gain, locked), report, sell.
    const statuses = await inOneBlock([
      () => vault.connect(attacker).deposit(500_000n * USDC, attacker, GAS),
      () => hostile.setLies(0n, false, 0n, GAS),
      () => vault.connect(keeper).report(GAS),
      () => vault.connect(attacker).redeem(bought, attacker, attacker, GAS),
    ]);
    expect(statuses).to.deep.equal([1, 1, 1, 1]);
    expect((await usdc.balanceOf(attacker)) - start, "the attacker's profit without waiting").to.be.lte(0n);
  });

  it("lies within the NAV bound: a colluding holder's take is capped by the bound and paid out only over the unlock time", async function () {
    const { vault, keeper, hostile, usdc, attacker, alice } = await loadFixture(withHostile);
    const start = await usdc.balanceOf(attacker);
    const aliceStart = await vault.previewRedeem(await vault.balanceOf(alice));
    const lie = 2_900n * USDC; // +0.97 % of the 300k position: under the 1 % breaker
    await hostile.setLies(lie, false, 0n);
    await vault.connect(keeper).report();
    const bookedAt = BigInt(await time.latest());
    expect(await vault.lockedProfit(), "the lie is booked only as locked profit").to.equal(lie);
    await time.increase(WEEK / 7); // a day later the guardian's monitoring has not reacted yet
    await vault.connect(attacker).redeem(await vault.maxRedeem(attacker), attacker, attacker);
    const elapsed = BigInt(await time.latest()) - bookedAt;
    const take = (await usdc.balanceOf(attacker)) - start - 100_000n * USDC;
    // The residual risk of listing hostile code, measured: its tenth of what one bound released meanwhile.
    expect(take).to.be.lte((lie * elapsed) / BigInt(WEEK) / 10n + 1n);
    const aliceLoss = aliceStart - (await vault.previewRedeem(await vault.balanceOf(alice)));
    expect(aliceLoss, "alice's exposure is the same slice, once the lie is exposed").to.be.lte(lie / 70n + 1n);
    console.log(`      measured: the colluder took ${Number(take) / 1e6} USDC of a ${Number(lie) / 1e6} USDC lie`);
  });

  it("reverts its valuation: only it is quarantined; alice withdraws from idle and the honest adapter", async function () {
    const { vault, keeper, hostile, alice } = await loadFixture(withHostile);
    await hostile.setLies(0n, true, 0n);
    await expect(vault.connect(keeper).report())
      .to.emit(vault, "AdapterQuarantined")
      .withArgs(await hostile.getAddress(), Reason.ValuationReverted, anyValue, anyValue);
    const max = await vault.maxWithdraw(alice);
    expect(max, "idle + the honest adapter").to.equal(700_000n * USDC);
    await vault.connect(alice).withdraw(max, alice, alice);
  });

  it("refuses to work (reverts deposit, withdraw and settle): its draw and its leg fail alone, every other path goes on", async function () {
    const { vault, keeper, guardian, curator, hostile, honest, alice, usdc } = await loadFixture(withHostile);
    await hostile.arm(ON_DEPOSIT | ON_WITHDRAW | ON_SETTLE, "0x", true);
    const before = await usdc.balanceOf(alice);
    await expect(vault.connect(alice).withdraw(500_000n * USDC, alice, alice))
      .to.emit(vault, "WithdrawalSourceFailed")
      .withArgs(await hostile.getAddress(), anyValue, hostile.interface.encodeErrorResult("Refused", []));
    expect((await usdc.balanceOf(alice)) - before, "served by idle and the honest adapter").to.equal(500_000n * USDC);
    await vault.connect(curator).setTargetWeight(hostile, 4_000n);
    await vault.connect(curator).setTargetWeight(honest, 0n);
    const tx = vault.connect(keeper).rebalance();
    await expect(tx)
      .to.emit(vault, "LegFailed")
      .withArgs(await hostile.getAddress(), anyValue, anyValue, anyValue);
    await expect(tx, "the honest adapter's exit still runs")
      .to.emit(vault, "LegExecuted")
      .withArgs(await honest.getAddress(), anyValue, anyValue, anyValue);
    await vault.connect(guardian).quarantine(hostile);
    await vault.connect(keeper).rebalance(); // plans around it
    expect(await vault.totalAssets(), "its book value stays counted, frozen").to.equal(500_000n * USDC);
  });

  it("returns less than asked: passed over (WithdrawalSourceFailed), the honest adapter pays, nobody is paid short", async function () {
    const { vault, hostile, alice, usdc } = await loadFixture(withHostile);
    await hostile.setFees(0n, 0n, 100n); // keeps 1 % of every instant exit
    const before = await usdc.balanceOf(alice);
    const hostileValue = (await vault.adapterConfig(hostile)).value;
    await expect(vault.connect(alice).withdraw(500_000n * USDC, alice, alice)).to.emit(vault, "WithdrawalSourceFailed");
    expect((await usdc.balanceOf(alice)) - before).to.equal(500_000n * USDC);
    expect((await vault.adapterConfig(hostile)).value, "its book untouched by the failed draw").to.equal(hostileValue);
  });

  it("pays a settlement short: the vault books what arrived, the breaker holds the rest until the guardian books the loss", async function () {
    const { vault, keeper, curator, guardian, hostile } = await loadFixture(withHostile);
    await hostile.setAsync(false, true);
    await hostile.setLimits(0n, UNLIMITED, 0n); // no instant exit: the keeper must request
    await vault.connect(curator).setTargetWeight(hostile, 0n);
    await vault.connect(keeper).rebalance();
    const requested = await hostile.pendingRedeem();
    expect(requested).to.equal(300_000n * USDC);
    await hostile.fulfilRedeem(requested - 30_000n * USDC); // keeps 10 %
    const before = await vault.totalAssets();
    await vault.connect(keeper).settle(hostile); // books what arrived; the unpaid rest stays on the book
    await expect(vault.connect(keeper).report(), "a 100 % drop trips the breaker")
      .to.emit(vault, "AdapterQuarantined")
      .withArgs(await hostile.getAddress(), Reason.Deviation, 30_000n * USDC, 0n);
    await vault.connect(guardian).liftQuarantine(hostile, ethers.MaxUint256); // reviewed: the guardian books the truth
    expect(before - (await vault.totalAssets()), "the shortfall is a loss, nobody's gain").to.equal(30_000n * USDC);
    expect((await vault.adapterConfig(hostile)).value).to.equal(0n);
  });

  it("takes a fee on entry above its slippage bound: its leg fails with EntrySlippageExceeded, nothing is booked", async function () {
    const { vault, keeper, curator, hostile } = await loadFixture(withHostile);
    await hostile.setFees(50n, 0n, 0n);
    await vault.connect(curator).setTargetWeight(hostile, 3_500n);
    const idle = await vault.idle();
    const value = (await vault.adapterConfig(hostile)).value;
    await expect(vault.connect(keeper).rebalance())
      .to.emit(vault, "LegFailed")
      .withArgs(await hostile.getAddress(), anyValue, anyValue, anyValue);
    expect(await vault.idle()).to.equal(idle);
    expect((await vault.adapterConfig(hostile)).value).to.equal(value);
  });
});

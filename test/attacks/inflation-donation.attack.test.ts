import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { USDC, emptyVault, oneAdapter, type VaultSystem } from "../helpers/fixtures";

const WEEK = 7 * 24 * 3600;

/** Each party walks away with everything the vault lets it redeem now. */
async function cashOut(system: VaultSystem, who: VaultSystem["alice"]): Promise<void> {
  const shares = await system.vault.maxRedeem(who);
  if (shares > 0n) await system.vault.connect(who).redeem(shares, who, who);
}

describe("attack › first-depositor inflation and donations", function () {
  it("first-depositor inflation by a donation to the vault: the attacker loses the donation, the victim at most one unit", async function () {
    const system = await loadFixture(emptyVault);
    const { vault, usdc, alice, attacker } = system;
    const attackerStart = await usdc.balanceOf(attacker);
    const aliceStart = await usdc.balanceOf(alice);

    await vault.connect(attacker).deposit(1n, attacker); // one base unit: the smallest share supply
    await usdc.connect(attacker).transfer(vault, 100_000n * USDC); // the classic inflation donation
    await vault.connect(alice).deposit(1_000n * USDC, alice);
    expect(await vault.balanceOf(alice), "the victim received shares").to.be.gt(0n);

    await cashOut(system, attacker);
    await cashOut(system, alice);
    const attackerProfit = (await usdc.balanceOf(attacker)) - attackerStart;
    const aliceLoss = aliceStart - (await usdc.balanceOf(alice));
    expect(attackerProfit, "the attacker's profit").to.be.lte(0n);
    expect(aliceLoss, "the victim's loss: rounding at most").to.be.lte(1n);
  });

  it("first-depositor inflation through the adapter: the NAV breaker quarantines it and books none of the donation", async function () {
    const system = await loadFixture(oneAdapter);
    const { vault, usdc, alice, attacker, keeper, adapters } = system;
    const adapter = adapters[0]!;
    const attackerStart = await usdc.balanceOf(attacker);
    const aliceStart = await usdc.balanceOf(alice);

    await vault.connect(attacker).deposit(1n, attacker);
    await vault.connect(keeper).rebalance();
    await usdc.connect(attacker).approve(adapter, 100_000n * USDC);
    await adapter.connect(attacker).donate(100_000n * USDC); // 10^11 times the position: beyond any bound
    await expect(vault.connect(keeper).report()).to.emit(vault, "AdapterQuarantined");
    expect(await vault.totalAssets(), "nothing of the donation is booked").to.equal(1n);
    await vault.connect(alice).deposit(1_000n * USDC, alice);

    await time.increase(WEEK);
    await cashOut(system, attacker);
    await cashOut(system, alice);
    const attackerProfit = (await usdc.balanceOf(attacker)) - attackerStart;
    const aliceLoss = aliceStart - (await usdc.balanceOf(alice));
    expect(attackerProfit, "the attacker's profit").to.be.lte(-100_000n * USDC);
    expect(aliceLoss, "the victim's loss: rounding at most").to.be.lte(1n);
  });

  it("a donation to an adapter within the NAV bound is a gain shared by all holders: the donor gets back less than it gave", async function () {
    const system = await loadFixture(oneAdapter);
    const { vault, usdc, alice, attacker, keeper, adapters } = system;
    const adapter = adapters[0]!;
    await vault.connect(alice).deposit(900_000n * USDC, alice);
    await vault.connect(attacker).deposit(100_000n * USDC, attacker); // a tenth of the vault
    await vault.connect(keeper).rebalance();
    const attackerStart = await usdc.balanceOf(attacker);
    const aliceValue = await vault.previewRedeem(await vault.balanceOf(alice));

    const donation = 9_000n * USDC; // 0.9 %: inside the 1 % breaker, so it is booked (and locked)
    await usdc.connect(attacker).approve(adapter, donation);
    await adapter.connect(attacker).donate(donation);
    await expect(vault.connect(keeper).report()).to.not.emit(vault, "AdapterQuarantined");
    expect(await vault.lockedProfit()).to.equal(donation);

    await time.increase(WEEK);
    await cashOut(system, attacker);
    const attackerProfit = (await usdc.balanceOf(attacker)) - attackerStart - 100_000n * USDC;
    expect(attackerProfit, "the donor recovers only its tenth of the donation").to.be.lte(
      -((donation * 9n) / 10n) + 1n,
    );
    expect(await vault.previewRedeem(await vault.balanceOf(alice)), "alice gained the rest").to.be.gte(
      aliceValue + (donation * 9n) / 10n - 1n,
    );
  });

  it("a donation to the vault by anyone changes neither totalAssets nor any holder's value", async function () {
    const system = await loadFixture(oneAdapter);
    const { vault, usdc, alice, bob, attacker, keeper } = system;
    await vault.connect(alice).deposit(1_000n * USDC, alice);
    await vault.connect(keeper).rebalance();
    const aliceValue = await vault.previewRedeem(await vault.balanceOf(alice));
    const totalBefore = await vault.totalAssets();

    await usdc.connect(attacker).transfer(vault, 50_000n * USDC);
    expect(await vault.totalAssets()).to.equal(totalBefore);
    expect(await vault.previewRedeem(await vault.balanceOf(alice))).to.equal(aliceValue);
    expect(await vault.connect(keeper).rebalance.staticCall(), "the donation is not allocated either").to.equal(0n);
    // A depositor arriving after the donation buys at the unchanged price.
    await vault.connect(bob).deposit(1_000n * USDC, bob);
    expect(await vault.previewRedeem(await vault.balanceOf(bob))).to.be.gte(1_000n * USDC - 1n);
  });

  it("a donation to an adapter just before a deposit cannot be used to mint the depositor fewer shares", async function () {
    const system = await loadFixture(oneAdapter);
    const { vault, usdc, alice, bob, attacker, keeper, adapters } = system;
    await vault.connect(alice).deposit(1_000n * USDC, alice);
    await vault.connect(keeper).rebalance();
    const priceBefore = await vault.convertToAssets(10n ** 18n);
    await usdc.connect(attacker).approve(adapters[0]!, 9n * USDC);
    await adapters[0]!.connect(attacker).donate(9n * USDC); // inside the breaker: booked
    await expect(vault.connect(keeper).report()).to.not.emit(vault, "AdapterQuarantined"); // recognised, locked
    expect(await vault.convertToAssets(10n ** 18n), "the price bob pays has not moved").to.equal(priceBefore);
    await vault.connect(bob).deposit(1_000n * USDC, bob);
    expect(await vault.previewRedeem(await vault.balanceOf(bob))).to.be.gte(1_000n * USDC - 1n);
  });
});

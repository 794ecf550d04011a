import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployReserveVault } from "../../src/deploy/vault";
import { USDC, actors, deploySystem, listAdapter } from "../helpers/fixtures";
import { ON_DEPOSIT, ON_SETTLE, ON_WITHDRAW } from "./block";
import { HookToken__factory, HookedHolder__factory, MaliciousAdapter__factory } from "../../typechain-types";

describe("attack › reentrancy", function () {
  /** A vault over a token with ERC-777-style transfer hooks, one sync adapter, and a hooked attacker. */
  async function hookedVault() {
    const who = await actors();
    const token = await new HookToken__factory(who.deployer).deploy();
    const { vault } = await deployReserveVault({ deployer: who.deployer, asset: token, admin: who.admin });
    await vault.connect(who.admin).grantRole(await vault.CURATOR_ROLE(), who.curator);
    await vault.connect(who.admin).grantRole(await vault.KEEPER_ROLE(), who.keeper);
    const holder = await new HookedHolder__factory(who.attacker).deploy(vault, token);
    await token.mint(holder, 1_000_000n * USDC);
    await token.mint(who.alice, 1_000_000n * USDC);
    await token.connect(who.alice).approve(vault, ethers.MaxUint256);
    await vault.connect(who.alice).deposit(100_000n * USDC, who.alice);
    return { ...who, token, vault, holder };
  }

  it("a token hook re-entering deposit() from inside deposit() is refused (ReentrancyGuardReentrantCall)", async function () {
    const { vault, holder } = await loadFixture(hookedVault);
    const deposit = vault.interface.encodeFunctionData("deposit", [1_000n * USDC, await holder.getAddress()]);
    await holder.arm(deposit, true, false); // re-enter when the vault pulls the attacker's tokens
    await expect(holder.act(deposit)).to.be.revertedWithCustomError(vault, "ReentrancyGuardReentrantCall");
    expect(await vault.balanceOf(holder)).to.equal(0n);
  });

  it("a token hook re-entering redeem() while receiving a withdrawal is refused, and a swallowed refusal changes nothing", async function () {
    const { vault, token, holder, alice } = await loadFixture(hookedVault);
    const self = await holder.getAddress();
    await holder.act(vault.interface.encodeFunctionData("deposit", [10_000n * USDC, self]));
    const shares = await vault.balanceOf(holder);
    const redeemHalf = vault.interface.encodeFunctionData("redeem", [shares / 2n, self, self]);
    await holder.arm(redeemHalf, false, false); // re-enter when the vault pays the attacker
    await expect(holder.act(redeemHalf)).to.be.revertedWithCustomError(vault, "ReentrancyGuardReentrantCall");

    const aliceValue = await vault.previewRedeem(await vault.balanceOf(alice));
    const tokensBefore = await token.balanceOf(holder);
    await holder.arm(redeemHalf, false, true); // the attacker swallows the refusal and keeps going
    await holder.act(redeemHalf);
    expect(await holder.attempted(), "the hook did try").to.equal(true);
    expect(await holder.reentered(), "and was refused").to.equal(false);
    expect(await vault.balanceOf(holder), "one half redeemed, once").to.equal(shares - shares / 2n);
    expect((await token.balanceOf(holder)) - tokensBefore, "paid for one half only").to.be.lte(5_000n * USDC);
    expect(await vault.previewRedeem(await vault.balanceOf(alice)), "alice untouched").to.be.gte(aliceValue);
    expect(await token.balanceOf(vault), "the vault holds its idle").to.be.gte(await vault.idle());
  });

  /** A vault with one hostile adapter that holds vault shares and is even granted the keeper role. */
  async function hostileAdapter() {
    const system = await deploySystem(0);
    const { vault, usdc, curator, admin, alice, keeper, deployer } = system;
    const adapter = await new MaliciousAdapter__factory(deployer).deploy(vault, usdc);
    await listAdapter(vault, curator, adapter, 5_000n);
    await vault.connect(curator).setWithdrawOrder([adapter]);
    await vault.connect(admin).grantRole(await vault.KEEPER_ROLE(), adapter); // the worst case
    await usdc.mint(adapter, 10_000n * USDC);
    await adapter.approveVault(ethers.MaxUint256);
    await vault.connect(alice).deposit(100_000n * USDC, alice);
    await vault.connect(keeper).rebalance();
    return { ...system, adapter };
  }

  const reentries: Array<[string, number, (v: Awaited<ReturnType<typeof hostileAdapter>>) => Promise<string>]> = [
    [
      "deposit() from its deposit",
      ON_DEPOSIT,
      async ({ vault, adapter }) =>
        vault.interface.encodeFunctionData("deposit", [1_000n * USDC, await adapter.getAddress()]),
    ],
    ["rebalance() from its deposit", ON_DEPOSIT, async ({ vault }) => vault.interface.encodeFunctionData("rebalance")],
    ["report() from its withdraw", ON_WITHDRAW, async ({ vault }) => vault.interface.encodeFunctionData("report")],
    [
      "settle() from its settle",
      ON_SETTLE,
      async ({ vault, adapter }) => vault.interface.encodeFunctionData("settle", [await adapter.getAddress()]),
    ],
  ];

  for (const [name, trigger, payload] of reentries) {
    it(`a malicious adapter re-entering ${name} is refused (ReentrancyGuardReentrantCall)`, async function () {
      const system = await loadFixture(hostileAdapter);
      const { vault, adapter, keeper, curator, alice } = system;
      await adapter.arm(trigger, await payload(system), false);
      const before = await vault.totalAssets();
      let attack;
      if (trigger === ON_DEPOSIT) {
        await vault.connect(curator).setTargetWeight(adapter, 8_000n);
        attack = vault.connect(keeper).rebalance();
      } else if (trigger === ON_WITHDRAW) {
        attack = vault.connect(alice).withdraw(90_000n * USDC, alice, alice); // needs the adapter's liquidity
      } else {
        attack = vault.connect(keeper).settle(adapter);
      }
      const refused = vault.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []);
      if (trigger === ON_DEPOSIT) {
        // A leg runs isolated: the refused re-entry fails that leg alone, with the refusal as reason.
        await expect(attack)
          .to.emit(vault, "LegFailed")
          .withArgs(await adapter.getAddress(), anyValue, anyValue, refused);
      } else if (trigger === ON_WITHDRAW) {
        // The draw on it fails with the refusal and, nothing else being able to pay, so does the withdrawal.
        await expect(attack).to.be.revertedWithCustomError(vault, "InsufficientLiquidity");
        const shares = await vault.connect(alice).withdraw.staticCall(1n, alice, alice);
        expect(shares, "a withdrawal idle covers is unaffected").to.be.gt(0n);
      } else {
        await expect(attack).to.be.revertedWithCustomError(vault, "ReentrancyGuardReentrantCall");
      }
      expect(await vault.totalAssets()).to.equal(before);
      expect(await vault.balanceOf(adapter), "no shares for the adapter").to.equal(0n);
    });
  }
});

import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HookToken__factory, HookedHolder__factory, RedeemQueue__factory } from "../../typechain-types";
import { deployReserveVault } from "../../src/deploy/vault";
import { USDC, actors, oneAdapter } from "../helpers/fixtures";

const DAY = 86_400n;
const MIN_REQUEST = 100n * USDC;

/** One liquid-on-demand mock adapter holding everything; alice, bob and the attacker hold shares and
 * have approved the queue; the adapter is illiquid until a test opens it. */
async function contested() {
  const system = await oneAdapter();
  const { vault, alice, bob, attacker, keeper, deployer, adapters } = system;
  const queue = await new RedeemQueue__factory(deployer).deploy(vault, MIN_REQUEST, 3n * DAY);
  await vault.connect(system.curator).setRedeemQueue(queue);
  for (const user of [alice, bob, attacker]) {
    await vault.connect(user).deposit(100_000n * USDC, user);
    await vault.connect(user).approve(queue, ethers.MaxUint256);
  }
  await vault.connect(keeper).rebalance();
  const adapter = adapters[0]!;
  await adapter.setLimits(0n, ethers.MaxUint256, 0n);
  const liquid = (assets: bigint) => adapter.setLimits(assets, ethers.MaxUint256, 0n);
  return { ...system, queue, adapter, liquid };
}

describe("attack › the redemption queue", function () {
  it("queue jumping: a later request is not served while an earlier one waits; cancelling and requesting again goes to the back", async function () {
    const { queue, vault, alice, bob, attacker, liquid } = await loadFixture(contested);
    await queue.connect(alice).requestRedeem(await vault.balanceOf(alice), alice, alice);
    await queue.connect(attacker).requestRedeem(await vault.balanceOf(attacker), attacker, attacker);
    await liquid(50_000n * USDC);
    await queue.connect(attacker).fulfil(100n); // the attacker fulfils, hoping to be served
    expect(await queue.claimableRedeemRequest(0, attacker)).to.equal(0n);
    expect(await queue.maxWithdraw(alice)).to.be.closeTo(50_000n * USDC, 1n);

    // bob queues behind the attacker; the attacker cancels and comes back, now behind bob.
    await queue.connect(bob).requestRedeem(await vault.balanceOf(bob), bob, bob);
    await time.increase(DAY);
    await queue.connect(attacker).cancelRedeemRequest(0, attacker);
    await queue.connect(attacker).claimCancelRedeemRequest(0, attacker, attacker);
    await queue.connect(attacker).requestRedeem(await vault.balanceOf(attacker), attacker, attacker);
    await liquid(150_000n * USDC); // alice's other half and bob's whole claim
    await queue.connect(attacker).fulfil(100n);
    expect(await queue.pendingRedeemRequest(0, alice)).to.equal(0n);
    expect(await queue.pendingRedeemRequest(0, bob)).to.equal(0n);
    expect(await queue.claimableRedeemRequest(0, attacker), "still behind bob").to.equal(0n);
  });

  it("a request cannot be withdrawn at once to block others' exits or force sales for the cost of gas", async function () {
    const { queue, vault, bob, attacker, liquid, keeper } = await loadFixture(contested);
    await liquid(150_000n * USDC);
    expect(await vault.maxWithdraw(bob)).to.equal(100_000n * USDC);
    // The attacker queues a large exit: queued exits come first, so bob's instant exit shrinks…
    await queue.connect(attacker).requestRedeem(await vault.balanceOf(attacker), attacker, attacker);
    expect(await vault.maxWithdraw(bob)).to.be.lt(100_000n * USDC);
    // …and the attacker cannot take it back in the same breath: the request stands for a day,
    await expect(queue.connect(attacker).cancelRedeemRequest(0, attacker)).to.be.revertedWithCustomError(
      queue,
      "CancelTooEarly",
    );
    // during which it is served if liquidity allows: the attacker has really left.
    await queue.connect(keeper).fulfil(10n);
    expect(await queue.pendingRedeemRequest(0, attacker)).to.equal(0n);
    expect(await vault.balanceOf(attacker)).to.equal(0n);
    expect(await vault.maxWithdraw(bob), "with the queue served, bob's instant exit is whole again").to.equal(
      100_000n * USDC,
    );
  });

  it("a stranger restarting a holder's wait to cancel pays at least the minimum request each time, which becomes the holder's", async function () {
    const { queue, vault, usdc, alice } = await loadFixture(contested);
    const stranger = (await ethers.getSigners())[8]!;
    await usdc.mint(stranger, 1_000n * USDC);
    await usdc.connect(stranger).approve(vault, ethers.MaxUint256);
    await vault.connect(stranger).approve(queue, ethers.MaxUint256);
    await queue.connect(alice).requestRedeem(await vault.balanceOf(alice), alice, alice);
    await time.increase(DAY);
    // One base unit deposited and requested whole, naming alice: the whole-balance exemption is the
    // owner's own, so this is refused…
    await vault.connect(stranger).deposit(1n, stranger);
    const dust = await vault.balanceOf(stranger);
    await expect(queue.connect(stranger).requestRedeem(dust, alice, stranger))
      .to.be.revertedWithCustomError(queue, "RequestTooSmall")
      .withArgs(await vault.convertToAssets(dust), MIN_REQUEST);
    // …while the owner may still leave its own dust,
    await queue.connect(stranger).requestRedeem(dust, stranger, stranger);
    // and alice, untouched, may cancel.
    await queue.connect(alice).cancelRedeemRequest.staticCall(0, alice);
    // A reset costs the stranger the minimum request, which alice then owns.
    await vault.connect(stranger).deposit(MIN_REQUEST, stranger);
    const minimum = await vault.balanceOf(stranger);
    await queue.connect(stranger).requestRedeem(minimum, alice, stranger);
    await expect(queue.connect(alice).cancelRedeemRequest(0, alice)).to.be.revertedWithCustomError(
      queue,
      "CancelTooEarly",
    );
    await time.increase(DAY);
    const pending = await queue.pendingRedeemRequest(0, alice);
    await queue.connect(alice).cancelRedeemRequest(0, alice);
    expect(await queue.claimableCancelRedeemRequest(0, alice), "the stranger's shares are alice's").to.equal(pending);
    expect(await vault.balanceOf(stranger), "and the stranger's are gone").to.equal(0n);
  });

  it("a sandwich of a fulfilment: depositing before and redeeming after gains nothing", async function () {
    const { queue, vault, usdc, alice, attacker, keeper, liquid } = await loadFixture(contested);
    await queue.connect(alice).requestRedeem(await vault.balanceOf(alice), alice, alice);
    await liquid(10_000_000n * USDC);
    const cashBefore = await usdc.balanceOf(attacker);
    const sharesBefore = await vault.balanceOf(attacker);
    await vault.connect(attacker).deposit(500_000n * USDC, attacker);
    await vault.connect(keeper).rebalance();
    await queue.connect(keeper).fulfil(100n);
    await vault.connect(attacker).redeem((await vault.balanceOf(attacker)) - sharesBefore, attacker, attacker);
    expect(await usdc.balanceOf(attacker), "no profit, at most rounding lost").to.be.within(
      cashBefore - 2n,
      cashBefore,
    );
  });

  it("a requester front-running a known loss still bears it: the price is the one at fulfilment", async function () {
    const { queue, vault, alice, bob, keeper, guardian, adapter, liquid } = await loadFixture(contested);
    const bobValueBefore = await vault.convertToAssets(await vault.balanceOf(bob));
    await queue.connect(alice).requestRedeem(await vault.balanceOf(alice), alice, alice);
    const aliceValueAtRequest = await queue.pendingAssets();
    await adapter.moveNav(-30_000n * USDC); // a 10 % loss of the 300k the vault holds
    await vault.connect(keeper).report(); // beyond the breaker: quarantined, no exit meanwhile
    expect(await queue.connect(keeper).fulfil.staticCall(100n)).to.deep.equal([0n, 0n, 0n]);
    await vault.connect(guardian).liftQuarantine(adapter, ethers.MaxUint256); // the guardian books the loss
    await liquid(10_000_000n * USDC);
    await queue.connect(keeper).fulfil(100n);
    const aliceGot = await queue.maxWithdraw(alice);
    const bobValueAfter = await vault.convertToAssets(await vault.balanceOf(bob));
    expect(aliceGot, "alice lost her 10 %").to.be.closeTo((aliceValueAtRequest * 9n) / 10n, 2n);
    expect(bobValueAfter, "bob lost his 10 %, no more").to.be.closeTo((bobValueBefore * 9n) / 10n, 2n);
  });

  it("a keeper that never fulfils holds nobody hostage: anyone serves the head once liquidity exists", async function () {
    const { queue, vault, alice, bob, liquid } = await loadFixture(contested);
    await queue.connect(alice).requestRedeem(await vault.balanceOf(alice), alice, alice);
    await liquid(10_000_000n * USDC);
    await queue.connect(bob).fulfil(1n); // a stranger
    await queue.connect(alice).redeem(await queue.maxRedeem(alice), alice, alice);
    expect(await queue.reservedAssets()).to.equal(0n);
  });

  it("dust requests cannot make a fulfilment's gas grow with the queue; the minimum makes dust cost its value", async function () {
    const { queue, vault, alice, attacker, liquid } = await loadFixture(contested);
    const gasToServeTen = async (behind: number) => {
      const snapshot = await ethers.provider.send("evm_snapshot", []);
      const each = await vault.convertToShares(MIN_REQUEST);
      for (let i = 0; i < 10 + behind; i++) await queue.connect(attacker).requestRedeem(each, attacker, attacker);
      await liquid(10_000_000n * USDC);
      const receipt = await (await queue.connect(alice).fulfil(10n)).wait();
      await ethers.provider.send("evm_revert", [snapshot]);
      return receipt!.gasUsed;
    };
    const short = await gasToServeTen(0);
    const long = await gasToServeTen(90);
    expect(long, "serving 10 behind 90 more costs what serving 10 alone does").to.be.lte((short * 102n) / 100n);
    await expect(queue.connect(attacker).requestRedeem(1n, attacker, attacker)).to.be.revertedWithCustomError(
      queue,
      "RequestTooSmall",
    );
  });

  /** A vault over a token with transfer hooks, its queue, and a hooked holder that controls a fulfilled
   * request (alice requested for it): claiming pays it, and its hook re-enters the queue. */
  async function hookedQueue() {
    const who = await actors();
    const token = await new HookToken__factory(who.deployer).deploy();
    const { vault } = await deployReserveVault({ deployer: who.deployer, asset: token, admin: who.admin });
    await vault.connect(who.admin).grantRole(await vault.CURATOR_ROLE(), who.curator);
    const queue = await new RedeemQueue__factory(who.deployer).deploy(vault, 0n, DAY);
    await vault.connect(who.curator).setRedeemQueue(queue);
    const holder = await new HookedHolder__factory(who.attacker).deploy(queue, token);
    await token.mint(holder, 1_000n * USDC);
    await token.mint(who.alice, 1_000_000n * USDC);
    await token.connect(who.alice).approve(vault, ethers.MaxUint256);
    await vault.connect(who.alice).deposit(100_000n * USDC, who.alice);
    await vault.connect(who.alice).approve(queue, ethers.MaxUint256);
    await queue.connect(who.alice).requestRedeem((await vault.balanceOf(who.alice)) / 2n, holder, who.alice);
    await queue.connect(who.alice).fulfil(10n);
    await queue.connect(who.alice).requestRedeem((await vault.balanceOf(who.alice)) / 2n, holder, who.alice);
    return { ...who, token, vault, queue, holder };
  }

  for (const [name, payload] of [
    ["fulfil", () => RedeemQueue__factory.createInterface().encodeFunctionData("fulfil", [1n])],
    ["redeem", (h: string) => RedeemQueue__factory.createInterface().encodeFunctionData("redeem", [1n, h, h])],
    ["withdraw", (h: string) => RedeemQueue__factory.createInterface().encodeFunctionData("withdraw", [1n, h, h])],
    [
      "requestRedeem",
      (h: string) => RedeemQueue__factory.createInterface().encodeFunctionData("requestRedeem", [1n, h, h]),
    ],
    [
      "cancelRedeemRequest",
      (h: string) => RedeemQueue__factory.createInterface().encodeFunctionData("cancelRedeemRequest", [0n, h]),
    ],
    [
      "claimCancelRedeemRequest",
      (h: string) => RedeemQueue__factory.createInterface().encodeFunctionData("claimCancelRedeemRequest", [0n, h, h]),
    ],
    ["deposit", (h: string) => RedeemQueue__factory.createInterface().encodeFunctionData("deposit", [1n, h])],
    ["mint", (h: string) => RedeemQueue__factory.createInterface().encodeFunctionData("mint", [1n, h])],
  ] as const) {
    it(`a token hook re-entering ${name}() while a claim pays it is refused (ReentrancyGuardReentrantCall)`, async function () {
      const { queue, holder, token } = await loadFixture(hookedQueue);
      const self = await holder.getAddress();
      const claimable = await queue.maxRedeem(self);
      expect(claimable).to.be.gt(0n);
      await holder.arm(payload(self), false, false); // strike when the claim's tokens arrive
      const claim = queue.interface.encodeFunctionData("redeem", [claimable, self, self]);
      await expect(holder.act(claim)).to.be.revertedWithCustomError(queue, "ReentrancyGuardReentrantCall");
      expect(await queue.maxRedeem(self), "nothing was claimed").to.equal(claimable);
      expect(await token.balanceOf(queue)).to.be.gte(await queue.reservedAssets());
    });
  }
});

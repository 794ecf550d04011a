import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { RedeemQueue__factory, type RedeemQueue } from "../../../typechain-types";
import { USDC, oneAdapter, type VaultSystem } from "../../helpers/fixtures";

const HOUR = 3_600n;
const DAY = 24n * HOUR;
const MIN_REQUEST = 100n * USDC;

interface QueueSystem extends VaultSystem {
  queue: RedeemQueue;
  /** Vault shares of each user after the deposits. */
  sharesOf: (who: string) => Promise<bigint>;
}

/**
 * One mock adapter at 100 % weight with no buffer: after the rebalance nothing is idle, and the
 * adapter's instant liquidity (set per test with `liquid`) is all an exit can draw on. Alice and bob
 * hold 100,000 USDC of shares each and have approved the queue.
 */
async function queued(): Promise<QueueSystem> {
  const system = await oneAdapter();
  const { vault, alice, bob, keeper, deployer, adapters } = system;
  const queue = await new RedeemQueue__factory(deployer).deploy(vault, MIN_REQUEST, 3n * DAY);
  await vault.connect(system.curator).setRedeemQueue(queue);
  for (const user of [alice, bob]) {
    await vault.connect(user).deposit(100_000n * USDC, user);
    await vault.connect(user).approve(queue, ethers.MaxUint256);
  }
  await vault.connect(keeper).rebalance();
  await adapters[0]!.setLimits(0n, ethers.MaxUint256, 0n); // illiquid until a test says otherwise
  return { ...system, queue, sharesOf: (who: string) => vault.balanceOf(who) };
}

/** Makes the adapter's instant liquidity `assets`. */
async function liquid(system: QueueSystem, assets: bigint): Promise<void> {
  await system.adapters[0]!.setLimits(assets, ethers.MaxUint256, 0n);
}

describe("RedeemQueue › ERC-7540 asynchronous redemptions of the vault's shares", function () {
  describe("construction and ERC-165", function () {
    it("reverts with MaxQueueAgeTooShort below an hour; one hour is accepted", async function () {
      const { vault, deployer, queue } = await loadFixture(queued);
      const factory = new RedeemQueue__factory(deployer);
      await expect(factory.deploy(vault, 0n, HOUR - 1n))
        .to.be.revertedWithCustomError(queue, "MaxQueueAgeTooShort")
        .withArgs(HOUR - 1n, HOUR);
      await factory.deploy(vault, 0n, HOUR);
    });

    it("names the vault as its share (ERC-7575) and the vault's asset", async function () {
      const { vault, usdc, queue } = await loadFixture(queued);
      expect(await queue.share()).to.equal(await vault.getAddress());
      expect(await queue.asset()).to.equal(await usdc.getAddress());
      expect(await queue.totalAssets()).to.equal(await vault.totalAssets());
      expect(await queue.convertToShares(USDC)).to.equal(await vault.convertToShares(USDC));
      expect(await queue.convertToAssets(10n ** 18n)).to.equal(await vault.convertToAssets(10n ** 18n));
    });

    it("supports ERC-165, the ERC-7540 operator and async-redeem ids, ERC-7575 and ERC-7887's redeem cancel", async function () {
      const { queue } = await loadFixture(queued);
      const xor = (...signatures: string[]) =>
        `0x${signatures
          .map((s) => BigInt(ethers.id(s).slice(0, 10)))
          .reduce((a, b) => a ^ b, 0n)
          .toString(16)
          .padStart(8, "0")}`;
      expect(xor("setOperator(address,bool)", "isOperator(address,address)")).to.equal("0xe3bc4e65");
      expect(
        xor(
          "requestRedeem(uint256,address,address)",
          "pendingRedeemRequest(uint256,address)",
          "claimableRedeemRequest(uint256,address)",
        ),
      ).to.equal("0x620ee8e4");
      const cancel = xor(
        "cancelRedeemRequest(uint256,address)",
        "pendingCancelRedeemRequest(uint256,address)",
        "claimableCancelRedeemRequest(uint256,address)",
        "claimCancelRedeemRequest(uint256,address,address)",
      );
      for (const id of ["0x01ffc9a7", "0xe3bc4e65", "0x620ee8e4", "0x2f0a18c5", cancel]) {
        expect(await queue.supportsInterface(id), id).to.equal(true);
      }
      expect(await queue.supportsInterface("0xce3bbe50"), "deposits are synchronous").to.equal(false);
      expect(await queue.supportsInterface("0xffffffff")).to.equal(false);
    });

    it("ERC-7575 from the share's side: the vault names this queue for its asset, and says it is a 7575 share", async function () {
      const { queue, vault, usdc, attacker } = await loadFixture(queued);
      expect(await vault.vault(usdc)).to.equal(await queue.getAddress());
      expect(await vault.vault(attacker.address), "no vault for another asset").to.equal(ethers.ZeroAddress);
      expect(await vault.supportsInterface("0xf815c03d")).to.equal(true);
      expect(await vault.supportsInterface("0x7965db0b"), "still AccessControl").to.equal(true);
      // A vault with no queue is its own entry point.
      const bare = await loadFixture(oneAdapter);
      expect(await bare.vault.vault(bare.usdc)).to.equal(await bare.vault.getAddress());
    });

    it("answers 0 for request ids it never issues; cancel and claim refuse them", async function () {
      const { queue, vault, alice } = await loadFixture(queued);
      await queue.connect(alice).requestRedeem(await vault.balanceOf(alice), alice, alice);
      expect(await queue.pendingRedeemRequest(0n, alice)).to.be.gt(0n);
      expect(await queue.pendingRedeemRequest(1n, alice)).to.equal(0n);
      expect(await queue.claimableRedeemRequest(7n, alice)).to.equal(0n);
      await expect(queue.connect(alice).cancelRedeemRequest(1n, alice))
        .to.be.revertedWithCustomError(queue, "UnknownRequest")
        .withArgs(1n);
    });

    it("a caller holding only an ERC-20 allowance over the owner's shares may not request for it (NotControllerOrOperator)", async function () {
      const { queue, vault, alice, attacker } = await loadFixture(queued);
      await vault.connect(alice).approve(attacker, ethers.MaxUint256);
      await expect(queue.connect(attacker).requestRedeem(await vault.balanceOf(alice), attacker, alice))
        .to.be.revertedWithCustomError(queue, "NotControllerOrOperator")
        .withArgs(attacker.address, alice.address);
    });
  });

  describe("requestRedeem", function () {
    it("reverts with ZeroAmount for zero shares", async function () {
      const { queue, alice } = await loadFixture(queued);
      await expect(queue.connect(alice).requestRedeem(0n, alice, alice)).to.be.revertedWithCustomError(
        queue,
        "ZeroAmount",
      );
    });

    it("reverts with NotControllerOrOperator when the caller is not the owner or its operator", async function () {
      const { queue, alice, attacker } = await loadFixture(queued);
      await expect(queue.connect(attacker).requestRedeem(10n ** 18n, attacker, alice))
        .to.be.revertedWithCustomError(queue, "NotControllerOrOperator")
        .withArgs(attacker.address, alice.address);
    });

    it("reverts with RequestTooSmall below the minimum unless it is the owner's whole balance", async function () {
      const { queue, vault, alice, bob, sharesOf } = await loadFixture(queued);
      const justBelow = (await vault.convertToShares(MIN_REQUEST)) - 10n ** 12n;
      await expect(queue.connect(alice).requestRedeem(justBelow, alice, alice))
        .to.be.revertedWithCustomError(queue, "RequestTooSmall")
        .withArgs(await vault.convertToAssets(justBelow), MIN_REQUEST);
      await queue.connect(alice).requestRedeem(await vault.convertToShares(MIN_REQUEST), alice, alice); // at the minimum
      // bob keeps dust only: his whole balance may always leave
      await vault.connect(bob).transfer(alice, (await sharesOf(bob.address)) - justBelow);
      await queue.connect(bob).requestRedeem(justBelow, bob, bob);
      expect(await queue.pendingRedeemRequest(0, bob)).to.equal(justBelow);
    });

    it("takes the shares into escrow, emits RedeemRequest with id 0, and aggregates a controller's requests", async function () {
      const { queue, vault, alice, bob, sharesOf } = await loadFixture(queued);
      const shares = (await sharesOf(alice.address)) / 4n;
      await expect(queue.connect(alice).requestRedeem(shares, bob, alice))
        .to.emit(queue, "RedeemRequest")
        .withArgs(bob.address, alice.address, 0n, alice.address, shares);
      await queue.connect(alice).requestRedeem(shares, bob, alice);
      expect(await vault.balanceOf(queue)).to.equal(2n * shares);
      expect(await queue.pendingRedeemRequest(0, bob), "the controller's, not the owner's").to.equal(2n * shares);
      expect(await queue.pendingRedeemRequest(0, alice)).to.equal(0n);
      expect(await queue.claimableRedeemRequest(0, bob)).to.equal(0n);
      expect(await queue.queueLength()).to.equal(2n);
      expect(await queue.pendingShares()).to.equal(2n * shares);
      expect(await queue.pendingAssets(), "their value, rounded up").to.equal(await vault.previewMint(2n * shares));
      expect(await queue.oldestRequestAt()).to.equal(BigInt(await time.latest()) - 1n);
    });

    it("keeps a controller's shares pending and claimable within 128 bits, so serving it can never stop the queue", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, usdc, deployer, alice } = system;
      const MAX = 2n ** 128n - 1n;
      // A holder of more than 2^128 shares (about 3.4 × 10^20 USDC at the vault's 10^12 shares per unit).
      const whale = deployer;
      const assets = 2n ** 128n / 10n ** 12n + 10n ** 6n;
      await usdc.mint(whale, assets);
      await usdc.connect(whale).approve(vault, assets);
      await vault.connect(whale).deposit(assets, whale);
      await vault.connect(whale).approve(queue, ethers.MaxUint256);
      const held = await vault.balanceOf(whale);
      expect(held).to.be.greaterThan(2n ** 128n);
      await expect(queue.connect(whale).requestRedeem(held, whale, whale))
        .to.be.revertedWithCustomError(queue, "TooManySharesOutstanding")
        .withArgs(whale.address, held, MAX);

      // Served and left unclaimed, the shares still count: a request that would take the sum past the
      // bound is refused, one that reaches it is taken, and the queue goes on serving everyone.
      const rest = 10n ** 21n; // 1,000 USDC of shares, above the minimum request
      const first = MAX - rest;
      await queue.connect(whale).requestRedeem(first, whale, whale);
      await queue.fulfil(1n); // the whale's deposit sits idle: it is served whole
      expect(await queue.claimableRedeemRequest(0, whale)).to.equal(first);
      await expect(queue.connect(whale).requestRedeem(rest + 1n, whale, whale))
        .to.be.revertedWithCustomError(queue, "TooManySharesOutstanding")
        .withArgs(whale.address, MAX + 1n, MAX);
      await queue.connect(whale).requestRedeem(rest, whale, whale);
      const shares = await vault.convertToShares(1_000n * USDC);
      await queue.connect(alice).requestRedeem(shares, alice, alice);
      await liquid(system, 10n ** 30n);
      await queue.fulfil(10n);
      expect(await queue.claimableRedeemRequest(0, whale)).to.equal(MAX);
      expect(await queue.claimableRedeemRequest(0, alice)).to.equal(shares);
      expect(await queue.pendingShares()).to.equal(0n);
    });

    it("lets an operator request for the owner, with the owner's allowance to the queue", async function () {
      const { queue, alice, bob, sharesOf } = await loadFixture(queued);
      await expect(queue.connect(alice).setOperator(bob, true))
        .to.emit(queue, "OperatorSet")
        .withArgs(alice.address, bob.address, true);
      expect(await queue.isOperator(alice, bob)).to.equal(true);
      const shares = (await sharesOf(alice.address)) / 2n;
      await expect(queue.connect(bob).requestRedeem(shares, alice, alice))
        .to.emit(queue, "RedeemRequest")
        .withArgs(alice.address, alice.address, 0n, bob.address, shares);
      await queue.connect(alice).setOperator(bob, false);
      await expect(queue.connect(bob).requestRedeem(shares, alice, alice)).to.be.revertedWithCustomError(
        queue,
        "NotControllerOrOperator",
      );
    });

    it("reverts with OperatorIsSelf when a controller names itself", async function () {
      const { queue, alice } = await loadFixture(queued);
      await expect(queue.connect(alice).setOperator(alice, true))
        .to.be.revertedWithCustomError(queue, "OperatorIsSelf")
        .withArgs(alice.address);
    });
  });

  describe("fulfil", function () {
    it("does nothing while the vault has no liquidity; anyone may call it", async function () {
      const { queue, alice, attacker, sharesOf } = await loadFixture(queued);
      await queue.connect(alice).requestRedeem(await sharesOf(alice.address), alice, alice);
      const result = await queue.connect(attacker).fulfil.staticCall(10n);
      expect([result.served, result.shares, result.assets]).to.deep.equal([0n, 0n, 0n]);
      await queue.connect(attacker).fulfil(10n);
      expect(await queue.claimableRedeemRequest(0, alice)).to.equal(0n);
    });

    it("serves requests in order at the vault's price, and the assets leave the vault's totalAssets", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, usdc, alice, bob, attacker, sharesOf } = system;
      const aliceShares = await sharesOf(alice.address);
      await queue.connect(alice).requestRedeem(aliceShares, alice, alice);
      await queue.connect(bob).requestRedeem((await sharesOf(bob.address)) / 2n, bob, bob);
      await liquid(system, 60_000n * USDC); // alice's 100k waits for more
      await queue.connect(attacker).fulfil(10n);
      expect(await queue.claimableRedeemRequest(0, bob), "bob is behind alice").to.equal(0n);
      const partial = await queue.claimableRedeemRequest(0, alice);
      expect(partial, "the head is served in part").to.be.gt(0n);
      expect(await queue.pendingRedeemRequest(0, alice)).to.equal(aliceShares - partial);
      const reserved = await queue.maxWithdraw(alice);
      expect(reserved).to.be.closeTo(60_000n * USDC, 1n);
      expect(await queue.reservedAssets()).to.equal(reserved);
      expect(await usdc.balanceOf(queue), "held by the queue").to.equal(reserved);

      const totalBefore = await vault.totalAssets();
      const priceBefore = await vault.convertToAssets(10n ** 18n);
      await liquid(system, 1_000_000n * USDC);
      const pendingShares = await queue.pendingShares();
      const worth = await vault.convertToAssets(pendingShares);
      // One event for the batch: requests served, shares redeemed, assets paid and the exit cost (none here).
      await expect(queue.connect(attacker).fulfil(10n))
        .to.emit(queue, "RedeemFulfilled")
        .and.to.emit(queue, "RedeemBatchFulfilled")
        .withArgs(attacker.address, 2n, pendingShares, worth, 0n);
      expect(await queue.pendingRedeemRequest(0, alice)).to.equal(0n);
      expect(await queue.pendingRedeemRequest(0, bob)).to.equal(0n);
      expect(await queue.queueLength()).to.equal(0n);
      expect(await queue.oldestRequestAt()).to.equal(0n);
      const out = (await queue.reservedAssets()) - reserved;
      expect(await vault.totalAssets(), "what was set aside left the vault").to.equal(totalBefore - out);
      expect(await vault.convertToAssets(10n ** 18n), "the price of those who stay does not fall").to.be.gte(
        priceBefore,
      );
    });

    it("serves at most maxRequests per call, cancelled ones counted, whatever the queue's length", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, alice, attacker } = system;
      const each = await vault.convertToShares(MIN_REQUEST);
      for (let i = 0; i < 5; i++) await queue.connect(alice).requestRedeem(each, alice, alice);
      await liquid(system, 1_000_000n * USDC);
      const [served] = await queue.connect(attacker).fulfil.staticCall(2n);
      expect(served).to.equal(2n);
      await queue.connect(attacker).fulfil(2n);
      expect(await queue.queueLength()).to.equal(3n);
      await queue.connect(attacker).fulfil(0n); // nothing
      expect(await queue.queueLength()).to.equal(3n);
      await queue.connect(attacker).fulfil(100n);
      expect(await queue.queueLength()).to.equal(0n);
      expect(await queue.claimableRedeemRequest(0, alice)).to.equal(5n * each);
    });

    it("stops at maxRequests even when the next request is a cancelled one, and passes over it next time", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, alice, bob, attacker } = system;
      const each = await vault.convertToShares(MIN_REQUEST);
      await queue.connect(alice).requestRedeem(each, alice, alice);
      await queue.connect(bob).requestRedeem(each, bob, bob);
      await queue.connect(alice).requestRedeem(each, alice, alice);
      await time.increase(DAY);
      await queue.connect(bob).cancelRedeemRequest(0, bob);
      expect(await queue.pendingAssets()).to.equal(await vault.previewMint(2n * each));
      await liquid(system, 1_000_000n * USDC);
      await queue.connect(attacker).fulfil(1n); // alice's first; bob's cancelled one is next
      expect(await queue.queueLength()).to.equal(2n);
      await queue.connect(attacker).fulfil(2n);
      expect(await queue.queueLength()).to.equal(0n);
      expect(await queue.claimableRedeemRequest(0, alice)).to.equal(2n * each);
      expect(await queue.claimableRedeemRequest(0, bob)).to.equal(0n);
      expect(await queue.pendingAssets(), "nothing pending: zero, not a conversion of zero").to.equal(0n);
    });

    it("pays each request of one call its pro-rata part of one redemption, rounded down", async function () {
      const system = await loadFixture(queued);
      const { queue, alice, bob, sharesOf, attacker } = system;
      const a = (await sharesOf(alice.address)) / 3n + 7n;
      const b = (await sharesOf(bob.address)) / 7n + 3n;
      await queue.connect(alice).requestRedeem(a, alice, alice);
      await queue.connect(bob).requestRedeem(b, bob, bob);
      await liquid(system, 1_000_000n * USDC);
      const [, shares, assets] = await queue.connect(attacker).fulfil.staticCall(10n);
      await queue.connect(attacker).fulfil(10n);
      expect(shares).to.equal(a + b);
      expect(await queue.maxWithdraw(alice)).to.equal((assets * a) / (a + b));
      expect(await queue.maxWithdraw(bob)).to.equal((assets * b) / (a + b));
      expect((await queue.maxWithdraw(alice)) + (await queue.maxWithdraw(bob))).to.be.lte(assets);
    });
  });

  describe("claims: redeem and withdraw with controller semantics", function () {
    async function claimable() {
      const system = await queued();
      const { queue, alice, sharesOf, attacker } = system;
      await queue.connect(alice).requestRedeem(await sharesOf(alice.address), alice, alice);
      await liquid(system, 1_000_000n * USDC);
      await queue.connect(attacker).fulfil(10n);
      return system;
    }

    it("previews revert (ERC-7540), max* read the claimable amounts", async function () {
      const { queue, alice } = await loadFixture(claimable);
      await expect(queue.previewRedeem(1n)).to.be.revertedWithCustomError(queue, "AsyncRedeem");
      await expect(queue.previewWithdraw(1n)).to.be.revertedWithCustomError(queue, "AsyncRedeem");
      expect(await queue.maxRedeem(alice)).to.equal(await queue.claimableRedeemRequest(0, alice));
      expect(await queue.maxWithdraw(alice)).to.equal(await queue.reservedAssets());
    });

    it("refuses strangers, zero and more than claimable", async function () {
      const { queue, alice, attacker } = await loadFixture(claimable);
      await expect(queue.connect(attacker).redeem(1n, attacker, alice))
        .to.be.revertedWithCustomError(queue, "NotControllerOrOperator")
        .withArgs(attacker.address, alice.address);
      await expect(queue.connect(attacker).withdraw(1n, attacker, alice)).to.be.revertedWithCustomError(
        queue,
        "NotControllerOrOperator",
      );
      await expect(queue.connect(alice).redeem(0n, alice, alice)).to.be.revertedWithCustomError(queue, "ZeroAmount");
      await expect(queue.connect(alice).withdraw(0n, alice, alice)).to.be.revertedWithCustomError(queue, "ZeroAmount");
      const shares = await queue.maxRedeem(alice);
      const assets = await queue.maxWithdraw(alice);
      await expect(queue.connect(alice).redeem(shares + 1n, alice, alice))
        .to.be.revertedWithCustomError(queue, "ExceedsClaimable")
        .withArgs(shares + 1n, shares);
      await expect(queue.connect(alice).withdraw(assets + 1n, alice, alice))
        .to.be.revertedWithCustomError(queue, "ExceedsClaimable")
        .withArgs(assets + 1n, assets);
    });

    it("partial claims pay pro rata (redeem rounds assets down, withdraw rounds shares up); the last claim takes the rest", async function () {
      const { queue, usdc, alice, bob } = await loadFixture(claimable);
      const shares = await queue.maxRedeem(alice);
      const assets = await queue.maxWithdraw(alice);
      const third = shares / 3n;
      const before = await usdc.balanceOf(bob);
      await expect(queue.connect(alice).redeem(third, bob, alice))
        .to.emit(queue, "Withdraw")
        .withArgs(alice.address, bob.address, alice.address, (assets * third) / shares, third);
      expect((await usdc.balanceOf(bob)) - before).to.equal((assets * third) / shares);

      const leftShares = await queue.maxRedeem(alice);
      const leftAssets = await queue.maxWithdraw(alice);
      const ask = leftAssets / 2n;
      const used = await queue.connect(alice).withdraw.staticCall(ask, alice, alice);
      expect(used).to.equal((leftShares * ask + leftAssets - 1n) / leftAssets);
      await queue.connect(alice).withdraw(ask, alice, alice);
      await queue.connect(alice).withdraw(await queue.maxWithdraw(alice), alice, alice);
      expect(await queue.maxRedeem(alice)).to.equal(0n);
      expect(await queue.reservedAssets()).to.equal(0n);
    });

    it("an operator claims for its controller, to any receiver", async function () {
      const { queue, usdc, alice, bob, attacker } = await loadFixture(claimable);
      await queue.connect(alice).setOperator(bob, true);
      const assets = await queue.maxWithdraw(alice);
      const before = await usdc.balanceOf(attacker);
      await queue.connect(bob).redeem(await queue.maxRedeem(alice), attacker, alice);
      expect((await usdc.balanceOf(attacker)) - before).to.equal(assets);
    });
  });

  describe("cancellation (ERC-7887, synchronous)", function () {
    it("returns a controller's pending shares; fulfilment passes over the cancelled requests", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, alice, bob, attacker, sharesOf } = system;
      const aliceShares = await sharesOf(alice.address);
      await queue.connect(alice).requestRedeem(aliceShares / 2n, alice, alice);
      const bobShares = (await sharesOf(bob.address)) / 2n;
      await queue.connect(bob).requestRedeem(bobShares, bob, bob);
      await queue.connect(alice).requestRedeem(aliceShares / 4n, alice, alice);
      // A request stands for a day after the controller's latest one: not before, exactly then.
      const allowedAt = BigInt(await time.latest()) + DAY; // alice's latest request was just mined
      await expect(queue.connect(alice).cancelRedeemRequest(0, alice))
        .to.be.revertedWithCustomError(queue, "CancelTooEarly")
        .withArgs(alice.address, allowedAt);
      await time.setNextBlockTimestamp(allowedAt - 1n);
      await expect(queue.connect(alice).cancelRedeemRequest(0, alice)).to.be.revertedWithCustomError(
        queue,
        "CancelTooEarly",
      );
      await time.setNextBlockTimestamp(allowedAt);
      await expect(queue.connect(attacker).cancelRedeemRequest(0, alice)).to.be.revertedWithCustomError(
        queue,
        "NotControllerOrOperator",
      );
      await expect(queue.connect(alice).cancelRedeemRequest(1, alice))
        .to.be.revertedWithCustomError(queue, "UnknownRequest")
        .withArgs(1n);
      await expect(queue.connect(alice).cancelRedeemRequest(0, alice))
        .to.emit(queue, "CancelRedeemRequest")
        .withArgs(alice.address, 0n, alice.address);
      expect(await queue.pendingRedeemRequest(0, alice)).to.equal(0n);
      expect(await queue.pendingCancelRedeemRequest(0, alice)).to.equal(false);
      const cancelled = aliceShares / 2n + aliceShares / 4n;
      expect(await queue.claimableCancelRedeemRequest(0, alice)).to.equal(cancelled);
      await expect(queue.connect(alice).cancelRedeemRequest(0, alice))
        .to.be.revertedWithCustomError(queue, "NothingPending")
        .withArgs(alice.address);

      // A new request after the cancellation is live again, behind bob.
      await queue.connect(alice).requestRedeem(aliceShares / 8n, alice, alice);
      await liquid(system, 1_000_000n * USDC);
      const [served] = await queue.connect(attacker).fulfil.staticCall(10n);
      expect(served, "two cancelled, bob, alice's new one").to.equal(4n);
      await queue.connect(attacker).fulfil(10n);
      expect(await queue.claimableRedeemRequest(0, bob)).to.equal(bobShares);
      expect(await queue.claimableRedeemRequest(0, alice)).to.equal(aliceShares / 8n);
      expect(await queue.queueLength()).to.equal(0n);

      const held = await sharesOf(alice.address);
      await expect(queue.connect(alice).claimCancelRedeemRequest(0, alice, alice))
        .to.emit(queue, "CancelRedeemClaim")
        .withArgs(alice.address, alice.address, 0n, alice.address, cancelled);
      expect((await sharesOf(alice.address)) - held).to.equal(cancelled);
      expect(await queue.claimableCancelRedeemRequest(0, alice)).to.equal(0n);
      await expect(queue.connect(alice).claimCancelRedeemRequest(0, alice, alice)).to.be.revertedWithCustomError(
        queue,
        "NothingPending",
      );
      expect(await vault.balanceOf(queue), "only what is still to be fulfilled stays in escrow").to.equal(
        await queue.pendingShares(),
      );
    });

    it("a cancelled head does not make the queue look old: its age is the oldest request still open", async function () {
      const { queue, vault, alice, bob, attacker, sharesOf } = await loadFixture(queued);
      await queue.connect(alice).requestRedeem(await vault.convertToShares(MIN_REQUEST), alice, alice);
      const first = await queue.oldestRequestAt();
      await time.increase(DAY);
      await queue.connect(bob).requestRedeem(await sharesOf(bob.address), bob, bob);
      await time.increase(2n * DAY + HOUR);
      expect(await queue.overdue(), "alice's request is over 3 days old").to.equal(true);
      await queue.connect(alice).cancelRedeemRequest(0, alice);
      expect(await queue.oldestRequestAt(), "bob's, a day younger").to.equal(first + DAY + 1n);
      expect(await queue.overdue(), "before anyone fulfils").to.equal(false);
      await queue.connect(attacker).fulfil(1n);
      expect(await queue.oldestRequestAt()).to.equal(first + DAY + 1n);
      // Bob cancels too: nothing is open, the queue is not old at all.
      await queue.connect(bob).cancelRedeemRequest(0, bob);
      expect(await queue.oldestRequestAt()).to.equal(0n);
      expect(await queue.overdue()).to.equal(false);
    });

    it("looks past at most MAX_CANCELLED_LOOKED_PAST cancelled requests; beyond, the last one's time stands until a fulfil", async function () {
      const { queue, vault, alice, bob, attacker, sharesOf } = await loadFixture(queued);
      const bound = await queue.MAX_CANCELLED_LOOKED_PAST();
      const piece = await vault.convertToShares(MIN_REQUEST);
      for (let i = 0n; i < bound; i++) await queue.connect(alice).requestRedeem(piece, alice, alice);
      const lastCancelled = await time.latest();
      await time.increase(HOUR);
      await queue.connect(bob).requestRedeem(await sharesOf(bob.address), bob, bob);
      await time.increase(DAY);
      await queue.connect(alice).cancelRedeemRequest(0, alice);
      expect(await queue.oldestRequestAt(), "the 32nd cancelled request's time").to.equal(lastCancelled);
      await queue.connect(attacker).fulfil(bound);
      expect(await queue.oldestRequestAt(), "bob's, once they are passed over").to.equal(
        BigInt(lastCancelled) + HOUR + 1n,
      );
    });
  });

  describe("the deadline and the governance settings", function () {
    it("is overdue once the oldest request is older than maxQueueAgeSeconds", async function () {
      const { queue, alice, sharesOf } = await loadFixture(queued);
      expect(await queue.overdue(), "empty").to.equal(false);
      await queue.connect(alice).requestRedeem(await sharesOf(alice.address), alice, alice);
      const at = await queue.oldestRequestAt();
      await time.setNextBlockTimestamp(at + 3n * DAY);
      await ethers.provider.send("evm_mine", []);
      expect(await queue.overdue(), "at the deadline").to.equal(false);
      await time.setNextBlockTimestamp(at + 3n * DAY + 1n);
      await ethers.provider.send("evm_mine", []);
      expect(await queue.overdue(), "a second past").to.equal(true);
    });

    it("only the vault's default admin changes the minimum and the age, an age of at least an hour", async function () {
      const { queue, admin, curator } = await loadFixture(queued);
      await expect(queue.connect(curator).setMinRequestAssets(1n))
        .to.be.revertedWithCustomError(queue, "NotVaultAdmin")
        .withArgs(curator.address);
      await expect(queue.connect(curator).setMaxQueueAge(DAY)).to.be.revertedWithCustomError(queue, "NotVaultAdmin");
      await expect(queue.connect(admin).setMinRequestAssets(1n))
        .to.emit(queue, "MinRequestAssetsSet")
        .withArgs(MIN_REQUEST, 1n);
      expect(await queue.minRequestAssets()).to.equal(1n);
      await expect(queue.connect(admin).setMaxQueueAge(HOUR - 1n))
        .to.be.revertedWithCustomError(queue, "MaxQueueAgeTooShort")
        .withArgs(HOUR - 1n, HOUR);
      await expect(queue.connect(admin).setMaxQueueAge(HOUR))
        .to.emit(queue, "MaxQueueAgeSet")
        .withArgs(3n * DAY, HOUR);
      expect(await queue.maxQueueAgeSeconds()).to.equal(HOUR);
    });
  });

  describe("the vault and its queue", function () {
    it("setRedeemQueue: curator only, timelocked, once, and only a queue of this vault's shares", async function () {
      const { vault, curator, deployer, queue } = await loadFixture(queued);
      expect(await vault.redeemQueue()).to.equal(await queue.getAddress());
      await expect(vault.connect(curator).setRedeemQueue(queue))
        .to.be.revertedWithCustomError(vault, "RedeemQueueAlreadySet")
        .withArgs(await queue.getAddress());

      const fresh = await oneAdapter();
      const other = await new RedeemQueue__factory(deployer).deploy(vault, 0n, DAY); // redeems the first vault
      await expect(fresh.vault.connect(fresh.attacker).setRedeemQueue(other)).to.be.revertedWithCustomError(
        fresh.vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(fresh.vault.connect(fresh.curator).setRedeemQueue(other))
        .to.be.revertedWithCustomError(fresh.vault, "RedeemQueueMismatch")
        .withArgs(await other.getAddress(), await vault.getAddress());
      const own = await new RedeemQueue__factory(deployer).deploy(fresh.vault, 0n, DAY);
      await fresh.vault.connect(fresh.admin).setTimelock(DAY);
      await expect(fresh.vault.connect(fresh.curator).setRedeemQueue(own)).to.be.revertedWithCustomError(
        fresh.vault,
        "ChangeNotSubmitted",
      );
      const call = fresh.vault.interface.encodeFunctionData("setRedeemQueue", [await own.getAddress()]);
      await fresh.vault.connect(fresh.curator).submit(call);
      await time.increase(DAY);
      await expect(fresh.vault.connect(fresh.curator).setRedeemQueue(own))
        .to.emit(fresh.vault, "RedeemQueueSet")
        .withArgs(await own.getAddress(), fresh.curator.address);
    });

    it("only the queue tells the vault its state changed; a queue the vault does not know takes no request", async function () {
      const { vault, deployer, alice, attacker } = await loadFixture(queued);
      await expect(vault.connect(attacker).redeemQueueChanged())
        .to.be.revertedWithCustomError(vault, "OnlyRedeemQueue")
        .withArgs(attacker.address);
      const stray = await new RedeemQueue__factory(deployer).deploy(vault, 0n, DAY);
      await vault.connect(alice).approve(stray, ethers.MaxUint256);
      await expect(stray.connect(alice).requestRedeem(10n ** 18n, alice, alice)).to.be.revertedWithCustomError(
        vault,
        "OnlyRedeemQueue",
      );
    });

    it("pending exits come before instant ones: others' maxWithdraw leaves the queue's demand, the queue gets it all", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, alice, bob, attacker, sharesOf } = system;
      await liquid(system, 150_000n * USDC);
      expect(await vault.maxWithdraw(bob)).to.equal(100_000n * USDC);
      await queue.connect(alice).requestRedeem(await sharesOf(alice.address), alice, alice); // 100k pending
      const demand = await queue.pendingAssets();
      expect(await vault.maxWithdraw(bob), "150k liquid less alice's 100k").to.equal(150_000n * USDC - demand);
      expect(await vault.maxRedeem(bob)).to.equal(await vault.convertToShares(150_000n * USDC - demand));
      await expect(vault.connect(bob).withdraw(150_000n * USDC - demand + 1n, bob, bob)).to.be.revertedWithCustomError(
        vault,
        "ERC4626ExceededMaxWithdraw",
      );
      expect(await vault.maxRedeem(queue), "the queue itself draws on everything").to.equal(
        await sharesOf(await queue.getAddress()),
      );
      await vault.connect(bob).withdraw(150_000n * USDC - demand, bob, bob); // bob takes what is his to take
      await queue.connect(attacker).fulfil(10n); // and alice is still paid in full
      expect(await queue.pendingRedeemRequest(0, alice)).to.equal(0n);
      expect(await queue.maxWithdraw(alice)).to.be.closeTo(demand, 1n);
    });

    it("a small holder within idle is still held back when the queue's demand takes idle and all liquidity", async function () {
      const { queue, vault, alice, attacker, sharesOf } = await loadFixture(queued);
      await vault.connect(attacker).deposit(10_000n * USDC, attacker); // idle: 10k; the adapter is illiquid
      expect(await vault.maxWithdraw(attacker)).to.equal(10_000n * USDC);
      await queue.connect(alice).requestRedeem(await sharesOf(alice.address), alice, alice);
      expect(await vault.maxWithdraw(attacker), "alice's 100k request comes first").to.equal(0n);
      expect(await vault.maxRedeem(attacker)).to.equal(0n);
    });

    it("a stranger's donation of shares to the queue changes no demand and no one's exit", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, alice, bob, sharesOf } = system;
      await liquid(system, 50_000n * USDC);
      const before = await vault.maxWithdraw(bob);
      expect(before, "bounded by liquidity, not by bob's shares").to.equal(50_000n * USDC);
      await vault.connect(alice).transfer(queue, (await sharesOf(alice.address)) / 2n);
      expect(await queue.pendingShares()).to.equal(0n);
      expect(await vault.maxWithdraw(bob)).to.equal(before);
      await queue.connect(alice).requestRedeem(await vault.convertToShares(MIN_REQUEST), alice, alice);
      expect(await vault.maxWithdraw(bob), "only the request counts").to.equal(
        50_000n * USDC - (await queue.pendingAssets()),
      );
    });

    it("with nothing pending any more the vault stops asking the queue", async function () {
      const system = await loadFixture(queued);
      const { queue, vault, alice, bob, attacker, sharesOf } = system;
      await liquid(system, 1_000_000n * USDC);
      const before = await vault.maxWithdraw.estimateGas(bob);
      await queue.connect(alice).requestRedeem(await sharesOf(alice.address), alice, alice);
      const asking = await vault.maxWithdraw.estimateGas(bob);
      expect(asking, "asks the queue while exits are pending").to.be.gt(before);
      await queue.connect(attacker).fulfil(10n);
      expect(await vault.maxWithdraw.estimateGas(bob)).to.equal(before);
      await queue.connect(bob).requestRedeem(await vault.convertToShares(MIN_REQUEST), bob, bob);
      await time.increase(DAY);
      await queue.connect(bob).cancelRedeemRequest(0, bob);
      expect(await vault.maxWithdraw.estimateGas(bob), "a cancellation that empties the queue clears it too").to.equal(
        before,
      );
    });
  });

  describe("deposits: synchronous, forwarded to the vault", function () {
    it("deposit and mint give the receiver vault shares, as the vault would", async function () {
      const { queue, vault, usdc, alice, bob } = await loadFixture(queued);
      await usdc.connect(alice).approve(queue, ethers.MaxUint256);
      expect(await queue.maxDeposit(alice)).to.equal(await vault.maxDeposit(alice));
      expect(await queue.maxMint(alice)).to.equal(await vault.maxMint(alice));
      const expected = await queue.previewDeposit(1_000n * USDC);
      expect(expected).to.equal(await vault.previewDeposit(1_000n * USDC));
      const before = await vault.balanceOf(bob);
      await expect(queue.connect(alice).deposit(1_000n * USDC, bob))
        .to.emit(queue, "Deposit")
        .withArgs(alice.address, bob.address, 1_000n * USDC, expected);
      expect((await vault.balanceOf(bob)) - before).to.equal(expected);
      const shares = 10n ** 20n;
      const cost = await queue.previewMint(shares);
      const cash = await usdc.balanceOf(alice);
      await queue.connect(alice).mint(shares, bob);
      expect(cash - (await usdc.balanceOf(alice))).to.equal(cost);
      expect(await usdc.balanceOf(queue), "nothing stays behind").to.equal(0n);
    });
  });
});

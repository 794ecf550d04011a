import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  LegKind,
  UNLIMITED,
  USDC,
  deploySystem,
  executedLegs,
  halfAdapter,
  planOf,
  threeAdapters,
} from "../../helpers/fixtures";

describe("ReserveVault › rebalance", function () {
  describe("failures", function () {
    it("reverts with AccessControlUnauthorizedAccount for anyone but a keeper", async function () {
      const { vault, alice, curator } = await loadFixture(threeAdapters);
      for (const caller of [alice, curator]) {
        await expect(vault.connect(caller).rebalance())
          .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, await vault.KEEPER_ROLE());
      }
    });

    it("while paused, runs its exits and holds its entries (LegFailed with EnforcedPause)", async function () {
      const { vault, alice, guardian, keeper, curator, adapters } = await loadFixture(threeAdapters);
      const [a, b] = [adapters[0]!, adapters[1]!];
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setTargetWeight(a, 3_000n);
      await vault.connect(curator).setTargetWeight(b, 5_000n);
      expect((await planOf(vault)).map((leg) => leg[1])).to.deep.equal([LegKind.Withdraw, LegKind.Deposit]);
      await vault.connect(guardian).pause();
      const idle = await vault.idle();
      const tx = vault.connect(keeper).rebalance();
      await expect(tx)
        .to.emit(vault, "LegExecuted")
        .withArgs(await a.getAddress(), LegKind.Withdraw, 200n * USDC, 200n * USDC)
        .and.to.emit(vault, "LegFailed")
        .withArgs(await b.getAddress(), LegKind.Deposit, 0n, vault.interface.encodeErrorResult("EnforcedPause", []));
      expect(await vault.idle(), "the exit freed liquidity; the entry waits").to.equal(idle + 200n * USDC);
      expect(await vault.connect(keeper).rebalance.staticCall(), "nothing more runs while paused").to.equal(0n);
      await vault.connect(guardian).unpause();
      expect(await vault.connect(keeper).rebalance.staticCall(), "the entry once unpaused").to.equal(1n);
    });

    it("skips an entry that adds less value than the adapter's bound with LegFailed(EntrySlippageExceeded), books untouched", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      const adapter = adapters[0]!;
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await adapter.setFees(10n, 0n, 0n); // 10 bps entry fee
      await vault.connect(curator).setMaxSlippage(adapter, 9n);
      const reason = vault.interface.encodeErrorResult("EntrySlippageExceeded", [
        await adapter.getAddress(),
        500n * USDC,
        499_500_000n,
        499_550_000n,
      ]);
      await expect(vault.connect(keeper).rebalance())
        .to.emit(vault, "LegFailed")
        .withArgs(await adapter.getAddress(), LegKind.Deposit, 500n * USDC, reason);
      expect(await vault.idle(), "idle as it was").to.equal(1_000n * USDC);
      expect((await vault.adapterConfig(adapter)).value).to.equal(0n);
      expect(await vault.rateLimitAvailable(adapter), "no rate limit consumed").to.equal(2n ** 128n - 1n);
    });

    it("reverts with RebalanceLossExceeded when the legs together lose more than maxRebalanceLossBps", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      const adapter = adapters[0]!;
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await adapter.setFees(50n, 0n, 0n); // 2.5 USDC fee on a 500 USDC entry: 25 bps of 1,000
      await vault.connect(curator).setMaxSlippage(adapter, 100n);
      await vault.connect(curator).setMaxRebalanceLoss(24n);
      await expect(vault.connect(keeper).rebalance())
        .to.be.revertedWithCustomError(vault, "RebalanceLossExceeded")
        .withArgs(1_000n * USDC, 997_500_000n, 997_600_000n);
    });

    it("skips an exit that delivers less than planned with LegFailed(AdapterShortfall), books untouched", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setTargetWeight(adapters[0]!, 0n);
      await adapters[0]!.setFees(0n, 0n, 1n);
      const before = (await vault.adapterConfig(adapters[0]!)).value;
      const idle = await vault.idle();
      const tx = vault.connect(keeper).rebalance();
      await expect(tx).to.emit(vault, "LegFailed");
      await expect(tx).to.not.emit(vault, "LegExecuted");
      expect((await vault.adapterConfig(adapters[0]!)).value).to.equal(before);
      expect(await vault.idle()).to.equal(idle);
    });
  });

  describe("boundaries", function () {
    it("drift exactly at the band moves nothing; one unit over moves (entry side)", async function () {
      const { vault, alice, bob, keeper, curator, adapters } = await loadFixture(halfAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setDriftBand(0n, 10n * USDC);
      await vault.connect(bob).deposit(20n * USDC, bob); // target 510: 10 below, exactly the band
      expect(await planOf(vault)).to.deep.equal([]);
      await vault.connect(bob).deposit(2n, bob); // target 510.000001: one unit over the band
      expect(await planOf(vault)).to.deep.equal([[await adapters[0]!.getAddress(), LegKind.Deposit, 10n * USDC + 1n]]);
    });

    it("drift exactly at the band moves nothing; one unit over moves (exit side)", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setDriftBand(0n, 10n * USDC);
      await vault.connect(alice).withdraw(20n * USDC, alice, alice); // target 490: 10 above
      expect(await planOf(vault)).to.deep.equal([]);
      await vault.connect(alice).withdraw(2n, alice, alice); // target 489.999999
      expect(await planOf(vault)).to.deep.equal([[await adapters[0]!.getAddress(), LegKind.Withdraw, 10n * USDC + 1n]]);
    });

    it("a relative band of driftBandBps × totalAssets applies when above minMove", async function () {
      const { vault, alice, bob, keeper, curator } = await loadFixture(halfAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setDriftBand(100n, 1n); // 1 % of totalAssets
      await vault.connect(bob).deposit(20n * USDC, bob); // 10 below target; band 10.2
      expect(await planOf(vault)).to.have.length(0);
      await vault.connect(bob).deposit(2n * USDC, bob); // 11 below target; band 10.22
      expect(await planOf(vault)).to.have.length(1);
    });

    it("a cap exactly at the target is filled; one unit less clips the leg and nothing follows", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      const adapter = adapters[0]!;
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(curator).setCap(adapter, 500n * USDC - 1n);
      expect(await planOf(vault)).to.deep.equal([[await adapter.getAddress(), LegKind.Deposit, 500n * USDC - 1n]]);
      await vault.connect(keeper).rebalance();
      expect((await vault.adapterConfig(adapter)).value).to.equal(500n * USDC - 1n);
      expect(await planOf(vault), "the cap binds: nothing more goes in").to.deep.equal([]);
      await vault
        .connect(curator)
        .submit(vault.interface.encodeFunctionData("setCap", [await adapter.getAddress(), 500n * USDC]));
      await vault.connect(curator).setCap(adapter, 500n * USDC);
      expect(await planOf(vault)).to.deep.equal([[await adapter.getAddress(), LegKind.Deposit, 1n]]);
    });

    it("a rate limit exactly at the shortfall is used up; one unit less clips the leg", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      const adapter = adapters[0]!;
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(curator).setRateLimit(adapter, 500n * USDC - 1n, 0n);
      await expect(vault.connect(keeper).rebalance())
        .to.emit(vault, "LegExecuted")
        .withArgs(await adapter.getAddress(), LegKind.Deposit, 500n * USDC - 1n, 500n * USDC - 1n);
      expect(await vault.rateLimitAvailable(adapter)).to.equal(0n);
      expect(await planOf(vault)).to.deep.equal([]);
    });

    it("a refilling rate limit moves its slope once the refill reaches minMove, not before", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      const adapter = adapters[0]!;
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(curator).setRateLimit(adapter, 100n * USDC, USDC); // 1 USDC per second
      await vault.connect(curator).setDriftBand(0n, 5n * USDC);
      await vault.connect(keeper).rebalance();
      expect(await vault.connect(keeper).rebalance.staticCall(), "1-2 s of refill is below minMove").to.equal(0n);
      await time.increase(10);
      const legs = await planOf(vault);
      expect(legs).to.have.length(1);
      expect(legs[0]![2]).to.equal(await vault.rateLimitAvailable(adapter));
    });

    it("an entry exactly at the adapter's minimum ticket moves; one unit below is skipped", async function () {
      const { vault, alice, curator, adapters } = await loadFixture(halfAdapter);
      const adapter = adapters[0]!;
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(curator).setCap(adapter, 200n * USDC);
      await adapter.setLimits(UNLIMITED, UNLIMITED, 200n * USDC);
      expect(await planOf(vault)).to.deep.equal([[await adapter.getAddress(), LegKind.Deposit, 200n * USDC]]);
      await vault.connect(curator).setCap(adapter, 200n * USDC - 1n);
      expect(await planOf(vault), "below the minimum ticket: skipped, not sent").to.deep.equal([]);
    });

    it("an entry is bounded by the adapter's maxDeposit", async function () {
      const { vault, alice, adapters } = await loadFixture(halfAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await adapters[0]!.setLimits(UNLIMITED, 123n * USDC, 0n);
      expect(await planOf(vault)).to.deep.equal([[await adapters[0]!.getAddress(), LegKind.Deposit, 123n * USDC]]);
    });

    it("a whole-call loss exactly at maxRebalanceLossBps passes", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(halfAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await adapters[0]!.setFees(50n, 0n, 0n);
      await vault.connect(curator).setMaxSlippage(adapters[0]!, 50n);
      await vault.connect(curator).setMaxRebalanceLoss(25n);
      await expect(vault.connect(keeper).rebalance()).to.emit(vault, "LossRecognized").withArgs(2_500_000n, 0n);
      expect(await vault.totalAssets()).to.equal(997_500_000n);
    });
  });

  describe("success", function () {
    it("places the money by weight, keeping the buffer idle, and emits each leg", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(curator).setBuffer(1_000n);
      const addresses = await Promise.all(adapters.map((a) => a.getAddress()));
      const expected = [
        [addresses[0], LegKind.Deposit, 450n * USDC],
        [addresses[1], LegKind.Deposit, 270n * USDC],
        [addresses[2], LegKind.Deposit, 180n * USDC],
      ];
      expect(await planOf(vault)).to.deep.equal(expected);
      const tx = vault.connect(keeper).rebalance();
      await expect(tx)
        .to.emit(vault, "Rebalanced")
        .withArgs(keeper.address, 3n, 1_000n * USDC, 1_000n * USDC);
      expect(await executedLegs(vault, tx)).to.deep.equal(expected);
      expect(await vault.idle()).to.equal(100n * USDC);
      expect(await vault.totalAdapterValue()).to.equal(900n * USDC);
    });

    it("exits before entries, so freed assets fund the entries of the same call", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await vault.connect(curator).setTargetWeight(adapters[0]!, 2_000n);
      await vault.connect(curator).setTargetWeight(adapters[2]!, 5_000n);
      const [a, , c] = await Promise.all(adapters.map((x) => x.getAddress()));
      const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
      expect(legs).to.deep.equal([
        [a, LegKind.Withdraw, 300n * USDC],
        [c, LegKind.Deposit, 300n * USDC],
      ]);
    });

    it("files an async redemption for what an adapter cannot return instantly, and counts it while in flight", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(threeAdapters);
      const [a, , c] = await Promise.all(adapters.map((x) => x.getAddress()));
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.setAsync(false, true);
      await adapters[0]!.setLimits(100n * USDC, UNLIMITED, 0n); // 100 instant, the rest async
      await vault.connect(curator).setTargetWeight(adapters[0]!, 1_000n);
      await vault.connect(curator).setTargetWeight(adapters[2]!, 6_000n);
      const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
      expect(legs).to.deep.equal([
        [a, LegKind.Withdraw, 100n * USDC],
        [a, LegKind.RequestRedeem, 300n * USDC],
        [c, LegKind.Deposit, 100n * USDC],
      ]);
      expect(await vault.totalAssets(), "the in-flight redemption is still counted").to.equal(1_000n * USDC);
      expect(await planOf(vault), "nothing more while the request is open").to.deep.equal([]);

      await adapters[0]!.fulfilRedeem(300n * USDC);
      await expect(vault.connect(keeper).settle(adapters[0]!))
        .to.emit(vault, "Settled")
        .withArgs(a, keeper.address, 300n * USDC);
      expect(await vault.idle()).to.equal(300n * USDC);
      expect(await executedLegs(vault, vault.connect(keeper).rebalance())).to.deep.equal([
        [c, LegKind.Deposit, 300n * USDC],
      ]);
      expect((await vault.adapterConfig(a!)).value).to.equal(100n * USDC);
      expect((await vault.adapterConfig(c!)).value).to.equal(600n * USDC);
    });

    it("counts an async entry at cost while pending, and books the fill without double counting", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(halfAdapter);
      await adapters[0]!.setAsync(true, false);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      expect(await adapters[0]!.pendingDeposit()).to.equal(500n * USDC);
      expect(await vault.totalAssets()).to.equal(1_000n * USDC);
      expect(await planOf(vault)).to.deep.equal([]);
      await adapters[0]!.fulfilDeposit();
      await vault.connect(keeper).settle(adapters[0]!);
      await vault.connect(keeper).report();
      expect(await vault.totalAssets()).to.equal(1_000n * USDC);
      expect(await planOf(vault)).to.deep.equal([]);
    });

    it("leaves a quarantined adapter alone", async function () {
      const { vault, alice, keeper, guardian, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(guardian).quarantine(adapters[1]!);
      const legs = await planOf(vault);
      expect(legs.map((l) => l[0])).to.not.include(await adapters[1]!.getAddress());
      await vault.connect(keeper).rebalance();
      expect((await vault.adapterConfig(adapters[1]!)).value).to.equal(0n);
    });

    it("rebalanceExcept leaves the masked adapters out and moves the rest", async function () {
      const { vault, alice, keeper, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      const [a, b, c] = await Promise.all(adapters.map((x) => x.getAddress()));
      expect(await vault.previewRebalanceExcept(0b010n)).to.have.length(2);
      expect(await executedLegs(vault, vault.connect(keeper).rebalanceExcept(0b010n))).to.deep.equal([
        [a, LegKind.Deposit, 500n * USDC],
        [c, LegKind.Deposit, 200n * USDC],
      ]);
      expect(await planOf(vault), "B moves on the next unmasked rebalance").to.deep.equal([
        [b, LegKind.Deposit, 300n * USDC],
      ]);
      await expect(vault.connect(alice).rebalanceExcept(0n)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("keeps the weights' remainder idle when they sum below 100 %", async function () {
      const { vault, alice, keeper } = await loadFixture(halfAdapter);
      await vault.connect(alice).deposit(1_000n * USDC, alice);
      await vault.connect(keeper).rebalance();
      expect(await vault.idle()).to.equal(500n * USDC);
    });
  });

  describe("idempotence and preview", function () {
    it("a second rebalance right after the first moves nothing", async function () {
      const { vault, alice, keeper, curator, adapters } = await loadFixture(threeAdapters);
      await vault.connect(alice).deposit(1_000n * USDC + 7n, alice);
      await vault.connect(curator).setBuffer(333n);
      await adapters[1]!.setAsync(true, true);
      await vault.connect(keeper).rebalance();
      await expect(vault.connect(keeper).rebalance())
        .to.emit(vault, "Rebalanced")
        .withArgs(keeper.address, 0n, 1_000n * USDC + 7n, 1_000n * USDC + 7n);
    });

    it("previewRebalance equals what rebalance executes over a sequence of changes", async function () {
      const { vault, alice, bob, keeper, curator, adapters } = await loadFixture(threeAdapters);
      await adapters[2]!.setAsync(false, true);
      await adapters[2]!.setLimits(50n * USDC, UNLIMITED, 0n);
      const steps: Array<() => Promise<unknown>> = [
        () => vault.connect(alice).deposit(777n * USDC, alice),
        () => vault.connect(curator).setBuffer(500n),
        () => vault.connect(bob).deposit(333_333_333n, bob),
        () => vault.connect(curator).setTargetWeight(adapters[2]!, 500n),
        () => vault.connect(curator).setTargetWeight(adapters[0]!, 3_000n),
        () => vault.connect(alice).withdraw(100n * USDC, alice, alice),
      ];
      for (const step of steps) {
        await step();
        const preview = await planOf(vault);
        expect(await executedLegs(vault, vault.connect(keeper).rebalance())).to.deep.equal(preview);
      }
    });
  });

  describe("a compromised keeper", function () {
    it("cannot move more than the rate limit and cap allow, nor lose more than the slippage bound", async function () {
      const { vault, alice, keeper, curator, adapters } = await deploySystem(2, [7_000n, 3_000n]);
      const [target, other] = adapters as [(typeof adapters)[0], (typeof adapters)[0]];
      await vault.connect(alice).deposit(1_000_000n * USDC, alice);
      await vault.connect(curator).setCap(target, 300_000n * USDC);
      await vault.connect(curator).setRateLimit(target, 50_000n * USDC, 2n * USDC); // 50k burst, 2 USDC/s
      await vault.connect(curator).setRateLimit(other, 1_000n * USDC, 0n);
      await target.setFees(10n, 0n, 0n);
      await vault.connect(curator).setMaxSlippage(target, 10n);
      await vault.connect(curator).setMaxRebalanceLoss(10n);

      const start = BigInt(await time.latest());
      let moved = 0n;
      // Everything the keeper may call, in a bad order, over and over, with time passing.
      const targetAddress = await target.getAddress();
      const rebalanceCounting = async (): Promise<void> => {
        for (const [adapter, kind, amount] of await executedLegs(vault, vault.connect(keeper).rebalance())) {
          if (adapter === targetAddress && kind === LegKind.Deposit) moved += amount;
        }
      };
      for (let i = 0; i < 12; i++) {
        await vault.connect(keeper).report();
        await rebalanceCounting();
        await vault.connect(keeper).settle(target);
        await vault.connect(keeper).settle(other);
        await rebalanceCounting();
        await time.increase(3_600 * (i + 1));
      }
      const elapsed = BigInt(await time.latest()) - start;
      const allowance = 50_000n * USDC + 2n * USDC * elapsed;
      expect(moved, "moved within burst + slope × elapsed").to.be.lte(allowance);
      expect((await vault.adapterConfig(target)).value, "the cap holds").to.be.lte(300_000n * USDC);
      expect((await vault.adapterConfig(other)).value, "the other adapter's limit holds").to.equal(1_000n * USDC);
      const lost = 1_000_000n * USDC - (await vault.totalAssets());
      expect(lost, "fees stay within 10 bps of what moved").to.be.lte((moved * 10n) / 10_000n);
      await expect(vault.connect(keeper).setTargetWeight(target, 10_000n)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
    });
  });
});

import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { LegKind, USDC, deploySystem, executedLegs } from "../helpers/fixtures";

const BURST = 100_000n * USDC;
const SLOPE = 5n * USDC; // per second
const CAP = 350_000n * USDC;
const FEE_BPS = 10n;

/**
 * A compromised keeper holds KEEPER_ROLE and nothing else. It may call report, rebalance,
 * rebalanceExcept with any mask and settle on any adapter, as often and in whatever order it likes,
 * while time passes and issuers fill. Random sequences of exactly that, on three adapters that charge
 * 10 bps on entry and exit (the slippage bound), one of them asynchronous.
 */
describe("attack › a compromised keeper, in any order", function () {
  async function guarded() {
    const system = await deploySystem(3, [4_000n, 3_000n, 2_000n]);
    const { vault, curator, alice, adapters } = system;
    for (const adapter of adapters) {
      await vault.connect(curator).setCap(adapter, CAP);
      await vault.connect(curator).setRateLimit(adapter, BURST, SLOPE);
      await vault.connect(curator).setMaxSlippage(adapter, FEE_BPS);
      await adapter.setFees(FEE_BPS, FEE_BPS, 0n);
    }
    await adapters[1]!.setAsync(true, true);
    await vault.connect(curator).setMaxRebalanceLoss(FEE_BPS);
    await vault.connect(alice).deposit(1_000_000n * USDC, alice);
    return system;
  }

  type System = Awaited<ReturnType<typeof guarded>>;
  type Step = { name: string; run: (s: System) => Promise<Array<[string, bigint, bigint]>> };

  const rebalance = (mask: number): Step => ({
    name: `rebalanceExcept(${mask})`,
    run: (s) => executedLegs(s.vault, s.vault.connect(s.keeper).rebalanceExcept(mask)),
  });
  const steps: fc.Arbitrary<Step>[] = [
    fc.constant<Step>({
      name: "report",
      run: async (s) => (await (await s.vault.connect(s.keeper).report()).wait(), []),
    }),
    fc.constant(rebalance(0)),
    fc.integer({ min: 1, max: 7 }).map(rebalance),
    fc.nat(2).map<Step>((i) => ({
      name: `settle(${i})`,
      run: async (s) => (await (await s.vault.connect(s.keeper).settle(s.adapters[i]!)).wait(), []),
    })),
    fc.constant<Step>({
      name: "issuer fills the async adapter",
      run: async (s) => {
        await s.adapters[1]!.fulfilDeposit();
        await s.adapters[1]!.fulfilRedeem(await s.adapters[1]!.pendingRedeemAssets());
        return [];
      },
    }),
    fc.integer({ min: 1, max: 20_000 }).map<Step>((seconds) => ({
      name: `time +${seconds}s`,
      run: async () => (await time.increase(seconds), []),
    })),
  ];

  it("moves no more than caps and rate limits allow, and loses no more than the slippage bound, whatever it calls", async function () {
    this.timeout(300_000);
    let worst = { loss: 0n, moved: 0n, sequence: "" };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(...steps), { minLength: 5, maxLength: 25 }), async (sequence) => {
        const system = await loadFixture(guarded);
        const { vault, adapters } = system;
        const addresses = await Promise.all(adapters.map((a) => a.getAddress()));
        const start = BigInt(await time.latest());
        const startValue = await vault.totalAssets();
        const entered = new Map<string, bigint>(addresses.map((a) => [a, 0n]));
        let moved = 0n;
        for (const step of sequence) {
          for (const [adapter, kind, amount] of await step.run(system)) {
            moved += amount;
            if (kind === LegKind.Deposit) entered.set(adapter, entered.get(adapter)! + amount);
          }
        }
        const elapsed = BigInt(await time.latest()) - start;
        for (const [i, adapter] of addresses.entries()) {
          expect(entered.get(adapter)!, `entries into adapter ${i}`).to.be.lte(BURST + SLOPE * elapsed);
          expect((await vault.adapterConfig(adapter)).value, `adapter ${i} within its cap`).to.be.lte(CAP);
        }
        const loss = startValue - (await vault.totalAssets());
        expect(loss, "loss within the slippage bound of what moved").to.be.lte((moved * FEE_BPS) / 10_000n + 3n);
        if (loss > worst.loss) worst = { loss, moved, sequence: sequence.map((s) => s.name).join(", ") };
      }),
      { numRuns: 40, seed: 11 },
    );
    console.log(
      `      worst damage over 40 sequences: ${Number(worst.loss) / 1e6} USDC of fees on ${Number(worst.moved) / 1e6} USDC moved` +
        ` (bound ${Number((worst.moved * FEE_BPS) / 10_000n) / 1e6})`,
    );
  });
});

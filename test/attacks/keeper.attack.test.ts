import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { readFileSync } from "node:fs";
import path from "node:path";
import { keeperLossBound } from "../../src/deploy/keeperBound";
import { readParams } from "../../src/deploy/params";
import { formatAmount } from "../../src/cli/units";
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

/**
 * The most a compromised keeper can destroy in a day, computed from the parameters
 * (src/deploy/keeperBound.ts, printed by every deploy dry run), and a keeper with an accomplice trying
 * to reach it: the accomplice deposits before each rebalance so the plan has something to place, and
 * withdraws after (its exit cost is its own); every entry costs the adapter's full slippage bound.
 */
describe("attack › a compromised keeper's daily bound", function () {
  const MAX = 1_000_000n * USDC;
  const PER_DAY = 1_000_000n * USDC;
  const SLOPE = PER_DAY / 86_400n;
  const SLIPPAGE_BPS = 15n;

  async function churnable() {
    const system = await deploySystem(1, [10_000n]);
    const { vault, curator, alice, bob, usdc, adapters } = system;
    const a = adapters[0]!;
    await vault.connect(curator).setRateLimit(a, MAX, SLOPE);
    await vault.connect(curator).setMaxSlippage(a, SLIPPAGE_BPS);
    await vault.connect(curator).setMaxRebalanceLoss(SLIPPAGE_BPS);
    await vault.connect(curator).setDriftBand(0n, 0n);
    await a.setFees(SLIPPAGE_BPS, 0n, 0n); // every entry loses exactly its bound
    await usdc.mint(alice, 10_000_000n * USDC);
    await vault.connect(alice).deposit(10_000_000n * USDC, alice);
    await usdc.mint(bob, 1_000_000n * USDC);
    return system;
  }

  it("the bound from the deployment parameters is the figure THREAT_MODEL states", function () {
    const params = readParams(path.join(__dirname, "../../deploy/params/hardhat.json"));
    const bound = keeperLossBound(params);
    const doc = readFileSync(path.join(__dirname, "../../docs/THREAT_MODEL.md"), "utf8");
    const usd = (base: bigint) => formatAmount(((base + USDC - 1n) / USDC) * USDC, 6, "USDC"); // whole USDC, up
    expect(doc).to.contain(
      `at most ${usd(bound.lossFirstDay!)} the first day and ${usd(bound.lossPerDay!)} a day after`,
    );
    expect(
      keeperLossBound({
        adapters: [
          { ...params.adapters[0]!, rateLimit: { maxAmount: (2n ** 128n - 1n).toString(), slopePerSecond: "0" } },
        ],
      }).lossFirstDay,
      "no rate limit, no bound",
    ).to.equal(undefined);
  });

  it("a keeper churning entries with an accomplice destroys at most the bound, over one day and over two", async function () {
    const { vault, keeper, alice, bob, usdc, adapters } = await loadFixture(churnable);
    const bound = keeperLossBound({
      adapters: [
        {
          name: "A",
          rateLimit: { maxAmount: MAX.toString(), slopePerSecond: SLOPE.toString() },
          maxSlippageBps: Number(SLIPPAGE_BPS),
        } as Parameters<typeof keeperLossBound>[0]["adapters"][number],
      ],
    });
    const worth = async () => vault.convertToAssets(await vault.balanceOf(alice));
    const destroyed: bigint[] = [];
    for (let day = 0; day < 2; day++) {
      const aliceBefore = await worth();
      let bobNet = 0n; // what bob put in, less what he took out
      for (let hour = 0; hour < 24; hour++) {
        const cash = await usdc.balanceOf(bob);
        await vault.connect(bob).deposit(cash, bob);
        await vault.connect(keeper).rebalance();
        await vault.connect(bob).redeem(await vault.balanceOf(bob), bob, bob);
        bobNet += cash - (await usdc.balanceOf(bob));
        await time.increase(3_600);
      }
      destroyed.push(aliceBefore - (await worth()) + bobNet);
    }
    // Over n days: the first day's bound plus n − 1 days' (a day's headroom left unused carries over).
    const twoDays = destroyed[0]! + destroyed[1]!;
    expect(destroyed[0], "day one, against the bound").to.be.lte(bound.lossFirstDay!);
    expect(twoDays, "two days, against the bound").to.be.lte(bound.lossFirstDay! + bound.lossPerDay!);
    // The attack came close: the rate limit, not the keeper's restraint, is what held it.
    expect(destroyed[0]! * 10n, "day one reached 90 % of the bound").to.be.gte(bound.lossFirstDay! * 9n);
    expect(twoDays * 10n, "two days reached 90 % of the bound").to.be.gte(
      (bound.lossFirstDay! + bound.lossPerDay!) * 9n,
    );
    void adapters;
  });
});

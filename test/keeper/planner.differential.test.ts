import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { PlanHarness__factory, type PlanHarness } from "../../typechain-types";
import { deployReserveVault } from "../../src/deploy/vault";
import {
  LegKind,
  NO_QUEUE,
  UNLIMITED,
  plan,
  withExitQuotes,
  type AdapterState,
  type Leg,
  type VaultState,
} from "../../src/keeper/planner";
import { readSnapshot } from "../../src/keeper/reader";
import { USDC, deploySystem } from "../helpers/fixtures";

const MAX_ADAPTERS = 6;
/** The harness adapter's exit cost that makes its quote revert. */
const NO_QUOTE = 2n ** 256n - 1n;

/** Amounts that stress the edges: zero, one unit, round and odd values, and large ones. */
const amount = fc.oneof(
  fc.constant(0n),
  fc.constant(1n),
  fc.bigInt({ min: 0n, max: 10n ** 9n }),
  fc.bigInt({ min: 0n, max: 10n ** 15n }),
  fc.constantFrom(10n ** 12n, 5n * 10n ** 11n, 123_456_789_012n),
);
const bps = fc.oneof(fc.constantFrom(0n, 1n, 100n, 2_500n, 5_000n, 10_000n), fc.bigInt({ min: 0n, max: 10_000n }));

const adapterState = fc.record({
  quarantined: fc.nat(6).map((n) => n === 0),
  targetWeightBps: bps,
  value: amount,
  cap: fc.oneof(amount, fc.constant(UNLIMITED)),
  rateLimit: fc.record({
    maxAmount: fc.oneof(amount, fc.constant(UNLIMITED)),
    slopePerSecond: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 6n })),
    lastAmount: amount,
    lastUpdated: fc.constant(0n),
  }),
  pendingRedeem: amount,
  maxWithdraw: fc.oneof(amount, fc.constant(2n ** 255n)),
  maxRequestRedeem: amount,
  maxDeposit: fc.oneof(amount, fc.constant(2n ** 255n)),
  minDeposit: fc.oneof(fc.constant(0n), amount),
  maxSlippageBps: fc.constantFrom<bigint>(0n, 1n, 10n, 100n),
  exitCostBps: fc.constantFrom<bigint>(0n, 0n, 1n, 10n, 11n, 100n, NO_QUOTE),
});

/** The redemption queue as the vault passes it: mostly absent, else some demand, sometimes overdue. */
interface QueueInput {
  pending: boolean;
  pendingAssets: bigint;
  overdue: boolean;
}
const NONE: QueueInput = { pending: false, pendingAssets: 0n, overdue: false };
const queueInput: fc.Arbitrary<QueueInput> = fc.oneof(
  fc.constant(NONE),
  fc.constant(NONE),
  fc.record({ pending: fc.constant(true), pendingAssets: amount, overdue: fc.nat(3).map((n) => n === 0) }),
);

const vaultState = fc.record({
  queue: queueInput,
  grossAssets: amount,
  idle: amount,
  bufferBps: bps,
  driftBandBps: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 500n })),
  minMove: fc.oneof(fc.constant(0n), fc.constant(1n), fc.bigInt({ min: 0n, max: 10n ** 9n })),
  adapters: fc.array(adapterState, { minLength: 1, maxLength: MAX_ADAPTERS }),
  skipMask: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 2n ** BigInt(MAX_ADAPTERS) - 1n })),
});

type Generated = typeof vaultState extends fc.Arbitrary<infer T> ? T : never;

const ceilDiv = (x: bigint, d: bigint): bigint => (x === 0n ? 0n : (x - 1n) / d + 1n);

/** The harness adapter's exit quote: `exitCostBps` of the amount, rounded up; `NO_QUOTE` reverts. */
function quoteOf(exitCostBps: bigint): (adapter: AdapterState, assets: bigint) => bigint | undefined {
  return (_, assets) => (exitCostBps === NO_QUOTE ? undefined : ceilDiv(assets * exitCostBps, 10_000n));
}
const edge = fc.constantFrom(-1n, 0n, 1n);

/**
 * States on the plan's edges, where random states almost never land: each adapter sits at its target
 * ± band ± 1 (or ± 2), and its cap, rate limit, ticket, deposit limit and instant and async liquidity
 * sit at the amount it would move, ± 1; idle sits at the buffer plus that amount, ± 1.
 */
const boundaryState = fc
  .record({
    grossAssets: fc.oneof(fc.constant(10n ** 7n), fc.bigInt({ min: 10n ** 4n, max: 10n ** 15n })),
    bufferBps: fc.oneof(fc.constantFrom(0n, 100n, 200n), bps),
    driftBandBps: fc.oneof(fc.constantFrom(0n, 10n, 100n), fc.bigInt({ min: 0n, max: 500n })),
    minMove: fc.oneof(fc.constantFrom(0n, 1n, 1_000n), fc.bigInt({ min: 0n, max: 10n ** 6n })),
    idleEdge: edge,
    demandShare: fc.oneof(fc.constant(0n), fc.constant(0n), fc.bigInt({ min: 0n, max: 5_000n })),
    overdue: fc.nat(4).map((n) => n === 0),
    skipMask: fc.oneof(fc.constant(0n), fc.constant(0n), fc.bigInt({ min: 0n, max: 2n ** BigInt(MAX_ADAPTERS) - 1n })),
    adapters: fc.array(
      fc.record({
        quarantined: fc.nat(8).map((n) => n === 0),
        targetWeightBps: fc.oneof(fc.constantFrom(1_000n, 2_500n, 5_000n), bps),
        below: fc.boolean(),
        bandEdge: fc.constantFrom(-1n, 0n, 1n, 2n),
        capEdge: fc.option(edge, { nil: undefined }),
        rateEdge: fc.option(edge, { nil: undefined }),
        ticketEdge: fc.option(edge, { nil: undefined }),
        depositEdge: fc.option(edge, { nil: undefined }),
        instantEdge: fc.option(edge, { nil: undefined }),
        requestEdge: edge,
        costEdge: fc.constantFrom(0n, 10n, 11n, NO_QUOTE),
        pendingRedeem: fc.constantFrom(0n, 0n, 1n),
      }),
      { minLength: 1, maxLength: MAX_ADAPTERS },
    ),
  })
  .map((raw): Generated => {
    // The queue's demand comes out before the buffer and targets are sized, and is kept idle on top.
    const demand = (raw.grossAssets * raw.demandShare) / 10_000n;
    const base = raw.grossAssets - demand;
    const baseBuffer = ceilDiv(base * raw.bufferBps, 10_000n);
    const buffer = baseBuffer + demand;
    const investable = base - baseBuffer;
    const relative = (base * raw.driftBandBps) / 10_000n;
    const band = relative > raw.minMove ? relative : raw.minMove;
    const at = (base: bigint, offset: bigint): bigint => (base + offset > 0n ? base + offset : 0n);
    let wanted = 0n;
    const adapters = raw.adapters.map((a) => {
      const target = (investable * a.targetWeightBps) / 10_000n;
      const value = a.below ? at(target, -band - a.bandEdge) : target + band + a.bandEdge;
      const move = a.below ? (target > value ? target - value : 0n) : value - target;
      if (a.below) wanted += move;
      const limit = (offset: bigint | undefined, fallback: bigint): bigint =>
        offset === undefined ? fallback : at(move, offset);
      const available = limit(a.rateEdge, UNLIMITED);
      return {
        quarantined: a.quarantined,
        targetWeightBps: a.targetWeightBps,
        value,
        cap: a.capEdge === undefined ? UNLIMITED : value + at(move, a.capEdge),
        rateLimit: { maxAmount: available, slopePerSecond: 0n, lastAmount: available, lastUpdated: 0n as const },
        pendingRedeem: a.pendingRedeem,
        maxWithdraw: limit(a.instantEdge, 2n ** 255n),
        maxRequestRedeem: at(move, a.requestEdge),
        maxDeposit: limit(a.depositEdge, 2n ** 255n),
        minDeposit: a.ticketEdge === undefined ? 0n : at(move, a.ticketEdge),
        // The instant exit's cost at its bound (10 bps), a basis point past it, or no quote at all.
        maxSlippageBps: 10n,
        exitCostBps: a.costEdge,
      };
    });
    return {
      queue: { pending: demand !== 0n || raw.overdue, pendingAssets: demand, overdue: raw.overdue },
      grossAssets: raw.grossAssets,
      idle: at(buffer + wanted, raw.idleEdge),
      bufferBps: raw.bufferBps,
      driftBandBps: raw.driftBandBps,
      minMove: raw.minMove,
      adapters,
      skipMask: raw.skipMask,
    };
  });

function asTuples(legs: readonly Leg[]): Array<[string, bigint, bigint]> {
  return legs.map((leg) => [leg.adapter, BigInt(leg.kind), leg.amount]);
}

describe("planner: the TypeScript plan equals the on-chain plan", function () {
  async function harness() {
    const [deployer] = await ethers.getSigners();
    const { libraries } = await deployReserveVault({
      deployer: deployer!,
      asset: ethers.ZeroAddress,
      admin: deployer!,
    }).catch(async () => {
      const usdc = await (await ethers.getContractFactory("MockERC20")).deploy("USD Coin", "USDC", 6);
      return deployReserveVault({ deployer: deployer!, asset: usdc, admin: deployer! });
    });
    return new PlanHarness__factory({ "contracts/libraries/PlanLib.sol:PlanLib": libraries.planLib }, deployer!).deploy(
      MAX_ADAPTERS,
    );
  }

  /** Plans `generated` through PlanLib and the TypeScript planner, asserts they agree; returns the legs. */
  async function compare(planner: PlanHarness, generated: Generated): Promise<number> {
    // Rate limits last updated a little before the block the harness plans at.
    const now = BigInt(await time.latest()) + 1n;
    const items = generated.adapters.map((a) => ({
      quarantined: a.quarantined,
      targetWeightBps: a.targetWeightBps,
      value: a.value,
      cap: a.cap,
      rateLimit: { ...a.rateLimit, lastUpdated: now - 100n },
      maxSlippageBps: a.maxSlippageBps,
      views: [a.pendingRedeem, a.maxWithdraw, a.maxRequestRedeem, a.maxDeposit, a.minDeposit, a.exitCostBps] as [
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
      ],
    }));
    const inputs = {
      grossAssets: generated.grossAssets,
      idle: generated.idle,
      bufferBps: generated.bufferBps,
      driftBandBps: generated.driftBandBps,
      minMove: generated.minMove,
      skipMask: generated.skipMask,
    };
    const [onChain, timestamp, addresses] = await planner.planFor.staticCall(
      { ...inputs, redeemQueue: ethers.ZeroAddress },
      items,
      { ...generated.queue, broken: false },
    );
    const { skipMask: _mask, ...vaultInputs } = inputs;
    const { pending, ...queue } = generated.queue;
    const costs = new Map(generated.adapters.map((a, i) => [addresses[i]!, a.exitCostBps]));
    const state: VaultState = withExitQuotes(
      {
        ...vaultInputs,
        queue: pending ? queue : NO_QUEUE,
        totalAssets: generated.grossAssets,
        adapters: generated.adapters.map(({ exitCostBps: _cost, ...a }, i): AdapterState => ({
          ...a,
          address: addresses[i]!,
          rateLimit: items[i]!.rateLimit,
        })),
      },
      (adapter, assets) => quoteOf(costs.get(adapter.address)!)(adapter, assets),
    );
    const expected = onChain.map((leg): [string, bigint, bigint] => [leg.adapter, BigInt(leg.kind), leg.amount]);
    const ours = asTuples(plan(state, timestamp, generated.skipMask));
    expect(ours).to.deep.equal(expected);
    return ours.length;
  }

  /** Compares `runs` states drawn from `states`; returns how many planned at least one leg. */
  async function compareAll(states: fc.Arbitrary<Generated>, runs: number, seed: number): Promise<number> {
    const planner = await loadFixture(harness);
    let withLegs = 0;
    await fc.assert(
      fc.asyncProperty(states, async (generated) => {
        if ((await compare(planner, generated)) > 0) withLegs++;
      }),
      { numRuns: runs, seed },
    );
    return withLegs;
  }

  it("on 600 random states through PlanLib itself (fast-check)", async function () {
    const withLegs = await compareAll(vaultState, 600, 20261123);
    expect(withLegs, "the random states exercise real plans, not only empty ones").to.be.gt(100);
  });

  it("on 400 states drawn on the plan's edges: target ± band ± 1, cap, rate limit, ticket, liquidity, buffer", async function () {
    const withLegs = await compareAll(boundaryState, 400, 20261129);
    expect(withLegs, "edge states plan real legs too").to.be.gt(100);
  });

  it("on random sequences of a real vault: reader + planner equal previewRebalance() at the same block", async function () {
    const system = await deploySystem(4, [3_000n, 2_500n, 2_000n, 1_500n]);
    const { vault, alice, curator, keeper, guardian, adapters } = system;
    const address = await vault.getAddress();
    for (const adapter of adapters) await vault.connect(curator).setMaxSlippage(adapter, 10n);
    const step = fc.oneof(
      fc.record({ kind: fc.constant("deposit" as const), amount: fc.bigInt({ min: 1n, max: 200_000n * USDC }) }),
      fc.record({
        kind: fc.constant("nav" as const),
        who: fc.nat(3),
        delta: fc.bigInt({ min: -5n * USDC, max: 5n * USDC }),
      }),
      fc.record({
        kind: fc.constant("limits" as const),
        who: fc.nat(3),
        liquidity: fc.bigInt({ min: 0n, max: 100_000n * USDC }),
      }),
      fc.record({ kind: fc.constant("async" as const), who: fc.nat(3) }),
      // An exit fee around the 10 bps bound: the plan prices each instant exit as a withdrawal does.
      fc.record({ kind: fc.constant("fee" as const), who: fc.nat(3), exitBps: fc.constantFrom(0n, 10n, 11n, 50n) }),
      fc.record({ kind: fc.constant("weight" as const), who: fc.nat(3), weight: fc.bigInt({ min: 0n, max: 2_500n }) }),
      fc.record({
        kind: fc.constant("band" as const),
        driftBps: fc.bigInt({ min: 0n, max: 300n }),
        minMove: fc.bigInt({ min: 0n, max: 1_000n * USDC }),
      }),
      fc.record({
        kind: fc.constant("rate" as const),
        who: fc.nat(3),
        max: fc.bigInt({ min: 0n, max: 100_000n * USDC }),
      }),
      fc.record({ kind: fc.constant("rebalance" as const) }),
      fc.record({ kind: fc.constant("report" as const) }),
      fc.record({ kind: fc.constant("quarantine" as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant("time" as const), seconds: fc.nat(86_400) }),
    );
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          const adapter = "who" in s ? adapters[s.who]! : undefined;
          const tx = async (): Promise<unknown> => {
            switch (s.kind) {
              case "deposit":
                return vault.connect(alice).deposit(s.amount, alice);
              case "nav": {
                const holdings = await adapter!.holdings();
                if (s.delta < 0n && -s.delta > holdings) return undefined;
                return adapter!.moveNav(s.delta);
              }
              case "limits":
                return adapter!.setLimits(s.liquidity, 2n ** 255n, 0n);
              case "async":
                return adapter!.setAsync(false, true);
              case "fee":
                return adapter!.setFees(0n, s.exitBps, 0n);
              case "weight": {
                const current = BigInt((await vault.adapterConfig(adapter!)).targetWeightBps);
                const total = await vault.totalWeightBps();
                if (total - current + s.weight > 10_000n) return undefined;
                return vault.connect(curator).setTargetWeight(adapter!, s.weight);
              }
              case "band":
                return vault.connect(curator).setDriftBand(s.driftBps, s.minMove);
              case "rate":
                return vault.connect(curator).setRateLimit(adapter!, s.max, s.max / 1_000n);
              case "rebalance":
                return vault.connect(keeper).rebalance();
              case "report":
                return vault.connect(keeper).report();
              case "quarantine":
                return (await vault.adapterConfig(adapter!)).quarantined
                  ? vault.connect(guardian).liftQuarantine(adapter!, ethers.MaxUint256)
                  : vault.connect(guardian).quarantine(adapter!);
              case "time":
                return time.increase(s.seconds + 1);
            }
          };
          await tx().catch(() => undefined); // a refused step (e.g. over the loss bound) changes nothing
          const snapshot = await readSnapshot(ethers.provider, address);
          const onChain = await vault.previewRebalance({ blockTag: snapshot.blockNumber });
          // An eth_call at a block runs at that block's own timestamp, as the reader's reads did.
          const ours = asTuples(plan(snapshot.state, snapshot.timestamp));
          const expected = onChain.map((leg): [string, bigint, bigint] => [leg.adapter, BigInt(leg.kind), leg.amount]);
          expect(ours).to.deep.equal(expected);
          compared++;
        }
      }),
      { numRuns: 25, seed: 20261124 },
    );
    expect(compared).to.be.gte(125);
    expect(LegKind.Deposit).to.equal(2);
  });
});

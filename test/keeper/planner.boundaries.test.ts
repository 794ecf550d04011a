import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployReserveVault } from "../../src/deploy/vault";
import {
  LegKind,
  NO_QUEUE,
  UNLIMITED,
  plan,
  withExitQuotes,
  type AdapterState,
  type VaultState,
} from "../../src/keeper/planner";
import { PlanHarness__factory, type PlanHarness } from "../../typechain-types";

/**
 * Every input of the plan at its limit and one unit past it, on the entry side and on the exit side,
 * through the Solidity plan (PlanLib, via a harness) and the TypeScript planner alike: both must give
 * the expected legs, to the unit.
 *
 * The base state: $10 (10,000,000 units) gross, one adapter weighted 50 % (target 5,000,000 with no
 * buffer), a band of 1 % (100,000) over a minimum move of 1,000, and no other limit.
 */
const G = 10_000_000n;
const TARGET = 5_000_000n;
const BAND = 100_000n;
const MIN_MOVE = 1_000n;
const BIG = 2n ** 200n;

interface Case {
  gross?: bigint;
  idle?: bigint;
  bufferBps?: bigint;
  driftBandBps?: bigint;
  minMove?: bigint;
  skipMask?: bigint;
  adapter: Partial<Omit<AdapterState, "address" | "rateLimit" | "instantExit">> & {
    value: bigint;
    rateAvailable?: bigint;
    /** The instant exit's cost in bps of its amount, rounded up (the harness adapter's quote); 0 by default. */
    exitCostBps?: bigint;
  };
  /** The second adapter (index 1), present only for skip-mask cases. */
  other?: boolean;
  /** The redemption queue's pending exits (the vault passes the queue only while some are pending). */
  queue?: { pendingAssets: bigint; overdue: boolean };
  /** A queue with exits pending whose views revert. */
  brokenQueue?: boolean;
}

type Expected = Array<[LegKind, bigint]>;

async function harness(): Promise<PlanHarness> {
  const [deployer] = await ethers.getSigners();
  const usdc = await (await ethers.getContractFactory("MockERC20")).deploy("USD Coin", "USDC", 6);
  const { libraries } = await deployReserveVault({ deployer: deployer!, asset: usdc, admin: deployer! });
  return new PlanHarness__factory({ "contracts/libraries/PlanLib.sol:PlanLib": libraries.planLib }, deployer!).deploy(
    2,
  );
}

/** Plans `c` on-chain and in TypeScript; asserts they agree and returns the legs of adapter 0. */
async function planBoth(planner: PlanHarness, c: Case): Promise<Expected> {
  const gross = c.gross ?? G;
  const inputs = {
    grossAssets: gross,
    idle: c.idle ?? gross - c.adapter.value,
    bufferBps: c.bufferBps ?? 0n,
    driftBandBps: c.driftBandBps ?? 100n,
    minMove: c.minMove ?? MIN_MOVE,
    skipMask: c.skipMask ?? 0n,
  };
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 1n;
  const available = c.adapter.rateAvailable ?? UNLIMITED;
  const rateLimit = { maxAmount: available, slopePerSecond: 0n, lastAmount: available, lastUpdated: now - 100n };
  const a = {
    quarantined: c.adapter.quarantined ?? false,
    targetWeightBps: c.adapter.targetWeightBps ?? 5_000n,
    value: c.adapter.value,
    cap: c.adapter.cap ?? UNLIMITED,
    rateLimit,
    pendingRedeem: c.adapter.pendingRedeem ?? 0n,
    maxWithdraw: c.adapter.maxWithdraw ?? BIG,
    maxRequestRedeem: c.adapter.maxRequestRedeem ?? 0n,
    maxDeposit: c.adapter.maxDeposit ?? BIG,
    minDeposit: c.adapter.minDeposit ?? 0n,
    maxSlippageBps: c.adapter.maxSlippageBps ?? 0n,
  };
  const exitCostBps = c.adapter.exitCostBps ?? 0n;
  const states = c.other ? [a, { ...a }] : [a];
  const items = states.map((s) => ({
    quarantined: s.quarantined,
    targetWeightBps: s.targetWeightBps,
    value: s.value,
    cap: s.cap,
    rateLimit: s.rateLimit,
    maxSlippageBps: s.maxSlippageBps,
    views: [s.pendingRedeem, s.maxWithdraw, s.maxRequestRedeem, s.maxDeposit, s.minDeposit, exitCostBps] as [
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
    ],
  }));
  // A queue whose views revert reads as overdue with no demand (PlanLib and the reader alike).
  const queue = c.brokenQueue ? { pendingAssets: 0n, overdue: true } : (c.queue ?? NO_QUEUE);
  const [onChain, timestamp, addresses] = await planner.planFor.staticCall(
    { ...inputs, redeemQueue: ethers.ZeroAddress },
    items,
    { pending: c.queue !== undefined || c.brokenQueue === true, ...queue, broken: c.brokenQueue === true },
  );
  const state: VaultState = withExitQuotes(
    {
      queue,
      totalAssets: gross,
      grossAssets: gross,
      idle: inputs.idle,
      bufferBps: inputs.bufferBps,
      driftBandBps: inputs.driftBandBps,
      minMove: inputs.minMove,
      adapters: states.map((s, i): AdapterState => ({ ...s, address: addresses[i]! })),
    },
    (_, assets) => (assets * exitCostBps + 9_999n) / 10_000n,
  );
  const ours = plan(state, timestamp, inputs.skipMask).map((leg): [string, bigint, bigint] => [
    leg.adapter,
    BigInt(leg.kind),
    leg.amount,
  ]);
  const theirs = onChain.map((leg): [string, bigint, bigint] => [leg.adapter, BigInt(leg.kind), leg.amount]);
  expect(ours, "the TypeScript plan equals PlanLib's").to.deep.equal(theirs);
  return theirs.filter((leg) => leg[0] === addresses[0]).map((leg) => [Number(leg[1]) as LegKind, leg[2]]);
}

/** One boundary: the input at its limit gives `atLimit`, one unit past it gives `past`. */
interface Boundary {
  name: string;
  atLimit: Case;
  expectAtLimit: Expected;
  past: Case;
  expectPast: Expected;
}

const { Withdraw, RequestRedeem, Deposit } = LegKind;

/** A queue demand of $1: what stays is $9, so the adapter's target is 4,500,000 and its band 90,000. */
const DEMAND = 1_000_000n;
const QUEUE_TARGET = 4_500_000n;
const QUEUE_BAND = 90_000n;

const boundaries: Boundary[] = [
  // The redemption queue.
  {
    name: "queue demand, exit side: targets are sized on what stays once the queue is served",
    atLimit: { queue: { pendingAssets: DEMAND, overdue: false }, adapter: { value: QUEUE_TARGET + QUEUE_BAND } },
    expectAtLimit: [],
    past: { queue: { pendingAssets: DEMAND, overdue: false }, adapter: { value: QUEUE_TARGET + QUEUE_BAND + 1n } },
    expectPast: [[Withdraw, QUEUE_BAND + 1n]],
  },
  {
    name: "queue demand, entry side: idle beyond the buffer and the demand is spent; the demand stays idle",
    atLimit: {
      queue: { pendingAssets: DEMAND, overdue: false },
      idle: DEMAND + QUEUE_BAND + 1n,
      adapter: { value: QUEUE_TARGET - QUEUE_BAND - 1n },
    },
    expectAtLimit: [[Deposit, QUEUE_BAND + 1n]],
    past: {
      queue: { pendingAssets: DEMAND, overdue: false },
      idle: DEMAND + QUEUE_BAND,
      adapter: { value: QUEUE_TARGET - QUEUE_BAND - 1n },
    },
    expectPast: [[Deposit, QUEUE_BAND]],
  },
  {
    name: "queue overdue: entries stop until it is served (exits go on)",
    atLimit: {
      queue: { pendingAssets: DEMAND, overdue: false },
      idle: 2n * DEMAND,
      adapter: { value: QUEUE_TARGET - QUEUE_BAND - 1n },
    },
    expectAtLimit: [[Deposit, QUEUE_BAND + 1n]],
    past: {
      queue: { pendingAssets: DEMAND, overdue: true },
      idle: 2n * DEMAND,
      adapter: { value: QUEUE_TARGET - QUEUE_BAND - 1n },
    },
    expectPast: [],
  },
  {
    name: "a queue whose views revert: no entries, and nothing sold for it",
    atLimit: { idle: 2n * DEMAND, adapter: { value: TARGET - BAND - 1n } },
    expectAtLimit: [[Deposit, BAND + 1n]],
    past: { brokenQueue: true, idle: 2n * DEMAND, adapter: { value: TARGET - BAND - 1n } },
    expectPast: [],
  },
  {
    name: "queue overdue, exit side: the exit still goes",
    atLimit: { queue: { pendingAssets: DEMAND, overdue: true }, adapter: { value: QUEUE_TARGET + QUEUE_BAND } },
    expectAtLimit: [],
    past: { queue: { pendingAssets: DEMAND, overdue: true }, adapter: { value: QUEUE_TARGET + QUEUE_BAND + 1n } },
    expectPast: [[Withdraw, QUEUE_BAND + 1n]],
  },
  // Drift band.
  {
    name: "drift band, entry side: at target − band nothing; one unit below, the whole shortfall",
    atLimit: { adapter: { value: TARGET - BAND } },
    expectAtLimit: [],
    past: { adapter: { value: TARGET - BAND - 1n } },
    expectPast: [[Deposit, BAND + 1n]],
  },
  {
    name: "drift band, exit side: at target + band nothing; one unit above, the whole excess",
    atLimit: { adapter: { value: TARGET + BAND } },
    expectAtLimit: [],
    past: { adapter: { value: TARGET + BAND + 1n } },
    expectPast: [[Withdraw, BAND + 1n]],
  },
  // Minimum move (band at its floor: driftBandBps 0).
  {
    name: "minimum move, entry side: spendable at the minimum moves it; one unit less moves nothing",
    atLimit: { driftBandBps: 0n, idle: MIN_MOVE, adapter: { value: TARGET - 2n * MIN_MOVE } },
    expectAtLimit: [[Deposit, MIN_MOVE]],
    past: { driftBandBps: 0n, idle: MIN_MOVE - 1n, adapter: { value: TARGET - 2n * MIN_MOVE } },
    expectPast: [],
  },
  {
    name: "minimum move, exit side: instant liquidity at the minimum moves it; one unit less moves nothing",
    atLimit: { driftBandBps: 0n, adapter: { value: TARGET + MIN_MOVE + 1n, maxWithdraw: MIN_MOVE } },
    expectAtLimit: [[Withdraw, MIN_MOVE]],
    past: { driftBandBps: 0n, adapter: { value: TARGET + MIN_MOVE + 1n, maxWithdraw: MIN_MOVE - 1n } },
    expectPast: [],
  },
  {
    name: "minimum move, async exit: a request at the minimum is filed; one unit less is not",
    atLimit: {
      driftBandBps: 0n,
      adapter: { value: TARGET + MIN_MOVE + 1n, maxWithdraw: 0n, maxRequestRedeem: MIN_MOVE },
    },
    expectAtLimit: [[RequestRedeem, MIN_MOVE]],
    past: {
      driftBandBps: 0n,
      adapter: { value: TARGET + MIN_MOVE + 1n, maxWithdraw: 0n, maxRequestRedeem: MIN_MOVE - 1n },
    },
    expectPast: [],
  },
  // The adapter's ticket (minDeposit) and its own limits.
  {
    name: "ticket, entry side: an amount equal to minDeposit goes; one unit short of it does not",
    atLimit: { adapter: { value: TARGET - BAND - 1n, minDeposit: BAND + 1n } },
    expectAtLimit: [[Deposit, BAND + 1n]],
    past: { adapter: { value: TARGET - BAND - 1n, minDeposit: BAND + 2n } },
    expectPast: [],
  },
  {
    name: "maxDeposit, entry side: at the shortfall the whole of it; one unit less, that much",
    atLimit: { adapter: { value: TARGET - BAND - 1n, maxDeposit: BAND + 1n } },
    expectAtLimit: [[Deposit, BAND + 1n]],
    past: { adapter: { value: TARGET - BAND - 1n, maxDeposit: BAND } },
    expectPast: [[Deposit, BAND]],
  },
  {
    name: "instant liquidity, exit side: at the excess all instant; one unit less, the rest requested",
    atLimit: { adapter: { value: TARGET + BAND + 1n, maxWithdraw: BAND + 1n, maxRequestRedeem: BIG } },
    expectAtLimit: [[Withdraw, BAND + 1n]],
    past: { adapter: { value: TARGET + BAND + 1n, maxWithdraw: BAND, maxRequestRedeem: BIG } },
    expectPast: [[Withdraw, BAND]], // the 1 unit left is below the minimum move: no request
  },
  {
    name: "exit cost, exit side: an instant exit quoted at the slippage bound goes; one unit dearer, it is requested",
    // 100,000 at 10 bps may cost 100; a quote of 10 bps costs exactly that, 10.0001 bps one unit more.
    atLimit: {
      adapter: {
        value: TARGET + BAND,
        maxWithdraw: BAND,
        maxRequestRedeem: BIG,
        maxSlippageBps: 10n,
        exitCostBps: 10n,
      },
      driftBandBps: 0n,
    },
    expectAtLimit: [[Withdraw, BAND]],
    past: {
      adapter: {
        value: TARGET + BAND,
        maxWithdraw: BAND,
        maxRequestRedeem: BIG,
        maxSlippageBps: 10n,
        exitCostBps: 11n,
      },
      driftBandBps: 0n,
    },
    expectPast: [[RequestRedeem, BAND]],
  },
  {
    name: "in-flight redemptions count as leaving: an exit already requested is not requested again",
    atLimit: { adapter: { value: TARGET + BAND + 1n, pendingRedeem: 1n, maxRequestRedeem: BIG } },
    expectAtLimit: [],
    past: { adapter: { value: TARGET + BAND + 1n, pendingRedeem: 0n, maxWithdraw: 0n, maxRequestRedeem: BIG } },
    expectPast: [[RequestRedeem, BAND + 1n]],
  },
  // Cap.
  {
    name: "cap, entry side: headroom equal to the shortfall takes it all; one unit less, that much",
    atLimit: { adapter: { value: TARGET - BAND - 1n, cap: TARGET } },
    expectAtLimit: [[Deposit, BAND + 1n]],
    past: { adapter: { value: TARGET - BAND - 1n, cap: TARGET - 1n } },
    expectPast: [[Deposit, BAND]],
  },
  {
    name: "cap, exit side: a book above its cap is not forced out inside the band; past the band it exits",
    atLimit: { adapter: { value: TARGET + BAND, cap: 0n } },
    expectAtLimit: [],
    past: { adapter: { value: TARGET + BAND + 1n, cap: 0n } },
    expectPast: [[Withdraw, BAND + 1n]],
  },
  // Rate limit.
  {
    name: "rate limit, entry side: headroom equal to the shortfall takes it all; one unit less, that much",
    atLimit: { adapter: { value: TARGET - BAND - 1n, rateAvailable: BAND + 1n } },
    expectAtLimit: [[Deposit, BAND + 1n]],
    past: { adapter: { value: TARGET - BAND - 1n, rateAvailable: BAND } },
    expectPast: [[Deposit, BAND]],
  },
  {
    name: "rate limit, exit side: inflows only; an exhausted limit never holds an exit",
    atLimit: { adapter: { value: TARGET + BAND, rateAvailable: 0n } },
    expectAtLimit: [],
    past: { adapter: { value: TARGET + BAND + 1n, rateAvailable: 0n } },
    expectPast: [[Withdraw, BAND + 1n]],
  },
  // Buffer (1 % of 10,000,000 is 100,000, kept idle).
  {
    name: "buffer, entry side: idle of buffer + minimum move moves the minimum; one unit less, nothing",
    atLimit: { bufferBps: 100n, driftBandBps: 0n, idle: 100_000n + MIN_MOVE, adapter: { value: 0n } },
    expectAtLimit: [[Deposit, MIN_MOVE]],
    past: { bufferBps: 100n, driftBandBps: 0n, idle: 100_000n + MIN_MOVE - 1n, adapter: { value: 0n } },
    expectPast: [],
  },
  {
    name: "buffer, exit side: a book at the target + band under a 1 % buffer stays; at 1.01 % it exits",
    // target = 50 % of (10,000,000 − 100,000) = 4,950,000; with 101 bps it is 4,949,500.
    atLimit: { bufferBps: 100n, adapter: { value: 4_950_000n + BAND } },
    expectAtLimit: [],
    past: { bufferBps: 101n, adapter: { value: 4_950_000n + BAND } },
    expectPast: [[Withdraw, BAND + 500n]],
  },
  // Skip mask.
  {
    name: "skip mask, entry side: another adapter's bit leaves this one's entry; its own bit drops it",
    atLimit: { skipMask: 2n, other: true, adapter: { value: TARGET - BAND - 1n } },
    expectAtLimit: [[Deposit, BAND + 1n]],
    past: { skipMask: 1n, other: true, adapter: { value: TARGET - BAND - 1n } },
    expectPast: [],
  },
  {
    name: "skip mask, exit side: another adapter's bit leaves this one's exit; its own bit drops it",
    atLimit: { skipMask: 2n, other: true, adapter: { value: TARGET + BAND + 1n } },
    expectAtLimit: [[Withdraw, BAND + 1n]],
    past: { skipMask: 1n, other: true, adapter: { value: TARGET + BAND + 1n } },
    expectPast: [],
  },
  // Quarantine.
  {
    name: "quarantine, entry side: a healthy adapter takes its entry; a quarantined one none",
    atLimit: { adapter: { value: TARGET - BAND - 1n } },
    expectAtLimit: [[Deposit, BAND + 1n]],
    past: { adapter: { value: TARGET - BAND - 1n, quarantined: true } },
    expectPast: [],
  },
  {
    name: "quarantine, exit side: a healthy adapter gives its excess back; a quarantined one is left alone",
    atLimit: { adapter: { value: TARGET + BAND + 1n } },
    expectAtLimit: [[Withdraw, BAND + 1n]],
    past: { adapter: { value: TARGET + BAND + 1n, quarantined: true } },
    expectPast: [],
  },
];

describe("planner: every plan input at its limit and one unit past it, PlanLib and TypeScript alike", function () {
  for (const b of boundaries) {
    it(b.name, async function () {
      const planner = await loadFixture(harness);
      expect(await planBoth(planner, b.atLimit), "at the limit").to.deep.equal(b.expectAtLimit);
      expect(await planBoth(planner, b.past), "one unit past it").to.deep.equal(b.expectPast);
    });
  }
});

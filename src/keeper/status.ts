import Table from "cli-table3";
import { formatUnits } from "ethers";
import { describeReason, type NextMove } from "./explain";
import { LegKind, type Leg } from "./planner";
import type { Snapshot } from "./reader";

/** One adapter's row of the status view, numbers as exact decimal strings. */
export interface AdapterStatusRow {
  adapter: string;
  targetWeightBps: string;
  currentWeightBps: string;
  driftBps: string;
  value: string;
  pendingIn: string;
  pendingOut: string;
  claimable: string;
  navAgeSeconds: string;
  quarantined: boolean;
  rateLimitHeadroom: string;
  /** Outside its issuer's window now (the keeper's calendar): the next tick leaves it alone. */
  outsideWindow: boolean;
  /** Why the next tick gives it no leg, in words (empty when it gets one). */
  why: string[];
}

export interface StatusView {
  block: number;
  timestamp: string;
  totalAssets: string;
  idle: string;
  adapters: AdapterStatusRow[];
  nextPlan: Array<{ adapter: string; kind: string; amount: string }>;
  /** The guardian paused the vault: the next tick sends nothing. */
  paused: boolean;
  /** Gains booked and not yet unlocked: why the adapters' values sum above total assets. */
  lockedProfit: string;
  /** Assets per share, in the asset's units. */
  sharePrice: string;
  /** The redemption queue, when the vault has one. */
  queue?: QueueStatusView;
}

/** The redemption queue's depth, age and what it holds, and how the plan serves it. */
export interface QueueStatusView {
  address: string;
  requests: string;
  pendingAssets: string;
  oldestRequestAgeSeconds: string;
  overdue: boolean;
  reservedAssets: string;
  /** How the next tick serves the queue, in words. */
  plan: string;
}

const UNLIMITED = 2n ** 128n - 1n;

export function statusView(snapshot: Snapshot, move: NextMove, decimals: number): StatusView {
  const { state, status } = snapshot;
  const legs = move.legs;
  const fmt = (value: bigint): string => (value >= UNLIMITED ? "unlimited" : formatUnits(value, decimals));
  const bps = (part: bigint): bigint => (state.totalAssets === 0n ? 0n : (part * 10_000n) / state.totalAssets);
  // Targets apply to what is investable (total less the buffer): in % of total assets that is
  // weight × (1 − buffer), the share the vault actually aims for.
  const effectiveTarget = (weightBps: bigint): bigint => (weightBps * (10_000n - state.bufferBps)) / 10_000n;
  return {
    block: snapshot.blockNumber,
    timestamp: new Date(Number(snapshot.timestamp) * 1_000).toISOString(),
    totalAssets: fmt(state.totalAssets),
    idle: fmt(state.idle),
    adapters: state.adapters.map((adapter, i) => {
      const s = status[i]!;
      const current = bps(adapter.value);
      const target = effectiveTarget(adapter.targetWeightBps);
      return {
        adapter: adapter.address,
        targetWeightBps: target.toString(),
        currentWeightBps: current.toString(),
        driftBps: (current - target).toString(),
        value: fmt(adapter.value),
        pendingIn: fmt(s.pendingDeposit),
        pendingOut: fmt(adapter.pendingRedeem),
        claimable: fmt(s.claimable),
        navAgeSeconds: s.navUpdatedAt === 0n ? "unusable" : (snapshot.timestamp - s.navUpdatedAt).toString(),
        quarantined: adapter.quarantined,
        rateLimitHeadroom: fmt(s.rateLimitAvailable),
        outsideWindow: ((move.skipMask >> BigInt(i)) & 1n) === 1n,
        why: move.reasons[i]!.map((reason) => describeReason(reason, decimals)),
      };
    }),
    nextPlan: legs.map((leg) => ({ adapter: leg.adapter, kind: LegKind[leg.kind], amount: fmt(leg.amount) })),
    paused: move.paused,
    lockedProfit: fmt(state.grossAssets > state.totalAssets ? state.grossAssets - state.totalAssets : 0n),
    sharePrice: snapshot.sharePrice === undefined ? "none yet" : snapshot.sharePrice.toFixed(6),
    ...(snapshot.queue ? { queue: queueView(snapshot, legs, fmt) } : {}),
  };
}

function queueView(snapshot: Snapshot, legs: readonly Leg[], fmt: (value: bigint) => string): QueueStatusView {
  const queue = snapshot.queue!;
  const pending = queue.pendingShares !== 0n;
  const exits = legs.filter((leg) => leg.kind !== LegKind.Deposit);
  const freed = exits.reduce((sum, leg) => sum + leg.amount, 0n);
  let plan: string;
  if (!pending) plan = "nothing pending";
  else if (snapshot.state.idle >= queue.pendingAssets) plan = "idle covers it: the next fulfil serves it";
  else if (exits.length > 0) {
    plan =
      `the next rebalance frees ${fmt(freed)} (${exits.length} exit${exits.length === 1 ? "" : "s"}, ` +
      "requests to issuers included); fulfil serves what arrives";
  } else plan = "waiting for issuers: exits already requested are in flight";
  if (pending && queue.overdue) plan += "; OVERDUE: the plan makes no entries until it is served";
  return {
    address: queue.address,
    requests: queue.length.toString(),
    pendingAssets: fmt(queue.pendingAssets),
    oldestRequestAgeSeconds:
      queue.oldestRequestAt === 0n ? "none" : (snapshot.timestamp - queue.oldestRequestAt).toString(),
    overdue: pending && queue.overdue,
    reservedAssets: fmt(queue.reservedAssets),
    plan,
  };
}

const short = (address: string): string => `${address.slice(0, 6)}…${address.slice(-4)}`;

export function formatStatus(view: StatusView): string {
  const table = new Table({
    head: [
      "adapter",
      "target % (after buffer)",
      "current %",
      "drift bps",
      "value",
      "pending in",
      "pending out",
      "claimable",
      "NAV age s",
      "quarantine",
      "rate-limit headroom",
    ],
    style: { head: [], border: [] },
  });
  for (const row of view.adapters) {
    table.push([
      short(row.adapter),
      (Number(row.targetWeightBps) / 100).toFixed(2),
      (Number(row.currentWeightBps) / 100).toFixed(2),
      row.driftBps,
      row.value,
      row.pendingIn,
      row.pendingOut,
      row.claimable,
      row.navAgeSeconds,
      row.quarantined ? "YES" : "no",
      row.rateLimitHeadroom,
    ]);
  }
  const legs = view.nextPlan.map((l) => `  ${l.kind.padEnd(14)} ${l.amount.padStart(22)}  ${l.adapter}`).join("\n");
  const reasons = view.adapters
    .filter((row) => row.why.length > 0)
    .map((row) => `  ${row.adapter}: ${row.why.join("; ")}`)
    .join("\n");
  const plan = view.paused
    ? "the vault is PAUSED: the next tick sends nothing until the guardian unpauses it"
    : view.nextPlan.length === 0
      ? `next tick: nothing to move${reasons ? `, because:\n${reasons}` : ""}`
      : `next tick would execute:\n${legs}${reasons ? `\nno leg for:\n${reasons}` : ""}`;
  const queue = view.queue
    ? `redemption queue ${view.queue.address}: ${view.queue.requests} request(s), ${view.queue.pendingAssets} pending, ` +
      `oldest ${view.queue.oldestRequestAgeSeconds === "none" ? "none" : `${view.queue.oldestRequestAgeSeconds} s old`}, ` +
      `${view.queue.reservedAssets} held for claims — ${view.queue.plan}\n`
    : "";
  return (
    `vault at block ${view.block} (${view.timestamp}): total assets ${view.totalAssets}, idle ${view.idle}, ` +
    `locked profit ${view.lockedProfit} (book values include it), share price ${view.sharePrice}` +
    `${view.paused ? ", PAUSED" : ""}\n${table.toString()}\n${plan}\n${queue}`
  );
}

import Table from "cli-table3";
import { formatUnits, getAddress, type JsonRpcProvider } from "ethers";
import { formatRemaining, groupDecimal as h } from "../cli/units";
import type { KeeperConfig } from "../config/keeper";
import { describeReason, issuerNotes, nextMove, type NextMove } from "./explain";
import { readGovernance, type GovernanceView } from "./governance";
import { LegKind, type Leg } from "./planner";
import { readSnapshot, type Membership, type Snapshot } from "./reader";

/** One adapter's row of the status view, numbers as exact decimal strings. */
export interface AdapterStatusRow {
  adapter: string;
  /** Its name in the deployment record, when there is one. */
  name?: string;
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
  /** Its membership of the product's list, where the issuer keeps one (Centrifuge V3). */
  membership?: { valid: boolean; validUntil: string; frozen: boolean };
  /** What the issuer says about the adapter itself (a lapsed or lapsing membership), in words. */
  issuer: string[];
}

function membershipView(m: Membership): NonNullable<AdapterStatusRow["membership"]> {
  return {
    valid: m.valid,
    validUntil: m.validUntil >= 2n ** 63n ? "never expires" : new Date(Number(m.validUntil) * 1_000).toISOString(),
    frozen: m.frozen,
  };
}

export interface StatusView {
  block: number;
  timestamp: string;
  /** The asset's symbol: every amount below is in its units. */
  asset: string;
  totalAssets: string;
  idle: string;
  adapters: AdapterStatusRow[];
  nextPlan: Array<{ adapter: string; kind: string; amount: string }>;
  /** The guardian paused the vault: the next tick sends exits only. */
  paused: boolean;
  /** Gains booked and not yet unlocked: why the adapters' values sum above total assets. */
  lockedProfit: string;
  /** Assets per share, in the asset's units. */
  sharePrice: string;
  /** The redemption queue, when the vault has one. */
  queue?: QueueStatusView;
  /** Role holders, pending timelocked changes and the admin handover; or why they could not be read. */
  governance?: GovernanceView | { unavailable: string };
}

/** What status adds to the snapshot: the asset's units, adapter names, governance. */
export interface StatusContext {
  decimals: number;
  symbol?: string;
  /** Adapter address → its name in the deployment record. */
  names?: Record<string, string>;
  governance?: GovernanceView | { unavailable: string };
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

export function statusView(snapshot: Snapshot, move: NextMove, context: StatusContext): StatusView {
  const { state, status } = snapshot;
  const { decimals } = context;
  const legs = move.legs;
  const fmt = (value: bigint): string => (value >= UNLIMITED ? "unlimited" : formatUnits(value, decimals));
  const bps = (part: bigint): bigint => (state.totalAssets === 0n ? 0n : (part * 10_000n) / state.totalAssets);
  // Targets apply to what is investable (total less the buffer): in % of total assets that is
  // weight × (1 − buffer), the share the vault actually aims for.
  const effectiveTarget = (weightBps: bigint): bigint => (weightBps * (10_000n - state.bufferBps)) / 10_000n;
  return {
    block: snapshot.blockNumber,
    timestamp: new Date(Number(snapshot.timestamp) * 1_000).toISOString(),
    asset: context.symbol ?? "",
    totalAssets: fmt(state.totalAssets),
    idle: fmt(state.idle),
    adapters: state.adapters.map((adapter, i) => {
      const s = status[i]!;
      const current = bps(adapter.value);
      const target = effectiveTarget(adapter.targetWeightBps);
      const name = context.names?.[adapter.address.toLowerCase()];
      return {
        adapter: adapter.address,
        ...(name ? { name } : {}),
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
        ...(s.membership ? { membership: membershipView(s.membership) } : {}),
        issuer: issuerNotes(s, snapshot.timestamp),
      };
    }),
    nextPlan: legs.map((leg) => ({ adapter: leg.adapter, kind: LegKind[leg.kind], amount: fmt(leg.amount) })),
    paused: move.paused,
    lockedProfit: fmt(state.grossAssets > state.totalAssets ? state.grossAssets - state.totalAssets : 0n),
    sharePrice: snapshot.sharePrice === undefined ? "none yet" : snapshot.sharePrice.toFixed(6),
    ...(snapshot.queue ? { queue: queueView(snapshot, legs, fmt) } : {}),
    ...(context.governance ? { governance: context.governance } : {}),
  };
}

/**
 * The status view at one block, as `status` and the keeper's dry run both print it: the snapshot, the
 * plan the next tick would make from it (same calendar, pause and quarantine), the asset's units,
 * adapter names from the deployment record and, when asked, governance.
 */
export async function readStatus(
  provider: JsonRpcProvider,
  config: KeeperConfig,
  options: {
    deployment?: { vault: string; adapters: Record<string, string>; blockNumber?: number };
    governance?: boolean;
  } = {},
): Promise<StatusView> {
  const snapshot = await readSnapshot(provider, config.vault);
  // A record of another vault (the config names a different one) says nothing about this one.
  const record =
    options.deployment && getAddress(options.deployment.vault) === getAddress(config.vault)
      ? options.deployment
      : undefined;
  const names = Object.fromEntries(
    Object.entries(record?.adapters ?? {}).map(([name, address]) => [address.toLowerCase(), name]),
  );
  let governance: StatusContext["governance"];
  if (options.governance) {
    const ref = {
      vault: getAddress(config.vault),
      adapters: record?.adapters ?? {},
      ...(record?.blockNumber !== undefined ? { blockNumber: record.blockNumber } : {}),
    };
    governance = await readGovernance(provider, ref).catch((error: Error) => ({
      unavailable:
        `the vault's role and change events could not be read (${error.message.split("\n")[0]}); ` +
        "a deployment record (deployments/<network>.json) gives the block to read them from",
    }));
  }
  return statusView(snapshot, nextMove(snapshot, config, new Date()), {
    decimals: snapshot.asset.decimals,
    symbol: snapshot.asset.symbol,
    names,
    ...(governance ? { governance } : {}),
  });
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
  const unit = view.asset ? ` (${view.asset})` : "";
  const sym = view.asset ? ` ${view.asset}` : "";
  const table = new Table({
    head: [
      "adapter",
      "target % (after buffer)",
      "current %",
      "drift bps",
      `value${unit}`,
      "pending in",
      "pending out",
      "claimable",
      "NAV age",
      "quarantine",
      "rate-limit headroom",
    ],
    style: { head: [], border: [] },
  });
  for (const row of view.adapters) {
    table.push([
      row.name ?? short(row.adapter),
      (Number(row.targetWeightBps) / 100).toFixed(2),
      (Number(row.currentWeightBps) / 100).toFixed(2),
      row.driftBps,
      h(row.value),
      h(row.pendingIn),
      h(row.pendingOut),
      h(row.claimable),
      /^\d+$/.test(row.navAgeSeconds) ? formatRemaining(BigInt(row.navAgeSeconds)) : row.navAgeSeconds,
      row.quarantined ? "YES" : "no",
      h(row.rateLimitHeadroom),
    ]);
  }
  const nameOf = (address: string): string =>
    view.adapters.find((row) => row.adapter.toLowerCase() === address.toLowerCase())?.name ?? address;
  const legs = view.nextPlan
    .map((l) => `  ${l.kind.padEnd(14)} ${h(l.amount).padStart(22)}${sym}  ${nameOf(l.adapter)}`)
    .join("\n");
  const reasons = view.adapters
    .filter((row) => row.why.length > 0)
    .map((row) => `  ${row.name ?? row.adapter}: ${row.why.join("; ")}`)
    .join("\n");
  const plan = view.paused
    ? view.nextPlan.length === 0
      ? "the vault is PAUSED: the next tick sends nothing (entries wait until the guardian unpauses it)"
      : `the vault is PAUSED: the next tick sends its exits only (entries wait until the guardian unpauses it):\n${legs}`
    : view.nextPlan.length === 0
      ? `next tick: nothing to move${reasons ? `, because:\n${reasons}` : ""}`
      : `next tick would execute:\n${legs}${reasons ? `\nno leg for:\n${reasons}` : ""}`;
  const queue = view.queue
    ? `redemption queue ${view.queue.address}: ${view.queue.requests} request(s), ${h(view.queue.pendingAssets)} pending, ` +
      `oldest ${view.queue.oldestRequestAgeSeconds === "none" ? "none" : `${formatRemaining(BigInt(view.queue.oldestRequestAgeSeconds))} old`}, ` +
      `${h(view.queue.reservedAssets)} held for claims — ${view.queue.plan}\n`
    : "";
  const issuers = view.adapters
    .filter((row) => row.issuer.length > 0)
    .map((row) => `  ${row.name ?? row.adapter}: ${row.issuer.join("; ")}`)
    .join("\n");
  const issuerText = issuers ? `the issuers say:\n${issuers}\n` : "";
  return (
    `vault at block ${view.block} (${view.timestamp}): total assets ${h(view.totalAssets)}${sym}, idle ${h(view.idle)}, ` +
    `locked profit ${h(view.lockedProfit)} (book values include it), share price ${view.sharePrice}` +
    `${view.paused ? ", PAUSED" : ""}\n${table.toString()}\n${plan}\n${issuerText}${queue}${formatGovernance(view.governance)}`
  );
}

function formatGovernance(governance: StatusView["governance"]): string {
  if (!governance) return "";
  if ("unavailable" in governance) return `roles and pending changes: ${governance.unavailable}\n`;
  const roles = governance.roles.map((r) => `  ${r.role.padEnd(18)} ${r.holders.join(", ")}`).join("\n");
  const changes =
    governance.pendingChanges.length === 0
      ? "pending changes: none\n"
      : `pending changes:\n${governance.pendingChanges
          .map(
            (c) =>
              `  ${c.change} — ${c.state}${c.state.startsWith("in ") ? ` (executable from ${c.executableAt})` : ""}`,
          )
          .join("\n")}\n`;
  const transfer = governance.adminTransfer
    ? `admin handover: ${governance.adminTransfer.to} may accept ${governance.adminTransfer.state === "ready" ? "now" : governance.adminTransfer.state} (from ${governance.adminTransfer.acceptableAt})\n`
    : "";
  return `roles:\n${roles}\n${changes}${transfer}`;
}

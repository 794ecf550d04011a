import { Contract, Interface, type Provider, type Signer } from "ethers";
import type { Logger } from "pino";
import type { KeeperConfig } from "../config/keeper";
import { issuerNotes, nextMove } from "./explain";
import type { KeeperMetrics } from "./metrics";
import { LegKind, type Leg, type PlanReason } from "./planner";
import { formatAmount, formatRemaining } from "../cli/units";
import { readSnapshot, type Snapshot } from "./reader";
import { withRetry } from "./retry";
import { chooseFees, sendWithReplacement } from "./sender";

/** The vault calls the keeper makes, and the errors it decodes. */
export const KEEPER_VAULT_ABI = [
  "function report()",
  "function settle(address adapter) returns (uint256)",
  "function rebalanceExcept(uint256 skipMask) returns (uint256)",
  "function previewRebalanceExcept(uint256 skipMask) view returns (tuple(address adapter, uint8 kind, uint256 amount)[])",
  "error EnforcedPause()",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
  "error RateLimitExceeded(address adapter, uint256 amount, uint256 available)",
  "error EntrySlippageExceeded(address adapter, uint256 amount, uint256 valueAdded, uint256 minValueAdded)",
  "error ExitSlippageExceeded(address adapter, uint256 amount, uint256 valueRemoved, uint256 maxValueRemoved)",
  "error AdapterShortfall(address adapter, uint256 requested, uint256 received)",
  "error RebalanceLossExceeded(uint256 grossBefore, uint256 grossAfter, uint256 minGrossAfter)",
  "error AdapterNotListed(address adapter)",
  "error ReentrancyGuardReentrantCall()",
  "event LegFailed(address indexed adapter, uint8 kind, uint256 amount, bytes reason)",
  "event AdapterQuarantined(address indexed adapter, uint8 reason, uint256 lastGoodValue, uint256 observed)",
] as const;

/** The vault's `QuarantineReason`, by value. */
const QUARANTINE_REASONS = ["Manual", "ValuationReverted", "Stale", "Deviation", "RequestOverdue"] as const;

/** The redemption queue call the keeper makes: anyone may make it, the keeper makes it first. */
export const KEEPER_QUEUE_ABI = [
  "function fulfil(uint256 maxRequests) returns (uint256 served, uint256 shares, uint256 assets)",
  "error ReentrancyGuardReentrantCall()",
] as const;

export interface KeeperContext {
  provider: Provider;
  /** Absent in a dry run: nothing is ever sent. */
  signer?: Signer;
  config: KeeperConfig;
  log: Logger;
  metrics?: KeeperMetrics;
  /** The wall clock, injectable for calendar tests. */
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Per adapter, what it showed as claimable when a confirmed settle left that unchanged (its issuer
   * refuses the claim), and when (chain time): it is settled again once that changes, or once a report
   * interval has passed. Kept across the ticks of one context; a restart forgets it.
   */
  refusedClaims?: Map<string, { claimable: bigint; at: bigint }>;
}

export interface TickOutcome {
  blockNumber: number;
  reported: boolean;
  settled: string[];
  skipMask: bigint;
  legs: Leg[];
  /** Per adapter, in listing order: why it got no leg. */
  reasons: PlanReason[][];
  /** Hash of the rebalance sent, when one was. */
  sent?: string;
  /** Why nothing was sent, when legs were planned. */
  held?: string;
  /** Legs of the rebalance sent that failed on chain and were skipped (`LegFailed`). */
  failedLegs: FailedLeg[];
  /** Redemption requests served by the keeper's fulfil calls this tick, and the assets set aside. */
  queueServed: bigint;
  queueAssets: bigint;
}

export interface FailedLeg {
  adapter: string;
  kind: number;
  amount: bigint;
  /** The decoded revert, "ErrorName(args)" when it is known, else its raw bytes. */
  reason: string;
}

/** The legs a rebalance receipt reports as failed. */
export function failedLegsOf(logs: ReadonlyArray<{ topics: readonly string[]; data: string }>): FailedLeg[] {
  const vault = new Interface(KEEPER_VAULT_ABI);
  const failed: FailedLeg[] = [];
  for (const entry of logs) {
    const parsed = (() => {
      try {
        return vault.parseLog(entry);
      } catch {
        return null;
      }
    })();
    if (parsed?.name !== "LegFailed") continue;
    const [adapter, kind, amount, reason] = parsed.args as unknown as [string, bigint, bigint, string];
    failed.push({
      adapter,
      kind: Number(kind),
      amount,
      reason: reason === "0x" ? "no revert data" : describeRevert({ data: reason, message: reason }),
    });
  }
  return failed;
}

/** Decodes a revert into "ErrorName(arg, …)" when it is one of the vault's errors. */
export function describeRevert(error: unknown): string {
  const data = (error as { data?: string; info?: { error?: { data?: string } } }).data;
  if (typeof data === "string" && data.length >= 10) {
    const parsed = new Interface(KEEPER_VAULT_ABI).parseError(data);
    if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
  }
  const message = (error as Error).message ?? String(error);
  return message.split("\n")[0]!;
}

/** Whether a report is due: a book older than the report interval, or a live value moved past `navMoveBps`. */
export function reportDue(snapshot: Snapshot, config: KeeperConfig): string | undefined {
  for (const [i, status] of snapshot.status.entries()) {
    const adapter = snapshot.state.adapters[i]!;
    if (adapter.quarantined) continue;
    if (status.lastReportedAt === 0n) return `${adapter.address} has never been reported`;
    if (snapshot.timestamp - status.lastReportedAt >= BigInt(config.reportIntervalSeconds)) {
      return `${adapter.address} was last reported ${formatRemaining(snapshot.timestamp - status.lastReportedAt)} ago`;
    }
    if (status.liveValue === undefined) return `${adapter.address}'s valuation is unusable: report to quarantine it`;
    const diff = status.liveValue > adapter.value ? status.liveValue - adapter.value : adapter.value - status.liveValue;
    if (adapter.value > 0n && diff * 10_000n >= adapter.value * BigInt(config.navMoveBps)) {
      return `${adapter.address}'s value moved ${diff} since its last report`;
    }
  }
  return undefined;
}

/**
 * One keeper tick: read everything at one block → report when due → settle what issuers fulfilled →
 * mask adapters whose issuer is closed → simulate the rebalance → send only if it moves something and
 * fees are under the cap → wait for confirmations. State lives on chain, so a tick may be cut off at any
 * point and the next one starts over; two keepers at once move once (a second rebalance is a no-op).
 */
export async function tick(ctx: KeeperContext, options: { dryRun: boolean }): Promise<TickOutcome> {
  const { config, log } = ctx;
  const retryOptions = {
    attempts: config.retryAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
    onRetry: (attempt: number, error: unknown, delayMs: number) =>
      log.warn({ attempt, delayMs, error: describeRevert(error) }, "rpc retry"),
  };
  const retry = <T>(work: () => Promise<T>) => withRetry(work, retryOptions);
  const vault = new Contract(config.vault, KEEPER_VAULT_ABI, ctx.signer ?? ctx.provider);
  const now = (ctx.clock ?? (() => new Date()))();

  let snapshot = await retry(() => readSnapshot(ctx.provider, config.vault));
  /** An amount in the asset's units with its symbol, beside the base units every log line also gives. */
  const units = (amount: bigint): string => formatAmount(amount, snapshot.asset.decimals, snapshot.asset.symbol);
  /** An adapter's name in the deployment record, for a log line beside its address. */
  const named = (adapter: string): { name?: string } => {
    const name = config.names?.[adapter];
    return name ? { name } : {};
  };
  recordMetrics(ctx.metrics, snapshot);
  if (ctx.metrics && ctx.signer) {
    const from = await ctx.signer.getAddress();
    ctx.metrics.keeperBalance.set(Number(await retry(() => ctx.provider.getBalance(from))));
    // A send that ended in an error may have left its transaction waiting: the age keeps counting
    // until the node has no transaction of ours pending.
    if (ctx.metrics.pendingSince !== undefined) {
      const [pendingNonce, minedNonce] = await Promise.all([
        retry(() => ctx.provider.getTransactionCount(from, "pending")),
        retry(() => ctx.provider.getTransactionCount(from, "latest")),
      ]);
      if (pendingNonce === minedNonce) ctx.metrics.pendingSince = undefined;
    }
  }
  const outcome: TickOutcome = {
    blockNumber: snapshot.blockNumber,
    reported: false,
    settled: [],
    skipMask: 0n,
    legs: [],
    reasons: [],
    failedLegs: [],
    queueServed: 0n,
    queueAssets: 0n,
  };

  const sendAndWait = async (label: string, data: string, to = config.vault): Promise<string | undefined> => {
    if (!ctx.signer) return undefined;
    const fees = await retry(() => chooseFees(ctx.provider, config));
    if (!fees.ok) {
      log.warn({ action: label, reason: fees.reason }, "held: fee above cap");
      return undefined;
    }
    // The oldest of our unconfirmed transactions: one left waiting by an earlier error counts from then.
    if (ctx.metrics) ctx.metrics.pendingSince ??= Date.now();
    const receipt = await sendWithReplacement(
      ctx.signer,
      { to, data, gasLimit: config.gasLimit, ...fees },
      {
        confirmations: config.confirmations,
        retry: retryOptions,
        stuckAfterSeconds: config.stuckAfterSeconds,
        caps: config,
        onReplace: (nonce, maxFeePerGas) =>
          log.warn({ action: label, nonce, maxFeePerGas: String(maxFeePerGas) }, "replacing stuck transaction"),
        ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
      },
    );
    if (ctx.metrics) ctx.metrics.pendingSince = undefined;
    ctx.metrics?.gasSpent.inc(Number(receipt.gasUsed * receipt.gasPrice));
    if (receipt.status !== 1) throw new Error(`${label} transaction ${receipt.hash} reverted on chain`);
    log.info(
      { action: label, tx: receipt.hash, gasUsed: String(receipt.gasUsed), block: receipt.blockNumber },
      "confirmed",
    );
    // A failing leg does not revert the rebalance: it is skipped on chain and reported here.
    for (const leg of failedLegsOf(receipt.logs)) {
      outcome.failedLegs.push(leg);
      ctx.metrics?.legFailures.inc({ adapter: leg.adapter, kind: LegKind[leg.kind] ?? String(leg.kind) });
      log.warn(
        {
          action: label,
          adapter: leg.adapter,
          ...named(leg.adapter),
          kind: LegKind[leg.kind] ?? String(leg.kind),
          amount: String(leg.amount),
          units: units(leg.amount),
          reason: leg.reason,
        },
        "leg failed and was skipped",
      );
    }
    return receipt.hash;
  };

  if (!options.dryRun) {
    const due = reportDue(snapshot, config);
    if (due) {
      log.info({ reason: due }, "report due");
      const hash = await sendAndWait("report", vault.interface.encodeFunctionData("report"));
      outcome.reported = hash !== undefined;
      // A quarantine is something to act on: a warning with its reason, not just "report confirmed".
      const receipt = hash ? await retry(() => ctx.provider.getTransactionReceipt(hash)) : null;
      for (const entry of receipt?.logs ?? []) {
        const event = vault.interface.parseLog(entry);
        if (event?.name !== "AdapterQuarantined") continue;
        log.warn(
          {
            adapter: event.args.adapter as string,
            ...named(event.args.adapter as string),
            reason: QUARANTINE_REASONS[Number(event.args.reason)] ?? String(event.args.reason),
            lastGoodValue: String(event.args.lastGoodValue),
            lastGoodUnits: units(event.args.lastGoodValue as bigint),
            observed: String(event.args.observed),
            observedUnits: units(event.args.observed as bigint),
          },
          "adapter quarantined by the report: it takes no allocation until the guardian lifts it",
        );
      }
    }
    const refused = (ctx.refusedClaims ??= new Map<string, { claimable: bigint; at: bigint }>());
    const claimableBefore = new Map<string, bigint>();
    for (const [i, status] of snapshot.status.entries()) {
      if (status.claimable === 0n) continue;
      const adapter = snapshot.state.adapters[i]!.address;
      const last = refused.get(adapter);
      const retryAt = last ? last.at + BigInt(config.reportIntervalSeconds) : 0n;
      if (last?.claimable === status.claimable && snapshot.timestamp < retryAt) continue;
      log.info(
        { adapter, ...named(adapter), claimable: String(status.claimable), units: units(status.claimable) },
        "settling",
      );
      if (await sendAndWait("settle", vault.interface.encodeFunctionData("settle", [adapter]))) {
        outcome.settled.push(adapter);
        claimableBefore.set(adapter, status.claimable);
      }
    }
    if (outcome.reported || outcome.settled.length > 0)
      snapshot = await retry(() => readSnapshot(ctx.provider, config.vault));
    for (const [i, status] of snapshot.status.entries()) {
      const adapter = snapshot.state.adapters[i]!.address;
      const before = claimableBefore.get(adapter);
      if (before === undefined) continue;
      if (status.claimable !== before) {
        refused.delete(adapter);
        continue;
      }
      refused.set(adapter, { claimable: before, at: snapshot.timestamp });
      log.warn(
        { adapter, ...named(adapter), claimable: String(before), units: units(before) },
        "settle claimed nothing: the issuer refuses the claim; settling this adapter again once what it shows as claimable changes, or after a report interval",
      );
    }
    // Queued exits first: what idle and instant liquidity pay now goes to the queue before any plan.
    if (await fulfilQueue(snapshot)) snapshot = await retry(() => readSnapshot(ctx.provider, config.vault));
  }

  const move = nextMove(snapshot, config, now);
  outcome.skipMask = move.skipMask;
  outcome.legs = move.legs;
  outcome.reasons = move.reasons;
  const onChain = (await retry(() =>
    vault.getFunction("previewRebalanceExcept").staticCall(outcome.skipMask, { blockTag: snapshot.blockNumber }),
  )) as Array<{ adapter: string; kind: bigint; amount: bigint }>;
  const agrees =
    onChain.length === move.planned.length &&
    onChain.every((leg, i) => leg.adapter === move.planned[i]!.adapter && leg.amount === move.planned[i]!.amount);
  if (!agrees)
    log.error({ ours: outcome.legs.length, onChain: onChain.length }, "planner and chain disagree; the chain decides");
  log.info(
    {
      block: snapshot.blockNumber,
      skipMask: outcome.skipMask.toString(2),
      legs: outcome.legs.map((l) => ({
        adapter: l.adapter,
        ...named(l.adapter),
        kind: LegKind[l.kind],
        amount: String(l.amount),
        units: units(l.amount),
      })),
    },
    options.dryRun ? "dry run: the plan, nothing sent" : "plan",
  );
  snapshot.status.forEach((status, i) => {
    const notes = issuerNotes(status, snapshot.timestamp);
    if (notes.length > 0)
      log.warn(
        { adapter: snapshot.state.adapters[i]!.address, ...named(snapshot.state.adapters[i]!.address), issuer: notes },
        notes.join("; "),
      );
  });
  if (move.paused) {
    const held = move.planned.length - move.legs.length;
    log.warn(
      { planned: move.planned.length, exits: move.legs.length, entriesHeld: held },
      "the vault is paused: its exits are sent, its entries wait until the guardian unpauses it",
    );
    if (held > 0) outcome.held = "vault paused";
  } else if (move.legs.length === 0) {
    log.info(
      {
        reasons: Object.fromEntries(
          snapshot.state.adapters.map((a, i) => [a.address, move.reasons[i]!.map((r) => r.code)]),
        ),
      },
      "nothing to move",
    );
  }
  if (options.dryRun || move.legs.length === 0 || onChain.length === 0) {
    markSuccess(ctx.metrics);
    return outcome;
  }

  const data = vault.interface.encodeFunctionData("rebalanceExcept", [outcome.skipMask]);
  try {
    // Simulated as the keeper (the signer is the contract's runner), against the latest state.
    const moved = (await retry(() => vault.getFunction("rebalanceExcept").staticCall(outcome.skipMask))) as bigint;
    if (moved === 0n) {
      // Nothing would execute: either another keeper moved first (the plan is empty now), or every
      // planned leg would fail and be skipped — sending would pay for nothing.
      const planned = (await retry(() =>
        vault.getFunction("previewRebalanceExcept").staticCall(outcome.skipMask),
      )) as unknown[];
      if (planned.length > 0) {
        log.warn({ planned: planned.length }, "every planned leg would fail on chain; nothing sent");
        outcome.held = "every planned leg would fail";
      }
      markSuccess(ctx.metrics);
      return outcome;
    }
  } catch (error) {
    const reason = describeRevert(error);
    log.error({ reason }, "rebalance simulation reverted; nothing sent");
    ctx.metrics?.errors.inc({ kind: "simulation" });
    outcome.held = reason;
    return outcome;
  }
  const hash = await sendAndWait("rebalance", data);
  if (hash) {
    outcome.sent = hash;
    // The rebalance's exits may have freed what the queue waits for.
    await fulfilQueue(await retry(() => readSnapshot(ctx.provider, config.vault)));
  } else outcome.held = "fee above cap";
  markSuccess(ctx.metrics);
  return outcome;

  /** Serves the queue's oldest requests when a simulation says the vault can pay some; true if sent. */
  async function fulfilQueue(at: Snapshot): Promise<boolean> {
    if (!ctx.signer || !at.queue || at.queue.pendingShares === 0n) return false;
    const queue = new Contract(at.queue.address, KEEPER_QUEUE_ABI, ctx.signer);
    let preview: { served: bigint; shares: bigint; assets: bigint };
    try {
      preview = (await retry(() => queue.getFunction("fulfil").staticCall(config.queueBatch))) as typeof preview;
    } catch (error) {
      log.error({ queue: at.queue.address, reason: describeRevert(error) }, "fulfil simulation reverted; nothing sent");
      ctx.metrics?.errors.inc({ kind: "simulation" });
      return false;
    }
    if (preview.shares === 0n && preview.served === 0n) return false;
    log.info(
      {
        queue: at.queue.address,
        requests: String(preview.served),
        assets: String(preview.assets),
        units: units(preview.assets),
      },
      "fulfilling queued redemptions",
    );
    const sent = await sendAndWait(
      "fulfil",
      queue.interface.encodeFunctionData("fulfil", [config.queueBatch]),
      at.queue.address,
    );
    if (sent === undefined) return false;
    outcome.queueServed += preview.served;
    outcome.queueAssets += preview.assets;
    return true;
  }
}

function markSuccess(metrics: KeeperMetrics | undefined): void {
  if (!metrics) return;
  metrics.lastSuccessAt = Date.now() / 1_000;
  metrics.lastSuccess.set(metrics.lastSuccessAt);
}

function recordMetrics(metrics: KeeperMetrics | undefined, snapshot: Snapshot): void {
  if (!metrics) return;
  const { state, status } = snapshot;
  metrics.idle.set(Number(state.idle));
  metrics.totalAssets.set(Number(state.totalAssets));
  metrics.paused.set(snapshot.paused ? 1 : 0);
  metrics.lockedProfit.set(Number(state.grossAssets > state.totalAssets ? state.grossAssets - state.totalAssets : 0n));
  if (snapshot.sharePrice !== undefined) metrics.sharePrice.set(snapshot.sharePrice);
  const queue = snapshot.queue;
  metrics.queuePendingAssets.set(Number(queue?.pendingAssets ?? 0n));
  metrics.queueLength.set(Number(queue?.length ?? 0n));
  metrics.queueOldestAgeSeconds.set(
    queue && queue.oldestRequestAt !== 0n ? Number(snapshot.timestamp - queue.oldestRequestAt) : 0,
  );
  metrics.queueOverdue.set(queue?.overdue && queue.pendingShares !== 0n ? 1 : 0);
  state.adapters.forEach((adapter, i) => {
    const s = status[i]!;
    const current = state.totalAssets === 0n ? 0n : (adapter.value * 10_000n) / state.totalAssets;
    const target = (adapter.targetWeightBps * (10_000n - state.bufferBps)) / 10_000n;
    metrics.driftBps.set({ adapter: adapter.address }, Number(current - target));
    metrics.navAgeSeconds.set({ adapter: adapter.address }, Number(snapshot.timestamp - s.navUpdatedAt));
    metrics.pending.set({ adapter: adapter.address, side: "in" }, Number(s.pendingDeposit));
    metrics.pending.set({ adapter: adapter.address, side: "out" }, Number(adapter.pendingRedeem));
    metrics.quarantined.set({ adapter: adapter.address }, adapter.quarantined ? 1 : 0);
    metrics.rateLimitHeadroom.set({ adapter: adapter.address }, Number(s.rateLimitAvailable));
  });
}

/** Runs ticks until `signal` aborts, one after another (never overlapping), `pollIntervalSeconds` apart. */
export async function watch(ctx: KeeperContext, options: { dryRun: boolean; signal: AbortSignal }): Promise<void> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  while (!options.signal.aborted) {
    try {
      await tick(ctx, options);
    } catch (error) {
      ctx.metrics?.errors.inc({ kind: "tick" });
      ctx.log.error({ error: describeRevert(error) }, "tick failed; the next one starts over from chain state");
    }
    const until = Date.now() + ctx.config.pollIntervalSeconds * 1_000;
    while (!options.signal.aborted && Date.now() < until) await sleep(Math.min(1_000, until - Date.now()));
  }
}

import type { KeeperConfig } from "../config/keeper";
import { formatAmount, formatRemaining } from "../cli/units";
import { isOpen, windowOf } from "./calendar";
import { LegKind, plan, type Leg, type PlanReason } from "./planner";
import type { AdapterStatus, Snapshot } from "./reader";

/**
 * The next move and why: one function the keeper's tick, its dry run and `status` all call, at one
 * block, with the keeper's calendar and clock — so what status says is what the keeper does.
 */
export interface NextMove {
  /** What a rebalance would execute (while the vault is paused, its exits only: entries wait). */
  legs: Leg[];
  /** The plan itself, as the vault's `previewRebalanceExcept(skipMask)` gives it. */
  planned: Leg[];
  /** Adapters outside their issuer's window now, as a `rebalanceExcept` mask. */
  skipMask: bigint;
  paused: boolean;
  /** Per adapter, in listing order: why it gets no leg (empty when it gets one). */
  reasons: PlanReason[][];
}

/** Adapters whose issuer window is closed at `now`, as a `rebalanceExcept` mask. */
export function closedMask(snapshot: Snapshot, config: Pick<KeeperConfig, "calendar">, now: Date): bigint {
  let mask = 0n;
  snapshot.state.adapters.forEach((adapter, i) => {
    const window = windowOf(config.calendar[adapter.address]);
    if (!isOpen(now, window)) mask |= 1n << BigInt(i);
  });
  return mask;
}

export function nextMove(snapshot: Snapshot, config: Pick<KeeperConfig, "calendar">, now: Date): NextMove {
  const skipMask = closedMask(snapshot, config, now);
  const reasons = snapshot.state.adapters.map((): PlanReason[] => []);
  const planned = plan(snapshot.state, snapshot.timestamp, skipMask, (i, reason) => reasons[i]!.push(reason));
  const legs = snapshot.paused ? planned.filter((leg) => leg.kind !== LegKind.Deposit) : planned;
  return { legs, planned, skipMask, paused: snapshot.paused, reasons };
}

/** A reason in words, amounts in the asset's units. */
export function describeReason(reason: PlanReason, decimals: number, symbol = ""): string {
  const money = (value: bigint) => formatAmount(value, decimals, symbol || undefined);
  switch (reason.code) {
    case "quarantined":
      return "quarantined: takes no allocation until the guardian lifts it";
    case "outside-window":
      return "outside its issuer's window (calendar): left alone until it opens";
    case "within-band":
      return `within its band: ${money(reason.value)} against a target of ${money(reason.target)} ± ${money(reason.band)}`;
    case "exit-in-flight":
      return `an exit of ${money(reason.pendingRedeem)} is already with the issuer`;
    case "exit-unavailable":
      return (
        `${money(reason.excess)} above target, but the issuer offers ${money(reason.maxWithdraw)} instantly and takes ` +
        `requests of ${money(reason.maxRequestRedeem)}, under the minimum move of ${money(reason.minMove)}`
      );
    case "exit-too-costly":
      return reason.cost === undefined
        ? `an instant exit of ${money(reason.amount)} cannot be priced (the adapter's quote reverts): it is requested instead`
        : `an instant exit of ${money(reason.amount)} would cost ${money(reason.cost)}, above the ${money(reason.allowed)} its slippage bound allows: it is requested instead`;
    case "below-min-move":
      return `${money(reason.amount)} to place, under the minimum move of ${money(reason.minMove)}`;
    case "no-idle":
      return `no idle to place: ${money(reason.idle)} idle, ${money(reason.kept)} kept for the buffer and queued exits`;
    case "queue-overdue":
      return `the redemption queue is overdue (${money(reason.pendingAssets)} pending): no entries until it is served`;
    case "cap-reached":
      return `cap reached: ${money(reason.value)} of ${money(reason.cap)}`;
    case "rate-limited": {
      const short = reason.needed > reason.available ? reason.needed - reason.available : 0n;
      const wait =
        reason.slopePerSecond === 0n
          ? "it does not refill"
          : `refills to the minimum move in ${formatRemaining((short + reason.slopePerSecond - 1n) / reason.slopePerSecond)}`;
      return `rate-limit headroom ${money(reason.available)}; ${wait}`;
    }
    case "issuer-closed":
      return `the issuer takes ${money(reason.maxDeposit)} now (a subscription pending, or the product closed to entries)`;
    case "below-min-ticket":
      return `${money(reason.amount)} to place, under the issuer's minimum ticket of ${money(reason.minDeposit)}`;
  }
}

/** A membership closer to its end than this is worth a warning: the issuer takes time to renew one. */
export const MEMBERSHIP_WARNING_SECONDS = 7n * 86_400n;

/**
 * What the issuer says about the adapter itself, beyond the plan: a route through Securitize's ramps that
 * is closed (and why) or can fill nothing, its membership of the product's list (Centrifuge V3 refuses a lapsed
 * or frozen holder's redemption and deposit requests and hides its fills), and one about to lapse. Empty
 * when there is nothing to say.
 */
export function issuerNotes(status: AdapterStatus, now: bigint): string[] {
  const notes: string[] = [];
  const { offRamp, onRamp } = status;
  if (offRamp && !offRamp.open) {
    notes.push(
      `its instant exit through Securitize's off-ramp is closed: ${offRamp.reason}; withdrawals draw on the ` +
        "next source and the rebalance files an off-chain redemption instead",
    );
  }
  if (onRamp && !onRamp.open) {
    notes.push(`its entry through Securitize's on-ramp is closed: ${onRamp.reason}; the plan makes no entry into it`);
  } else if (onRamp?.open && onRamp.amount === 0n) {
    notes.push(
      "Securitize's on-ramp can fill no entry now (the Grove Basin holds no BUIDL for sale, or less than the " +
        "on-ramp's minimum): the plan makes no entry into it",
    );
  }
  return [...notes, ...membershipNotes(status, now)];
}

function membershipNotes(status: AdapterStatus, now: bigint): string[] {
  const m = status.membership;
  if (!m) return [];
  const until = m.validUntil >= 2n ** 63n ? "without end" : new Date(Number(m.validUntil) * 1_000).toISOString();
  if (m.frozen) {
    return ["frozen on the issuer's list: no request, claim or transfer of its shares until the issuer unfreezes it"];
  }
  if (!m.valid) {
    return [
      m.validUntil === 0n
        ? "not on the issuer's list: no request can be filed and fills stay hidden until the issuer adds it"
        : `its membership of the issuer's list lapsed at ${until}: no redemption or deposit request can be ` +
          "filed and fills stay hidden until the issuer renews it",
    ];
  }
  if (m.validUntil - now < MEMBERSHIP_WARNING_SECONDS) {
    return [`its membership of the issuer's list ends at ${until}: ask the issuer to renew it before then`];
  }
  return [];
}

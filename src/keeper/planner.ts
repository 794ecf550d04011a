/**
 * The rebalance plan in TypeScript: a pure function of a state snapshot and a time, equal to the
 * vault's on-chain `previewRebalance()` (contracts/libraries/PlanLib.sol) to the unit. No provider, no
 * environment, no clock: the keeper reads, this plans, the chain decides.
 */

export const MAX_BPS = 10_000n;
/** A rate limit whose maximum is this never binds (type(uint128).max). */
export const UNLIMITED = 2n ** 128n - 1n;

export enum LegKind {
  Withdraw = 0,
  RequestRedeem = 1,
  Deposit = 2,
}

export interface Leg {
  adapter: string;
  kind: LegKind;
  amount: bigint;
}

export interface RateLimitState {
  maxAmount: bigint;
  slopePerSecond: bigint;
  lastAmount: bigint;
  lastUpdated: bigint;
}

/** What the plan needs of one adapter: the vault's config and book value, and the adapter's views. */
export interface AdapterState {
  address: string;
  quarantined: boolean;
  targetWeightBps: bigint;
  value: bigint;
  cap: bigint;
  rateLimit: RateLimitState;
  pendingRedeem: bigint;
  maxWithdraw: bigint;
  maxRequestRedeem: bigint;
  maxDeposit: bigint;
  minDeposit: bigint;
  /** The vault's per-leg slippage bound for this adapter: an instant exit quoted dearer is not planned. */
  maxSlippageBps: bigint;
  /** The adapter's quote (`withdrawCost`) for the instant exit the plan would make, read for exactly
   * that amount (see `instantExitAmounts`); `cost` undefined when the view reverted. */
  instantExit?: ExitQuote;
}

/** What an instant exit of `amount` costs beyond it, as the adapter quotes it (undefined: no quote). */
export interface ExitQuote {
  amount: bigint;
  cost?: bigint;
}

/** The vault as the plan sees it, in listing order. */
export interface VaultState {
  /** ERC-4626 total assets (net of locked profit): what shares are worth. */
  totalAssets: bigint;
  /** Idle plus book values: what the plan places, locked profit included. */
  grossAssets: bigint;
  idle: bigint;
  bufferBps: bigint;
  driftBandBps: bigint;
  minMove: bigint;
  adapters: readonly AdapterState[];
  /** The redemption queue's pending exits (zero without a queue or with nothing pending), kept idle on
   * top of the buffer, and whether the queue is overdue (then the plan makes no entries). */
  queue: QueueState;
}

/** What the plan reads of the redemption queue. */
export interface QueueState {
  /** Value of the pending exits at the vault's price now (rounded up). */
  pendingAssets: bigint;
  /** The oldest open request is older than the queue's deadline. */
  overdue: boolean;
}

/** A vault with no redemption queue, or nothing pending in it. */
export const NO_QUEUE: QueueState = { pendingAssets: 0n, overdue: false };

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const mulDivDown = (x: bigint, y: bigint, d: bigint): bigint => (x * y) / d;
const mulDivUp = (x: bigint, y: bigint, d: bigint): bigint => {
  const product = x * y;
  return product === 0n ? 0n : (product - 1n) / d + 1n;
};

/** `bufferBps` of `total`, rounded up (more stays idle). */
export function bufferUp(total: bigint, bufferBps: bigint): bigint {
  return mulDivUp(total, bufferBps, MAX_BPS);
}

/** `weightBps` of `investable`, rounded down. */
export function targetDown(investable: bigint, weightBps: bigint): bigint {
  return mulDivDown(investable, weightBps, MAX_BPS);
}

/** `max(minMove, driftBandBps × total)`. */
export function band(total: bigint, driftBandBps: bigint, minMove: bigint): bigint {
  return max(mulDivDown(total, driftBandBps, MAX_BPS), minMove);
}

/** What the rate limit lets in at `now`: `min(maxAmount, lastAmount + slope × elapsed)`. */
export function rateLimitAvailable(limit: RateLimitState, now: bigint): bigint {
  if (limit.maxAmount === UNLIMITED) return UNLIMITED;
  return min(limit.maxAmount, limit.lastAmount + limit.slopePerSecond * (now - limit.lastUpdated));
}

const isMove = (amount: bigint, floor: bigint): boolean => amount !== 0n && amount >= floor;

/**
 * Why an adapter gets no leg (or a smaller one), as the plan decided it: the same code path that makes
 * the legs records the reason at each point it stops, so an explanation can never disagree with the plan.
 */
export type PlanReason =
  | { code: "quarantined" }
  | { code: "outside-window" }
  | { code: "within-band"; value: bigint; target: bigint; band: bigint }
  | { code: "exit-in-flight"; pendingRedeem: bigint }
  | { code: "exit-unavailable"; excess: bigint; maxWithdraw: bigint; maxRequestRedeem: bigint; minMove: bigint }
  | { code: "exit-too-costly"; amount: bigint; cost?: bigint; allowed: bigint }
  | { code: "below-min-move"; amount: bigint; minMove: bigint }
  | { code: "no-idle"; idle: bigint; kept: bigint }
  | { code: "queue-overdue"; pendingAssets: bigint }
  | { code: "cap-reached"; value: bigint; cap: bigint }
  | { code: "rate-limited"; available: bigint; slopePerSecond: bigint; needed: bigint }
  | { code: "issuer-closed"; maxDeposit: bigint }
  | { code: "below-min-ticket"; amount: bigint; minDeposit: bigint };

/** Receives each adapter's reasons (by listing index) as the plan is made. */
export type PlanNotes = (index: number, reason: PlanReason) => void;

/**
 * The legs `rebalance()` would execute at `now` from `state`: exits first (instant, then an async
 * request for the rest), then entries into idle above the buffer and the queue's pending exits (none
 * while the queue is overdue), each bounded by cap, rate limit and
 * the adapter's own limits; legs below `minMove` dropped; quarantined adapters, and those whose index
 * bit is set in `skipMask`, left alone.
 */
export function plan(state: VaultState, now: bigint, skipMask = 0n, note: PlanNotes = () => undefined): Leg[] {
  const skipped = (i: number): boolean => ((skipMask >> BigInt(i)) & 1n) === 1n;
  const legs: Leg[] = [];
  const { buffer, drift, floor, exits } = exitSide(state);
  let idleAfterExits = state.idle;

  const staying: bigint[] = [];
  const targets: bigint[] = [];
  for (const [i, adapter] of state.adapters.entries()) {
    if (adapter.quarantined || skipped(i)) {
      note(i, adapter.quarantined ? { code: "quarantined" } : { code: "outside-window" });
      staying.push(0n);
      targets.push(0n);
      continue;
    }
    const { stay, target, excess: over, instant: candidate } = exits[i]!;
    staying.push(stay);
    targets.push(target);
    if (stay <= target + drift) continue;

    let excess = over;
    let instant = candidate;
    let moved = false;
    if (isMove(instant, floor)) {
      // Priced as a withdrawal prices it: an exit dearer than the slippage bound would fail.
      const allowed = mulDivDown(instant, adapter.maxSlippageBps, MAX_BPS);
      const quote = adapter.instantExit;
      if (quote?.amount !== instant) {
        throw new Error(
          `the snapshot has no exit quote for ${adapter.address} at ${instant}: read the state with readSnapshot, or add quotes with withExitQuotes`,
        );
      }
      if (quote.cost === undefined || quote.cost > allowed) {
        note(i, {
          code: "exit-too-costly",
          amount: instant,
          ...(quote.cost === undefined ? {} : { cost: quote.cost }),
          allowed,
        });
        instant = 0n;
      }
    }
    if (isMove(instant, floor)) {
      legs.push({ adapter: adapter.address, kind: LegKind.Withdraw, amount: instant });
      idleAfterExits += instant;
      excess -= instant;
      moved = true;
    }
    if (isMove(excess, floor)) {
      const request = min(excess, adapter.maxRequestRedeem);
      if (isMove(request, floor)) {
        legs.push({ adapter: adapter.address, kind: LegKind.RequestRedeem, amount: request });
        moved = true;
      }
    }
    if (!moved) {
      note(i, {
        code: "exit-unavailable",
        excess,
        maxWithdraw: adapter.maxWithdraw,
        maxRequestRedeem: adapter.maxRequestRedeem,
        minMove: floor,
      });
    }
  }

  let spendable = !state.queue.overdue && idleAfterExits > buffer ? idleAfterExits - buffer : 0n;
  state.adapters.forEach((adapter, i) => {
    const stay = staying[i]!;
    const target = targets[i]!;
    if (adapter.quarantined || skipped(i)) return;
    if (stay + drift >= target) {
      if (stay <= target + drift) {
        note(
          i,
          adapter.pendingRedeem > 0n && stay < adapter.value
            ? { code: "exit-in-flight", pendingRedeem: adapter.pendingRedeem }
            : { code: "within-band", value: stay, target, band: drift },
        );
      }
      return;
    }
    if (spendable === 0n) {
      note(
        i,
        state.queue.overdue
          ? { code: "queue-overdue", pendingAssets: state.queue.pendingAssets }
          : { code: "no-idle", idle: idleAfterExits, kept: buffer },
      );
      return;
    }
    const wanted = min(target - stay, spendable);
    const capRoom = adapter.cap > adapter.value ? adapter.cap - adapter.value : 0n;
    const available = rateLimitAvailable(adapter.rateLimit, now);
    let amount = min(min(wanted, capRoom), available);
    if (!isMove(amount, floor)) {
      if (!isMove(wanted, floor)) {
        note(
          i,
          wanted < target - stay
            ? { code: "no-idle", idle: idleAfterExits, kept: buffer }
            : { code: "below-min-move", amount: wanted, minMove: floor },
        );
      } else if (!isMove(capRoom, floor)) note(i, { code: "cap-reached", value: adapter.value, cap: adapter.cap });
      else
        note(i, { code: "rate-limited", available, slopePerSecond: adapter.rateLimit.slopePerSecond, needed: floor });
      return;
    }
    amount = min(amount, adapter.maxDeposit);
    if (!isMove(amount, floor)) {
      note(i, { code: "issuer-closed", maxDeposit: adapter.maxDeposit });
      return;
    }
    if (amount < adapter.minDeposit) {
      note(i, { code: "below-min-ticket", amount, minDeposit: adapter.minDeposit });
      return;
    }
    legs.push({ adapter: adapter.address, kind: LegKind.Deposit, amount });
    spendable -= amount;
  });
  return legs;
}

/** One adapter's exit side: what stays once its in-flight redemption returns, its target, the excess
 * above target and the instant exit the plan would try for it (before its cost is checked). */
interface ExitSide {
  stay: bigint;
  target: bigint;
  excess: bigint;
  instant: bigint;
}

/** The quantities the exit side of a plan rests on, for every adapter (whether skipped or not). */
function exitSide(state: VaultState): { buffer: bigint; drift: bigint; floor: bigint; exits: ExitSide[] } {
  // The queue's pending exits come out of the assets before the buffer and targets are sized, and are
  // kept idle on top of the buffer.
  const demand = state.queue.pendingAssets;
  const base = state.grossAssets > demand ? state.grossAssets - demand : 0n;
  const baseBuffer = bufferUp(base, state.bufferBps);
  const investable = base - baseBuffer;
  const drift = band(base, state.driftBandBps, state.minMove);
  const exits = state.adapters.map((adapter): ExitSide => {
    const target = targetDown(investable, adapter.targetWeightBps);
    const stay = adapter.value > adapter.pendingRedeem ? adapter.value - adapter.pendingRedeem : 0n;
    if (adapter.quarantined || stay <= target + drift) return { stay, target, excess: 0n, instant: 0n };
    const excess = stay - target;
    return { stay, target, excess, instant: min(excess, adapter.maxWithdraw) };
  });
  return { buffer: baseBuffer + demand, drift, floor: state.minMove, exits };
}

/** The instant exit the plan would try on each adapter (zero where none): the amounts whose cost the
 * plan needs quoted (`withdrawCost`), as `withExitQuotes` attaches them. */
export function instantExitAmounts(state: VaultState): bigint[] {
  const { floor, exits } = exitSide(state);
  return exits.map((exit) => (isMove(exit.instant, floor) ? exit.instant : 0n));
}

/** `state` with each adapter's instant exit quoted by `quote` (undefined: the adapter cannot quote). */
export function withExitQuotes(
  state: VaultState,
  quote: (adapter: AdapterState, amount: bigint) => bigint | undefined,
): VaultState {
  const amounts = instantExitAmounts(state);
  return {
    ...state,
    adapters: state.adapters.map((adapter, i) => {
      const amount = amounts[i]!;
      if (amount === 0n) return adapter;
      const cost = quote(adapter, amount);
      return { ...adapter, instantExit: cost === undefined ? { amount } : { amount, cost } };
    }),
  };
}

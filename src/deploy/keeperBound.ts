import type { DeployParams } from "./params";

/** A rate limit of this maximum never binds (type(uint128).max). */
const UNLIMITED = 2n ** 128n - 1n;
const DAY_SECONDS = 86_400n;
const MAX_BPS = 10_000n;

/** What a compromised keeper can make one adapter lose through its entries, per day. */
export interface AdapterKeeperBound {
  name: string;
  /** The most its rate limit lets in over the first day (a full allowance plus a day's refill), and on
   * each day after (a day's refill); undefined when the rate limit never binds. */
  entriesFirstDay?: bigint;
  entriesPerDay?: bigint;
  /** Those entries at the adapter's slippage bound. */
  lossFirstDay?: bigint;
  lossPerDay?: bigint;
}

export interface KeeperBound {
  adapters: AdapterKeeperBound[];
  /** Σ over the adapters; undefined when any adapter's rate limit never binds. */
  lossFirstDay?: bigint;
  lossPerDay?: bigint;
}

/**
 * The most a compromised keeper can destroy per day with the parameters' limits. The keeper only
 * triggers: every amount is the plan's, and the only value a leg may lose is its slippage bound. A
 * keeper churning entries — with a colluding holder who deposits before each rebalance and withdraws
 * after (the withdrawal's exit cost is the holder's own) — loses at most each entry's slippage bound,
 * and entries into each adapter are limited by its rate limit: a full allowance plus a day's refill on
 * the first day, a day's refill on each day after. Exits are not rate-limited, but the plan exits only
 * what sits above an adapter's target, which the keeper cannot raise; their slippage is the leaver's on
 * a withdrawal and bounded per rebalance by `maxRebalanceLossBps` otherwise.
 */
export function keeperLossBound(params: Pick<DeployParams, "adapters">): KeeperBound {
  let bounded = true;
  let lossFirstDay = 0n;
  let lossPerDay = 0n;
  const adapters = params.adapters.map((a): AdapterKeeperBound => {
    const max = BigInt(a.rateLimit.maxAmount);
    const refill = BigInt(a.rateLimit.slopePerSecond) * DAY_SECONDS;
    if (max >= UNLIMITED) {
      bounded = false;
      return { name: a.name };
    }
    const slip = BigInt(a.maxSlippageBps);
    const entriesFirstDay = max + refill;
    const first = (entriesFirstDay * slip) / MAX_BPS;
    const after = (refill * slip) / MAX_BPS;
    lossFirstDay += first;
    lossPerDay += after;
    return { name: a.name, entriesFirstDay, entriesPerDay: refill, lossFirstDay: first, lossPerDay: after };
  });
  return bounded ? { adapters, lossFirstDay, lossPerDay } : { adapters };
}

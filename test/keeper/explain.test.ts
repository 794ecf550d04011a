import { expect } from "chai";
import { describeReason, nextMove } from "../../src/keeper/explain";
import {
  NO_QUEUE,
  UNLIMITED,
  plan,
  withExitQuotes,
  type AdapterState,
  type PlanReason,
  type VaultState,
} from "../../src/keeper/planner";
import type { Snapshot } from "../../src/keeper/reader";

/**
 * Why the plan gives an adapter no leg, for every reason it has: the reasons come from the plan's own
 * code path, so each case also checks that recording them leaves the legs unchanged.
 *
 * Base: 10,000,000 units gross, 1,000,000 idle, one adapter weighted 50 % holding 4,000,000 (1,000,000
 * under target), a band of 1 % (100,000) over a minimum move of 1,000, no buffer and no other limit.
 */
const NOW = 1_000_000n;
const ADDRESS = "0x00000000000000000000000000000000000000A1";

function adapter(overrides: Partial<AdapterState> = {}): AdapterState {
  return {
    address: ADDRESS,
    quarantined: false,
    targetWeightBps: 5_000n,
    value: 4_000_000n,
    cap: UNLIMITED,
    rateLimit: { maxAmount: UNLIMITED, slopePerSecond: 0n, lastAmount: 0n, lastUpdated: 0n },
    pendingRedeem: 0n,
    maxWithdraw: UNLIMITED,
    maxRequestRedeem: UNLIMITED,
    maxDeposit: UNLIMITED,
    minDeposit: 0n,
    maxSlippageBps: 10n,
    ...overrides,
  };
}

/** The base state; an instant exit the plan would make is quoted at `exitCost` (none: free). */
function state(a: Partial<AdapterState> = {}, vault: Partial<VaultState> = {}, exitCost = 0n): VaultState {
  return withExitQuotes(raw(a, vault), () => exitCost);
}

function raw(a: Partial<AdapterState>, vault: Partial<VaultState>): VaultState {
  return {
    totalAssets: 10_000_000n,
    grossAssets: 10_000_000n,
    idle: 6_000_000n,
    bufferBps: 0n,
    driftBandBps: 100n,
    minMove: 1_000n,
    adapters: [adapter(a)],
    queue: NO_QUEUE,
    ...vault,
  };
}

function reasonsOf(s: VaultState, skipMask = 0n): { legs: number; reasons: PlanReason[] } {
  const reasons: PlanReason[] = [];
  const legs = plan(s, NOW, skipMask, (_, reason) => reasons.push(reason));
  expect(legs, "notes leave the legs unchanged").to.deep.equal(plan(s, NOW, skipMask));
  return { legs: legs.length, reasons };
}

describe("explanation: why the plan gives an adapter no leg", function () {
  const cases: Array<{ name: string; s: VaultState; skipMask?: bigint; code: PlanReason["code"]; text: RegExp }> = [
    { name: "quarantined", s: state({ quarantined: true }), code: "quarantined", text: /^quarantined/ },
    {
      name: "outside its window",
      s: state(),
      skipMask: 1n,
      code: "outside-window",
      text: /outside its issuer's window/,
    },
    {
      name: "within its band",
      s: state({ value: 4_950_000n }, { idle: 5_050_000n }),
      code: "within-band",
      text: /within its band: 4,950,000 against a target of 5,000,000 ± 100,000/,
    },
    {
      name: "its exit already with the issuer",
      s: state({ value: 6_000_000n, pendingRedeem: 1_000_000n }, { idle: 4_000_000n }),
      code: "exit-in-flight",
      text: /an exit of 1,000,000 is already with the issuer/,
    },
    {
      name: "above target but nothing can leave",
      s: state({ value: 6_000_000n, maxWithdraw: 0n, maxRequestRedeem: 0n }, { idle: 4_000_000n }),
      code: "exit-unavailable",
      text: /1,000,000 above target, but the issuer offers 0 instantly/,
    },
    {
      name: "no idle above the buffer",
      s: state({}, { idle: 0n, bufferBps: 0n, grossAssets: 4_000_000n + 6_000_000n }),
      code: "no-idle",
      text: /no idle to place: 0 idle/,
    },
    {
      name: "the queue overdue",
      s: state({}, { queue: { pendingAssets: 100n, overdue: true } }),
      code: "queue-overdue",
      text: /the redemption queue is overdue/,
    },
    {
      name: "the cap reached",
      s: state({ cap: 4_000_500n }),
      code: "cap-reached",
      text: /cap reached: 4,000,000 of 4,000,500/,
    },
    {
      name: "rate-limit headroom below the minimum move",
      s: state({ rateLimit: { maxAmount: 10n ** 12n, slopePerSecond: 10n, lastAmount: 400n, lastUpdated: NOW } }),
      code: "rate-limited",
      text: /rate-limit headroom 400; refills to the minimum move in 1 min/,
    },
    {
      name: "the issuer taking nothing",
      s: state({ maxDeposit: 0n }),
      code: "issuer-closed",
      text: /the issuer takes 0 now/,
    },
    {
      name: "under the minimum ticket",
      s: state({ minDeposit: 250_000_000n }),
      code: "below-min-ticket",
      text: /1,000,000 to place, under the issuer's minimum ticket of 250,000,000/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: no leg, and the reason says so`, function () {
      const { legs, reasons } = reasonsOf(c.s, c.skipMask);
      expect(legs).to.equal(0);
      expect(reasons.map((r) => r.code)).to.deep.equal([c.code]);
      expect(describeReason(reasons[0]!, 0)).to.match(c.text);
    });
  }

  it("an instant exit dearer than the slippage bound: requested instead, and the reason says so", function () {
    // 1,000,000 above target; the bound of 10 bps allows 1,000 of cost.
    const dear = state({ value: 6_000_000n, maxRequestRedeem: 0n }, { idle: 4_000_000n }, 1_001n);
    const { legs, reasons } = reasonsOf(dear);
    expect(legs).to.equal(0);
    expect(reasons.map((r) => r.code)).to.deep.equal(["exit-too-costly", "exit-unavailable"]);
    expect(describeReason(reasons[0]!, 0)).to.match(
      /an instant exit of 1,000,000 would cost 1,001, above the 1,000 its slippage bound allows: it is requested instead/,
    );
    const affordable = state({ value: 6_000_000n, maxRequestRedeem: 0n }, { idle: 4_000_000n }, 1_000n);
    expect(plan(affordable, NOW), "at the bound it goes").to.have.length(1);
    const unquoted = withExitQuotes(raw({ value: 6_000_000n }, { idle: 4_000_000n }), () => undefined);
    expect(
      plan(unquoted, NOW).map((leg) => leg.kind),
      "a quote that reverts: requested",
    ).to.deep.equal([1]);
    expect(() => plan(raw({ value: 6_000_000n }, { idle: 4_000_000n }), NOW)).to.throw(/has no exit quote/);
  });

  it("an adapter that gets its leg has no reason", function () {
    const { legs, reasons } = reasonsOf(state());
    expect(legs).to.equal(1);
    expect(reasons).to.deep.equal([]);
  });

  it("a paused vault sends nothing, though the plan is kept for comparison with the chain", function () {
    const snapshot = {
      blockNumber: 1,
      timestamp: NOW,
      state: state(),
      status: [],
      paused: true,
    } as unknown as Snapshot;
    const move = nextMove(snapshot, { calendar: {} }, new Date());
    expect(move.paused).to.equal(true);
    expect(move.legs).to.deep.equal([]);
    expect(move.planned).to.have.length(1);
  });
});

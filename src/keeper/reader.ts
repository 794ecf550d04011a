import { Contract, Interface, MaxUint256, ZeroAddress, type Provider } from "ethers";
import { NO_QUEUE, instantExitAmounts, type AdapterState, type QueueState, type VaultState } from "./planner";

const VAULT_ABI = [
  "function totalAssets() view returns (uint256)",
  "function idle() view returns (uint256)",
  "function totalAdapterValue() view returns (uint256)",
  "function bufferBps() view returns (uint256)",
  "function driftBandBps() view returns (uint256)",
  "function minMove() view returns (uint256)",
  "function adapters() view returns (address[])",
  "function redeemQueue() view returns (address)",
  "function paused() view returns (bool)",
  "function totalSupply() view returns (uint256)",
  "function decimals() view returns (uint8)",
  "function asset() view returns (address)",
  "function rateLimitAvailable(address) view returns (uint256)",
  "function adapterConfig(address) view returns (tuple(uint128 value, uint16 targetWeightBps, bool quarantined, bool listed, uint16 maxSlippageBps, uint16 maxNavDeviationBps, uint32 maxNavAgeSeconds, uint32 maxRequestAgeSeconds, uint128 cap, uint64 lastReportedAt, tuple(uint128 maxAmount, uint128 slopePerSecond, uint128 lastAmount, uint64 lastUpdated) rateLimit, uint128 writtenOff))",
] as const;

const ADAPTER_ABI = [
  "function totalAssets() view returns (uint256)",
  "function navUpdatedAt() view returns (uint256)",
  "function claimable() view returns (uint256)",
  "function pendingDeposit() view returns (uint256)",
  "function pendingRedeem() view returns (uint256)",
  "function maxWithdraw() view returns (uint256)",
  "function maxRequestRedeem() view returns (uint256)",
  "function maxDeposit() view returns (uint256)",
  "function minDeposit() view returns (uint256)",
  "function withdrawCost(uint256) view returns (uint256)",
  "function SHARE() view returns (address)",
] as const;

const MEMBERSHIP_SHARE_ABI = ["function hook() view returns (address)"] as const;
const MEMBERSHIP_HOOK_ABI = [
  "function isMember(address token, address user) view returns (bool isValid, uint64 validUntil)",
  "function isFrozen(address token, address user) view returns (bool)",
] as const;

/** A BUIDL adapter's ramps: its instant-exit route (2: Securitize's off-ramp), its on-ramp, and what each
 * can do for it now. */
const RAMPS_ABI = [
  "function EXIT_ROUTE() view returns (uint8)",
  "function ON_RAMP() view returns (address)",
  "function offRampCapacity() view returns (uint256 tokens, uint256 net)",
  "function onRampCapacity() view returns (uint256 assets, uint256 tokens)",
] as const;
const OFF_RAMP_ROUTE = 2n;
/** Why the off-ramp would refuse a sale: the adapter's own errors, and the Basin's and the off-ramp's. */
const OFF_RAMP_REFUSALS = new Interface([
  "error OffRampPaused()",
  "error OnRampClosed()",
  "error OutsideNavBand(uint256 navQuote, uint256 preview, uint256 tolerance)",
  "error RampTooCostly(uint256 tokens, uint256 net)",
  "error Paused()",
  "error StaleRate()",
  "error NonZeroNavRateError()",
]);

const QUEUE_ABI = [
  "function pendingShares() view returns (uint256)",
  "function pendingAssets() view returns (uint256)",
  "function overdue() view returns (bool)",
  "function queueLength() view returns (uint256)",
  "function oldestRequestAt() view returns (uint256)",
  "function reservedAssets() view returns (uint256)",
] as const;

/** The redemption queue as the keeper and the status view see it. */
export interface QueueStatus {
  address: string;
  /** Vault shares waiting, and their value now (rounded up). */
  pendingShares: bigint;
  pendingAssets: bigint;
  /** Requests not yet served (cancelled ones at the head included until passed over). */
  length: bigint;
  /** When the oldest open request was made (0: none). */
  oldestRequestAt: bigint;
  overdue: boolean;
  /** Assets held for fulfilled, unclaimed requests. */
  reservedAssets: bigint;
}

/** What the keeper and the status view need beyond the plan's inputs, per adapter. */
export interface AdapterStatus {
  address: string;
  lastReportedAt: bigint;
  maxNavAgeSeconds: bigint;
  /** The adapter's own valuation now; undefined when it reverts (its price is unusable). */
  liveValue?: bigint;
  navUpdatedAt: bigint;
  claimable: bigint;
  pendingDeposit: bigint;
  rateLimitAvailable: bigint;
  /** The adapter's membership of its product's list, where the issuer keeps one on the share token's
   * hook (Centrifuge V3); undefined for other products or when it cannot be read. */
  membership?: Membership;
  /** Where the adapter exits at once through Securitize's off-ramp: whether the route is open now (what it
   * would sell, `amount` in tokens, and pay, `out` in the asset), and why not; undefined for other adapters. */
  offRamp?: RampStatus;
  /** Where the adapter enters through Securitize's on-ramp: whether it is open now (what it would take,
   * `amount` in the asset, and deliver, `out` in tokens), and why not; undefined for other adapters. */
  onRamp?: RampStatus;
}

/** One of Securitize's ramps as an adapter's route: open with its capacity now, or closed and why. */
export type RampStatus = { open: true; amount: bigint; out: bigint } | { open: false; reason: string };

/** A holder's place on an issuer's list: valid until a date, and possibly frozen. */
export interface Membership {
  valid: boolean;
  validUntil: bigint;
  frozen: boolean;
}

export interface Snapshot {
  blockNumber: number;
  timestamp: bigint;
  state: VaultState;
  status: AdapterStatus[];
  /** The vault's redemption queue; undefined when it has none. */
  queue?: QueueStatus;
  /** The guardian paused the vault: no rebalance can be sent. */
  paused: boolean;
  /** Assets per share in the asset's units (undefined before the first deposit). */
  sharePrice?: number;
  /** The asset's decimals and symbol, for amounts a person reads. */
  asset: { decimals: number; symbol: string };
}

/**
 * Reads everything the plan needs at one block, so the snapshot is consistent whatever the chain does
 * meanwhile; the requests go out together (a batching provider sends them as one round trip).
 */
export async function readSnapshot(provider: Provider, vaultAddress: string, blockNumber?: number): Promise<Snapshot> {
  const block = await provider.getBlock(blockNumber ?? "latest");
  if (!block) throw new Error(`block ${blockNumber ?? "latest"} is not available from the RPC endpoint`);
  const blockTag = block.number;
  const vault = new Contract(vaultAddress, VAULT_ABI, provider);
  const call = <T>(contract: Contract, method: string, ...args: unknown[]): Promise<T> =>
    contract.getFunction(method).staticCall(...args, { blockTag }) as Promise<T>;
  /** Adapters' views answer whatever the product does; a revert here means "unusable", not an error. */
  const maybe = <T>(contract: Contract, method: string, ...args: unknown[]): Promise<T | undefined> =>
    call<T>(contract, method, ...args).catch(() => undefined);

  /**
   * `holder`'s membership where its product keeps one on the share token's hook (Centrifuge V3: the
   * adapter's `SHARE()`, the token's `hook()`, the hook's `isMember` and `isFrozen`); undefined otherwise.
   */
  async function readMembership(adapter: Contract, holder: string): Promise<Membership | undefined> {
    const share = await maybe<string>(adapter, "SHARE");
    if (!share) return undefined;
    const hook = await maybe<string>(new Contract(share, MEMBERSHIP_SHARE_ABI, provider), "hook");
    if (!hook || hook === ZeroAddress) return undefined;
    const list = new Contract(hook, MEMBERSHIP_HOOK_ABI, provider);
    const [member, frozen] = await Promise.all([
      maybe<[boolean, bigint]>(list, "isMember", share, holder),
      maybe<boolean>(list, "isFrozen", share, holder),
    ]);
    if (!member) return undefined;
    return { valid: member[0], validUntil: member[1], frozen: frozen ?? false };
  }

  /** The state of `address`'s routes through Securitize's ramps, where it has them. */
  async function readRamps(address: string): Promise<{ offRamp?: RampStatus; onRamp?: RampStatus }> {
    const adapter = new Contract(address, RAMPS_ABI, provider);
    const capacity = async (method: string): Promise<RampStatus> => {
      try {
        const [amount, out] = await call<[bigint, bigint]>(adapter, method);
        return { open: true, amount, out };
      } catch (error) {
        return { open: false, reason: rampRefusal(error) };
      }
    };
    const [route, onRamp] = await Promise.all([
      maybe<bigint>(adapter, "EXIT_ROUTE"),
      maybe<string>(adapter, "ON_RAMP"),
    ]);
    return {
      ...(route === OFF_RAMP_ROUTE ? { offRamp: await capacity("offRampCapacity") } : {}),
      ...(onRamp && onRamp !== ZeroAddress ? { onRamp: await capacity("onRampCapacity") } : {}),
    };
  }

  const [
    totalAssets,
    idle,
    adapterValue,
    bufferBps,
    driftBandBps,
    minMove,
    addresses,
    queueAddress,
    paused,
    totalSupply,
    shareDecimals,
    assetAddress,
  ] = await Promise.all([
    call<bigint>(vault, "totalAssets"),
    call<bigint>(vault, "idle"),
    call<bigint>(vault, "totalAdapterValue"),
    call<bigint>(vault, "bufferBps"),
    call<bigint>(vault, "driftBandBps"),
    call<bigint>(vault, "minMove"),
    call<string[]>(vault, "adapters"),
    call<string>(vault, "redeemQueue"),
    call<boolean>(vault, "paused"),
    call<bigint>(vault, "totalSupply"),
    call<bigint>(vault, "decimals"),
    call<string>(vault, "asset"),
  ]);
  const token = new Contract(
    assetAddress,
    ["function decimals() view returns (uint8)", "function symbol() view returns (string)"],
    provider,
  );
  const [assetDecimals, assetSymbol] = await Promise.all([
    call<bigint>(token, "decimals"),
    call<string>(token, "symbol").catch(() => ""),
  ]);
  const sharePrice =
    totalSupply === 0n
      ? undefined
      : (Number(totalAssets) / Number(totalSupply)) * 10 ** Number(shareDecimals - assetDecimals);
  const queue =
    queueAddress === ZeroAddress ? undefined : await readQueue(new Contract(queueAddress, QUEUE_ABI, provider));
  const read = await Promise.all(
    addresses.map(async (address): Promise<[AdapterState, AdapterStatus]> => {
      const adapter = new Contract(address, ADAPTER_ABI, provider);
      const [
        config,
        pendingRedeem,
        maxWithdraw,
        maxRequestRedeem,
        maxDeposit,
        minDeposit,
        liveValue,
        navUpdatedAt,
        claimable,
        pendingDeposit,
        rateLimitAvailable,
      ] = await Promise.all([
        call<{
          value: bigint;
          cap: bigint;
          quarantined: boolean;
          targetWeightBps: bigint;
          lastReportedAt: bigint;
          maxNavAgeSeconds: bigint;
          maxSlippageBps: bigint;
          rateLimit: { maxAmount: bigint; slopePerSecond: bigint; lastAmount: bigint; lastUpdated: bigint };
        }>(vault, "adapterConfig", address),
        // As the vault's plan reads them: a view that reverts is zero liquidity and zero room, and an
        // adapter whose minimum ticket cannot be read takes no entry.
        maybe<bigint>(adapter, "pendingRedeem").then((v) => v ?? 0n),
        maybe<bigint>(adapter, "maxWithdraw").then((v) => v ?? 0n),
        maybe<bigint>(adapter, "maxRequestRedeem").then((v) => v ?? 0n),
        maybe<bigint>(adapter, "maxDeposit").then((v) => v ?? 0n),
        maybe<bigint>(adapter, "minDeposit").then((v) => v ?? MaxUint256),
        maybe<bigint>(adapter, "totalAssets"),
        maybe<bigint>(adapter, "navUpdatedAt"),
        maybe<bigint>(adapter, "claimable"),
        maybe<bigint>(adapter, "pendingDeposit"),
        call<bigint>(vault, "rateLimitAvailable", address),
      ]);
      const [membership, ramps] = await Promise.all([readMembership(adapter, address), readRamps(address)]);
      const state: AdapterState = {
        address,
        quarantined: config.quarantined,
        targetWeightBps: BigInt(config.targetWeightBps),
        value: config.value,
        cap: config.cap,
        rateLimit: {
          maxAmount: config.rateLimit.maxAmount,
          slopePerSecond: config.rateLimit.slopePerSecond,
          lastAmount: config.rateLimit.lastAmount,
          lastUpdated: BigInt(config.rateLimit.lastUpdated),
        },
        pendingRedeem,
        maxWithdraw,
        maxRequestRedeem,
        maxDeposit,
        minDeposit,
        maxSlippageBps: BigInt(config.maxSlippageBps),
      };
      const status: AdapterStatus = {
        address,
        lastReportedAt: BigInt(config.lastReportedAt),
        maxNavAgeSeconds: BigInt(config.maxNavAgeSeconds),
        ...(liveValue === undefined ? {} : { liveValue }),
        navUpdatedAt: navUpdatedAt ?? 0n,
        claimable: claimable ?? 0n,
        pendingDeposit: pendingDeposit ?? 0n,
        rateLimitAvailable,
        ...(membership ? { membership } : {}),
        ...ramps,
      };
      return [state, status];
    }),
  );
  const unquoted: VaultState = {
    totalAssets,
    grossAssets: idle + adapterValue,
    idle,
    bufferBps,
    driftBandBps,
    minMove,
    adapters: read.map(([state]) => state),
    queue: planQueue(queue),
  };
  // The plan prices each instant exit it would make as a withdrawal does: the adapter's quote for exactly
  // that amount, read at the same block (a quote that reverts is no affordable exit).
  const amounts = instantExitAmounts(unquoted);
  const adapters = await Promise.all(
    unquoted.adapters.map(async (adapter, i): Promise<AdapterState> => {
      const amount = amounts[i]!;
      if (amount === 0n) return adapter;
      const quoter = new Contract(adapter.address, ADAPTER_ABI, provider);
      const cost = await call<bigint>(quoter, "withdrawCost", amount).catch(() => undefined);
      return { ...adapter, instantExit: cost === undefined ? { amount } : { amount, cost } };
    }),
  );
  return {
    blockNumber: block.number,
    timestamp: BigInt(block.timestamp),
    state: { ...unquoted, adapters },
    status: read.map(([, status]) => status),
    ...(queue ? { queue } : {}),
    paused,
    ...(sharePrice !== undefined ? { sharePrice } : {}),
    asset: { decimals: Number(assetDecimals), symbol: assetSymbol },
  };

  /** The queue's views; a pending amount or deadline that cannot be read reads as the plan reads it. */
  async function readQueue(contract: Contract): Promise<QueueStatus> {
    const [pendingShares, pendingAssets, overdue, length, oldestRequestAt, reservedAssets] = await Promise.all([
      call<bigint>(contract, "pendingShares"),
      maybe<bigint>(contract, "pendingAssets"),
      maybe<boolean>(contract, "overdue"),
      call<bigint>(contract, "queueLength"),
      call<bigint>(contract, "oldestRequestAt"),
      call<bigint>(contract, "reservedAssets"),
    ]);
    return {
      address: queueAddress,
      pendingShares,
      // As PlanLib reads them: an unreadable demand is none, and makes the queue overdue.
      pendingAssets: pendingAssets ?? 0n,
      overdue: pendingAssets === undefined || overdue === undefined || overdue,
      length,
      oldestRequestAt,
      reservedAssets,
    };
  }
}

/** What the plan sees of the queue: only pending exits count (the vault passes the queue only then). */
function planQueue(queue: QueueStatus | undefined): QueueState {
  if (!queue || queue.pendingShares === 0n) return NO_QUEUE;
  return { pendingAssets: queue.pendingAssets, overdue: queue.overdue };
}

/** What a ramp's refusal says, in words a keeper's operator acts on. */
function rampRefusal(error: unknown): string {
  const data = (error as { data?: unknown }).data;
  const parsed = typeof data === "string" ? OFF_RAMP_REFUSALS.parseError(data) : null;
  switch (parsed?.name) {
    case "OffRampPaused":
      return "Securitize has paused its off-ramp or the off-ramp's liquidity provider";
    case "OnRampClosed":
      return "Securitize has paused its on-ramp or the on-ramp's asset provider, switched its subscriptions off, or its NAV reads zero";
    case "OutsideNavBand": {
      const [navQuote, preview, tolerance] = parsed.args as unknown as [bigint, bigint, bigint];
      return (
        `the Basin's quote (${preview}) sits outside the provider's band of ${Number(tolerance) / 1_000} % ` +
        `around the NAV quote (${navQuote}): the Basin's fee or price has moved beyond what Securitize accepts`
      );
    }
    case "RampTooCostly":
      return "the route's fees take half the sale or more";
    case "Paused":
      return "the Grove Basin has paused swaps in this direction";
    case "StaleRate":
      return "the Grove Basin's BUIDL rate is stale";
    case "NonZeroNavRateError":
      return "Securitize's NAV for BUIDL reads zero";
    default:
      return "reading it reverts";
  }
}

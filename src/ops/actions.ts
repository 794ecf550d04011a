import { existsSync, readFileSync } from "node:fs";
import { getAddress, id, Interface, ZeroHash, type Provider } from "ethers";
import { formatAmount, formatBps, formatDuration, formatPerDay, formatRemaining, tokenUnits } from "../cli/units";
import { UsageError } from "../cli/args";
import { recordFile } from "../deploy/journal";
import { roleHolders, type Deployment } from "../deploy/system";
import { ReserveVault__factory } from "../../typechain-types";

/**
 * Each role's actions over a recorded deployment, as calls: a call can be sent with a local key or
 * written for governance (a Safe batch, TimelockController calldata). Adapters are named as the
 * deployment record names them; amounts are in the asset's units.
 */

export const VAULT = new Interface(ReserveVault__factory.abi);

/** One call to make, with what it does in words. */
export interface Call {
  to: string;
  data: string;
  value: bigint;
  description: string;
  /** The roles that may make the call (any one will do), checked before sending ("DEFAULT_ADMIN_ROLE"
   * for governance). */
  roles?: string[];
}

/** What an action needs of a deployment record: the vault, its adapters by name, and the block the
 * vault was deployed in (events are read from there; from genesis when unknown). */
export type DeploymentRef = Pick<Deployment, "vault" | "adapters"> & { blockNumber?: number };

/** The deployment an action works on, with the asset's units. */
export interface Target {
  deployment: DeploymentRef;
  asset: { address: string; decimals: number; symbol: string };
}

export async function loadTarget(directory: string, network: string, provider: Provider): Promise<Target> {
  const file = recordFile(directory, network);
  if (!existsSync(file)) {
    throw new UsageError(
      "--deployments",
      `no deployment is recorded at ${file}; deploy first or point --deployments at the record`,
    );
  }
  const deployment = JSON.parse(readFileSync(file, "utf8")) as Deployment;
  if (!deployment.vault)
    throw new UsageError("--deployments", `${file} records no vault yet; finish the deployment first`);
  return targetOf(deployment, provider);
}

/** A deployment with its vault's asset and that asset's units. */
export async function targetOf(deployment: DeploymentRef, provider: Provider): Promise<Target> {
  const vault = ReserveVault__factory.connect(deployment.vault, provider);
  const asset = getAddress(await vault.asset());
  return { deployment, asset: { address: asset, ...(await tokenUnits(provider, asset)) } };
}

/** An adapter's address from its recorded name (or an address of a listed adapter). */
export function adapterNamed(target: Target, name: string): string {
  const adapters = target.deployment.adapters;
  if (adapters[name]) return getAddress(adapters[name]);
  const byAddress = Object.values(adapters).find((a) => a.toLowerCase() === name.toLowerCase());
  if (byAddress) return getAddress(byAddress);
  throw new UsageError(
    "--adapter",
    `"${name}" is not an adapter of this deployment; choose one of ${Object.keys(adapters).join(", ")}`,
  );
}

export function adapterName(target: Target, address: string): string {
  const entry = Object.entries(target.deployment.adapters).find(([, a]) => a.toLowerCase() === address.toLowerCase());
  return entry ? entry[0] : address;
}

/** A timelockable setting change: the vault call that makes it. */
export interface Change {
  data: string;
  description: string;
}

export interface ChangeOptions {
  adapter?: string;
  bps?: bigint;
  amount?: bigint;
  max?: bigint;
  perDay?: bigint;
  seconds?: bigint;
  adapters?: string;
}

/** The setting changes the curator submits and executes (and a guardian or curator may revoke). */
export const CHANGES = {
  weight: { options: ["adapter", "bps"], summary: "an adapter's target weight" },
  cap: { options: ["adapter", "amount"], summary: "an adapter's cap" },
  "rate-limit": { options: ["adapter", "max", "perDay"], summary: "an adapter's entry rate limit" },
  slippage: { options: ["adapter", "bps"], summary: "an adapter's slippage bound" },
  "request-age": { options: ["adapter", "seconds"], summary: "how old an adapter's issuer request may get" },
  buffer: { options: ["bps"], summary: "the idle buffer" },
  "withdraw-order": { options: ["adapters"], summary: "the adapters withdrawals draw on, in order" },
} as const;

export type ChangeKind = keyof typeof CHANGES;

function need<T>(value: T | undefined, flag: string, kind: string): T {
  if (value === undefined) throw new UsageError(flag, `${kind} needs ${flag}`);
  return value;
}

export function encodeChange(target: Target, kind: ChangeKind, o: ChangeOptions): Change {
  const adapter = () => adapterNamed(target, need(o.adapter, "--adapter", kind));
  const bps = () => {
    const value = need(o.bps, "--bps", kind);
    if (value > 10_000n) throw new UsageError("--bps", "must be at most 10000 (100 %)");
    return value;
  };
  const encode = (fn: string, args: unknown[]): Change => {
    const data = VAULT.encodeFunctionData(fn, args);
    // One wording for a change, whether made here or read back from the vault's pending list.
    return { data, description: describeCalldata(target, data) };
  };
  switch (kind) {
    case "weight":
      return encode("setTargetWeight", [adapter(), bps()]);
    case "cap":
      return encode("setCap", [adapter(), need(o.amount, "--amount", kind)]);
    case "rate-limit":
      return encode("setRateLimit", [
        adapter(),
        need(o.max, "--max", kind),
        need(o.perDay, "--per-day", kind) / 86_400n,
      ]);
    case "slippage":
      return encode("setMaxSlippage", [adapter(), bps()]);
    case "request-age":
      return encode("setMaxRequestAge", [adapter(), need(o.seconds, "--seconds", kind)]);
    case "buffer":
      return encode("setBuffer", [bps()]);
    case "withdraw-order": {
      const names = need(o.adapters, "--adapters", kind)
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);
      return encode("setWithdrawOrder", [names.map((n) => adapterNamed(target, n))]);
    }
  }
}

/** A change's calldata in words, for the pending list (changes this module does not make show raw). */
export function describeCalldata(target: Target, data: string): string {
  try {
    const call = VAULT.parseTransaction({ data });
    if (!call) return data;
    const { decimals, symbol } = target.asset;
    const a = (i: number) => adapterName(target, String(call.args[i]));
    switch (call.name) {
      case "setTargetWeight":
        return `target weight of ${a(0)} to ${formatBps(call.args[1] as bigint)}`;
      case "setCap":
        return `cap of ${a(0)} to ${formatAmount(call.args[1] as bigint, decimals, symbol)}`;
      case "setRateLimit":
        return `rate limit of ${a(0)} to ${formatAmount(call.args[1] as bigint, decimals, symbol)} then ${formatPerDay(call.args[2] as bigint, decimals, symbol)}`;
      case "setMaxRequestAge":
        return `maximum request age of ${a(0)} to ${formatDuration(call.args[1] as bigint)}`;
      case "setMaxSlippage":
        return `slippage bound of ${a(0)} to ${formatBps(call.args[1] as bigint)}`;
      case "setBuffer":
        return `buffer to ${formatBps(call.args[0] as bigint)}`;
      case "setWithdrawOrder":
        return `withdraw order to ${(call.args[0] as string[]).map((x) => adapterName(target, x)).join(", ") || "idle only"}`;
      case "setNavGuard":
        return `NAV guard of ${a(0)} to ${formatDuration(call.args[1] as bigint)} maximum age, ${formatBps(call.args[2] as bigint)} maximum move`;
      case "addAdapter":
        return `add the adapter ${a(0)}`;
      case "setMaxRebalanceLoss":
        return `maximum rebalance loss to ${formatBps(call.args[0] as bigint)}`;
      case "setProfitUnlockTime":
        return `profit unlock time to ${formatDuration(call.args[0] as bigint)}`;
      case "setRedeemQueue":
        return `redemption queue to ${String(call.args[0])}`;
      case "setTimelock":
        return `timelock to ${formatDuration(call.args[0] as bigint)}`;
      case "liftQuarantine":
        return `lift the quarantine of ${a(0)}, booking at most ${formatAmount(call.args[1] as bigint, decimals, symbol)} (a gain beyond the NAV guard)`;
      default:
        return `${call.name}(${call.args.map(String).join(", ")})`;
    }
  } catch {
    return data;
  }
}

/** A submitted change not yet executed or revoked. */
export interface PendingChange {
  id: string;
  data: string;
  description: string;
  executableAt: bigint;
  /** "ready", "in <duration>", "applies now …" (a change the vault lets through without waiting),
   * or "expired …". */
  state: string;
}

/**
 * The changes submitted and still pending, from the vault's events, each with its ETA as the vault
 * itself reports it (`executableAt`).
 */
export async function pendingChanges(
  target: Target,
  provider: Provider,
  /** The vault's role holders, when the caller has read them already. */
  known?: Map<string, Set<string>>,
): Promise<PendingChange[]> {
  const vault = ReserveVault__factory.connect(target.deployment.vault, provider);
  const from = target.deployment.blockNumber ?? 0;
  const submitted = await vault.queryFilter(vault.filters.ChangeSubmitted(), from);
  const closed = new Set(
    [
      ...(await vault.queryFilter(vault.filters.ChangeRevoked(), from)),
      ...(await vault.queryFilter(vault.filters.ChangeExecuted(), from)),
    ].map((e) => `${e.args.id}:${e.blockNumber}:${e.index}`),
  );
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);
  const window = 14n * 86_400n;
  const latest = new Map<string, (typeof submitted)[number]>();
  for (const event of submitted) latest.set(event.args.id, event);
  const closedAfter = (id: string, block: number, index: number) =>
    [...closed].some((key) => {
      const [kid, kb, ki] = key.split(":");
      return kid === id && (Number(kb) > block || (Number(kb) === block && Number(ki) > index));
    });
  // The vault times only changes that add risk; one that lowers it (a larger buffer, a tighter guard)
  // runs at once and leaves its submission behind. A simulation from a holder of the role says which.
  const holders = known ?? (await roleHolders(vault, from));
  const holderFor = (data: string): string | undefined => {
    const selector = data.slice(0, 10);
    const role = selector === VAULT.getFunction("setTimelock")!.selector ? ZeroHash : id("CURATOR_ROLE");
    return [...(holders.get(role) ?? [])][0];
  };
  const appliesNow = async (data: string): Promise<boolean> => {
    const caller = holderFor(data);
    if (!caller) return false;
    return provider.call({ to: target.deployment.vault, from: caller, data }).then(
      () => true,
      () => false,
    );
  };
  const pending: PendingChange[] = [];
  for (const [id, event] of latest) {
    if (closedAfter(id, event.blockNumber, event.index)) continue;
    const at = await vault.executableAt(event.args.data);
    if (at === 0n) continue;
    const state =
      now > at + window
        ? `expired ${formatRemaining(now - at - window)} ago: revoke it before submitting it again`
        : now >= at
          ? "ready"
          : (await appliesNow(event.args.data))
            ? "applies now: it lowers risk, so the vault does not wait for it (the submission stays until revoked)"
            : `in ${formatRemaining(at - now)}`;
    pending.push({
      id,
      data: event.args.data,
      description: describeCalldata(target, event.args.data),
      executableAt: at,
      state,
    });
  }
  return pending.sort((x, y) => (x.executableAt < y.executableAt ? -1 : 1));
}

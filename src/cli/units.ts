import { Contract, formatUnits, type Provider } from "ethers";

/** Amounts, shares of a whole and durations as a person reads them (raw base units stay in JSON). */

/** `1234567890000` with 6 decimals and "USDC" → `1,234,567.89 USDC` (trailing zeros dropped, never rounded). */
export function formatAmount(base: bigint, decimals: number, symbol?: string): string {
  const negative = base < 0n;
  const text = groupDecimal(formatUnits(negative ? -base : base, decimals));
  return `${negative ? "-" : ""}${text}${symbol ? ` ${symbol}` : ""}`;
}

/** An exact decimal string as a person reads it: `1234567.890` → `1,234,567.89`; anything else as is. */
export function groupDecimal(decimal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!match) return decimal;
  const grouped = match[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const trimmed = (match[3] ?? "").replace(/0+$/, "");
  return `${match[1]}${grouped}${trimmed ? `.${trimmed}` : ""}`;
}

/** Basis points as a percentage: 25 → `0.25 %`. */
export function formatBps(bps: number | bigint): string {
  const value = Number(bps);
  return `${(value / 100).toFixed(2)} %`;
}

/** Seconds in the largest whole unit that fits: 86400 → `1 day`, 5400 → `90 min`, 45 → `45 s`. */
export function formatDuration(seconds: number | bigint): string {
  const s = Number(seconds);
  const units: Array<[number, string, string]> = [
    [86_400, "day", "days"],
    [3_600, "h", "h"],
    [60, "min", "min"],
  ];
  for (const [size, one, many] of units) {
    if (s >= size && s % size === 0) return `${s / size} ${s === size ? one : many}`;
  }
  return `${s} s`;
}

/** A per-second rate as a per-day amount: the way limits are read. */
export function formatPerDay(perSecond: bigint, decimals: number, symbol?: string): string {
  return `${formatAmount(perSecond * 86_400n, decimals, symbol)}/day`;
}

/** A whole number with thousands separators: gas, counts. */
export function formatCount(value: number | bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Time left, to the minute: 90061 → `1 d 1 h 1 min`, 59 → `59 s`. */
export function formatRemaining(seconds: number | bigint): string {
  let s = Number(seconds);
  if (s < 60) return `${s} s`;
  const parts: string[] = [];
  for (const [size, unit] of [
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
  ] as const) {
    if (s >= size) parts.push(`${Math.floor(s / size)} ${unit}`);
    s %= size;
  }
  return parts.join(" ");
}

/** A token's decimals and symbol, read from the chain: what amounts of it are printed with. */
export async function tokenUnits(provider: Provider, token: string): Promise<{ decimals: number; symbol: string }> {
  const contract = new Contract(
    token,
    ["function decimals() view returns (uint8)", "function symbol() view returns (string)"],
    provider,
  );
  return {
    decimals: Number(await contract.getFunction("decimals")()),
    symbol: String(await contract.getFunction("symbol")()),
  };
}

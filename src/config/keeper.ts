import { existsSync, readFileSync } from "node:fs";
import { getAddress, parseUnits } from "ethers";
import { z } from "zod";
import { FieldError, firstIssue } from "../cli/fieldError";
import { isTimeZone, type CalendarEntry } from "../keeper/calendar";

/**
 * The keeper's configuration: a JSON file for everything public, the environment for secrets and
 * overrides (KEEPER_RPC_URL, KEEPER_VAULT, KEEPER_PRIVATE_KEY or KEEPER_KEYSTORE +
 * KEEPER_KEYSTORE_PASSWORD). Validated once at start; a bad or missing field stops the keeper with a
 * message naming the field and the fix. Secret values never appear in messages or logs.
 */

export class ConfigError extends FieldError {}

const address = (field: string) =>
  z.string().transform((value, ctx) => {
    if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${field} must be 0x followed by 40 hex digits` });
      return z.NEVER;
    }
    try {
      return getAddress(value);
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${field} has a wrong checksum; copy it from the deployment record or write it in lower case`,
      });
      return z.NEVER;
    }
  });

const gwei = (field: string) =>
  z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, { message: `${field} must be a decimal number of gwei as a string, e.g. "30"` })
    .transform((value) => parseUnits(value, "gwei"));

const localTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'must be a local time "HH:MM" (24-hour), e.g. "15:00"' });
const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

/** An issuer's own window: its time zone, its opening and cut-off in local time, and whether only US business
 * days count. */
const windowSchema = z
  .object({
    timeZone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone, e.g. "America/New_York"' }),
    opensAt: localTime,
    cutoff: localTime,
    businessDaysOnly: z.boolean().default(true),
  })
  .strict()
  .refine((w) => minutesOf(w.opensAt) < minutesOf(w.cutoff), {
    message: "must be after opensAt: a window lies within one local day",
    path: ["cutoff"],
  });

/** "treasury", "always", or an issuer's own window. */
const calendarEntry = z.unknown().transform((value, ctx): CalendarEntry => {
  if (value === "treasury" || value === "always") return value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `${JSON.stringify(value)} is not a window: use "treasury", "always" or { "timeZone", "opensAt", "cutoff", "businessDaysOnly" }`,
    });
    return z.NEVER;
  }
  const parsed = windowSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue(issue);
    return z.NEVER;
  }
  const w = parsed.data;
  return {
    timeZone: w.timeZone,
    opensAtMinutes: minutesOf(w.opensAt),
    cutoffMinutes: minutesOf(w.cutoff),
    businessDaysOnly: w.businessDaysOnly,
  };
});

const fileSchema = z
  .object({
    rpcUrl: z.string().url({ message: "must be an http(s) URL of a JSON-RPC endpoint" }).optional(),
    vault: address("vault").optional(),
    pollIntervalSeconds: z.number().int().min(1).max(86_400).default(60),
    confirmations: z.number().int().min(0).max(64).default(1),
    reportIntervalSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    navMoveBps: z.number().int().min(1).max(10_000).default(10),
    maxFeePerGasGwei: gwei("maxFeePerGasGwei").default("100"),
    maxPriorityFeePerGasGwei: gwei("maxPriorityFeePerGasGwei").default("2"),
    gasLimit: z.number().int().min(21_000).max(30_000_000).default(8_000_000),
    stuckAfterSeconds: z.number().int().min(1).max(3_600).default(180),
    retryAttempts: z.number().int().min(1).max(20).default(5),
    retryBaseDelayMs: z.number().int().min(10).max(60_000).default(500),
    metricsPort: z.number().int().min(0).max(65_535).default(0),
    /** Requests the keeper serves per fulfil call of the redemption queue (each call's gas is bounded by it). */
    queueBatch: z.number().int().min(1).max(200).default(20),
    /** Adapter (address, or name in deployments/<network>.json) → its issuer window: "treasury"
     * (09:00–15:00 NY business days), "always", or the product's own `{ timeZone, opensAt, cutoff,
     * businessDaysOnly }`. */
    calendar: z.record(z.string(), calendarEntry).default({}),
  })
  .strict();

export type KeeperSecret =
  { kind: "privateKey"; privateKey: string } | { kind: "keystore"; json: string; password: string };

export interface KeeperConfig {
  rpcUrl: string;
  vault: string;
  pollIntervalSeconds: number;
  confirmations: number;
  reportIntervalSeconds: number;
  navMoveBps: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  gasLimit: number;
  stuckAfterSeconds: number;
  retryAttempts: number;
  retryBaseDelayMs: number;
  metricsPort: number;
  queueBatch: number;
  calendar: Record<string, CalendarEntry>;
  /** Adapter address (checksummed) → its name in the deployment record, for logs. */
  names?: Record<string, string>;
  secret?: KeeperSecret;
}

/** Reads and validates the configuration. `requireKey` is false for read-only use (status, dry runs). */
export function loadKeeperConfig(options: {
  /** The network's deployment record, when there is one: its vault is the default, its adapter names
   * may stand for addresses in the calendar. */
  deployment?: { vault: string; adapters: Record<string, string> };
  file?: string;
  env?: NodeJS.ProcessEnv;
  requireKey: boolean;
  defaultRpcUrl?: string;
}): KeeperConfig {
  const env = options.env ?? process.env;
  let raw: unknown = {};
  if (options.file !== undefined) {
    if (!existsSync(options.file)) {
      throw new ConfigError("--config", `${options.file} does not exist; pass the path of the keeper's JSON config`);
    }
    try {
      raw = JSON.parse(readFileSync(options.file, "utf8"));
    } catch (error) {
      throw new ConfigError("--config", `${options.file} is not valid JSON (${(error as Error).message})`);
    }
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const { field, fix } = firstIssue(parsed.error, "config");
    throw new ConfigError(field, fix);
  }
  const file = parsed.data;

  const rpcUrl = env.KEEPER_RPC_URL || file.rpcUrl || options.defaultRpcUrl;
  if (!rpcUrl) throw new ConfigError("rpcUrl", "set rpcUrl in the config file or KEEPER_RPC_URL");
  if (!/^https?:\/\//.test(rpcUrl)) throw new ConfigError("rpcUrl", "must be an http(s) URL of a JSON-RPC endpoint");

  const vaultText = env.KEEPER_VAULT || file.vault || options.deployment?.vault;
  if (!vaultText) {
    throw new ConfigError(
      "vault",
      "set vault in the config file or KEEPER_VAULT to the vault's address (or deploy first: deployments/<network>.json names it)",
    );
  }
  const vault = address("vault").safeParse(vaultText);
  if (!vault.success) throw new ConfigError("vault", vault.error.issues[0]!.message);

  // Calendar entries name an adapter by its address, or by its name in the deployment record.
  const named = options.deployment?.adapters ?? {};
  const calendar: Record<string, CalendarEntry> = {};
  for (const [key, window] of Object.entries(file.calendar)) {
    if (!key.startsWith("0x")) {
      const known = named[key];
      if (!known) {
        throw new ConfigError(
          `calendar.${key}`,
          `is not an adapter's name in the deployment record${Object.keys(named).length > 0 ? ` (names: ${Object.keys(named).join(", ")})` : ""}; use its name there or its address`,
        );
      }
      calendar[getAddress(known)] = window;
      continue;
    }
    const adapter = address(`calendar.${key}`).safeParse(key);
    if (!adapter.success) throw new ConfigError(`calendar.${key}`, adapter.error.issues[0]!.message);
    calendar[adapter.data] = window;
  }

  const secret = readSecret(env);
  if (options.requireKey && !secret) {
    throw new ConfigError(
      "KEEPER_PRIVATE_KEY",
      "set KEEPER_PRIVATE_KEY, or KEEPER_KEYSTORE and KEEPER_KEYSTORE_PASSWORD (or use --dry-run to send nothing)",
    );
  }
  return {
    rpcUrl,
    vault: vault.data,
    pollIntervalSeconds: file.pollIntervalSeconds,
    confirmations: file.confirmations,
    reportIntervalSeconds: file.reportIntervalSeconds,
    navMoveBps: file.navMoveBps,
    maxFeePerGas: file.maxFeePerGasGwei,
    maxPriorityFeePerGas: file.maxPriorityFeePerGasGwei,
    gasLimit: file.gasLimit,
    stuckAfterSeconds: file.stuckAfterSeconds,
    retryAttempts: file.retryAttempts,
    retryBaseDelayMs: file.retryBaseDelayMs,
    metricsPort: file.metricsPort,
    queueBatch: file.queueBatch,
    calendar,
    ...(Object.keys(named).length > 0
      ? { names: Object.fromEntries(Object.entries(named).map(([name, a]) => [getAddress(a), name])) }
      : {}),
    ...(secret ? { secret } : {}),
  };
}

function readSecret(env: NodeJS.ProcessEnv): KeeperSecret | undefined {
  const privateKey = env.KEEPER_PRIVATE_KEY;
  const keystore = env.KEEPER_KEYSTORE;
  if (privateKey && keystore) {
    throw new ConfigError("KEEPER_PRIVATE_KEY", "set either KEEPER_PRIVATE_KEY or KEEPER_KEYSTORE, not both");
  }
  if (privateKey) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(privateKey)) {
      throw new ConfigError("KEEPER_PRIVATE_KEY", "must be 0x followed by 64 hex digits (the value is not shown)");
    }
    return { kind: "privateKey", privateKey };
  }
  if (keystore) {
    if (!existsSync(keystore))
      throw new ConfigError(
        "KEEPER_KEYSTORE",
        `${keystore} does not exist; give the path of an encrypted JSON keystore`,
      );
    const password = env.KEEPER_KEYSTORE_PASSWORD;
    if (!password) throw new ConfigError("KEEPER_KEYSTORE_PASSWORD", "set the keystore's passphrase");
    return { kind: "keystore", json: readFileSync(keystore, "utf8"), password };
  }
  return undefined;
}

import { readFileSync, existsSync } from "node:fs";
import { getAddress, ZeroAddress } from "ethers";
import { z } from "zod";
import { mainnetBook, type IssuerBook } from "../issuers/book";
import { EMULATED_ONLY } from "../addresses";
import { FieldError, firstIssue } from "../cli/fieldError";

/**
 * A deployment's parameters, one validated file per network (deploy/params/<network>.json). Addresses
 * may be given directly or by their name in the network's issuer book ("USDC", "USTB", …).
 */

export class ParamsError extends FieldError {}

const addressOrName = z.string().min(1);
const amount = z.string().regex(/^\d+$/, { message: "must be a whole number of base units, as a string" });
const bps = z.number().int().min(0).max(10_000);

/** Within this share of a request, an issuer's payment or fill closes it (its pricing or rounding, not a
 * partial fill), unless the params say otherwise. */
export const DEFAULT_SETTLE_TOLERANCE_BPS = 50n;

/** An async adapter's settlement tolerance; at most 1,000 (the adapters refuse more). */
const settleToleranceBps = z
  .number()
  .int()
  .min(0)
  .max(1_000, "settleToleranceBps must be at most 1000 (10 %): a larger gap is a partial fill, not pricing")
  .default(Number(DEFAULT_SETTLE_TOLERANCE_BPS));

/** What each kind of adapter needs to be deployed. */
const adapterKinds = [
  z.object({
    kind: z.literal("ustb"),
    name: z.string(),
    ustb: addressOrName,
    redemption: addressOrName,
    settleToleranceBps,
  }),
  /** The transfer-issued family: the issuer mints after a payment to its deposit address and pays after
   * the tokens are handed back. BUIDL (and its classes) at $1; STAC and USCC at their NAV feed's price. */
  z.object({
    kind: z.literal("buidl"),
    name: z.string(),
    token: addressOrName,
    /** Securitize's DS token ("ds", the default: its registry, lock-up and redemption wallet) or a Superstate
     * token ("superstate", USCC: its AllowList, no lock-up, redeemed by `offchainRedeem`). */
    standard: z.enum(["ds", "superstate"]).default("ds"),
    /** A DS token's registry service; a Superstate token has none. */
    registry: addressOrName.optional(),
    depositAddress: addressOrName,
    redemptionAddress: addressOrName.optional(),
    /** The instant exit, at most one: Circle's facility, or Securitize's off-ramp over a Grove Basin. */
    facility: addressOrName.optional(),
    offRamp: addressOrName.optional(),
    /** Securitize's on-ramp: entries buy tokens at once instead of subscribing at the deposit address. */
    onRamp: addressOrName.optional(),
    /** The product's NAV feed (Chainlink-style) and the oldest answer the adapter values at; without it the
     * token counts at $1. */
    navFeed: z
      .object({
        feed: addressOrName,
        maxAgeSeconds: z
          .number()
          .int()
          .min(60, "navFeed.maxAgeSeconds must be at least 60: a feed is never fresher than its last block")
          .max(2 ** 32 - 1),
      })
      .strict()
      .optional(),
    minTicket: amount,
    settleToleranceBps,
  }),
  z.object({ kind: z.literal("erc7540"), name: z.string(), target: addressOrName, settleToleranceBps }),
  z.object({
    kind: z.literal("erc4626"),
    name: z.string(),
    target: addressOrName,
    maxRateGrowthBpsPerYear: bps,
  }),
] as const;

/** The limits every adapter is listed with. */
const limitsSchema = z.object({
  weightBps: bps,
  cap: amount,
  rateLimit: z.object({ maxAmount: amount, slopePerSecond: amount }).strict(),
  maxSlippageBps: bps,
  navGuard: z
    .object({
      maxNavAgeSeconds: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1),
      maxNavDeviationBps: bps,
    })
    .strict(),
  /** Oldest an open issuer request may be before a report quarantines the adapter (then it may be
   * written off). The vault's default, 14 days, when absent; at least an hour. */
  maxRequestAgeSeconds: z
    .number()
    .int()
    .min(3_600, "maxRequestAgeSeconds must be at least 3600 (an hour): give the issuer time to settle")
    .max(2 ** 32 - 1)
    .default(14 * 86_400),
});

/** An adapter entry: its kind's fields and the limits, and nothing else (a misspelt key is refused, not
 * dropped). */
const adapterSchema = z.discriminatedUnion("kind", [
  adapterKinds[0].merge(limitsSchema).strict(),
  adapterKinds[1].merge(limitsSchema).strict(),
  adapterKinds[2].merge(limitsSchema).strict(),
  adapterKinds[3].merge(limitsSchema).strict(),
]);

export const paramsSchema = z
  .object({
    asset: addressOrName,
    name: z.string().min(1),
    symbol: z.string().min(1),
    /** Governance: receives the admin role at handover (a TimelockController or a Safe). */
    governance: addressOrName,
    adminTransferDelaySeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400),
    roles: z
      .object({
        curators: z.array(addressOrName).min(1),
        keepers: z.array(addressOrName),
        guardians: z.array(addressOrName).min(1),
      })
      .strict(),
    vault: z
      .object({
        bufferBps: bps,
        driftBandBps: bps,
        minMove: amount,
        maxRebalanceLossBps: bps,
        profitUnlockSeconds: z
          .number()
          .int()
          .min(0)
          .max(365 * 86_400),
        timelockSeconds: z
          .number()
          .int()
          .min(0)
          .max(30 * 86_400),
      })
      .strict(),
    /** The redemption queue deployed beside the vault: how small a request may be (base units) and how
     * old the oldest request may get before the plan stops entries. */
    redeemQueue: z
      .object({
        minRequestAssets: amount,
        maxQueueAgeSeconds: z
          .number()
          .int()
          .min(3_600, "maxQueueAgeSeconds must be at least 3600 (an hour)")
          .max(90 * 86_400),
      })
      .strict()
      .default({ minRequestAssets: "100000000", maxQueueAgeSeconds: 3 * 86_400 }),
    adapters: z.array(adapterSchema).max(32),
    /** Adapter names, in the order user withdrawals draw on them. */
    withdrawOrder: z.array(z.string()),
    /** On sandbox networks, allowlist each adapter at its issuer during configuration. */
    allowlistAtIssuers: z.boolean().default(false),
  })
  .strict();

export type DeployParams = z.infer<typeof paramsSchema>;
export type AdapterParams = DeployParams["adapters"][number];

/** Parses and checks parameters: weights sum, names unique and known, every address resolvable. */
export function parseParams(raw: unknown, book: IssuerBook = mainnetBook()): DeployParams {
  const parsed = paramsSchema.safeParse(raw);
  if (!parsed.success) {
    const { field, fix } = firstIssue(parsed.error, "params");
    throw new ParamsError(field, fix);
  }
  const params = parsed.data;
  const total = params.adapters.reduce((sum, a) => sum + a.weightBps, 0);
  if (total > 10_000) throw new ParamsError("adapters[].weightBps", `the weights sum to ${total} bps; at most 10000`);
  const names = params.adapters.map((a) => a.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new ParamsError("adapters[].name", `"${duplicate}" is used twice; names must be unique`);
  for (const [i, name] of params.withdrawOrder.entries()) {
    if (!names.includes(name)) throw new ParamsError(`withdrawOrder[${i}]`, `"${name}" is not an adapter's name`);
  }
  for (const [i, a] of params.adapters.entries()) if (a.kind === "buidl") checkTransferIssued(a, `adapters[${i}]`);
  // Resolve every address now, so a typo stops the deployment before anything is sent.
  for (const { field, value } of addressFields(params)) resolve(value, book, field);
  return params;
}

/** The transfer-issued entry's fields fit together: one instant exit, routes only for a $1 DS token, a
 * registry exactly for a DS token. */
function checkTransferIssued(a: Extract<AdapterParams, { kind: "buidl" }>, f: string): void {
  if (a.facility !== undefined && a.offRamp !== undefined) {
    throw new ParamsError(
      `${f}.offRamp`,
      "a BUIDL class has one instant exit: give facility (Circle's) or offRamp (Securitize's), not both",
    );
  }
  const route = (["facility", "offRamp", "onRamp"] as const).find((key) => a[key] !== undefined);
  if (a.standard === "superstate") {
    const extra = (["registry", "redemptionAddress", "facility", "offRamp", "onRamp"] as const).find(
      (key) => a[key] !== undefined,
    );
    if (extra !== undefined) {
      throw new ParamsError(
        `${f}.${extra}`,
        "a Superstate token keeps its own AllowList, redeems by offchainRedeem and has no instant route: remove it",
      );
    }
    if (a.navFeed === undefined) {
      throw new ParamsError(
        `${f}.navFeed`,
        "a Superstate token is priced by its NAV feed: give navFeed { feed, maxAgeSeconds }",
      );
    }
  } else if (a.registry === undefined) {
    throw new ParamsError(`${f}.registry`, "a DS token's adapter needs its registry service: give its address");
  } else if (a.navFeed !== undefined && a.redemptionAddress === undefined) {
    throw new ParamsError(
      `${f}.redemptionAddress`,
      "a product priced by navFeed has no instant exit: give the issuer's redemption address, its only way out",
    );
  }
  if (a.navFeed !== undefined && a.settleToleranceBps === 0) {
    throw new ParamsError(
      `${f}.settleToleranceBps`,
      "a product priced by navFeed needs a tolerance above 0: its fills are valued at the feed's price, not the issuer's strike",
    );
  }
  if (a.navFeed !== undefined && route !== undefined) {
    throw new ParamsError(
      `${f}.${route}`,
      "the instant routes trade a token worth $1: a product priced by navFeed takes none; remove it",
    );
  }
}

/** Every address a parameters file names, with the field it sits in. */
export function addressFields(params: DeployParams): Array<{ field: string; value: string; issuer: boolean }> {
  const fields: Array<{ field: string; value: string; issuer: boolean }> = [
    { field: "asset", value: params.asset, issuer: true },
    { field: "governance", value: params.governance, issuer: false },
  ];
  for (const [role, list] of Object.entries(params.roles)) {
    list.forEach((value, i) => fields.push({ field: `roles.${role}[${i}]`, value, issuer: false }));
  }
  params.adapters.forEach((adapter, i) => {
    const at = (name: string, value: string | undefined, issuer = true) => {
      if (value !== undefined) fields.push({ field: `adapters[${i}].${name}`, value, issuer });
    };
    switch (adapter.kind) {
      case "ustb":
        at("ustb", adapter.ustb);
        at("redemption", adapter.redemption);
        break;
      case "buidl":
        at("token", adapter.token);
        at("registry", adapter.registry);
        at("navFeed.feed", adapter.navFeed?.feed);
        // Securitize's deposit and redemption addresses are wallets: they need not hold code.
        at("depositAddress", adapter.depositAddress, false);
        at("redemptionAddress", adapter.redemptionAddress, false);
        at("facility", adapter.facility);
        at("offRamp", adapter.offRamp);
        at("onRamp", adapter.onRamp);
        break;
      case "erc7540":
      case "erc4626":
        at("target", adapter.target);
        break;
    }
  });
  return fields;
}

export function readParams(file: string, book?: IssuerBook): DeployParams {
  if (!existsSync(file)) throw new ParamsError("--params", `${file} does not exist; give a parameters file`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ParamsError("--params", `${file} is not valid JSON (${(error as Error).message})`);
  }
  return parseParams(raw, book);
}

/** An address given directly, or by its name in the issuer book; never the zero address. */
export function resolve(value: string, book: IssuerBook, field: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) {
    let address: string;
    try {
      address = getAddress(value);
    } catch {
      throw new ParamsError(field, `${value} has a wrong checksum; write it in lower case or fix it`);
    }
    if (address === ZeroAddress)
      throw new ParamsError(field, "is the zero address; give the account that will hold it");
    return address;
  }
  const known = (book as Record<string, string | undefined>)[value];
  if (!known && value in EMULATED_ONLY) {
    throw new ParamsError(
      field,
      `"${value}" has no address on this network: mainnet publishes none, only the emulated mainnet places ` +
        "one; give the contract's address",
    );
  }
  if (!known) {
    const names = Object.keys(book);
    const near = names.find((name) => squash(name) === squash(value));
    throw new ParamsError(
      field,
      `"${value}" is neither an address nor a name in the issuer book` +
        (near ? `; did you mean "${near}"?` : `; names are ${names.join(", ")}`),
    );
  }
  return getAddress(known);
}

/** A name with case, dashes, underscores and spaces taken out, to suggest the name meant. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

/**
 * The most each product's issuer may charge on an instant entry or exit, in bps, as documented
 * (reference: Superstate's subscription and RedemptionIdle fees are each capped at 10 bps), plus one
 * bp for the issuers' rounding. An exit bound at or below it makes withdrawals pass the adapter over,
 * and its rebalance legs fail, on the day the issuer charges its cap.
 */
export const FEE_CAP_WITH_ROUNDING_BPS: Record<AdapterParams["kind"], number> = {
  ustb: 11,
  buidl: 0,
  erc7540: 0,
  erc4626: 0,
};

/** A warning for each adapter whose slippage bound `bps` cannot absorb its issuer's maximum fee. */
export function slippageWarning(adapter: Pick<AdapterParams, "kind" | "name">, bps: number): string | undefined {
  const needed = FEE_CAP_WITH_ROUNDING_BPS[adapter.kind];
  if (bps >= needed) return undefined;
  return (
    `adapter ${adapter.name}: maxSlippageBps ${bps} is below its issuer's maximum fee plus rounding (${needed} bps); ` +
    `withdrawals will pass it over and its legs will fail when the issuer charges its cap — set maxSlippageBps to at least ${needed}`
  );
}

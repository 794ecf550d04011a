import { Interface, getAddress, id, type Provider } from "ethers";
import { CENTRIFUGE_IDS, type EmulatedOnlyName, type MainnetName } from "../addresses";
import type { IssuerBook } from "./book";

/**
 * The live facts the adapters and the issuer driver depend on, read at one block and set beside what
 * the address book and our code expect: code at every address, how Centrifuge's V3 contracts are wired,
 * each selector our adapters call on USTB (its source is not public: each is called), the AllowList's
 * surface the driver uses, the USTB oracle's age, RedemptionIdle's USDC, BUIDL's services. A mismatch
 * names the book entry it concerns.
 */
export interface CheckRow {
  /** The address book entry the fact is about. */
  entry: BookName;
  check: string;
  expected: string;
  found: string;
  ok: boolean;
}

/** An entry of a book: mainnet's, or one the emulated mainnet places. */
type BookName = MainnetName | EmulatedOnlyName;

/** Wallets, not contracts: they need no code. */
const WALLETS: ReadonlySet<BookName> = new Set([
  "BUIDL_I_DEPOSIT",
  "BUIDL_I_REDEMPTION",
  "BUIDL_ADMIN",
  "BUIDL_OFF_RAMP_FEE_COLLECTOR",
  "USCC_DEPOSIT",
  "STAC_DEPOSIT",
  "STAC_REDEMPTION",
]);
/** What USCC's `subscribe` reverts with on Ethereum, where it has no oracle. */
const ONCHAIN_SUBSCRIPTIONS_DISABLED = id("OnchainSubscriptionsDisabled()").slice(0, 10);
/** What a checkpoint older than this makes the USTB oracle do: revert `StaleCheckpoint()`. */
const CHECKPOINT_EXPIRATION_SECONDS = 5n * 86_400n;

type Outcome = { kind: "returned"; data: string } | { kind: "reverted"; data: string };

export async function forkCheck(provider: Provider, book: IssuerBook, blockTag: number): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const row = (entry: BookName, check: string, expected: string, found: string, ok: boolean) =>
    rows.push({ entry, check, expected, found, ok });

  const raw = async (to: string, data: string, from?: string): Promise<Outcome> => {
    try {
      return { kind: "returned", data: await provider.call({ to, data, blockTag, ...(from ? { from } : {}) }) };
    } catch (error) {
      return { kind: "reverted", data: revertData(error) };
    }
  };
  /** Calls `signature` on `to`; undefined when it reverts or answers in another shape. */
  const read = async (to: string, signature: string, args: unknown[] = []): Promise<unknown[] | undefined> => {
    const fragment = new Interface([`function ${signature}`]);
    const name = signature.slice(0, signature.indexOf("("));
    const outcome = await raw(to, fragment.encodeFunctionData(name, args));
    if (outcome.kind === "reverted") return undefined;
    try {
      return [...fragment.decodeFunctionResult(name, outcome.data)];
    } catch {
      return undefined;
    }
  };
  const one = async (to: string, signature: string, args: unknown[] = []): Promise<unknown> =>
    (await read(to, signature, args))?.[0];
  const same = (a: unknown, b: string): boolean => typeof a === "string" && getAddress(a) === getAddress(b);
  /** A function that is there: it returns, or refuses with its own error (a revert without data is absent). */
  const present = (entry: BookName, check: string, outcome: Outcome) =>
    row(
      entry,
      check,
      "present (a refusal with an error is fine)",
      outcome.kind === "returned"
        ? "returned"
        : outcome.data === "0x"
          ? "reverts without data (absent?)"
          : `reverts ${outcome.data.slice(0, 10)}`,
      outcome.kind === "returned" || outcome.data !== "0x",
    );
  const shown = (value: unknown): string =>
    value === undefined ? "reverts" : typeof value === "string" && value.startsWith("0x") ? value : String(value);

  // --- code at every address of the book
  for (const [entry, address] of Object.entries(book) as Array<[BookName, string]>) {
    const code = (await provider.getCode(address, blockTag)) as string;
    const size = (code.length - 2) / 2;
    if (WALLETS.has(entry)) {
      row(entry, `code at ${address}`, "a wallet (code or none)", size === 0 ? "no code" : `${size} bytes`, true);
    } else {
      row(entry, `code at ${address}`, "code", size === 0 ? "no code" : `${size} bytes`, size > 0);
    }
  }

  // --- Centrifuge V3: JTRSY's two vaults and JAAA's, on one request manager, spoke and hook
  const vaults = [
    { entry: "JTRSY_VAULT", share: "JTRSY", asset: "USDC", ids: CENTRIFUGE_IDS.JTRSY },
    { entry: "JTRSY_VAULT_USDS", share: "JTRSY", asset: "USDS", ids: CENTRIFUGE_IDS.JTRSY },
    { entry: "JAAA_VAULT", share: "JAAA", asset: "USDC", ids: CENTRIFUGE_IDS.JAAA },
  ] as const;
  for (const v of vaults) {
    const vault = book[v.entry];
    const manager = await one(vault, "manager() view returns (address)");
    row(
      v.entry,
      "manager()",
      `CENTRIFUGE_ASYNC_REQUEST_MANAGER ${book.CENTRIFUGE_ASYNC_REQUEST_MANAGER}`,
      shown(manager),
      same(manager, book.CENTRIFUGE_ASYNC_REQUEST_MANAGER),
    );
    const share = await one(vault, "share() view returns (address)");
    row(v.entry, "share()", `${v.share} ${book[v.share]}`, shown(share), same(share, book[v.share]));
    const asset = await one(vault, "asset() view returns (address)");
    row(v.entry, "asset()", `${v.asset} ${book[v.asset]}`, shown(asset), same(asset, book[v.asset]));
    const poolId = await one(vault, "poolId() view returns (uint64)");
    row(v.entry, "poolId()", String(v.ids.poolId), shown(poolId), poolId === v.ids.poolId);
    const scId = await one(vault, "scId() view returns (bytes16)");
    row(v.entry, "scId()", v.ids.scId, shown(scId), typeof scId === "string" && scId.toLowerCase() === v.ids.scId);
    const served = await one(book[v.share], "vault(address) view returns (address)", [book[v.asset]]);
    row(v.share, `vault(${v.asset}) (ERC-7575)`, `${v.entry} ${vault}`, shown(served), same(served, vault));
    const price = await one(vault, "pricePerShare() view returns (uint256)");
    row(v.entry, "pricePerShare()", "a price above zero", shown(price), typeof price === "bigint" && price > 0n);
  }
  // The adapter asks the hook about a redemption request as a transfer to the escrow's hook id
  // (0x1CF60 in v3.1): a hook with another id would close its exits without a word.
  const redeemHookId = await one(
    book.CENTRIFUGE_FULL_RESTRICTIONS,
    "isRedeemRequest(address,address) view returns (bool)",
    [book.USDC, "0x000000000000000000000000000000000001CF60"],
  );
  row(
    "CENTRIFUGE_FULL_RESTRICTIONS",
    `isRedeemRequest(_, 0x1CF60)`,
    "true: the escrow's hook id the adapter uses",
    shown(redeemHookId),
    redeemHookId === true,
  );
  for (const share of ["JTRSY", "JAAA"] as const) {
    const hook = await one(book[share], "hook() view returns (address)");
    row(
      share,
      "hook()",
      `CENTRIFUGE_FULL_RESTRICTIONS ${book.CENTRIFUGE_FULL_RESTRICTIONS}`,
      shown(hook),
      same(hook, book.CENTRIFUGE_FULL_RESTRICTIONS),
    );
    const ids = CENTRIFUGE_IDS[share];
    const token = await one(book.CENTRIFUGE_SPOKE, "shareToken(uint64,bytes16) view returns (address)", [
      ids.poolId,
      ids.scId,
    ]);
    row(
      "CENTRIFUGE_SPOKE",
      `shareToken(${share}'s pool, class)`,
      `${share} ${book[share]}`,
      shown(token),
      same(token, book[share]),
    );
    const manager = await one(book.CENTRIFUGE_SPOKE, "requestManager(uint64) view returns (address)", [ids.poolId]);
    row(
      "CENTRIFUGE_SPOKE",
      `requestManager(${share}'s pool)`,
      `CENTRIFUGE_ASYNC_REQUEST_MANAGER ${book.CENTRIFUGE_ASYNC_REQUEST_MANAGER}`,
      shown(manager),
      same(manager, book.CENTRIFUGE_ASYNC_REQUEST_MANAGER),
    );
    const escrow = await one(book.CENTRIFUGE_BALANCE_SHEET, "escrow(uint64) view returns (address)", [ids.poolId]);
    const escrowCode = typeof escrow === "string" ? ((await provider.getCode(escrow, blockTag)) as string) : "0x";
    row(
      "CENTRIFUGE_BALANCE_SHEET",
      `escrow(${share}'s pool)`,
      "a pool escrow with code",
      shown(escrow),
      escrowCode.length > 2,
    );
    const escrowWard =
      escrowCode.length > 2
        ? await one(escrow as string, "wards(address) view returns (uint256)", [book.CENTRIFUGE_ROOT])
        : undefined;
    row(
      "CENTRIFUGE_BALANCE_SHEET",
      `escrow(${share}'s pool).wards(CENTRIFUGE_ROOT)`,
      "1 (the driver books redemption funds as the root)",
      shown(escrowWard),
      escrowWard === 1n,
    );
  }
  const usdcId = await one(book.CENTRIFUGE_SPOKE, "assetToId(address,uint256) view returns (uint128)", [book.USDC, 0n]);
  row(
    "CENTRIFUGE_SPOKE",
    "assetToId(USDC, 0)",
    "a registered asset id",
    shown(usdcId),
    typeof usdcId === "bigint" && usdcId > 0n,
  );
  // The driver plays Centrifuge's side as its root: the root must be a ward where it acts.
  for (const entry of [
    "CENTRIFUGE_SPOKE",
    "CENTRIFUGE_ASYNC_REQUEST_MANAGER",
    "CENTRIFUGE_FULL_RESTRICTIONS",
  ] as const) {
    const ward = await one(book[entry], "wards(address) view returns (uint256)", [book.CENTRIFUGE_ROOT]);
    row(entry, "wards(CENTRIFUGE_ROOT)", "1 (the driver acts as the root)", shown(ward), ward === 1n);
  }

  // --- USTB: every selector the UstbAdapter calls on the token, answered (its source is not public)
  const probe = "0x000000000000000000000000000000000000dEaD";
  const views: Array<[string, unknown[], (value: unknown) => boolean, string]> = [
    [
      "superstateOracle() view returns (address)",
      [],
      (o) => same(o, book.USTB_ORACLE),
      `USTB_ORACLE ${book.USTB_ORACLE}`,
    ],
    ["accountingPaused() view returns (bool)", [], (o) => typeof o === "boolean", "a bool"],
    ["paused() view returns (bool)", [], (o) => typeof o === "boolean", "a bool"],
    ["isAllowed(address) view returns (bool)", [probe], (o) => typeof o === "boolean", "a bool"],
    ["decimals() view returns (uint8)", [], (o) => o === 6n, "6"],
    [
      "getChainlinkPrice() view returns (bool, uint256, uint256)",
      [],
      (o) => typeof o === "boolean",
      "(bad data, updated at, price)",
    ],
  ];
  for (const [signature, args, test, expected] of views) {
    const value = await one(book.USTB, signature, args);
    row(
      "USTB",
      signature.slice(0, signature.indexOf(")") + 1),
      expected,
      shown(value),
      value !== undefined && test(value),
    );
  }
  // A subscription the token refuses still shows the function is there: it reverts with the token's error.
  const subscribe = await raw(
    book.USTB,
    new Interface(["function subscribe(uint256,address)"]).encodeFunctionData("subscribe", [0n, book.USDC]),
    probe,
  );
  present("USTB", "subscribe(uint256,address)", subscribe);

  // --- the AllowList the driver administers: owner, and each admin call as the owner would make it
  const owner = await one(book.USTB_ALLOWLIST, "owner() view returns (address)");
  row("USTB_ALLOWLIST", "owner()", "an owner", shown(owner), typeof owner === "string");
  const version = await one(book.USTB_ALLOWLIST, "VERSION() view returns (string)");
  row("USTB_ALLOWLIST", "VERSION()", "3.1", shown(version), version === "3.1");
  for (const [signature, args] of [
    ["isAddressAllowedForPrivateInstrument(address,string) view returns (bool)", [probe, "USTB"]],
    ["isEntityAllowedForPrivateInstrument(uint256,string) view returns (bool)", [1n, "USTB"]],
    ["addressEntityIds(address) view returns (uint256)", [probe]],
    ["protocolPermissions(address,string) view returns (bool)", [probe, "USTB"]],
    ["hasAnyProtocolPermissions(address) view returns (bool)", [probe]],
  ] as Array<[string, unknown[]]>) {
    const value = await one(book.USTB_ALLOWLIST, signature, args);
    row("USTB_ALLOWLIST", signature.slice(0, signature.indexOf(")") + 1), "answers", shown(value), value !== undefined);
  }
  if (typeof owner === "string") {
    const entity = 4_000_000_000n + BigInt(blockTag);
    for (const [signature, args] of [
      ["setEntityIdForAddress(uint256,address)", [entity, probe]],
      ["setEntityAllowedForPrivateInstrument(uint256,string,bool)", [entity, "USTB", true]],
      ["setProtocolAddressPermission(address,string,bool)", [book.USTB_REDEMPTION_IDLE, "USTB", true]],
    ] as Array<[string, unknown[]]>) {
      const name = signature.slice(0, signature.indexOf("("));
      const outcome = await raw(
        book.USTB_ALLOWLIST,
        new Interface([`function ${signature}`]).encodeFunctionData(name, args),
        owner,
      );
      row(
        "USTB_ALLOWLIST",
        `${signature} as the owner`,
        "accepted (or refused with an error)",
        outcome.kind === "returned"
          ? "accepted"
          : outcome.data === "0x"
            ? "reverts without data (absent?)"
            : `reverts ${outcome.data.slice(0, 10)}`,
        outcome.kind === "returned" || outcome.data !== "0x",
      );
    }
  }

  // --- the USTB oracle's last checkpoint, and RedemptionIdle's cash
  const round = await read(
    book.USTB_ORACLE,
    "latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)",
  );
  const block = await provider.getBlock(blockTag);
  const now = BigInt(block?.timestamp ?? 0);
  const checkpoint = round
    ? await read(book.USTB_ORACLE, "checkpoints(uint256) view returns (uint64, uint64, uint128)", [round[0]])
    : undefined;
  const age = checkpoint ? now - (checkpoint[1] as bigint) : undefined;
  row(
    "USTB_ORACLE",
    "latest checkpoint's age",
    `under ${CHECKPOINT_EXPIRATION_SECONDS / 86_400n} days (else StaleCheckpoint())`,
    round === undefined
      ? "latestRoundData() reverts"
      : age === undefined
        ? "checkpoint unreadable"
        : `${age} s (NAV ${round[1]})`,
    age !== undefined && age <= CHECKPOINT_EXPIRATION_SECONDS,
  );
  const cash = await one(book.USDC, "balanceOf(address) view returns (uint256)", [book.USTB_REDEMPTION_IDLE]);
  row("USTB_REDEMPTION_IDLE", "USDC on hand", "any (instant exits draw on it)", shown(cash), typeof cash === "bigint");

  // --- the DS services the transfer-issued adapter reads, for BUIDL-I and STAC: lock-up and transferable tokens
  for (const token of ["BUIDL_I", "STAC"] as const) {
    const configuration = await one(book[token], "getDSService(uint256) view returns (address)", [256n]);
    const lockPeriod =
      typeof configuration === "string"
        ? await one(configuration, "getNonUSLockPeriod() view returns (uint256)")
        : undefined;
    row(token, "getDSService(256).getNonUSLockPeriod()", "answers", shown(lockPeriod), lockPeriod !== undefined);
    const compliance = await one(book[token], "getDSService(uint256) view returns (address)", [8n]);
    const transferable =
      typeof compliance === "string"
        ? await one(compliance, "getComplianceTransferableTokens(address,uint256,uint64) view returns (uint256)", [
            probe,
            now,
            0n,
          ])
        : undefined;
    row(
      token,
      "getDSService(8).getComplianceTransferableTokens(address,uint256,uint64)",
      "answers",
      shown(transferable),
      transferable !== undefined,
    );
  }
  const stacDecimals = await one(book.STAC, "decimals() view returns (uint8)");
  row("STAC", "decimals()", "6", shown(stacDecimals), stacDecimals === 6n);

  // --- USCC: a Superstate token whose on-chain subscription is switched off, left by offchainRedeem
  const usccDecimals = await one(book.USCC, "decimals() view returns (uint8)");
  row("USCC", "decimals()", "6", shown(usccDecimals), usccDecimals === 6n);
  const usccAllowed = await one(book.USCC, "isAllowed(address) view returns (bool)", [probe]);
  row("USCC", "isAllowed(address)", "a bool", shown(usccAllowed), typeof usccAllowed === "boolean");
  const usccSubscribe = await raw(
    book.USCC,
    new Interface(["function subscribe(uint256,address)"]).encodeFunctionData("subscribe", [1_000_000n, book.USDC]),
    probe,
  );
  row(
    "USCC",
    "subscribe(uint256,address)",
    `reverts OnchainSubscriptionsDisabled() (${ONCHAIN_SUBSCRIPTIONS_DISABLED})`,
    usccSubscribe.kind === "returned" ? "returned" : `reverts ${usccSubscribe.data.slice(0, 10)}`,
    usccSubscribe.kind === "reverted" && usccSubscribe.data.slice(0, 10) === ONCHAIN_SUBSCRIPTIONS_DISABLED,
  );
  const usccRedeem = await raw(
    book.USCC,
    new Interface(["function offchainRedeem(uint256)"]).encodeFunctionData("offchainRedeem", [1n]),
    probe,
  );
  present("USCC", "offchainRedeem(uint256)", usccRedeem);

  // --- the NAV feeds USCC and STAC are valued at: decimals, and a positive answer with its age
  for (const feed of ["USCC_NAV_FEED", "STAC_NAV_FEED"] as const) {
    const decimals = await one(book[feed], "decimals() view returns (uint8)");
    row(feed, "decimals()", "answers (read at deployment)", shown(decimals), typeof decimals === "bigint");
    const round = await read(book[feed], "latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)");
    const answer = round?.[1];
    const updatedAt = round?.[3];
    row(
      feed,
      "latestRoundData()",
      "a positive answer (the adapter judges its age against its maxAgeSeconds)",
      round === undefined ? "reverts" : `${String(answer)}, ${now - (updatedAt as bigint)} s old`,
      typeof answer === "bigint" && answer > 0n && typeof updatedAt === "bigint" && updatedAt <= now,
    );
  }
  return rows;
}

/** The revert data an ethers error carries, "0x" when none. */
function revertData(error: unknown): string {
  const data =
    (error as { data?: unknown; info?: { error?: { data?: unknown } } }).data ??
    (error as { info?: { error?: { data?: unknown } } }).info?.error?.data;
  if (typeof data === "string" && data.startsWith("0x")) return data;
  if (data && typeof data === "object" && typeof (data as { data?: unknown }).data === "string") {
    return (data as { data: string }).data;
  }
  return "0x";
}

/** The failed rows, named by their book entries, for the exit message. */
export function failures(rows: readonly CheckRow[]): string[] {
  return rows.filter((r) => !r.ok).map((r) => `${r.entry}: ${r.check}: expected ${r.expected}, found ${r.found}`);
}

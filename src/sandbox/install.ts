import { encodeBytes32String, getAddress, id, ZeroAddress, type ContractFactory, type Signer } from "ethers";
import { CENTRIFUGE_IDS, MAINNET } from "../addresses";
import {
  SandboxBuidlRedemption__factory,
  SandboxDSRegistry__factory,
  SandboxDSToken__factory,
  SandboxExternalLiquidityProvider__factory,
  SandboxGroveBasin__factory,
  SandboxMbpsFeeManager__factory,
  SandboxNavFeed__factory,
  SandboxRateProvider__factory,
  SandboxSecuritizeNavProvider__factory,
  SandboxSecuritizeOffRamp__factory,
  SandboxExternalAssetProvider__factory,
  SandboxSecuritizeOnRamp__factory,
  SandboxAsyncRequestManager__factory,
  SandboxAsyncVault__factory,
  SandboxBalanceSheet__factory,
  SandboxCentrifugeRoot__factory,
  SandboxFullRestrictions__factory,
  SandboxPoolEscrow__factory,
  SandboxRedemptionIdle__factory,
  SandboxShareToken__factory,
  SandboxSpoke__factory,
  SandboxSUSDS__factory,
  SandboxSuperstateAllowList__factory,
  SandboxSuperstateOracle__factory,
  SandboxVaultRegistry__factory,
  SandboxUSDC__factory,
  SandboxUSDS__factory,
  SandboxUSTB__factory,
  SandboxUsdsPsmWrapper__factory,
} from "../../typechain-types";
import type { ActAs } from "../issuers/actors";
import type { IssuerBook } from "../issuers/book";
import { emulatedMainnetBook, mainnetBook } from "../issuers/book";
import type { JsonRpcLike } from "./rpc";

/** Deterministic stand-ins for admins the reference does not name (on a fork, read them from chain). */
export const SANDBOX_ADMINS = {
  usdc: addressOf("reserve-router.sandbox.usdc-admin"),
  superstate: addressOf("reserve-router.sandbox.superstate-admin"),
  superstateSweep: addressOf("reserve-router.sandbox.superstate-sweep"),
  sky: addressOf("reserve-router.sandbox.sky-admin"),
  grove: addressOf("reserve-router.sandbox.grove-admin"),
} as const;

/** Seeded state of a fresh installation. */
export const SANDBOX_SEED = {
  /** USTB NAV per share, 6 decimals: two checkpoints one day apart. */
  ustbNavs: [10_500_000n, 10_501_000n] as const,
  /** JTRSY's share price in the pool's unit (USD), 18 decimals (≈ $1.054 as in March 2025). */
  jtrsyPrice: 1_054_000_000_000_000_000n,
  /** JAAA's share price, 18 decimals. */
  jaaaPrice: 1_021_000_000_000_000_000n,
  /** Centrifuge's asset ids on Ethereum (centrifuge id 1 in the top 16 bits, then a counter); on a fork
   * read `spoke.assetToId(asset, 0)`. */
  centrifugeAssetIds: { USDC: (1n << 112n) + 1n, USDS: (1n << 112n) + 2n },
  /** sUSDS savings rate: 4.5 % a year, per second, in ray. */
  ssr: 1_000_000_001_395_766_281_313_196_627n,
  ustbMaximumOracleDelaySeconds: 3_600n,
  /** Largest NAV step the USTB oracle accepts between checkpoints: $1 a share (6 decimals). */
  ustbMaximumAcceptablePriceDelta: 1_000_000n,
  /** The BUIDL Basin: every rate $1 (27 decimals), fees within [0, 5 %], 1 bp on redemptions, 50M USDC. */
  basinRate: 10n ** 27n,
  /** How often BUIDL's Basin rate feed is poked while live: daily. */
  basinBuidlHeartbeat: 86_400n,
  basinMaxFeeBps: 500n,
  basinRedemptionFeeBps: 1n,
  basinPurchaseFeeBps: 1n,
  basinUsdc: 50_000_000_000_000n,
  /** BUIDL the Basin holds for the on-ramp's buyers. */
  basinBuidl: 50_000_000_000_000n,
  /** BUIDL's NAV as Securitize's off-ramp reads it: $1 in 6 decimals; its fee, 5 thousandths of a bp. */
  buidlNav: 1_000_000n,
  offRampFeeMbps: 5n,
  /** The NAV feeds of USCC and STAC: 8 decimals, as Chainlink's USD feeds; USCC near its $10 launch price
   * plus carry, STAC a $1,000 unit (inside the $100–$10,000 band an integration of it accepts). */
  navFeedDecimals: 8,
  usccNav: 1_040_000_000n,
  stacNav: 100_000_000_000n,
} as const;

function addressOf(label: string): string {
  return getAddress(`0x${id(label).slice(26)}`);
}

/** Who administers each sandbox issuer. */
export interface SandboxAdmins {
  usdc: string;
  superstate: string;
  superstateSweep: string;
  securitize: string;
  centrifugeRoot: string;
  sky: string;
  grove: string;
}

export interface InstallOptions {
  rpc: JsonRpcLike;
  deployer: Signer;
  /** `mainnet`: code copied to the real addresses (Hardhat networks only); `fresh`: new deployments. */
  placement: "mainnet" | "fresh";
  admins: SandboxAdmins;
  /** How the admins sign their wiring calls. */
  actAs: ActAs;
  /** Called after each step, for progress output. */
  onStep?: (step: string) => void;
}

/** The mainnet admins where the reference names them, stand-ins elsewhere: for the in-process network. */
export const MAINNET_SANDBOX_ADMINS: SandboxAdmins = {
  usdc: SANDBOX_ADMINS.usdc,
  superstate: SANDBOX_ADMINS.superstate,
  superstateSweep: SANDBOX_ADMINS.superstateSweep,
  securitize: MAINNET.BUIDL_ADMIN,
  centrifugeRoot: MAINNET.CENTRIFUGE_ROOT,
  sky: SANDBOX_ADMINS.sky,
  grove: SANDBOX_ADMINS.grove,
};

/**
 * Installs the emulated issuers, initialises them, wires them as their issuers would and seeds prices.
 * Returns the address book of the installation. On a Hardhat network it advances time by two seconds so
 * the seeded USTB checkpoints are effective; elsewhere it waits for them.
 */
export async function installSandbox(options: InstallOptions): Promise<IssuerBook> {
  const { rpc, deployer, placement, actAs } = options;
  const A = options.admins;
  const step = options.onStep ?? (() => undefined);
  // The emulated mainnet places the contracts mainnet does not publish at fixed addresses.
  const target = placement === "mainnet" ? emulatedMainnetBook() : mainnetBook();
  const book: IssuerBook = {
    ...target,
    // The driver signs as the admins the book names.
    BUIDL_ADMIN: A.securitize,
    CENTRIFUGE_ROOT: A.centrifugeRoot,
  };

  /** Deploys with `factory`; with mainnet placement, copies the runtime code to the book's address. */
  const place = async (factory: ContractFactory, name: keyof IssuerBook): Promise<void> => {
    const contract = await factory.deploy();
    await contract.waitForDeployment();
    const deployed = await contract.getAddress();
    if (placement === "mainnet") {
      const code = await rpc.send("eth_getCode", [deployed, "latest"]);
      await rpc.send("hardhat_setCode", [book[name], code]);
    } else {
      book[name] = deployed;
    }
    step(`placed ${String(name)} at ${book[name]}`);
  };

  // --- code
  await place(new SandboxUSDC__factory(deployer), "USDC");
  await place(new SandboxSuperstateAllowList__factory(deployer), "USTB_ALLOWLIST");
  await place(new SandboxSuperstateOracle__factory(deployer), "USTB_ORACLE");
  await place(new SandboxUSTB__factory(deployer), "USTB");
  await place(new SandboxRedemptionIdle__factory(deployer), "USTB_REDEMPTION_IDLE");
  await place(new SandboxDSRegistry__factory(deployer), "BUIDL_REGISTRY");
  await place(new SandboxDSToken__factory(deployer), "BUIDL");
  await place(new SandboxDSToken__factory(deployer), "BUIDL_I");
  await place(new SandboxBuidlRedemption__factory(deployer), "BUIDL_REDEMPTION");
  await place(new SandboxUSTB__factory(deployer), "USCC");
  await place(new SandboxNavFeed__factory(deployer), "USCC_NAV_FEED");
  await place(new SandboxDSRegistry__factory(deployer), "STAC_REGISTRY");
  await place(new SandboxDSToken__factory(deployer), "STAC");
  await place(new SandboxNavFeed__factory(deployer), "STAC_NAV_FEED");
  // On a testnet the book's root is the admin who signs (our key), and the root contract is deployed below.
  if (placement === "mainnet") await place(new SandboxCentrifugeRoot__factory(deployer), "CENTRIFUGE_ROOT");
  await place(new SandboxSpoke__factory(deployer), "CENTRIFUGE_SPOKE");
  await place(new SandboxBalanceSheet__factory(deployer), "CENTRIFUGE_BALANCE_SHEET");
  await place(new SandboxVaultRegistry__factory(deployer), "CENTRIFUGE_VAULT_REGISTRY");
  await place(new SandboxAsyncRequestManager__factory(deployer), "CENTRIFUGE_ASYNC_REQUEST_MANAGER");
  await place(new SandboxFullRestrictions__factory(deployer), "CENTRIFUGE_FULL_RESTRICTIONS");
  await place(new SandboxShareToken__factory(deployer), "JTRSY");
  await place(new SandboxShareToken__factory(deployer), "JAAA");
  await place(new SandboxAsyncVault__factory(deployer), "JTRSY_VAULT");
  await place(new SandboxAsyncVault__factory(deployer), "JTRSY_VAULT_USDS");
  await place(new SandboxAsyncVault__factory(deployer), "JAAA_VAULT");
  await place(new SandboxUSDS__factory(deployer), "USDS");
  await place(new SandboxSUSDS__factory(deployer), "SUSDS");
  await place(new SandboxUsdsPsmWrapper__factory(deployer), "USDS_PSM_WRAPPER");
  await place(new SandboxRateProvider__factory(deployer), "BUIDL_BASIN_RATE_USDS");
  await place(new SandboxRateProvider__factory(deployer), "BUIDL_BASIN_RATE_USDC");
  await place(new SandboxRateProvider__factory(deployer), "BUIDL_BASIN_RATE_BUIDL");
  await place(new SandboxGroveBasin__factory(deployer), "BUIDL_BASIN");
  await place(new SandboxSecuritizeNavProvider__factory(deployer), "BUIDL_OFF_RAMP_NAV");
  await place(new SandboxMbpsFeeManager__factory(deployer), "BUIDL_OFF_RAMP_FEES");
  await place(new SandboxExternalLiquidityProvider__factory(deployer), "BUIDL_OFF_RAMP_PROVIDER");
  await place(new SandboxSecuritizeOffRamp__factory(deployer), "BUIDL_OFF_RAMP");
  await place(new SandboxMbpsFeeManager__factory(deployer), "BUIDL_ON_RAMP_FEES");
  await place(new SandboxExternalAssetProvider__factory(deployer), "BUIDL_ON_RAMP_PROVIDER");
  await place(new SandboxSecuritizeOnRamp__factory(deployer), "BUIDL_ON_RAMP");
  book.BUIDL_OFF_RAMP_FEE_COLLECTOR ??= addressOf(`reserve-router.sandbox.buidl-off-ramp-fees.${book.BUIDL}`);
  if (placement === "fresh") {
    // Plain addresses the issuers watch: the deployer's own stand-ins on a testnet.
    book.BUIDL_I_DEPOSIT = addressOf(`reserve-router.sandbox.buidl-i-deposit.${book.BUIDL_I}`);
    book.BUIDL_I_REDEMPTION = addressOf(`reserve-router.sandbox.buidl-i-redemption.${book.BUIDL_I}`);
    book.USCC_DEPOSIT = addressOf(`reserve-router.sandbox.uscc-deposit.${book.USCC}`);
    book.STAC_DEPOSIT = addressOf(`reserve-router.sandbox.stac-deposit.${book.STAC}`);
    book.STAC_REDEMPTION = addressOf(`reserve-router.sandbox.stac-redemption.${book.STAC}`);
  }

  // --- initialisation (a copied contract ran no constructor)
  const usdc = SandboxUSDC__factory.connect(book.USDC, deployer);
  await (await usdc.initialize(A.usdc)).wait();

  const allowList = SandboxSuperstateAllowList__factory.connect(book.USTB_ALLOWLIST, deployer);
  const oracle = SandboxSuperstateOracle__factory.connect(book.USTB_ORACLE, deployer);
  const ustb = SandboxUSTB__factory.connect(book.USTB, deployer);
  const redemptionIdle = SandboxRedemptionIdle__factory.connect(book.USTB_REDEMPTION_IDLE, deployer);
  await (await allowList.initialize(A.superstate)).wait();
  await (await oracle.initialize(A.superstate, SANDBOX_SEED.ustbMaximumAcceptablePriceDelta)).wait();
  await (await ustb.initialize(A.superstate, allowList, oracle, SANDBOX_SEED.ustbMaximumOracleDelaySeconds)).wait();
  await (
    await redemptionIdle.initialize(A.superstate, ustb, usdc, oracle, SANDBOX_SEED.ustbMaximumOracleDelaySeconds)
  ).wait();

  const registry = SandboxDSRegistry__factory.connect(book.BUIDL_REGISTRY, deployer);
  const buidl = SandboxDSToken__factory.connect(book.BUIDL, deployer);
  const buidlI = SandboxDSToken__factory.connect(book.BUIDL_I, deployer);
  const facility = SandboxBuidlRedemption__factory.connect(book.BUIDL_REDEMPTION, deployer);
  await (await registry.initialize(A.securitize)).wait();
  await (
    await buidl.initialize("BlackRock USD Institutional Digital Liquidity Fund", "BUIDL", A.securitize, registry)
  ).wait();
  await (
    await buidlI.initialize(
      "BlackRock USD Institutional Digital Liquidity Fund - I Class",
      "BUIDL-I",
      A.securitize,
      registry,
    )
  ).wait();
  await (await facility.initialize(A.securitize, buidl, usdc)).wait();

  // The transfer-issued products priced by a feed: USCC (Superstate's code, on-chain subscriptions off) and
  // STAC (a DS token with its own registry).
  const uscc = SandboxUSTB__factory.connect(book.USCC, deployer);
  await (
    await uscc.initializeFund(
      "Superstate Crypto Carry Fund",
      "USCC",
      A.superstate,
      allowList,
      ZeroAddress,
      SANDBOX_SEED.ustbMaximumOracleDelaySeconds,
    )
  ).wait();
  const stacRegistry = SandboxDSRegistry__factory.connect(book.STAC_REGISTRY, deployer);
  const stac = SandboxDSToken__factory.connect(book.STAC, deployer);
  await (await stacRegistry.initialize(A.securitize)).wait();
  await (await stac.initialize("Securitize Tokenized AAA CLO Fund", "STAC", A.securitize, stacRegistry)).wait();
  for (const [feed, owner, description, answer] of [
    [book.USCC_NAV_FEED, A.superstate, "USCC / USD", SANDBOX_SEED.usccNav],
    [book.STAC_NAV_FEED, A.securitize, "STAC / USD", SANDBOX_SEED.stacNav],
  ] as const) {
    const navFeed = SandboxNavFeed__factory.connect(feed, deployer);
    await (await navFeed.initialize(owner, SANDBOX_SEED.navFeedDecimals, description, answer)).wait();
  }

  const usds = SandboxUSDS__factory.connect(book.USDS, deployer);
  const susds = SandboxSUSDS__factory.connect(book.SUSDS, deployer);
  const psm = SandboxUsdsPsmWrapper__factory.connect(book.USDS_PSM_WRAPPER, deployer);
  await (await usds.initialize(A.sky)).wait();
  await (await susds.initialize(A.sky, usds, SANDBOX_SEED.ssr)).wait();
  await (await psm.initialize(A.sky, usdc, usds)).wait();

  // --- issuer-side wiring, done by the issuers' admins
  await actAs(A.superstate, async (admin) => {
    await (await ustb.connect(admin).setStablecoinConfig(usdc, A.superstateSweep, 0)).wait();
    await (await ustb.connect(admin).setRedemptionContract(redemptionIdle)).wait();
    await (await allowList.connect(admin).setProtocolAddressPermission(redemptionIdle, "USTB", true)).wait();
    const now = BigInt((await rpc.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    const [first, second] = SANDBOX_SEED.ustbNavs;
    await (await oracle.connect(admin).addCheckpoint(now - 86_400n, now + 1n, first, false)).wait();
    await (await oracle.connect(admin).addCheckpoint(now - 1n, now + 2n, second, false)).wait();
  });
  await actAs(A.securitize, async (admin) => {
    await (await buidl.connect(admin).setPlatformWallet(facility, true)).wait();
    await (await buidlI.connect(admin).setPlatformWallet(book.BUIDL_I_REDEMPTION, true)).wait();
    await (await stac.connect(admin).setPlatformWallet(book.STAC_REDEMPTION, true)).wait();
  });
  await actAs(A.sky, async (admin) => {
    await (await usds.connect(admin).rely(susds)).wait();
    await (await usds.connect(admin).rely(psm)).wait();
  });

  await installCentrifuge(book, deployer, book.CENTRIFUGE_ROOT, rpc, actAs);
  await installBuidlRamps(book, deployer, A, actAs);

  step("initialised and wired");

  // The second USTB checkpoint becomes effective two seconds after it was added.
  if (placement === "mainnet") {
    await rpc.send("evm_increaseTime", [2]);
    await rpc.send("evm_mine", []);
  } else {
    await new Promise((resolve) => setTimeout(resolve, 2_500));
  }
  return book;
}

/**
 * Securitize's off-ramp and on-ramp for BUIDL over a Grove Basin, as the market runs them today: a Basin
 * (swap token USDS, collateral USDC, credit BUIDL, every rate $1) holding USDC and BUIDL, owned by Grove;
 * the ramps, their providers over that Basin, the NAV provider and fee managers, owned by Securitize, each
 * a BUIDL platform wallet so BUIDL moves through them.
 */
async function installBuidlRamps(book: IssuerBook, deployer: Signer, A: SandboxAdmins, actAs: ActAs): Promise<void> {
  const at = (name: keyof IssuerBook): string => {
    const address = book[name];
    if (address === undefined) throw new SandboxInstallError(`${String(name)} was not placed`);
    return address;
  };
  const S = SANDBOX_SEED;
  const rates = [at("BUIDL_BASIN_RATE_USDS"), at("BUIDL_BASIN_RATE_USDC"), at("BUIDL_BASIN_RATE_BUIDL")] as const;
  // USDS and USDC at a fixed $1 (Grove's FixedRateProvider); BUIDL from a live feed poked daily.
  for (const [rate, heartbeat] of [
    [rates[0], 0n],
    [rates[1], 0n],
    [rates[2], S.basinBuidlHeartbeat],
  ] as const) {
    await (
      await SandboxRateProvider__factory.connect(rate, deployer).initialize(A.grove, S.basinRate, heartbeat)
    ).wait();
  }
  const basin = SandboxGroveBasin__factory.connect(at("BUIDL_BASIN"), deployer);
  await (await basin.initialize(A.grove, [book.USDS, book.USDC, book.BUIDL], [...rates])).wait();
  const nav = SandboxSecuritizeNavProvider__factory.connect(at("BUIDL_OFF_RAMP_NAV"), deployer);
  await (await nav.initialize(A.securitize, S.buidlNav)).wait();
  const fees = SandboxMbpsFeeManager__factory.connect(at("BUIDL_OFF_RAMP_FEES"), deployer);
  await (await fees.initialize(A.securitize, S.offRampFeeMbps, at("BUIDL_OFF_RAMP_FEE_COLLECTOR"))).wait();
  const offRamp = SandboxSecuritizeOffRamp__factory.connect(at("BUIDL_OFF_RAMP"), deployer);
  await (await offRamp.initialize(A.securitize, book.BUIDL, nav, fees)).wait();
  const provider = SandboxExternalLiquidityProvider__factory.connect(at("BUIDL_OFF_RAMP_PROVIDER"), deployer);
  await (await provider.initialize(A.securitize, book.BUIDL, book.USDC, offRamp, basin)).wait();
  const onRampFees = SandboxMbpsFeeManager__factory.connect(at("BUIDL_ON_RAMP_FEES"), deployer);
  await (await onRampFees.initialize(A.securitize, S.offRampFeeMbps, at("BUIDL_OFF_RAMP_FEE_COLLECTOR"))).wait();
  const assetProvider = SandboxExternalAssetProvider__factory.connect(at("BUIDL_ON_RAMP_PROVIDER"), deployer);
  await (await assetProvider.initialize(A.securitize, book.USDC, book.BUIDL, nav, basin)).wait();
  const onRamp = SandboxSecuritizeOnRamp__factory.connect(at("BUIDL_ON_RAMP"), deployer);
  await (await onRamp.initialize(A.securitize, book.BUIDL, book.USDC, nav, onRampFees, assetProvider)).wait();

  await actAs(A.grove, async (admin) => {
    await (await basin.connect(admin).setFeeBounds(0n, S.basinMaxFeeBps)).wait();
    await (await basin.connect(admin).setRedemptionFee(S.basinRedemptionFeeBps)).wait();
    await (await basin.connect(admin).setPurchaseFee(S.basinPurchaseFeeBps)).wait();
  });
  await actAs(A.securitize, async (admin) => {
    await (await offRamp.connect(admin).updateLiquidityProvider(provider)).wait();
    await (await assetProvider.connect(admin).setSecuritizeOnRamp(onRamp)).wait();
    await (await onRamp.connect(admin).toggleInvestorSubscription(true)).wait();
    const buidl = SandboxDSToken__factory.connect(book.BUIDL, admin);
    for (const wallet of [offRamp, provider, onRamp, assetProvider, basin]) {
      await (await buidl.setPlatformWallet(wallet, true)).wait();
    }
    await (await buidl.issueTokens(basin, S.basinBuidl)).wait();
  });
  await actAs(A.usdc, async (admin) => {
    const usdc = SandboxUSDC__factory.connect(book.USDC, admin);
    await (await usdc.configureMinter(A.usdc, S.basinUsdc)).wait();
    await (await usdc.mint(basin, S.basinUsdc)).wait();
  });
}

/**
 * Centrifuge V3 as it runs JTRSY and JAAA: the root, spoke, balance sheet with one escrow per pool, vault
 * registry, request manager and FullRestrictions hook; JTRSY's share token with its USDC and USDS vaults
 * and JAAA's with its USDC vault; assets registered, prices seeded. The root is every contract's ward, as
 * on mainnet, so the driver acts as the root on the emulated mainnet and on a fork alike.
 */
async function installCentrifuge(
  book: IssuerBook,
  deployer: Signer,
  root: string,
  rpc: JsonRpcLike,
  actAs: ActAs,
): Promise<void> {
  const spoke = SandboxSpoke__factory.connect(book.CENTRIFUGE_SPOKE, deployer);
  const balanceSheet = SandboxBalanceSheet__factory.connect(book.CENTRIFUGE_BALANCE_SHEET, deployer);
  const registry = SandboxVaultRegistry__factory.connect(book.CENTRIFUGE_VAULT_REGISTRY, deployer);
  const manager = SandboxAsyncRequestManager__factory.connect(book.CENTRIFUGE_ASYNC_REQUEST_MANAGER, deployer);
  const hook = SandboxFullRestrictions__factory.connect(book.CENTRIFUGE_FULL_RESTRICTIONS, deployer);
  // The root contract answers `endorsed`; the driver signs as the book's root (itself on mainnet).
  const rootCode: string = await rpc.send("eth_getCode", [book.CENTRIFUGE_ROOT, "latest"]);
  const rootContract =
    rootCode === "0x"
      ? await (await new SandboxCentrifugeRoot__factory(deployer).deploy()).waitForDeployment()
      : SandboxCentrifugeRoot__factory.connect(book.CENTRIFUGE_ROOT, deployer);
  await (await rootContract.initialize(root)).wait();
  await (await spoke.initialize(root)).wait();
  await (await balanceSheet.initialize(root)).wait();
  await (await registry.initialize(root)).wait();
  await (await manager.initialize(root, spoke, balanceSheet, registry)).wait();
  await (await hook.initialize(root, rootContract, balanceSheet)).wait();

  const ids = SANDBOX_SEED.centrifugeAssetIds;
  const products = [
    { ids: CENTRIFUGE_IDS.JTRSY, name: "Janus Henderson Anemoy Treasury Fund", price: SANDBOX_SEED.jtrsyPrice },
    { ids: CENTRIFUGE_IDS.JAAA, name: "Janus Henderson Anemoy AAA CLO Fund", price: SANDBOX_SEED.jaaaPrice },
  ] as const;
  const vaults = [
    { vault: book.JTRSY_VAULT, product: CENTRIFUGE_IDS.JTRSY, asset: book.USDC, assetId: ids.USDC },
    { vault: book.JTRSY_VAULT_USDS, product: CENTRIFUGE_IDS.JTRSY, asset: book.USDS, assetId: ids.USDS },
    { vault: book.JAAA_VAULT, product: CENTRIFUGE_IDS.JAAA, asset: book.USDC, assetId: ids.USDC },
  ];
  const escrows = new Map<bigint, string>();
  for (const { ids: product, name } of products) {
    const token = SandboxShareToken__factory.connect(book[product.share], deployer);
    await (await token.initialize(name, product.share, 6, root)).wait();
    const escrow = await new SandboxPoolEscrow__factory(deployer).deploy();
    await escrow.waitForDeployment();
    await (await escrow.initialize(root, product.poolId)).wait();
    escrows.set(product.poolId, await escrow.getAddress());
  }
  for (const { vault, product, asset } of vaults) {
    await (
      await SandboxAsyncVault__factory.connect(vault, deployer).initialize(
        root,
        product.poolId,
        product.scId,
        asset,
        book[product.share],
        rootContract,
        manager,
      )
    ).wait();
  }

  await actAs(root, async (admin) => {
    const now = BigInt((await rpc.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    await (await spoke.connect(admin).registerAsset(book.USDC, 0n, ids.USDC)).wait();
    await (await spoke.connect(admin).registerAsset(book.USDS, 0n, ids.USDS)).wait();
    await (await manager.connect(admin).rely(spoke)).wait();
    for (const { ids: product, price } of products) {
      const token = SandboxShareToken__factory.connect(book[product.share], admin);
      const escrow = SandboxPoolEscrow__factory.connect(escrows.get(product.poolId)!, admin);
      await (await token.file(encodeBytes32String("hook"), hook)).wait();
      await (await token.rely(manager)).wait();
      await (await escrow.rely(manager)).wait();
      await (await balanceSheet.connect(admin).setEscrow(product.poolId, escrow)).wait();
      await (await spoke.connect(admin).addShareClass(product.poolId, product.scId, token)).wait();
      await (await spoke.connect(admin).setRequestManager(product.poolId, manager)).wait();
      await (await spoke.connect(admin).updatePricePoolPerShare(product.poolId, product.scId, price, now)).wait();
      for (const assetId of [ids.USDC, ids.USDS]) {
        await (
          await spoke.connect(admin).updatePricePoolPerAsset(product.poolId, product.scId, assetId, 10n ** 18n, now)
        ).wait();
      }
    }
    for (const { vault, product, asset, assetId } of vaults) {
      await (await manager.connect(admin).rely(vault)).wait();
      await (await SandboxAsyncVault__factory.connect(vault, admin).rely(manager)).wait();
      await (
        await registry.connect(admin).linkVault(product.poolId, product.scId, assetId, asset, vault, manager)
      ).wait();
      await (await SandboxShareToken__factory.connect(book[product.share], admin).updateVault(asset, vault)).wait();
    }
  });
}

export class SandboxInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxInstallError";
  }
}

/**
 * The emulated mainnet on an in-process Hardhat network: sandbox issuers at the real addresses.
 * Idempotent on one chain: when the sandbox is already there it returns its book. Refuses to install
 * over foreign code (a real fork), which would corrupt it.
 */
export async function installEmulatedMainnet(rpc: JsonRpcLike, deployer: Signer, actAs: ActAs): Promise<IssuerBook> {
  const existing: string = await rpc.send("eth_getCode", [MAINNET.USDC, "latest"]);
  if (existing !== "0x") {
    const factory = new SandboxUSDC__factory(deployer);
    const probe = await factory.deploy();
    await probe.waitForDeployment();
    const ours: string = await rpc.send("eth_getCode", [await probe.getAddress(), "latest"]);
    if (existing !== ours) {
      throw new SandboxInstallError(
        `a contract that is not the sandbox USDC is already at ${MAINNET.USDC} (is this a mainnet fork?); ` +
          "on a fork use the real issuers, do not install the sandbox",
      );
    }
    return emulatedMainnetBook();
  }
  return installSandbox({ rpc, deployer, placement: "mainnet", admins: MAINNET_SANDBOX_ADMINS, actAs });
}

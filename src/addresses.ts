import { getAddress, id } from "ethers";

/**
 * The block the address book is written for, and the default fork block: every entry has code there and
 * `npm run fork:check` checks the facts the adapters and the driver depend on at it. Its date is
 * estimated at the 12.1 s a block mainnet kept from Prague's activation (22,431,084, 2025-05-07 10:05 UTC)
 * to block 25,773,912 (2026-08-17 09:29 UTC).
 */
export const MAINNET_AS_OF = { block: 26_500_000, date: "about 2026-11-26" } as const;

/**
 * Ethereum mainnet address book (chainId 1), as of `MAINNET_AS_OF`. The emulated mainnet installs its sandbox issuers at
 * these same addresses, so adapters, deployments and tests use one book in both modes.
 * `getAddress` checks every checksum when this module loads.
 */
export const MAINNET = {
  chainId: 1n,
  /** Circle FiatTokenProxy: circlefin/stablecoin-evm V2_2 upgrader deployment trace. */
  USDC: getAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
  /** Sky chainlog USDS, SUSDS, WRAPPER_USDS_LITE_PSM_USDC_A: sky-ecosystem/spells-mainnet 2024-09-13 spell. */
  USDS: getAddress("0xdC035D45d973E3EC169d2276DDab16f1e407384F"),
  SUSDS: getAddress("0xa3931d71877C0E7a3148CB7Eb4463524FEc27fbD"),
  USDS_PSM_WRAPPER: getAddress("0xA188EEC8F81263234dA3622A406892F3D630f98c"),

  /** BUIDL and BUIDL-I entries: third-party sources only (sparkdotfi/spark-address-registry Ethereum.sol,
   * Spark's mainnet fork tests); no Securitize or BlackRock publication names them. Which registry and
   * issuer admin serve BUIDL-I is ambiguous there: check on a fork. */
  BUIDL: getAddress("0x7712c34205737192402172409a8F7ccef8aA2AEc"),
  BUIDL_REDEMPTION: getAddress("0x31D3F59Ad4aAC0eeE2247c65EBE8Bf6E9E470a53"),
  BUIDL_I: getAddress("0x6a9DA2D710BB9B700acde7Cb81F10F1fF8C89041"),
  BUIDL_I_DEPOSIT: getAddress("0xD1917664bE3FdAea377f6E8D5BF043ab5C3b1312"),
  BUIDL_I_REDEMPTION: getAddress("0x8780Dd016171B91E4Df47075dA0a947959C34200"),
  BUIDL_REGISTRY: getAddress("0x0Dac900f26DE70336f2320F7CcEDeE70fF6A1a5B"),
  BUIDL_ADMIN: getAddress("0xe01605f6b6dC593b7d2917F4a0940db2A625b09e"),

  /** superstateinc/ustb contract_deployment/mainnet.json (USTBProxy) and its v4 fork tests (AllowList,
   * RedemptionIdle); docs.superstate.com lists the same and the oracle. Behind the proxies as of the book's
   * block: USTB runs FundToken 1.3.0 (implementation 0xb3ac55dd09aa70e9bfbb12f45cd38a1f1597588c, since
   * 2026-07-21), the AllowList V3.1 (0x2f67d98bd20d9580f52efa5ff70edaed9f2f316d), RedemptionIdle its
   * original implementation (0x8efba8af37af48d2e0a04b0aae60f0e9bc8de007); the oracle is not a proxy. */
  USTB: getAddress("0x43415eB6ff9DB7E26A15b704e7A3eDCe97d31C4e"),
  USTB_ALLOWLIST: getAddress("0x02f1fA8B196d21c7b733EB2700B825611d8A38E5"),
  USTB_REDEMPTION_IDLE: getAddress("0x4c21B7577C8FE8b0B0669165ee7C8f67fa1454Cf"),
  /** Read `USTB.superstateOracle()` on a fork; this is the address the reference gives. */
  USTB_ORACLE: getAddress("0xe4fa682f94610ccd170680cc3b045d77d9e528a8"),

  /** Superstate USCC (crypto carry fund), a Superstate token of 6 decimals on the USTB AllowList: its on-chain
   * `subscribe` reverts `OnchainSubscriptionsDisabled()`, so entry is a USDC transfer to a deposit address
   * Superstate gives the investor and exit `offchainRedeem`. Third-party sources only: the token in
   * sparkdotfi/spark-address-registry and Aave Horizon's address books; `USCC_DEPOSIT` is the deposit
   * address Superstate gave Spark (Spark's 2025-10-16 payload): another investor gets its own. The NAV
   * feed is the USCC/USD feed integrations read (`latestRoundData`; its decimals are read, not assumed). */
  USCC: getAddress("0x14d60E7FDC0D71d8611742720E4C50E7a974020c"),
  USCC_DEPOSIT: getAddress("0xDB48AC0802F9A79145821A5430349cAff6d676f7"),
  USCC_NAV_FEED: getAddress("0xAfFd8F5578E8590665de561bdE9E7BAdb99300d9"),

  /** Securitize STAC (tokenized AAA CLO fund, Grove since December 2025), a DS token of 6 decimals with its
   * own registry, USDC deposit and redemption wallets, and a NAV feed integrations read with a 30-hour
   * staleness bound. Third-party sources only (Grove's payloads, integrations' address books); its issuer
   * admin is not published: on a fork, issuance needs it named. */
  STAC: getAddress("0x51C2d74017390CbBd30550179A16A1c28F7210fc"),
  STAC_REGISTRY: getAddress("0x71080EB74E2816124327Af399aC8Cc518bbC7f49"),
  STAC_DEPOSIT: getAddress("0x51e4C4A356784D0B3b698BFB277C626b2b9fe178"),
  STAC_REDEMPTION: getAddress("0xbb543C77436645C8b95B64eEc39E3C0d48D4842b"),
  STAC_NAV_FEED: getAddress("0xEdC6287D3D41b322AF600317628D7E226DD3add4"),

  /** Centrifuge V3 on Ethereum, as it runs JTRSY and JAAA since Spell 005 (August 2025) switched their V2
   * vaults off. Share tokens and vaults: centrifuge/protocol test/integration/utils/IntegrationConstants.sol
   * (ETH_JTRSY_SHARE_TOKEN, ETH_JTRSY_VAULT, ETH_JAAA_*) and env/spell/005_ethereum_0x1e86….sol; the vaults
   * kept their addresses through the v3.1 migration (env/spell/006_migration_v3.1, which re-filed their
   * manager). The USDS vault of JTRSY (onboarded by Grove, April 2026) is not in Centrifuge's repository:
   * `npm run fork:check` confirms it on chain. Managers: env/ethereum.json, v3.1 set (deployed January
   * 2026, commit c89c55ff6); the root is the V3 root of July 2025. */
  JTRSY: getAddress("0x8c213ee79581Ff4984583C6a801e5263418C4b86"),
  JTRSY_VAULT: getAddress("0xFE6920eB6C421f1179cA8c8d4170530CDBdfd77A"),
  JTRSY_VAULT_USDS: getAddress("0x381f4F3B43C30B78C1f7777553236e57bB8AE9ff"),
  JAAA: getAddress("0x5a0F93D040De44e78F251b03c43be9CF317Dcf64"),
  JAAA_VAULT: getAddress("0x4880799eE5200fC58DA299e965df644fBf46780B"),
  CENTRIFUGE_ROOT: getAddress("0x7Ed48C31f2fdC40d37407cBaBf0870B2b688368f"),
  CENTRIFUGE_SPOKE: getAddress("0xEC3582fcDc34078a4B7a8c75a5a3AE46f48525aB"),
  CENTRIFUGE_BALANCE_SHEET: getAddress("0x12a110cE5f0FC871cC72Bc7ECaF35cf39DD0f43e"),
  CENTRIFUGE_ASYNC_REQUEST_MANAGER: getAddress("0xF48256AbDDf96EcDDc4B3DbD23E8C1921f9761Ae"),
  CENTRIFUGE_FULL_RESTRICTIONS: getAddress("0x8E680873b4C77e6088b4Ba0aBD59d100c3D224a4"),
  CENTRIFUGE_VAULT_REGISTRY: getAddress("0xd9531AC47928c3386346f82d9A2478960bf2CA7B"),
} as const;

/** A fixed address derived from a label: where the emulated mainnet places what mainnet does not publish. */
function placedAt(label: string): string {
  return getAddress(`0x${id(`reserve-router.emulated.${label}`).slice(26)}`);
}

/**
 * Contracts the market uses today whose mainnet addresses are not published: Securitize's off-ramp and
 * on-ramp for BUIDL (securitize-io/bc-on-off-ramp-sc), their providers, NAV provider and fee managers, and
 * the Grove Basin they trade with (grove-labs/grove-basin) with its rate providers. The emulated mainnet places
 * its own at these fixed addresses, so deployment params can name them; on a real fork they are absent
 * from the book and must be given as addresses.
 */
export const EMULATED_ONLY = {
  BUIDL_OFF_RAMP: placedAt("buidl-off-ramp"),
  BUIDL_OFF_RAMP_PROVIDER: placedAt("buidl-off-ramp.liquidity-provider"),
  BUIDL_OFF_RAMP_NAV: placedAt("buidl-off-ramp.nav-provider"),
  BUIDL_OFF_RAMP_FEES: placedAt("buidl-off-ramp.fee-manager"),
  BUIDL_OFF_RAMP_FEE_COLLECTOR: placedAt("buidl-off-ramp.fee-collector"),
  BUIDL_ON_RAMP: placedAt("buidl-on-ramp"),
  BUIDL_ON_RAMP_PROVIDER: placedAt("buidl-on-ramp.asset-provider"),
  BUIDL_ON_RAMP_FEES: placedAt("buidl-on-ramp.fee-manager"),
  BUIDL_BASIN: placedAt("buidl-basin"),
  BUIDL_BASIN_RATE_USDS: placedAt("buidl-basin.rate.usds"),
  BUIDL_BASIN_RATE_USDC: placedAt("buidl-basin.rate.usdc"),
  BUIDL_BASIN_RATE_BUIDL: placedAt("buidl-basin.rate.buidl"),
} as const;

export type EmulatedOnlyName = keyof typeof EMULATED_ONLY;

/** Mainnet contracts the sandbox does not emulate, for reference. */
export const MAINNET_UNEMULATED = {
  DAI: getAddress("0x6B175474E89094C44Da98b954EedeAC495271d0F"),
  /** JTRSY's and JAAA's Centrifuge V2 vaults, cut from their manager by Spell 005 (August 2025). */
  JTRSY_VAULT_V2: getAddress("0x36036fFd9B1C6966ab23209E073c68Eb9A992f50"),
  JAAA_VAULT_V2: getAddress("0xE9d1f733F406D4bbbDFac6D4CfCD2e13A6ee1d01"),
} as const;

/** A Centrifuge V3 product: its pool and share class (the asset's id is read from the spoke). */
export interface CentrifugeProduct {
  share: "JTRSY" | "JAAA";
  poolId: bigint;
  scId: string;
}

/** Centrifuge V3 identifiers (IntegrationConstants.sol, Spell 005). */
export const CENTRIFUGE_IDS = {
  JTRSY: { share: "JTRSY", poolId: 281474976710662n, scId: "0x00010000000000060000000000000001" },
  JAAA: { share: "JAAA", poolId: 281474976710663n, scId: "0x00010000000000070000000000000001" },
} as const satisfies Record<string, CentrifugeProduct>;

export type MainnetName = Exclude<keyof typeof MAINNET, "chainId">;

import { getAddress } from "ethers";

/**
 * Ethereum mainnet address book (chainId 1). The emulated mainnet installs its sandbox issuers at
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
   * RedemptionIdle); docs.superstate.com lists the same and the oracle. */
  USTB: getAddress("0x43415eB6ff9DB7E26A15b704e7A3eDCe97d31C4e"),
  USTB_ALLOWLIST: getAddress("0x02f1fA8B196d21c7b733EB2700B825611d8A38E5"),
  USTB_REDEMPTION_IDLE: getAddress("0x4c21B7577C8FE8b0B0669165ee7C8f67fa1454Cf"),
  /** Read `USTB.superstateOracle()` on a fork; this is the address the reference gives. */
  USTB_ORACLE: getAddress("0xe4fa682f94610ccd170680cc3b045d77d9e528a8"),

  /** Token and v2 vault: centrifuge/protocol test/integration/utils/IntegrationConstants.sol and its
   * Ethereum spells. Root, escrow and restriction manager: centrifuge/liquidity-pools
   * deployments/mainnet/ethereum-mainnet.json. */
  JTRSY: getAddress("0x8c213ee79581Ff4984583C6a801e5263418C4b86"),
  JTRSY_VAULT: getAddress("0x36036fFd9B1C6966ab23209E073c68Eb9A992f50"),
  CENTRIFUGE_ROOT: getAddress("0x0C1fDfd6a1331a875EA013F3897fc8a76ada5DfC"),
  CENTRIFUGE_ESCROW: getAddress("0x0000000005F458Fd6ba9EEb5f365D83b7dA913dD"),
  CENTRIFUGE_RESTRICTION_MANAGER: getAddress("0x4737C3f62Cc265e786b280153fC666cEA2fBc0c0"),
  /** Centrifuge's sources disagree: liquidity-pools' ethereum-mainnet.json (last changed September
   * 2024) lists 0xE79f06573d6aF1B66166A926483ba00924285d20; centrifuge/protocol's IntegrationConstants
   * (V2_INVESTMENT_MANAGER) and an Ethereum spell use this one, which is the later deployment. The fork
   * suite checks that the JTRSY vault's `manager()` is this address at the fork block. */
  CENTRIFUGE_INVESTMENT_MANAGER: getAddress("0x427A1ce127b1775e4Cbd4F58ad468B9F832eA7e9"),
} as const;

/** Mainnet contracts the sandbox does not emulate, for reference. */
export const MAINNET_UNEMULATED = {
  DAI: getAddress("0x6B175474E89094C44Da98b954EedeAC495271d0F"),
  /** JTRSY's Centrifuge v3 vault (from August 2025); the sandbox and driver follow v2. */
  JTRSY_VAULT_V3: getAddress("0xFE6920eB6C421f1179cA8c8d4170530CDBdfd77A"),
} as const;

/** Centrifuge v2 identifiers of JTRSY's USDC vault. */
export const JTRSY_IDS = {
  poolId: 4139607887n,
  trancheId: "0x97aa65f23e7be09fcd62d0554d2e9273",
  usdcAssetId: 242333941209166991950178742833476896417n,
} as const;

export type MainnetName = Exclude<keyof typeof MAINNET, "chainId">;

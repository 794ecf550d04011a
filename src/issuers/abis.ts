/**
 * The slices of the real issuers' interfaces the driver relies on, by signature (facts from the
 * issuers' public sources). The sandbox contracts implement the same signatures, so one driver serves
 * the emulated mainnet, a real fork and a testnet sandbox.
 */
export const FIAT_TOKEN_ABI = [
  "function masterMinter() view returns (address)",
  "function configureMinter(address minter, uint256 minterAllowedAmount) returns (bool)",
  "function mint(address to, uint256 amount) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
  "function transfer(address to, uint256 amount) returns (bool)",
] as const;

export const SUPERSTATE_TOKEN_ABI = [
  "function superstateOracle() view returns (address)",
  "function owner() view returns (address)",
  "function isAllowed(address) view returns (bool)",
  "function supportedStablecoins(address) view returns (address sweepDestination, uint96 fee)",
  "function setStablecoinConfig(address stablecoin, address newSweepDestination, uint96 newFee)",
  "function pause()",
  "function unpause()",
  "function accountingPause()",
  "function accountingUnpause()",
  "function mint(address dst, uint256 amount)",
] as const;

/** A NAV published as a Chainlink-style feed (USCC's, STAC's); `setAnswer` and `age` are the emulated
 * publisher's. */
export const NAV_FEED_ABI = [
  "function owner() view returns (address)",
  "function decimals() view returns (uint8)",
  "function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)",
  "function setAnswer(int256 answer)",
  "function age(uint256 secondsAgo)",
] as const;

/** Superstate's AllowList V3.1 (behind the proxy since 2025): names on record, parameter lists unconfirmed
 * for the instrument setters (`npm run fork:check` calls each). */
export const SUPERSTATE_ALLOWLIST_ABI = [
  "function owner() view returns (address)",
  "function setEntityIdForAddress(uint256 entityId, address addr)",
  "function setEntityAllowedForPrivateInstrument(uint256 entityId, string instrument, bool isAllowed)",
  "function setProtocolAddressPermission(address addr, string fund, bool isAllowed)",
  "function isAddressAllowedForPrivateInstrument(address addr, string instrument) view returns (bool)",
  "function isEntityAllowedForPrivateInstrument(uint256 entityId, string instrument) view returns (bool)",
  "function addressEntityIds(address addr) view returns (uint256)",
  "function protocolPermissions(address addr, string fund) view returns (bool)",
  "function hasAnyProtocolPermissions(address addr) view returns (bool)",
] as const;

export const SUPERSTATE_ORACLE_ABI = [
  "function owner() view returns (address)",
  "function addCheckpoint(uint64 timestamp, uint64 effectiveAt, uint128 navs, bool shouldOverrideEffectiveAt)",
  "function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)",
  "function checkpoints(uint256) view returns (uint64 timestamp, uint64 effectiveAt, uint128 navs)",
] as const;

export const REDEMPTION_IDLE_ABI = [
  "function owner() view returns (address)",
  "function withdraw(address token, address to, uint256 amount)",
  "function setRedemptionFee(uint256 newFee)",
  "function setShortPayBps(uint256 bps)",
  "function pause()",
  "function unpause()",
] as const;

export const DS_TOKEN_ABI = [
  "function issueTokens(address to, uint256 value) returns (bool)",
  "function getDSService(uint256 serviceId) view returns (address)",
  "function balanceOf(address) view returns (uint256)",
  "function burn(address who, uint256 value, string reason)",
] as const;

/** Securitize's compliance configuration service (`getDSService(256)` of a DS token): the lock-ups. */
export const DS_COMPLIANCE_CONFIGURATION_ABI = [
  "function getUSLockPeriod() view returns (uint256)",
  "function getNonUSLockPeriod() view returns (uint256)",
  "function setUSLockPeriod(uint256 value)",
  "function setNonUSLockPeriod(uint256 value)",
] as const;

/** The DS protocol's service id of the compliance configuration service. */
export const DS_COMPLIANCE_CONFIGURATION_SERVICE = 256n;

export const DS_REGISTRY_ABI = [
  "function registerInvestor(string id, string collisionHash) returns (bool)",
  "function addWallet(address wallet, string id) returns (bool)",
  "function isWallet(address wallet) view returns (bool)",
] as const;

export const BUIDL_REDEMPTION_ABI = ["function liquidity() view returns (address)"] as const;

/** Centrifuge V3's FullRestrictions hook (membership and freezing per share token). */
export const CENTRIFUGE_HOOK_ABI = [
  "function updateMember(address token, address user, uint64 validUntil)",
  "function isMember(address token, address user) view returns (bool isValid, uint64 validUntil)",
  "function freeze(address token, address user)",
  "function unfreeze(address token, address user)",
  "function isFrozen(address token, address user) view returns (bool)",
] as const;

/** A Centrifuge V3 share token. */
export const CENTRIFUGE_SHARE_ABI = [
  "function hook() view returns (address)",
  "function vault(address asset) view returns (address)",
  "function balanceOf(address) view returns (uint256)",
  "function decimals() view returns (uint8)",
  "function checkTransferRestriction(address from, address to, uint256 value) view returns (bool)",
] as const;

/** Centrifuge V3's spoke: asset ids, share prices and their dates, and the hub's answers. */
export const CENTRIFUGE_SPOKE_ABI = [
  "function assetToId(address asset, uint256 tokenId) view returns (uint128)",
  "function shareToken(uint64 poolId, bytes16 scId) view returns (address)",
  "function requestManager(uint64 poolId) view returns (address)",
  "function updatePricePoolPerShare(uint64 poolId, bytes16 scId, uint128 price, uint64 computedAt)",
  "function updatePricePoolPerAsset(uint64 poolId, bytes16 scId, uint128 assetId, uint128 price, uint64 computedAt)",
  "function setMaxSharePriceAge(uint64 poolId, bytes16 scId, uint64 maxPriceAge)",
  "function setMaxAssetPriceAge(uint64 poolId, bytes16 scId, uint128 assetId, uint64 maxPriceAge)",
  "function pricePoolPerShare(uint64 poolId, bytes16 scId, bool checkValidity) view returns (uint128)",
  "function markersPricePoolPerShare(uint64 poolId, bytes16 scId) view returns (uint64 computedAt, uint64 maxAge, uint64 validUntil)",
  "function requestCallback(uint64 poolId, bytes16 scId, uint128 assetId, bytes payload)",
  "function wards(address) view returns (uint256)",
] as const;

/** Centrifuge V3's balance sheet: each pool's escrow. */
export const CENTRIFUGE_BALANCE_SHEET_ABI = ["function escrow(uint64 poolId) view returns (address)"] as const;

/** A Centrifuge V3 pool escrow: the pool books what it puts in. */
export const CENTRIFUGE_POOL_ESCROW_ABI = [
  "function deposit(bytes16 scId, address asset, uint256 tokenId, uint128 value)",
] as const;

/** Centrifuge V3's request manager: a controller's raw state at a vault. */
export const CENTRIFUGE_REQUEST_MANAGER_ABI = [
  "function investments(address vault, address investor) view returns (uint128 maxMint, uint128 maxWithdraw, uint128 depositPrice, uint128 redeemPrice, uint128 pendingDepositRequest, uint128 pendingRedeemRequest, uint128 claimableCancelDepositRequest, uint128 claimableCancelRedeemRequest, bool pendingCancelDepositRequest, bool pendingCancelRedeemRequest)",
  "function wards(address) view returns (uint256)",
] as const;

export const ERC7540_VAULT_ABI = [
  "function asset() view returns (address)",
  "function share() view returns (address)",
  "function manager() view returns (address)",
  "function poolId() view returns (uint64)",
  "function scId() view returns (bytes16)",
  "function pricePerShare() view returns (uint256)",
  "function priceLastUpdated() view returns (uint64)",
  "function pendingCancelDepositRequest(uint256 requestId, address controller) view returns (bool)",
  "function pendingCancelRedeemRequest(uint256 requestId, address controller) view returns (bool)",
  "function pendingDepositRequest(uint256 requestId, address controller) view returns (uint256)",
  "function pendingRedeemRequest(uint256 requestId, address controller) view returns (uint256)",
  "function claimableDepositRequest(uint256 requestId, address controller) view returns (uint256)",
  "function claimableRedeemRequest(uint256 requestId, address controller) view returns (uint256)",
  "function convertToShares(uint256 assets) view returns (uint256)",
  "function convertToAssets(uint256 shares) view returns (uint256)",
] as const;

/** Securitize's off-ramp for a DS token (bc-on-off-ramp-sc), as the sandbox has it: one owner for every role. */
export const SECURITIZE_OFF_RAMP_ABI = [
  "function owner() view returns (address)",
  "function paused() view returns (bool)",
  "function pause()",
  "function unpause()",
  "function liquidityProvider() view returns (address)",
  "function navProvider() view returns (address)",
  "function feeManager() view returns (address)",
  "function availableLiquidity() view returns (uint256)",
  "function calculateLiquidityTokenAmount(uint256) view returns (uint256)",
  "function calculateLiquidityTokenAmountBeforeFee(uint256) view returns (uint256)",
] as const;

/** The off-ramp's liquidity provider over a Grove Basin. */
export const OFF_RAMP_PROVIDER_ABI = [
  "function owner() view returns (address)",
  "function paused() view returns (bool)",
  "function pause()",
  "function unpause()",
  "function externalProvider() view returns (address)",
  "function rateTolerance() view returns (uint256)",
  "function setRateTolerance(uint256)",
] as const;

/** Securitize's NAV provider and fee manager behind the off-ramp. */
export const SECURITIZE_NAV_PROVIDER_ABI = [
  "function owner() view returns (address)",
  "function rate() view returns (uint256)",
  "function setRate(uint256)",
] as const;
export const MBPS_FEE_MANAGER_ABI = [
  "function owner() view returns (address)",
  "function feePercentageMBPS() view returns (uint256)",
  "function setFeePercentageMBPS(uint256)",
] as const;

/** A Grove Basin (grove-labs/grove-basin) and its rate providers, as the sandbox has them. */
export const GROVE_BASIN_ABI = [
  "function owner() view returns (address)",
  "function creditToken() view returns (address)",
  "function collateralToken() view returns (address)",
  "function creditTokenRateProvider() view returns (address)",
  "function redemptionFee() view returns (uint256)",
  "function minFee() view returns (uint256)",
  "function maxFee() view returns (uint256)",
  "function maxSwapSize() view returns (uint256)",
  "function setRedemptionFee(uint256)",
  "function setPurchaseFee(uint256)",
  "function setMaxSwapSize(uint256)",
  "function setPaused(bytes4)",
  "function setUnpaused(bytes4)",
  "function PAUSED_SWAP_CREDIT_TO_COLLATERAL() view returns (bytes4)",
  "function PAUSED_SWAP_COLLATERAL_TO_CREDIT() view returns (bytes4)",
] as const;
export const GROVE_RATE_PROVIDER_ABI = [
  "function owner() view returns (address)",
  "function getConversionRateWithAge() view returns (uint256, uint256)",
  "function setConversionRate(uint256)",
  "function setLastUpdated(uint256)",
] as const;

/** Securitize's on-ramp for a DS token and its asset provider over a Grove Basin, as the sandbox has them. */
export const SECURITIZE_ON_RAMP_ABI = [
  "function owner() view returns (address)",
  "function pause()",
  "function unpause()",
  "function assetProvider() view returns (address)",
  "function feeManager() view returns (address)",
  "function investorSubscriptionEnabled() view returns (bool)",
  "function toggleInvestorSubscription(bool)",
  "function updateMinSubscriptionAmount(uint256)",
] as const;
export const ON_RAMP_PROVIDER_ABI = [
  "function owner() view returns (address)",
  "function pause()",
  "function unpause()",
  "function availableAsset() view returns (uint256)",
] as const;

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The slice of Securitize's registry service the adapter uses.
interface IDSRegistryLike {
    function isWallet(address wallet) external view returns (bool);
}

/// @notice The slice of Circle's BUIDL instant-redemption facility the adapter uses.
interface IBuidlRedemptionLike {
    /// @notice Takes `amount` BUIDL from the caller and pays the same amount of USDC.
    function redeem(uint256 amount) external;
    /// @notice The contract the USDC comes from.
    function liquidity() external view returns (address);
}

/// @notice The USDC source of the BUIDL facility.
interface IBuidlLiquidityLike {
    function availableLiquidity() external view returns (uint256);
}

/// @notice The slice of a DS token's service registry the adapter uses.
interface IDSServiceConsumerLike {
    /// @notice The contract serving `serviceId` (256: the compliance configuration service).
    function getDSService(uint256 serviceId) external view returns (address);
}

/// @notice The slice of Securitize's compliance configuration service the adapter uses: the lock-ups on
/// newly issued tokens, by the investor's region.
interface IDSComplianceConfigurationLike {
    function getUSLockPeriod() external view returns (uint256);
    function getNonUSLockPeriod() external view returns (uint256);
}

/// @notice The slice of Securitize's compliance service the adapter uses.
interface IDSComplianceServiceLike {
    /// @notice What of `who`'s tokens may move at `time`: its balance less the manual locks and the tokens
    /// issued within `lockTime` before `time`.
    function getComplianceTransferableTokens(
        address who,
        uint256 time,
        uint64 lockTime
    ) external view returns (uint256);
}

/// @notice The slice of Securitize's off-ramp (securitize-io/bc-on-off-ramp-sc, ExternalLiquidityProviderOffRamp)
/// the adapter uses: a DS token sold at once for USDC through its liquidity provider.
interface ISecuritizeOffRampLike {
    /// @notice Takes `assetAmount` of the DS token from the caller and pays at least `minOutputAmount` USDC.
    function redeem(uint256 assetAmount, uint256 minOutputAmount) external;
    function paused() external view returns (bool);
    function liquidityProvider() external view returns (IOffRampProviderLike);
    function feeManager() external view returns (IMbpsFeeManagerLike);
    /// @notice What `assetAmount` fetches after the Basin's and Securitize's fees, with no check.
    function calculateLiquidityTokenAmount(uint256 assetAmount) external view returns (uint256);
    /// @notice `assetAmount` at Securitize's NAV before any fee: the centre of the provider's band.
    function calculateLiquidityTokenAmountBeforeFee(uint256 assetAmount) external view returns (uint256);
    /// @notice The USDC the provider's Basin holds.
    function availableLiquidity() external view returns (uint256);
}

/// @notice The slice of the off-ramp's liquidity provider (ExternalLiquidityProvider) the adapter uses.
interface IOffRampProviderLike {
    function paused() external view returns (bool);
    /// @notice The Grove Basin it sells into.
    function externalProvider() external view returns (IGroveBasinLike);
    /// @notice How far the Basin's preview may sit from the NAV quote, in 1/100,000 (100,000: unchecked).
    function rateTolerance() external view returns (uint256);
}

/// @notice Securitize's fee manager: a fee in thousandths of a basis point, rounded up.
interface IMbpsFeeManagerLike {
    function getFee(uint256 amount) external view returns (uint256);
}

/// @notice The slice of a Grove Basin (grove-labs/grove-basin) the adapter reads.
interface IGroveBasinLike {
    /// @notice What `amountIn` of `assetIn` buys of `assetOut`, net of the Basin's fee; reverts when paused,
    /// stale or above the maximum swap size.
    function previewSwapExactIn(address assetIn, address assetOut, uint256 amountIn) external view returns (uint256);
    /// @notice The USD value (18 decimals) of `amount` of `asset`.
    function getAssetValue(address asset, uint256 amount, bool roundUp) external view returns (uint256);
    /// @notice The largest swap's input value, in USD with 18 decimals.
    function maxSwapSize() external view returns (uint256);
}

/// @notice The slice of Securitize's on-ramp (bc-on-off-ramp-sc, ExternalAssetProviderOnRamp) the adapter
/// uses: a DS token bought at once with USDC through its asset provider over a Grove Basin.
interface ISecuritizeOnRampLike {
    /// @notice Takes `liquidityAmount` USDC from the caller and delivers at least `minOutAmount` tokens.
    function swap(uint256 liquidityAmount, uint256 minOutAmount) external;
    /// @notice What `liquidityAmount` USDC buys now (the Basin's quote after Securitize's fee), the NAV and
    /// the fee; no check.
    function calculateDsTokenAmount(
        uint256 liquidityAmount
    ) external view returns (uint256 dsTokenAmount, uint256 rate, uint256 fee);
    function paused() external view returns (bool);
    function investorSubscriptionEnabled() external view returns (bool);
    function minSubscriptionAmount() external view returns (uint256);
    function assetProvider() external view returns (IOnRampProviderLike);
    function navProvider() external view returns (ISecuritizeNavProviderLike);
}

/// @notice The slice of the on-ramp's asset provider (ExternalAssetProvider) the adapter uses.
interface IOnRampProviderLike {
    function paused() external view returns (bool);
    function externalProvider() external view returns (IGroveBasinLike);
    function rateTolerance() external view returns (uint256);
    /// @notice The tokens the Basin holds for sale.
    function availableAsset() external view returns (uint256);
}

/// @notice Securitize's NAV provider: the token's price in its own decimals.
interface ISecuritizeNavProviderLike {
    function rate() external view returns (uint256);
}

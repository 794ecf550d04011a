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

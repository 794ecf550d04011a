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

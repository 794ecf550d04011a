// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ConstantsLib
/// @notice Protocol-wide constants.
library ConstantsLib {
    /// @notice Basis points in one whole.
    uint256 internal constant MAX_BPS = 10_000;
    /// @notice Most adapters one vault may list, which bounds every loop over them.
    uint256 internal constant MAX_ADAPTERS = 32;
    /// @notice Longest linear release of reported gains.
    uint256 internal constant MAX_PROFIT_UNLOCK_SECONDS = 365 days;
    /// @notice Longest delay the configuration timelock may be set to.
    uint256 internal constant MAX_TIMELOCK_SECONDS = 30 days;
    /// @notice Oldest price a newly listed adapter may report before it is quarantined.
    uint32 internal constant DEFAULT_MAX_NAV_AGE_SECONDS = 3 days;
    /// @notice Largest move between reports a newly listed adapter may show before it is quarantined.
    uint16 internal constant DEFAULT_MAX_NAV_DEVIATION_BPS = 100;
    /// @notice Oldest an open issuer request may be, by default, before its adapter is quarantined.
    uint256 internal constant DEFAULT_MAX_REQUEST_AGE_SECONDS = 14 days;
    /// @notice Shortest maximum request age: an issuer gets at least this long to complete a request.
    uint256 internal constant MIN_MAX_REQUEST_AGE_SECONDS = 1 hours;
    /// @notice How long a submitted change stays executable once its timelock has passed; after that
    /// it must be submitted again.
    uint256 internal constant SUBMISSION_WINDOW_SECONDS = 14 days;
    /// @notice A rate limit whose `maxAmount` is this value never binds.
    uint256 internal constant UNLIMITED = type(uint128).max;
}

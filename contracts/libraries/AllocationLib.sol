// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ConstantsLib} from "./ConstantsLib.sol";

/// @title AllocationLib
/// @notice Targets, buffer and drift band of a rebalance, with the rounding that keeps more idle.
library AllocationLib {
    /// @notice Idle kept for withdrawals: `bufferBps` of `totalAssets`, rounded up.
    function bufferUp(uint256 totalAssets, uint256 bufferBps) internal pure returns (uint256) {
        return Math.mulDiv(totalAssets, bufferBps, ConstantsLib.MAX_BPS, Math.Rounding.Ceil);
    }

    /// @notice An adapter's target: `weightBps` of what is investable, rounded down.
    function targetDown(uint256 investable, uint256 weightBps) internal pure returns (uint256) {
        return Math.mulDiv(investable, weightBps, ConstantsLib.MAX_BPS);
    }

    /// @notice The drift an adapter may show before it is moved: `max(minMove, driftBandBps × totalAssets)`.
    function band(uint256 totalAssets, uint256 driftBandBps, uint256 minMove) internal pure returns (uint256) {
        uint256 relative = Math.mulDiv(totalAssets, driftBandBps, ConstantsLib.MAX_BPS);
        return relative > minMove ? relative : minMove;
    }

    /// @notice Least value an entry of `amount` must add: `amount × (1 − slippageBps)`, rounded up.
    function minValueAddedUp(uint256 amount, uint256 slippageBps) internal pure returns (uint256) {
        return amount - Math.mulDiv(amount, slippageBps, ConstantsLib.MAX_BPS);
    }

    /// @notice Most value an exit paying `amount` may remove: `amount × (1 + slippageBps)`, rounded down.
    function maxValueRemovedDown(uint256 amount, uint256 slippageBps) internal pure returns (uint256) {
        return amount + Math.mulDiv(amount, slippageBps, ConstantsLib.MAX_BPS);
    }

    /// @notice Whether `observed` moved from `recorded` by more than `maxDeviationBps` of `recorded` and
    /// by more than `unit` (one whole unit of the asset, so dust never trips the breaker). No hole at
    /// zero: on a book at zero, any valuation above `unit` deviates.
    function deviates(
        uint256 recorded,
        uint256 observed,
        uint256 maxDeviationBps,
        uint256 unit
    ) internal pure returns (bool) {
        if (observed > type(uint128).max) return true;
        uint256 diff = observed > recorded ? observed - recorded : recorded - observed;
        if (diff <= unit) return false;
        // diff and recorded are below 2^128 (book values are uint128), so both products fit in 2^256.
        return diff * ConstantsLib.MAX_BPS > recorded * maxDeviationBps;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ConstantsLib} from "./ConstantsLib.sol";
import {RateLimit} from "../interfaces/IReserveVault.sol";

/// @title RateLimitLib
/// @notice A refilling allowance: `available = min(maxAmount, lastAmount + slopePerSecond × elapsed)`.
library RateLimitLib {
    /// @notice What may be used at `timestamp`. A `maxAmount` of `ConstantsLib.UNLIMITED` never binds.
    function available(RateLimit memory limit, uint256 timestamp) internal pure returns (uint256) {
        if (limit.maxAmount == ConstantsLib.UNLIMITED) return ConstantsLib.UNLIMITED;
        // slopePerSecond < 2^128 and elapsed < 2^64, so the product fits in 2^192 and the sum cannot overflow.
        uint256 refilled = uint256(limit.lastAmount) + uint256(limit.slopePerSecond) * (timestamp - limit.lastUpdated);
        return refilled < limit.maxAmount ? refilled : limit.maxAmount;
    }

    /// @notice The state after `amount` is used at `timestamp`; the caller has checked `amount` ≤ available.
    function consume(
        RateLimit memory limit,
        uint256 amount,
        uint256 timestamp
    ) internal pure returns (RateLimit memory) {
        if (limit.maxAmount != ConstantsLib.UNLIMITED) {
            limit.lastAmount = uint128(available(limit, timestamp) - amount);
            limit.lastUpdated = uint64(timestamp);
        }
        return limit;
    }

    /// @notice The state after the parameters change at `timestamp`: what was available stays
    /// available, clipped to the new maximum, so a change neither refunds nor confiscates headroom.
    function reconfigure(
        RateLimit memory limit,
        uint128 maxAmount,
        uint128 slopePerSecond,
        uint256 timestamp
    ) internal pure returns (RateLimit memory) {
        uint256 current = limit.maxAmount == ConstantsLib.UNLIMITED ? maxAmount : available(limit, timestamp);
        limit.lastAmount = uint128(current < maxAmount ? current : maxAmount);
        limit.lastUpdated = uint64(timestamp);
        limit.maxAmount = maxAmount;
        limit.slopePerSecond = slopePerSecond;
        return limit;
    }
}

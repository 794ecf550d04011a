// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AdapterConfig, Books, ProfitLock, RateLimit} from "../interfaces/IReserveVault.sol";
import {AdapterOpsLib} from "../libraries/AdapterOpsLib.sol";
import {AllocationLib} from "../libraries/AllocationLib.sol";
import {ProfitLockLib} from "../libraries/ProfitLockLib.sol";
import {RateLimitLib} from "../libraries/RateLimitLib.sol";

/// @dev Exposes the pure libraries for direct unit tests.
contract LibHarness {
    function available(RateLimit calldata limit, uint256 timestamp) external pure returns (uint256) {
        return RateLimitLib.available(limit, timestamp);
    }

    function consume(
        RateLimit calldata limit,
        uint256 amount,
        uint256 timestamp
    ) external pure returns (RateLimit memory) {
        return RateLimitLib.consume(limit, amount, timestamp);
    }

    function reconfigure(
        RateLimit calldata limit,
        uint128 maxAmount,
        uint128 slope,
        uint256 timestamp
    ) external pure returns (RateLimit memory) {
        return RateLimitLib.reconfigure(limit, maxAmount, slope, timestamp);
    }

    function lockedAt(ProfitLock calldata lock, uint256 timestamp) external pure returns (uint256) {
        return ProfitLockLib.lockedAt(lock, timestamp);
    }

    function addGain(
        ProfitLock calldata lock,
        uint256 gain,
        uint256 unlockSeconds,
        uint256 timestamp
    ) external pure returns (ProfitLock memory) {
        return ProfitLockLib.addGain(lock, gain, unlockSeconds, timestamp);
    }

    function absorbLoss(
        ProfitLock calldata lock,
        uint256 loss,
        uint256 timestamp
    ) external pure returns (ProfitLock memory, uint256) {
        return ProfitLockLib.absorbLoss(lock, loss, timestamp);
    }

    function bufferUp(uint256 total, uint256 bps) external pure returns (uint256) {
        return AllocationLib.bufferUp(total, bps);
    }

    function targetDown(uint256 investable, uint256 bps) external pure returns (uint256) {
        return AllocationLib.targetDown(investable, bps);
    }

    function band(uint256 total, uint256 bps, uint256 minMove) external pure returns (uint256) {
        return AllocationLib.band(total, bps, minMove);
    }

    function minValueAddedUp(uint256 amount, uint256 bps) external pure returns (uint256) {
        return AllocationLib.minValueAddedUp(amount, bps);
    }

    function maxValueRemovedDown(uint256 amount, uint256 bps) external pure returns (uint256) {
        return AllocationLib.maxValueRemovedDown(amount, bps);
    }

    function deviates(uint256 recorded, uint256 observed, uint256 bps, uint256 unit) external pure returns (bool) {
        return AllocationLib.deviates(recorded, observed, bps, unit);
    }
}

/// @dev Calls AdapterOpsLib with amounts of the test's choosing, to pin the checks the vault's own
/// plan never lets it reach (an amount above the rate limit). `allocate` is internal: compiled in here.
contract AdapterOpsHarness {
    Books private _books;
    mapping(address => AdapterConfig) private _configs;
    address private immutable ASSET;

    constructor(address asset) {
        ASSET = asset;
    }

    function setUp(address adapter, uint112 idle, uint128 maxAmount, uint16 maxSlippageBps) external {
        _books.idle = idle;
        AdapterConfig storage config = _configs[adapter];
        config.listed = true;
        config.maxSlippageBps = maxSlippageBps;
        config.rateLimit = RateLimit({
            maxAmount: maxAmount,
            slopePerSecond: 0,
            lastAmount: maxAmount,
            lastUpdated: uint64(block.timestamp)
        });
    }

    function allocate(address adapter, uint256 amount) external returns (uint256) {
        return AdapterOpsLib.allocate(_books, _configs[adapter], adapter, ASSET, amount);
    }

    function books() external view returns (Books memory) {
        return _books;
    }
}

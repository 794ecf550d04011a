// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAdapter} from "../interfaces/IAdapter.sol";
import {IReserveVault, AdapterConfig, Books, RateLimit} from "../interfaces/IReserveVault.sol";
import {BooksLib} from "./BooksLib.sol";
import {ConstantsLib} from "./ConstantsLib.sol";
import {RateLimitLib} from "./RateLimitLib.sol";
import {ReadLib} from "./ReadLib.sol";

/// @title ConfigLib
/// @notice The curator's listing, unlisting and per-adapter settings: each validates its input, applies
/// it, emits its event and says whether the change takes risk and so must have passed the timelock. The vault checks the
/// timelock itself (it reads the call's own calldata), after the call: a refused change reverts whole.
/// @dev Linked (its functions are public) to keep the vault under the contract size limit; it runs by
/// delegatecall on the vault's own storage.
library ConfigLib {
    using BooksLib for Books;

    /// @notice Lists `adapter` (of this vault and `asset`) with nothing granted: weight, cap and rate
    /// limit start at zero and rise through the timelock; the NAV guard and request age at their
    /// defaults. Always timelocked.
    function addAdapter(
        address[] storage adapters,
        mapping(address => AdapterConfig) storage configs,
        address adapter,
        address asset
    ) public {
        if (adapter == address(0)) revert IReserveVault.ZeroAddress();
        if (configs[adapter].listed) revert IReserveVault.AdapterAlreadyListed(adapter);
        if (adapters.length >= ConstantsLib.MAX_ADAPTERS) {
            revert IReserveVault.TooManyAdapters(ConstantsLib.MAX_ADAPTERS);
        }
        // Run by delegatecall: address(this) is the vault.
        address adapterVault = IAdapter(adapter).vault();
        if (adapterVault != address(this)) revert IReserveVault.AdapterVaultMismatch(adapter, adapterVault);
        address adapterAsset = IAdapter(adapter).asset();
        if (adapterAsset != asset) revert IReserveVault.AdapterAssetMismatch(adapter, adapterAsset);
        AdapterConfig storage config = configs[adapter];
        config.listed = true;
        config.maxNavAgeSeconds = ConstantsLib.DEFAULT_MAX_NAV_AGE_SECONDS;
        config.maxNavDeviationBps = ConstantsLib.DEFAULT_MAX_NAV_DEVIATION_BPS;
        config.maxRequestAgeSeconds = uint32(ConstantsLib.DEFAULT_MAX_REQUEST_AGE_SECONDS);
        config.rateLimit.lastUpdated = uint64(block.timestamp);
        adapters.push(adapter);
        emit IReserveVault.AdapterAdded(adapter, msg.sender);
    }

    /// @notice Unlists `adapter`: its weight must be zero and it must hold at most `unit` (one whole
    /// unit of the asset), booked or not, and have at most that claimable at its issuer, since whatever
    /// it still holds would be stranded; a dust book is a loss, and its write-offs are final. Never
    /// timelocked: it lowers risk.
    function removeAdapter(
        Books storage books,
        address[] storage adapters,
        address[] storage withdrawOrder,
        mapping(address => AdapterConfig) storage configs,
        address adapter,
        uint256 unit
    ) public {
        AdapterConfig storage config = configs[adapter];
        if (!config.listed) revert IReserveVault.AdapterNotListed(adapter);
        if (config.targetWeightBps != 0) revert IReserveVault.AdapterHasWeight(adapter, config.targetWeightBps);
        uint256 booked = config.value;
        if (booked > unit) revert IReserveVault.AdapterNotEmpty(adapter, booked);
        // A stranger's donation of dust must not block removal; more than that would be stranded.
        (bool ok, uint256 live) = ReadLib.tryUint(adapter, IAdapter.totalAssets.selector);
        if (!ok || live > unit) revert IReserveVault.AdapterNotEmpty(adapter, ok ? live : type(uint256).max);
        // Nor may anything the issuer holds for it be stranded, counted or not (a written-off request's
        // proceeds). An adapter that cannot say is not known to be empty: it goes only once the guardian
        // has quarantined it, a judgement that its issuer is gone, so a broken view cannot pin it forever.
        uint256 claimable;
        (ok, claimable) = ReadLib.tryUint(adapter, IAdapter.claimable.selector);
        if (ok ? claimable > unit : !config.quarantined) {
            revert IReserveVault.ClaimableNotSettled(adapter, ok ? claimable : type(uint256).max);
        }
        // Nothing more can come back through an unlisted adapter.
        uint256 forgotten = books.forgetRecovery(config);
        if (forgotten != 0) emit IReserveVault.RecoveryClosed(adapter, msg.sender, forgotten);
        if (booked != 0) {
            // booked <= unit and is part of totalValue.
            books.totalValue -= uint112(booked);
            books.recognizeLoss(booked);
        }
        delete configs[adapter];
        remove(adapters, adapter);
        remove(withdrawOrder, adapter);
        emit IReserveVault.AdapterRemoved(adapter, msg.sender);
    }

    /// @notice Declares `adapter`'s write-offs final: entries are priced on what is there.
    function closeRecovery(Books storage books, AdapterConfig storage config, address adapter) public {
        uint256 closed = books.forgetRecovery(config);
        if (closed == 0) revert IReserveVault.NothingToRecover(adapter);
        emit IReserveVault.RecoveryClosed(adapter, msg.sender, closed);
    }

    /// @notice Removes `item` from `list`, shifting the tail left to keep the order the curator chose.
    function remove(address[] storage list, address item) internal {
        uint256 length = list.length;
        for (uint256 i; i < length; ++i) {
            if (list[i] != item) continue;
            for (uint256 j = i + 1; j < length; ++j) list[j - 1] = list[j];
            list.pop();
            return;
        }
    }

    /// @notice Sets `adapter`'s target weight; returns the new sum of weights. Timelocked upwards.
    function setTargetWeight(
        AdapterConfig storage config,
        address adapter,
        uint256 totalWeightBps,
        uint256 weightBps
    ) public returns (uint256 newTotalBps, bool timelocked) {
        uint256 oldBps = config.targetWeightBps;
        newTotalBps = totalWeightBps - oldBps + weightBps;
        if (newTotalBps > ConstantsLib.MAX_BPS) revert IReserveVault.WeightSumExceeded(newTotalBps);
        config.targetWeightBps = uint16(weightBps);
        emit IReserveVault.TargetWeightSet(adapter, oldBps, weightBps);
        return (newTotalBps, weightBps > oldBps);
    }

    /// @notice Sets `adapter`'s cap. Timelocked upwards.
    function setCap(AdapterConfig storage config, address adapter, uint256 cap) public returns (bool timelocked) {
        uint256 oldCap = config.cap;
        config.cap = toUint128(cap);
        emit IReserveVault.CapSet(adapter, oldCap, cap);
        return cap > oldCap;
    }

    /// @notice Sets `adapter`'s rate limit. Timelocked when either bound rises.
    function setRateLimit(
        AdapterConfig storage config,
        address adapter,
        uint256 maxAmount,
        uint256 slopePerSecond
    ) public returns (bool timelocked) {
        RateLimit memory limit = config.rateLimit;
        (uint256 oldMax, uint256 oldSlope) = (limit.maxAmount, limit.slopePerSecond);
        config.rateLimit = RateLimitLib.reconfigure(
            limit,
            toUint128(maxAmount),
            toUint128(slopePerSecond),
            block.timestamp
        );
        emit IReserveVault.RateLimitSet(adapter, oldMax, maxAmount, oldSlope, slopePerSecond);
        return maxAmount > oldMax || slopePerSecond > oldSlope;
    }

    /// @notice Sets `adapter`'s NAV guard. Timelocked when either bound loosens.
    function setNavGuard(
        AdapterConfig storage config,
        address adapter,
        uint256 maxNavAgeSeconds,
        uint256 maxNavDeviationBps
    ) public returns (bool timelocked) {
        if (maxNavAgeSeconds > type(uint32).max) revert IReserveVault.ValueTooHigh(maxNavAgeSeconds, type(uint32).max);
        checkBps(maxNavDeviationBps);
        (uint256 oldAge, uint256 oldDeviation) = (config.maxNavAgeSeconds, config.maxNavDeviationBps);
        config.maxNavAgeSeconds = uint32(maxNavAgeSeconds);
        config.maxNavDeviationBps = uint16(maxNavDeviationBps);
        emit IReserveVault.NavGuardSet(adapter, oldAge, maxNavAgeSeconds, oldDeviation, maxNavDeviationBps);
        return maxNavAgeSeconds > oldAge || maxNavDeviationBps > oldDeviation;
    }

    /// @notice Sets `adapter`'s request age. Timelocked both ways: a longer age delays the quarantine of
    /// a stuck request, a shorter one lets a request be written off sooner.
    function setMaxRequestAge(
        AdapterConfig storage config,
        address adapter,
        uint256 maxRequestAgeSeconds
    ) public returns (bool timelocked) {
        uint256 minimum = ConstantsLib.MIN_MAX_REQUEST_AGE_SECONDS;
        if (maxRequestAgeSeconds < minimum) revert IReserveVault.ValueTooLow(maxRequestAgeSeconds, minimum);
        if (maxRequestAgeSeconds > type(uint32).max) {
            revert IReserveVault.ValueTooHigh(maxRequestAgeSeconds, type(uint32).max);
        }
        emit IReserveVault.MaxRequestAgeSet(adapter, config.maxRequestAgeSeconds, maxRequestAgeSeconds);
        config.maxRequestAgeSeconds = uint32(maxRequestAgeSeconds);
        return true;
    }

    /// @notice Sets `adapter`'s slippage bound. Timelocked upwards.
    function setMaxSlippage(
        AdapterConfig storage config,
        address adapter,
        uint256 maxSlippageBps
    ) public returns (bool timelocked) {
        checkBps(maxSlippageBps);
        uint256 oldBps = config.maxSlippageBps;
        config.maxSlippageBps = uint16(maxSlippageBps);
        emit IReserveVault.MaxSlippageSet(adapter, oldBps, maxSlippageBps);
        return maxSlippageBps > oldBps;
    }

    /// @notice Replaces the withdraw order with `order` (listed adapters, each once). Leaving an adapter
    /// out narrows what withdrawals can draw on: timelocked. Reordering or adding is not.
    function setWithdrawOrder(
        address[] storage current,
        mapping(address => AdapterConfig) storage configs,
        address[] calldata order
    ) public returns (bool timelocked) {
        for (uint256 i; i < order.length; ++i) {
            if (!configs[order[i]].listed) revert IReserveVault.InvalidWithdrawOrder(order[i]);
            for (uint256 j; j < i; ++j) {
                if (order[j] == order[i]) revert IReserveVault.InvalidWithdrawOrder(order[i]);
            }
        }
        for (uint256 i; i < current.length && !timelocked; ++i) {
            bool kept;
            for (uint256 j; j < order.length && !kept; ++j) kept = order[j] == current[i];
            timelocked = !kept;
        }
        while (current.length != 0) current.pop();
        for (uint256 i; i < order.length; ++i) current.push(order[i]);
        emit IReserveVault.WithdrawOrderSet(order);
    }

    /// @notice Reverts with `ValueTooHigh` above 100 %.
    function checkBps(uint256 bps) internal pure {
        if (bps > ConstantsLib.MAX_BPS) revert IReserveVault.ValueTooHigh(bps, ConstantsLib.MAX_BPS);
    }

    /// @notice `value` as a uint128, or `ValueTooHigh`.
    function toUint128(uint256 value) internal pure returns (uint128) {
        if (value > type(uint128).max) revert IReserveVault.ValueTooHigh(value, type(uint128).max);
        return uint128(value);
    }
}

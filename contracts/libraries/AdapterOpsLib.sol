// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {IReserveVault, AdapterConfig, Books, QuarantineReason, RateLimit} from "../interfaces/IReserveVault.sol";
import {AllocationLib} from "./AllocationLib.sol";
import {BooksLib} from "./BooksLib.sol";
import {ReadLib} from "./ReadLib.sol";
import {RateLimitLib} from "./RateLimitLib.sol";

/// @title AdapterOpsLib
/// @notice Every operation of the vault on an adapter, each measured and booked through `BooksLib`.
/// @dev Its public functions are linked to keep the vault under the contract size limit; they run by
/// delegatecall on the vault's storage, so `address(this)` is the vault. The operations of a leg or a
/// withdrawal (`allocate`, `requestRedeem`, `withdraw`) are internal and compiled into IsolationLib,
/// which runs them: a rebalance then touches one library, not three. The vault holds the reentrancy
/// lock around every caller of these functions.
library AdapterOpsLib {
    using SafeERC20 for IERC20;
    using BooksLib for Books;

    /// @notice Sends `amount` of idle to `adapter` within its rate limit and books the value it
    /// measurably added, reverting when that falls short of the adapter's slippage bound.
    function allocate(
        Books storage books,
        AdapterConfig storage config,
        address adapter,
        address asset,
        uint256 amount
    ) internal returns (uint256 added) {
        RateLimit memory limit = config.rateLimit;
        uint256 headroom = RateLimitLib.available(limit, block.timestamp);
        if (amount > headroom) revert IReserveVault.RateLimitExceeded(adapter, amount, headroom);
        config.rateLimit = RateLimitLib.consume(limit, amount, block.timestamp);

        uint256 valueBefore = IAdapter(adapter).totalAssets();
        IERC20(asset).safeTransfer(adapter, amount);
        IAdapter(adapter).deposit(amount);
        added = _increase(valueBefore, IAdapter(adapter).totalAssets());
        uint256 minAdded = AllocationLib.minValueAddedUp(amount, config.maxSlippageBps);
        if (added < minAdded) revert IReserveVault.EntrySlippageExceeded(adapter, amount, added, minAdded);
        books.credit(config, amount, added);
    }

    /// @notice Withdraws `amount` from `adapter` to the vault; reverts when less arrives or the value
    /// removed exceeds the adapter's exit bound. Books nothing: the caller debits the book.
    function withdraw(
        AdapterConfig storage config,
        address adapter,
        address asset,
        uint256 amount
    ) internal returns (uint256 removed, uint256 received) {
        uint256 valueBefore = IAdapter(adapter).totalAssets();
        uint256 balanceBefore = IERC20(asset).balanceOf(address(this));
        IAdapter(adapter).withdraw(amount);
        received = IERC20(asset).balanceOf(address(this)) - balanceBefore;
        if (received < amount) revert IReserveVault.AdapterShortfall(adapter, amount, received);
        removed = _decrease(valueBefore, IAdapter(adapter).totalAssets());
        uint256 maxRemoved = AllocationLib.maxValueRemovedDown(amount, config.maxSlippageBps);
        if (removed > maxRemoved) revert IReserveVault.ExitSlippageExceeded(adapter, amount, removed, maxRemoved);
    }

    /// @notice Files a redemption request at `adapter`; its value stays booked, in flight, until settled.
    function requestRedeem(
        Books storage books,
        AdapterConfig storage config,
        address adapter,
        uint256 amount
    ) internal returns (uint256 removed) {
        uint256 valueBefore = IAdapter(adapter).totalAssets();
        IAdapter(adapter).requestRedeem(amount);
        removed = _decrease(valueBefore, IAdapter(adapter).totalAssets());
        uint256 maxRemoved = AllocationLib.maxValueRemovedDown(amount, config.maxSlippageBps) - amount;
        if (removed > maxRemoved) revert IReserveVault.ExitSlippageExceeded(adapter, amount, removed, maxRemoved);
        books.debit(config, removed, 0);
    }

    /// @notice Claims what `adapter`'s issuer fulfilled and books what came back.
    /// @dev A fulfilment may price in-flight value differently from the request, so settling re-bases
    /// the adapter on its live valuation, as a report would — when that valuation is usable and the
    /// whole change stays within the adapter's deviation bound. Otherwise it books conservatively by
    /// the measured drop and leaves the rest to the next report and its circuit breaker.
    function settle(
        Books storage books,
        AdapterConfig storage config,
        address adapter,
        address asset,
        uint256 unit
    ) public returns (uint256 assets) {
        // A quarantined adapter's valuation is not trusted: book exactly what came back.
        bool measure = !config.quarantined;
        uint256 valueBefore = measure ? IAdapter(adapter).totalAssets() : 0;
        uint256 balanceBefore = IERC20(asset).balanceOf(address(this));
        IAdapter(adapter).settle();
        assets = IERC20(asset).balanceOf(address(this)) - balanceBefore;
        if (!measure) {
            books.debit(config, assets, assets);
            return assets;
        }
        (bool usable, uint256 observed, ) = valuation(adapter, config);
        if (usable && !AllocationLib.deviates(config.value, observed + assets, config.maxNavDeviationBps, unit)) {
            books.rebaseWithProceeds(config, observed, assets, type(uint256).max);
        } else {
            books.debit(config, _decrease(valueBefore, IAdapter(adapter).totalAssets()), assets);
        }
    }

    /// @notice Refreshes every adapter not in quarantine; quarantines those whose valuation is unusable
    /// or moved more than their deviation bound.
    function report(
        Books storage books,
        address[] storage adapters,
        mapping(address => AdapterConfig) storage configs,
        uint256 unit
    ) public {
        uint256 count = adapters.length;
        for (uint256 i; i < count; ++i) {
            address adapter = adapters[i];
            AdapterConfig storage config = configs[adapter];
            if (config.quarantined) continue;
            (bool usable, uint256 observed, QuarantineReason reason) = valuation(adapter, config);
            if (usable && AllocationLib.deviates(config.value, observed, config.maxNavDeviationBps, unit)) {
                (usable, reason) = (false, QuarantineReason.Deviation);
            }
            if (!usable) {
                config.quarantined = true;
                emit IReserveVault.AdapterQuarantined(adapter, reason, config.value, observed);
                continue;
            }
            uint256 oldValue = config.value;
            books.rebase(config, observed, _deliveredSinceWriteOff(books, config, adapter));
            emit IReserveVault.AdapterReported(adapter, oldValue, observed);
        }
    }

    /// @notice Lifts `adapter`'s quarantine, re-basing its book value on a usable valuation; returns
    /// whether that books a gain beyond the breaker's bound (which the vault lets through only by the
    /// timelock).
    function liftQuarantine(
        Books storage books,
        AdapterConfig storage config,
        address adapter,
        uint256 maxValue,
        uint256 unit
    ) public returns (uint256 observed, bool gainBeyondBound) {
        bool usable;
        (usable, observed, ) = valuation(adapter, config);
        if (!usable) revert IReserveVault.ValuationUnusable(adapter);
        // A lift books what was reviewed, never more: the bound is part of the submitted calldata.
        if (observed > maxValue) revert IReserveVault.LiftValueExceeded(adapter, observed, maxValue);
        uint256 booked = config.value;
        gainBeyondBound =
            observed > booked &&
            AllocationLib.deviates(booked, observed, config.maxNavDeviationBps, unit);
        config.quarantined = false;
        // The lift books what was reviewed: a gain up to the write-offs may be their recovery.
        books.rebase(config, observed, type(uint256).max);
    }

    /// @notice Writes off `adapter`'s open issuer requests once it is quarantined and its oldest
    /// request is older than its maximum request age. What the issuer already delivered is claimed first
    /// and booked as it comes back; if something stays claimable (the claim failed), nothing is written
    /// off (`ClaimableNotSettled`). The value written off, up to the book value, is a loss booked at once,
    /// and so is any further shortfall of the live valuation below the book; what it takes from the share
    /// price is recorded as recoverable.
    function writeOff(
        Books storage books,
        AdapterConfig storage config,
        address adapter,
        address asset,
        uint256 unit
    ) public returns (uint256 loss) {
        if (!config.quarantined) revert IReserveVault.AdapterNotQuarantined(adapter);
        uint256 at = IAdapter(adapter).requestedAt();
        uint256 overdueAt = at + config.maxRequestAgeSeconds;
        if (at == 0 || block.timestamp <= overdueAt) revert IReserveVault.RequestNotOverdue(adapter, at, overdueAt);
        uint256 settled = _settleQuarantined(books, config, adapter, asset);
        (bool ok, uint256 left) = ReadLib.tryUint(adapter, IAdapter.claimable.selector);
        if (ok && left > unit) revert IReserveVault.ClaimableNotSettled(adapter, left);
        uint256 written = IAdapter(adapter).writeOff();
        loss = _writeOffLoss(config.value, adapter, written);
        books.writeDown(config, loss);
        emit IReserveVault.RequestWrittenOff(adapter, msg.sender, settled, written, loss);
    }

    /// @dev The loss of a write-off of `written` on a book of `booked`: the written value up to the book,
    /// and whatever else the adapter no longer claims: after a write-off the book is at most the live
    /// valuation, when there is one. Gains wait for a report or a lift.
    function _writeOffLoss(uint256 booked, address adapter, uint256 written) private view returns (uint256 loss) {
        loss = Math.min(written, booked);
        (bool ok, uint256 live) = ReadLib.tryUint(adapter, IAdapter.totalAssets.selector);
        if (ok && live < booked - loss) loss = booked - live;
    }

    /// @dev Claims what `adapter`'s issuer delivered and books exactly what came back (a quarantined
    /// valuation is not trusted); a settlement that reverts claims nothing. A settlement that claimed
    /// something is followed by one more, which returns cash the adapter holds (an adapter may keep a
    /// stranger's cash for the next settlement with nothing else to claim), so a donation cannot keep the
    /// write-off waiting.
    function _settleQuarantined(
        Books storage books,
        AdapterConfig storage config,
        address adapter,
        address asset
    ) private returns (uint256 settled) {
        uint256 balanceBefore = IERC20(asset).balanceOf(address(this));
        ReadLib.callBounded(adapter, abi.encodeCall(IAdapter.settle, ()));
        settled = IERC20(asset).balanceOf(address(this)) - balanceBefore;
        if (settled != 0) ReadLib.callBounded(adapter, abi.encodeCall(IAdapter.settle, ()));
        settled = IERC20(asset).balanceOf(address(this)) - balanceBefore;
        if (settled != 0) books.debit(config, settled, settled);
    }

    /// @notice `adapter`'s valuation, read so that no revert, malformed answer or huge payload can
    /// make the caller revert: any of those makes the valuation unusable.
    function valuation(
        address adapter,
        AdapterConfig storage config
    ) public view returns (bool usable, uint256 value, QuarantineReason reason) {
        bool ok;
        (ok, value) = ReadLib.tryUint(adapter, IAdapter.totalAssets.selector);
        if (!ok) return (false, 0, QuarantineReason.ValuationReverted);
        uint256 updatedAt;
        (ok, updatedAt) = ReadLib.tryUint(adapter, IAdapter.navUpdatedAt.selector);
        if (!ok) return (false, value, QuarantineReason.ValuationReverted);
        if (updatedAt < block.timestamp && block.timestamp - updatedAt > config.maxNavAgeSeconds) {
            return (false, value, QuarantineReason.Stale);
        }
        // An adapter that cannot say when its requests were filed has none it can be held to.
        uint256 requestedAt;
        (ok, requestedAt) = ReadLib.tryUint(adapter, IAdapter.requestedAt.selector);
        // Subtracting, not adding: an adapter answering a huge time must not make the report revert.
        if (
            ok &&
            requestedAt != 0 &&
            requestedAt < block.timestamp &&
            block.timestamp - requestedAt > config.maxRequestAgeSeconds
        ) {
            return (false, value, QuarantineReason.RequestOverdue);
        }
        return (true, value, QuarantineReason.Manual);
    }

    /// @dev What a report may count as the recovery of `adapter`'s write-offs: what its issuer delivered
    /// and the adapter holds or shows claimable (late proceeds, late fills), never its yield. Asked only
    /// while the adapter has write-offs to recover.
    function _deliveredSinceWriteOff(
        Books storage books,
        AdapterConfig storage config,
        address adapter
    ) private view returns (uint256) {
        if (!books.recovering || config.writtenOff == 0) return 0;
        return ReadLib.uintOrZero(adapter, IAdapter.claimable.selector);
    }

    function _increase(uint256 before, uint256 afterwards) private pure returns (uint256) {
        return afterwards > before ? afterwards - before : 0;
    }

    function _decrease(uint256 before, uint256 afterwards) private pure returns (uint256) {
        return before > afterwards ? before - afterwards : 0;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {IReserveVault, AdapterConfig, Books, Leg, LegKind} from "../interfaces/IReserveVault.sol";
import {AdapterOpsLib} from "./AdapterOpsLib.sol";
import {BooksLib} from "./BooksLib.sol";
import {PlanLib} from "./PlanLib.sol";
import {ReadLib} from "./ReadLib.sol";

/// @title IsolationLib
/// @notice One issuer's trouble stays with its adapter: withdrawals walk the withdraw order and fall
/// through an adapter that fails, rebalances skip a failing leg and run the others. Each adapter
/// operation runs in its own call frame (`IReserveVault.isolated`), so a failure leaves books and idle
/// exactly as they were.
/// @dev Linked (public functions) to keep the vault under the contract size limit; it runs by
/// delegatecall on the vault's storage, so `address(this)` is the vault. The plan and each leg's
/// operation are compiled in (`PlanLib.build`, AdapterOpsLib's internal operations), so a rebalance
/// or a withdrawal beyond idle touches this library alone.
library IsolationLib {
    using BooksLib for Books;

    /// @notice What the withdraw order can pay instantly towards `need`, and what that exit costs
    /// beyond the assets paid (the adapters' quoted fees and rounding), walking it as `pull` would.
    function quote(
        address[] storage order,
        mapping(address => AdapterConfig) storage configs,
        uint256 need
    ) public view returns (uint256 available, uint256 cost) {
        uint256 count = order.length;
        for (uint256 i; i < count && available < need; ++i) {
            address adapter = order[i];
            (uint256 take, uint256 takeCost) = _source(adapter, configs[adapter], need - available);
            available += take;
            cost += takeCost;
        }
    }

    /// @notice `quote`, and what it takes from each adapter of the order, for `pull` to draw without
    /// asking the adapters again in the same transaction. The walk is `quote`'s, written out again: one
    /// loop for both, recording takes only when asked, costs a withdrawal about 200 gas.
    function quoteTakes(
        address[] storage order,
        mapping(address => AdapterConfig) storage configs,
        uint256 need
    ) public view returns (uint256 available, uint256 cost, uint256[] memory takes) {
        uint256 count = order.length;
        takes = new uint256[](count);
        for (uint256 i; i < count && available < need; ++i) {
            address adapter = order[i];
            (uint256 take, uint256 takeCost) = _source(adapter, configs[adapter], need - available);
            takes[i] = take;
            available += take;
            cost += takeCost;
        }
    }

    /// @notice Draws `need` from the withdraw order into idle, moving on from any adapter whose exit
    /// fails (reverts, pays short, exceeds its exit bound); reverts only when the whole order cannot
    /// pay. `takes`, when given, is what `quoteTakes` found in this transaction: drawn as quoted until an
    /// exit fails, after which each adapter is asked afresh. Returns the exit cost actually borne: value
    /// the books lost beyond what came back.
    function pull(
        address[] storage order,
        mapping(address => AdapterConfig) storage configs,
        uint256 need,
        uint256[] memory takes
    ) public returns (uint256 cost) {
        uint256 remaining = need;
        uint256 count = order.length;
        bool afresh = takes.length == 0;
        for (uint256 i; i < count && remaining != 0; ++i) {
            address adapter = order[i];
            uint256 take;
            // A quoted adapter quarantined since the quote (only a privileged re-entry could) is asked afresh.
            if (!afresh && configs[adapter].quarantined) afresh = true;
            if (afresh) (take, ) = _source(adapter, configs[adapter], remaining);
            else take = Math.min(takes[i], remaining);
            if (take == 0) continue;
            (bool ok, bytes memory result) = ReadLib.callBounded(
                address(this),
                abi.encodeCall(IReserveVault.isolated, (adapter, LegKind.Withdraw, take, true))
            );
            if (!ok) {
                emit IReserveVault.WithdrawalSourceFailed(adapter, take, result);
                afresh = true;
                continue;
            }
            (, uint256 takeCost) = abi.decode(result, (uint256, uint256));
            cost += takeCost;
            remaining -= take;
        }
        if (remaining != 0) revert IReserveVault.InsufficientLiquidity(need, need - remaining);
    }

    /// @notice Plans from `inputs` (`PlanLib.plan`) and runs the legs.
    function rebalance(
        Books storage books,
        address[] storage adapters,
        mapping(address => AdapterConfig) storage configs,
        PlanLib.PlanInputs memory inputs
    ) public returns (uint256 executed) {
        (Leg[] memory legs, uint256 reserve) = PlanLib.build(adapters, configs, inputs);
        return _execute(books, legs, reserve, inputs.minMove);
    }

    /// @notice One operation on `adapter`, measured and booked: the body of `IReserveVault.isolated`.
    function run(
        Books storage books,
        AdapterConfig storage config,
        address adapter,
        address asset,
        LegKind kind,
        uint256 amount,
        bool userExit
    ) public returns (uint256 valueChange, uint256 cost) {
        if (kind == LegKind.Deposit) return (AdapterOpsLib.allocate(books, config, adapter, asset, amount), 0);
        if (kind == LegKind.RequestRedeem) return (AdapterOpsLib.requestRedeem(books, config, adapter, amount), 0);
        (uint256 removed, uint256 received) = AdapterOpsLib.withdraw(config, adapter, asset, amount);
        // A withdrawal's exit cost is the leaver's, paid in the shares it burns: not a loss of the vault.
        if (userExit) cost = books.debitExit(config, removed, received);
        else books.debit(config, removed, received);
        return (removed, cost);
    }

    /// @dev Runs the legs of a plan in order, each isolated: a failing leg is skipped with
    /// `LegFailed`. An entry never spends idle the plan keeps back (`reserve`: the buffer and the queue's
    /// pending exits), which matters once an exit it counted on has failed; cut below `minMove`, it is
    /// skipped. While the vault is paused only exits run: entries fail with `EnforcedPause`, so queued
    /// exits are still freed. Returns how many legs executed: a plan whose every leg fails moves nothing, so a keeper
    /// that simulates first does not send it again and again.
    function _execute(
        Books storage books,
        Leg[] memory legs,
        uint256 reserve,
        uint256 minMove
    ) private returns (uint256 executed) {
        bool paused = books.paused;
        for (uint256 i; i < legs.length; ++i) {
            Leg memory leg = legs[i];
            uint256 amount = leg.amount;
            if (leg.kind == LegKind.Deposit) {
                uint256 idleAssets = books.idle;
                amount = paused ? 0 : Math.min(amount, idleAssets > reserve ? idleAssets - reserve : 0);
                if (amount < minMove) amount = 0;
            }
            (bool ok, bytes memory result) = amount == 0
                ? (false, paused ? abi.encodeWithSelector(IReserveVault.EnforcedPause.selector) : bytes(""))
                : ReadLib.callBounded(
                    address(this),
                    abi.encodeCall(IReserveVault.isolated, (leg.adapter, leg.kind, amount, false))
                );
            if (ok) {
                (uint256 valueChange, ) = abi.decode(result, (uint256, uint256));
                emit IReserveVault.LegExecuted(leg.adapter, leg.kind, amount, valueChange);
                ++executed;
            } else {
                emit IReserveVault.LegFailed(leg.adapter, leg.kind, amount, result);
            }
        }
    }

    /// @dev What a withdrawal may draw on `adapter` now: at most its book value and its
    /// (bounded, non-reverting) `maxWithdraw`; nothing when quarantined or when it cannot quote the
    /// cost. A failed read is zero liquidity, never a revert.
    function _liquidity(address adapter, AdapterConfig storage config) private view returns (uint256) {
        if (config.quarantined) return 0;
        return Math.min(ReadLib.uintOrZero(adapter, IAdapter.maxWithdraw.selector), config.value);
    }

    function _source(
        address adapter,
        AdapterConfig storage config,
        uint256 wanted
    ) private view returns (uint256 take, uint256 cost) {
        take = Math.min(wanted, _liquidity(adapter, config));
        if (take == 0) return (0, 0);
        bool within;
        (within, cost) = PlanLib.quoteExit(adapter, config, take);
        // An adapter that cannot say what its exit costs, or whose exit would exceed its bound, is not
        // drawn on: the walk (and so maxWithdraw) counts only exits that will go through.
        if (!within) return (0, 0);
    }
}

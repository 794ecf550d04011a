// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {IRedeemQueue} from "../interfaces/IRedeemQueue.sol";
import {AdapterConfig, Leg, LegKind} from "../interfaces/IReserveVault.sol";
import {AllocationLib} from "./AllocationLib.sol";
import {ReadLib} from "./ReadLib.sol";
import {RateLimitLib} from "./RateLimitLib.sol";

/// @title PlanLib
/// @notice The rebalance plan, computed from the vault's state alone, so a keeper can trigger a
/// rebalance but never choose its amounts.
/// @dev Linked (its function is public) to keep the vault under the contract size limit; it runs by
/// delegatecall on the vault's own storage.
library PlanLib {
    /// @notice The vault-level quantities a plan starts from.
    struct PlanInputs {
        /// Idle plus book values: where the assets sit, locked profit included, so a gain that is still
        /// locked does not make the plan exit and re-enter the adapter as it unlocks.
        uint256 grossAssets;
        uint256 idle;
        /// The redemption queue when it has exits pending, else zero: their value is kept idle on top of
        /// the buffer (freed first), and once the queue is overdue no entry is made.
        address redeemQueue;
        uint256 bufferBps;
        uint256 driftBandBps;
        uint256 minMove;
        /// Bit i set: leave the adapter at index i out of this rebalance (outside its issuer's window).
        uint256 skipMask;
    }

    /// @dev An exit pass that did not need to ask the adapter what stays (book values are below 2^128).
    uint256 private constant STAY_UNREAD = type(uint256).max;

    /// @dev Quantities shared by the two passes of a plan.
    struct Context {
        /// Idle the plan keeps: the buffer plus the queue's pending exits.
        uint256 buffer;
        /// The queue is overdue: only exits.
        bool noEntries;
        uint256 investable;
        uint256 band;
        uint256 moveFloor;
        uint256 idleAfterExits;
        uint256 legCount;
    }

    /// @notice The legs of a rebalance, in execution order.
    /// @dev 1. investable = grossAssets − buffer (`bufferBps` of grossAssets, rounded up);
    /// 2. target = weight × investable (rounded down);
    /// 3. exits: an adapter whose value net of in-flight redemptions exceeds target + band gives back
    ///    its instant liquidity (if its quoted cost is within the slippage bound), and files a redemption
    ///    request for the rest;
    /// 4. entries: an adapter below target − band receives min(shortfall, idle above buffer, cap
    ///    headroom, rate-limit headroom, its maxDeposit), skipped below its minDeposit;
    /// band = max(minMove, driftBandBps × grossAssets). Legs below `minMove` are dropped, so a second
    /// plan right after the first is empty. Quarantined adapters, and those whose bit is set in
    /// `skipMask`, are left alone. A view of an adapter that reverts reads as zero (no liquidity, no
    /// room), and one whose minDeposit cannot be read takes no entry.
    function plan(
        address[] storage adapters,
        mapping(address => AdapterConfig) storage configs,
        PlanInputs memory inputs
    ) public view returns (Leg[] memory legs) {
        (legs, ) = build(adapters, configs, inputs);
    }

    /// @notice `plan`, compiled into its caller: a rebalance plans inside IsolationLib, which then runs
    /// the legs, so the transaction touches one library instead of two. Also returns the reserve: the idle
    /// the plan keeps (the buffer plus the queue's pending exits), which no entry may spend.
    function build(
        address[] storage adapters,
        mapping(address => AdapterConfig) storage configs,
        PlanInputs memory inputs
    ) internal view returns (Leg[] memory legs, uint256 reserve) {
        uint256 count = adapters.length;
        legs = new Leg[](2 * count);

        Context memory ctx = _context(inputs);

        // Value that stays in each adapter once its in-flight redemptions return.
        uint256[] memory staying = new uint256[](count);
        uint256[] memory targets = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            if (_skipped(inputs.skipMask, i)) continue;
            address adapter = adapters[i];
            (staying[i], targets[i]) = _planExit(adapter, configs[adapter], ctx, legs);
        }
        uint256 spendable = !ctx.noEntries && ctx.idleAfterExits > ctx.buffer ? ctx.idleAfterExits - ctx.buffer : 0;
        // No entry can be larger than what is spendable: below the move floor there is none to plan.
        for (uint256 i; i < count && _isMove(spendable, ctx.moveFloor); ++i) {
            if (_skipped(inputs.skipMask, i)) continue;
            address adapter = adapters[i];
            spendable -= _planEntry(adapter, configs[adapter], staying[i], targets[i], spendable, ctx, legs);
        }

        // Shrink the array to the legs actually planned; legCount <= 2 * count by construction.
        uint256 legCount = ctx.legCount;
        assembly ("memory-safe") {
            mstore(legs, legCount)
        }
        reserve = ctx.buffer;
    }

    /// @dev Appends `adapter`'s exit legs if it sits above its band; returns its staying value and target.
    function _planExit(
        address adapter,
        AdapterConfig storage config,
        Context memory ctx,
        Leg[] memory legs
    ) private view returns (uint256 stay, uint256 target) {
        if (config.quarantined) return (0, 0);
        target = AllocationLib.targetDown(ctx.investable, config.targetWeightBps);
        // What stays is at most the book value: at or below the band's top there is no exit whatever
        // is in flight, and the adapter is asked only if an entry needs to know.
        if (config.value <= target + ctx.band) return (STAY_UNREAD, target);
        stay = _stay(adapter, config);
        if (stay <= target + ctx.band) return (stay, target);

        uint256 excess = stay - target;
        uint256 instant = Math.min(excess, ReadLib.uintOrZero(adapter, IAdapter.maxWithdraw.selector));
        // Priced as a withdrawal prices it: an instant exit that costs more than the slippage bound would
        // fail, so the whole excess is requested instead.
        if (_isMove(instant, ctx.moveFloor) && _withinBound(adapter, config, instant)) {
            legs[ctx.legCount++] = Leg(adapter, LegKind.Withdraw, instant);
            ctx.idleAfterExits += instant;
            excess -= instant;
        }
        if (_isMove(excess, ctx.moveFloor)) {
            uint256 request = Math.min(excess, ReadLib.uintOrZero(adapter, IAdapter.maxRequestRedeem.selector));
            if (_isMove(request, ctx.moveFloor)) legs[ctx.legCount++] = Leg(adapter, LegKind.RequestRedeem, request);
        }
    }

    function _withinBound(
        address adapter,
        AdapterConfig storage config,
        uint256 amount
    ) private view returns (bool within) {
        (within, ) = quoteExit(adapter, config, amount);
    }

    /// @notice What an instant exit of `amount` from `adapter` costs as the adapter quotes it, and whether
    /// that is within `config`'s slippage bound: an adapter that cannot quote has no exit within it. The
    /// plan and the withdrawal walk price an exit alike through this.
    function quoteExit(
        address adapter,
        AdapterConfig storage config,
        uint256 amount
    ) internal view returns (bool within, uint256 cost) {
        bool ok;
        (ok, cost) = ReadLib.tryUint(adapter, IAdapter.withdrawCost.selector, amount);
        within = ok && cost <= AllocationLib.maxValueRemovedDown(amount, config.maxSlippageBps) - amount;
    }

    /// @dev Appends `adapter`'s entry leg if it sits below its band; returns the amount planned.
    function _planEntry(
        address adapter,
        AdapterConfig storage config,
        uint256 stay,
        uint256 target,
        uint256 spendable,
        Context memory ctx,
        Leg[] memory legs
    ) private view returns (uint256 amount) {
        if (config.quarantined) return 0;
        uint256 value = config.value;
        uint256 room;
        bool roomRead;
        if (stay == STAY_UNREAD) {
            // What stays is at most the book value. When even the book value sits below the band and its
            // shortfall is at least the room, the entry is the room whatever is in flight: not asked.
            if (value + ctx.band < target) {
                (room, roomRead) = (_room(config, value, spendable), true);
                stay = room <= target - value ? value : _stay(adapter, config);
            } else {
                stay = _stay(adapter, config);
            }
        }
        if (stay + ctx.band >= target) return 0;
        if (!roomRead) room = _room(config, value, spendable);

        amount = Math.min(target - stay, room);
        if (!_isMove(amount, ctx.moveFloor)) return 0;
        amount = Math.min(amount, ReadLib.uintOrZero(adapter, IAdapter.maxDeposit.selector));
        (bool ok, uint256 minimum) = ReadLib.tryUint(adapter, IAdapter.minDeposit.selector);
        if (!ok || !_isMove(amount, ctx.moveFloor) || amount < minimum) return 0;

        legs[ctx.legCount++] = Leg(adapter, LegKind.Deposit, amount);
    }

    /// @dev What an entry into an adapter booked at `value` may be at most, whatever its shortfall: what
    /// is spendable, the room under its cap and its rate limit's headroom.
    function _room(AdapterConfig storage config, uint256 value, uint256 spendable) private view returns (uint256) {
        uint256 cap = config.cap;
        uint256 room = Math.min(spendable, cap > value ? cap - value : 0);
        return Math.min(room, RateLimitLib.available(config.rateLimit, block.timestamp));
    }

    /// @dev The quantities of this plan. The queue's pending exits are taken out of the assets before
    /// the buffer and the targets are sized (what stays once it is served), and kept idle on top.
    function _context(PlanInputs memory inputs) private view returns (Context memory ctx) {
        (uint256 demand, bool overdue) = _queue(inputs.redeemQueue);
        uint256 base = inputs.grossAssets > demand ? inputs.grossAssets - demand : 0;
        uint256 baseBuffer = AllocationLib.bufferUp(base, inputs.bufferBps);
        ctx = Context({
            buffer: baseBuffer + demand,
            noEntries: overdue,
            investable: base - baseBuffer,
            band: AllocationLib.band(base, inputs.driftBandBps, inputs.minMove),
            moveFloor: inputs.minMove,
            idleAfterExits: inputs.idle,
            legCount: 0
        });
    }

    /// @dev The queue's pending exits at today's value and whether it is overdue; a queue whose views
    /// fail reads as overdue with no known demand (no entries, nothing sold for it).
    function _queue(address queue) private view returns (uint256 demand, bool overdue) {
        if (queue == address(0)) return (0, false);
        bool ok;
        (ok, demand) = ReadLib.tryUint(queue, IRedeemQueue.pendingAssets.selector);
        if (!ok) return (0, true);
        uint256 flag;
        (ok, flag) = ReadLib.tryUint(queue, IRedeemQueue.overdue.selector);
        overdue = !ok || flag != 0;
    }

    /// @dev The value that stays in `adapter` once its in-flight redemption returns. Adapter views are
    /// read bounded and non-reverting: a failed read counts nothing in flight.
    function _stay(address adapter, AdapterConfig storage config) private view returns (uint256) {
        uint256 value = config.value;
        if (value == 0) return 0; // nothing booked: nothing stays, whatever is in flight
        uint256 leaving = ReadLib.uintOrZero(adapter, IAdapter.pendingRedeem.selector);
        return value > leaving ? value - leaving : 0;
    }

    function _skipped(uint256 skipMask, uint256 index) private pure returns (bool) {
        return (skipMask >> index) & 1 == 1;
    }

    function _isMove(uint256 amount, uint256 moveFloor) private pure returns (bool) {
        return amount != 0 && amount >= moveFloor;
    }
}

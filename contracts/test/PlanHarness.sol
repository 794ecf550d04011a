// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AdapterConfig, Leg, RateLimit} from "../interfaces/IReserveVault.sol";
import {PlanLib} from "../libraries/PlanLib.sol";

/// @dev An adapter whose planning views answer whatever it was last told.
contract StaticAdapter {
    uint256 public pendingRedeem;
    uint256 public maxWithdraw;
    uint256 public maxRequestRedeem;
    uint256 public maxDeposit;
    uint256 public minDeposit;
    /// @dev An instant exit's cost in basis points of the amount, rounded up; `NO_QUOTE` reverts.
    uint256 public exitCostBps;

    uint256 public constant NO_QUOTE = type(uint256).max;

    error NoQuote();

    function set(uint256[6] calldata views) external {
        (pendingRedeem, maxWithdraw, maxRequestRedeem, maxDeposit, minDeposit, exitCostBps) = (
            views[0],
            views[1],
            views[2],
            views[3],
            views[4],
            views[5]
        );
    }

    function withdrawCost(uint256 assets) external view returns (uint256) {
        if (exitCostBps == NO_QUOTE) revert NoQuote();
        return (assets * exitCostBps + 9_999) / 10_000;
    }
}

/// @dev A redemption queue whose planning views answer whatever it was last told.
contract StaticQueue {
    uint256 internal _pendingAssets;
    bool internal _overdue;
    bool internal _broken;

    error Broken();

    function set(uint256 pendingAssets_, bool overdue_, bool broken_) external {
        (_pendingAssets, _overdue, _broken) = (pendingAssets_, overdue_, broken_);
    }

    function pendingAssets() external view returns (uint256) {
        if (_broken) revert Broken();
        return _pendingAssets;
    }

    function overdue() external view returns (bool) {
        if (_broken) revert Broken();
        return _overdue;
    }
}

/// @dev Runs PlanLib on any state in one call (used through eth_call): writes the state, then plans.
contract PlanHarness {
    struct AdapterInput {
        bool quarantined;
        uint16 targetWeightBps;
        uint128 value;
        uint128 cap;
        RateLimit rateLimit;
        uint16 maxSlippageBps;
        /// pendingRedeem, maxWithdraw, maxRequestRedeem, maxDeposit, minDeposit, exitCostBps.
        uint256[6] views;
    }

    address[] internal _adapters;
    mapping(address => AdapterConfig) internal _configs;
    StaticAdapter[] internal _pool;
    StaticQueue internal immutable QUEUE = new StaticQueue();

    /// @dev The redemption queue as the vault passes it: present only while exits are pending.
    struct QueueInput {
        bool pending;
        uint256 pendingAssets;
        bool overdue;
        /// Its views revert.
        bool broken;
    }

    constructor(uint256 poolSize) {
        for (uint256 i; i < poolSize; ++i) _pool.push(new StaticAdapter());
    }

    function planFor(
        PlanLib.PlanInputs memory inputs,
        AdapterInput[] calldata items,
        QueueInput calldata queue
    ) external returns (Leg[] memory legs, uint256 timestamp, address[] memory adapters) {
        QUEUE.set(queue.pendingAssets, queue.overdue, queue.broken);
        inputs.redeemQueue = queue.pending ? address(QUEUE) : address(0);
        delete _adapters;
        for (uint256 i; i < items.length; ++i) {
            StaticAdapter adapter = _pool[i];
            adapter.set(items[i].views);
            AdapterConfig storage config = _configs[address(adapter)];
            config.listed = true;
            config.quarantined = items[i].quarantined;
            config.targetWeightBps = items[i].targetWeightBps;
            config.value = items[i].value;
            config.cap = items[i].cap;
            config.rateLimit = items[i].rateLimit;
            config.maxSlippageBps = items[i].maxSlippageBps;
            _adapters.push(address(adapter));
        }
        return (PlanLib.plan(_adapters, _configs, inputs), block.timestamp, _adapters);
    }
}

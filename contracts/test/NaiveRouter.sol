// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";

/// @dev Benchmark reference: moves given amounts into adapters with no accounting, limits or checks,
/// the bare cost a rebalance cannot go below.
contract NaiveRouter {
    function route(IERC20 asset, address[] calldata adapters, uint256[] calldata amounts) external {
        for (uint256 i; i < adapters.length; ++i) {
            asset.transfer(adapters[i], amounts[i]);
            IAdapter(adapters[i]).deposit(amounts[i]);
        }
    }

    /// @dev The bare move into an ERC-4626 target: approve and deposit, nothing else.
    function deposit4626(IERC20 asset, IERC4626 target, uint256 amount) external {
        asset.approve(address(target), amount);
        target.deposit(amount, address(this));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC7540Like} from "../interfaces/external/IERC7540Like.sol";

/// @notice The benchmark's reference for claiming at an ERC-7540 vault: a contract holding its own requests
/// and claiming them the way an on-chain holder must, reading the claimable amount in the same call (as
/// Spark's controller does: `withdraw(maxWithdraw(self), self, self)`). Never deployed.
contract Bare7540Holder {
    IERC7540Like public immutable TARGET;

    constructor(IERC7540Like target) {
        TARGET = target;
        IERC20(target.asset()).approve(address(target), type(uint256).max);
    }

    function requestDeposit(uint256 assets) external {
        TARGET.requestDeposit(assets, address(this), address(this));
    }

    function requestRedeem(uint256 shares) external {
        TARGET.requestRedeem(shares, address(this), address(this));
    }

    function claimDeposit() external {
        TARGET.mint(TARGET.maxMint(address(this)), address(this), address(this));
    }

    function claimRedeem() external {
        TARGET.withdraw(TARGET.maxWithdraw(address(this)), address(this), address(this));
    }
}

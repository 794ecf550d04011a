// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {MockAdapter} from "./MockAdapter.sol";

/// @dev A hostile adapter for attack tests. Before each mutating call the vault makes on it, it can
/// call back into the vault with a payload the test chooses (bubbling whatever the vault answers),
/// or refuse to work at all. Otherwise it behaves as the MockAdapter it extends, lies and fees included.
contract MaliciousAdapter is MockAdapter {
    using SafeERC20 for IERC20;

    uint8 public constant ON_DEPOSIT = 1;
    uint8 public constant ON_WITHDRAW = 2;
    uint8 public constant ON_REQUEST_REDEEM = 4;
    uint8 public constant ON_SETTLE = 8;
    uint8 public constant ON_WRITE_OFF = 16;

    /// @dev Which vault calls trigger the callback or the refusal.
    uint8 public triggers;
    bytes public payload;
    bool public refuse;

    error Refused();

    constructor(address vault_, address asset_) MockAdapter(vault_, asset_) {}

    function arm(uint8 triggers_, bytes calldata payload_, bool refuse_) external {
        (triggers, payload, refuse) = (triggers_, payload_, refuse_);
    }

    function deposit(uint256 assets) public override {
        _strike(ON_DEPOSIT);
        super.deposit(assets);
    }

    function withdraw(uint256 assets) public override {
        _strike(ON_WITHDRAW);
        super.withdraw(assets);
    }

    function requestRedeem(uint256 assets) public override returns (uint256) {
        _strike(ON_REQUEST_REDEEM);
        return super.requestRedeem(assets);
    }

    function settle() public override returns (uint256) {
        _strike(ON_SETTLE);
        return super.settle();
    }

    function writeOff() public override returns (uint256) {
        _strike(ON_WRITE_OFF);
        return super.writeOff();
    }

    /// @dev Lets the adapter spend what it holds of the vault's asset, e.g. to deposit into the vault itself.
    function approveVault(uint256 amount) external {
        IERC20(asset).forceApprove(vault, amount);
    }

    function _strike(uint8 trigger) private {
        if (triggers & trigger == 0) return;
        if (refuse) revert Refused();
        if (payload.length == 0) return;
        Address.functionCall(vault, payload); // bubbles whatever the vault answers
    }
}

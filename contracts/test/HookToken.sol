// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Attack double: public immutables named like getters, and arbitrary payloads called by design.
// solhint-disable immutable-vars-naming, avoid-low-level-calls

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {MockERC20} from "./MockERC20.sol";

/// @dev Receives the hooks of a HookToken, ERC-777 style: before its tokens leave, after tokens arrive.
interface ITokenHook {
    function beforeSend(address from, address to, uint256 value) external;

    function afterReceive(address from, address to, uint256 value) external;
}

/// @dev A 6-decimal token whose holders may register a hook called on every transfer from and to them,
/// as ERC-777 does through ERC-1820: the shape of token that made reentrancy through transfers famous.
contract HookToken is MockERC20 {
    mapping(address holder => address hook) public hookOf;

    constructor() MockERC20("Hooked USD", "hUSD", 6) {}

    function setHook(address hook) external {
        hookOf[msg.sender] = hook;
    }

    function _update(address from, address to, uint256 value) internal override {
        address before = from == address(0) ? address(0) : hookOf[from];
        if (before != address(0)) ITokenHook(before).beforeSend(from, to, value);
        super._update(from, to, value);
        address afterwards = to == address(0) ? address(0) : hookOf[to];
        if (afterwards != address(0)) ITokenHook(afterwards).afterReceive(from, to, value);
    }
}

/// @dev A vault user whose token hooks call back into the vault with a payload the test chooses.
/// With `swallow` it records the vault's answer and lets the outer call finish; otherwise it bubbles it.
contract HookedHolder is ITokenHook {
    address public immutable vault;
    HookToken public immutable token;

    bytes public payload;
    bool public swallow;
    bool public onSend;
    bool public attempted;
    bool public reentered;
    bytes public answer;

    constructor(address vault_, HookToken token_) {
        vault = vault_;
        token = token_;
        token_.setHook(address(this));
        token_.approve(vault_, type(uint256).max);
    }

    function arm(bytes calldata payload_, bool onSend_, bool swallow_) external {
        (payload, onSend, swallow, attempted) = (payload_, onSend_, swallow_, false);
    }

    /// @dev Calls the vault as this holder (deposit, redeem, approve…).
    function act(bytes calldata data) external returns (bytes memory) {
        return Address.functionCall(vault, data);
    }

    function beforeSend(address, address, uint256) external {
        if (onSend) _strike();
    }

    function afterReceive(address, address, uint256) external {
        if (!onSend) _strike();
    }

    function _strike() private {
        if (msg.sender != address(token) || payload.length == 0 || attempted) return;
        attempted = true;
        if (!swallow) {
            Address.functionCall(vault, payload); // bubbles the vault's refusal
            reentered = true;
            return;
        }
        (bool ok, bytes memory result) = vault.call(payload);
        (reentered, answer) = (ok, result);
    }
}

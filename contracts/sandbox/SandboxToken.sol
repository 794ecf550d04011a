// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title SandboxToken
/// @notice ERC-20 base for the emulated issuers. Name, symbol and decimals live in storage and are set
/// by `_initToken`, so a sandbox contract can be deployed anywhere, have its code copied to a real
/// mainnet address, and be initialised there (a copied contract runs no constructor).
abstract contract SandboxToken is ERC20 {
    string private _tokenName;
    string private _tokenSymbol;
    uint8 private _tokenDecimals;
    bool private _initialized;

    /// @notice The contract was already initialised.
    error AlreadyInitialized();

    constructor() ERC20("", "") {}

    modifier initializer() {
        if (_initialized) revert AlreadyInitialized();
        _initialized = true;
        _;
    }

    function name() public view override returns (string memory) {
        return _tokenName;
    }

    function symbol() public view override returns (string memory) {
        return _tokenSymbol;
    }

    function decimals() public view override returns (uint8) {
        return _tokenDecimals;
    }

    function _initToken(string memory name_, string memory symbol_, uint8 decimals_) internal {
        (_tokenName, _tokenSymbol, _tokenDecimals) = (name_, symbol_, decimals_);
    }
}

/// @title SandboxInit
/// @notice One-shot initialisation for sandbox contracts that are not tokens.
abstract contract SandboxInit {
    bool private _initialized;

    /// @notice The contract was already initialised.
    error AlreadyInitialized();

    modifier initializer() {
        if (_initialized) revert AlreadyInitialized();
        _initialized = true;
        _;
    }
}

/// @title SandboxAuth
/// @notice Ward-based authorisation in the style of Maker (Sky): `rely` / `deny`, with Maker's reason string.
abstract contract SandboxAuth {
    mapping(address => uint256) public wards;

    event Rely(address indexed user);
    event Deny(address indexed user);

    modifier auth() {
        // solhint-disable-next-line gas-custom-errors
        require(wards[msg.sender] == 1, "Auth/not-authorized");
        _;
    }

    function rely(address user) external auth {
        wards[user] = 1;
        emit Rely(user);
    }

    function deny(address user) external auth {
        wards[user] = 0;
        emit Deny(user);
    }
}

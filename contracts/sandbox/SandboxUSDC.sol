// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The emulated issuers revert with the real issuers' own reason strings, so tests and adapters see
// what mainnet would say.
// solhint-disable gas-custom-errors

import {SandboxToken} from "./SandboxToken.sol";

/// @title SandboxUSDC
/// @notice Emulates Circle's FiatToken (USDC): 6 decimals, a master minter configuring minters with
/// allowances, a pauser, and a blacklister. Reverts with FiatToken's own reason strings.
contract SandboxUSDC is SandboxToken {
    address public owner;
    address public masterMinter;
    address public pauser;
    address public blacklister;
    bool public paused;

    mapping(address => bool) internal minters;
    mapping(address => uint256) internal minterAllowed;
    mapping(address => bool) internal blacklisted;

    event Mint(address indexed minter, address indexed to, uint256 amount);
    event Burn(address indexed burner, uint256 amount);
    event MinterConfigured(address indexed minter, uint256 minterAllowedAmount);
    event Blacklisted(address indexed account);
    event UnBlacklisted(address indexed account);
    event Pause();
    event Unpause();

    /// @param admin Receives every admin role (owner, master minter, pauser, blacklister).
    function initialize(address admin) external initializer {
        _initToken("USD Coin", "USDC", 6);
        (owner, masterMinter, pauser, blacklister) = (admin, admin, admin, admin);
    }

    function configureMinter(address minter, uint256 minterAllowedAmount) external returns (bool) {
        require(msg.sender == masterMinter, "FiatToken: caller is not the masterMinter");
        minters[minter] = true;
        minterAllowed[minter] = minterAllowedAmount;
        emit MinterConfigured(minter, minterAllowedAmount);
        return true;
    }

    function isMinter(address account) external view returns (bool) {
        return minters[account];
    }

    function minterAllowance(address minter) external view returns (uint256) {
        return minterAllowed[minter];
    }

    function mint(address to, uint256 amount) external returns (bool) {
        require(minters[msg.sender], "FiatToken: caller is not a minter");
        _requireUsable(msg.sender, to);
        require(to != address(0), "FiatToken: mint to the zero address");
        require(amount > 0, "FiatToken: mint amount not greater than 0");
        require(amount <= minterAllowed[msg.sender], "FiatToken: mint amount exceeds minterAllowance");
        minterAllowed[msg.sender] -= amount;
        _mint(to, amount);
        emit Mint(msg.sender, to, amount);
        return true;
    }

    function burn(uint256 amount) external {
        require(minters[msg.sender], "FiatToken: caller is not a minter");
        _requireUsable(msg.sender, msg.sender);
        _burn(msg.sender, amount);
        emit Burn(msg.sender, amount);
    }

    function pause() external {
        require(msg.sender == pauser, "Pausable: caller is not the pauser");
        paused = true;
        emit Pause();
    }

    function unpause() external {
        require(msg.sender == pauser, "Pausable: caller is not the pauser");
        paused = false;
        emit Unpause();
    }

    function blacklist(address account) external {
        require(msg.sender == blacklister, "Blacklistable: caller is not the blacklister");
        blacklisted[account] = true;
        emit Blacklisted(account);
    }

    function unBlacklist(address account) external {
        require(msg.sender == blacklister, "Blacklistable: caller is not the blacklister");
        blacklisted[account] = false;
        emit UnBlacklisted(account);
    }

    function isBlacklisted(address account) external view returns (bool) {
        return blacklisted[account];
    }

    function approve(address spender, uint256 value) public override returns (bool) {
        _requireUsable(msg.sender, spender);
        return super.approve(spender, value);
    }

    function _update(address from, address to, uint256 value) internal override {
        // Mint and burn check their own parties above; transfers check sender, recipient and caller.
        if (from != address(0) && to != address(0)) {
            require(!paused, "Pausable: paused");
            require(!blacklisted[msg.sender], "Blacklistable: account is blacklisted");
            require(!blacklisted[from] && !blacklisted[to], "Blacklistable: account is blacklisted");
        }
        super._update(from, to, value);
    }

    function _requireUsable(address a, address b) private view {
        require(!paused, "Pausable: paused");
        require(!blacklisted[a] && !blacklisted[b], "Blacklistable: account is blacklisted");
    }
}

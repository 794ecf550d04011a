// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The emulated issuers revert with the real issuers' own reason strings, so tests and adapters see
// what mainnet would say.
// solhint-disable gas-custom-errors

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SandboxInit, SandboxToken} from "./SandboxToken.sol";

/// @title SandboxDSRegistry
/// @notice Emulates Securitize's registry service: investors registered by id, wallets attached to
/// investors. Only registered wallets may hold DS tokens.
contract SandboxDSRegistry is SandboxInit {
    address public owner;
    mapping(string => bool) internal investors;
    mapping(address => string) internal walletInvestor;

    event DSRegistryServiceInvestorAdded(string investorId, address sender);
    event DSRegistryServiceWalletAdded(address wallet, string investorId, address sender);
    event DSRegistryServiceWalletRemoved(address wallet, string investorId, address sender);

    function initialize(address owner_) external initializer {
        owner = owner_;
    }

    function registerInvestor(string calldata id, string calldata collisionHash) external returns (bool) {
        _onlyExchangeOrAbove();
        require(bytes(id).length > 0 && bytes(collisionHash).length > 0, "Invalid investor id");
        require(!investors[id], "Investor already exists");
        investors[id] = true;
        emit DSRegistryServiceInvestorAdded(id, msg.sender);
        return true;
    }

    function addWallet(address wallet, string calldata id) external returns (bool) {
        _onlyExchangeOrAbove();
        require(investors[id], "Unknown investor");
        require(!isWallet(wallet), "Wallet already exists");
        walletInvestor[wallet] = id;
        emit DSRegistryServiceWalletAdded(wallet, id, msg.sender);
        return true;
    }

    function removeWallet(address wallet, string calldata id) external returns (bool) {
        _onlyExchangeOrAbove();
        require(keccak256(bytes(walletInvestor[wallet])) == keccak256(bytes(id)), "Unknown wallet");
        delete walletInvestor[wallet];
        emit DSRegistryServiceWalletRemoved(wallet, id, msg.sender);
        return true;
    }

    function isInvestor(string calldata id) external view returns (bool) {
        return investors[id];
    }

    function isWallet(address wallet) public view returns (bool) {
        return bytes(walletInvestor[wallet]).length > 0;
    }

    function getInvestor(address wallet) external view returns (string memory) {
        return walletInvestor[wallet];
    }

    function _onlyExchangeOrAbove() private view {
        require(msg.sender == owner, "Insufficient trust level");
    }
}

/// @title SandboxDSToken
/// @notice Emulates a Securitize DS token (BUIDL, BUIDL-I): 6 decimals, $1 per token, supply only by
/// issuance from the issuer, transfers only between registered wallets, and a lock-up on tokens issued
/// less than `lockPeriod` ago. Every issuance is a record the transfer check walks, as the real
/// compliance service does — which is why dust issuances can make transfers run out of gas.
/// @dev The DS protocol's service registry (`getDSService`) names the compliance configuration service,
/// where the lock-ups live (`getUSLockPeriod`, `getNonUSLockPeriod`); here the token plays that service
/// itself. Holders' regions are not modelled: every holder is held to the non-US lock-up.
contract SandboxDSToken is SandboxToken {
    struct Issuance {
        uint256 value;
        uint256 issuedAt;
    }

    address public issuer;
    SandboxDSRegistry public registry;
    uint256 public lockPeriod;
    /// @notice Addresses exempt from the registry check (the issuer's own platform wallets).
    mapping(address => bool) public platformWallets;
    mapping(address => Issuance[]) internal issuances;
    /// @notice The lock-up of US investors, beside `lockPeriod` (non-US).
    uint256 public usLockPeriod;
    /// @notice The DS protocol's services by id, as the issuer set them.
    mapping(uint256 serviceId => address) internal services;

    /// @notice The DS protocol's service id of the compliance configuration service.
    uint256 public constant COMPLIANCE_CONFIGURATION_SERVICE = 256;
    uint256 public constant COMPLIANCE_SERVICE = 8;
    uint256 public constant REGISTRY_SERVICE = 4;

    event Issue(address indexed to, uint256 value, uint256 valueLocked);
    event Burn(address indexed burner, uint256 value, string reason);

    function initialize(
        string calldata name_,
        string calldata symbol_,
        address issuer_,
        SandboxDSRegistry registry_
    ) external initializer {
        _initToken(name_, symbol_, 6);
        (issuer, registry, lockPeriod, usLockPeriod) = (issuer_, registry_, 1 days, 1 days);
        services[COMPLIANCE_CONFIGURATION_SERVICE] = address(this);
        services[COMPLIANCE_SERVICE] = address(this);
        services[REGISTRY_SERVICE] = address(registry_);
    }

    /// @notice The contract serving `serviceId` (the compliance configuration is this token).
    function getDSService(uint256 serviceId) external view returns (address) {
        return services[serviceId];
    }

    function setDSService(uint256 serviceId, address service) external returns (bool) {
        _onlyIssuer();
        services[serviceId] = service;
        return true;
    }

    /* COMPLIANCE SERVICE */

    /// @notice What of `who`'s tokens may move at `time` under a lock-up of `lockTime`: its balance less
    /// what was issued to it within `lockTime` before `time`.
    function getComplianceTransferableTokens(
        address who,
        uint256 time,
        uint64 lockTime
    ) external view returns (uint256) {
        require(time != 0, "Time must be greater than zero");
        Issuance[] storage records = issuances[who];
        uint256 locked;
        for (uint256 i; i < records.length; ++i) {
            if (time < records[i].issuedAt + lockTime) locked += records[i].value;
        }
        uint256 balance = balanceOf(who);
        return balance > locked ? balance - locked : 0;
    }

    /* COMPLIANCE CONFIGURATION (the lock-ups) */

    function getNonUSLockPeriod() external view returns (uint256) {
        return lockPeriod;
    }

    function getUSLockPeriod() external view returns (uint256) {
        return usLockPeriod;
    }

    function setNonUSLockPeriod(uint256 value) external {
        _onlyIssuer();
        lockPeriod = value;
    }

    function setUSLockPeriod(uint256 value) external {
        _onlyIssuer();
        usLockPeriod = value;
    }

    function setPlatformWallet(address wallet, bool isPlatform) external {
        _onlyIssuer();
        platformWallets[wallet] = isPlatform;
    }

    /// @notice Issues `value` new tokens to a registered wallet (subscriptions and monthly dividends).
    function issueTokens(address to, uint256 value) external returns (bool) {
        _onlyIssuer();
        require(value > 0, "Value is zero");
        _requireWallet(to);
        issuances[to].push(Issuance(value, block.timestamp));
        _mint(to, value);
        emit Issue(to, value, 0);
        return true;
    }

    /// @notice Burns tokens the issuer took back, e.g. after an off-chain redemption.
    function burn(address who, uint256 value, string calldata reason) external {
        _onlyIssuer();
        _burn(who, value);
        emit Burn(who, value, reason);
    }

    function issuancesCount(address holder) external view returns (uint256) {
        return issuances[holder].length;
    }

    /// @notice Tokens of `holder` issued less than `lockPeriod` ago, which cannot move yet. Lock-ups bind
    /// investors: a platform wallet (Securitize's own or a partner's contract) holds none.
    function lockedBalance(address holder) public view returns (uint256 locked) {
        if (platformWallets[holder]) return 0;
        Issuance[] storage records = issuances[holder];
        for (uint256 i; i < records.length; ++i) {
            if (block.timestamp < records[i].issuedAt + lockPeriod) locked += records[i].value;
        }
    }

    /// @notice What `holder` may transfer now.
    function getTransferableTokens(address holder, uint256) external view returns (uint256) {
        uint256 balance = balanceOf(holder);
        uint256 locked = lockedBalance(holder);
        return balance > locked ? balance - locked : 0;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            _requireWallet(from);
            _requireWallet(to);
            uint256 balance = balanceOf(from);
            uint256 locked = lockedBalance(from);
            require(balance >= value && balance - locked >= value, "Under lock-up");
        }
        super._update(from, to, value);
    }

    function _requireWallet(address wallet) private view {
        require(platformWallets[wallet] || registry.isWallet(wallet), "Wallet not in registry service");
    }

    function _onlyIssuer() private view {
        require(msg.sender == issuer, "Insufficient trust level");
    }
}

/// @title SandboxBuidlRedemption
/// @notice Emulates Circle's instant-redemption facility for BUIDL: takes BUIDL and pays the same
/// amount of USDC at once, from the liquidity it holds (finite). It is its own liquidity source.
contract SandboxBuidlRedemption is SandboxInit {
    using SafeERC20 for IERC20;

    address public owner;
    IERC20 public asset;
    IERC20 public usdc;

    event Redemption(address indexed redeemer, uint256 amount);

    error InsufficientLiquidity(uint256 requested, uint256 available);

    function initialize(address owner_, IERC20 buidl, IERC20 usdc_) external initializer {
        (owner, asset, usdc) = (owner_, buidl, usdc_);
    }

    /// @notice The contract the USDC comes from; here the facility itself.
    function liquidity() external view returns (address) {
        return address(this);
    }

    function availableLiquidity() public view returns (uint256) {
        return usdc.balanceOf(address(this));
    }

    /// @notice Redeems `amount` BUIDL of the caller for `amount` USDC.
    function redeem(uint256 amount) external {
        uint256 available = availableLiquidity();
        if (amount > available) revert InsufficientLiquidity(amount, available);
        asset.safeTransferFrom(msg.sender, address(this), amount);
        usdc.safeTransfer(msg.sender, amount);
        emit Redemption(msg.sender, amount);
    }
}

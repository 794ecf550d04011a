// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The emulated issuers revert with the real issuers' own reason strings, so tests and adapters see
// what mainnet would say.
// solhint-disable gas-custom-errors

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {InvestmentState} from "../interfaces/external/IERC7540Like.sol";
import {SandboxInit, SandboxToken} from "./SandboxToken.sol";

/// @notice Ward-based authorisation in the style of Centrifuge (and Maker): `rely` / `deny`.
abstract contract SandboxAuth {
    mapping(address => uint256) public wards;

    event Rely(address indexed user);
    event Deny(address indexed user);

    modifier auth() {
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

/// @title SandboxRestrictionManager
/// @notice Emulates Centrifuge's restriction manager: members per token with an expiry.
contract SandboxRestrictionManager is SandboxInit, SandboxAuth {
    struct Member {
        uint64 validUntil;
        bool frozen;
    }

    mapping(address token => mapping(address user => Member)) internal members;
    /// @notice Contracts of the protocol itself (the escrow) that may always hold shares.
    mapping(address => bool) public endorsed;

    event UpdateMember(address indexed token, address indexed user, uint64 validUntil);

    function initialize(address root) external initializer {
        wards[root] = 1;
    }

    function updateMember(address token, address user, uint64 validUntil) external auth {
        require(block.timestamp <= validUntil, "RestrictionManager/invalid-valid-until");
        members[token][user].validUntil = validUntil;
        emit UpdateMember(token, user, validUntil);
    }

    function freeze(address token, address user) external auth {
        members[token][user].frozen = true;
    }

    function unfreeze(address token, address user) external auth {
        members[token][user].frozen = false;
    }

    function endorse(address user) external auth {
        endorsed[user] = true;
    }

    function isMember(address token, address user) public view returns (bool isValid, uint64 validUntil) {
        validUntil = members[token][user].validUntil;
        isValid = endorsed[user] || validUntil >= block.timestamp;
    }

    function isFrozen(address token, address user) public view returns (bool) {
        return members[token][user].frozen;
    }

    /// @notice Whether `from` may send to `to`: the sender not frozen, the receiver a valid member.
    function checkTransferRestriction(address from, address to, uint256) external view returns (bool) {
        if (from != address(0) && isFrozen(msg.sender, from)) return false;
        if (to == address(0)) return true;
        (bool isValid, ) = isMember(msg.sender, to);
        return isValid;
    }
}

/// @title SandboxTrancheToken
/// @notice Emulates a Centrifuge tranche token (JTRSY): 6 decimals, minted and burnt by wards, every
/// transfer checked by the restriction manager.
contract SandboxTrancheToken is SandboxToken, SandboxAuth {
    SandboxRestrictionManager public restrictionManager;

    function initialize(
        string calldata name_,
        string calldata symbol_,
        address root,
        SandboxRestrictionManager restrictionManager_
    ) external initializer {
        _initToken(name_, symbol_, 6);
        wards[root] = 1;
        restrictionManager = restrictionManager_;
    }

    function mint(address to, uint256 value) external auth {
        _mint(to, value);
    }

    function burn(address from, uint256 value) external auth {
        _burn(from, value);
    }

    /// @notice Moves shares on behalf of the protocol (requests and claims), restrictions applied.
    function authTransferFrom(address from, address to, uint256 value) external auth returns (bool) {
        _transfer(from, to, value);
        return true;
    }

    function _update(address from, address to, uint256 value) internal override {
        require(restrictionManager.checkTransferRestriction(from, to, value), "RestrictionManager/transfer-blocked");
        super._update(from, to, value);
    }

    function checkTransferRestriction(address from, address to, uint256 value) external view returns (bool) {
        return restrictionManager.checkTransferRestriction(from, to, value);
    }
}

/// @title SandboxEscrow
/// @notice Holds request assets and unclaimed shares; wards may approve spenders.
contract SandboxEscrow is SandboxInit, SandboxAuth {
    function initialize(address root) external initializer {
        wards[root] = 1;
    }

    function approveMax(address token, address spender) external auth {
        IERC20(token).approve(spender, type(uint256).max);
    }
}

/// @title SandboxPoolManager
/// @notice Emulates the v2 pool manager's tranche price feed and vault registry.
contract SandboxPoolManager is SandboxInit, SandboxAuth {
    struct TranchePrice {
        uint128 price;
        uint64 computedAt;
    }

    mapping(uint64 => mapping(bytes16 => mapping(uint128 => TranchePrice))) internal prices;
    mapping(uint64 => mapping(bytes16 => mapping(uint128 => address))) internal vaults;
    mapping(address => uint128) public assetToId;

    event PriceUpdate(
        uint64 indexed poolId,
        bytes16 indexed trancheId,
        uint128 indexed assetId,
        uint256 price,
        uint64 computedAt
    );

    function initialize(address root) external initializer {
        wards[root] = 1;
    }

    function registerVault(
        uint64 poolId,
        bytes16 trancheId,
        uint128 assetId,
        address asset,
        address vault
    ) external auth {
        vaults[poolId][trancheId][assetId] = vault;
        assetToId[asset] = assetId;
    }

    /// @notice Sets the tranche price in the asset (18 decimals) as computed at `computedAt`.
    function updateTranchePrice(
        uint64 poolId,
        bytes16 trancheId,
        uint128 assetId,
        uint128 price,
        uint64 computedAt
    ) external auth {
        TranchePrice storage current = prices[poolId][trancheId][assetId];
        require(computedAt >= current.computedAt, "PoolManager/cannot-set-older-price");
        (current.price, current.computedAt) = (price, computedAt);
        emit PriceUpdate(poolId, trancheId, assetId, price, computedAt);
    }

    function getTranchePrice(
        uint64 poolId,
        bytes16 trancheId,
        address asset
    ) external view returns (uint128 price, uint64 computedAt) {
        TranchePrice memory p = prices[poolId][trancheId][assetToId[asset]];
        return (p.price, p.computedAt);
    }

    function getVault(uint64 poolId, bytes16 trancheId, uint128 assetId) external view returns (address) {
        return vaults[poolId][trancheId][assetId];
    }
}

/// @title SandboxInvestmentManager
/// @notice Emulates the v2 investment manager's issuer side: fulfilments arrive here (in reality from
/// the Centrifuge chain through the gateway) with the real signatures, and are applied to the vault.
contract SandboxInvestmentManager is SandboxInit, SandboxAuth {
    SandboxPoolManager public poolManager;
    address public escrow;

    function initialize(address root, SandboxPoolManager poolManager_, address escrow_) external initializer {
        wards[root] = 1;
        (poolManager, escrow) = (poolManager_, escrow_);
    }

    function fulfillDepositRequest(
        uint64 poolId,
        bytes16 trancheId,
        address user,
        uint128 assetId,
        uint128 assets,
        uint128 shares
    ) external auth {
        _vault(poolId, trancheId, assetId).onDepositFulfilled(user, assets, shares);
    }

    function fulfillRedeemRequest(
        uint64 poolId,
        bytes16 trancheId,
        address user,
        uint128 assetId,
        uint128 assets,
        uint128 shares
    ) external auth {
        _vault(poolId, trancheId, assetId).onRedeemFulfilled(user, assets, shares);
    }

    function fulfillCancelDepositRequest(
        uint64 poolId,
        bytes16 trancheId,
        address user,
        uint128 assetId,
        uint128 assets,
        uint128 fulfillment
    ) external auth {
        _vault(poolId, trancheId, assetId).onCancelDepositFulfilled(user, assets, fulfillment);
    }

    function fulfillCancelRedeemRequest(
        uint64 poolId,
        bytes16 trancheId,
        address user,
        uint128 assetId,
        uint128 shares
    ) external auth {
        _vault(poolId, trancheId, assetId).onCancelRedeemFulfilled(user, shares);
    }

    /// @notice The issuer forces a redemption of `user`'s shares (a lapsed or sanctioned holder): taken
    /// first from its unclaimed deposit fill, the rest from its balance, whatever its membership.
    function triggerRedeemRequest(
        uint64 poolId,
        bytes16 trancheId,
        address user,
        uint128 assetId,
        uint128 shares
    ) external auth {
        require(shares != 0, "InvestmentManager/tranche-token-amount-is-zero");
        _vault(poolId, trancheId, assetId).onRedeemTriggered(user, shares);
    }

    /// @notice `user`'s raw state at `vault`, as the real investment manager's public mapping shows it:
    /// unclaimed fills included whatever the user's membership.
    function investments(address vault, address user) external view returns (InvestmentState memory state) {
        SandboxERC7540Vault.Investment memory inv = SandboxERC7540Vault(vault).investmentOf(user);
        (state.maxMint, state.maxWithdraw) = (inv.claimableDepositShares, inv.claimableRedeemAssets);
        if (inv.claimableDepositShares != 0) {
            state.depositPrice = Math.mulDiv(inv.claimableDepositAssets, 1e18, inv.claimableDepositShares);
        }
        if (inv.claimableRedeemShares != 0) {
            state.redeemPrice = Math.mulDiv(inv.claimableRedeemAssets, 1e18, inv.claimableRedeemShares);
        }
        (state.pendingDepositRequest, state.pendingRedeemRequest) = (inv.pendingDeposit, inv.pendingRedeem);
        (state.claimableCancelDepositRequest, state.claimableCancelRedeemRequest) = (
            inv.claimableCancelDepositAssets,
            inv.claimableCancelRedeemShares
        );
        (state.pendingCancelDepositRequest, state.pendingCancelRedeemRequest) = (
            inv.pendingCancelDeposit,
            inv.pendingCancelRedeem
        );
    }

    function _vault(
        uint64 poolId,
        bytes16 trancheId,
        uint128 assetId
    ) private view returns (SandboxERC7540Vault vault) {
        vault = SandboxERC7540Vault(poolManager.getVault(poolId, trancheId, assetId));
        require(address(vault) != address(0), "InvestmentManager/unknown-vault");
    }
}

/// @title SandboxERC7540Vault
/// @notice Emulates a Centrifuge v2 vault: ERC-7540 async deposits and redemptions (request id 0),
/// ERC-7887 cancellations, operators, custody in the escrow from the moment of the request, claims
/// with `mint(maxMint)` and `withdraw(maxWithdraw)`, membership checked on request and claim, and
/// `preview*` reverting.
contract SandboxERC7540Vault is SandboxInit {
    using SafeERC20 for IERC20;

    struct Investment {
        uint128 pendingDeposit;
        uint128 claimableDepositAssets;
        uint128 claimableDepositShares;
        uint128 pendingRedeem;
        uint128 claimableRedeemAssets;
        uint128 claimableRedeemShares;
        uint128 claimableCancelDepositAssets;
        uint128 claimableCancelRedeemShares;
        bool pendingCancelDeposit;
        bool pendingCancelRedeem;
    }

    uint256 internal constant PRICE_UNIT = 1e18;

    uint64 public poolId;
    bytes16 public trancheId;
    address public asset;
    SandboxTrancheToken public share;
    address public manager;
    address public escrow;
    SandboxPoolManager public poolManager;
    mapping(address controller => Investment) internal investments;
    mapping(address controller => mapping(address operator => bool)) public isOperator;

    event DepositRequest(
        address indexed controller,
        address indexed owner,
        uint256 indexed requestId,
        address sender,
        uint256 assets
    );
    event RedeemRequest(
        address indexed controller,
        address indexed owner,
        uint256 indexed requestId,
        address sender,
        uint256 shares
    );
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );
    event DepositClaimable(address indexed controller, uint256 indexed requestId, uint256 assets, uint256 shares);
    event RedeemClaimable(address indexed controller, uint256 indexed requestId, uint256 assets, uint256 shares);
    event CancelDepositRequest(address indexed controller, uint256 indexed requestId, address sender);
    event CancelDepositClaimable(address indexed controller, uint256 indexed requestId, uint256 assets);
    event CancelDepositClaim(
        address indexed receiver,
        address indexed controller,
        uint256 indexed requestId,
        address sender,
        uint256 assets
    );
    event CancelRedeemRequest(address indexed controller, uint256 indexed requestId, address sender);
    event CancelRedeemClaimable(address indexed controller, uint256 indexed requestId, uint256 shares);
    event CancelRedeemClaim(
        address indexed receiver,
        address indexed controller,
        uint256 indexed requestId,
        address sender,
        uint256 shares
    );

    function initialize(
        uint64 poolId_,
        bytes16 trancheId_,
        address asset_,
        SandboxTrancheToken share_,
        address manager_,
        address escrow_,
        SandboxPoolManager poolManager_
    ) external initializer {
        (poolId, trancheId, asset, share, manager, escrow, poolManager) = (
            poolId_,
            trancheId_,
            asset_,
            share_,
            manager_,
            escrow_,
            poolManager_
        );
    }

    modifier onlyManager() {
        require(msg.sender == manager, "ERC7540Vault/not-the-manager");
        _;
    }

    /* OPERATORS */

    function setOperator(address operator, bool approved) external returns (bool) {
        require(msg.sender != operator, "ERC7540Vault/cannot-set-self-as-operator");
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    /* DEPOSITS */

    function requestDeposit(uint256 assets, address controller, address owner) external returns (uint256) {
        require(owner == msg.sender || isOperator[owner][msg.sender], "ERC7540Vault/invalid-owner");
        require(assets != 0, "InvestmentManager/zero-amount-not-allowed");
        require(share.checkTransferRestriction(address(0), controller, 0), "InvestmentManager/transfer-not-allowed");
        Investment storage inv = investments[controller];
        require(!inv.pendingCancelDeposit, "InvestmentManager/cancellation-is-pending");
        IERC20(asset).safeTransferFrom(owner, escrow, assets);
        inv.pendingDeposit += uint128(assets);
        emit DepositRequest(controller, owner, 0, msg.sender, assets);
        return 0;
    }

    function pendingDepositRequest(uint256, address controller) external view returns (uint256) {
        return investments[controller].pendingDeposit;
    }

    /// @dev As the real investment manager: the claimable shares at the fulfilments' average price,
    /// rounded down, and zero while the controller may not receive shares (membership lapsed).
    function claimableDepositRequest(uint256, address controller) public view returns (uint256) {
        if (!_mayReceive(controller)) return 0;
        Investment storage inv = investments[controller];
        uint256 shares = inv.claimableDepositShares;
        if (shares == 0) return 0;
        uint256 price = Math.mulDiv(inv.claimableDepositAssets, PRICE_UNIT, shares);
        return Math.mulDiv(shares, price, PRICE_UNIT);
    }

    function maxDeposit(address controller) external view returns (uint256) {
        return claimableDepositRequest(0, controller);
    }

    /// @dev Zero while the controller may not receive shares, as on the real investment manager.
    function maxMint(address controller) external view returns (uint256) {
        return _mayReceive(controller) ? investments[controller].claimableDepositShares : 0;
    }

    function deposit(uint256 assets, address receiver, address controller) public returns (uint256 shares) {
        _validateController(controller);
        Investment storage inv = investments[controller];
        require(assets != 0 && assets <= inv.claimableDepositAssets, "InvestmentManager/exceeds-max-deposit");
        shares = Math.mulDiv(assets, inv.claimableDepositShares, inv.claimableDepositAssets);
        _claimDeposit(inv, controller, receiver, assets, shares);
    }

    function deposit(uint256 assets, address receiver) external returns (uint256) {
        return deposit(assets, receiver, msg.sender);
    }

    function mint(uint256 shares, address receiver, address controller) public returns (uint256 assets) {
        _validateController(controller);
        Investment storage inv = investments[controller];
        require(shares != 0 && shares <= inv.claimableDepositShares, "InvestmentManager/exceeds-max-mint");
        assets = Math.mulDiv(shares, inv.claimableDepositAssets, inv.claimableDepositShares, Math.Rounding.Ceil);
        _claimDeposit(inv, controller, receiver, assets, shares);
    }

    function mint(uint256 shares, address receiver) external returns (uint256) {
        return mint(shares, receiver, msg.sender);
    }

    /* REDEMPTIONS */

    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256) {
        require(owner == msg.sender || isOperator[owner][msg.sender], "ERC7540Vault/invalid-owner");
        require(shares != 0, "InvestmentManager/zero-amount-not-allowed");
        Investment storage inv = investments[controller];
        require(!inv.pendingCancelRedeem, "InvestmentManager/cancellation-is-pending");
        share.authTransferFrom(owner, escrow, shares);
        inv.pendingRedeem += uint128(shares);
        emit RedeemRequest(controller, owner, 0, msg.sender, shares);
        return 0;
    }

    function pendingRedeemRequest(uint256, address controller) external view returns (uint256) {
        return investments[controller].pendingRedeem;
    }

    function claimableRedeemRequest(uint256, address controller) external view returns (uint256) {
        return investments[controller].claimableRedeemShares;
    }

    function maxWithdraw(address controller) external view returns (uint256) {
        return investments[controller].claimableRedeemAssets;
    }

    function maxRedeem(address controller) external view returns (uint256) {
        return investments[controller].claimableRedeemShares;
    }

    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares) {
        _validateController(controller);
        Investment storage inv = investments[controller];
        require(assets != 0 && assets <= inv.claimableRedeemAssets, "InvestmentManager/exceeds-max-withdraw");
        shares = Math.mulDiv(assets, inv.claimableRedeemShares, inv.claimableRedeemAssets, Math.Rounding.Ceil);
        _claimRedeem(inv, controller, receiver, assets, shares);
    }

    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets) {
        _validateController(controller);
        Investment storage inv = investments[controller];
        require(shares != 0 && shares <= inv.claimableRedeemShares, "InvestmentManager/exceeds-max-redeem");
        assets = Math.mulDiv(shares, inv.claimableRedeemAssets, inv.claimableRedeemShares);
        _claimRedeem(inv, controller, receiver, assets, shares);
    }

    /* ERC-7887 CANCELLATION */

    function cancelDepositRequest(uint256, address controller) external {
        _validateController(controller);
        Investment storage inv = investments[controller];
        require(inv.pendingDeposit > 0, "InvestmentManager/no-pending-deposit-request");
        require(!inv.pendingCancelDeposit, "InvestmentManager/cancellation-is-pending");
        inv.pendingCancelDeposit = true;
        emit CancelDepositRequest(controller, 0, msg.sender);
    }

    function pendingCancelDepositRequest(uint256, address controller) external view returns (bool) {
        return investments[controller].pendingCancelDeposit;
    }

    function claimableCancelDepositRequest(uint256, address controller) external view returns (uint256) {
        return investments[controller].claimableCancelDepositAssets;
    }

    function claimCancelDepositRequest(
        uint256,
        address receiver,
        address controller
    ) external returns (uint256 assets) {
        _validateController(controller);
        Investment storage inv = investments[controller];
        assets = inv.claimableCancelDepositAssets;
        inv.claimableCancelDepositAssets = 0;
        IERC20(asset).safeTransferFrom(escrow, receiver, assets);
        emit CancelDepositClaim(receiver, controller, 0, msg.sender, assets);
    }

    function cancelRedeemRequest(uint256, address controller) external {
        _validateController(controller);
        Investment storage inv = investments[controller];
        require(inv.pendingRedeem > 0, "InvestmentManager/no-pending-redeem-request");
        require(!inv.pendingCancelRedeem, "InvestmentManager/cancellation-is-pending");
        inv.pendingCancelRedeem = true;
        emit CancelRedeemRequest(controller, 0, msg.sender);
    }

    function pendingCancelRedeemRequest(uint256, address controller) external view returns (bool) {
        return investments[controller].pendingCancelRedeem;
    }

    function claimableCancelRedeemRequest(uint256, address controller) external view returns (uint256) {
        return investments[controller].claimableCancelRedeemShares;
    }

    function claimCancelRedeemRequest(uint256, address receiver, address controller) external returns (uint256 shares) {
        _validateController(controller);
        Investment storage inv = investments[controller];
        shares = inv.claimableCancelRedeemShares;
        inv.claimableCancelRedeemShares = 0;
        share.authTransferFrom(escrow, receiver, shares);
        emit CancelRedeemClaim(receiver, controller, 0, msg.sender, shares);
    }

    /* PRICE */

    function pricePerShare() external view returns (uint256) {
        return convertToAssets(10 ** share.decimals());
    }

    function priceLastUpdated() public view returns (uint64 computedAt) {
        (, computedAt) = poolManager.getTranchePrice(poolId, trancheId, asset);
    }

    function convertToShares(uint256 assets) public view returns (uint256) {
        return Math.mulDiv(assets, PRICE_UNIT, _price());
    }

    function convertToAssets(uint256 shares) public view returns (uint256) {
        return Math.mulDiv(shares, _price(), PRICE_UNIT);
    }

    function totalAssets() external view returns (uint256) {
        return convertToAssets(share.totalSupply());
    }

    function previewDeposit(uint256) external pure returns (uint256) {
        revert();
    }

    function previewMint(uint256) external pure returns (uint256) {
        revert();
    }

    function previewWithdraw(uint256) external pure returns (uint256) {
        revert();
    }

    function previewRedeem(uint256) external pure returns (uint256) {
        revert();
    }

    /* ISSUER SIDE, through the investment manager */

    function onDepositFulfilled(address controller, uint128 assets, uint128 shares) external onlyManager {
        Investment storage inv = investments[controller];
        require(assets <= inv.pendingDeposit, "InvestmentManager/exceeds-pending-deposit");
        inv.pendingDeposit -= assets;
        inv.claimableDepositAssets += assets;
        inv.claimableDepositShares += shares;
        if (inv.pendingDeposit == 0) inv.pendingCancelDeposit = false;
        share.mint(escrow, shares);
        emit DepositClaimable(controller, 0, assets, shares);
    }

    function onRedeemFulfilled(address controller, uint128 assets, uint128 shares) external onlyManager {
        Investment storage inv = investments[controller];
        require(shares <= inv.pendingRedeem, "InvestmentManager/exceeds-pending-redeem");
        inv.pendingRedeem -= shares;
        inv.claimableRedeemAssets += assets;
        inv.claimableRedeemShares += shares;
        if (inv.pendingRedeem == 0) inv.pendingCancelRedeem = false;
        share.burn(escrow, shares);
        emit RedeemClaimable(controller, 0, assets, shares);
    }

    /// @dev As the real investment manager: the unclaimed fill covers the forced redemption first (its
    /// shares are already in the escrow), the balance the rest; no membership is asked.
    function onRedeemTriggered(address controller, uint128 shares) external onlyManager {
        Investment storage inv = investments[controller];
        uint128 fromFill = shares < inv.claimableDepositShares ? shares : inv.claimableDepositShares;
        if (fromFill != 0) {
            inv.claimableDepositAssets -= uint128(
                Math.mulDiv(inv.claimableDepositAssets, fromFill, inv.claimableDepositShares)
            );
            inv.claimableDepositShares -= fromFill;
        }
        inv.pendingRedeem += shares;
        if (shares > fromFill) share.authTransferFrom(controller, escrow, shares - fromFill);
        emit RedeemRequest(controller, controller, 0, msg.sender, shares);
    }

    /// @notice The raw state of `controller`'s requests (what the investment manager's mapping shows).
    function investmentOf(address controller) external view returns (Investment memory) {
        return investments[controller];
    }

    function onCancelDepositFulfilled(address controller, uint128 assets, uint128 fulfillment) external onlyManager {
        Investment storage inv = investments[controller];
        require(inv.pendingCancelDeposit, "InvestmentManager/no-pending-cancel-deposit-request");
        require(fulfillment <= inv.pendingDeposit, "InvestmentManager/exceeds-pending-deposit");
        inv.pendingDeposit -= fulfillment;
        inv.claimableCancelDepositAssets += assets;
        inv.pendingCancelDeposit = false;
        emit CancelDepositClaimable(controller, 0, assets);
    }

    function onCancelRedeemFulfilled(address controller, uint128 shares) external onlyManager {
        Investment storage inv = investments[controller];
        require(inv.pendingCancelRedeem, "InvestmentManager/no-pending-cancel-redeem-request");
        require(shares <= inv.pendingRedeem, "InvestmentManager/exceeds-pending-redeem");
        inv.pendingRedeem -= shares;
        inv.claimableCancelRedeemShares += shares;
        inv.pendingCancelRedeem = false;
        emit CancelRedeemClaimable(controller, 0, shares);
    }

    /* INTERNAL */

    function _claimDeposit(
        Investment storage inv,
        address controller,
        address receiver,
        uint256 assets,
        uint256 shares
    ) private {
        inv.claimableDepositAssets -= uint128(Math.min(assets, inv.claimableDepositAssets));
        inv.claimableDepositShares -= uint128(shares);
        share.authTransferFrom(escrow, receiver, shares);
        emit Deposit(receiver, controller, assets, shares);
    }

    function _claimRedeem(
        Investment storage inv,
        address controller,
        address receiver,
        uint256 assets,
        uint256 shares
    ) private {
        inv.claimableRedeemAssets -= uint128(assets);
        inv.claimableRedeemShares -= uint128(Math.min(shares, inv.claimableRedeemShares));
        IERC20(asset).safeTransferFrom(escrow, receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    function _mayReceive(address controller) private view returns (bool) {
        return share.checkTransferRestriction(escrow, controller, 0);
    }

    function _validateController(address controller) private view {
        require(controller == msg.sender || isOperator[controller][msg.sender], "ERC7540Vault/invalid-controller");
    }

    function _price() private view returns (uint256 price) {
        (price, ) = poolManager.getTranchePrice(poolId, trancheId, asset);
        require(price != 0, "PoolManager/unknown-price");
    }
}

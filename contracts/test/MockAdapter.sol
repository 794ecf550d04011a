// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Test double: public immutables named after the interface getters, and many knobs.
// solhint-disable immutable-vars-naming, max-states-count

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {MockERC20} from "./MockERC20.sol";

/// @dev Test adapter that can be told to be sync or async, liquid or not, honest or lying. It keeps
/// the asset itself (a MockERC20, minted and burnt to model gains, losses and fees); the numbers it
/// reports are its bookkeeping plus whatever lie it is told to tell.
contract MockAdapter is IAdapter {
    using SafeERC20 for IERC20;

    address public immutable vault;
    address public immutable asset;

    uint256 public holdings;
    uint256 public pendingDepositAssets;
    uint256 public claimableDepositAssets;
    uint256 public pendingRedeemAssets;
    uint256 public claimableRedeemAssets;

    bool public asyncDeposit;
    bool public asyncRedeem;
    /// @dev The issuer refuses every claim: `settle` does nothing, whatever is claimable.
    bool public claimsRefused;
    uint256 public liquidity = type(uint256).max;
    uint256 public depositLimit = type(uint256).max;
    uint256 public minDepositAssets;

    int256 public valueBias;
    bool public revertValuation;
    uint256 public navTimestamp;
    uint256 public entryFeeBps;
    uint256 public exitFeeBps;
    uint256 public shortDeliveryBps;
    /// @dev The exit quote omits the fee: the views promise an exit cheaper than it is.
    bool public underquotes;
    /// @dev `claimable()` reverts: the adapter cannot say what waits at its issuer.
    bool public claimableReverts;
    /// @dev When the open request (either side) was filed.
    uint256 public requestTime;

    error OnlyVault(address caller);
    error DepositOutOfBounds(uint256 assets, uint256 min, uint256 max);
    error WithdrawAboveLiquidity(uint256 assets, uint256 max);
    error RedeemNotAvailable();
    error ValuationBroken();

    constructor(address vault_, address asset_) {
        vault = vault_;
        asset = asset_;
    }

    modifier onlyVault() {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        _;
    }

    /* IAdapter */

    function totalAssets() external view returns (uint256) {
        if (revertValuation) revert ValuationBroken();
        int256 value = int256(holdings + pendingDepositAssets + claimableDepositAssets + pendingRedeem()) + valueBias;
        return value > 0 ? uint256(value) : 0;
    }

    function navUpdatedAt() external view returns (uint256) {
        return navTimestamp == 0 ? block.timestamp : navTimestamp;
    }

    function maxDeposit() external view returns (uint256) {
        return depositLimit;
    }

    function minDeposit() external view returns (uint256) {
        return minDepositAssets;
    }

    function maxWithdraw() public view returns (uint256) {
        // The exit fee comes out of holdings too: the most whose amount plus fee the holdings cover.
        uint256 affordable = (holdings * 10_000) / (10_000 + exitFeeBps);
        return affordable < liquidity ? affordable : liquidity;
    }

    function withdrawCost(uint256 assets) external view returns (uint256) {
        return underquotes ? 0 : (assets * exitFeeBps) / 10_000;
    }

    function maxRequestRedeem() external view returns (uint256) {
        return asyncRedeem && pendingRedeem() == 0 ? holdings : 0;
    }

    function pendingDeposit() external view returns (uint256) {
        return pendingDepositAssets + claimableDepositAssets;
    }

    function pendingRedeem() public view returns (uint256) {
        return pendingRedeemAssets + claimableRedeemAssets;
    }

    function claimable() external view returns (uint256) {
        if (claimableReverts) revert ValuationBroken();
        return claimableDepositAssets + claimableRedeemAssets;
    }

    function requestedAt() external view returns (uint256) {
        return pendingDepositAssets + pendingRedeemAssets != 0 ? requestTime : 0;
    }

    /// @dev The issuer keeps what is pending: its value (and the tokens modelling it) is gone.
    function writeOff() public virtual onlyVault returns (uint256 written) {
        written = pendingDepositAssets + pendingRedeemAssets;
        (pendingDepositAssets, pendingRedeemAssets) = (0, 0);
        if (written != 0) MockERC20(asset).burn(address(this), written);
    }

    function deposit(uint256 assets) public virtual onlyVault {
        if (assets < minDepositAssets || assets > depositLimit) {
            revert DepositOutOfBounds(assets, minDepositAssets, depositLimit);
        }
        uint256 fee = (assets * entryFeeBps) / 10_000;
        if (fee != 0) MockERC20(asset).burn(address(this), fee);
        if (asyncDeposit) {
            if (pendingDepositAssets + pendingRedeemAssets == 0) requestTime = block.timestamp;
            pendingDepositAssets += assets - fee;
        } else {
            holdings += assets - fee;
        }
    }

    function withdraw(uint256 assets) public virtual onlyVault {
        uint256 max = maxWithdraw();
        if (assets > max) revert WithdrawAboveLiquidity(assets, max);
        uint256 fee = (assets * exitFeeBps) / 10_000;
        holdings -= assets + fee;
        if (fee != 0) MockERC20(asset).burn(address(this), fee);
        uint256 delivered = assets - (assets * shortDeliveryBps) / 10_000;
        IERC20(asset).safeTransfer(vault, delivered);
    }

    function requestRedeem(uint256 assets) public virtual onlyVault returns (uint256 requested) {
        if (!asyncRedeem || pendingRedeem() != 0) revert RedeemNotAvailable();
        requested = assets < holdings ? assets : holdings;
        if (pendingDepositAssets == 0) requestTime = block.timestamp;
        holdings -= requested;
        pendingRedeemAssets += requested;
    }

    function settle() public virtual onlyVault returns (uint256 assets) {
        if (claimsRefused) return 0;
        holdings += claimableDepositAssets;
        claimableDepositAssets = 0;
        assets = claimableRedeemAssets;
        claimableRedeemAssets = 0;
        if (assets != 0) IERC20(asset).safeTransfer(vault, assets);
    }

    /* ISSUER SIDE AND TEST KNOBS */

    function setAsync(bool deposits, bool redemptions) external {
        (asyncDeposit, asyncRedeem) = (deposits, redemptions);
    }

    function setClaimableReverts(bool reverts) external {
        claimableReverts = reverts;
    }

    function setUnderquotes(bool underquotes_) external {
        underquotes = underquotes_;
    }

    function setClaimsRefused(bool refused) external {
        claimsRefused = refused;
    }

    function setLimits(uint256 liquidity_, uint256 depositLimit_, uint256 minDeposit_) external {
        (liquidity, depositLimit, minDepositAssets) = (liquidity_, depositLimit_, minDeposit_);
    }

    function setLies(int256 valueBias_, bool revertValuation_, uint256 navTimestamp_) external {
        (valueBias, revertValuation, navTimestamp) = (valueBias_, revertValuation_, navTimestamp_);
    }

    function setFees(uint256 entryFeeBps_, uint256 exitFeeBps_, uint256 shortDeliveryBps_) external {
        (entryFeeBps, exitFeeBps, shortDeliveryBps) = (entryFeeBps_, exitFeeBps_, shortDeliveryBps_);
    }

    /// @dev The position's NAV moves by `delta` (a gain mints, a loss burns).
    function moveNav(int256 delta) external {
        if (delta >= 0) {
            holdings += uint256(delta);
            MockERC20(asset).mint(address(this), uint256(delta));
        } else {
            holdings -= uint256(-delta);
            MockERC20(asset).burn(address(this), uint256(-delta));
        }
    }

    /// @dev Anyone gives `amount` of the asset to the position (pulled from the caller): a donation.
    function donate(uint256 amount) external {
        IERC20(asset).safeTransferFrom(msg.sender, address(this), amount);
        holdings += amount;
    }

    /// @dev The issuer fulfils the pending deposit: it becomes claimable.
    function fulfilDeposit() external {
        claimableDepositAssets += pendingDepositAssets;
        pendingDepositAssets = 0;
    }

    /// @dev The issuer fulfils `covered` of the pending redemption at par; the rest stays pending.
    function fulfilRedeemPart(uint256 covered) external {
        pendingRedeemAssets -= covered;
        claimableRedeemAssets += covered;
    }

    /// @dev The issuer fulfils the pending redemption, paying `assetsPaid` (may differ from the request).
    function fulfilRedeem(uint256 assetsPaid) external {
        uint256 requested = pendingRedeemAssets;
        pendingRedeemAssets = 0;
        claimableRedeemAssets += assetsPaid;
        if (assetsPaid > requested) MockERC20(asset).mint(address(this), assetsPaid - requested);
        else if (requested > assetsPaid) MockERC20(asset).burn(address(this), requested - assetsPaid);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";

/// @title BaseAdapter
/// @notice What every adapter shares: bound to one vault and its asset at construction, mutating calls
/// from the vault only, keeper-only extras gated by the vault's own keeper role, and the bookkeeping of
/// an asynchronous redemption paid later into the adapter.
/// @dev Adapters hold no admin: everything that could be changed is an immutable.
abstract contract BaseAdapter is IAdapter {
    using SafeERC20 for IERC20;

    /// @notice The vault's keeper role, checked on the vault for keeper-only adapter functions.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice The largest settlement tolerance a deployment may set: 10 %.
    uint256 public constant MAX_SETTLE_TOLERANCE_BPS = 1_000;
    /// @notice A payment within this share of a pending request closes it; the difference is the
    /// issuer's pricing or rounding, recognised at settlement. Set at deployment from what the issuer's
    /// fulfilments are known to differ by (its fees, its price between request and fulfilment).
    uint256 public immutable SETTLE_TOLERANCE_BPS;

    address internal immutable VAULT;
    address internal immutable ASSET;

    /// @notice Redemption value requested from the issuer and not yet paid, at the NAV of the request.
    /// @dev With the filing time, one storage slot: opening a request writes one word. The time is left
    /// in place when the request closes (the amount alone says whether one is open), so the slot stays
    /// non-zero and the next request rewrites it instead of creating it.
    uint192 internal _pendingRedeemAssets;
    /// @notice When the open redemption was filed.
    uint64 internal _redeemRequestedAt;

    /// @notice Only the vault may call this.
    error OnlyVault(address caller);
    /// @notice Only a keeper of the vault may call this.
    error OnlyVaultKeeper(address caller);
    /// @notice This adapter's product has no such path (e.g. no instant exit, or no async exit).
    error Unsupported();
    /// @notice A redemption request is already open on this side.
    error RequestAlreadyOpen();
    /// @notice `amount` exceeds the `max` the adapter can do now.
    error AmountTooLarge(uint256 amount, uint256 max);
    /// @notice A settlement tolerance of `bps` is above the `max` a deployment may set.
    error SettleToleranceTooHigh(uint256 bps, uint256 max);

    /// @notice A redemption of `assets` (at the request's NAV) was filed with the issuer.
    event RedeemRequested(uint256 assets);
    /// @notice `assets` were returned to the vault on settlement.
    event SettledToVault(uint256 assets, uint256 pendingRedeemLeft);
    /// @notice The open requests, worth `written`, were written off on the vault's order.
    event RequestsWrittenOff(uint256 written);

    constructor(address vault_, address asset_, uint256 settleToleranceBps) {
        if (settleToleranceBps > MAX_SETTLE_TOLERANCE_BPS) {
            revert SettleToleranceTooHigh(settleToleranceBps, MAX_SETTLE_TOLERANCE_BPS);
        }
        VAULT = vault_;
        ASSET = asset_;
        SETTLE_TOLERANCE_BPS = settleToleranceBps;
        // The request slot starts non-zero, so even the first request rewrites a word instead of creating
        // one (17k gas less); the time means nothing while no amount is open.
        _redeemRequestedAt = 1;
    }

    modifier onlyVault() {
        if (msg.sender != VAULT) revert OnlyVault(msg.sender);
        _;
    }

    modifier onlyVaultKeeper() {
        if (!IAccessControl(VAULT).hasRole(KEEPER_ROLE, msg.sender)) revert OnlyVaultKeeper(msg.sender);
        _;
    }

    /// @inheritdoc IAdapter
    function vault() external view returns (address) {
        return VAULT;
    }

    /// @inheritdoc IAdapter
    function asset() external view returns (address) {
        return ASSET;
    }

    /// @inheritdoc IAdapter
    function minDeposit() external view virtual returns (uint256) {
        return 0;
    }

    /// @inheritdoc IAdapter
    /// @dev Zero for exits paid one for one, and for adapters with no instant exit.
    function withdrawCost(uint256) external view virtual returns (uint256) {
        return 0;
    }

    /// @inheritdoc IAdapter
    function maxRequestRedeem() external view virtual returns (uint256) {
        return 0;
    }

    /// @inheritdoc IAdapter
    function pendingDeposit() external view virtual returns (uint256) {
        return 0;
    }

    /// @inheritdoc IAdapter
    /// @dev The open request's value, whether or not its proceeds have landed: cash beyond it (a
    /// stranger's donation, an overpayment) is not value leaving the book, and the plan must not count
    /// it as such.
    function pendingRedeem() public view virtual returns (uint256) {
        return _pendingRedeemAssets;
    }

    /// @inheritdoc IAdapter
    function claimable() external view virtual returns (uint256) {
        return _assetBalance();
    }

    /// @inheritdoc IAdapter
    function requestRedeem(uint256) external virtual onlyVault returns (uint256) {
        revert Unsupported();
    }

    /// @inheritdoc IAdapter
    function requestedAt() external view virtual returns (uint256) {
        return _pendingRedeemAssets != 0 ? _redeemRequestedAt : 0;
    }

    /// @inheritdoc IAdapter
    /// @dev Forgets the open redemption: what is unpaid of it leaves the valuation; proceeds already
    /// held stay counted and go to the vault at the next `settle`.
    function writeOff() external virtual onlyVault returns (uint256 written) {
        written = _exitInFlight() - _assetBalance();
        _pendingRedeemAssets = 0;
        emit RequestsWrittenOff(written);
    }

    /// @dev Records a redemption request of `assets` filed now.
    function _openRedeem(uint256 assets) internal {
        (_pendingRedeemAssets, _redeemRequestedAt) = (SafeCast.toUint192(assets), uint64(block.timestamp));
        emit RedeemRequested(assets);
    }

    /// @dev Assets the adapter holds: redemption proceeds paid in, waiting for `settle`.
    function _assetBalance() internal view returns (uint256) {
        return IERC20(ASSET).balanceOf(address(this));
    }

    /// @dev Value in flight on the exit side: requested and unpaid, or paid and not yet returned.
    /// Counting the larger of the two counts a payment once, before and after it lands.
    function _exitInFlight() internal view returns (uint256) {
        return Math.max(_pendingRedeemAssets, _assetBalance());
    }

    /// @dev Returns every asset held to the vault, closing the pending redemption by what was paid.
    function _settleProceeds() internal returns (uint256 paid) {
        paid = _assetBalance();
        if (paid == 0) return 0;
        uint256 pending = _pendingRedeemAssets;
        uint256 left = pending > paid ? pending - paid : 0;
        // A payment within tolerance of the request closes it: the issuer priced it, not a partial fill.
        if (left * 10_000 <= pending * SETTLE_TOLERANCE_BPS) left = 0;
        _pendingRedeemAssets = uint192(left); // at most the pending amount
        IERC20(ASSET).safeTransfer(VAULT, paid);
        emit SettledToVault(paid, left);
    }
}

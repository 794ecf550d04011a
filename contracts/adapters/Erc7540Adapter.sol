// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {IERC7540Like, ITrancheTokenLike} from "../interfaces/external/IERC7540Like.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title Erc7540Adapter
/// @notice A position in an ERC-7540 asynchronous vault with ERC-7887 cancellation (Centrifuge JTRSY).
/// Entry: `requestDeposit`, counted at cost until the shares are claimed with `mint(maxMint)`. Exit:
/// `requestRedeem`, counted at the price of the request until the assets are claimed with
/// `withdraw(maxWithdraw)` straight to the vault. At most one own open request per side. Shares held
/// are valued with `convertToAssets`; the price's age is `priceLastUpdated`.
/// @dev Own requests only. ERC-7540 lets anyone attach a request to this adapter as controller (a
/// deposit needs only the controller's membership), and the issuer merges it with ours. So the adapter
/// values and limits itself by the requests it made, kept in its own storage, never by what the issuer
/// shows pending under its name: a stranger's request neither blocks the next request nor inflates
/// the value. What the issuer delivers for it is claimed with ours and arrives as a donation (shares
/// held, or assets paid to the vault). Claims close our own requests first, and a claim that leaves
/// nothing of ours at the issuer closes them whole (the issuer's rounding, recognised at settlement).
/// A filled deposit stays valued at cost until it is claimed: the issuer hides a fill (`maxMint` is
/// zero) while the adapter's membership has lapsed, and the value must not follow that.
/// The keeper may cancel an open request through `cancelDeposit` / `cancelRedeem` (gated by the
/// vault's keeper role); `settle` claims whatever the issuer fulfilled, cancellations included.
contract Erc7540Adapter is BaseAdapter {
    using SafeERC20 for IERC20;

    uint256 internal constant REQUEST_ID = 0;

    IERC7540Like public immutable TARGET;
    IERC20 public immutable SHARE;

    /// @notice Assets of our own deposit request not yet claimed as shares (pending or filled), at cost.
    /// @dev Each side's request is one storage slot, so filing one writes one word; its time is left in
    /// place when it closes (the amount says whether one is open), so the next request rewrites the slot.
    uint192 public depositRequestAssets;
    /// @notice When our open deposit request was filed.
    uint64 public depositRequestedAt;
    /// @notice Shares of our own redemption request not yet claimed as assets, their value when
    /// requested, and when it was filed.
    uint96 public redeemRequestShares;
    uint96 public redeemRequestAssets;
    uint64 public redeemRequestedAt;

    /// @notice The product's restriction manager does not let this adapter hold or receive shares.
    error NotMember(address holder);

    /// @notice The keeper asked the issuer to cancel the open deposit (or redemption) request.
    event CancelRequested(bool depositSide, address indexed caller);

    constructor(address vault_, IERC7540Like target) BaseAdapter(vault_, target.asset()) {
        TARGET = target;
        SHARE = IERC20(target.share());
        // Both request slots start non-zero (as BaseAdapter's), so a first request rewrites a word.
        (depositRequestedAt, redeemRequestedAt) = (1, 1);
        // The issuer's vault pulls our deposits: approved once, so a request costs no approval. It is the
        // contract that holds the position anyway, and the adapter holds assets only in passing.
        IERC20(target.asset()).forceApprove(address(target), type(uint256).max);
    }

    /// @inheritdoc IAdapter
    /// @dev Shares held at the issuer's price, plus our own requests (deposit at cost, redemption at
    /// the request's value) until claimed, plus assets held.
    function totalAssets() external view returns (uint256) {
        return
            TARGET.convertToAssets(SHARE.balanceOf(address(this))) +
            depositRequestAssets +
            redeemRequestAssets +
            _assetBalance();
    }

    /// @inheritdoc IAdapter
    function navUpdatedAt() external view returns (uint256) {
        try TARGET.priceLastUpdated() returns (uint64 updatedAt) {
            return updatedAt;
        } catch {
            return 0;
        }
    }

    /// @inheritdoc IAdapter
    /// @dev Zero while our own deposit request is open, while our cancellation is pending at the issuer
    /// (which refuses new requests then), or while the adapter is not a member.
    function maxDeposit() external view returns (uint256) {
        if (depositRequestAssets != 0 || TARGET.pendingCancelDepositRequest(REQUEST_ID, address(this))) return 0;
        return _member() ? type(uint256).max : 0;
    }

    /// @inheritdoc IAdapter
    function maxWithdraw() external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IAdapter
    function maxRequestRedeem() external view override returns (uint256) {
        if (redeemRequestShares != 0) return 0;
        try TARGET.pendingCancelRedeemRequest(REQUEST_ID, address(this)) returns (bool cancelling) {
            if (cancelling) return 0;
        } catch {
            return 0;
        }
        try TARGET.convertToAssets(SHARE.balanceOf(address(this))) returns (uint256 value) {
            return value;
        } catch {
            return 0;
        }
    }

    /// @inheritdoc IAdapter
    function pendingDeposit() external view override returns (uint256) {
        return depositRequestAssets;
    }

    /// @inheritdoc IAdapter
    /// @dev Our own request at its value; assets the adapter holds are not leaving the book.
    function pendingRedeem() public view override returns (uint256) {
        return redeemRequestAssets;
    }

    /// @inheritdoc IAdapter
    /// @dev Everything the issuer would let `settle` claim now, strangers' fills included.
    function claimable() external view override returns (uint256) {
        address self = address(this);
        return
            TARGET.maxWithdraw(self) +
            TARGET.claimableCancelDepositRequest(REQUEST_ID, self) +
            TARGET.convertToAssets(TARGET.maxMint(self) + TARGET.claimableCancelRedeemRequest(REQUEST_ID, self));
    }

    /// @inheritdoc IAdapter
    function requestedAt() external view override returns (uint256 at) {
        if (depositRequestAssets != 0) at = depositRequestedAt;
        if (redeemRequestShares != 0 && (at == 0 || redeemRequestedAt < at)) at = redeemRequestedAt;
    }

    /// @inheritdoc IAdapter
    function deposit(uint256 assets) external onlyVault {
        if (!_member()) revert NotMember(address(this));
        uint256 open = depositRequestAssets;
        (depositRequestAssets, depositRequestedAt) = (
            SafeCast.toUint192(open + assets),
            open == 0 ? uint64(block.timestamp) : depositRequestedAt
        );
        TARGET.requestDeposit(assets, address(this), address(this));
    }

    /// @inheritdoc IAdapter
    function withdraw(uint256) external view onlyVault {
        revert Unsupported();
    }

    /// @inheritdoc IAdapter
    /// @dev Requests the shares worth `assets` at today's price (rounded up, capped at holdings).
    function requestRedeem(uint256 assets) external override onlyVault returns (uint256 requested) {
        if (redeemRequestShares != 0) revert RequestAlreadyOpen();
        uint256 held = SHARE.balanceOf(address(this));
        uint256 shares = Math.min(TARGET.convertToShares(assets) + 1, held);
        // What the holdings' value drops by, so the request is value-neutral to the unit.
        requested = TARGET.convertToAssets(held) - TARGET.convertToAssets(held - shares);
        (redeemRequestShares, redeemRequestAssets, redeemRequestedAt) = (
            SafeCast.toUint96(shares),
            SafeCast.toUint96(requested),
            uint64(block.timestamp)
        );
        TARGET.requestRedeem(shares, address(this), address(this));
        emit RedeemRequested(requested);
    }

    /// @inheritdoc IAdapter
    /// @dev Claims fulfilled deposits as shares (when still a member), fulfilled redemptions and
    /// cancelled deposits as assets straight to the vault, and cancelled redemptions as shares; then
    /// closes our own requests by what was claimed.
    function settle() external onlyVault returns (uint256 assets) {
        address self = address(this);
        uint256 depositClaimed;
        uint256 redeemClaimed;
        uint256 mintable = TARGET.maxMint(self);
        // Membership is asked only when a claim or a closing depends on it: claiming redemption
        // proceeds does not.
        bool asked = mintable != 0;
        bool member = asked && _member();
        if (member) depositClaimed = TARGET.mint(mintable, self, self);
        uint256 withdrawable = TARGET.maxWithdraw(self);
        if (withdrawable != 0) {
            redeemClaimed = TARGET.withdraw(withdrawable, VAULT, self);
            assets += withdrawable;
        }
        if (TARGET.claimableCancelDepositRequest(REQUEST_ID, self) != 0) {
            uint256 refunded = TARGET.claimCancelDepositRequest(REQUEST_ID, VAULT, self);
            assets += refunded;
            depositClaimed += refunded;
        }
        if (TARGET.claimableCancelRedeemRequest(REQUEST_ID, self) != 0) {
            if (!asked) (asked, member) = (true, _member());
            if (member) redeemClaimed += TARGET.claimCancelRedeemRequest(REQUEST_ID, self, self);
        }
        _closeOwn(asked, member, depositClaimed, redeemClaimed);
        assets += _settleProceeds();
    }

    /// @inheritdoc IAdapter
    function writeOff() external override onlyVault returns (uint256 written) {
        written = depositRequestAssets + redeemRequestAssets;
        (depositRequestAssets, redeemRequestShares, redeemRequestAssets) = (0, 0, 0);
        emit RequestsWrittenOff(written);
    }

    /* ONLY VAULT KEEPER FUNCTIONS */

    /// @notice Asks the issuer to cancel the open deposit request (ERC-7887); `settle` claims it back.
    function cancelDeposit() external onlyVaultKeeper {
        TARGET.cancelDepositRequest(REQUEST_ID, address(this));
        emit CancelRequested(true, msg.sender);
    }

    /// @notice Asks the issuer to cancel the open redemption request (ERC-7887); `settle` claims it back.
    function cancelRedeem() external onlyVaultKeeper {
        TARGET.cancelRedeemRequest(REQUEST_ID, address(this));
        emit CancelRequested(false, msg.sender);
    }

    /* INTERNAL */

    /// @dev Closes our own requests by what a settlement claimed (assets at cost on the deposit side,
    /// shares on the redemption side), ours first. A side whose issuer state holds nothing more for
    /// this adapter, or whose remainder is within the settlement tolerance of what was claimed, is
    /// closed whole: the rest was the issuer's rounding or pricing, which the vault books at settlement.
    /// `asked` says whether `member` was already read.
    function _closeOwn(bool asked, bool member, uint256 depositClaimed, uint256 redeemClaimed) private {
        address self = address(this);
        uint256 open = depositRequestAssets;
        if (open != 0) {
            uint256 left = open - Math.min(depositClaimed, open);
            // While not a member the issuer hides fills (maxMint reads zero): only a member's empty
            // issuer state proves nothing more is coming. Asked only when something is left.
            if (_withinTolerance(left, open)) left = 0;
            else if (
                (asked ? member : _member()) &&
                TARGET.pendingDepositRequest(REQUEST_ID, self) == 0 &&
                TARGET.maxMint(self) == 0 &&
                TARGET.claimableCancelDepositRequest(REQUEST_ID, self) == 0
            ) left = 0;
            depositRequestAssets = uint192(left); // at most the open amount
        }
        uint256 shares = redeemRequestShares;
        if (shares != 0) {
            uint256 left = shares - Math.min(redeemClaimed, shares);
            if (
                _withinTolerance(left, shares) ||
                (TARGET.pendingRedeemRequest(REQUEST_ID, self) == 0 &&
                    TARGET.maxWithdraw(self) == 0 &&
                    TARGET.claimableCancelRedeemRequest(REQUEST_ID, self) == 0)
            ) left = 0;
            // The remainder keeps the request's price, rounded down.
            // Both at most what they were: the casts cannot truncate.
            (redeemRequestShares, redeemRequestAssets) = (
                uint96(left),
                uint96(Math.mulDiv(redeemRequestAssets, left, shares))
            );
        }
    }

    /// @dev Whether `left` of an open `total` is nothing, or a rounding or pricing remainder, not an
    /// unfilled part.
    function _withinTolerance(uint256 left, uint256 total) private pure returns (bool) {
        return left == 0 || (left < total && left * 10_000 <= total * SETTLE_TOLERANCE_BPS);
    }

    function _member() private view returns (bool) {
        return ITrancheTokenLike(address(SHARE)).checkTransferRestriction(address(0), address(this), 0);
    }
}

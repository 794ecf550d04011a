// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {IERC7540Like, ITrancheTokenLike} from "../interfaces/external/IERC7540Like.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title Erc7540Adapter
/// @notice A position in an ERC-7540 asynchronous vault with ERC-7887 cancellation (Centrifuge JTRSY).
/// Entry: `requestDeposit`, counted at cost until fulfilled, claimed with `mint(maxMint)`. Exit:
/// `requestRedeem`, counted at the price of the request until fulfilled, claimed with
/// `withdraw(maxWithdraw)` straight to the vault. At most one open request per side. Shares are valued
/// with `convertToAssets`; the price's age is `priceLastUpdated`.
/// @dev The keeper may cancel an open request through `cancelDeposit` / `cancelRedeem` (gated by the
/// vault's keeper role); `settle` claims whatever the issuer fulfilled, cancellations included.
contract Erc7540Adapter is BaseAdapter {
    using SafeERC20 for IERC20;

    uint256 internal constant REQUEST_ID = 0;

    IERC7540Like public immutable TARGET;
    IERC20 public immutable SHARE;

    /// @notice Shares of the open redemption request and their value when requested.
    uint256 public redeemRequestShares;
    uint256 public redeemRequestAssets;

    /// @notice The product's restriction manager does not let this adapter hold or receive shares.
    error NotMember(address holder);

    /// @notice The keeper asked the issuer to cancel the open deposit (or redemption) request.
    event CancelRequested(bool depositSide, address indexed caller);

    constructor(address vault_, IERC7540Like target) BaseAdapter(vault_, target.asset()) {
        TARGET = target;
        SHARE = IERC20(target.share());
    }

    /// @inheritdoc IAdapter
    function totalAssets() external view returns (uint256) {
        address self = address(this);
        uint256 shares =
            SHARE.balanceOf(self) + TARGET.maxMint(self) + TARGET.claimableCancelRedeemRequest(REQUEST_ID, self);
        return
            TARGET.convertToAssets(shares) +
            TARGET.pendingDepositRequest(REQUEST_ID, self) +
            _pendingRedeemValue() +
            TARGET.maxWithdraw(self) +
            TARGET.claimableCancelDepositRequest(REQUEST_ID, self) +
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
    function maxDeposit() external view returns (uint256) {
        address self = address(this);
        bool open =
            TARGET.pendingDepositRequest(REQUEST_ID, self) != 0 ||
                TARGET.maxMint(self) != 0 ||
                TARGET.claimableCancelDepositRequest(REQUEST_ID, self) != 0 ||
                TARGET.pendingCancelDepositRequest(REQUEST_ID, self);
        if (open || !_member()) return 0;
        return type(uint256).max;
    }

    /// @inheritdoc IAdapter
    function maxWithdraw() external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IAdapter
    function maxRequestRedeem() external view override returns (uint256) {
        if (_redeemSideOpen()) return 0;
        try TARGET.convertToAssets(SHARE.balanceOf(address(this))) returns (uint256 value) {
            return value;
        } catch {
            return 0;
        }
    }

    /// @inheritdoc IAdapter
    function pendingDeposit() external view override returns (uint256) {
        address self = address(this);
        return
            TARGET.pendingDepositRequest(REQUEST_ID, self) +
            TARGET.claimableCancelDepositRequest(REQUEST_ID, self) +
            TARGET.convertToAssets(TARGET.maxMint(self));
    }

    /// @inheritdoc IAdapter
    function pendingRedeem() public view override returns (uint256) {
        return _pendingRedeemValue() + TARGET.maxWithdraw(address(this)) + _assetBalance();
    }

    /// @inheritdoc IAdapter
    function claimable() external view override returns (uint256) {
        address self = address(this);
        return
            TARGET.maxWithdraw(self) +
            TARGET.claimableCancelDepositRequest(REQUEST_ID, self) +
            TARGET.convertToAssets(TARGET.maxMint(self) + TARGET.claimableCancelRedeemRequest(REQUEST_ID, self));
    }

    /// @inheritdoc IAdapter
    function deposit(uint256 assets) external onlyVault {
        if (!_member()) revert NotMember(address(this));
        IERC20(ASSET).forceApprove(address(TARGET), assets);
        TARGET.requestDeposit(assets, address(this), address(this));
    }

    /// @inheritdoc IAdapter
    function withdraw(uint256) external view onlyVault {
        revert Unsupported();
    }

    /// @inheritdoc IAdapter
    /// @dev Requests the shares worth `assets` at today's price (rounded up, capped at holdings).
    function requestRedeem(uint256 assets) external override onlyVault returns (uint256 requested) {
        if (_redeemSideOpen()) revert RequestAlreadyOpen();
        uint256 held = SHARE.balanceOf(address(this));
        uint256 shares = Math.min(TARGET.convertToShares(assets) + 1, held);
        // What the holdings' value drops by, so the request is value-neutral to the unit.
        requested = TARGET.convertToAssets(held) - TARGET.convertToAssets(held - shares);
        (redeemRequestShares, redeemRequestAssets) = (shares, requested);
        TARGET.requestRedeem(shares, address(this), address(this));
        emit RedeemRequested(requested);
    }

    /// @inheritdoc IAdapter
    /// @dev Claims fulfilled deposits as shares (when still a member), fulfilled redemptions and
    /// cancelled deposits as assets straight to the vault, and cancelled redemptions as shares.
    function settle() external onlyVault returns (uint256 assets) {
        address self = address(this);
        bool member = _member();
        uint256 mintable = TARGET.maxMint(self);
        if (mintable != 0 && member) TARGET.mint(mintable, self, self);
        uint256 withdrawable = TARGET.maxWithdraw(self);
        if (withdrawable != 0) {
            TARGET.withdraw(withdrawable, VAULT, self);
            assets += withdrawable;
        }
        uint256 cancelledAssets = TARGET.claimableCancelDepositRequest(REQUEST_ID, self);
        if (cancelledAssets != 0) assets += TARGET.claimCancelDepositRequest(REQUEST_ID, VAULT, self);
        if (TARGET.claimableCancelRedeemRequest(REQUEST_ID, self) != 0 && member) {
            TARGET.claimCancelRedeemRequest(REQUEST_ID, self, self);
        }
        _syncRedeemRequest();
        assets += _settleProceeds();
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

    /// @dev The open redemption's remaining shares at the price of the request.
    function _pendingRedeemValue() private view returns (uint256) {
        uint256 pendingShares = TARGET.pendingRedeemRequest(REQUEST_ID, address(this));
        if (pendingShares == 0 || redeemRequestShares == 0) return 0;
        return Math.mulDiv(pendingShares, redeemRequestAssets, redeemRequestShares);
    }

    /// @dev Forgets the request-time price once nothing of the request is pending any more.
    function _syncRedeemRequest() private {
        if (TARGET.pendingRedeemRequest(REQUEST_ID, address(this)) == 0) {
            (redeemRequestShares, redeemRequestAssets) = (0, 0);
        }
    }

    function _redeemSideOpen() private view returns (bool) {
        address self = address(this);
        return
            TARGET.pendingRedeemRequest(REQUEST_ID, self) != 0 ||
            TARGET.maxWithdraw(self) != 0 ||
            TARGET.claimableCancelRedeemRequest(REQUEST_ID, self) != 0 ||
            TARGET.pendingCancelRedeemRequest(REQUEST_ID, self);
    }

    function _member() private view returns (bool) {
        return ITrancheTokenLike(address(SHARE)).checkTransferRestriction(address(0), address(this), 0);
    }
}

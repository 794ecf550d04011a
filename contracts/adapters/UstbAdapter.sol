// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {IRedemptionIdleLike, ISuperstateOracleLike, IUstbLike} from "../interfaces/external/ISuperstateLike.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title UstbAdapter
/// @notice A position in Superstate USTB. Entry: on-chain subscription at the oracle NAV (its fee and
/// rounding show as slippage to the vault). Exit: instant through RedemptionIdle, bounded by the USDC it
/// holds; or asynchronous by off-chain redemption (USTB sent to the token burns it), valued at the NAV
/// of the request until Superstate's USDC arrives.
/// @dev Valuation reverts when the oracle reverts (stale) or reports bad data (below $7 or delayed): the
/// vault then quarantines this adapter alone. Both USDC and USTB have 6 decimals, as does the oracle.
contract UstbAdapter is BaseAdapter {
    using SafeERC20 for IERC20;

    uint256 internal constant USTB_UNIT = 1e6;
    uint256 internal constant MAX_BPS = 10_000;

    IUstbLike public immutable USTB;
    IRedemptionIdleLike public immutable REDEMPTION;

    /// @notice The oracle reports bad data (a price of `price` below $7, or a delayed update).
    error BadNav(uint256 price);
    /// @notice Superstate's AllowList does not allow this adapter to hold USTB.
    error NotAllowlisted(address holder);

    constructor(
        address vault_,
        address usdc,
        IUstbLike ustb,
        IRedemptionIdleLike redemption,
        uint256 settleToleranceBps
    ) BaseAdapter(vault_, usdc, settleToleranceBps) {
        USTB = ustb;
        REDEMPTION = redemption;
        // Approved once, so neither an entry nor an instant exit pays for an approval: USTB's subscribe
        // pulls our USDC, and RedemptionIdle pulls the USTB it redeems. Both are Superstate's contracts,
        // and the USTB token (an upgradeable proxy of theirs) already governs every balance of it.
        IERC20(usdc).forceApprove(address(ustb), type(uint256).max);
        IERC20(address(ustb)).forceApprove(address(redemption), type(uint256).max);
    }

    /// @notice USTB's NAV per share (6 decimals), reverting on bad or stale data.
    function nav() public view returns (uint256 price) {
        bool isBad;
        (isBad, , price) = USTB.getChainlinkPrice();
        if (isBad) revert BadNav(price);
    }

    /// @inheritdoc IAdapter
    function totalAssets() external view returns (uint256) {
        return _holdingsValue(nav()) + _exitInFlight();
    }

    /// @inheritdoc IAdapter
    /// @dev When Superstate struck the NAV the price extrapolates from: the oracle's own `updatedAt` is
    /// the current block on every read, so it would never age. An oracle that does not keep Superstate's
    /// checkpoints (a plain Chainlink feed) is dated by its `updatedAt`.
    function navUpdatedAt() external view returns (uint256) {
        (bool ok, , uint256 updatedAt) = _tryNav();
        if (!ok) return 0;
        try USTB.superstateOracle() returns (address oracle) {
            try ISuperstateOracleLike(oracle).latestRoundData() returns (
                uint80 round,
                int256,
                uint256,
                uint256,
                uint80
            ) {
                try ISuperstateOracleLike(oracle).checkpoints(round) returns (uint64 struck, uint64, uint128) {
                    return struck < updatedAt ? struck : updatedAt;
                } catch {}
            } catch {}
        } catch {}
        return updatedAt;
    }

    /// @inheritdoc IAdapter
    function maxDeposit() external view returns (uint256) {
        if (!_allowed() || USTB.paused() || USTB.accountingPaused()) return 0;
        (bool ok, , ) = _tryNav();
        return ok ? type(uint256).max : 0;
    }

    /// @inheritdoc IAdapter
    /// @dev What RedemptionIdle pays now for every USTB it can take from this adapter: zero while it or
    /// the token is paused, or while the oracle has no usable price. `withdraw` of it redeems exactly
    /// that USTB (see `_ustbFor`), so it succeeds whatever the fee's rounding.
    function maxWithdraw() external view returns (uint256) {
        (bool ok, uint256 redeemable) = _redeemable();
        if (!ok || redeemable == 0) return 0;
        try REDEMPTION.calculateUsdcOut(redeemable) returns (uint256 usdcOut, uint256) {
            return usdcOut;
        } catch {
            return 0;
        }
    }

    /// @inheritdoc IAdapter
    /// @dev An upper bound that grows with `assets`: the fee on what RedemptionIdle pays out before fee
    /// (`assets × fee / (1 − fee)`, rounded up), plus the rounding of the USTB it takes (one USTB base
    /// unit's value, rounded up) and of the holdings' value (one unit each side). The exact cost is a
    /// sawtooth in `assets` (the USTB taken is rounded up), which the vault's maxWithdraw cannot use.
    function withdrawCost(uint256 assets) external view override returns (uint256) {
        (bool ok, ) = _ustbFor(assets);
        (bool priced, uint256 price, ) = _tryNav();
        if (!ok || !priced) return type(uint256).max;
        try REDEMPTION.redemptionFee() returns (uint256 feeBps) {
            if (feeBps >= MAX_BPS) return type(uint256).max;
            return
                Math.mulDiv(assets, feeBps, MAX_BPS - feeBps, Math.Rounding.Ceil) + Math.ceilDiv(price, USTB_UNIT) + 2;
        } catch {
            return type(uint256).max;
        }
    }

    /// @inheritdoc IAdapter
    function maxRequestRedeem() external view override returns (uint256) {
        if (_pendingRedeemAssets != 0 || !_allowed()) return 0;
        (bool ok, uint256 price, ) = _tryNav();
        return ok ? _holdingsValue(price) : 0;
    }

    /// @inheritdoc IAdapter
    function deposit(uint256 assets) external onlyVault {
        _requireAllowed();
        USTB.subscribe(assets, ASSET);
    }

    /// @inheritdoc IAdapter
    /// @dev Redeems the USTB that buys at least `assets` after fee (see `_ustbFor`); USDC goes to the vault.
    function withdraw(uint256 assets) external onlyVault {
        (bool ok, uint256 ustbIn) = _ustbFor(assets);
        if (!ok) {
            // `_ustbFor` already refuses a lapsed membership; say so when that is the reason.
            _requireAllowed();
            revert AmountTooLarge(assets, 0);
        }
        REDEMPTION.redeem(VAULT, ustbIn);
    }

    /// @inheritdoc IAdapter
    /// @dev Burns the USTB worth `assets` (rounded up, capped at holdings) by sending it to the token;
    /// Superstate pays the USDC to this adapter later.
    function requestRedeem(uint256 assets) external override onlyVault returns (uint256 requested) {
        _requireAllowed();
        if (_pendingRedeemAssets != 0) revert RequestAlreadyOpen();
        uint256 price = nav();
        uint256 held = USTB.balanceOf(address(this));
        uint256 shares = Math.min(Math.mulDiv(assets, USTB_UNIT, price, Math.Rounding.Ceil), held);
        // What the holdings' value drops by, so the request is value-neutral to the unit.
        requested = Math.mulDiv(held, price, USTB_UNIT) - Math.mulDiv(held - shares, price, USTB_UNIT);
        _openRedeem(requested);
        IERC20(address(USTB)).safeTransfer(address(USTB), shares);
    }

    /// @inheritdoc IAdapter
    function settle() external onlyVault returns (uint256) {
        return _settleProceeds();
    }

    /// @dev The USTB RedemptionIdle can take from this adapter now and pay for: none while either is
    /// paused, else the holdings bounded by the USDC it holds.
    function _redeemable() private view returns (bool ok, uint256 ustb) {
        // RedemptionIdle moves USTB (paused token) and burns it (accounting paused).
        if (!_allowed() || USTB.paused() || USTB.accountingPaused()) return (false, 0);
        try REDEMPTION.paused() returns (bool isPaused) {
            if (isPaused) return (false, 0);
        } catch {
            return (false, 0);
        }
        try REDEMPTION.maxUstbRedemptionAmount() returns (uint256 payable_, uint256) {
            return (true, Math.min(USTB.balanceOf(address(this)), payable_));
        } catch {
            // RedemptionIdle prices from the same oracle: no price, no instant exit.
            return (false, 0);
        }
    }

    /// @dev The USTB to redeem for at least `assets` after fee: RedemptionIdle's quote (its fee gross-up
    /// rounds down, but the USTB rounds up and the fee's own floor makes up the difference, so the quote
    /// pays at least `assets`), or, when that rounding asks for a unit more than can be redeemed, all
    /// that can be, if it pays `assets`. `ok` is false when `assets` is more than the instant exit can pay.
    function _ustbFor(uint256 assets) private view returns (bool ok, uint256 ustbIn) {
        uint256 redeemable;
        (ok, redeemable) = _redeemable();
        if (!ok || assets == 0) return (false, 0);
        try REDEMPTION.calculateUstbIn(assets) returns (uint256 quoted, uint256) {
            if (quoted <= redeemable) return (quoted != 0, quoted);
        } catch {
            return (false, 0);
        }
        try REDEMPTION.calculateUsdcOut(redeemable) returns (uint256 usdcOut, uint256) {
            return (redeemable != 0 && usdcOut >= assets, redeemable);
        } catch {
            return (false, 0);
        }
    }

    /// @dev The NAV without reverting: views other than totalAssets must answer whatever the oracle does.
    function _tryNav() private view returns (bool ok, uint256 price, uint256 updatedAt) {
        try USTB.getChainlinkPrice() returns (bool isBad, uint256 updatedAt_, uint256 price_) {
            return (!isBad, price_, updatedAt_);
        } catch {
            return (false, 0, 0);
        }
    }

    function _holdingsValue(uint256 price) private view returns (uint256) {
        return Math.mulDiv(USTB.balanceOf(address(this)), price, USTB_UNIT);
    }

    function _allowed() private view returns (bool) {
        return USTB.isAllowed(address(this));
    }

    function _requireAllowed() private view {
        if (!_allowed()) revert NotAllowlisted(address(this));
    }
}

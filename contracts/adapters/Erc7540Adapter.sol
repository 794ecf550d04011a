// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {
    IERC7540Like,
    IRequestManagerLike,
    IShareTokenLike,
    ISpokeLike,
    InvestmentState
} from "../interfaces/external/IERC7540Like.sol";
import {ReadLib} from "../libraries/ReadLib.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title Erc7540Adapter
/// @notice A position in an ERC-7540 asynchronous vault with ERC-7887 cancellation: a Centrifuge V3
/// `AsyncVault` (JTRSY, JAAA). Entry: `requestDeposit`, counted at cost until the shares are claimed with
/// `mint(maxMint)`. Exit: `requestRedeem`, counted at the price of the request until the assets are
/// claimed with `withdraw(maxWithdraw)` and passed on to the vault. At most one own open request per side.
/// Shares held are valued with `convertToAssets`; the price's age is `priceLastUpdated`, and an unpriced
/// share class (Centrifuge's conversions read zero then, never revert) makes the value unreadable rather
/// than zero, so the vault quarantines the adapter instead of booking a loss.
/// Centrifuge V3 asks the share token's hook (FullRestrictions) about every step: a deposit request and
/// a claim of shares need this adapter to be a current member; a redemption request needs it as owner
/// and controller to be one (V2 refused only frozen holders), so a lapsed membership closes the exit
/// (`maxRequestRedeem` reads zero). A claim paid to another address asks that the receiver be a member:
/// redemption proceeds go straight to the vault where it is one (a deployment makes it one), and
/// otherwise, as every other claim, to the adapter, which passes them on to the vault in the same call.
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
    /// @dev Where a redemption request sends shares, as Centrifuge V3's transfer hook sees it.
    address internal constant ESCROW_HOOK_ID = address(uint160(0x1CF60));
    /// @notice The deposit side may still deliver with no request of ours open: a request written off,
    /// or closed by what was claimed while the issuer still showed a request pending under our name.
    uint8 public constant WATCH_DEPOSIT_TAIL = 1;
    /// @notice We asked the issuer to cancel our deposit (redemption) request, and it may still pay back.
    uint8 public constant WATCH_CANCEL_DEPOSIT = 2;
    uint8 public constant WATCH_CANCEL_REDEEM = 4;

    IERC7540Like public immutable TARGET;
    IERC20 public immutable SHARE;
    /// @dev One whole unit of the asset.
    uint256 internal immutable ONE_UNIT;

    /// @notice Assets of our own deposit request not yet claimed as shares (pending or filled), at cost.
    /// @dev Each side's request is one storage slot, so filing one writes one word; its time is left in
    /// place when it closes (the amount says whether one is open), so the next request rewrites the slot.
    uint128 public depositRequestAssets;
    /// @notice When our open deposit request was filed.
    uint64 public depositRequestedAt;
    /// @notice What a settlement must still look for at the issuer beyond redemption proceeds (which it
    /// always claims): bits `WATCH_DEPOSIT_TAIL`, `WATCH_CANCEL_DEPOSIT`, `WATCH_CANCEL_REDEEM`.
    /// @dev Kept with the deposit request, so a settlement reads both in one word. Nothing can appear on
    /// the deposit side, or as a cancellation, unless it is watched: only the controller (or its
    /// operator, and the adapter names none) can file or cancel its requests, and a stranger's deposit
    /// filed under our name is not ours to claim.
    uint8 public watching;
    /// @notice Shares of our own redemption request not yet claimed as assets, their value when
    /// requested, and when it was filed.
    uint96 public redeemRequestShares;
    uint96 public redeemRequestAssets;
    uint64 public redeemRequestedAt;

    /// @notice The product's restriction manager does not let this adapter hold or receive shares.
    error NotMember(address holder);
    /// @notice The issuer has no price for the share class: the shares held cannot be valued.
    error PriceUnavailable();

    /// @notice The keeper asked the issuer to cancel the open deposit (or redemption) request.
    event CancelRequested(bool depositSide, address indexed caller);

    constructor(
        address vault_,
        IERC7540Like target,
        uint256 settleToleranceBps
    ) BaseAdapter(vault_, target.asset(), settleToleranceBps) {
        TARGET = target;
        SHARE = IERC20(target.share());
        ONE_UNIT = 10 ** IERC20Metadata(target.asset()).decimals();
        // Both request slots start non-zero (as BaseAdapter's), so a first request rewrites a word.
        (depositRequestedAt, redeemRequestedAt) = (1, 1);
        // The issuer's vault pulls our deposits: approved once, so a request costs no approval. It is the
        // contract that holds the position anyway, and the adapter holds assets only in passing.
        IERC20(target.asset()).forceApprove(address(target), type(uint256).max);
    }

    /// @inheritdoc IAdapter
    /// @dev Shares held at the issuer's price, plus our own requests (deposit at cost, redemption at
    /// the request's value) until claimed, plus assets held. Reverts `PriceUnavailable` when shares are
    /// held and the issuer has never priced them: its conversion reads zero then, which is not their
    /// value. A price the issuer set to zero is its valuation, which the vault's deviation guard weighs.
    function totalAssets() external view returns (uint256) {
        uint256 held = SHARE.balanceOf(address(this));
        uint256 value = TARGET.convertToAssets(held);
        if (value == 0 && held != 0 && !_priced()) revert PriceUnavailable();
        return value + depositRequestAssets + redeemRequestAssets + _assetBalance();
    }

    /// @inheritdoc IAdapter
    /// @dev The share price's own date where the issuer keeps one (Centrifuge V3's spoke): the vault's
    /// `priceLastUpdated` is the later of the share's and the asset's dates, so a fresh asset price would
    /// hide a stale NAV. Otherwise `priceLastUpdated`; zero (stale) when neither can be read.
    function navUpdatedAt() external view returns (uint256) {
        (bool known, uint256 computedAt) = _sharePriceDate();
        if (known) return computedAt;
        try TARGET.priceLastUpdated() returns (uint64 updatedAt) {
            return updatedAt;
        } catch {
            return 0;
        }
    }

    /// @inheritdoc IAdapter
    /// @dev Zero while our own deposit request is open, while our cancellation is pending at the issuer
    /// (which refuses new requests then), or while the adapter is not a member. A cancellation can be
    /// pending only once we asked for one (`watching`), so the issuer is asked only then.
    function maxDeposit() external view returns (uint256) {
        if (depositRequestAssets != 0) return 0;
        if (watching & WATCH_CANCEL_DEPOSIT != 0 && TARGET.pendingCancelDepositRequest(REQUEST_ID, address(this))) {
            return 0;
        }
        return _member() ? type(uint256).max : 0;
    }

    /// @inheritdoc IAdapter
    function maxWithdraw() external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IAdapter
    /// @dev Zero while our own redemption request is open, while our cancellation is pending (as
    /// `maxDeposit`, asked only once we asked for one), or while the hook would refuse the request: the
    /// adapter is not a current member, or is frozen.
    function maxRequestRedeem() external view override returns (uint256) {
        if (redeemRequestShares != 0) return 0;
        try IShareTokenLike(address(SHARE)).checkTransferRestriction(address(this), ESCROW_HOOK_ID, 0) returns (
            bool allowed
        ) {
            if (!allowed) return 0;
        } catch {
            return 0;
        }
        if (watching & WATCH_CANCEL_REDEEM != 0) {
            try TARGET.pendingCancelRedeemRequest(REQUEST_ID, address(this)) returns (bool cancelling) {
                if (cancelling) return 0;
            } catch {
                return 0;
            }
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
    /// @dev Everything the issuer would let `settle` claim now: redemption proceeds whoever asked for them
    /// (the issuer may trigger a redemption of our shares), and on the watched sides fills (strangers'
    /// included) and cancellations (a cancelled redemption's shares only while a member); plus cash the
    /// adapter holds beyond dust (a stranger's), which a settlement with nothing to claim from the issuer
    /// returns to the vault.
    function claimable() external view override returns (uint256 assets) {
        address self = address(this);
        uint256 watch = watching;
        assets = TARGET.maxWithdraw(self);
        // Dust (up to one whole unit, as the vault tolerates at removal) does not call for a settlement.
        uint256 cash = _assetBalance();
        if (cash > ONE_UNIT) assets += cash;
        uint256 shares;
        if (_watchesDeposits(depositRequestAssets, watch)) shares = TARGET.maxMint(self);
        // A refund comes back only to an adapter the issuer has not frozen (as proceeds, which `maxWithdraw`
        // already hides from a frozen holder).
        if (watch & WATCH_CANCEL_DEPOSIT != 0) {
            uint256 refund = TARGET.claimableCancelDepositRequest(REQUEST_ID, self);
            if (refund != 0 && _mayBePaid()) assets += refund;
        }
        // Shares of a cancelled redemption come back only to a member.
        if (watch & WATCH_CANCEL_REDEEM != 0 && _member()) {
            shares += TARGET.claimableCancelRedeemRequest(REQUEST_ID, self);
        }
        if (shares != 0) assets += TARGET.convertToAssets(shares);
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
            SafeCast.toUint128(open + assets),
            open == 0 ? uint64(block.timestamp) : depositRequestedAt
        );
        TARGET.requestDeposit(assets, address(this), address(this));
    }

    /// @inheritdoc IAdapter
    function withdraw(uint256) external view onlyVault {
        revert Unsupported();
    }

    /// @inheritdoc IAdapter
    /// @dev Requests the shares worth `assets` at today's price (rounded up, capped at holdings), priced
    /// through the holdings' value.
    function requestRedeem(uint256 assets) external override onlyVault returns (uint256 requested) {
        if (redeemRequestShares != 0) revert RequestAlreadyOpen();
        uint256 held = SHARE.balanceOf(address(this));
        uint256 worth = TARGET.convertToAssets(held);
        if (worth == 0) revert AmountTooLarge(assets, 0);
        // The holdings' share of `assets` at their own value (rounded up): one price read serves both
        // the amount and the value.
        uint256 shares = Math.min(Math.mulDiv(held, assets, worth, Math.Rounding.Ceil), held);
        // What the holdings' value drops by, so the request is value-neutral to the unit.
        requested = worth - TARGET.convertToAssets(held - shares);
        (redeemRequestShares, redeemRequestAssets, redeemRequestedAt) = (
            SafeCast.toUint96(shares),
            SafeCast.toUint96(requested),
            uint64(block.timestamp)
        );
        TARGET.requestRedeem(shares, address(this), address(this));
        emit RedeemRequested(requested);
    }

    /// @inheritdoc IAdapter
    /// @dev Claims redemption proceeds as assets; on the watched sides, fulfilled deposits as shares,
    /// cancelled deposits as assets and cancelled redemptions as shares (while a member); then closes our
    /// own requests by what was claimed, ours first, and passes the assets claimed on to the vault (or,
    /// with nothing claimed, the cash the adapter holds: a stranger's, which `claimable` counts so the
    /// keeper comes for it). Centrifuge V3 pays another receiver only if it is a member of the share's
    /// list: proceeds go straight to the vault when it is, other claims to the adapter. What the issuer holds for us is read once, from the
    /// request manager's raw state (`investments`), which a lapsed or frozen holder's views hide: a claim
    /// the issuer refuses then fails alone, and the side stays open. A side whose issuer state holds nothing
    /// more for this adapter, or whose remainder is within the settlement tolerance of what was claimed, is
    /// closed whole: the rest was the issuer's rounding or pricing, which the vault books at settlement.
    function settle() external onlyVault returns (uint256 assets) {
        (bool raw, InvestmentState memory state) = _issuerState();
        (uint256 open, uint256 watched) = _depositsQuiet(raw, state) ? (0, 0) : (depositRequestAssets, watching);
        uint256 watch = watched;
        bool member; // proven by shares received; asked only when a decision depends on it
        uint256 depositClaimed;
        uint256 cash; // assets claimed to the adapter, passed on to the vault below
        if (_watchesDeposits(open, watch)) {
            (watch, member, depositClaimed, cash) = _settleDeposits(open, watch, raw, state);
        }
        address self = address(this);
        // Proceeds claimed (`paid`): what the issuer held for us is out, to the vault or to the adapter.
        (uint256 redeemClaimed, bool paid, uint256 direct, uint256 toAdapter) = _claimProceeds(state.maxWithdraw);
        (assets, cash) = (direct, cash + toAdapter);
        if (watch & WATCH_CANCEL_REDEEM != 0) {
            uint256 back = state.claimableCancelRedeemRequest;
            if (back != 0 && (member || _member())) {
                try TARGET.claimCancelRedeemRequest(REQUEST_ID, self, self) returns (uint256 returned) {
                    (redeemClaimed, back) = (redeemClaimed + returned, 0);
                } catch {}
            }
            if (back == 0 && !state.pendingCancelRedeemRequest) watch &= ~uint256(WATCH_CANCEL_REDEEM);
        }
        if (watch != watched) watching = uint8(watch);
        _closeRedeem(raw, state, watch, redeemClaimed, paid);
        if (cash != 0) {
            IERC20(ASSET).safeTransfer(VAULT, cash);
            assets += cash;
        } else if (depositClaimed == 0 && redeemClaimed == 0) {
            assets = _settleProceeds();
        }
    }

    /// @inheritdoc IAdapter
    /// @dev A deposit request written off stays watched: its fill may still arrive, and is claimed then.
    function writeOff() external override onlyVault returns (uint256 written) {
        uint256 open = depositRequestAssets;
        written = open + redeemRequestAssets;
        if (open != 0) (depositRequestAssets, watching) = (0, watching | WATCH_DEPOSIT_TAIL);
        (redeemRequestShares, redeemRequestAssets) = (0, 0);
        emit RequestsWrittenOff(written);
    }

    /* ONLY VAULT KEEPER FUNCTIONS */

    /// @notice Asks the issuer to cancel the open deposit request (ERC-7887); `settle` claims it back.
    function cancelDeposit() external onlyVaultKeeper {
        watching |= WATCH_CANCEL_DEPOSIT;
        TARGET.cancelDepositRequest(REQUEST_ID, address(this));
        emit CancelRequested(true, msg.sender);
    }

    /// @notice Asks the issuer to cancel the open redemption request (ERC-7887); `settle` claims it back.
    function cancelRedeem() external onlyVaultKeeper {
        watching |= WATCH_CANCEL_REDEEM;
        TARGET.cancelRedeemRequest(REQUEST_ID, address(this));
        emit CancelRequested(false, msg.sender);
    }

    /* INTERNAL */

    /// @dev With nothing at the issuer on the deposit side and no cancellation anywhere (read from the raw
    /// state), there is nothing of ours there to claim or close but a redemption, and a settlement does
    /// not read the deposit side: a request of ours would show as pending, filled or cancelled.
    function _depositsQuiet(bool raw, InvestmentState memory state) private pure returns (bool) {
        return
            raw &&
            state.maxMint == 0 &&
            state.pendingDepositRequest == 0 &&
            state.claimableCancelDepositRequest == 0 &&
            state.claimableCancelRedeemRequest == 0 &&
            !state.pendingCancelDepositRequest &&
            !state.pendingCancelRedeemRequest;
    }

    /// @dev Closes our redemption request by the shares `redeemClaimed` (proceeds claimed: `paid`), whole
    /// when the rest is within tolerance or the issuer holds nothing more for it: nothing pending, no
    /// cancellation watched, and the proceeds just claimed or, from the raw state, none held (a frozen
    /// holder's view reads zero).
    function _closeRedeem(
        bool raw,
        InvestmentState memory state,
        uint256 watch,
        uint256 redeemClaimed,
        bool paid
    ) private {
        // A request of ours shows at the issuer as pending, proceeds or a cancellation watched: with none
        // of those in the raw state and nothing claimed, there is none to close.
        bool quiet =
            raw &&
                redeemClaimed == 0 &&
                state.pendingRedeemRequest == 0 &&
                state.maxWithdraw == 0 &&
                watch & WATCH_CANCEL_REDEEM == 0;
        uint256 shares = quiet ? 0 : redeemRequestShares;
        if (shares == 0) return;
        uint256 left = shares - Math.min(redeemClaimed, shares);
        if (
            _withinTolerance(left, shares) ||
            (watch & WATCH_CANCEL_REDEEM == 0 &&
                state.pendingRedeemRequest == 0 &&
                (paid || (raw && state.maxWithdraw == 0)))
        ) left = 0;
        // The remainder keeps the request's price, rounded down.
        // Both at most what they were: the casts cannot truncate.
        (redeemRequestShares, redeemRequestAssets) = (
            uint96(left),
            uint96(Math.mulDiv(redeemRequestAssets, left, shares))
        );
    }

    /// @dev Claims `proceeds`: straight to the vault where the issuer lets it be paid (a member of the
    /// share's list, as a deployment makes it), else to the adapter (`toAdapter`); a claim the issuer
    /// refuses (an expired asset price, a frozen holder) leaves them where they are.
    function _claimProceeds(
        uint256 proceeds
    ) private returns (uint256 burnt, bool paid, uint256 direct, uint256 toAdapter) {
        if (proceeds == 0) return (0, false, 0, 0);
        try TARGET.withdraw(proceeds, VAULT, address(this)) returns (uint256 shares) {
            return (shares, true, proceeds, 0);
        } catch {
            try TARGET.withdraw(proceeds, address(this), address(this)) returns (uint256 shares) {
                return (shares, true, 0, proceeds);
            } catch {}
        }
    }

    /// @dev The deposit side of a settlement: claims the fill as shares (a claim that pays proves
    /// membership) and a cancelled deposit's refund, then closes our open request `open` by what was
    /// claimed. Only an issuer state holding no fill (the raw state, or a member's views) proves nothing
    /// more is coming; until then the side stays watched, even with none of ours open.
    function _settleDeposits(
        uint256 open,
        uint256 watch,
        bool raw,
        InvestmentState memory state
    ) private returns (uint256 watchAfter, bool member, uint256 claimed, uint256 refunded) {
        address self = address(this);
        uint256 mintable = state.maxMint;
        if (mintable != 0) {
            // A claim the issuer refuses leaves the fill where it is: proceeds still settle.
            try TARGET.mint(mintable, self, self) returns (uint256 cost) {
                (claimed, mintable, member) = (cost, 0, true);
            } catch {}
        }
        if (watch & WATCH_CANCEL_DEPOSIT != 0) {
            bool refusal;
            if (state.claimableCancelDepositRequest != 0) {
                // Refused while the issuer freezes us: the refund waits, watched.
                try TARGET.claimCancelDepositRequest(REQUEST_ID, self, self) returns (uint256 refund) {
                    (claimed, refunded) = (claimed + refund, refund);
                } catch {
                    refusal = true;
                }
            }
            if (!refusal && !state.pendingCancelDepositRequest) watch &= ~uint256(WATCH_CANCEL_DEPOSIT);
        }
        bool empty =
            mintable == 0 &&
                watch & WATCH_CANCEL_DEPOSIT == 0 &&
                state.pendingDepositRequest == 0 &&
                (raw || member || _member());
        uint256 left = open - Math.min(claimed, open);
        if (empty || _withinTolerance(left, open)) left = 0;
        watchAfter = left == 0 && !empty ? watch | WATCH_DEPOSIT_TAIL : watch & ~uint256(WATCH_DEPOSIT_TAIL);
        if (left != open) depositRequestAssets = uint128(left); // at most the open amount
    }

    /// @dev Whether a settlement looks at the deposit side: our request is open, or something may still
    /// arrive for one closed or cancelled.
    function _watchesDeposits(uint256 open, uint256 watch) private pure returns (bool) {
        return open != 0 || watch & (WATCH_DEPOSIT_TAIL | WATCH_CANCEL_DEPOSIT) != 0;
    }

    /// @dev Whether `left` of an open `total` is nothing, or a rounding or pricing remainder, not an
    /// unfilled part.
    function _withinTolerance(uint256 left, uint256 total) private view returns (bool) {
        return left == 0 || (left < total && left * 10_000 <= total * SETTLE_TOLERANCE_BPS);
    }

    /// @dev What the issuer holds for us: the request manager's raw state (`raw`), fills and proceeds
    /// included whatever our membership; else the vault's views, which hide them from a lapsed or frozen
    /// holder.
    function _issuerState() private view returns (bool raw, InvestmentState memory state) {
        address self = address(this);
        // The manager that handles the vault's requests (and claims: read here, it is warm for them).
        (bool ok, uint256 manager) = ReadLib.tryUint(address(TARGET), IERC7540Like.asyncRedeemManager.selector);
        if (ok && manager >> 160 == 0) (raw, state) = _rawState(address(uint160(manager)));
        if (raw) return (raw, state);
        state.maxMint = SafeCast.toUint128(TARGET.maxMint(self));
        state.maxWithdraw = SafeCast.toUint128(TARGET.maxWithdraw(self));
        state.pendingDepositRequest = SafeCast.toUint128(TARGET.pendingDepositRequest(REQUEST_ID, self));
        state.pendingRedeemRequest = SafeCast.toUint128(TARGET.pendingRedeemRequest(REQUEST_ID, self));
        state.claimableCancelDepositRequest = SafeCast.toUint128(
            TARGET.claimableCancelDepositRequest(REQUEST_ID, self)
        );
        state.claimableCancelRedeemRequest = SafeCast.toUint128(TARGET.claimableCancelRedeemRequest(REQUEST_ID, self));
        state.pendingCancelDepositRequest = TARGET.pendingCancelDepositRequest(REQUEST_ID, self);
        state.pendingCancelRedeemRequest = TARGET.pendingCancelRedeemRequest(REQUEST_ID, self);
    }

    /// @dev `manager.investments(TARGET, this)`, read into the struct word for word (all ten are static),
    /// bounded in gas; `ok` false when the call fails, answers short, or a word does not fit its field.
    function _rawState(address manager) private view returns (bool ok, InvestmentState memory state) {
        bytes4 selector = IRequestManagerLike.investments.selector;
        address target = address(TARGET);
        uint256 gasBound = ReadLib.VIEW_GAS;
        uint256 wide;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 4), target)
            mstore(add(ptr, 0x24), address())
            ok := staticcall(gasBound, manager, ptr, 0x44, state, 0x140)
            ok := and(ok, iszero(lt(returndatasize(), 0x140)))
            for {
                let i := 0
            } lt(i, 0x100) {
                i := add(i, 0x20)
            } {
                wide := or(wide, shr(128, mload(add(state, i))))
            }
            wide := or(wide, or(gt(mload(add(state, 0x100)), 1), gt(mload(add(state, 0x120)), 1)))
        }
        // Eight amounts of 128 bits and two flags: anything wider is not this manager's state.
        ok = ok && wide == 0;
    }

    /// @dev The share price's computation date from the issuer's spoke (Centrifuge V3), if it can be read.
    function _sharePriceDate() private view returns (bool known, uint256 computedAt) {
        try TARGET.poolId() returns (uint64 poolId) {
            try TARGET.scId() returns (bytes16 scId) {
                try TARGET.manager() returns (address manager) {
                    try IRequestManagerLike(manager).spoke() returns (address spoke) {
                        try ISpokeLike(spoke).markersPricePoolPerShare(poolId, scId) returns (
                            uint64 at,
                            uint64,
                            uint64
                        ) {
                            return (true, at);
                        } catch {}
                    } catch {}
                } catch {}
            } catch {}
        } catch {}
    }

    /// @dev Whether the issuer has ever priced the share: a dated price on its spoke, or else a non-zero
    /// price per share.
    function _priced() private view returns (bool) {
        (bool known, uint256 computedAt) = _sharePriceDate();
        return known ? computedAt != 0 : TARGET.pricePerShare() != 0;
    }

    /// @dev Whether the issuer would pay this adapter assets now: Centrifuge asks the hook whether the
    /// receiver may burn, which only a frozen holder may not.
    function _mayBePaid() private view returns (bool) {
        return IShareTokenLike(address(SHARE)).checkTransferRestriction(address(this), address(0), 0);
    }

    function _member() private view returns (bool) {
        return IShareTokenLike(address(SHARE)).checkTransferRestriction(address(0), address(this), 0);
    }
}

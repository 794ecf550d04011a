// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {
    IBuidlLiquidityLike,
    IBuidlRedemptionLike,
    IDSComplianceConfigurationLike,
    IDSComplianceServiceLike,
    IDSRegistryLike,
    IDSServiceConsumerLike,
    IGroveBasinLike,
    IOffRampProviderLike,
    ISecuritizeOffRampLike,
    ISecuritizeOnRampLike,
    IOnRampProviderLike
} from "../interfaces/external/ISecuritizeLike.sol";
import {INavFeedLike} from "../interfaces/external/INavFeedLike.sol";
import {IUstbLike} from "../interfaces/external/ISuperstateLike.sol";
import {ReadLib} from "../libraries/ReadLib.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title BuidlAdapter
/// @notice A position in a transfer-issued product: the issuer mints after a payment to its deposit
/// address and pays after the tokens are handed back. Securitize BUIDL (or a class of it, such as BUIDL-I)
/// at $1 a token with dividends paid in tokens; Securitize STAC, or Superstate USCC, at the NAV their feed
/// publishes. Entry is asynchronous: USDC goes to the issuer's deposit address and counts at cost until
/// tokens are issued (or, for BUIDL, bought at once through Securitize's on-ramp). Tokens issued beyond
/// what is pending are yield, recognised as gains by the vault's report. Exit: for BUIDL, instantly through
/// Circle's facility or Securitize's off-ramp for tokens past Securitize's lock-up; for every product,
/// asynchronously by transfer to the issuer's redemption address (a DS token) or by `offchainRedeem`
/// (a Superstate token, which burns them), valued at the NAV of the request until the USDC arrives.
/// @dev A minimum ticket makes dust subscriptions impossible: every issuance is a record the token's
/// compliance check walks on each transfer, so thousands of tiny ones would brick the position.
/// The lock-up is Securitize's, read on every look: its compliance configuration service (which the
/// token names, `getDSService(256)`) holds one for US and one for non-US investors, which the issuer may
/// change; its compliance service (`getDSService(8)`) says what of a wallet's tokens may move at a time
/// under a lock-up, from the real issuance times (and the issuer's manual locks). The adapter asks it
/// with the longer lock-up, so it never promises an exit the token refuses; a transfer received is not an
/// issuance and is not locked. What it cannot read frees nothing. A Superstate token has no lock-up; its
/// AllowList (the token's `isAllowed`) stands for Securitize's registry.
/// A product priced by a feed is valued at the feed's answer, rounded down, and reverts its valuation when
/// the feed answers nothing positive or nothing newer than `MAX_NAV_AGE`: the vault then quarantines this
/// adapter alone. Its other views answer as if the product took nothing in and paid nothing out.
contract BuidlAdapter is BaseAdapter {
    using SafeERC20 for IERC20;

    /// @notice The DS protocol's service ids of the compliance service and its configuration.
    uint256 public constant COMPLIANCE_SERVICE = 8;
    uint256 public constant COMPLIANCE_CONFIGURATION_SERVICE = 256;

    IERC20 public immutable TOKEN;
    IDSRegistryLike public immutable REGISTRY;
    address public immutable DEPOSIT_ADDRESS;
    /// @notice Where tokens go for an off-chain redemption; zero when the class has none.
    address public immutable REDEMPTION_ADDRESS;
    /// @notice How the position exits at once; `EXIT` is the contract it goes through.
    InstantExit public immutable EXIT_ROUTE;
    /// @notice Circle's facility or Securitize's off-ramp, per `EXIT_ROUTE`; zero when there is none.
    address public immutable EXIT;
    /// @notice Securitize's on-ramp, through which entries buy tokens at once; zero when entries subscribe
    /// at the deposit address and wait for the issuer.
    address public immutable ON_RAMP;
    uint256 public immutable MIN_TICKET;

    /// @notice Whose token standard the product follows: what says who may hold it, whether issuances
    /// are locked up, and how tokens go back to the issuer.
    enum TokenStandard {
        /// Securitize's DS token: its registry, its compliance lock-up, a transfer to the redemption address.
        DSToken,
        /// Superstate's fund token: its AllowList (`isAllowed`), no lock-up, `offchainRedeem`.
        Superstate
    }

    /// @notice How a product is priced and held: `navFeed` zero prices it at $1 a token.
    struct TokenTerms {
        TokenStandard standard;
        address navFeed;
        /// Oldest feed answer the adapter values at, in seconds; zero with no feed.
        uint256 maxNavAge;
    }

    TokenStandard public immutable STANDARD;
    /// @notice The product's NAV feed; zero for a product at $1 a token (BUIDL).
    INavFeedLike public immutable NAV_FEED;
    uint256 public immutable MAX_NAV_AGE;
    /// @notice The largest feed answer taken as a price.
    int256 public constant MAX_NAV_ANSWER = int256(uint256(type(uint128).max));
    /// @dev A token amount's value is `tokens × answer × VALUE_OUT / VALUE_IN`: the feed's and the token's
    /// units in, the asset's out.
    uint256 private immutable VALUE_IN;
    uint256 private immutable VALUE_OUT;

    /// @notice The instant exits a BUIDL class may have.
    enum InstantExit {
        None,
        /// Circle's BUIDL redemption facility: 1:1, from its liquidity source.
        CircleFacility,
        /// Securitize's off-ramp over a Grove Basin: at the Basin's price, within a band around the NAV,
        /// less the Basin's and Securitize's fees.
        SecuritizeOffRamp
    }

    /// @notice Past its first estimate, the most tokens one at a time an off-ramp sale may add to pay a
    /// withdrawal in full: enough while the sale pays at least half a unit per token (see `offRampCapacity`).
    uint256 public constant OFF_RAMP_STEPS = 6;

    /// @notice USDC sent to the deposit address and not yet issued as tokens, at cost.
    /// @dev With the time it was sent, one storage slot (the time stays when the subscription fills).
    uint192 public pendingDepositAssets;
    /// @notice When the open subscription was sent.
    uint64 public depositRequestedAt;
    /// @notice Token balance when the adapter last looked.
    uint128 public observedBalance;

    /// @notice `assets` is below the minimum ticket `minTicket`.
    error BelowMinimumTicket(uint256 assets, uint256 minTicket);
    /// @notice Securitize's registry does not list this adapter as a wallet.
    error NotRegistered(address wallet);
    /// @notice The token and the vault's asset have different decimals; $1 a token needs them equal.
    error DecimalsMismatch(uint8 tokenDecimals, uint8 assetDecimals);
    /// @notice `exit` does not fit `route`: a route needs its contract, and no route takes one.
    error ExitRouteMismatch(InstantExit route, address exit);
    /// @notice The off-ramp or its liquidity provider is paused.
    error OffRampPaused();
    /// @notice The Basin's quote `preview` sits outside the ramp provider's band around the NAV quote
    /// `navQuote` (`tolerance` in 1/100,000): the ramp would refuse the swap.
    error OutsideNavBand(uint256 navQuote, uint256 preview, uint256 tolerance);
    /// @notice A ramp would turn `amount` into `out`: under half a unit for each, its fees take too much.
    error RampTooCostly(uint256 amount, uint256 out);
    /// @notice Securitize's on-ramp or its asset provider is paused, or it takes no subscriptions now.
    error OnRampClosed();
    /// @notice The on-ramp delivered `tokens` for `assets` USDC.
    event Bought(uint256 assets, uint256 tokens);
    /// @notice The NAV feed answers `answer` last updated at `updatedAt`: not positive, or older than
    /// `MAX_NAV_AGE`.
    error BadNav(int256 answer, uint256 updatedAt);
    /// @notice These terms do not fit `standard`: a DS token needs its registry, a Superstate token has
    /// none and no instant route.
    error StandardMismatch(TokenStandard standard);
    /// @notice The instant routes (Circle's facility, Securitize's ramps) trade a token worth $1: a product
    /// priced by a feed takes none.
    error RoutesNeedDollarToken();
    /// @notice A product priced by a feed takes no instant route, so it needs a redemption address.
    error NoWayOut();
    /// @notice A product priced by a feed needs a settlement tolerance above zero: its fills are valued at
    /// the feed's price, not the issuer's strike.
    error NavNeedsTolerance();
    /// @notice A NAV feed needs a maximum age, and a product at $1 takes none.
    error NavAgeMismatch(address navFeed, uint256 maxNavAge);

    /// @notice The subscription closed with the tokens issued for it worth `shortfall` less than it cost:
    /// within the settlement tolerance, the issuer's pricing and rounding, a loss the next report books.
    event SubscriptionClosedShort(uint256 shortfall);
    /// @notice `assets` of USDC went to the deposit address for a subscription.
    event SubscriptionSent(uint256 assets);
    /// @notice `tokens` were seen arriving, `filled` of the pending subscription's assets by them; the rest
    /// of their value is yield.
    event IssuanceObserved(uint256 tokens, uint256 filled);

    constructor(
        address vault_,
        address usdc,
        IERC20 token,
        IDSRegistryLike registry,
        address depositAddress,
        address redemptionAddress,
        InstantExit exitRoute,
        address exit,
        address onRamp,
        uint256 minTicket,
        uint256 settleToleranceBps,
        TokenTerms memory terms
    ) BaseAdapter(vault_, usdc, settleToleranceBps) {
        if (terms.navFeed != address(0) && (exitRoute != InstantExit.None || onRamp != address(0))) {
            revert RoutesNeedDollarToken();
        }
        (VALUE_IN, VALUE_OUT) = _valueUnits(address(token), usdc, terms);
        bool ds = terms.standard == TokenStandard.DSToken;
        if (ds == (address(registry) == address(0))) revert StandardMismatch(terms.standard);
        // A Superstate token is priced by its feed, and has no route but its own redemption.
        if (
            !ds &&
            (terms.navFeed == address(0) ||
                exitRoute != InstantExit.None ||
                onRamp != address(0) ||
                redemptionAddress != address(0))
        ) revert StandardMismatch(terms.standard);
        // A product priced by a feed has no instant route: its redemption address is its only way out.
        if (ds && terms.navFeed != address(0) && redemptionAddress == address(0)) revert NoWayOut();
        // Its fills are valued at the feed's price, which moves between the issuer's strike and the look.
        if (terms.navFeed != address(0) && settleToleranceBps == 0) revert NavNeedsTolerance();
        (STANDARD, NAV_FEED, MAX_NAV_AGE) = (terms.standard, INavFeedLike(terms.navFeed), terms.maxNavAge);
        TOKEN = token;
        REGISTRY = registry;
        DEPOSIT_ADDRESS = depositAddress;
        // A Superstate token takes its tokens back itself (`offchainRedeem` burns them).
        REDEMPTION_ADDRESS = ds ? redemptionAddress : address(token);
        if ((exitRoute == InstantExit.None) != (exit == address(0))) revert ExitRouteMismatch(exitRoute, exit);
        (EXIT_ROUTE, EXIT, ON_RAMP) = (exitRoute, exit, onRamp);
        MIN_TICKET = minTicket;
        // As the redemption slot (see BaseAdapter): the first subscription rewrites a word.
        depositRequestedAt = 1;
        // The exit's allowance never returns to zero (see `withdraw`): each instant exit rewrites it.
        if (exit != address(0)) token.forceApprove(exit, 1);
        if (onRamp != address(0)) IERC20(usdc).forceApprove(onRamp, 1);
    }

    /// @inheritdoc IAdapter
    /// @dev Tokens at the NAV, plus the larger of the value in flight (subscriptions not yet covered by
    /// newly seen tokens, and the open redemption) and the USDC held. A fill lowers pending by what it
    /// raises the holdings' value, and USDC arriving (redemption proceeds, or a subscription the issuer
    /// refunds) replaces value in flight, so nothing counts twice. Reverts without a usable NAV.
    function totalAssets() external view returns (uint256) {
        uint256 price = nav();
        uint256 balance = TOKEN.balanceOf(address(this));
        return
            _value(balance, price) +
            Math.max(_subscriptionInFlight(balance, price) + _pendingRedeemAssets, _assetBalance());
    }

    /// @notice The product's NAV as its feed answers it, in the feed's units; reverts `BadNav` when the
    /// answer is not positive or older than `MAX_NAV_AGE`. Zero for a product at $1 a token.
    function nav() public view returns (uint256 price) {
        if (address(NAV_FEED) == address(0)) return 0;
        (, int256 answer, , uint256 updatedAt, ) = NAV_FEED.latestRoundData();
        // An answer past 128 bits is no price: valuing with it would overflow the views that must answer.
        if (answer <= 0 || answer > MAX_NAV_ANSWER || updatedAt + MAX_NAV_AGE < block.timestamp) {
            revert BadNav(answer, updatedAt);
        }
        return uint256(answer);
    }

    /// @inheritdoc IAdapter
    /// @dev The older of the unfilled subscription's and the open redemption's times.
    function requestedAt() external view override returns (uint256 at) {
        if (_inFlightNow() != 0) at = depositRequestedAt;
        if (_pendingRedeemAssets != 0 && (at == 0 || _redeemRequestedAt < at)) at = _redeemRequestedAt;
    }

    /// @inheritdoc IAdapter
    /// @dev Forgets the unfilled subscription and the unpaid redemption; USDC already held stays counted.
    /// A product priced by a feed needs its NAV for that when tokens arrived against a pending subscription:
    /// without it, delivered tokens would be written off as an unfilled subscription (`BadNav`).
    function writeOff() external override onlyVault returns (uint256 written) {
        if (
            address(NAV_FEED) != address(0) &&
            pendingDepositAssets != 0 &&
            TOKEN.balanceOf(address(this)) > observedBalance
        ) nav();
        _observe();
        uint256 inFlight = pendingDepositAssets + _pendingRedeemAssets;
        uint256 cash = _assetBalance();
        written = Math.max(inFlight, cash) - cash;
        (pendingDepositAssets, _pendingRedeemAssets) = (0, 0);
        emit RequestsWrittenOff(written);
    }

    /// @inheritdoc IAdapter
    /// @dev A product at $1 is priced now; one with a feed, when the feed last answered (0 when it cannot).
    function navUpdatedAt() external view returns (uint256) {
        if (address(NAV_FEED) == address(0)) return block.timestamp;
        // The fourth word of `latestRoundData`, read raw: a feed answering short or garbled is no date.
        address feed = address(NAV_FEED);
        bytes4 selector = INavFeedLike.latestRoundData.selector;
        uint256 updatedAt;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            let ok := staticcall(500000, feed, ptr, 4, 0, 0)
            if and(ok, iszero(lt(returndatasize(), 0xa0))) {
                returndatacopy(ptr, 0x60, 0x20)
                updatedAt := mload(ptr)
            }
        }
        return updatedAt;
    }

    /// @inheritdoc IAdapter
    /// @dev Through the on-ramp, also its minimum subscription.
    function minDeposit() public view override returns (uint256) {
        if (ON_RAMP == address(0)) return MIN_TICKET;
        (bool ok, uint256 minimum) = ReadLib.tryUint(ON_RAMP, ISecuritizeOnRampLike.minSubscriptionAmount.selector);
        return ok ? Math.max(minimum, MIN_TICKET) : type(uint256).max;
    }

    /// @inheritdoc IAdapter
    /// @dev At the deposit address, one open subscription at a time: the next waits for the issuer to fill
    /// the last. Through the on-ramp, what it can turn into tokens now (`onRampCapacity`).
    function maxDeposit() external view returns (uint256) {
        (bool priced, uint256 price) = _tryNav();
        if (!priced || !_registered()) return 0;
        if (ON_RAMP != address(0)) {
            try this.onRampCapacity() returns (uint256 assets, uint256) {
                return assets;
            } catch {
                return 0;
            }
        }
        if (_subscriptionInFlight(TOKEN.balanceOf(address(this)), price) != 0) return 0;
        return type(uint256).max;
    }

    /// @notice The most USDC Securitize's on-ramp can turn into tokens for this adapter now, and the tokens
    /// that buys after Securitize's fee and the Basin's: within the tokens the Basin holds and its maximum
    /// swap size. Reverts where the on-ramp would refuse (paused, subscriptions off, no NAV, a paused or stale
    /// Basin, a quote outside the NAV band), and when an entry would buy under half a token a unit.
    function onRampCapacity() public view returns (uint256 assets, uint256 tokens) {
        ISecuritizeOnRampLike ramp = ISecuritizeOnRampLike(ON_RAMP);
        IOnRampProviderLike provider = ramp.assetProvider();
        if (ramp.paused() || provider.paused() || !ramp.investorSubscriptionEnabled()) revert OnRampClosed();
        IGroveBasinLike basin = provider.externalProvider();
        uint256 inventory = provider.availableAsset();
        // Probe with the inventory's worth, then scale to the size limit (on the gross, which bounds the net
        // the Basin sees) and to the inventory, down a unit at a time while rounding keeps it over.
        assets = inventory;
        uint256 limit = basin.maxSwapSize();
        uint256 value = assets == 0 ? 0 : basin.getAssetValue(ASSET, assets, true);
        if (value > limit) assets = Math.mulDiv(assets, limit, value);
        if (assets == 0) return (0, 0);
        uint256 fee;
        (tokens, , fee) = ramp.calculateDsTokenAmount(assets);
        if (tokens > inventory) {
            assets = Math.mulDiv(assets, inventory, tokens);
            for (uint256 i; assets != 0 && i < OFF_RAMP_STEPS; ++i) {
                (tokens, , fee) = ramp.calculateDsTokenAmount(assets);
                if (tokens <= inventory) break;
                --assets;
            }
            if (assets == 0 || tokens > inventory) return (0, 0);
        }
        uint256 rate = ramp.navProvider().rate();
        if (rate == 0) revert OnRampClosed();
        // The provider's NAV quote: the net USDC at the NAV, in tokens (same decimals), rounded down.
        uint256 unit = 10 ** IERC20Metadata(ASSET).decimals();
        _checkBand(Math.mulDiv(assets - fee, unit, rate), tokens, provider.rateTolerance());
        if (tokens * 2 < assets) revert RampTooCostly(assets, tokens);
        if (assets < minDeposit()) return (0, 0);
    }

    /// @inheritdoc IAdapter
    /// @dev Through the off-ramp: what selling every free token it can take pays (`offRampCapacity`).
    function maxWithdraw() external view returns (uint256) {
        if (EXIT_ROUTE == InstantExit.None || !_registered()) return 0;
        if (EXIT_ROUTE == InstantExit.SecuritizeOffRamp) {
            try this.offRampCapacity() returns (uint256, uint256 net) {
                return net;
            } catch {
                return 0;
            }
        }
        // Both reads are guarded: Circle's facility failing to name its liquidity source is no
        // liquidity, not a revert of the vault's views.
        address source;
        try IBuidlRedemptionLike(EXIT).liquidity() returns (address source_) {
            source = source_;
        } catch {
            return 0;
        }
        try IBuidlLiquidityLike(source).availableLiquidity() returns (uint256 liquidity) {
            return Math.min(transferable(), liquidity);
        } catch {
            return 0;
        }
    }

    /// @inheritdoc IAdapter
    /// @dev Circle's facility pays 1:1. The off-ramp: the tokens a withdrawal of `assets` may sell at most
    /// (the capacity's rate, rounded up, and `OFF_RAMP_STEPS`), less `assets`; it grows with `assets`.
    function withdrawCost(uint256 assets) external view override returns (uint256) {
        if (EXIT_ROUTE != InstantExit.SecuritizeOffRamp) return 0;
        try this.offRampCapacity() returns (uint256 tokens, uint256 net) {
            if (assets > net) return type(uint256).max;
            if (assets == 0) return 0;
            return Math.mulDiv(assets, Math.max(tokens, net), net, Math.Rounding.Ceil) + OFF_RAMP_STEPS - assets;
        } catch {
            return type(uint256).max;
        }
    }

    /// @notice The most of this adapter's BUIDL Securitize's off-ramp can sell now, and what that sale pays
    /// net of the Basin's fee and Securitize's: the tokens free of the lock-up, within the Basin's maximum
    /// swap size and the USDC it holds. Reverts where the off-ramp would refuse the sale (paused, no NAV, a
    /// paused or stale Basin, a quote outside the NAV band), and when the sale pays under half a unit a token.
    function offRampCapacity() public view returns (uint256 tokens, uint256 net) {
        ISecuritizeOffRampLike ramp = ISecuritizeOffRampLike(EXIT);
        IOffRampProviderLike provider = ramp.liquidityProvider();
        if (ramp.paused() || provider.paused()) revert OffRampPaused();
        IGroveBasinLike basin = provider.externalProvider();
        tokens = transferable();
        uint256 limit = basin.maxSwapSize();
        uint256 value = basin.getAssetValue(address(TOKEN), tokens, true);
        if (value > limit) {
            // The value rounds up: the proportional share may sit a unit over the limit.
            tokens = Math.mulDiv(tokens, limit, value);
            if (basin.getAssetValue(address(TOKEN), tokens, true) > limit) --tokens;
        }
        if (tokens == 0) return (0, 0);
        uint256 gross = basin.previewSwapExactIn(address(TOKEN), ASSET, tokens);
        uint256 inventory = ramp.availableLiquidity();
        if (gross > inventory) {
            // Proportionally, then down a token at a time while the quote's rounding keeps it over.
            tokens = Math.mulDiv(tokens, inventory, gross);
            for (uint256 i; tokens != 0 && i < OFF_RAMP_STEPS; ++i) {
                gross = basin.previewSwapExactIn(address(TOKEN), ASSET, tokens);
                if (gross <= inventory) break;
                --tokens;
            }
            if (tokens == 0 || gross > inventory) return (0, 0);
        }
        uint256 navQuote = ramp.calculateLiquidityTokenAmountBeforeFee(tokens);
        _checkBand(navQuote, gross, provider.rateTolerance());
        net = gross - ramp.feeManager().getFee(gross);
        if (net * 2 < tokens) revert RampTooCostly(tokens, net);
    }

    /// @inheritdoc IAdapter
    /// @dev The value of the tokens free to leave, at the NAV; nothing without one.
    function maxRequestRedeem() external view override returns (uint256) {
        if (REDEMPTION_ADDRESS == address(0) || _pendingRedeemAssets != 0 || !_registered()) return 0;
        (bool priced, uint256 price) = _tryNav();
        return priced ? _value(transferable(), price) : 0;
    }

    /// @inheritdoc IAdapter
    function pendingDeposit() external view override returns (uint256) {
        return _inFlightNow();
    }

    /// @notice Tokens free to leave: what Securitize's compliance service lets move now under the longer
    /// lock-up (all of them for a Superstate token), less what arrived since the adapter last looked;
    /// nothing when either cannot be read.
    function transferable() public view returns (uint256) {
        return _free(TOKEN.balanceOf(address(this)));
    }

    /// @notice The lock-up the adapter holds newly issued tokens to: the longer of Securitize's US and
    /// non-US lock-ups, read from the compliance configuration the token names; `type(uint256).max` when
    /// it cannot be read.
    function lockPeriod() external view returns (uint256) {
        (bool ok, uint256 period) = _lockPeriod();
        return ok ? period : type(uint256).max;
    }

    /// @inheritdoc IAdapter
    /// @dev Through the on-ramp, buys the tokens it quotes (its minimum out) and books them as held, not
    /// as yield; at the deposit address, sends a subscription and counts it at cost until issued.
    function deposit(uint256 assets) external onlyVault {
        _requireRegistered();
        uint256 minimum = minDeposit();
        if (assets < minimum) revert BelowMinimumTicket(assets, minimum);
        _observe();
        if (ON_RAMP != address(0)) {
            ISecuritizeOnRampLike ramp = ISecuritizeOnRampLike(ON_RAMP);
            (uint256 tokens, , ) = ramp.calculateDsTokenAmount(assets);
            // As for the exits: the allowance is what this entry takes plus the unit left standing.
            IERC20(ASSET).forceApprove(ON_RAMP, assets + 1);
            ramp.swap(assets, tokens);
            observedBalance = SafeCast.toUint128(TOKEN.balanceOf(address(this)));
            emit Bought(assets, tokens);
            return;
        }
        uint256 pending = pendingDepositAssets;
        (pendingDepositAssets, depositRequestedAt) = (
            SafeCast.toUint192(pending + assets),
            pending == 0 ? uint64(block.timestamp) : depositRequestedAt
        );
        IERC20(ASSET).safeTransfer(DEPOSIT_ADDRESS, assets);
        emit SubscriptionSent(assets);
    }

    /// @inheritdoc IAdapter
    /// @dev Through the off-ramp, sells the fewest tokens (from the capacity's rate, one more at a time)
    /// that pay `assets` after both fees, with `assets` as the off-ramp's minimum; everything it pays goes
    /// to the vault, so a unit of rounding beyond `assets` is the vault's.
    function withdraw(uint256 assets) external onlyVault {
        if (EXIT_ROUTE == InstantExit.None) revert Unsupported();
        _requireRegistered();
        _observe();
        // Right after `_observe` the balance is the observed one. The lock-up is the token's to enforce
        // ("Under lock-up"): the vault asks for no more than `maxWithdraw`, which already leaves it out,
        // so the exit need not read Securitize's configuration again.
        uint256 held = observedBalance;
        uint256 tokens = assets;
        if (EXIT_ROUTE == InstantExit.SecuritizeOffRamp) {
            (uint256 capacity, uint256 capacityNet) = offRampCapacity();
            if (assets > capacityNet) revert AmountTooLarge(assets, capacityNet);
            // At most the capacity: its own net covers `assets`, and the loop stops once covered.
            tokens = Math.mulDiv(assets, capacity, capacityNet, Math.Rounding.Ceil);
            ISecuritizeOffRampLike ramp = ISecuritizeOffRampLike(EXIT);
            for (uint256 i; i < OFF_RAMP_STEPS && ramp.calculateLiquidityTokenAmount(tokens) < assets; ++i) {
                ++tokens;
            }
        }
        if (tokens > held) revert AmountTooLarge(assets, held);
        // Exactly what this exit takes, plus the one base unit left standing so that the next approval
        // rewrites the allowance instead of creating it (about 17k gas). Neither Circle's facility nor
        // Securitize's off-ramp is BUIDL's issuer: neither holds more than that unit beyond the call.
        TOKEN.forceApprove(EXIT, tokens + 1);
        observedBalance = uint128(held - tokens); // at most the observed balance
        if (EXIT_ROUTE == InstantExit.CircleFacility) {
            // The facility pays `assets` 1:1; proceeds of off-chain redemptions stay.
            IBuidlRedemptionLike(EXIT).redeem(tokens);
            IERC20(ASSET).safeTransfer(VAULT, assets);
            return;
        }
        // Everything the off-ramp paid (at least `assets`, its minimum), and nothing else the adapter holds.
        uint256 cashBefore = _assetBalance();
        ISecuritizeOffRampLike(EXIT).redeem(tokens, assets);
        IERC20(ASSET).safeTransfer(VAULT, _assetBalance() - cashBefore);
    }

    /// @inheritdoc IAdapter
    function requestRedeem(uint256 assets) external override onlyVault returns (uint256 requested) {
        if (REDEMPTION_ADDRESS == address(0)) revert Unsupported();
        if (_pendingRedeemAssets != 0) revert RequestAlreadyOpen();
        _requireRegistered();
        _observe();
        // Right after `_observe` the balance is the observed one. As for an instant exit, the lock-up is the
        // token's to enforce: the vault asks for no more than `maxRequestRedeem`, which leaves it out.
        uint256 held = observedBalance;
        uint256 tokens = Math.min(assets, held);
        requested = tokens;
        if (address(NAV_FEED) != address(0)) {
            uint256 price = nav();
            tokens = Math.min(Math.mulDiv(assets, VALUE_IN, price * VALUE_OUT, Math.Rounding.Ceil), held);
            // What the holdings' value drops by, so the request is value-neutral to the unit.
            requested = _value(held, price) - _value(held - tokens, price);
        }
        _openRedeem(requested);
        observedBalance = uint128(held - tokens); // at most the observed balance
        if (STANDARD == TokenStandard.Superstate) {
            IUstbLike(address(TOKEN)).offchainRedeem(tokens);
        } else {
            TOKEN.safeTransfer(REDEMPTION_ADDRESS, tokens);
        }
    }

    /// @inheritdoc IAdapter
    /// @dev Books newly issued tokens (fills, then yield) and returns the USDC held to the vault. USDC held
    /// while a redemption is open is that redemption's (beyond it, the NAV's rise since the request); with
    /// none open, it is a subscription the issuer refunded, and closes that much of it.
    function settle() external onlyVault returns (uint256) {
        _observe();
        if (_pendingRedeemAssets == 0) {
            pendingDepositAssets -= uint192(Math.min(_assetBalance(), pendingDepositAssets));
        }
        return _settleProceeds();
    }

    /// @dev Subscriptions sent and not yet issued, net of tokens that arrived since the last look.
    function _subscriptionInFlight(uint256 balance, uint256 price) private view returns (uint256) {
        (uint256 filled, ) = _fill(balance > observedBalance ? balance - observedBalance : 0, price);
        return pendingDepositAssets - filled;
    }

    /// @dev The subscription in flight now, for the views that must answer without a NAV: tokens that
    /// arrived and cannot be valued fill nothing yet.
    function _inFlightNow() private view returns (uint256) {
        (bool priced, uint256 price) = _tryNav();
        uint256 balance = TOKEN.balanceOf(address(this));
        return priced ? _subscriptionInFlight(balance, price) : pendingDepositAssets;
    }

    /// @dev What of the pending subscription `arrived` tokens fill: their value at `price`, at most the
    /// subscription; all of it when what is left is within the settlement tolerance (the issuer's pricing
    /// and rounding, not a partial issuance).
    function _fill(uint256 arrived, uint256 price) private view returns (uint256 filled, uint256 worth) {
        uint256 pending = pendingDepositAssets;
        if (arrived == 0) return (0, 0);
        worth = _value(arrived, price);
        if (pending == 0) return (0, worth);
        filled = Math.min(worth, pending);
        uint256 left = pending - filled;
        // Within tolerance, or less than one token unit's worth (the issuer's rounding of what it mints).
        if (left * 10_000 <= pending * SETTLE_TOLERANCE_BPS || left <= _value(1, price) + 1) filled = pending;
    }

    /// @dev The units of `_value` for these terms, checking them: a feed with its maximum age, and a
    /// product at $1 with the asset's decimals.
    function _valueUnits(
        address token,
        address usdc,
        TokenTerms memory terms
    ) private view returns (uint256 valueIn, uint256 valueOut) {
        if ((terms.navFeed == address(0)) != (terms.maxNavAge == 0)) {
            revert NavAgeMismatch(terms.navFeed, terms.maxNavAge);
        }
        uint8 tokenDecimals = IERC20Metadata(token).decimals();
        uint8 assetDecimals = IERC20Metadata(usdc).decimals();
        if (terms.navFeed == address(0)) {
            if (tokenDecimals != assetDecimals) revert DecimalsMismatch(tokenDecimals, assetDecimals);
            return (1, 1);
        }
        return (10 ** (uint256(INavFeedLike(terms.navFeed).decimals()) + tokenDecimals), 10 ** uint256(assetDecimals));
    }

    function _observe() private {
        uint256 balance = TOKEN.balanceOf(address(this));
        if (balance <= observedBalance) {
            // Tokens the issuer took back (a burn) are a loss the next report sees; track the balance down.
            observedBalance = uint128(balance); // below the observed balance, itself a uint128
            return;
        }
        uint256 arrived = balance - observedBalance;
        (bool priced, uint256 price) = _tryNav();
        // Tokens that may fill a subscription wait for a NAV to be valued at; without one they stay unseen.
        if (!priced && pendingDepositAssets != 0) return;
        (uint256 filled, uint256 worth) = _fill(arrived, price);
        if (filled > worth) emit SubscriptionClosedShort(filled - worth);
        pendingDepositAssets -= uint192(filled); // at most the pending amount
        observedBalance = SafeCast.toUint128(balance);
        emit IssuanceObserved(arrived, filled);
    }

    /// @dev `tokens` at `price` in the asset, rounded down; one for one for a product at $1.
    function _value(uint256 tokens, uint256 price) private view returns (uint256) {
        if (address(NAV_FEED) == address(0)) return tokens;
        return Math.mulDiv(tokens, price * VALUE_OUT, VALUE_IN);
    }

    /// @dev The NAV without reverting: `priced` is false when the feed has no usable answer.
    function _tryNav() private view returns (bool priced, uint256 price) {
        if (address(NAV_FEED) == address(0)) return (true, 0);
        try this.nav() returns (uint256 price_) {
            return (true, price_);
        } catch {
            return (false, 0);
        }
    }

    /// @dev What of a token `balance` may leave: what the compliance service lets move under the longer
    /// lock-up, and nothing unseen (arrived since the last look, not yet booked as fill or yield);
    /// nothing when the lock-up or the compliance service cannot be read.
    function _free(uint256 balance) private view returns (uint256) {
        uint256 unseen = balance > observedBalance ? balance - observedBalance : 0;
        if (STANDARD == TokenStandard.Superstate) return balance - unseen;
        (bool ok, uint256 period) = _lockPeriod();
        if (!ok) return 0;
        address service;
        (ok, service) = _dsService(COMPLIANCE_SERVICE);
        if (!ok) return 0;
        uint256 movable;
        (ok, movable) = _complianceTransferable(service, period);
        if (!ok) return 0;
        return Math.min(balance - unseen, movable);
    }

    /// @dev What the compliance service lets this adapter move now under a lock-up of `period` (capped at
    /// 64 bits, as its interface takes), read without reverting and without copying more than a word.
    function _complianceTransferable(address service, uint256 period) private view returns (bool ok, uint256 value) {
        uint64 lockTime = period > type(uint64).max ? type(uint64).max : uint64(period);
        bytes memory data = abi.encodeCall(
            IDSComplianceServiceLike.getComplianceTransferableTokens,
            (address(this), block.timestamp, lockTime)
        );
        assembly ("memory-safe") {
            ok := staticcall(500000, service, add(data, 0x20), mload(data), 0, 0x20)
            ok := and(ok, iszero(lt(returndatasize(), 0x20)))
            value := mul(ok, mload(0))
        }
    }

    /// @dev The longer of Securitize's US and non-US lock-ups, from the compliance configuration service
    /// the token names; `ok` is false when any read fails or answers no contract.
    function _lockPeriod() private view returns (bool ok, uint256 period) {
        address configuration;
        (ok, configuration) = _dsService(COMPLIANCE_CONFIGURATION_SERVICE);
        if (!ok) return (false, 0);
        uint256 us;
        (ok, us) = ReadLib.tryUint(configuration, IDSComplianceConfigurationLike.getUSLockPeriod.selector);
        if (!ok) return (false, 0);
        (ok, period) = ReadLib.tryUint(configuration, IDSComplianceConfigurationLike.getNonUSLockPeriod.selector);
        if (!ok) return (false, 0);
        if (us > period) period = us;
    }

    /// @dev The contract the token names for DS service `id`; `ok` is false when the read fails or names
    /// no address.
    function _dsService(uint256 id) private view returns (bool ok, address service) {
        uint256 named;
        (ok, named) = ReadLib.tryUint(address(TOKEN), IDSServiceConsumerLike.getDSService.selector, id);
        ok = ok && named != 0 && named <= type(uint160).max;
        service = address(uint160(named));
    }

    /// @dev The off-ramp's provider's band: the Basin's preview within `tolerance` (in 1/100,000) of the
    /// NAV quote, as the provider checks it (unchecked at 100,000, exact at 0).
    function _checkBand(uint256 navQuote, uint256 preview, uint256 tolerance) private pure {
        if (tolerance >= 100_000) return;
        uint256 low = (navQuote * (100_000 - tolerance)) / 100_000;
        uint256 high = (navQuote * (100_000 + tolerance)) / 100_000;
        if (preview < low || preview > high) revert OutsideNavBand(navQuote, preview, tolerance);
    }

    /// @dev On Securitize's registry, or on the Superstate token's AllowList (a failing read is neither).
    function _registered() private view returns (bool) {
        if (STANDARD == TokenStandard.DSToken) return REGISTRY.isWallet(address(this));
        (bool ok, uint256 allowed) = ReadLib.tryUint(
            address(TOKEN),
            IUstbLike.isAllowed.selector,
            uint256(uint160(address(this)))
        );
        return ok && allowed != 0;
    }

    function _requireRegistered() private view {
        if (!_registered()) revert NotRegistered(address(this));
    }
}

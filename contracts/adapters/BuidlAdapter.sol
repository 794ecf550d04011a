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
import {ReadLib} from "../libraries/ReadLib.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title BuidlAdapter
/// @notice A position in Securitize BUIDL (or a class of it, such as BUIDL-I) at $1 a token. Entry is
/// asynchronous: USDC goes to the issuer's deposit address and counts at cost until tokens are issued.
/// Tokens issued beyond what is pending are yield (monthly dividends), recognised as gains by the vault's
/// report. Exit: instantly through Circle's facility for tokens past Securitize's lock-up and within its
/// liquidity, or asynchronously by transfer to the issuer's redemption address.
/// @dev A minimum ticket makes dust subscriptions impossible: every issuance is a record the token's
/// compliance check walks on each transfer, so thousands of tiny ones would brick the position.
/// The lock-up is Securitize's, read on every look: its compliance configuration service (which the
/// token names, `getDSService(256)`) holds one for US and one for non-US investors, which the issuer may
/// change; its compliance service (`getDSService(8)`) says what of a wallet's tokens may move at a time
/// under a lock-up, from the real issuance times (and the issuer's manual locks). The adapter asks it
/// with the longer lock-up, so it never promises an exit the token refuses; a transfer received is not an
/// issuance and is not locked. What it cannot read frees nothing.
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

    /// @notice `assets` of USDC went to the deposit address for a subscription.
    event SubscriptionSent(uint256 assets);
    /// @notice Tokens were seen arriving: `filled` against pending subscriptions, `yield` beyond them.
    event IssuanceObserved(uint256 filled, uint256 yield);

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
        uint256 settleToleranceBps
    ) BaseAdapter(vault_, usdc, settleToleranceBps) {
        uint8 tokenDecimals = IERC20Metadata(address(token)).decimals();
        uint8 assetDecimals = IERC20Metadata(usdc).decimals();
        if (tokenDecimals != assetDecimals) revert DecimalsMismatch(tokenDecimals, assetDecimals);
        TOKEN = token;
        REGISTRY = registry;
        DEPOSIT_ADDRESS = depositAddress;
        REDEMPTION_ADDRESS = redemptionAddress;
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
    /// @dev Tokens at $1, plus the larger of the value in flight (subscriptions not yet covered by newly
    /// seen tokens, and the open redemption) and the USDC held. A fill lowers pending by what it raises
    /// the balance, and USDC arriving (redemption proceeds, or a subscription the issuer refunds)
    /// replaces value in flight, so nothing counts twice.
    function totalAssets() external view returns (uint256) {
        uint256 balance = TOKEN.balanceOf(address(this));
        return balance + Math.max(_subscriptionInFlight(balance) + _pendingRedeemAssets, _assetBalance());
    }

    /// @inheritdoc IAdapter
    /// @dev The older of the unfilled subscription's and the open redemption's times.
    function requestedAt() external view override returns (uint256 at) {
        if (_subscriptionInFlight(TOKEN.balanceOf(address(this))) != 0) at = depositRequestedAt;
        if (_pendingRedeemAssets != 0 && (at == 0 || _redeemRequestedAt < at)) at = _redeemRequestedAt;
    }

    /// @inheritdoc IAdapter
    /// @dev Forgets the unfilled subscription and the unpaid redemption; USDC already held stays counted.
    function writeOff() external override onlyVault returns (uint256 written) {
        _observe();
        uint256 inFlight = pendingDepositAssets + _pendingRedeemAssets;
        uint256 cash = _assetBalance();
        written = Math.max(inFlight, cash) - cash;
        (pendingDepositAssets, _pendingRedeemAssets) = (0, 0);
        emit RequestsWrittenOff(written);
    }

    /// @inheritdoc IAdapter
    function navUpdatedAt() external view returns (uint256) {
        return block.timestamp;
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
        if (!_registered()) return 0;
        if (ON_RAMP != address(0)) {
            try this.onRampCapacity() returns (uint256 assets, uint256) {
                return assets;
            } catch {
                return 0;
            }
        }
        if (_subscriptionInFlight(TOKEN.balanceOf(address(this))) != 0) return 0;
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
    function maxRequestRedeem() external view override returns (uint256) {
        if (REDEMPTION_ADDRESS == address(0) || _pendingRedeemAssets != 0 || !_registered()) return 0;
        return transferable();
    }

    /// @inheritdoc IAdapter
    function pendingDeposit() external view override returns (uint256) {
        return _subscriptionInFlight(TOKEN.balanceOf(address(this)));
    }

    /// @notice Tokens free of the lock-up: what Securitize's compliance service lets move now under the
    /// longer lock-up, less what arrived since the adapter last looked; nothing when either cannot be read.
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
        requested = Math.min(assets, held);
        _openRedeem(requested);
        observedBalance = uint128(held - requested); // at most the observed balance
        TOKEN.safeTransfer(REDEMPTION_ADDRESS, requested);
    }

    /// @inheritdoc IAdapter
    /// @dev Books newly issued tokens (fills, then yield) and returns the USDC held to the vault. USDC
    /// beyond the open redemption is a subscription the issuer refunded: it closes that much of it.
    function settle() external onlyVault returns (uint256) {
        _observe();
        uint256 cash = _assetBalance();
        if (cash > _pendingRedeemAssets) {
            pendingDepositAssets -= uint192(Math.min(cash - _pendingRedeemAssets, pendingDepositAssets));
        }
        return _settleProceeds();
    }

    /// @dev Subscriptions sent and not yet issued, net of tokens that arrived since the last look.
    function _subscriptionInFlight(uint256 balance) private view returns (uint256) {
        return pendingDepositAssets - _unseenFill(balance);
    }

    /// @dev Tokens above the last observed balance that pending subscriptions account for.
    function _unseenFill(uint256 balance) private view returns (uint256) {
        uint256 unseen = balance > observedBalance ? balance - observedBalance : 0;
        return Math.min(unseen, pendingDepositAssets);
    }

    function _observe() private {
        uint256 balance = TOKEN.balanceOf(address(this));
        if (balance <= observedBalance) {
            // Tokens the issuer took back (a burn) are a loss the next report sees; track the balance down.
            observedBalance = uint128(balance); // below the observed balance, itself a uint128
            return;
        }
        uint256 arrived = balance - observedBalance;
        uint256 filled = Math.min(arrived, pendingDepositAssets);
        pendingDepositAssets -= uint192(filled); // at most the pending amount
        observedBalance = SafeCast.toUint128(balance);
        emit IssuanceObserved(filled, arrived - filled);
    }

    /// @dev What of a token `balance` may leave: what the compliance service lets move under the longer
    /// lock-up, and nothing unseen (arrived since the last look, not yet booked as fill or yield);
    /// nothing when the lock-up or the compliance service cannot be read.
    function _free(uint256 balance) private view returns (uint256) {
        (bool ok, uint256 period) = _lockPeriod();
        if (!ok) return 0;
        address service;
        (ok, service) = _dsService(COMPLIANCE_SERVICE);
        if (!ok) return 0;
        uint256 movable;
        (ok, movable) = _complianceTransferable(service, period);
        if (!ok) return 0;
        uint256 unseen = balance > observedBalance ? balance - observedBalance : 0;
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

    function _registered() private view returns (bool) {
        return REGISTRY.isWallet(address(this));
    }

    function _requireRegistered() private view {
        if (!_registered()) revert NotRegistered(address(this));
    }
}

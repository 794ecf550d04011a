// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SandboxGroveBasin} from "./SandboxGroveBasin.sol";
import {
    SandboxBasinProvider,
    SandboxMbpsFeeManager,
    SandboxSecuritizeNavProvider,
    SandboxSecuritizePausable
} from "./SandboxSecuritizeOffRamp.sol";

// Securitize's on-ramp over a Grove Basin (securitize-io/bc-on-off-ramp-sc 1cc02a7:
// contracts/on-ramp/ExternalAssetProviderOnRamp.sol, SecuritizeOnRamp.sol, BaseOnRamp.sol,
// provider/ExternalAssetProvider.sol): a registered BUIDL holder buys BUIDL at once with USDC, at the Basin's
// price within a band around the NAV, after Securitize's fee. No mainnet address is published: the emulated
// mainnet places its own. docs/FIDELITY.md says what is simplified.

/// @notice The slice of a DS token's service registry the on-ramp reads.
interface IDSServicesLike {
    function getDSService(uint256 serviceId) external view returns (address);
}

/// @notice The slice of Securitize's registry service the on-ramp reads.
interface IDSWalletsLike {
    function isWallet(address wallet) external view returns (bool);
}

/// @title SandboxExternalAssetProvider
/// @notice The on-ramp's asset provider over a Grove Basin: holds the buyer's USDC (the on-ramp's custodian
/// wallet), checks the Basin's quote against the NAV within the band and its BUIDL inventory, and buys
/// exactly the quoted BUIDL for the buyer.
contract SandboxExternalAssetProvider is SandboxBasinProvider {
    using SafeERC20 for IERC20;

    IERC20Metadata public liquidityToken;
    IERC20Metadata public asset;
    SandboxSecuritizeNavProvider public navProvider;
    address public securitizeOnRamp;

    error OnRampUnauthorizedAccount(address account);
    error InsufficientLiquidityToSwap(uint256 requested, uint256 available);
    error UnexpectedSwapOutputError(uint256 expected, uint256 actual);
    error InsufficientAssetLiquidity(uint256 requested, uint256 available);
    error NonZeroNavRateError();
    error DirectSupplyNotSupported();

    function initialize(
        address owner_,
        IERC20Metadata liquidityToken_,
        IERC20Metadata asset_,
        SandboxSecuritizeNavProvider navProvider_,
        SandboxGroveBasin basin
    ) external initializer {
        _initializeProvider(owner_, basin);
        (liquidityToken, asset, navProvider) = (liquidityToken_, asset_, navProvider_);
    }

    function setSecuritizeOnRamp(address onRamp) external onlyOwner {
        securitizeOnRamp = onRamp;
    }

    function supplyTo(address, uint256) external pure {
        revert DirectSupplyNotSupported();
    }

    /// @notice Buys exactly `expectedAssetAmount` of the asset with `netLiquidity` USDC held here, for `buyer`;
    /// only for the on-ramp, which names the quote it expects.
    function supplyExactIn(address buyer, uint256 netLiquidity, uint256 expectedAssetAmount) external whenNotPaused {
        if (msg.sender != securitizeOnRamp) revert OnRampUnauthorizedAccount(msg.sender);
        if (netLiquidity == 0) revert ZeroAmountToSwap();
        uint256 held = liquidityToken.balanceOf(address(this));
        if (held < netLiquidity) revert InsufficientLiquidityToSwap(netLiquidity, held);
        uint256 quoted = externalProvider.previewSwapExactIn(address(liquidityToken), address(asset), netLiquidity);
        if (quoted != expectedAssetAmount) revert UnexpectedSwapOutputError(expectedAssetAmount, quoted);
        if (quoted == 0) revert ZeroAmountToSwap();
        _checkBand(_assetForLiquidity(netLiquidity), quoted);
        uint256 available = availableAsset();
        if (quoted > available) revert InsufficientAssetLiquidity(quoted, available);
        IERC20(address(liquidityToken)).forceApprove(address(externalProvider), netLiquidity);
        externalProvider.swapExactIn(
            address(liquidityToken),
            address(asset),
            netLiquidity,
            expectedAssetAmount,
            buyer,
            referralCode
        );
    }

    /// @notice What `netLiquidity` USDC buys in the Basin, net of its purchase fee.
    function quoteAsset(uint256 netLiquidity) external view returns (uint256) {
        return externalProvider.previewSwapExactIn(address(liquidityToken), address(asset), netLiquidity);
    }

    /// @notice The asset the Basin holds for sale (the credit token is the Basin's own, not its pocket's).
    function availableAsset() public view returns (uint256) {
        return asset.balanceOf(address(externalProvider));
    }

    /// @dev `liquidityAmount` at the NAV (the asset's price in its own decimals), rounded down.
    function _assetForLiquidity(uint256 liquidityAmount) private view returns (uint256) {
        uint256 rate = navProvider.rate();
        if (rate == 0) revert NonZeroNavRateError();
        return (liquidityAmount * 10 ** (2 * asset.decimals())) / (rate * 10 ** liquidityToken.decimals());
    }
}

/// @title SandboxSecuritizeOnRamp
/// @notice Sells a DS token (BUIDL) for the liquidity token (USDC) at once: a registered investor, while
/// subscriptions are enabled and the amount is at least the minimum, pays USDC; Securitize's fee goes to its
/// collector, the rest to the custodian wallet (the asset provider), which buys the quoted tokens in the
/// Basin for the investor; the quote is checked against the investor's minimum. Pausable by its admin.
contract SandboxSecuritizeOnRamp is SandboxSecuritizePausable {
    using SafeERC20 for IERC20;

    uint256 public constant REGISTRY_SERVICE = 4;

    IERC20Metadata public dsToken;
    IERC20Metadata public liquidityToken;
    SandboxSecuritizeNavProvider public navProvider;
    SandboxMbpsFeeManager public feeManager;
    address public custodianWallet;
    SandboxExternalAssetProvider public assetProvider;
    uint256 public minSubscriptionAmount;
    bool public investorSubscriptionEnabled;

    error InvestorNotRegisteredError();
    error NonZeroNavRateError();
    error InvestorSubscriptionDisabledError();
    error MinSubscriptionAmountError();
    error SlippageControlError();
    error InsufficientERC20BalanceError();
    error SameValueError();

    event Swap(
        address indexed investor,
        uint256 dsTokenAmount,
        uint256 liquidityAmount,
        address indexed to,
        uint256 rate,
        uint256 fee,
        address liquidityToken
    );

    function initialize(
        address owner_,
        IERC20Metadata dsToken_,
        IERC20Metadata liquidityToken_,
        SandboxSecuritizeNavProvider navProvider_,
        SandboxMbpsFeeManager feeManager_,
        SandboxExternalAssetProvider assetProvider_
    ) external initializer {
        (owner, dsToken, liquidityToken, navProvider, feeManager) = (
            owner_,
            dsToken_,
            liquidityToken_,
            navProvider_,
            feeManager_
        );
        (assetProvider, custodianWallet) = (assetProvider_, address(assetProvider_));
    }

    function toggleInvestorSubscription(bool enabled) external onlyOwner {
        if (enabled == investorSubscriptionEnabled) revert SameValueError();
        investorSubscriptionEnabled = enabled;
    }

    function updateMinSubscriptionAmount(uint256 amount) external onlyOwner {
        minSubscriptionAmount = amount;
    }

    /// @notice What `liquidityAmount` USDC buys: the tokens (the Basin's quote for it less Securitize's fee),
    /// the NAV, and the fee.
    function calculateDsTokenAmount(
        uint256 liquidityAmount
    ) public view returns (uint256 dsTokenAmount, uint256 rate, uint256 fee) {
        fee = feeManager.getFee(liquidityAmount);
        rate = navProvider.rate();
        dsTokenAmount = assetProvider.quoteAsset(liquidityAmount - fee);
    }

    function swap(uint256 liquidityAmount, uint256 minOutAmount) external whenNotPaused {
        address registry = IDSServicesLike(address(dsToken)).getDSService(REGISTRY_SERVICE);
        if (!IDSWalletsLike(registry).isWallet(msg.sender)) revert InvestorNotRegisteredError();
        if (navProvider.rate() == 0) revert NonZeroNavRateError();
        if (!investorSubscriptionEnabled) revert InvestorSubscriptionDisabledError();
        if (liquidityAmount < minSubscriptionAmount) revert MinSubscriptionAmountError();
        (uint256 dsTokenAmount, uint256 rate, uint256 fee) = calculateDsTokenAmount(liquidityAmount);
        if (dsTokenAmount < minOutAmount) revert SlippageControlError();
        if (liquidityToken.balanceOf(msg.sender) < liquidityAmount) revert InsufficientERC20BalanceError();
        IERC20 liquidity = IERC20(address(liquidityToken));
        liquidity.safeTransferFrom(msg.sender, address(this), liquidityAmount);
        if (fee != 0) liquidity.safeTransfer(feeManager.feeCollector(), fee);
        liquidity.safeTransfer(custodianWallet, liquidityAmount - fee);
        assetProvider.supplyExactIn(msg.sender, liquidityAmount - fee, dsTokenAmount);
        emit Swap(msg.sender, dsTokenAmount, liquidityAmount, msg.sender, rate, fee, address(liquidity));
    }
}

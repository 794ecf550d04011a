// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SandboxInit} from "./SandboxToken.sol";
import {SandboxGroveBasin} from "./SandboxGroveBasin.sol";

// Securitize's off-ramp over a Grove Basin (securitize-io/bc-on-off-ramp-sc 1cc02a7:
// contracts/off-ramp/ExternalLiquidityProviderOffRamp.sol, SecuritizeOffRamp.sol, provider/
// ExternalLiquidityProvider.sol, common/BaseExternalProvider.sol, fee/MbpsFeeManager.sol): a BUIDL holder
// sells BUIDL for USDC at once, at the Basin's price within a band around the NAV, less Securitize's fee.
// No mainnet address is published: the emulated mainnet places its own. docs/FIDELITY.md says what is
// simplified (one owner for every role, no country list, no upgrade proxy).

/// @title SandboxSecuritizeNavProvider
/// @notice The NAV provider the off-ramp reads: the asset's price in its own decimals (1e6 = $1 for BUIDL).
contract SandboxSecuritizeNavProvider is SandboxInit {
    address public owner;
    uint256 public rate;

    error Unauthorized();

    function initialize(address owner_, uint256 rate_) external initializer {
        (owner, rate) = (owner_, rate_);
    }

    function setRate(uint256 rate_) external {
        if (msg.sender != owner) revert Unauthorized();
        rate = rate_;
    }
}

/// @title SandboxMbpsFeeManager
/// @notice Securitize's fee manager: a fee in thousandths of a basis point (1,000 = 1 %), rounded up.
contract SandboxMbpsFeeManager is SandboxInit {
    uint256 public constant FEE_DENOMINATOR = 100_000;

    address public owner;
    uint256 public feePercentageMBPS;
    address public feeCollector;

    error Unauthorized();

    event FeeUpdated(uint256 oldFee, uint256 newFee);

    function initialize(address owner_, uint256 feeMbps, address collector) external initializer {
        (owner, feePercentageMBPS, feeCollector) = (owner_, feeMbps, collector);
    }

    function setFeePercentageMBPS(uint256 feeMbps) external {
        if (msg.sender != owner) revert Unauthorized();
        emit FeeUpdated(feePercentageMBPS, feeMbps);
        feePercentageMBPS = feeMbps;
    }

    function getFee(uint256 amount) public view returns (uint256) {
        return Math.mulDiv(amount, feePercentageMBPS, FEE_DENOMINATOR, Math.Rounding.Ceil);
    }
}

/// @title SandboxSecuritizePausable
/// @notice What Securitize's ramp contracts share: one owner for every role, and a pause (`EnforcedPause`).
abstract contract SandboxSecuritizePausable is SandboxInit {
    address public owner;
    bool public paused;

    error Unauthorized();
    error EnforcedPause();

    event Paused(address account);
    event Unpaused(address account);

    modifier onlyOwner() {
        if (msg.sender != owner) revert Unauthorized();
        _;
    }

    modifier whenNotPaused() {
        if (paused) revert EnforcedPause();
        _;
    }

    function pause() external onlyOwner {
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyOwner {
        paused = false;
        emit Unpaused(msg.sender);
    }
}

/// @title SandboxBasinProvider
/// @notice What Securitize's two Grove Basin providers share (bc-on-off-ramp-sc `BaseExternalProvider`): the
/// Basin, a referral code, the band around the NAV the Basin's quote must keep (`rateTolerance`, in
/// 1/100,000; 1,000 by default), and a pause; one owner for every role.
abstract contract SandboxBasinProvider is SandboxSecuritizePausable {
    uint256 public constant TOLERANCE_DENOMINATOR = 100_000;
    uint256 public constant DEFAULT_RATE_TOLERANCE = 1_000;

    SandboxGroveBasin public externalProvider;
    uint256 public rateTolerance;
    uint256 public referralCode;

    error ZeroAmountToSwap();
    error MinRateDivergenceError(uint256 navQuote, uint256 groveBasinPreview, uint256 tolerance);
    error MaxRateDivergenceError(uint256 navQuote, uint256 groveBasinPreview, uint256 tolerance);
    error InvalidRateToleranceError(uint256 tolerance);

    event RateToleranceUpdated(uint256 oldTolerance, uint256 newTolerance);

    function setRateTolerance(uint256 tolerance) external onlyOwner {
        if (tolerance > TOLERANCE_DENOMINATOR) revert InvalidRateToleranceError(tolerance);
        emit RateToleranceUpdated(rateTolerance, tolerance);
        rateTolerance = tolerance;
    }

    function _initializeProvider(address owner_, SandboxGroveBasin basin) internal {
        (owner, externalProvider, rateTolerance) = (owner_, basin, DEFAULT_RATE_TOLERANCE);
    }

    /// @dev The Basin's quote (net of its fee) within `rateTolerance` of the NAV quote (before any fee):
    /// skipped at 100,000, exact at 0.
    function _checkBand(uint256 navQuote, uint256 preview) internal view {
        uint256 tolerance = rateTolerance;
        if (tolerance == TOLERANCE_DENOMINATOR) return;
        uint256 low = (navQuote * (TOLERANCE_DENOMINATOR - tolerance)) / TOLERANCE_DENOMINATOR;
        uint256 high = (navQuote * (TOLERANCE_DENOMINATOR + tolerance)) / TOLERANCE_DENOMINATOR;
        if (preview < low) revert MinRateDivergenceError(navQuote, preview, tolerance);
        if (preview > high) revert MaxRateDivergenceError(navQuote, preview, tolerance);
    }
}

/// @title SandboxExternalLiquidityProvider
/// @notice The off-ramp's liquidity provider over a Grove Basin: receives the redeemed tokens, checks the
/// Basin's preview against the NAV quote within the band, swaps exactly this redemption's tokens at the
/// preview and pays the off-ramp. Pausable by its admin.
contract SandboxExternalLiquidityProvider is SandboxBasinProvider {
    using SafeERC20 for IERC20;

    IERC20Metadata public assetToken;
    IERC20Metadata public liquidityToken;
    address public securitizeOffRamp;

    error RedemptionUnauthorizedAccount(address account);
    error InsufficientAssetToSwap(uint256 requested, uint256 available);
    error UnexpectedAssetBalanceError(uint256 expected, uint256 actual);

    function initialize(
        address owner_,
        IERC20Metadata assetToken_,
        IERC20Metadata liquidityToken_,
        address offRamp,
        SandboxGroveBasin basin
    ) external initializer {
        _initializeProvider(owner_, basin);
        (assetToken, liquidityToken, securitizeOffRamp) = (assetToken_, liquidityToken_, offRamp);
    }

    /// @notice Where the off-ramp sends the redeemed tokens: the provider itself.
    function recipient() external view returns (address) {
        return address(this);
    }

    /// @notice The liquidity token the Basin holds (its collateral is its own, not its pocket's).
    function availableLiquidity() external view returns (uint256) {
        return liquidityToken.balanceOf(address(externalProvider));
    }

    /// @notice Swaps exactly `assetAmount` of the tokens received for the liquidity token, paid to
    /// `receiver`; only for the off-ramp, which names the NAV quote it expects.
    function supplyExactIn(
        address receiver,
        uint256 assetAmount,
        uint256 expectedLiquidityAmount
    ) external whenNotPaused returns (uint256 amountOut) {
        if (msg.sender != securitizeOffRamp) revert RedemptionUnauthorizedAccount(msg.sender);
        if (assetAmount == 0) revert ZeroAmountToSwap();
        uint256 held = assetToken.balanceOf(address(this));
        if (held < assetAmount) revert InsufficientAssetToSwap(assetAmount, held);
        uint256 navGross = SandboxSecuritizeOffRamp(securitizeOffRamp).calculateLiquidityTokenAmountBeforeFee(
            assetAmount
        );
        if (navGross != expectedLiquidityAmount) revert UnexpectedAssetBalanceError(expectedLiquidityAmount, navGross);
        uint256 preview = externalProvider.previewSwapExactIn(
            address(assetToken),
            address(liquidityToken),
            assetAmount
        );
        if (preview == 0 || navGross == 0) revert ZeroAmountToSwap();
        _checkBand(navGross, preview);
        IERC20(address(assetToken)).forceApprove(address(externalProvider), assetAmount);
        amountOut = externalProvider.swapExactIn(
            address(assetToken),
            address(liquidityToken),
            assetAmount,
            preview,
            receiver,
            referralCode
        );
    }
}

/// @title SandboxSecuritizeOffRamp
/// @notice Redeems a DS token (BUIDL) for the liquidity token (USDC) through its liquidity provider: the
/// NAV and the holder's balance checked, the tokens taken and handed to the provider (two steps), the
/// provider's swap paid here, Securitize's fee taken from it (rounded up), the rest checked against the
/// holder's minimum and paid. Pausable by its admin.
contract SandboxSecuritizeOffRamp is SandboxSecuritizePausable {
    using SafeERC20 for IERC20;

    IERC20Metadata public asset;
    SandboxExternalLiquidityProvider public liquidityProvider;
    SandboxSecuritizeNavProvider public navProvider;
    address public feeManager;

    error NonZeroNavRateError();
    error InsufficientRedeemerBalance(address redeemer, uint256 requested, uint256 available);
    error SlippageControlError();

    event RedemptionCompleted(
        address indexed redeemer,
        uint256 dsTokenValue,
        uint256 liquidityValue,
        uint256 rate,
        uint256 fee,
        address indexed liquidityToken
    );

    function initialize(
        address owner_,
        IERC20Metadata asset_,
        SandboxSecuritizeNavProvider navProvider_,
        address feeManager_
    ) external initializer {
        (owner, asset, navProvider, feeManager) = (owner_, asset_, navProvider_, feeManager_);
    }

    function updateLiquidityProvider(SandboxExternalLiquidityProvider provider) external onlyOwner {
        liquidityProvider = provider;
    }

    /// @notice The asset's address, as the provider checks when wired.
    function assetAddress() external view returns (address) {
        return address(asset);
    }

    /// @notice What `assetAmount` fetches after the Basin's fee and Securitize's: the Basin's preview less
    /// the fee on it. No NAV, band or balance check.
    function calculateLiquidityTokenAmount(uint256 assetAmount) external view returns (uint256) {
        SandboxExternalLiquidityProvider provider = liquidityProvider;
        uint256 gross = provider.externalProvider().previewSwapExactIn(
            address(provider.assetToken()),
            address(provider.liquidityToken()),
            assetAmount
        );
        return gross - SandboxMbpsFeeManager(feeManager).getFee(gross);
    }

    /// @notice `assetAmount` at the NAV, before any fee: the band's centre.
    function calculateLiquidityTokenAmountBeforeFee(uint256 assetAmount) public view returns (uint256) {
        uint256 rate = navProvider.rate();
        if (rate == 0) revert NonZeroNavRateError();
        uint256 assetUnit = 10 ** asset.decimals();
        return
            Math.mulDiv(assetAmount, rate * 10 ** liquidityProvider.liquidityToken().decimals(), assetUnit * assetUnit);
    }

    /// @notice The provider's liquidity (a best-effort read: the Basin's own balance).
    function availableLiquidity() external view returns (uint256) {
        return liquidityProvider.availableLiquidity();
    }

    function redeem(uint256 assetAmount, uint256 minOutputAmount) external whenNotPaused {
        uint256 rate = navProvider.rate();
        if (rate == 0) revert NonZeroNavRateError();
        uint256 held = asset.balanceOf(msg.sender);
        if (held < assetAmount) revert InsufficientRedeemerBalance(msg.sender, assetAmount, held);
        SandboxExternalLiquidityProvider provider = liquidityProvider;
        uint256 navGross = calculateLiquidityTokenAmountBeforeFee(assetAmount);
        IERC20(address(asset)).safeTransferFrom(msg.sender, address(this), assetAmount);
        IERC20(address(asset)).safeTransfer(provider.recipient(), assetAmount);
        uint256 supplied = provider.supplyExactIn(address(this), assetAmount, navGross);
        uint256 fee = SandboxMbpsFeeManager(feeManager).getFee(supplied);
        uint256 net = supplied - fee;
        if (net < minOutputAmount) revert SlippageControlError();
        IERC20 liquidity = IERC20(address(provider.liquidityToken()));
        liquidity.safeTransfer(msg.sender, net);
        if (fee != 0) liquidity.safeTransfer(SandboxMbpsFeeManager(feeManager).feeCollector(), fee);
        emit RedemptionCompleted(msg.sender, assetAmount, net, rate, fee, address(liquidity));
    }
}

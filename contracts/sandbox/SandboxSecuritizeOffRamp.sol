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
// simplified (the provider's steps run inside the off-ramp; no country list).

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

/// @title SandboxSecuritizeOffRamp
/// @notice Redeems a DS token (BUIDL) for the liquidity token (USDC) through a Grove Basin: the holder's
/// balance checked, the tokens taken, the Basin's preview checked against the NAV quote within
/// `rateTolerance` (in 1/100,000), swapped, Securitize's fee taken from what the Basin paid (rounded up),
/// the rest checked against the holder's minimum and paid. Pausable by its admin.
contract SandboxSecuritizeOffRamp is SandboxInit {
    using SafeERC20 for IERC20;

    uint256 public constant TOLERANCE_DENOMINATOR = 100_000;
    uint256 public constant DEFAULT_RATE_TOLERANCE = 1_000;

    address public owner;
    address public asset;
    address public liquidityToken;
    SandboxSecuritizeNavProvider public navProvider;
    SandboxMbpsFeeManager public feeManager;
    SandboxGroveBasin public basin;
    uint256 public rateTolerance;
    bool public paused;

    error Unauthorized();
    error EnforcedPause();
    error NonZeroNavRateError();
    error InsufficientRedeemerBalance(address redeemer, uint256 requested, uint256 available);
    error ZeroAmountToSwap();
    error MinRateDivergenceError(uint256 navQuote, uint256 groveBasinPreview, uint256 tolerance);
    error MaxRateDivergenceError(uint256 navQuote, uint256 groveBasinPreview, uint256 tolerance);
    error SlippageControlError();
    error InvalidRateToleranceError(uint256 tolerance);

    event RedemptionCompleted(
        address indexed redeemer,
        uint256 dsTokenValue,
        uint256 liquidityValue,
        uint256 rate,
        uint256 fee,
        address indexed liquidityToken
    );
    event RateToleranceUpdated(uint256 oldTolerance, uint256 newTolerance);
    event Paused(address account);
    event Unpaused(address account);

    function initialize(
        address owner_,
        address asset_,
        address liquidityToken_,
        SandboxSecuritizeNavProvider navProvider_,
        SandboxMbpsFeeManager feeManager_,
        SandboxGroveBasin basin_
    ) external initializer {
        (owner, asset, liquidityToken, navProvider, feeManager, basin) = (
            owner_,
            asset_,
            liquidityToken_,
            navProvider_,
            feeManager_,
            basin_
        );
        rateTolerance = DEFAULT_RATE_TOLERANCE;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert Unauthorized();
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

    function setRateTolerance(uint256 tolerance) external onlyOwner {
        if (tolerance > TOLERANCE_DENOMINATOR) revert InvalidRateToleranceError(tolerance);
        emit RateToleranceUpdated(rateTolerance, tolerance);
        rateTolerance = tolerance;
    }

    /// @notice What `assetAmount` fetches, after the Basin's fee and Securitize's: the Basin's preview less
    /// the fee on it. No NAV, band or balance check.
    function calculateLiquidityTokenAmount(uint256 assetAmount) external view returns (uint256) {
        uint256 gross = basin.previewSwapExactIn(asset, liquidityToken, assetAmount);
        return gross - feeManager.getFee(gross);
    }

    /// @notice `assetAmount` at the NAV, before any fee: the band's centre.
    function calculateLiquidityTokenAmountBeforeFee(uint256 assetAmount) public view returns (uint256) {
        uint256 assetUnit = 10 ** IERC20Metadata(asset).decimals();
        return
            Math.mulDiv(
                assetAmount,
                navProvider.rate() * 10 ** IERC20Metadata(liquidityToken).decimals(),
                assetUnit * assetUnit
            );
    }

    /// @notice The Basin's liquidity-token inventory.
    function availableLiquidity() external view returns (uint256) {
        return IERC20(liquidityToken).balanceOf(address(basin));
    }

    function redeem(uint256 assetAmount, uint256 minOutputAmount) external {
        if (paused) revert EnforcedPause();
        if (navProvider.rate() == 0) revert NonZeroNavRateError();
        uint256 held = IERC20(asset).balanceOf(msg.sender);
        if (held < assetAmount) revert InsufficientRedeemerBalance(msg.sender, assetAmount, held);
        if (assetAmount == 0) revert ZeroAmountToSwap();
        uint256 navGross = calculateLiquidityTokenAmountBeforeFee(assetAmount);
        uint256 preview = basin.previewSwapExactIn(asset, liquidityToken, assetAmount);
        if (preview == 0 || navGross == 0) revert ZeroAmountToSwap();
        _checkBand(navGross, preview);
        IERC20(asset).safeTransferFrom(msg.sender, address(this), assetAmount);
        IERC20(asset).forceApprove(address(basin), assetAmount);
        uint256 supplied = basin.swapExactIn(asset, liquidityToken, assetAmount, preview, address(this), 0);
        uint256 fee = feeManager.getFee(supplied);
        uint256 net = supplied - fee;
        if (net < minOutputAmount) revert SlippageControlError();
        IERC20(liquidityToken).safeTransfer(msg.sender, net);
        if (fee != 0) IERC20(liquidityToken).safeTransfer(feeManager.feeCollector(), fee);
        emit RedemptionCompleted(msg.sender, assetAmount, net, navProvider.rate(), fee, liquidityToken);
    }

    /// @dev The Basin's preview within `rateTolerance` of the NAV quote: all of it at 100,000, exactly at 0.
    function _checkBand(uint256 navQuote, uint256 preview) private view {
        uint256 tolerance = rateTolerance;
        if (tolerance == TOLERANCE_DENOMINATOR) return;
        uint256 low = Math.mulDiv(navQuote, TOLERANCE_DENOMINATOR - tolerance, TOLERANCE_DENOMINATOR);
        uint256 high = Math.mulDiv(navQuote, TOLERANCE_DENOMINATOR + tolerance, TOLERANCE_DENOMINATOR);
        if (preview < low) revert MinRateDivergenceError(navQuote, preview, tolerance);
        if (preview > high) revert MaxRateDivergenceError(navQuote, preview, tolerance);
    }
}

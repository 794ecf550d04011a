// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SandboxInit} from "./SandboxToken.sol";

// Grove Basin (grove-labs/grove-basin a79269a, src/GroveBasin.sol), the pool Securitize's off-ramp sells
// BUIDL into: three tokens (a swap token, a collateral token, a credit token), each priced in USD by a
// rate provider at 27 decimals; every swap involves the credit token; fees in basis points taken from
// the output, bounded by [minFee, maxFee]; a maximum swap size in USD (18 decimals) on the input; a
// staleness threshold on every rate; a pause per function and per direction. No mainnet BUIDL Basin is
// published: the emulated mainnet places one where it chooses. docs/FIDELITY.md says what is left out.

/// @title SandboxRateProvider
/// @notice A Grove rate provider: a token's USD price at 27 decimals and when it was last updated. With no
/// heartbeat it is Grove's `FixedRateProvider` (always current); with one, an oracle feed such as the
/// Chronicle one behind `ChronicleRateProvider`, poked every `heartbeat` seconds while live, which the
/// owner may stop (`setLastUpdated`: last poked then, never since) and restart (`setConversionRate`).
contract SandboxRateProvider is SandboxInit {
    uint256 internal constant RATE_PRECISION = 1e27;

    address public owner;
    uint256 public heartbeat;
    bool public stalled;
    uint256 internal _rate;
    uint256 internal _lastUpdated;

    error Unauthorized();

    function initialize(address owner_, uint256 rate, uint256 heartbeat_) external initializer {
        (owner, _rate, _lastUpdated, heartbeat) = (owner_, rate, block.timestamp, heartbeat_);
    }

    /// @notice Sets the rate as observed now; a stopped feed runs again.
    function setConversionRate(uint256 rate) external {
        if (msg.sender != owner) revert Unauthorized();
        (_rate, _lastUpdated, stalled) = (rate, block.timestamp, false);
    }

    /// @notice The feed stops: last updated at `lastUpdated`, and not since.
    function setLastUpdated(uint256 lastUpdated) external {
        if (msg.sender != owner) revert Unauthorized();
        (_lastUpdated, stalled) = (lastUpdated, true);
    }

    function getConversionRate() external view returns (uint256) {
        return _rate;
    }

    /// @notice The rate and its last update: now for a fixed rate, the last poke for a live feed.
    function getConversionRateWithAge() external view returns (uint256 rate, uint256 lastUpdated) {
        if (stalled) return (_rate, _lastUpdated);
        if (heartbeat == 0) return (_rate, block.timestamp);
        return (_rate, block.timestamp - ((block.timestamp - _lastUpdated) % heartbeat));
    }

    function getRatePrecision() external pure returns (uint256) {
        return RATE_PRECISION;
    }
}

/// @title SandboxGroveBasin
/// @notice A Grove Basin: swaps between the credit token and the other two at their rate providers'
/// prices, fee from the output, size bound on the input's USD value, stale rates refused, pausable per
/// direction; liquidity held by the Basin itself (its own pocket).
contract SandboxGroveBasin is SandboxInit {
    using SafeERC20 for IERC20;

    uint256 public constant BPS = 100_00;
    bytes4 public constant PAUSED_SWAP_CREDIT_TO_COLLATERAL = bytes4(keccak256("PAUSED_SWAP_CREDIT_TO_COLLATERAL"));
    bytes4 public constant PAUSED_SWAP_CREDIT_TO_SWAP = bytes4(keccak256("PAUSED_SWAP_CREDIT_TO_SWAP"));
    bytes4 public constant PAUSED_SWAP_COLLATERAL_TO_CREDIT = bytes4(keccak256("PAUSED_SWAP_COLLATERAL_TO_CREDIT"));
    bytes4 public constant PAUSED_SWAP_SWAP_TO_CREDIT = bytes4(keccak256("PAUSED_SWAP_SWAP_TO_CREDIT"));

    address public owner;
    address public swapToken;
    address public collateralToken;
    address public creditToken;
    address public swapTokenRateProvider;
    address public collateralTokenRateProvider;
    address public creditTokenRateProvider;
    uint256 public purchaseFee;
    uint256 public redemptionFee;
    uint256 public minFee;
    uint256 public maxFee;
    uint256 public maxSwapSize;
    uint256 public stalenessThreshold;
    mapping(bytes4 key => bool) public paused;

    error Unauthorized();
    error InvalidAsset();
    error InvalidSwap();
    error Paused();
    error ZeroAmountIn();
    error ZeroReceiver();
    error AmountOutTooLow();
    error SwapSizeExceeded();
    error StaleRate();
    error PurchaseFeeOutOfBounds();
    error RedemptionFeeOutOfBounds();
    error MinFeeGreaterThanMaxFee();
    error MaxFeeExceedsBps();
    error CurrentFeeOutOfNewBounds();

    event Swap(
        address indexed assetIn,
        address indexed assetOut,
        address sender,
        address indexed receiver,
        uint256 amountIn,
        uint256 amountOut,
        uint256 referralCode
    );
    event PausedSet(bytes4 indexed key, bool paused);
    event PurchaseFeeSet(uint256 oldPurchaseFee, uint256 newPurchaseFee);
    event RedemptionFeeSet(uint256 oldRedemptionFee, uint256 newRedemptionFee);
    event FeeBoundsSet(uint256 oldMinFee, uint256 oldMaxFee, uint256 newMinFee, uint256 newMaxFee);
    event MaxSwapSizeSet(uint256 oldMaxSwapSize, uint256 newMaxSwapSize);

    modifier onlyOwner() {
        if (msg.sender != owner) revert Unauthorized();
        _;
    }

    function initialize(
        address owner_,
        address[3] calldata tokens,
        address[3] calldata providers
    ) external initializer {
        owner = owner_;
        (swapToken, collateralToken, creditToken) = (tokens[0], tokens[1], tokens[2]);
        (swapTokenRateProvider, collateralTokenRateProvider, creditTokenRateProvider) = (
            providers[0],
            providers[1],
            providers[2]
        );
        (maxSwapSize, stalenessThreshold) = (50_000_000e18, 1 weeks);
    }

    /* ADMIN (the Basin's roles, one owner here) */

    function setFeeBounds(uint256 newMinFee, uint256 newMaxFee) external onlyOwner {
        if (newMinFee > newMaxFee) revert MinFeeGreaterThanMaxFee();
        if (newMaxFee >= BPS) revert MaxFeeExceedsBps();
        if (!_within(purchaseFee, newMinFee, newMaxFee) || !_within(redemptionFee, newMinFee, newMaxFee)) {
            revert CurrentFeeOutOfNewBounds();
        }
        emit FeeBoundsSet(minFee, maxFee, newMinFee, newMaxFee);
        (minFee, maxFee) = (newMinFee, newMaxFee);
    }

    function setPurchaseFee(uint256 fee) external onlyOwner {
        if (!_within(fee, minFee, maxFee)) revert PurchaseFeeOutOfBounds();
        emit PurchaseFeeSet(purchaseFee, fee);
        purchaseFee = fee;
    }

    function setRedemptionFee(uint256 fee) external onlyOwner {
        if (!_within(fee, minFee, maxFee)) revert RedemptionFeeOutOfBounds();
        emit RedemptionFeeSet(redemptionFee, fee);
        redemptionFee = fee;
    }

    function setMaxSwapSize(uint256 size) external onlyOwner {
        emit MaxSwapSizeSet(maxSwapSize, size);
        maxSwapSize = size;
    }

    function setPaused(bytes4 key) external onlyOwner {
        paused[key] = true;
        emit PausedSet(key, true);
    }

    function setUnpaused(bytes4 key) external onlyOwner {
        paused[key] = false;
        emit PausedSet(key, false);
    }

    /* SWAPS */

    function previewSwapExactIn(address assetIn, address assetOut, uint256 amountIn) public view returns (uint256) {
        _checkPaused(_directionKey(assetIn, assetOut), this.swapExactIn.selector);
        if (amountIn == 0) revert ZeroAmountIn();
        return _quoteExactIn(assetIn, assetOut, amountIn);
    }

    /// @notice The fee taken from a gross output of `amountOut` in `assetOut`, rounded up.
    function previewSwapExactInFee(address assetOut, uint256 amountOut) public view returns (uint256) {
        if (!_known(assetOut)) revert InvalidAsset();
        return Math.mulDiv(amountOut, assetOut == creditToken ? purchaseFee : redemptionFee, BPS, Math.Rounding.Ceil);
    }

    /// @notice The USD value (18 decimals) of `amount` of `asset` at its rate provider's price.
    function getAssetValue(address asset, uint256 amount, bool roundUp) public view returns (uint256) {
        if (!_known(asset)) revert InvalidAsset();
        (uint256 rate, uint256 unit) = _rate(asset);
        return Math.mulDiv(amount * rate, 1e18, 1e27 * unit, roundUp ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }

    function swapExactIn(
        address assetIn,
        address assetOut,
        uint256 amountIn,
        uint256 minAmountOut,
        address receiver,
        uint256 referralCode
    ) external returns (uint256 amountOut) {
        _checkPaused(_directionKey(assetIn, assetOut), msg.sig);
        if (amountIn == 0) revert ZeroAmountIn();
        if (receiver == address(0)) revert ZeroReceiver();
        amountOut = _quoteExactIn(assetIn, assetOut, amountIn);
        if (amountOut < minAmountOut) revert AmountOutTooLow();
        IERC20(assetIn).safeTransferFrom(msg.sender, address(this), amountIn);
        // Short of the output token, the transfer fails: the Basin checks no inventory of its own.
        IERC20(assetOut).safeTransfer(receiver, amountOut);
        emit Swap(assetIn, assetOut, msg.sender, receiver, amountIn, amountOut, referralCode);
    }

    function calculatePurchaseFee(uint256 amount) external view returns (uint256) {
        return Math.mulDiv(amount, purchaseFee, BPS, Math.Rounding.Ceil);
    }

    function calculateRedemptionFee(uint256 amount) external view returns (uint256) {
        return Math.mulDiv(amount, redemptionFee, BPS, Math.Rounding.Ceil);
    }

    /// @notice The Basin holds its own liquidity.
    function pocket() external view returns (address) {
        return address(this);
    }

    /* INTERNAL */

    /// @dev Converts at the two rates (rounded down), takes the output's fee (rounded up), checks the input's
    /// USD value (rounded up) against the maximum swap size.
    function _quoteExactIn(address assetIn, address assetOut, uint256 amountIn) private view returns (uint256) {
        (uint256 rateIn, uint256 unitIn) = _rate(assetIn);
        (uint256 rateOut, uint256 unitOut) = _rate(assetOut);
        if (getAssetValue(assetIn, amountIn, true) > maxSwapSize) revert SwapSizeExceeded();
        uint256 gross = Math.mulDiv(amountIn, rateIn * unitOut, rateOut * unitIn);
        return gross - previewSwapExactInFee(assetOut, gross);
    }

    function _rate(address token) private view returns (uint256 rate, uint256 unit) {
        address provider =
            token == swapToken
                ? swapTokenRateProvider
                : token == collateralToken
                    ? collateralTokenRateProvider
                    : creditTokenRateProvider;
        (uint256 value, uint256 lastUpdated) = SandboxRateProvider(provider).getConversionRateWithAge();
        if (block.timestamp - lastUpdated > stalenessThreshold) revert StaleRate();
        return (value, 10 ** IERC20Metadata(token).decimals());
    }

    /// @dev The pause key of a swap's direction; a swap not involving the credit token is refused.
    function _directionKey(address assetIn, address assetOut) private view returns (bytes4) {
        bool known = _known(assetIn) && _known(assetOut);
        if (!known || assetIn == assetOut) revert InvalidAsset();
        if (assetIn == creditToken) {
            return assetOut == collateralToken ? PAUSED_SWAP_CREDIT_TO_COLLATERAL : PAUSED_SWAP_CREDIT_TO_SWAP;
        }
        if (assetOut != creditToken) revert InvalidSwap();
        return assetIn == collateralToken ? PAUSED_SWAP_COLLATERAL_TO_CREDIT : PAUSED_SWAP_SWAP_TO_CREDIT;
    }

    function _known(address token) private view returns (bool) {
        return token == swapToken || token == collateralToken || token == creditToken;
    }

    function _checkPaused(bytes4 direction, bytes4 selector) private view {
        if (paused[bytes4(0)] || paused[selector] || paused[direction]) revert Paused();
    }

    function _within(uint256 fee, uint256 low, uint256 high) private pure returns (bool) {
        return fee >= low && fee <= high;
    }
}

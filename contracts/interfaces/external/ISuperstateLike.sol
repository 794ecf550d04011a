// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice The slice of Superstate's USTB token the adapter uses.
interface IUstbLike is IERC20 {
    /// @notice Subscribes `inAmount` of `stablecoin` for USTB minted to the caller at the oracle NAV.
    function subscribe(uint256 inAmount, address stablecoin) external;
    /// @notice The oracle price check: bad when below $7 or older than the maximum oracle delay.
    function getChainlinkPrice() external view returns (bool isBadData, uint256 updatedAt, uint256 price);
    /// @notice Whether `addr` may hold USTB (AllowList).
    function isAllowed(address addr) external view returns (bool);
    /// @notice Burns `amount` of the caller's tokens for a redemption Superstate pays off-chain, later.
    function offchainRedeem(uint256 amount) external;
    function paused() external view returns (bool);
    function accountingPaused() external view returns (bool);
    /// @notice The continuous NAV/S oracle the token prices with.
    function superstateOracle() external view returns (address);
}

/// @notice The slice of Superstate's continuous NAV/S oracle that dates a price. Its `latestRoundData`
/// answers `updatedAt` = now on every read (the price is extrapolated); the NAV behind it was struck at
/// the `timestamp` of checkpoint `roundId`.
interface ISuperstateOracleLike {
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
    function checkpoints(uint256 index) external view returns (uint64 timestamp, uint64 effectiveAt, uint128 navs);
}

/// @notice The slice of Superstate's RedemptionIdle the adapter uses.
interface IRedemptionIdleLike {
    /// @notice Redeems `superstateTokenInAmount` USTB of the caller; USDC goes to `to`.
    function redeem(address to, uint256 superstateTokenInAmount) external;
    function calculateUsdcOut(
        uint256 superstateTokenInAmount
    ) external view returns (uint256 usdcOutAmountAfterFee, uint256 usdPerUstbChainlinkRaw);
    /// @notice USTB for `usdcOutAmount` after fee: the fee gross-up rounds down, the USTB up.
    function calculateUstbIn(uint256 usdcOutAmount) external view returns (uint256 ustbInAmount, uint256 price);
    /// @notice The fee on redemptions, in bps (at most 10).
    function redemptionFee() external view returns (uint256);
    /// @notice The most USTB the USDC it holds can pay for (rounded down), and the price used.
    function maxUstbRedemptionAmount() external view returns (uint256 superstateTokenAmount, uint256 price);
    /// @notice Whether redemptions are paused (OpenZeppelin Pausable).
    function paused() external view returns (bool);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A NAV published as a Chainlink-style feed (AggregatorV3's read side): USCC's and STAC's.
interface INavFeedLike {
    function decimals() external view returns (uint8);
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

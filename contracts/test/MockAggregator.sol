// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @dev A Chainlink-shaped feed with a fixed answer, fresh at every read.
contract MockAggregator {
    int256 public answer;

    constructor(int256 answer_) {
        answer = answer_;
    }

    function decimals() external pure returns (uint8) {
        return 6;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (1, answer, block.timestamp, block.timestamp, 1);
    }
}

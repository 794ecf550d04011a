// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SandboxInit} from "./SandboxToken.sol";

/// @title SandboxNavFeed
/// @notice Emulates a fund's NAV published as a Chainlink-style feed, as USCC's and STAC's are read: the
/// read side of AggregatorV3 (`decimals`, `latestRoundData`, `description`), each answer a new round
/// stamped with the block's time. Like a real feed it never reverts on age: the reader judges staleness by
/// `updatedAt`. The owner (the publisher) posts answers and, for tests, can date the last one back.
contract SandboxNavFeed is SandboxInit {
    address public owner;
    uint8 public decimals;
    string public description;
    uint80 private _round;
    int256 private _answer;
    uint256 private _updatedAt;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    error Unauthorized();

    function initialize(
        address owner_,
        uint8 decimals_,
        string calldata description_,
        int256 answer_
    ) external initializer {
        (owner, decimals, description) = (owner_, decimals_, description_);
        _post(answer_);
    }

    /// @notice Publishes a new NAV, dated now.
    function setAnswer(int256 answer_) external {
        _onlyOwner();
        _post(answer_);
    }

    /// @notice Dates the last answer `secondsAgo` back: the publisher has gone quiet that long.
    function age(uint256 secondsAgo) external {
        _onlyOwner();
        _updatedAt = block.timestamp - secondsAgo;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (_round, _answer, _updatedAt, _updatedAt, _round);
    }

    function _post(int256 answer_) private {
        (_round, _answer, _updatedAt) = (_round + 1, answer_, block.timestamp);
        emit AnswerUpdated(answer_, _round, block.timestamp);
    }

    function _onlyOwner() private view {
        if (msg.sender != owner) revert Unauthorized();
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ReadLib
/// @notice Calls into adapters that cannot make the caller revert: a revert, a short or malformed
/// answer, a gas-hungry view or a huge revert payload each become `ok = false`.
library ReadLib {
    /// @notice Gas given to one adapter view: ample for an honest adapter reading its issuer.
    uint256 internal constant VIEW_GAS = 500_000;
    /// @notice Bytes of revert data kept from a failed operation (a selector and eight words).
    uint256 internal constant MAX_REASON_BYTES = 260;

    /// @notice `target.selector()` as a uint256, bounded in gas and in what is copied back.
    function tryUint(address target, bytes4 selector) internal view returns (bool ok, uint256 value) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            ok := staticcall(VIEW_GAS, target, ptr, 4, ptr, 0x20)
            ok := and(ok, iszero(lt(returndatasize(), 0x20)))
            value := mul(ok, mload(ptr))
        }
    }

    /// @notice `target.selector(arg)` as a uint256, bounded in gas and in what is copied back.
    function tryUint(address target, bytes4 selector, uint256 arg) internal view returns (bool ok, uint256 value) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 4), arg)
            ok := staticcall(VIEW_GAS, target, ptr, 0x24, ptr, 0x20)
            ok := and(ok, iszero(lt(returndatasize(), 0x20)))
            value := mul(ok, mload(ptr))
        }
    }

    /// @notice The first word `target.selector(a, b)` answers, bounded in gas and in what is copied back.
    function tryUint(
        address target,
        bytes4 selector,
        uint256 a,
        uint256 b
    ) internal view returns (bool ok, uint256 value) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 4), a)
            mstore(add(ptr, 0x24), b)
            ok := staticcall(VIEW_GAS, target, ptr, 0x44, ptr, 0x20)
            ok := and(ok, iszero(lt(returndatasize(), 0x20)))
            value := mul(ok, mload(ptr))
        }
    }

    /// @notice `target.selector()`, or 0 when the read fails.
    function uintOrZero(address target, bytes4 selector) internal view returns (uint256 value) {
        (, value) = tryUint(target, selector);
    }

    /// @notice Calls `target` with `data` and all gas but the 1/64 kept by the EVM, copying back at
    /// most `MAX_REASON_BYTES` of whatever it returns, so a huge revert payload cannot exhaust the
    /// caller's memory.
    function callBounded(address target, bytes memory data) internal returns (bool ok, bytes memory head) {
        assembly ("memory-safe") {
            ok := call(gas(), target, 0, add(data, 0x20), mload(data), 0, 0)
            let size := returndatasize()
            if gt(size, MAX_REASON_BYTES) {
                size := MAX_REASON_BYTES
            }
            head := mload(0x40)
            mstore(head, size)
            returndatacopy(add(head, 0x20), 0, size)
            mstore(0x40, add(add(head, 0x20), and(add(size, 31), not(31))))
        }
    }
}

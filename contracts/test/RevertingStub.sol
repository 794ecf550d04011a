// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @dev Code to place at an issuer's address (hardhat_setCode) so that every call to it reverts:
/// a view that reverts, as a broken or upgraded issuer contract's may.
contract RevertingStub {
    error Broken();

    fallback() external payable {
        revert Broken();
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @dev The plain OpenZeppelin ERC-4626 with the same decimals offset: the gas reference for benchmarks.
contract ReferenceERC4626 is ERC4626 {
    uint8 private immutable OFFSET;

    constructor(IERC20Metadata asset_) ERC20("Reference", "REF") ERC4626(asset_) {
        OFFSET = 18 - asset_.decimals();
    }

    function _decimalsOffset() internal view override returns (uint8) {
        return OFFSET;
    }
}

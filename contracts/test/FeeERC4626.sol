// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @dev An ERC-4626 target charging an exit fee on top of what is withdrawn, kept by the target's
/// recipient, as fee-charging vaults do: `previewWithdraw` burns the shares of the assets plus the fee,
/// `previewRedeem` pays the shares' value less the fee, and `maxWithdraw` is left as the plain standard
/// one (the shares' gross value), which overstates what a holder can withdraw.
contract FeeERC4626 is ERC4626 {
    using SafeERC20 for IERC20;
    using Math for uint256;

    uint256 public immutable EXIT_FEE_BPS;
    address public immutable FEE_RECIPIENT;

    constructor(IERC20Metadata asset_, uint256 exitFeeBps, address feeRecipient) ERC20("Fee", "FEE") ERC4626(asset_) {
        (EXIT_FEE_BPS, FEE_RECIPIENT) = (exitFeeBps, feeRecipient);
    }

    function previewWithdraw(uint256 assets) public view override returns (uint256) {
        return super.previewWithdraw(assets + _feeOnRaw(assets));
    }

    function previewRedeem(uint256 shares) public view override returns (uint256) {
        uint256 assets = super.previewRedeem(shares);
        return assets - _feeOnTotal(assets);
    }

    function _withdraw(
        address caller,
        address receiver,
        address owner,
        uint256 assets,
        uint256 shares
    ) internal override {
        uint256 fee = _feeOnRaw(assets);
        super._withdraw(caller, receiver, owner, assets, shares);
        if (fee != 0) IERC20(asset()).safeTransfer(FEE_RECIPIENT, fee);
    }

    function _feeOnRaw(uint256 assets) private view returns (uint256) {
        return assets.mulDiv(EXIT_FEE_BPS, 10_000, Math.Rounding.Ceil);
    }

    function _feeOnTotal(uint256 assets) private view returns (uint256) {
        return assets.mulDiv(EXIT_FEE_BPS, EXIT_FEE_BPS + 10_000, Math.Rounding.Ceil);
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 12;
    }
}

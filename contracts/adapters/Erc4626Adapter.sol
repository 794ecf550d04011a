// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAdapter} from "../interfaces/IAdapter.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title Erc4626Adapter
/// @notice A position in any synchronous ERC-4626 vault (sUSDS for a USDS reserve). Entries are refused
/// while the target's exchange rate sits above a ceiling that rises from the rate at deployment by at
/// most `MAX_RATE_GROWTH_BPS_PER_YEAR`: a donation that inflates the target cannot be bought into.
contract Erc4626Adapter is BaseAdapter {
    using SafeERC20 for IERC20;

    IERC4626 public immutable TARGET;
    /// @notice Assets per whole share when the adapter was deployed.
    uint256 public immutable BASE_RATE;
    uint256 public immutable MAX_RATE_GROWTH_BPS_PER_YEAR;
    uint256 public immutable DEPLOYED_AT;
    uint256 internal immutable ONE_SHARE;
    /// @dev The reference withdrawal `withdrawCost` measures the target's fee rate on: a million units.
    uint256 internal immutable PROBE;

    /// @notice The target's rate `rate` is above the `ceiling` allowed now.
    error ExchangeRateAboveCeiling(uint256 rate, uint256 ceiling);
    /// @notice The target vault's asset is not the vault's asset.
    error TargetAssetMismatch(address targetAsset, address vaultAsset);

    constructor(
        address vault_,
        IERC4626 target,
        uint256 maxRateGrowthBpsPerYear
    ) BaseAdapter(vault_, target.asset(), 0) {
        address vaultAsset = IERC4626(vault_).asset();
        if (target.asset() != vaultAsset) revert TargetAssetMismatch(target.asset(), vaultAsset);
        TARGET = target;
        ONE_SHARE = 10 ** IERC20Metadata(address(target)).decimals();
        PROBE = 10 ** (IERC20Metadata(vaultAsset).decimals() + 6);
        BASE_RATE = target.convertToAssets(ONE_SHARE);
        MAX_RATE_GROWTH_BPS_PER_YEAR = maxRateGrowthBpsPerYear;
        DEPLOYED_AT = block.timestamp;
        // The target pulls our deposits: approved once, so an entry costs no approval. The target holds
        // the position anyway, and the adapter holds assets only in passing.
        IERC20(vaultAsset).forceApprove(address(target), type(uint256).max);
    }

    /// @notice Assets per whole share of the target now.
    function exchangeRate() public view returns (uint256) {
        return TARGET.convertToAssets(ONE_SHARE);
    }

    /// @notice The highest exchange rate at which the adapter still enters.
    function rateCeiling() public view returns (uint256) {
        uint256 growth = Math.mulDiv(
            BASE_RATE,
            MAX_RATE_GROWTH_BPS_PER_YEAR * (block.timestamp - DEPLOYED_AT),
            10_000 * 365 days
        );
        return BASE_RATE + growth;
    }

    /// @inheritdoc IAdapter
    function totalAssets() external view returns (uint256) {
        return TARGET.convertToAssets(TARGET.balanceOf(address(this))) + _assetBalance();
    }

    /// @inheritdoc IAdapter
    function navUpdatedAt() external view returns (uint256) {
        return block.timestamp;
    }

    /// @inheritdoc IAdapter
    function maxDeposit() external view returns (uint256) {
        if (exchangeRate() > rateCeiling()) return 0;
        return TARGET.maxDeposit(address(this));
    }

    /// @inheritdoc IAdapter
    function maxWithdraw() external view returns (uint256) {
        try TARGET.maxWithdraw(address(this)) returns (uint256 max) {
            return max;
        } catch {
            return 0;
        }
    }

    /// @inheritdoc IAdapter
    /// @dev An upper bound that grows with `assets`: the target's fee rate, measured on a reference
    /// withdrawal (the value of the shares it burns beyond the assets it pays, rounded up), times
    /// `assets`, plus the rounding of one share's value (rounded up from the same reference) and of the
    /// holdings' value on each side. The exact cost of `assets` is a sawtooth (the target rounds shares
    /// up), which the vault cannot use. Beyond what the holdings pay after the target's fee: no quote.
    function withdrawCost(uint256 assets) external view override returns (uint256) {
        try TARGET.previewWithdraw(PROBE) returns (uint256 shares) {
            // What the holdings can pay after the target's fee (its gross maxWithdraw may not say).
            if (shares == 0 || TARGET.previewWithdraw(assets) > TARGET.balanceOf(address(this))) {
                return type(uint256).max;
            }
            uint256 removed = TARGET.convertToAssets(shares);
            uint256 feeRate = removed > PROBE ? Math.mulDiv(removed - PROBE, 1e18, PROBE, Math.Rounding.Ceil) : 0;
            return
                Math.mulDiv(assets, feeRate, 1e18, Math.Rounding.Ceil) +
                Math.ceilDiv(Math.max(removed, PROBE), shares) +
                2;
        } catch {
            return type(uint256).max;
        }
    }

    /// @inheritdoc IAdapter
    function deposit(uint256 assets) external onlyVault {
        uint256 rate = exchangeRate();
        uint256 ceiling = rateCeiling();
        if (rate > ceiling) revert ExchangeRateAboveCeiling(rate, ceiling);
        TARGET.deposit(assets, address(this));
    }

    /// @inheritdoc IAdapter
    function withdraw(uint256 assets) external onlyVault {
        TARGET.withdraw(assets, VAULT, address(this));
    }

    /// @inheritdoc IAdapter
    function settle() external onlyVault returns (uint256) {
        return _settleProceeds();
    }
}

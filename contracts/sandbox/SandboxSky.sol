// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The emulated issuers revert with the real issuers' own reason strings, so tests and adapters see
// what mainnet would say.
// solhint-disable gas-custom-errors

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SandboxAuth, SandboxInit, SandboxToken} from "./SandboxToken.sol";

/// @title SandboxUSDS
/// @notice Emulates Sky's USDS: 18 decimals, minted and burnt by wards (the PSM and sUSDS here).
contract SandboxUSDS is SandboxToken, SandboxAuth {
    function initialize(address admin) external initializer {
        _initToken("USDS Stablecoin", "USDS", 18);
        wards[admin] = 1;
    }

    function mint(address to, uint256 value) external auth {
        _mint(to, value);
    }

    /// @notice Burns `value` of `from`, spending the caller's allowance unless it burns its own.
    function burn(address from, uint256 value) external {
        if (from != msg.sender) _spendAllowance(from, msg.sender, value);
        _burn(from, value);
    }
}

/// @title SandboxSUSDS
/// @notice Emulates Sky's sUSDS: an ERC-4626 over USDS whose share price `chi` (ray) compounds at the
/// per-second savings rate `ssr` (ray) since `rho`; `drip` books the accrual by minting USDS to itself.
contract SandboxSUSDS is SandboxToken, SandboxAuth {
    using SafeERC20 for IERC20;

    uint256 internal constant RAY = 1e27;

    SandboxUSDS public usds;
    uint192 public chi;
    uint64 public rho;
    uint256 public ssr;

    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );
    event Drip(uint256 chi, uint256 diff);

    function initialize(address admin, SandboxUSDS usds_, uint256 ssr_) external initializer {
        _initToken("Savings USDS", "sUSDS", 18);
        wards[admin] = 1;
        (usds, chi, rho, ssr) = (usds_, uint192(RAY), uint64(block.timestamp), ssr_);
    }

    function file(bytes32 what, uint256 data) external auth {
        require(what == "ssr", "SUsds/file-unrecognized-param");
        require(data >= RAY, "SUsds/wrong-ssr-value");
        drip();
        ssr = data;
    }

    function asset() external view returns (address) {
        return address(usds);
    }

    /// @notice Books the accrual since `rho`; returns the new `chi`.
    function drip() public returns (uint256 nChi) {
        nChi = _currentChi();
        uint256 diff = Math.mulDiv(totalSupply(), nChi - chi, RAY);
        if (diff > 0) usds.mint(address(this), diff);
        (chi, rho) = (uint192(nChi), uint64(block.timestamp));
        emit Drip(nChi, diff);
    }

    function totalAssets() external view returns (uint256) {
        return convertToAssets(totalSupply());
    }

    function convertToShares(uint256 assets) public view returns (uint256) {
        return Math.mulDiv(assets, RAY, _currentChi());
    }

    function convertToAssets(uint256 shares) public view returns (uint256) {
        return Math.mulDiv(shares, _currentChi(), RAY);
    }

    function previewDeposit(uint256 assets) external view returns (uint256) {
        return convertToShares(assets);
    }

    function previewMint(uint256 shares) external view returns (uint256) {
        return Math.mulDiv(shares, _currentChi(), RAY, Math.Rounding.Ceil);
    }

    function previewWithdraw(uint256 assets) external view returns (uint256) {
        return Math.mulDiv(assets, RAY, _currentChi(), Math.Rounding.Ceil);
    }

    function previewRedeem(uint256 shares) external view returns (uint256) {
        return convertToAssets(shares);
    }

    function maxDeposit(address) external pure returns (uint256) {
        return type(uint256).max;
    }

    function maxMint(address) external pure returns (uint256) {
        return type(uint256).max;
    }

    function maxWithdraw(address owner) external view returns (uint256) {
        return convertToAssets(balanceOf(owner));
    }

    function maxRedeem(address owner) external view returns (uint256) {
        return balanceOf(owner);
    }

    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        shares = Math.mulDiv(assets, RAY, drip());
        _enter(assets, shares, receiver);
    }

    function mint(uint256 shares, address receiver) external returns (uint256 assets) {
        assets = Math.mulDiv(shares, drip(), RAY, Math.Rounding.Ceil);
        _enter(assets, shares, receiver);
    }

    function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares) {
        shares = Math.mulDiv(assets, RAY, drip(), Math.Rounding.Ceil);
        _exit(assets, shares, receiver, owner);
    }

    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets) {
        assets = Math.mulDiv(shares, drip(), RAY);
        _exit(assets, shares, receiver, owner);
    }

    function _enter(uint256 assets, uint256 shares, address receiver) private {
        IERC20(address(usds)).safeTransferFrom(msg.sender, address(this), assets);
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    function _exit(uint256 assets, uint256 shares, address receiver, address owner) private {
        if (owner != msg.sender) _spendAllowance(owner, msg.sender, shares);
        _burn(owner, shares);
        IERC20(address(usds)).safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }

    function _currentChi() private view returns (uint256) {
        return block.timestamp > rho ? Math.mulDiv(_rpow(ssr, block.timestamp - rho), chi, RAY) : chi;
    }

    /// @dev `x^n` in ray, by squaring, rounding each product down.
    function _rpow(uint256 x, uint256 n) private pure returns (uint256 z) {
        z = n % 2 != 0 ? x : RAY;
        for (n /= 2; n != 0; n /= 2) {
            x = Math.mulDiv(x, x, RAY);
            if (n % 2 != 0) z = Math.mulDiv(z, x, RAY);
        }
    }
}

/// @title SandboxUsdsPsmWrapper
/// @notice Emulates Sky's USDS PSM wrapper: USDC (the gem) in for USDS out less `tin`, USDS in for
/// USDC out plus `tout`; fees are WAD fractions (1e18 = 100 %).
contract SandboxUsdsPsmWrapper is SandboxInit, SandboxAuth {
    using SafeERC20 for IERC20;

    uint256 internal constant WAD = 1e18;

    IERC20 public gem;
    SandboxUSDS public usds;
    uint256 public tin;
    uint256 public tout;
    uint256 public to18ConversionFactor;

    event SellGem(address indexed owner, uint256 value, uint256 fee);
    event BuyGem(address indexed owner, uint256 value, uint256 fee);

    function initialize(address admin, IERC20 usdc, SandboxUSDS usds_) external initializer {
        wards[admin] = 1;
        (gem, usds, to18ConversionFactor) = (usdc, usds_, 1e12);
    }

    function file(bytes32 what, uint256 data) external auth {
        require(data <= WAD, "UsdsPsmWrapper/fee-too-high");
        if (what == "tin") tin = data;
        else if (what == "tout") tout = data;
        else revert("UsdsPsmWrapper/file-unrecognized-param");
    }

    /// @notice Sells `gemAmt` USDC of the caller; `usr` receives USDS less the `tin` fee.
    function sellGem(address usr, uint256 gemAmt) external returns (uint256 usdsOutWad) {
        uint256 gemAmt18 = gemAmt * to18ConversionFactor;
        uint256 fee = Math.mulDiv(gemAmt18, tin, WAD);
        usdsOutWad = gemAmt18 - fee;
        gem.safeTransferFrom(msg.sender, address(this), gemAmt);
        usds.mint(usr, usdsOutWad);
        emit SellGem(usr, gemAmt, fee);
    }

    /// @notice Buys `gemAmt` USDC for `usr`, taking USDS plus the `tout` fee from the caller.
    function buyGem(address usr, uint256 gemAmt) external returns (uint256 usdsInWad) {
        uint256 gemAmt18 = gemAmt * to18ConversionFactor;
        uint256 fee = Math.mulDiv(gemAmt18, tout, WAD);
        usdsInWad = gemAmt18 + fee;
        usds.burn(msg.sender, usdsInWad);
        gem.safeTransfer(usr, gemAmt);
        emit BuyGem(usr, gemAmt, fee);
    }
}

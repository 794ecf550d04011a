// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @dev Benchmark reference, the shape of Morpho Vault V2's `allocate`: an allocator names the amount; the
/// vault checks the caller's role and the adapter's absolute cap, hands the assets to the adapter, which
/// deposits them and reports its new allocation, and books it. No plan, no buffer, no rate limit, no
/// slippage or loss bound, no isolating frame: what a keeper-chosen entry costs at its barest.
contract MinimalAllocator {
    using SafeERC20 for IERC20;

    IERC20 public immutable ASSET;
    address public immutable ALLOCATOR;
    mapping(address adapter => uint256) public absoluteCap;
    mapping(address adapter => uint256) public allocation;

    event Allocate(address indexed sender, address indexed adapter, uint256 assets, int256 change);

    error Unauthorized();
    error AbsoluteCapExceeded();

    constructor(IERC20 asset, address allocator) {
        (ASSET, ALLOCATOR) = (asset, allocator);
    }

    function setAbsoluteCap(address adapter, uint256 cap) external {
        if (msg.sender != ALLOCATOR) revert Unauthorized();
        absoluteCap[adapter] = cap;
    }

    function allocate(address adapter, uint256 assets) external {
        if (msg.sender != ALLOCATOR) revert Unauthorized();
        ASSET.safeTransfer(adapter, assets);
        uint256 before = allocation[adapter];
        uint256 next = MinimalErc4626Adapter(adapter).allocate(assets);
        if (next > absoluteCap[adapter]) revert AbsoluteCapExceeded();
        allocation[adapter] = next;
        emit Allocate(msg.sender, adapter, assets, int256(next) - int256(before));
    }
}

/// @dev The adapter side of `MinimalAllocator`: deposits what it was handed into an ERC-4626 target and
/// reports what its shares are worth.
contract MinimalErc4626Adapter {
    IERC4626 public immutable TARGET;
    address public immutable VAULT;

    error Unauthorized();

    constructor(IERC4626 target, address vault) {
        (TARGET, VAULT) = (target, vault);
        IERC20(target.asset()).approve(address(target), type(uint256).max);
    }

    function allocate(uint256 assets) external returns (uint256) {
        if (msg.sender != VAULT) revert Unauthorized();
        TARGET.deposit(assets, address(this));
        return TARGET.previewRedeem(TARGET.balanceOf(address(this)));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The slice of an ERC-7540 async vault with ERC-7887 cancellation (a Centrifuge V3 `AsyncVault`) the
/// adapter uses.
interface IERC7540Like {
    function share() external view returns (address);
    function asset() external view returns (address);

    function requestDeposit(uint256 assets, address controller, address owner) external returns (uint256 requestId);
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);
    function claimableDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);
    function maxMint(address controller) external view returns (uint256);
    function mint(uint256 shares, address receiver, address controller) external returns (uint256 assets);

    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
    function maxWithdraw(address controller) external view returns (uint256);
    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares);

    function cancelDepositRequest(uint256 requestId, address controller) external;
    function pendingCancelDepositRequest(uint256 requestId, address controller) external view returns (bool);
    function claimableCancelDepositRequest(uint256 requestId, address controller) external view returns (uint256);
    function claimCancelDepositRequest(
        uint256 requestId,
        address receiver,
        address controller
    ) external returns (uint256 assets);
    function cancelRedeemRequest(uint256 requestId, address controller) external;
    function pendingCancelRedeemRequest(uint256 requestId, address controller) external view returns (bool);
    function claimableCancelRedeemRequest(uint256 requestId, address controller) external view returns (uint256);
    function claimCancelRedeemRequest(
        uint256 requestId,
        address receiver,
        address controller
    ) external returns (uint256 shares);

    function convertToAssets(uint256 shares) external view returns (uint256);
    function convertToShares(uint256 assets) external view returns (uint256);
    /// @notice One whole share's value at the current prices: Centrifuge V3 does not check their age, and
    /// reads zero while the share class is unpriced.
    function pricePerShare() external view returns (uint256);
    function priceLastUpdated() external view returns (uint64);

    /// @notice Centrifuge V3: the asynchronous request manager behind the vault, which keeps each
    /// controller's state.
    function manager() external view returns (address);
    /// @notice Centrifuge V3: the request manager the vault's requests and claims go to.
    function asyncRedeemManager() external view returns (address);
    /// @notice Centrifuge V3: the pool and share class the vault serves.
    function poolId() external view returns (uint64);
    function scId() external view returns (bytes16);
}

/// @notice A controller's state at a Centrifuge V3 vault, field for field as the request manager keeps it
/// (all fields static, so it is encoded as the public mapping's getter returns them; prices are 18-decimal
/// fixed point, `uint128` on the wire).
struct InvestmentState {
    uint128 maxMint;
    uint128 maxWithdraw;
    uint128 depositPrice;
    uint128 redeemPrice;
    uint128 pendingDepositRequest;
    uint128 pendingRedeemRequest;
    uint128 claimableCancelDepositRequest;
    uint128 claimableCancelRedeemRequest;
    bool pendingCancelDepositRequest;
    bool pendingCancelRedeemRequest;
}

/// @notice Centrifuge V3's request manager: a controller's raw state at a vault, unclaimed fills included
/// whatever its membership (the vault's `maxMint` reads zero for a non-member).
interface IRequestManagerLike {
    function investments(address vault, address investor) external view returns (InvestmentState memory);
    function spoke() external view returns (address);
}

/// @notice Centrifuge V3's spoke: when the share price was computed, its maximum age and until when valid.
interface ISpokeLike {
    function markersPricePoolPerShare(
        uint64 poolId,
        bytes16 scId
    ) external view returns (uint64 computedAt, uint64 maxAge, uint64 validUntil);
}

/// @notice A Centrifuge share token: the transfer check its hook answers (ERC-1404), and the hook itself.
interface IShareTokenLike {
    function checkTransferRestriction(address from, address to, uint256 value) external view returns (bool);
    function hook() external view returns (address);
}

/// @notice Centrifuge V3's membership hook (FullRestrictions): whether `user` is a member of `token`'s list
/// now, and until when.
interface IMemberlistLike {
    function isMember(address token, address user) external view returns (bool isValid, uint64 validUntil);
    function isFrozen(address token, address user) external view returns (bool);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IAdapter
/// @notice One position in one product, held by the adapter on behalf of exactly one vault. Sync and
/// async products share this interface: a sync product reports zero for its pending amounts and
/// for `maxRequestRedeem`.
/// @dev Every amount is in units of the vault's asset. Only the vault may call the mutating
/// functions. Views other than `totalAssets` must not revert, whatever the product's state: the vault
/// reads them to plan and to serve withdrawals, and an adapter whose price is unusable answers zero. The vault transfers assets to the adapter before calling `deposit`, and measures what
/// it receives back from `withdraw` and `settle` with its own balance, so an adapter cannot claim
/// more than it delivers.
interface IAdapter {
    /// @notice The vault this adapter serves; the only caller allowed to move its funds.
    function vault() external view returns (address);

    /// @notice The vault's asset, the unit of every amount this adapter reports.
    function asset() external view returns (address);

    /// @notice Everything the position is worth now: holdings at NAV, plus pending inflows at cost,
    /// plus pending outflows at their request-time NAV, plus anything claimable.
    /// @dev Rounds down. May revert when the product's price is unusable (stale or bad oracle); the
    /// vault then quarantines this adapter instead of reverting as a whole.
    function totalAssets() external view returns (uint256);

    /// @notice Timestamp of the price behind `totalAssets`, for the vault's staleness check.
    function navUpdatedAt() external view returns (uint256);

    /// @notice The most the adapter can accept in one `deposit` now (issuer limits, allowlists).
    function maxDeposit() external view returns (uint256);

    /// @notice The smallest `deposit` the adapter accepts; smaller entries are skipped by the vault.
    function minDeposit() external view returns (uint256);

    /// @notice The most the adapter can return to the vault instantly in one `withdraw`, after the
    /// issuer's current fee, rounding and pause state: `withdraw(maxWithdraw())` succeeds.
    function maxWithdraw() external view returns (uint256);

    /// @notice What an instant `withdraw(assets)` costs the position beyond `assets`: the value
    /// `totalAssets` drops by, less `assets` (the issuer's fee and rounding), rounded up. The vault
    /// charges it to the holder whose withdrawal draws on this adapter.
    /// @dev Must not revert for any `assets` up to `maxWithdraw()`, must not fall as `assets` grows
    /// (the vault's maxWithdraw pays `owned − cost(owned)` and relies on the smaller amount costing no
    /// more), and must not be below the real cost (the leaver would be undercharged): an issuer's
    /// rounding makes the exact cost a sawtooth, so quote a bound that grows with the amount.
    function withdrawCost(uint256 assets) external view returns (uint256);

    /// @notice The most that can be requested now with `requestRedeem`: zero for sync products and
    /// while a redemption request is already open.
    function maxRequestRedeem() external view returns (uint256);

    /// @notice Inflows sent to the issuer and not yet turned into holdings, valued at cost.
    function pendingDeposit() external view returns (uint256);

    /// @notice The adapter's own outflows requested from the issuer and not yet returned to the vault
    /// (pending, or paid and unsettled), valued at the NAV of the request. Cash held beyond them is not
    /// an outflow.
    function pendingRedeem() external view returns (uint256);

    /// @notice What settling brings back: value the issuer has fulfilled, on either side, and cash the
    /// adapter holds (an adapter may return cash at the next settlement that has nothing else to claim).
    function claimable() external view returns (uint256);

    /// @notice When the oldest of this adapter's own open issuer requests (a subscription not yet
    /// issued, a redemption not yet paid) was filed; zero when none is open. Requests that others
    /// attached to the adapter at the issuer are not its own.
    function requestedAt() external view returns (uint256);

    /// @notice Invests `assets` that the vault has just transferred to the adapter.
    /// @dev Reverts when `assets` is below `minDeposit` or above `maxDeposit`.
    function deposit(uint256 assets) external;

    /// @notice Frees exactly `assets` instantly and transfers them to the vault.
    /// @dev Reverts when `assets` exceeds `maxWithdraw`.
    function withdraw(uint256 assets) external;

    /// @notice Files an asynchronous redemption for `assets` worth of the position.
    /// @return requested The value actually requested: `assets` (up to one share's worth more, as the
    /// shares are rounded up), or less when the holdings fall short.
    function requestRedeem(uint256 assets) external returns (uint256 requested);

    /// @notice Claims whatever the issuer fulfilled and transfers any assets to the vault.
    /// @return assets The amount of the vault's asset transferred to the vault.
    function settle() external returns (uint256 assets);

    /// @notice Forgets the adapter's own open issuer requests: their value leaves `totalAssets`, and
    /// anything the issuer delivers for them later arrives as new value (assets or holdings).
    /// @return written The value `totalAssets` dropped by.
    function writeOff() external returns (uint256 written);
}

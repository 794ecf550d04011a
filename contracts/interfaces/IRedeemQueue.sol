// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRedeemQueue
/// @notice The vault's asynchronous exit: an ERC-7540 vault (asynchronous redemptions, synchronous
/// deposits) whose share token is the ReserveVault (ERC-7575: `share()` is the vault). A holder whose
/// exit is larger than the vault's instant liquidity requests it here and is paid in the order of
/// requests as liquidity appears.
///
/// The queue's promises:
/// - FIFO: requests are fulfilled in the order made. `fulfil` serves the oldest open request first and
///   moves to the next only once it is fully served, so a later request is never paid before an earlier
///   one that the same assets could pay.
/// - Pricing at fulfilment: requested shares stay vault shares, held in escrow here, until fulfilled;
///   they earn and lose with every other share meanwhile. Fulfilment redeems them from the vault at its
///   price then, through the vault's own `redeem` (rounded down, the leaver paying its exit cost), so
///   neither the leaver nor those who stay gain at the other's expense beyond rounding, which goes
///   against the leaver. A requester cannot escape a loss booked before its fulfilment.
/// - Segregation: assets of fulfilled requests are held by this contract, outside the vault's
///   `totalAssets`; they are never invested or lent to another exit, and always claimable in full.
/// - No trap: `fulfil` is open to anyone and serves whatever the vault's instant liquidity allows, so a
///   keeper that stops cannot hold an exit hostage. A request still pending may be cancelled by its
///   controller, which takes the shares back (ERC-7887, synchronously), once a day has passed since its
///   latest request: queued exits come before instant ones and make the plan sell, so a request that
///   could be withdrawn at once would let anyone block others' exits for the cost of gas.
/// - Bounded work: each `fulfil` call serves at most the number of requests it is given, whatever the
///   queue's length; requests below `minRequestAssets` (unless the owner requests its own whole balance) are
///   refused, so dust cannot grow the queue cheaply.
/// @dev Choices the ERC-7540 text leaves open, made as a holder would expect:
/// - every request has id 0: a controller's requests aggregate (`pendingRedeemRequest(0, c)` is the
///   sum), while the queue keeps each request's place; the views answer 0 for any other id, and cancel
///   and claim refuse it (`UnknownRequest`);
/// - `requestRedeem` takes the owner's shares with an ERC-20 allowance to this contract; a caller other
///   than the owner must be its operator. ERC-7540 also lets an ERC-20 allowance the owner gave the
///   caller authorise it; this queue is not the share token and cannot spend that allowance, and having
///   the vault spend it on the queue's word would let a faulty queue spend any allowance any holder gave
///   anyone, so it is refused (`NotControllerOrOperator`);
/// - the vault share answers ERC-7575's `vault(asset)` with this queue;
/// - a controller's claimable assets are one pool: a partial claim is paid pro rata;
/// - deposits are synchronous and forwarded to the vault.
interface IRedeemQueue {
    /// @notice ERC-7540: a redemption request of `shares` from `owner`, controlled by `controller`.
    event RedeemRequest(
        address indexed controller,
        address indexed owner,
        uint256 indexed requestId,
        address sender,
        uint256 shares
    );
    /// @notice ERC-7540: `controller` let `operator` act for it (or stopped).
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    /// @notice Request `index` of `controller`: `shares` redeemed from the vault for `assets`, now claimable.
    event RedeemFulfilled(address indexed controller, uint256 indexed index, uint256 shares, uint256 assets);
    /// @notice A `fulfil` call by `caller` served `served` requests (cancelled ones passed over included):
    /// `shares` redeemed for `assets`, `exitCost` less than they were worth at the vault's price.
    event RedeemBatchFulfilled(
        address indexed caller,
        uint256 served,
        uint256 shares,
        uint256 assets,
        uint256 exitCost
    );
    /// @notice ERC-7887: `controller`'s pending shares cancelled (claimable back at once).
    event CancelRedeemRequest(address indexed controller, uint256 indexed requestId, address sender);
    /// @notice ERC-7887: cancelled `shares` of `controller` sent to `receiver`.
    event CancelRedeemClaim(
        address indexed controller,
        address indexed receiver,
        uint256 indexed requestId,
        address sender,
        uint256 shares
    );
    /// @notice ERC-4626: a claim (`owner` is the request's controller).
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );
    /// @notice ERC-4626: a deposit forwarded to the vault.
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// @notice The vault's governance changed the smallest request accepted.
    event MinRequestAssetsSet(uint256 oldAssets, uint256 newAssets);
    /// @notice The vault's governance changed how old the queue may get before the plan stops entries.
    event MaxQueueAgeSet(uint256 oldSeconds, uint256 newSeconds);

    /// @notice Zero shares or assets.
    error ZeroAmount();
    /// @notice Only request id 0 exists.
    error UnknownRequest(uint256 requestId);
    /// @notice `caller` is neither `controller` nor its operator.
    error NotControllerOrOperator(address caller, address controller);
    /// @notice A request worth `assets` is below the minimum `minAssets` and is not the owner's whole balance
    /// requested for the owner itself.
    error RequestTooSmall(uint256 assets, uint256 minAssets);
    /// @notice More than the controller's claimable `available` was asked.
    error ExceedsClaimable(uint256 requested, uint256 available);
    /// @notice Nothing of `controller` is pending.
    error NothingPending(address controller);
    /// @notice ERC-7540: previews do not apply to asynchronous redemptions.
    error AsyncRedeem();
    /// @notice Only the vault's governance (its default admin) may change the queue's settings.
    error NotVaultAdmin(address caller);
    /// @notice A queue age below one hour.
    error MaxQueueAgeTooShort(uint256 maxQueueAgeSeconds, uint256 minSeconds);
    /// @notice `setOperator` on oneself.
    error OperatorIsSelf(address controller);
    /// @notice `controller` made a request too recently to cancel; it may from `allowedAt`.
    error CancelTooEarly(address controller, uint256 allowedAt);
    /// @notice The request would leave `controller` with `outstanding` shares pending and claimable, more
    /// than `max`: claim what is claimable first, or request for another controller.
    error TooManySharesOutstanding(address controller, uint256 outstanding, uint256 max);

    /// @notice ERC-7575: the share token, the ReserveVault.
    function share() external view returns (address);

    /// @notice ERC-4626: the vault's asset.
    function asset() external view returns (address);

    /// @notice ERC-7540: takes `shares` from `owner` into escrow and queues their redemption for `controller`.
    /// @dev A controller's shares pending and claimable together are kept within 128 bits (about 3.4 ×
    /// 10^20 whole shares), so that serving it can never overflow and stop the queue: a request beyond
    /// reverts with `TooManySharesOutstanding`. The queue's pending shares, all controllers together, are
    /// kept in 128 bits too (`SafeCastOverflowedUintDowncast` for the request that would pass them).
    /// @return requestId Always 0.
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice ERC-7540: shares of `controller` waiting to be fulfilled.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice ERC-7540: fulfilled shares of `controller` not yet claimed.
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice Serves the oldest open requests, at most `maxRequests` of them (cancelled ones count), with
    /// what the vault can pay now. Anyone may call it.
    /// @return served Requests fully served or passed over as cancelled.
    /// @return shares Vault shares redeemed.
    /// @return assets Assets set aside for the served requests.
    function fulfil(uint256 maxRequests) external returns (uint256 served, uint256 shares, uint256 assets);

    /// @notice ERC-7887: cancels every pending share of `controller`; they are claimable back at once.
    /// Reverts with `CancelTooEarly` within `CANCEL_DELAY_SECONDS` of the controller's latest request.
    function cancelRedeemRequest(uint256 requestId, address controller) external;

    /// @notice ERC-7887: always false, cancellation is synchronous.
    function pendingCancelRedeemRequest(uint256 requestId, address controller) external view returns (bool);

    /// @notice ERC-7887: cancelled shares of `controller` not yet claimed back.
    function claimableCancelRedeemRequest(uint256 requestId, address controller) external view returns (uint256);

    /// @notice ERC-7887: sends `controller`'s cancelled shares to `receiver`.
    function claimCancelRedeemRequest(
        uint256 requestId,
        address receiver,
        address controller
    ) external returns (uint256 shares);

    /// @notice ERC-7540: lets `operator` request, claim and cancel for the caller.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice ERC-7540: whether `operator` acts for `controller`.
    function isOperator(address controller, address operator) external view returns (bool);

    /// @notice Number of requests not yet served (cancelled ones at the head included until passed over).
    function queueLength() external view returns (uint256);

    /// @notice When the oldest open request was made; 0 when none is open.
    function oldestRequestAt() external view returns (uint256);

    /// @notice Whether the oldest open request is older than `maxQueueAgeSeconds`: the plan then makes no
    /// new entries into adapters until the queue is served.
    function overdue() external view returns (bool);

    /// @notice Vault shares waiting in the queue, and their value now: the liquidity the plan frees first.
    function pendingShares() external view returns (uint256);

    /// @notice The value of the pending shares at the vault's price now (rounded up: demand is not understated).
    function pendingAssets() external view returns (uint256);

    /// @notice Assets held for fulfilled, unclaimed requests.
    function reservedAssets() external view returns (uint256);

    /// @notice Smallest request accepted, in assets (a request of the owner's whole balance, for itself, always is).
    function minRequestAssets() external view returns (uint256);

    /// @notice Age of the oldest open request past which the plan stops entries.
    function maxQueueAgeSeconds() external view returns (uint256);

    /// @notice Changes the smallest request accepted. Only the vault's governance.
    function setMinRequestAssets(uint256 minRequestAssets) external;

    /// @notice Changes the queue age past which the plan stops entries (at least an hour). Only the
    /// vault's governance, whose own timelock delays it.
    function setMaxQueueAge(uint256 maxQueueAgeSeconds) external;
}

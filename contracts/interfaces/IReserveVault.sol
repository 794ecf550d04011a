// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @notice What one rebalance leg does.
enum LegKind {
    /// Take assets out of the adapter instantly.
    Withdraw,
    /// File an asynchronous redemption at the adapter's issuer.
    RequestRedeem,
    /// Put idle assets into the adapter.
    Deposit
}

/// @notice Why an adapter was quarantined.
enum QuarantineReason {
    /// The guardian quarantined it.
    Manual,
    /// Its valuation reverted.
    ValuationReverted,
    /// Its price is older than its maximum NAV age.
    Stale,
    /// Its valuation moved more than its maximum deviation since the last report.
    Deviation,
    /// Its oldest open issuer request is older than its maximum request age.
    RequestOverdue
}

/// @notice One move of a rebalance plan.
struct Leg {
    address adapter;
    LegKind kind;
    uint256 amount;
}

/// @notice A refilling inflow allowance: `available = min(maxAmount, lastAmount + slopePerSecond × elapsed)`.
struct RateLimit {
    uint128 maxAmount;
    uint128 slopePerSecond;
    uint128 lastAmount;
    uint64 lastUpdated;
}

/// @notice Reported gains still to be released: `locked` at `updatedAt`, falling linearly to zero at `unlockEnd`.
struct ProfitLock {
    uint128 locked;
    uint64 updatedAt;
    uint64 unlockEnd;
}

/// @notice The vault's accounting: `totalAssets = idle + totalValue − locked profit`.
struct Books {
    /// Assets held idle by the vault, as accounted (donations are not counted). 112 bits hold 5 × 10^15
    /// whole units of an 18-decimal asset.
    uint112 idle;
    /// Sum of the adapters' book values.
    uint112 totalValue;
    /// Whether the redemption queue has exits pending: kept beside idle so that an instant withdrawal
    /// reads it without another storage slot, and asks the queue only when it is set.
    bool queuePending;
    /// The guardian paused deposits and rebalances: beside idle for the same reason, a deposit reads
    /// one slot for both.
    bool paused;
    /// Some write-off may still be recovered (`recoverable` is not zero): beside idle, so a deposit
    /// reads `recoverable` only then.
    bool recovering;
    ProfitLock profitLock;
    /// Seconds over which a newly recognised gain is released.
    uint32 profitUnlockSeconds;
    /// Sum of the adapters' `writtenOff`: losses booked by write-offs that a late payment may still
    /// recover. Entries are priced as if it were there, exits without it.
    uint112 recoverable;
}

/// @notice Everything the vault knows of one adapter.
/// @dev The first storage slot holds everything a plan's exit side and a withdrawal's walk read (value,
/// weight, state, bounds), so an adapter that needs no leg costs the plan one slot; cap and last report
/// share the second, the rate limit the next two.
struct AdapterConfig {
    /// Book value: what the vault counts the position as worth, in assets.
    uint128 value;
    uint16 targetWeightBps;
    /// A quarantined adapter keeps its last good value, takes no allocation and serves no withdrawal.
    bool quarantined;
    bool listed;
    /// Per-leg bound on value lost when moving assets in or out.
    uint16 maxSlippageBps;
    /// Largest move between two reports accepted without quarantine.
    uint16 maxNavDeviationBps;
    /// Oldest price accepted without quarantine.
    uint32 maxNavAgeSeconds;
    /// Oldest an open issuer request may be before the adapter is quarantined; once quarantined past
    /// it, the request may be written off.
    uint32 maxRequestAgeSeconds;
    /// Most book value the adapter may reach through rebalances.
    uint128 cap;
    uint64 lastReportedAt;
    RateLimit rateLimit;
    /// What write-offs took from the share price and the issuer may still pay: a gain on this adapter up
    /// to it goes back to the share price at once, not through the profit lock. In a slot of its own,
    /// read only while the vault is `recovering`.
    uint128 writtenOff;
}

/// @title IReserveVault
/// @notice An ERC-4626 vault over one stablecoin that spreads its reserves over product adapters by
/// target weights, counting assets in flight at issuers, with every keeper action bounded.
/// @dev Roles: the admin (governance) grants roles and sets the timelock; the curator lists
/// adapters and sets weights and limits, risk-increasing changes only after the timelock; the keeper
/// reports, settles and rebalances, and cannot choose amounts; the guardian pauses, quarantines,
/// revokes pending changes and removes keepers, and never moves funds.
///
/// Exits: `withdraw`/`redeem` are synchronous while idle and the adapters' instant liquidity allow.
/// Beyond that a holder queues its exit in the vault's redemption queue (`redeemQueue()`, an ERC-7540
/// vault whose share is this vault), which promises, and tests: FIFO (a later request is never paid
/// before an earlier one the same assets could pay); pricing at fulfilment through this vault's own
/// `redeem`, rounding against the leaver, so neither side gains at the other's expense; segregation
/// (fulfilled assets leave `totalAssets`, are never invested or lent to another exit, and are always
/// claimable in full); no trap (anyone may fulfil once liquidity covers the head; the plan frees the
/// queue's demand first and stops entries once it is overdue); cancellation of a pending request returns
/// the shares. While exits are queued, `maxWithdraw`/`maxRedeem` of every other owner leave the queue's
/// demand payable. See `IRedeemQueue`.
interface IReserveVault is IERC4626 {
    /* ERRORS */

    /// @notice A zero address was given where a real one is required.
    error ZeroAddress();
    /// @notice `adapter` is not listed in this vault.
    error AdapterNotListed(address adapter);
    /// @notice `adapter` is already listed in this vault.
    error AdapterAlreadyListed(address adapter);
    /// @notice `adapter` serves `vault`, not this one.
    error AdapterVaultMismatch(address adapter, address vault);
    /// @notice `adapter` reports `asset`, not this vault's asset.
    error AdapterAssetMismatch(address adapter, address asset);
    /// @notice Listing another adapter would exceed `max`.
    error TooManyAdapters(uint256 max);
    /// @notice `adapter` still holds `value` and cannot be removed.
    error AdapterNotEmpty(address adapter, uint256 value);
    /// @notice `adapter` still has a target weight of `weightBps` and cannot be removed.
    error AdapterHasWeight(address adapter, uint256 weightBps);
    /// @notice `adapter` is quarantined: it takes no new allocation and serves no withdrawal.
    error AdapterIsQuarantined(address adapter);
    /// @notice `adapter` is not quarantined.
    error AdapterNotQuarantined(address adapter);
    /// @notice `adapter`'s valuation is unusable: it reverted or is older than its maximum age.
    error ValuationUnusable(address adapter);
    /// @notice The target weights would sum to `totalBps`, above 10 000.
    error WeightSumExceeded(uint256 totalBps);
    /// @notice `value` is above the allowed `max`.
    error ValueTooHigh(uint256 value, uint256 max);
    /// @notice The change `id` was never submitted, or was revoked or already executed.
    error ChangeNotSubmitted(bytes32 id);
    /// @notice The change `id` was already submitted and is waiting.
    error ChangeAlreadySubmitted(bytes32 id);
    /// @notice The change `id` may only be executed from `executableAt`.
    error ChangeStillTimelocked(bytes32 id, uint256 executableAt);
    /// @notice The change `id` could be executed only until `expiredAt`; submit it again.
    error ChangeExpired(bytes32 id, uint256 expiredAt);
    /// @notice The withdraw order lists `adapter`, which is not listed or appears twice.
    error InvalidWithdrawOrder(address adapter);
    /// @notice Moving `amount` into `adapter` exceeds the `available` rate-limit headroom.
    error RateLimitExceeded(address adapter, uint256 amount, uint256 available);
    /// @notice Depositing `amount` into `adapter` added only `valueAdded`, below `minValueAdded`.
    error EntrySlippageExceeded(address adapter, uint256 amount, uint256 valueAdded, uint256 minValueAdded);
    /// @notice Taking `amount` out of `adapter` removed `valueRemoved`, above `maxValueRemoved`.
    error ExitSlippageExceeded(address adapter, uint256 amount, uint256 valueRemoved, uint256 maxValueRemoved);
    /// @notice `adapter` was asked for `requested` and delivered only `received`.
    error AdapterShortfall(address adapter, uint256 requested, uint256 received);
    /// @notice A rebalance took gross assets (idle plus book values) from `grossBefore` to
    /// `grossAfter`, below the floor `minGrossAfter`.
    error RebalanceLossExceeded(uint256 grossBefore, uint256 grossAfter, uint256 minGrossAfter);
    /// @notice A withdrawal needs `requested` but only `available` can leave now.
    error InsufficientLiquidity(uint256 requested, uint256 available);
    /// @notice Only the vault itself may call this (it isolates one adapter operation).
    error OnlySelf(address caller);
    /// @notice Only the vault's redemption queue may say its state changed.
    error OnlyRedeemQueue(address caller);
    /// @notice The vault has a redemption queue already (it is set once).
    error RedeemQueueAlreadySet(address queue);
    /// @notice `queue` redeems another vault's shares.
    error RedeemQueueMismatch(address queue, address share);
    /// @notice The asset has more than 18 decimals, which 18-decimal shares cannot represent.
    error AssetDecimalsUnsupported(uint8 decimals);
    /// @notice Deposits and rebalances are paused.
    error EnforcedPause();
    /// @notice The vault is not paused.
    error ExpectedPause();
    /// @notice `selector` is not a function that takes timelocked changes.
    error NotTimelockable(bytes4 selector);
    /// @notice `adapter`'s oldest open request (filed at `requestedAt`, zero when none is open) may
    /// only be written off after `overdueAt`.
    error RequestNotOverdue(address adapter, uint256 requestedAt, uint256 overdueAt);
    /// @notice `value` is below the allowed `min`.
    error ValueTooLow(uint256 value, uint256 min);
    /// @notice `adapter` still shows `claimable` at its issuer after a settlement: claim it before writing
    /// off or removing the adapter.
    error ClaimableNotSettled(address adapter, uint256 claimable);
    /// @notice `adapter` has no write-off left to recover.
    error NothingToRecover(address adapter);
    /// @notice Lifting `adapter`'s quarantine would book it at `value`, above the `maxValue` the lift
    /// was submitted (reviewed) for.
    error LiftValueExceeded(address adapter, uint256 value, uint256 maxValue);

    /* EVENTS */

    /// @notice `adapter` was listed.
    event AdapterAdded(address indexed adapter, address indexed caller);
    /// @notice `adapter` was unlisted.
    event AdapterRemoved(address indexed adapter, address indexed caller);
    /// @notice `adapter`'s target weight changed.
    event TargetWeightSet(address indexed adapter, uint256 oldBps, uint256 newBps);
    /// @notice `adapter`'s cap on its book value changed.
    event CapSet(address indexed adapter, uint256 oldCap, uint256 newCap);
    /// @notice `adapter`'s inflow rate limit changed.
    event RateLimitSet(
        address indexed adapter,
        uint256 oldMaxAmount,
        uint256 newMaxAmount,
        uint256 oldSlopePerSecond,
        uint256 newSlopePerSecond
    );
    /// @notice `adapter`'s valuation guard changed.
    event NavGuardSet(
        address indexed adapter,
        uint256 oldMaxNavAgeSeconds,
        uint256 newMaxNavAgeSeconds,
        uint256 oldMaxNavDeviationBps,
        uint256 newMaxNavDeviationBps
    );
    /// @notice `adapter`'s per-leg slippage bound changed.
    event MaxSlippageSet(address indexed adapter, uint256 oldBps, uint256 newBps);
    /// @notice The idle buffer changed.
    event BufferSet(uint256 oldBps, uint256 newBps);
    /// @notice The drift band changed.
    event DriftBandSet(uint256 oldBps, uint256 newBps, uint256 oldMinMove, uint256 newMinMove);
    /// @notice The whole-rebalance loss bound changed.
    event MaxRebalanceLossSet(uint256 oldBps, uint256 newBps);
    /// @notice The gain release period changed.
    event ProfitUnlockTimeSet(uint256 oldSeconds, uint256 newSeconds);
    /// @notice `adapter`'s maximum request age changed.
    event MaxRequestAgeSet(address indexed adapter, uint256 oldSeconds, uint256 newSeconds);
    /// @notice `adapter`'s open issuer requests, worth `written` on its valuation, were written off, after
    /// a settlement that brought `settled` back from what the issuer had delivered; `loss` was booked
    /// against its book value at once: the written value up to the book, and any further shortfall of the
    /// adapter's live valuation below its book.
    event RequestWrittenOff(
        address indexed adapter,
        address indexed caller,
        uint256 settled,
        uint256 written,
        uint256 loss
    );
    /// @notice A gain of `recovered` on an adapter paid back what a write-off had taken from the share
    /// price: booked at once, not locked; `recoverableLeft` may still come back vault-wide.
    event LossRecovered(uint256 recovered, uint256 recoverableLeft);
    /// @notice `adapter`'s write-offs were declared final: `closed` is no longer expected back, and entries
    /// are priced on what is there.
    event RecoveryClosed(address indexed adapter, address indexed caller, uint256 closed);
    /// @notice The configuration timelock changed.
    event TimelockSet(uint256 oldSeconds, uint256 newSeconds);
    /// @notice The order in which user withdrawals draw on adapters changed.
    event WithdrawOrderSet(address[] order);
    /// @notice A risk-increasing change was submitted and may execute from `executableAt`.
    event ChangeSubmitted(bytes32 indexed id, address indexed caller, bytes data, uint256 executableAt);
    /// @notice A submitted change was revoked before execution.
    event ChangeRevoked(bytes32 indexed id, address indexed caller);
    /// @notice A submitted change was executed.
    event ChangeExecuted(bytes32 indexed id, address indexed caller);
    /// @notice Deposits and rebalances were paused or unpaused.
    event PausedSet(address indexed caller, bool paused);
    /// @notice The guardian removed a keeper.
    event KeeperRemoved(address indexed keeper, address indexed caller);
    /// @notice The vault's redemption queue was set (once, timelocked).
    event RedeemQueueSet(address indexed queue, address indexed caller);
    /// @notice `adapter`'s book value was refreshed by a report.
    event AdapterReported(address indexed adapter, uint256 oldValue, uint256 newValue);
    /// @notice `adapter` was quarantined and kept at `lastGoodValue`.
    event AdapterQuarantined(address indexed adapter, QuarantineReason reason, uint256 lastGoodValue, uint256 observed);
    /// @notice `adapter`'s quarantine was lifted and its book value re-based to `value`.
    event QuarantineLifted(address indexed adapter, address indexed caller, uint256 value);
    /// @notice A gain was recognised and locked; `locked` unlocks linearly until `unlockEnd`.
    event ProfitLocked(uint256 gain, uint256 locked, uint256 unlockEnd);
    /// @notice A loss was recognised; `absorbed` of it was covered by still-locked profit.
    event LossRecognized(uint256 loss, uint256 absorbed);
    /// @notice One leg of a rebalance moved `amount`; `valueChange` is what the adapter's value
    /// changed by.
    event LegExecuted(address indexed adapter, LegKind kind, uint256 amount, uint256 valueChange);
    /// @notice One leg of a rebalance failed and was skipped, leaving books and idle unchanged;
    /// `reason` is the start (at most 260 bytes) of the revert data.
    event LegFailed(address indexed adapter, LegKind kind, uint256 amount, bytes reason);
    /// @notice A withdrawal could not draw `amount` from `adapter` and moved on to the next in the
    /// withdraw order, leaving books and idle unchanged.
    event WithdrawalSourceFailed(address indexed adapter, uint256 amount, bytes reason);
    /// @notice A rebalance executed `legs` legs; the assets where they sit (idle plus book values, locked
    /// profit included) before and after, whose difference its loss bound holds.
    event Rebalanced(address indexed caller, uint256 legs, uint256 grossBefore, uint256 grossAfter);
    /// @notice `adapter` returned `assets` to the vault on settlement.
    event Settled(address indexed adapter, address indexed caller, uint256 assets);

    /* VIEWS */

    /// @notice Idle assets held by the vault, as accounted (donations are not counted).
    function idle() external view returns (uint256);

    /// @notice Sum of all adapters' book values.
    function totalAdapterValue() external view returns (uint256);

    /// @notice Reported gains not yet released into `totalAssets`.
    function lockedProfit() external view returns (uint256);

    /// @notice The profit lock as stored (amount at its last update and end of release).
    function profitLock() external view returns (ProfitLock memory);

    /// @notice Listed adapters, in the order rebalances visit them.
    function adapters() external view returns (address[] memory);

    /// @notice The order in which withdrawals beyond idle draw on adapters' instant liquidity.
    function withdrawOrder() external view returns (address[] memory);

    /// @notice Configuration and book value of `adapter`.
    function adapterConfig(address adapter) external view returns (AdapterConfig memory);

    /// @notice Inflow `adapter` may receive now under its rate limit.
    function rateLimitAvailable(address adapter) external view returns (uint256);

    /// @notice Sum of all target weights, at most 10 000.
    function totalWeightBps() external view returns (uint256);

    /// @notice Share of total assets kept idle for withdrawals.
    function bufferBps() external view returns (uint256);

    /// @notice Relative part of the drift band.
    function driftBandBps() external view returns (uint256);

    /// @notice Absolute floor of the drift band, and the smallest leg a rebalance makes.
    function minMove() external view returns (uint256);

    /// @notice Bound on the loss of gross assets (idle plus book values) over one rebalance.
    function maxRebalanceLossBps() external view returns (uint256);

    /// @notice Seconds over which a reported gain is released linearly.
    function profitUnlockSeconds() external view returns (uint256);

    /// @notice Delay between submitting and executing a risk-increasing change.
    function timelockSeconds() external view returns (uint256);

    /// @notice When the change with calldata `data` may execute (its submission plus the timelock in
    /// force now); zero when not submitted. It may execute for 14 days from then.
    function executableAt(bytes calldata data) external view returns (uint256);

    /// @notice The redemption queue (`IRedeemQueue`), or zero. Its pending exits come before instant
    /// ones: `maxWithdraw` and `maxRedeem` of any other owner leave the liquidity the queue needs, and
    /// the plan frees that liquidity first and, once the queue is overdue, makes no entries.
    function redeemQueue() external view returns (address);

    /// @notice Whether deposits and the rebalance's entries are paused. Withdrawals and exits never are.
    function paused() external view returns (bool);

    /// @notice ERC-7575, for this share: the entry point for `asset_` — the redemption queue (an ERC-7540
    /// vault of this share, synchronous deposits and queued redemptions) once set, else this vault; zero
    /// for any other asset.
    function vault(address asset_) external view returns (address);

    /// @notice Runs one adapter operation so that its failure can be caught: a rebalance leg, or
    /// (`userExit`) an instant exit serving a withdrawal, whose exit cost the leaver pays.
    /// @dev Callable only by the vault itself.
    /// @return valueChange The book value the adapter gained (deposit) or lost (exits).
    /// @return cost For a user exit: value lost beyond the assets received.
    function isolated(
        address adapter,
        LegKind kind,
        uint256 amount,
        bool userExit
    ) external returns (uint256 valueChange, uint256 cost);

    /// @notice The legs `rebalance` would execute now, in order: exits first, then entries.
    /// @dev Ignores the pause; `rebalance` itself reverts while paused.
    function previewRebalance() external view returns (Leg[] memory legs);

    /// @notice The legs `rebalanceExcept(skipMask)` would execute now.
    function previewRebalanceExcept(uint256 skipMask) external view returns (Leg[] memory legs);

    /* ONLY KEEPER FUNCTIONS */

    /// @notice Refreshes every adapter's book value. Gains are locked; losses count at once.
    /// Adapters whose valuation reverts, is stale or deviates too far, or whose oldest open issuer
    /// request is older than their maximum request age, are quarantined instead.
    /// @dev The breaker: a valuation `observed` against a book value `recorded` deviates when
    /// `|observed − recorded| > max(recorded × maxNavDeviationBps / 10 000, one whole unit of the
    /// asset)`. It has no hole at zero: on a book at zero (never funded, or drained by withdrawals or
    /// a loss) any valuation above one unit deviates. So an exit that takes a book to zero while the
    /// adapter still reports value leaves that value to a quarantine, never to a gain.
    function report() external;

    /// @notice Moves assets towards the target weights, computing every amount on-chain.
    /// @dev Each leg runs isolated: one that fails is skipped with `LegFailed` and the others run. While
    /// the vault is paused only exit legs run (entries fail with `EnforcedPause`), so queued exits are
    /// still freed.
    /// @return legs The number of legs executed; zero when everything is within its band, or when
    /// every planned leg failed.
    function rebalance() external returns (uint256 legs);

    /// @notice `rebalance`, leaving out the adapters whose index bit is set in `skipMask` (for example
    /// those whose issuer is outside its business window); the rest of the plan is computed and moved as
    /// usual. Skipping can only delay a move, never enlarge one.
    function rebalanceExcept(uint256 skipMask) external returns (uint256 legs);

    /// @notice Claims what `adapter`'s issuer fulfilled and books the assets returned.
    /// @return assets The assets returned to the vault.
    function settle(address adapter) external returns (uint256 assets);

    /* ONLY CURATOR FUNCTIONS (risk-increasing ones need a matured submission) */

    /// @notice Lists `adapter`. Always timelocked.
    function addAdapter(address adapter) external;

    /// @notice Unlists `adapter`, which must have zero weight, a zero book value and a valuation of
    /// at most one whole unit of the asset (so a stranger's donation of dust cannot block removal; a
    /// larger one is returned to the vault by `settle` first, or booked by a report). Immediate.
    function removeAdapter(address adapter) external;

    /// @notice Sets `adapter`'s target weight. Increases are timelocked.
    function setTargetWeight(address adapter, uint256 weightBps) external;

    /// @notice Sets `adapter`'s cap on book value. Increases are timelocked.
    function setCap(address adapter, uint256 cap) external;

    /// @notice Sets `adapter`'s inflow rate limit. Raising either parameter is timelocked.
    /// @dev A `maxAmount` of `type(uint128).max` disables the limit.
    function setRateLimit(address adapter, uint256 maxAmount, uint256 slopePerSecond) external;

    /// @notice Sets `adapter`'s valuation guard. Raising either parameter is timelocked.
    function setNavGuard(address adapter, uint256 maxNavAgeSeconds, uint256 maxNavDeviationBps) external;

    /// @notice Sets how old `adapter`'s oldest open issuer request may be before a report quarantines
    /// it (`QuarantineReason.RequestOverdue`). At least one hour. Timelocked both ways: a longer age
    /// delays the quarantine of a stuck request, a shorter one lets it be written off sooner.
    function setMaxRequestAge(address adapter, uint256 maxRequestAgeSeconds) external;

    /// @notice Sets `adapter`'s per-leg slippage bound. Increases are timelocked.
    function setMaxSlippage(address adapter, uint256 maxSlippageBps) external;

    /// @notice Sets the idle buffer. Decreases are timelocked.
    function setBuffer(uint256 bufferBps) external;

    /// @notice Sets the drift band. Immediate: the band changes how often, not how much, is moved.
    function setDriftBand(uint256 driftBandBps, uint256 minMove) external;

    /// @notice Sets the whole-rebalance loss bound. Increases are timelocked.
    function setMaxRebalanceLoss(uint256 maxRebalanceLossBps) external;

    /// @notice Sets the gain release period. Decreases are timelocked.
    function setProfitUnlockTime(uint256 profitUnlockSeconds) external;

    /// @notice Sets the order in which withdrawals draw on adapters. Reordering or adding is
    /// immediate; leaving out an adapter of the current order is timelocked.
    function setWithdrawOrder(address[] calldata order) external;

    /* TIMELOCK */

    /// @notice Submits the risk-increasing change `data` (calldata of one of the setters); it may
    /// execute, by calling that setter with the same arguments, once the timelock has passed.
    /// @dev Callable by the curator, or by the admin for `setTimelock`.
    function submit(bytes calldata data) external;

    /// @notice Revokes a submitted change. Callable by the guardian or the curator.
    function revoke(bytes calldata data) external;

    /* ONLY ADMIN FUNCTIONS */

    /// @notice Sets the configuration timelock. Decreases are themselves timelocked.
    function setTimelock(uint256 timelockSeconds) external;

    /* ONLY GUARDIAN FUNCTIONS */

    /// @notice Pauses deposits and the rebalance's entries. Withdrawals, and the rebalance's exits (which
    /// free what queued exits wait for), are never paused.
    function pause() external;

    /// @notice Lifts the pause. Callable by the guardian or the admin.
    function unpause() external;

    /// @notice Quarantines `adapter` at its last good value.
    function quarantine(address adapter) external;

    /// @notice Lifts `adapter`'s quarantine and re-bases its book value on a usable valuation.
    /// Callable by the guardian or the curator. A loss, or a gain the breaker would accept, is booked
    /// at once; a gain beyond the breaker's bound (see `report`) is a change like any risk-increasing
    /// one: `liftQuarantine(adapter, maxValue)` must have been submitted and its timelock passed. The
    /// lift refuses (`LiftValueExceeded`) a valuation above `maxValue`, so what was reviewed is what books.
    function liftQuarantine(address adapter, uint256 maxValue) external;

    /// @notice Declares `adapter`'s write-offs final: what they took is no longer expected back, and new
    /// entries are priced on the assets there are. A payment that arrives later is an ordinary gain,
    /// locked. Callable by the curator.
    function closeRecovery(address adapter) external;

    /// @notice Losses booked by write-offs that the issuers may still pay: a recovery goes back to the
    /// share price at once, up to what each adapter wrote off, and entries (`previewDeposit`,
    /// `previewMint`) are priced as if it were there, so an entrant after a write-off gains nothing from
    /// the recovery. Exits are priced on `totalAssets` alone.
    function recoverable() external view returns (uint256);

    /// @notice Closes `adapter`'s open issuer requests that the issuer has not completed, booking
    /// their value as a loss at once. Callable by the guardian or the curator, only while the adapter
    /// is quarantined and once its oldest open request is older than its maximum request age.
    /// @dev The loss, net of the locked profit that absorbed it, is recorded as the adapter's `writtenOff`:
    /// proceeds the issuer pays later go back to the share price at once, up to it (see `recoverable`).
    /// @return loss The book value written off.
    function writeOff(address adapter) external returns (uint256 loss);

    /// @notice Revokes `keeper`'s role.
    function removeKeeper(address keeper) external;

    /// @notice Sets the redemption queue, once; it must redeem this vault's shares. Curator, timelocked.
    function setRedeemQueue(address queue) external;

    /// @notice Called by the redemption queue after its pending exits change: the vault notes whether
    /// any are pending, so instant withdrawals ask the queue only when they must.
    function redeemQueueChanged() external;
}

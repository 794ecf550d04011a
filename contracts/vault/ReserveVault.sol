// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {
    IReserveVault,
    AdapterConfig,
    Books,
    Leg,
    LegKind,
    ProfitLock,
    QuarantineReason
} from "../interfaces/IReserveVault.sol";
import {IRedeemQueue} from "../interfaces/IRedeemQueue.sol";
import {AdapterOpsLib} from "../libraries/AdapterOpsLib.sol";
import {BooksLib} from "../libraries/BooksLib.sol";
import {ConstantsLib} from "../libraries/ConstantsLib.sol";
import {IsolationLib} from "../libraries/IsolationLib.sol";
import {PlanLib} from "../libraries/PlanLib.sol";
import {ConfigLib} from "../libraries/ConfigLib.sol";
import {ProfitLockLib} from "../libraries/ProfitLockLib.sol";
import {RateLimitLib} from "../libraries/RateLimitLib.sol";

/// @title ReserveVault
/// @notice ERC-4626 vault that spreads one stablecoin over product adapters by target weights.
/// @dev Accounting: `totalAssets = idle + Σ book values − locked profit`. `idle` is tracked, never read
/// from the token balance, so donations change nothing. A book value moves only by what an operation
/// on its adapter measurably added or removed, or by a report; every gain is locked and released
/// linearly, every loss eats locked profit first. Deposits and idle withdrawals never loop over
/// adapters.
contract ReserveVault is IReserveVault, ERC4626, AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using SafeCast for uint256;
    using BooksLib for Books;

    bytes32 public constant CURATOR_ROLE = keccak256("CURATOR_ROLE");
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Gains recognised are released over this period unless the curator changes it.
    uint256 public constant DEFAULT_PROFIT_UNLOCK_SECONDS = 7 days;
    /// @notice Oldest price a newly listed adapter may report before it is quarantined.
    uint32 public constant DEFAULT_MAX_NAV_AGE_SECONDS = ConstantsLib.DEFAULT_MAX_NAV_AGE_SECONDS;
    /// @notice Largest move between reports a newly listed adapter may show before it is quarantined.
    uint16 public constant DEFAULT_MAX_NAV_DEVIATION_BPS = ConstantsLib.DEFAULT_MAX_NAV_DEVIATION_BPS;

    /// @dev ERC-7575's interface id of a share (`vault(address)`).
    bytes4 private constant SHARE_7575_INTERFACE_ID = 0xf815c03d;

    uint8 private immutable DECIMALS_OFFSET;
    /// @dev One whole unit of the asset: the breaker's dust tolerance.
    uint256 private immutable UNIT;

    Books private _books;

    uint16 private _bufferBps;
    uint16 private _driftBandBps;
    uint16 private _maxRebalanceLossBps;
    uint16 private _totalWeightBps;
    uint32 private _timelockSeconds;
    uint128 private _minMove;

    address[] private _adapters;
    address[] private _withdrawOrder;
    mapping(address adapter => AdapterConfig) private _config;
    /// @dev When each pending change was submitted; it may execute `_timelockSeconds` (as set at
    /// execution) later, for `ConstantsLib.SUBMISSION_WINDOW_SECONDS`.
    mapping(bytes32 id => uint256 submittedAt) private _submittedAt;
    /// @dev The redemption queue, set once; see `redeemQueue`.
    address private _redeemQueue;

    /// @param asset_ The stablecoin held (USDC first); at most 18 decimals.
    /// @param name_ Share token name.
    /// @param symbol_ Share token symbol.
    /// @param admin Governance: a TimelockController or a Safe.
    /// @param adminTransferDelay Delay before a new admin can accept the role.
    constructor(
        IERC20Metadata asset_,
        string memory name_,
        string memory symbol_,
        address admin,
        uint48 adminTransferDelay
    ) ERC20(name_, symbol_) ERC4626(asset_) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        uint8 assetDecimals = asset_.decimals();
        if (assetDecimals > 18) revert AssetDecimalsUnsupported(assetDecimals);
        DECIMALS_OFFSET = 18 - assetDecimals;
        UNIT = 10 ** assetDecimals;
        _books.profitUnlockSeconds = uint32(DEFAULT_PROFIT_UNLOCK_SECONDS);
    }

    /* MODIFIERS */

    modifier whenNotPaused() {
        if (_books.paused) revert EnforcedPause();
        _;
    }

    modifier onlyEither(bytes32 roleA, bytes32 roleB) {
        if (!hasRole(roleA, msg.sender) && !hasRole(roleB, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, roleA);
        }
        _;
    }

    /* ERC-4626 */

    /// @inheritdoc IERC4626
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        return _books.totalAssets();
    }

    /// @inheritdoc IERC4626
    function maxDeposit(address) public view override(ERC4626, IERC4626) returns (uint256) {
        return _books.paused ? 0 : type(uint256).max;
    }

    /// @inheritdoc IERC4626
    function maxMint(address) public view override(ERC4626, IERC4626) returns (uint256) {
        return _books.paused ? 0 : type(uint256).max;
    }

    /// @inheritdoc IERC4626
    /// @dev What the owner's shares are worth less the exit cost of the adapters the withdrawal would
    /// draw on, bounded by idle plus their instant liquidity; `withdraw` of it succeeds. Loops over
    /// adapters only when idle alone falls short. An adapter whose views fail counts as illiquid.
    function maxWithdraw(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        uint256 owned = _convertToAssets(balanceOf(owner), Math.Rounding.Floor);
        (bool beyondIdle, uint256 payable_, uint256 cost) = _quoteExit(owned, _seniorDemand(owner));
        if (!beyondIdle) return owned;
        // Paying `owned - cost` draws at most what was quoted, so costs at most `cost` (costs grow with
        // the amount): the shares owned cover it.
        return Math.min(owned > cost ? owned - cost : 0, payable_);
    }

    /// @inheritdoc IERC4626
    function maxRedeem(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        uint256 shares = balanceOf(owner);
        uint256 owned = _convertToAssets(shares, Math.Rounding.Floor);
        (bool beyondIdle, uint256 payable_, ) = _quoteExit(owned, _seniorDemand(owner));
        if (!beyondIdle || payable_ == owned) return shares;
        // Shares worth at most what can leave: their payout, net of exit cost, is payable.
        return _convertToShares(payable_, Math.Rounding.Floor);
    }

    /// @inheritdoc IERC4626
    /// @dev Includes the exit cost of the adapters the withdrawal would draw on: the leaver pays it.
    function previewWithdraw(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        (, , uint256 cost) = _quoteExit(assets, 0);
        return _convertToShares(assets + cost, Math.Rounding.Ceil);
    }

    /// @inheritdoc IERC4626
    /// @dev Net of the exit cost of the adapters the redemption would draw on.
    function previewRedeem(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        uint256 value = _convertToAssets(shares, Math.Rounding.Floor);
        (, , uint256 cost) = _quoteExit(value, 0);
        return value > cost ? value - cost : 0;
    }

    /// @inheritdoc IERC4626
    /// @dev Priced as if what write-offs may still recover were there (see `recoverable`), rounded down.
    function previewDeposit(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.mulDiv(assets, totalSupply() + 10 ** DECIMALS_OFFSET, _books.entryAssets() + 1);
    }

    /// @inheritdoc IERC4626
    /// @dev Priced as `previewDeposit`, rounded up.
    function previewMint(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.mulDiv(shares, _books.entryAssets() + 1, totalSupply() + 10 ** DECIMALS_OFFSET, Math.Rounding.Ceil);
    }

    /// @inheritdoc IERC4626
    function deposit(
        uint256 assets,
        address receiver
    ) public override(ERC4626, IERC4626) nonReentrant whenNotPaused returns (uint256) {
        return super.deposit(assets, receiver);
    }

    /// @inheritdoc IERC4626
    function mint(
        uint256 shares,
        address receiver
    ) public override(ERC4626, IERC4626) nonReentrant whenNotPaused returns (uint256) {
        return super.mint(shares, receiver);
    }

    /// @inheritdoc IERC4626
    /// @dev Prices the exit of `assets` alone, once: its shares are `previewWithdraw(assets)`, and the
    /// owner holding them and the withdraw order paying `assets` after the queue's pending exits are the
    /// whole check (together they are `assets ≤ maxWithdraw(owner)` for this amount). Within idle that is
    /// no adapter at all; `maxWithdraw` would price the owner's whole position across the adapters.
    function withdraw(
        uint256 assets,
        address receiver,
        address owner
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        // The exit is priced once, for `assets` alone: what the withdraw order can pay after the queue's
        // pending exits, and the cost the leaver's shares include (as `previewWithdraw`). With nothing
        // pending, the walk's quote is also what the withdrawal then draws, adapter by adapter.
        uint256 senior = _seniorDemand(owner);
        uint256 idleAssets = _books.idle;
        uint256 payable_;
        uint256 cost;
        uint256[] memory takes;
        if (senior == 0 && assets > idleAssets) {
            uint256 available;
            (available, cost, takes) = IsolationLib.quoteTakes(_withdrawOrder, _config, assets - idleAssets);
            payable_ = idleAssets + available;
        } else {
            (, payable_, cost) = _quoteExit(assets, senior);
        }
        // `_convertToShares`, with the totals read once for the shares and for what they are worth.
        uint256 total = totalAssets() + 1;
        uint256 supply = totalSupply() + 10 ** DECIMALS_OFFSET;
        uint256 shares = Math.mulDiv(assets + cost, supply, total, Math.Rounding.Ceil);
        // Shares rounded up cover `assets` and its cost, so holding them means the owner owns both.
        if (assets > payable_ || shares > balanceOf(owner)) {
            revert ERC4626ExceededMaxWithdraw(owner, assets, maxWithdraw(owner));
        }
        _withdrawDrawing(_msgSender(), receiver, owner, assets, shares, takes, Math.mulDiv(shares, total, supply));
        return shares;
    }

    /// @inheritdoc IERC4626
    function redeem(
        uint256 shares,
        address receiver,
        address owner
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        // When idle pays the owner's whole position after the queue's pending exits, any redemption of
        // shares it holds costs nothing: the general path's max is the balance and its preview the
        // value, as here, without quoting the exit twice.
        uint256 held = balanceOf(owner);
        if (shares <= held) {
            // `_convertToAssets`, with the totals read once for both amounts.
            uint256 total = totalAssets() + 1;
            uint256 supply = totalSupply() + 10 ** DECIMALS_OFFSET;
            if (Math.mulDiv(held, total, supply) + _seniorDemand(owner) <= _books.idle) {
                uint256 assets = Math.mulDiv(shares, total, supply);
                _withdraw(_msgSender(), receiver, owner, assets, shares);
                return assets;
            }
        }
        return super.redeem(shares, receiver, owner);
    }

    function _decimalsOffset() internal view override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        super._deposit(caller, receiver, assets, shares);
        _books.idle += assets.toUint112();
    }

    /// @dev `_withdrawDrawing`'s mark for a `worth` not read yet.
    uint256 private constant WORTH_UNREAD = type(uint256).max;

    /// @dev Beyond idle, draws on the adapters in withdraw order, falling through any that fails. The
    /// leaver's shares were priced with the quoted exit cost; a cost above the quote (an adapter
    /// failed, so the walk changed) is booked as the vault's loss.
    function _withdraw(
        address caller,
        address receiver,
        address owner,
        uint256 assets,
        uint256 shares
    ) internal override {
        _withdrawDrawing(caller, receiver, owner, assets, shares, new uint256[](0), WORTH_UNREAD);
    }

    /// @dev `_withdraw`, drawing beyond idle as `takes` says (the walk's quote in this transaction), or
    /// asking each adapter afresh when it is empty; `worth` is what `shares` are worth before the draw
    /// (`WORTH_UNREAD`: read it here, when the draw needs it).
    function _withdrawDrawing(
        address caller,
        address receiver,
        address owner,
        uint256 assets,
        uint256 shares,
        uint256[] memory takes,
        uint256 worth
    ) private {
        uint256 idleAssets = _books.idle;
        if (assets > idleAssets) {
            if (worth == WORTH_UNREAD) worth = _convertToAssets(shares, Math.Rounding.Floor);
            uint256 covered = worth > assets ? worth - assets : 0;
            uint256 cost = IsolationLib.pull(_withdrawOrder, _config, assets - idleAssets, takes);
            if (cost > covered) _books.recognizeLoss(cost - covered);
            idleAssets = _books.idle;
        }
        // IsolationLib.pull raised idle to at least `assets` or reverted.
        _books.idle = uint112(idleAssets - assets);
        super._withdraw(caller, receiver, owner, assets, shares);
    }

    /// @dev Paying `assets` ahead of nothing but `senior` (the queue's pending exits): whether the two
    /// go beyond idle, and if so what idle plus the withdraw walk can pay towards `assets` once `senior`
    /// is left for the queue, and the exit cost of this payment's own draw (idle first). Within idle:
    /// no loop over adapters.
    function _quoteExit(
        uint256 assets,
        uint256 senior
    ) private view returns (bool beyondIdle, uint256 payable_, uint256 cost) {
        uint256 idleAssets = _books.idle;
        if (assets + senior <= idleAssets) return (false, assets, 0);
        uint256 available;
        if (assets > idleAssets) {
            (available, cost) = IsolationLib.quote(_withdrawOrder, _config, assets - idleAssets);
        }
        if (senior != 0) {
            (available, ) = IsolationLib.quote(_withdrawOrder, _config, assets + senior - idleAssets);
            return (true, idleAssets + available > senior ? idleAssets + available - senior : 0, cost);
        }
        return (true, idleAssets + available, cost);
    }

    /// @dev The queue's pending exits, which come before `owner`'s instant one; nothing for the queue.
    function _seniorDemand(address owner) private view returns (uint256) {
        if (!_books.queuePending) return 0;
        address queue = _redeemQueue;
        return owner == queue ? 0 : IRedeemQueue(queue).pendingAssets();
    }

    /* VIEWS */

    /// @inheritdoc IReserveVault
    function idle() external view returns (uint256) {
        return _books.idle;
    }

    /// @inheritdoc IReserveVault
    function recoverable() external view returns (uint256) {
        return _books.recoverable;
    }

    /// @inheritdoc IReserveVault
    function totalAdapterValue() external view returns (uint256) {
        return _books.totalValue;
    }

    /// @inheritdoc IReserveVault
    function lockedProfit() external view returns (uint256) {
        return ProfitLockLib.lockedAt(_books.profitLock, block.timestamp);
    }

    /// @inheritdoc IReserveVault
    function profitLock() external view returns (ProfitLock memory) {
        return _books.profitLock;
    }

    /// @inheritdoc IReserveVault
    function adapters() external view returns (address[] memory) {
        return _adapters;
    }

    /// @inheritdoc IReserveVault
    function withdrawOrder() external view returns (address[] memory) {
        return _withdrawOrder;
    }

    /// @inheritdoc IReserveVault
    function adapterConfig(address adapter) external view returns (AdapterConfig memory) {
        return _config[adapter];
    }

    /// @inheritdoc IReserveVault
    function rateLimitAvailable(address adapter) external view returns (uint256) {
        return RateLimitLib.available(_config[adapter].rateLimit, block.timestamp);
    }

    /// @inheritdoc IReserveVault
    function totalWeightBps() external view returns (uint256) {
        return _totalWeightBps;
    }

    /// @inheritdoc IReserveVault
    function bufferBps() external view returns (uint256) {
        return _bufferBps;
    }

    /// @inheritdoc IReserveVault
    function driftBandBps() external view returns (uint256) {
        return _driftBandBps;
    }

    /// @inheritdoc IReserveVault
    function minMove() external view returns (uint256) {
        return _minMove;
    }

    /// @inheritdoc IReserveVault
    function maxRebalanceLossBps() external view returns (uint256) {
        return _maxRebalanceLossBps;
    }

    /// @inheritdoc IReserveVault
    function profitUnlockSeconds() external view returns (uint256) {
        return _books.profitUnlockSeconds;
    }

    /// @inheritdoc IReserveVault
    function timelockSeconds() external view returns (uint256) {
        return _timelockSeconds;
    }

    /// @inheritdoc IReserveVault
    function executableAt(bytes calldata data) external view returns (uint256) {
        uint256 submittedAt = _submittedAt[keccak256(data)];
        return submittedAt == 0 ? 0 : submittedAt + _timelockSeconds;
    }

    /// @inheritdoc IReserveVault
    function redeemQueue() external view returns (address) {
        return _redeemQueue;
    }

    /// @inheritdoc IReserveVault
    function paused() external view returns (bool) {
        return _books.paused;
    }

    /// @inheritdoc IReserveVault
    function vault(address asset_) external view returns (address) {
        if (asset_ != asset()) return address(0);
        address queue = _redeemQueue;
        return queue == address(0) ? address(this) : queue;
    }

    /// @dev Also ERC-7575's share interface (`vault(asset)`).
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == SHARE_7575_INTERFACE_ID || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc IReserveVault
    function previewRebalance() external view returns (Leg[] memory) {
        return _plan(0);
    }

    /// @inheritdoc IReserveVault
    function previewRebalanceExcept(uint256 skipMask) external view returns (Leg[] memory) {
        return _plan(skipMask);
    }

    /* ONLY KEEPER FUNCTIONS */

    /// @inheritdoc IReserveVault
    function report() external onlyRole(KEEPER_ROLE) nonReentrant {
        AdapterOpsLib.report(_books, _adapters, _config, UNIT);
    }

    /// @inheritdoc IReserveVault
    function rebalance() external returns (uint256) {
        return rebalanceExcept(0);
    }

    /// @inheritdoc IReserveVault
    function rebalanceExcept(uint256 skipMask) public onlyRole(KEEPER_ROLE) nonReentrant returns (uint256) {
        uint256 grossBefore = _books.gross();
        uint256 executed = IsolationLib.rebalance(_books, _adapters, _config, _planInputs(skipMask));
        uint256 grossAfter = _books.gross();
        uint256 minGrossAfter = grossBefore - Math.mulDiv(grossBefore, _maxRebalanceLossBps, ConstantsLib.MAX_BPS);
        if (grossAfter < minGrossAfter) revert RebalanceLossExceeded(grossBefore, grossAfter, minGrossAfter);
        emit Rebalanced(msg.sender, executed, grossBefore, grossAfter);
        return executed;
    }

    /// @inheritdoc IReserveVault
    function settle(address adapter) external onlyRole(KEEPER_ROLE) nonReentrant returns (uint256 assets) {
        assets = AdapterOpsLib.settle(_books, _listed(adapter), adapter, asset(), UNIT);
        emit Settled(adapter, msg.sender, assets);
    }

    /// @inheritdoc IReserveVault
    function isolated(
        address adapter,
        LegKind kind,
        uint256 amount,
        bool userExit
    ) external returns (uint256 valueChange, uint256 cost) {
        // Reached only from the vault's own rebalance or withdrawal, which hold the reentrancy lock.
        if (msg.sender != address(this)) revert OnlySelf(msg.sender);
        return IsolationLib.run(_books, _config[adapter], adapter, asset(), kind, amount, userExit);
    }

    /* ONLY CURATOR FUNCTIONS */

    /// @inheritdoc IReserveVault
    function addAdapter(address adapter) external onlyRole(CURATOR_ROLE) {
        ConfigLib.addAdapter(_adapters, _config, adapter, asset());
        _timelocked();
    }

    /// @inheritdoc IReserveVault
    function removeAdapter(address adapter) external onlyRole(CURATOR_ROLE) {
        ConfigLib.removeAdapter(_books, _adapters, _withdrawOrder, _config, adapter, UNIT);
    }

    /// @inheritdoc IReserveVault
    function setTargetWeight(address adapter, uint256 weightBps) external onlyRole(CURATOR_ROLE) {
        (uint256 newTotal, bool risky) = ConfigLib.setTargetWeight(
            _listed(adapter),
            adapter,
            _totalWeightBps,
            weightBps
        );
        _totalWeightBps = uint16(newTotal);
        if (risky) _timelocked();
    }

    /// @inheritdoc IReserveVault
    function setCap(address adapter, uint256 cap) external onlyRole(CURATOR_ROLE) {
        if (ConfigLib.setCap(_listed(adapter), adapter, cap)) _timelocked();
    }

    /// @inheritdoc IReserveVault
    function setRateLimit(address adapter, uint256 maxAmount, uint256 slopePerSecond) external onlyRole(CURATOR_ROLE) {
        if (ConfigLib.setRateLimit(_listed(adapter), adapter, maxAmount, slopePerSecond)) _timelocked();
    }

    /// @inheritdoc IReserveVault
    function setNavGuard(
        address adapter,
        uint256 maxNavAgeSeconds,
        uint256 maxNavDeviationBps
    ) external onlyRole(CURATOR_ROLE) {
        if (ConfigLib.setNavGuard(_listed(adapter), adapter, maxNavAgeSeconds, maxNavDeviationBps)) _timelocked();
    }

    /// @inheritdoc IReserveVault
    function setMaxRequestAge(address adapter, uint256 maxRequestAgeSeconds) external onlyRole(CURATOR_ROLE) {
        if (ConfigLib.setMaxRequestAge(_listed(adapter), adapter, maxRequestAgeSeconds)) _timelocked();
    }

    /// @inheritdoc IReserveVault
    function setMaxSlippage(address adapter, uint256 maxSlippageBps) external onlyRole(CURATOR_ROLE) {
        if (ConfigLib.setMaxSlippage(_listed(adapter), adapter, maxSlippageBps)) _timelocked();
    }

    /// @inheritdoc IReserveVault
    function setBuffer(uint256 newBufferBps) external onlyRole(CURATOR_ROLE) {
        ConfigLib.checkBps(newBufferBps);
        uint256 oldBps = _bufferBps;
        if (newBufferBps < oldBps) _timelocked();
        _bufferBps = uint16(newBufferBps);
        emit BufferSet(oldBps, newBufferBps);
    }

    /// @inheritdoc IReserveVault
    function setDriftBand(uint256 newDriftBandBps, uint256 newMinMove) external onlyRole(CURATOR_ROLE) {
        ConfigLib.checkBps(newDriftBandBps);
        (uint256 oldBps, uint256 oldMinMove) = (_driftBandBps, _minMove);
        _driftBandBps = uint16(newDriftBandBps);
        _minMove = ConfigLib.toUint128(newMinMove);
        emit DriftBandSet(oldBps, newDriftBandBps, oldMinMove, newMinMove);
    }

    /// @inheritdoc IReserveVault
    function setMaxRebalanceLoss(uint256 newMaxRebalanceLossBps) external onlyRole(CURATOR_ROLE) {
        ConfigLib.checkBps(newMaxRebalanceLossBps);
        uint256 oldBps = _maxRebalanceLossBps;
        if (newMaxRebalanceLossBps > oldBps) _timelocked();
        _maxRebalanceLossBps = uint16(newMaxRebalanceLossBps);
        emit MaxRebalanceLossSet(oldBps, newMaxRebalanceLossBps);
    }

    /// @inheritdoc IReserveVault
    function setProfitUnlockTime(uint256 newProfitUnlockSeconds) external onlyRole(CURATOR_ROLE) {
        if (newProfitUnlockSeconds > ConstantsLib.MAX_PROFIT_UNLOCK_SECONDS) {
            revert ValueTooHigh(newProfitUnlockSeconds, ConstantsLib.MAX_PROFIT_UNLOCK_SECONDS);
        }
        uint256 oldSeconds = _books.profitUnlockSeconds;
        if (newProfitUnlockSeconds < oldSeconds) _timelocked();
        _books.profitUnlockSeconds = uint32(newProfitUnlockSeconds);
        emit ProfitUnlockTimeSet(oldSeconds, newProfitUnlockSeconds);
    }

    /// @inheritdoc IReserveVault
    function setWithdrawOrder(address[] calldata order) external onlyRole(CURATOR_ROLE) {
        if (ConfigLib.setWithdrawOrder(_withdrawOrder, _config, order)) _timelocked();
    }

    /// @inheritdoc IReserveVault
    function setRedeemQueue(address queue) external onlyRole(CURATOR_ROLE) {
        if (_redeemQueue != address(0)) revert RedeemQueueAlreadySet(_redeemQueue);
        address share = IRedeemQueue(queue).share();
        if (share != address(this)) revert RedeemQueueMismatch(queue, share);
        _timelocked();
        _redeemQueue = queue;
        emit RedeemQueueSet(queue, msg.sender);
    }

    /// @inheritdoc IReserveVault
    function redeemQueueChanged() external {
        if (msg.sender != _redeemQueue) revert OnlyRedeemQueue(msg.sender);
        _books.queuePending = IRedeemQueue(msg.sender).pendingShares() != 0;
    }

    /* TIMELOCK */

    /// @inheritdoc IReserveVault
    function submit(bytes calldata data) external onlyEither(CURATOR_ROLE, DEFAULT_ADMIN_ROLE) {
        bytes4 selector = data.length >= 4 ? bytes4(data[:4]) : bytes4(0);
        if (!_isTimelockable(selector)) revert NotTimelockable(selector);
        bytes32 id = keccak256(data);
        if (_submittedAt[id] != 0) revert ChangeAlreadySubmitted(id);
        uint256 at = block.timestamp + _timelockSeconds;
        _submittedAt[id] = block.timestamp;
        emit ChangeSubmitted(id, msg.sender, data, at);
    }

    /// @inheritdoc IReserveVault
    function revoke(bytes calldata data) external onlyEither(GUARDIAN_ROLE, CURATOR_ROLE) {
        bytes32 id = keccak256(data);
        if (_submittedAt[id] == 0) revert ChangeNotSubmitted(id);
        delete _submittedAt[id];
        emit ChangeRevoked(id, msg.sender);
    }

    /* ONLY ADMIN FUNCTIONS */

    /// @inheritdoc IReserveVault
    function setTimelock(uint256 newTimelockSeconds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTimelockSeconds > ConstantsLib.MAX_TIMELOCK_SECONDS) {
            revert ValueTooHigh(newTimelockSeconds, ConstantsLib.MAX_TIMELOCK_SECONDS);
        }
        uint256 oldSeconds = _timelockSeconds;
        if (newTimelockSeconds < oldSeconds) _timelocked();
        _timelockSeconds = uint32(newTimelockSeconds);
        emit TimelockSet(oldSeconds, newTimelockSeconds);
    }

    /* ONLY GUARDIAN FUNCTIONS */

    /// @inheritdoc IReserveVault
    function pause() external onlyRole(GUARDIAN_ROLE) {
        if (_books.paused) revert EnforcedPause();
        _books.paused = true;
        emit PausedSet(msg.sender, true);
    }

    /// @inheritdoc IReserveVault
    function unpause() external onlyEither(GUARDIAN_ROLE, DEFAULT_ADMIN_ROLE) {
        if (!_books.paused) revert ExpectedPause();
        _books.paused = false;
        emit PausedSet(msg.sender, false);
    }

    /// @inheritdoc IReserveVault
    function quarantine(address adapter) external onlyRole(GUARDIAN_ROLE) {
        AdapterConfig storage config = _listed(adapter);
        if (config.quarantined) revert AdapterIsQuarantined(adapter);
        config.quarantined = true;
        emit AdapterQuarantined(adapter, QuarantineReason.Manual, config.value, config.value);
    }

    /// @inheritdoc IReserveVault
    function liftQuarantine(
        address adapter,
        uint256 maxValue
    ) external onlyEither(GUARDIAN_ROLE, CURATOR_ROLE) nonReentrant {
        AdapterConfig storage config = _listed(adapter);
        if (!config.quarantined) revert AdapterNotQuarantined(adapter);
        (uint256 observed, bool gainBeyondBound) = AdapterOpsLib.liftQuarantine(
            _books,
            config,
            adapter,
            maxValue,
            UNIT
        );
        // The guardian never moves value between holders beyond what the breaker would accept.
        if (gainBeyondBound) _timelocked();
        emit QuarantineLifted(adapter, msg.sender, observed);
    }

    /// @inheritdoc IReserveVault
    function writeOff(address adapter) external onlyEither(GUARDIAN_ROLE, CURATOR_ROLE) nonReentrant returns (uint256) {
        return AdapterOpsLib.writeOff(_books, _listed(adapter), adapter, asset(), UNIT);
    }

    /// @inheritdoc IReserveVault
    function closeRecovery(address adapter) external onlyRole(CURATOR_ROLE) {
        ConfigLib.closeRecovery(_books, _listed(adapter), adapter);
    }

    /// @inheritdoc IReserveVault
    function removeKeeper(address keeper) external onlyRole(GUARDIAN_ROLE) {
        _revokeRole(KEEPER_ROLE, keeper);
        emit KeeperRemoved(keeper, msg.sender);
    }

    /* INTERNAL: PLAN */

    /// @dev The plan from current state; see `PlanLib.plan`.
    function _plan(uint256 skipMask) private view returns (Leg[] memory) {
        return PlanLib.plan(_adapters, _config, _planInputs(skipMask));
    }

    /// @dev What a plan starts from, now.
    function _planInputs(uint256 skipMask) private view returns (PlanLib.PlanInputs memory) {
        return
            PlanLib.PlanInputs({
                grossAssets: _books.gross(),
                idle: _books.idle,
                redeemQueue: _books.queuePending ? _redeemQueue : address(0),
                bufferBps: _bufferBps,
                driftBandBps: _driftBandBps,
                minMove: _minMove,
                skipMask: skipMask
            });
    }

    /* INTERNAL: CONFIGURATION */

    function _listed(address adapter) private view returns (AdapterConfig storage config) {
        config = _config[adapter];
        if (!config.listed) revert AdapterNotListed(adapter);
    }

    /// @dev Lets a risk-increasing change through only if this exact call was submitted, the timelock
    /// in force now has passed since, and its submission window has not; consumes the submission. A
    /// longer timelock thus lengthens pending changes too. With a zero timelock changes apply at once.
    function _timelocked() private {
        if (_timelockSeconds == 0) return;
        bytes32 id = keccak256(msg.data);
        uint256 submittedAt = _submittedAt[id];
        if (submittedAt == 0) revert ChangeNotSubmitted(id);
        uint256 at = submittedAt + _timelockSeconds;
        if (block.timestamp < at) revert ChangeStillTimelocked(id, at);
        if (block.timestamp > at + ConstantsLib.SUBMISSION_WINDOW_SECONDS) {
            revert ChangeExpired(id, at + ConstantsLib.SUBMISSION_WINDOW_SECONDS);
        }
        delete _submittedAt[id];
        emit ChangeExecuted(id, msg.sender);
    }

    function _isTimelockable(bytes4 selector) private pure returns (bool) {
        return
            selector == this.addAdapter.selector ||
            selector == this.setTargetWeight.selector ||
            selector == this.setCap.selector ||
            selector == this.setRateLimit.selector ||
            selector == this.setNavGuard.selector ||
            selector == this.setMaxSlippage.selector ||
            selector == this.setMaxRequestAge.selector ||
            selector == this.liftQuarantine.selector ||
            selector == this.setBuffer.selector ||
            selector == this.setMaxRebalanceLoss.selector ||
            selector == this.setProfitUnlockTime.selector ||
            selector == this.setWithdrawOrder.selector ||
            selector == this.setRedeemQueue.selector ||
            selector == this.setTimelock.selector;
    }
}

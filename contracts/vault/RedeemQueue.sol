// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRedeemQueue} from "../interfaces/IRedeemQueue.sol";
import {IReserveVault} from "../interfaces/IReserveVault.sol";

/// @title RedeemQueue
/// @notice The ReserveVault's asynchronous exit (see `IRedeemQueue` for its promises): requested shares
/// wait in escrow here, first in first out, until the vault's instant liquidity redeems them.
/// @dev Its own contract, beside the vault, for two reasons a reader would choose: the vault stays under
/// the size limit with its deposit and instant-withdrawal paths untouched, and assets of fulfilled
/// requests are segregated by custody, not by bookkeeping.
contract RedeemQueue is IRedeemQueue, IERC165, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice The shortest `maxQueueAgeSeconds` governance may set.
    uint256 public constant MIN_QUEUE_AGE_SECONDS = 1 hours;
    /// @notice How long after its latest request a controller must wait to cancel. Queued exits come
    /// before instant ones and make the plan sell: a request that could be withdrawn at once would let
    /// anyone block others' exits and force sales for the cost of gas. For this long a request stands,
    /// and is served if liquidity allows.
    uint256 public constant CANCEL_DELAY_SECONDS = 1 days;
    /// @notice How many cancelled requests at the head `oldestRequestAt` looks past before it stops.
    uint256 public constant MAX_CANCELLED_LOOKED_PAST = 32;

    /// @dev One request's place in the queue. `cancelNonce` is the controller's when it was made: a
    /// cancellation bumps the controller's nonce, which voids all its open requests at once.
    struct Request {
        address controller;
        uint64 requestedAt;
        uint32 cancelNonce;
        uint256 shares;
    }

    /// @dev A controller's standing, in one word, as a request reads and writes it all: its shares
    /// pending, when it last requested (a cancellation waits `CANCEL_DELAY_SECONDS` from then) and its
    /// cancellation count, which voids its open requests.
    struct Account {
        uint128 pendingShares;
        uint64 lastRequestAt;
        uint32 cancelNonce;
    }

    /// @dev What a controller's served requests hold for it, in one word, as a claim reads it: their
    /// shares and the assets set aside for them.
    struct Claimable {
        uint128 shares;
        uint128 assets;
    }

    /// @dev The queue's two ends and the shares pending in it, in one word, as a request and a fulfilment
    /// read and write them together. Requests [head, tail) are open or cancelled-but-not-passed.
    struct Line {
        uint64 head;
        uint64 tail;
        uint128 pendingShares;
    }

    IERC4626 private immutable VAULT;
    IERC20 private immutable ASSET;
    /// @dev The vault's virtual shares: 10 ^ (share decimals − asset decimals), as its conversions add.
    uint256 private immutable VIRTUAL_SHARES;

    mapping(uint256 index => Request) private _requests;
    Line private _line;
    uint256 private _reservedAssets;
    uint256 private _minRequestAssets;
    uint256 private _maxQueueAgeSeconds;

    mapping(address controller => Account) private _accounts;
    mapping(address controller => Claimable) private _claimable;
    mapping(address controller => uint256) private _cancelledShares;
    mapping(address controller => mapping(address operator => bool)) private _operators;

    /// @param vault_ The ReserveVault whose shares this queue redeems.
    /// @param minRequestAssets_ Smallest request accepted, in assets.
    /// @param maxQueueAgeSeconds_ Queue age past which the plan stops entries; at least an hour.
    constructor(IERC4626 vault_, uint256 minRequestAssets_, uint256 maxQueueAgeSeconds_) {
        if (maxQueueAgeSeconds_ < MIN_QUEUE_AGE_SECONDS) {
            revert MaxQueueAgeTooShort(maxQueueAgeSeconds_, MIN_QUEUE_AGE_SECONDS);
        }
        VAULT = vault_;
        ASSET = IERC20(vault_.asset());
        VIRTUAL_SHARES = 10 ** (vault_.decimals() - IERC20Metadata(vault_.asset()).decimals());
        _minRequestAssets = minRequestAssets_;
        _maxQueueAgeSeconds = maxQueueAgeSeconds_;
    }

    modifier onlyControllerOrOperator(address controller) {
        if (msg.sender != controller && !_operators[controller][msg.sender]) {
            revert NotControllerOrOperator(msg.sender, controller);
        }
        _;
    }

    modifier onlyRequestZero(uint256 requestId) {
        if (requestId != 0) revert UnknownRequest(requestId);
        _;
    }

    /* ERC-7575 / ERC-4626 VIEWS */

    /// @inheritdoc IRedeemQueue
    function share() external view returns (address) {
        return address(VAULT);
    }

    /// @inheritdoc IRedeemQueue
    function asset() external view returns (address) {
        return address(ASSET);
    }

    /// @notice ERC-4626: the vault's total assets.
    function totalAssets() external view returns (uint256) {
        return VAULT.totalAssets();
    }

    /// @notice ERC-4626: the vault's conversion.
    function convertToShares(uint256 assets) external view returns (uint256) {
        return VAULT.convertToShares(assets);
    }

    /// @notice ERC-4626: the vault's conversion.
    function convertToAssets(uint256 shares) external view returns (uint256) {
        return VAULT.convertToAssets(shares);
    }

    /// @notice ERC-4626: deposits are the vault's, synchronous.
    function maxDeposit(address receiver) external view returns (uint256) {
        return VAULT.maxDeposit(receiver);
    }

    /// @notice ERC-4626: deposits are the vault's, synchronous.
    function previewDeposit(uint256 assets) external view returns (uint256) {
        return VAULT.previewDeposit(assets);
    }

    /// @notice ERC-4626: mints are the vault's, synchronous.
    function maxMint(address receiver) external view returns (uint256) {
        return VAULT.maxMint(receiver);
    }

    /// @notice ERC-4626: mints are the vault's, synchronous.
    function previewMint(uint256 shares) external view returns (uint256) {
        return VAULT.previewMint(shares);
    }

    /// @notice ERC-7540: what `controller` may claim with `withdraw`, in assets.
    function maxWithdraw(address controller) external view returns (uint256) {
        return _claimable[controller].assets;
    }

    /// @notice ERC-7540: what `controller` may claim with `redeem`, in shares.
    function maxRedeem(address controller) external view returns (uint256) {
        return _claimable[controller].shares;
    }

    /// @notice ERC-7540: reverts, redemptions are asynchronous.
    function previewWithdraw(uint256) external pure returns (uint256) {
        revert AsyncRedeem();
    }

    /// @notice ERC-7540: reverts, redemptions are asynchronous.
    function previewRedeem(uint256) external pure returns (uint256) {
        revert AsyncRedeem();
    }

    /* DEPOSITS: SYNCHRONOUS, FORWARDED TO THE VAULT */

    /// @notice ERC-4626: deposits `assets` of the caller into the vault for `receiver`.
    function deposit(uint256 assets, address receiver) external nonReentrant returns (uint256 shares) {
        ASSET.safeTransferFrom(msg.sender, address(this), assets);
        ASSET.forceApprove(address(VAULT), assets);
        shares = VAULT.deposit(assets, receiver);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @notice ERC-4626: mints `shares` in the vault for `receiver`, paid by the caller.
    function mint(uint256 shares, address receiver) external nonReentrant returns (uint256 assets) {
        assets = VAULT.previewMint(shares);
        ASSET.safeTransferFrom(msg.sender, address(this), assets);
        ASSET.forceApprove(address(VAULT), assets);
        uint256 paid = VAULT.mint(shares, receiver);
        // previewMint is exact for a synchronous ERC-4626 vault in the same transaction.
        assert(paid == assets);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /* REQUESTS */

    /// @inheritdoc IRedeemQueue
    function requestRedeem(uint256 shares, address controller, address owner) external nonReentrant returns (uint256) {
        if (shares == 0) revert ZeroAmount();
        if (msg.sender != owner && !_operators[owner][msg.sender]) revert NotControllerOrOperator(msg.sender, owner);
        uint256 value = VAULT.convertToAssets(shares);
        // A whole balance below the minimum may leave, but only to its owner: a request naming another
        // controller restarts that controller's wait to cancel, so it must cost at least the minimum
        // (the shares become the controller's claim).
        if (value < _minRequestAssets && (controller != owner || shares != VAULT.balanceOf(owner))) {
            revert RequestTooSmall(value, _minRequestAssets);
        }
        Account memory account = _accounts[controller];
        uint256 pending = account.pendingShares + shares;
        // A fulfilment moves pending shares to claimable ones: while their sum fits in 128 bits, serving
        // this controller can never overflow what it may claim and stop the queue for everyone.
        uint256 outstanding = pending + _claimable[controller].shares;
        if (outstanding > type(uint128).max)
            revert TooManySharesOutstanding(controller, outstanding, type(uint128).max);
        // Effects before the interaction; the vault share has no transfer hooks, the guard covers the rest.
        Line memory line = _line;
        _requests[line.tail] = Request({
            controller: controller,
            requestedAt: uint64(block.timestamp),
            cancelNonce: account.cancelNonce,
            shares: shares
        });
        _accounts[controller] = Account({
            pendingShares: uint128(pending), // pending <= outstanding, checked above
            lastRequestAt: uint64(block.timestamp),
            cancelNonce: account.cancelNonce
        });
        uint256 before = line.pendingShares;
        _line = Line({head: line.head, tail: line.tail + 1, pendingShares: (before + shares).toUint128()});
        IERC20(address(VAULT)).safeTransferFrom(owner, address(this), shares);
        if (before == 0) _tellVault();
        emit RedeemRequest(controller, owner, 0, msg.sender, shares);
        return 0;
    }

    /// @inheritdoc IRedeemQueue
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        return requestId == 0 ? _accounts[controller].pendingShares : 0;
    }

    /// @inheritdoc IRedeemQueue
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        return requestId == 0 ? _claimable[controller].shares : 0;
    }

    /* FULFILMENT: ANYONE */

    /// @inheritdoc IRedeemQueue
    /// @dev Redeems once for the whole batch, so every request served in one call gets the same price
    /// and the vault quotes one exit cost; each request's assets are its pro-rata part, rounded down
    /// (the few units left over stay here, unassigned). The head request may be served in part when
    /// liquidity runs out; the call then stops, so no later request is paid before it.
    function fulfil(
        uint256 maxRequests
    ) external nonReentrant returns (uint256 served, uint256 shares, uint256 assets) {
        Line memory line = _line;
        (uint256 head, uint256 tail) = (line.head, line.tail);
        uint256 index;
        uint256 lastTake;
        (index, served, shares, lastTake) = _select(head, tail, maxRequests, VAULT.maxRedeem(address(this)));
        uint256 exitCost;
        if (shares != 0) {
            // What the shares were worth before the redemption, less what it paid: the exit cost the
            // served requests bear between them.
            uint256 worth = VAULT.convertToAssets(shares);
            assets = VAULT.redeem(shares, address(this), address(this));
            exitCost = worth > assets ? worth - assets : 0;
        }
        _reservedAssets += _assign(head, tail, index, lastTake, shares, assets);
        emit RedeemBatchFulfilled(msg.sender, served, shares, assets, exitCost);
        // The shares served were pending; index <= tail, a uint64.
        uint256 left = line.pendingShares - shares;
        _line = Line({head: uint64(index), tail: line.tail, pendingShares: uint128(left)});
        if (shares != 0 && left == 0) _tellVault();
    }

    /// @dev Which requests from `head` this call serves with `liquidity` shares: `index` is the first not
    /// fully served, `lastTake` what that one gets (the head served in part), `shares` the total.
    function _select(
        uint256 head,
        uint256 tail,
        uint256 maxRequests,
        uint256 liquidity
    ) private view returns (uint256 index, uint256 served, uint256 shares, uint256 lastTake) {
        index = head;
        while (index < tail && served < maxRequests) {
            Request storage request = _requests[index];
            if (!_isCancelled(request)) {
                uint256 take = Math.min(request.shares, liquidity - shares);
                if (take == 0) break;
                shares += take;
                if (take < request.shares) {
                    lastTake = take;
                    break;
                }
            }
            ++index;
            ++served;
        }
    }

    /// @dev Books each request in [head, index] its part of `assets` for its shares of `shares`, rounded
    /// down; returns what was assigned. Fully served and cancelled requests before `index` are deleted.
    function _assign(
        uint256 head,
        uint256 tail,
        uint256 index,
        uint256 lastTake,
        uint256 shares,
        uint256 assets
    ) private returns (uint256 assigned) {
        for (uint256 i = head; i <= index && i < tail; ++i) {
            Request storage request = _requests[i];
            uint256 take =
                _isCancelled(request)
                    ? 0
                    : i < index
                        ? request.shares
                        : lastTake;
            if (take != 0) {
                uint256 part = Math.mulDiv(assets, take, shares);
                assigned += part;
                address controller = request.controller;
                // take <= the request's shares <= its controller's pending shares, a uint128.
                _accounts[controller].pendingShares -= uint128(take);
                // Cannot overflow: shares pending and claimable fit in 128 bits together (checked at the
                // request), and claimable assets are at most what this queue holds of the asset.
                Claimable memory held = _claimable[controller];
                _claimable[controller] = Claimable({
                    shares: (held.shares + take).toUint128(),
                    assets: (held.assets + part).toUint128()
                });
                emit RedeemFulfilled(controller, i, take, part);
            }
            if (i < index) delete _requests[i];
            else request.shares -= take;
        }
    }

    /* CLAIMS: CONTROLLER OR OPERATOR */

    /// @notice ERC-7540: claims `shares` of `controller`'s fulfilled requests; pays their pro-rata assets,
    /// rounded down, to `receiver`.
    function redeem(
        uint256 shares,
        address receiver,
        address controller
    ) external nonReentrant onlyControllerOrOperator(controller) returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        Claimable memory held = _claimable[controller];
        if (shares > held.shares) revert ExceedsClaimable(shares, held.shares);
        assets = shares == held.shares ? held.assets : Math.mulDiv(held.assets, shares, held.shares);
        _claim(controller, held, receiver, shares, assets);
    }

    /// @notice ERC-7540: claims `assets` of `controller`'s fulfilled requests, using their pro-rata
    /// shares, rounded up; pays `receiver`.
    function withdraw(
        uint256 assets,
        address receiver,
        address controller
    ) external nonReentrant onlyControllerOrOperator(controller) returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        Claimable memory held = _claimable[controller];
        if (assets > held.assets) revert ExceedsClaimable(assets, held.assets);
        shares =
            assets == held.assets ? held.shares : Math.mulDiv(held.shares, assets, held.assets, Math.Rounding.Ceil);
        _claim(controller, held, receiver, shares, assets);
    }

    /* CANCELLATION: CONTROLLER OR OPERATOR */

    /// @inheritdoc IRedeemQueue
    function cancelRedeemRequest(
        uint256 requestId,
        address controller
    ) external nonReentrant onlyRequestZero(requestId) onlyControllerOrOperator(controller) {
        Account memory account = _accounts[controller];
        uint256 shares = account.pendingShares;
        if (shares == 0) revert NothingPending(controller);
        uint256 allowedAt = account.lastRequestAt + CANCEL_DELAY_SECONDS;
        if (block.timestamp < allowedAt) revert CancelTooEarly(controller, allowedAt);
        // Voids every open request of the controller; `fulfil` passes over them.
        _accounts[controller] = Account({
            pendingShares: 0,
            lastRequestAt: account.lastRequestAt,
            cancelNonce: account.cancelNonce + 1
        });
        // The controller's pending shares are part of the queue's.
        uint256 left = _line.pendingShares - shares;
        _line.pendingShares = uint128(left);
        _cancelledShares[controller] += shares;
        if (left == 0) _tellVault();
        emit CancelRedeemRequest(controller, 0, msg.sender);
    }

    /// @inheritdoc IRedeemQueue
    function pendingCancelRedeemRequest(uint256, address) external pure returns (bool) {
        return false;
    }

    /// @inheritdoc IRedeemQueue
    function claimableCancelRedeemRequest(uint256, address controller) external view returns (uint256) {
        return _cancelledShares[controller];
    }

    /// @inheritdoc IRedeemQueue
    function claimCancelRedeemRequest(
        uint256 requestId,
        address receiver,
        address controller
    ) external nonReentrant onlyRequestZero(requestId) onlyControllerOrOperator(controller) returns (uint256 shares) {
        shares = _cancelledShares[controller];
        if (shares == 0) revert NothingPending(controller);
        _cancelledShares[controller] = 0;
        IERC20(address(VAULT)).safeTransfer(receiver, shares);
        emit CancelRedeemClaim(controller, receiver, 0, msg.sender, shares);
    }

    /* OPERATORS */

    /// @inheritdoc IRedeemQueue
    function setOperator(address operator, bool approved) external returns (bool) {
        if (operator == msg.sender) revert OperatorIsSelf(msg.sender);
        _operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    /// @inheritdoc IRedeemQueue
    function isOperator(address controller, address operator) external view returns (bool) {
        return _operators[controller][operator];
    }

    /* QUEUE STATE */

    /// @inheritdoc IRedeemQueue
    function queueLength() external view returns (uint256) {
        Line memory line = _line;
        return line.tail - line.head;
    }

    /// @inheritdoc IRedeemQueue
    /// @dev Cancelled requests not yet passed over are looked past, up to `MAX_CANCELLED_LOOKED_PAST` of
    /// them: beyond that, the time of the last one looked at stands, an overstatement the next `fulfil`
    /// removes, never an understatement.
    function oldestRequestAt() public view returns (uint256) {
        Line memory line = _line;
        uint256 end = Math.min(line.tail, uint256(line.head) + MAX_CANCELLED_LOOKED_PAST);
        uint256 at;
        for (uint256 i = line.head; i < end; ++i) {
            Request storage request = _requests[i];
            at = request.requestedAt;
            if (!_isCancelled(request)) return at;
        }
        return line.pendingShares == 0 ? 0 : at;
    }

    /// @inheritdoc IRedeemQueue
    function overdue() external view returns (bool) {
        uint256 oldest = oldestRequestAt();
        return oldest != 0 && block.timestamp > oldest + _maxQueueAgeSeconds;
    }

    /// @inheritdoc IRedeemQueue
    function pendingShares() external view returns (uint256) {
        return _line.pendingShares;
    }

    /// @inheritdoc IRedeemQueue
    function pendingAssets() external view returns (uint256) {
        uint256 shares = _line.pendingShares;
        if (shares == 0) return 0;
        // At the exit price (what the shares redeem for), rounded up as the vault's own conversion would:
        // an entry's price would overstate the demand while a write-off may still be recovered.
        return Math.mulDiv(shares, VAULT.totalAssets() + 1, VAULT.totalSupply() + VIRTUAL_SHARES, Math.Rounding.Ceil);
    }

    /// @inheritdoc IRedeemQueue
    function reservedAssets() external view returns (uint256) {
        return _reservedAssets;
    }

    /// @inheritdoc IRedeemQueue
    function minRequestAssets() external view returns (uint256) {
        return _minRequestAssets;
    }

    /// @inheritdoc IRedeemQueue
    function maxQueueAgeSeconds() external view returns (uint256) {
        return _maxQueueAgeSeconds;
    }

    /* GOVERNANCE: THE VAULT'S DEFAULT ADMIN */

    /// @inheritdoc IRedeemQueue
    function setMinRequestAssets(uint256 newMinRequestAssets) external {
        _onlyVaultAdmin();
        emit MinRequestAssetsSet(_minRequestAssets, newMinRequestAssets);
        _minRequestAssets = newMinRequestAssets;
    }

    /// @inheritdoc IRedeemQueue
    function setMaxQueueAge(uint256 newMaxQueueAgeSeconds) external {
        _onlyVaultAdmin();
        if (newMaxQueueAgeSeconds < MIN_QUEUE_AGE_SECONDS) {
            revert MaxQueueAgeTooShort(newMaxQueueAgeSeconds, MIN_QUEUE_AGE_SECONDS);
        }
        emit MaxQueueAgeSet(_maxQueueAgeSeconds, newMaxQueueAgeSeconds);
        _maxQueueAgeSeconds = newMaxQueueAgeSeconds;
    }

    /* ERC-165 */

    /// @inheritdoc IERC165
    /// @dev ERC-165, ERC-7540's operator and asynchronous-redeem interfaces, ERC-7575, and ERC-7887's
    /// redeem-cancellation interface.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == 0xe3bc4e65 || // ERC-7540 operator: setOperator ^ isOperator
            interfaceId == 0x620ee8e4 || // ERC-7540 async redeem: requestRedeem ^ pendingRedeemRequest ^ claimableRedeemRequest
            interfaceId == 0x2f0a18c5 || // ERC-7575 vault (the EIP's constant)
            interfaceId == 0xe76cffc7; // ERC-7887 redeem cancel: the four cancel functions
    }

    /* INTERNAL */

    function _isCancelled(Request storage request) private view returns (bool) {
        return request.cancelNonce != _accounts[request.controller].cancelNonce;
    }

    /// @dev Pays a claim of `shares` for `assets` out of `held`, which the caller read and bounded them by.
    function _claim(
        address controller,
        Claimable memory held,
        address receiver,
        uint256 shares,
        uint256 assets
    ) private {
        // shares <= held.shares and assets <= held.assets, both uint128.
        _claimable[controller] = Claimable({
            shares: held.shares - uint128(shares),
            assets: held.assets - uint128(assets)
        });
        _reservedAssets -= assets;
        ASSET.safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    /// @dev The vault keeps whether exits are pending beside its idle, so instant withdrawals ask this
    /// queue only when they must; told whenever that flips.
    function _tellVault() private {
        IReserveVault(address(VAULT)).redeemQueueChanged();
    }

    function _onlyVaultAdmin() private view {
        if (!IAccessControl(address(VAULT)).hasRole(bytes32(0), msg.sender)) revert NotVaultAdmin(msg.sender);
    }
}

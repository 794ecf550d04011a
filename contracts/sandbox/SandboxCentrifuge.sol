// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {InvestmentState} from "../interfaces/external/IERC7540Like.sol";
import {SandboxInit, SandboxToken} from "./SandboxToken.sol";

// The emulated Centrifuge V3 spoke on Ethereum, as it runs JTRSY and JAAA since August 2025: vaults of
// the v3.0 code (AsyncVault) over the v3.1 managers (AsyncRequestManager, Spoke, BalanceSheet, pool
// escrow, FullRestrictions hook). Signatures, custom errors, events and rounding follow the public
// sources; docs/FIDELITY.md says what is simplified (the hub is not emulated: its answers arrive as the
// Root-authorised callbacks a fork test sends).

/// @dev The address a redemption request sends shares to, as the transfer hook sees it.
address constant ESCROW_HOOK_ID = address(uint160(0x1CF60));

/// @notice The hook data of the sender and the receiver of a share transfer: validity date in the top 64
/// bits, the freeze flag in the lowest bit.
struct HookData {
    bytes16 from;
    bytes16 to;
}

/// @notice A price with its date and the age after which it is no longer valid.
struct Price {
    uint128 price;
    uint64 computedAt;
    uint64 maxAge;
}

/// @notice Ward-based authorisation with Centrifuge V3's custom error.
abstract contract SandboxWards {
    mapping(address => uint256) public wards;

    error NotAuthorized();

    event Rely(address indexed user);
    event Deny(address indexed user);

    modifier auth() {
        if (wards[msg.sender] != 1) revert NotAuthorized();
        _;
    }

    function rely(address user) external auth {
        wards[user] = 1;
        emit Rely(user);
    }

    function deny(address user) external auth {
        wards[user] = 0;
        emit Deny(user);
    }
}

/// @title SandboxCentrifugeRoot
/// @notice The protocol's root: a ward of every contract, and the registry of endorsed addresses (which
/// count as members of every share token).
contract SandboxCentrifugeRoot is SandboxInit, SandboxWards {
    mapping(address => bool) public endorsed;

    event Endorse(address indexed user);

    function initialize(address admin) external initializer {
        wards[admin] = 1;
    }

    function endorse(address user) external auth {
        endorsed[user] = true;
        emit Endorse(user);
    }
}

/// @title SandboxPoolEscrow
/// @notice A pool's escrow: holds requested assets, issued shares not yet claimed and redemption funds.
contract SandboxPoolEscrow is SandboxInit, SandboxWards {
    using SafeERC20 for IERC20;

    uint64 public poolId;

    function initialize(address admin, uint64 poolId_) external initializer {
        (wards[admin], poolId) = (1, poolId_);
    }

    event Deposit(address indexed asset, uint256 tokenId, uint64 indexed poolId, bytes16 indexed scId, uint128 value);

    /// @notice Books `value` of `asset` the pool put in the escrow (its holdings are not tracked here).
    function deposit(bytes16 scId, address asset, uint256 tokenId, uint128 value) external auth {
        emit Deposit(asset, tokenId, poolId, scId, value);
    }

    function authTransferTo(address asset, uint256, address receiver, uint256 amount) external auth {
        IERC20(asset).safeTransfer(receiver, amount);
    }
}

/// @title SandboxBalanceSheet
/// @notice The slice of the balance sheet the vaults reach: each pool's escrow.
contract SandboxBalanceSheet is SandboxInit, SandboxWards {
    mapping(uint64 poolId => address) public escrow;

    function initialize(address admin) external initializer {
        wards[admin] = 1;
    }

    function setEscrow(uint64 poolId, address escrow_) external auth {
        escrow[poolId] = escrow_;
    }
}

/// @title SandboxShareToken
/// @notice A Centrifuge share token (JTRSY, JAAA): minted and burnt by wards, every transfer checked by
/// its hook with both parties' hook data, ERC-7575 `vault(asset)` per asset.
contract SandboxShareToken is SandboxToken, SandboxWards {
    address public hook;
    mapping(address user => bytes16) public hookDataOf;
    mapping(address asset => address) public vault;
    bool private _authTransfer;

    error RestrictionsFailed();
    error NotAuthorizedOrHook();

    event SetHookData(address indexed user, bytes16 hookData);
    event VaultUpdate(address indexed asset, address vault);
    event File(bytes32 indexed what, address data);

    function initialize(
        string calldata name_,
        string calldata symbol_,
        uint8 decimals_,
        address admin
    ) external initializer {
        _initToken(name_, symbol_, decimals_);
        wards[admin] = 1;
    }

    function file(bytes32 what, address data) external auth {
        if (what == "hook") hook = data;
        else revert NotAuthorized();
        emit File(what, data);
    }

    function setHookData(address user, bytes16 data) external {
        if (wards[msg.sender] != 1 && msg.sender != hook) revert NotAuthorizedOrHook();
        hookDataOf[user] = data;
        emit SetHookData(user, data);
    }

    function updateVault(address asset, address vault_) external auth {
        vault[asset] = vault_;
        emit VaultUpdate(asset, vault_);
    }

    function mint(address to, uint256 value) external auth {
        _mint(to, value);
    }

    function burn(address from, uint256 value) external auth {
        _burn(from, value);
    }

    /// @notice Moves shares for the protocol (a redemption request), spending `from`'s allowance to
    /// `sender` when they differ; the hook is told but does not restrict.
    function authTransferFrom(address sender, address from, address to, uint256 value) external auth returns (bool) {
        if (sender != from) _spendAllowance(from, sender, value);
        _authTransfer = true;
        _transfer(from, to, value);
        _authTransfer = false;
        return true;
    }

    function checkTransferRestriction(address from, address to, uint256 value) public view returns (bool) {
        address hook_ = hook;
        return
            hook_ == address(0) ||
            SandboxFullRestrictions(hook_).checkERC20Transfer(
                from,
                to,
                value,
                HookData(hookDataOf[from], hookDataOf[to])
            );
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (_authTransfer || hook == address(0)) return;
        if (
            SandboxFullRestrictions(hook).onERC20Transfer(
                from,
                to,
                value,
                HookData(hookDataOf[from], hookDataOf[to])
            ) != SandboxFullRestrictions.onERC20Transfer.selector
        ) revert RestrictionsFailed();
    }
}

/// @title SandboxFullRestrictions
/// @notice The FullRestrictions transfer hook: a receiver must be a current member (validity date in the
/// hook data, or endorsed by the root), a redemption request needs the sender to be one, frozen accounts
/// neither send nor receive; the pool escrow is exempt. Membership and freezing are kept in the share
/// token's hook data, so an update keeps the freeze flag.
contract SandboxFullRestrictions is SandboxInit, SandboxWards {
    uint8 internal constant FREEZE_BIT = 1;

    SandboxCentrifugeRoot public root;
    SandboxBalanceSheet public balanceSheet;
    mapping(address token => mapping(address => bool)) public manager;

    error TransferBlocked();
    error InvalidValidUntil();
    error EndorsedUserCannotBeUpdated();
    error EndorsedUserCannotBeFrozen();
    error CannotFreezeZeroAddress();

    event UpdateMember(address indexed token, address indexed user, uint64 validUntil);
    event Freeze(address indexed token, address indexed user);
    event Unfreeze(address indexed token, address indexed user);

    function initialize(
        address admin,
        SandboxCentrifugeRoot root_,
        SandboxBalanceSheet balanceSheet_
    ) external initializer {
        (wards[admin], root, balanceSheet) = (1, root_, balanceSheet_);
    }

    modifier authOrManager(address token) {
        if (wards[msg.sender] != 1 && !manager[token][msg.sender]) revert NotAuthorized();
        _;
    }

    function onERC20Transfer(
        address from,
        address to,
        uint256 value,
        HookData calldata data
    ) external view returns (bytes4) {
        if (!checkERC20Transfer(from, to, value, data)) revert TransferBlocked();
        return this.onERC20Transfer.selector;
    }

    function onERC20AuthTransfer(address, address, address, uint256, HookData calldata) external pure returns (bytes4) {
        return this.onERC20AuthTransfer.selector;
    }

    /// @notice FullRestrictions' rules, asked in its order and each as lazily (whether an address is the
    /// pool escrow costs calls, and is asked only where a rule needs it).
    function checkERC20Transfer(address from, address to, uint256, HookData memory data) public view returns (bool) {
        if ((_frozen(data.from) && !isPoolEscrow(from)) || (_frozen(data.to) && !isPoolEscrow(to))) return false;
        if (from == address(0)) {
            // A deposit request or an issuance needs a member; shares issued into the escrow pass.
            return isPoolEscrow(to) || _targetMember(to, data.to);
        }
        if (isPoolEscrow(from) && to != address(0)) return _targetMember(to, data.to); // a deposit claim
        if (to == ESCROW_HOOK_ID) return uint128(data.from) >> 64 >= block.timestamp || isPoolEscrow(from);
        if (to == address(0)) return true; // a fulfilled redemption, a claim, a revocation
        return _targetMember(to, data.to); // a transfer
    }

    /// @notice Whether a transfer to `to` is a redemption request: `to` is the escrow's hook id.
    function isRedeemRequest(address, address to) external pure returns (bool) {
        return to == ESCROW_HOOK_ID;
    }

    function isPoolEscrow(address addr) public view returns (bool) {
        if (addr.code.length == 0) return false;
        (bool ok, bytes memory data) = addr.staticcall(abi.encodeWithSignature("poolId()"));
        if (!ok || data.length != 32) return false;
        return balanceSheet.escrow(abi.decode(data, (uint64))) == addr;
    }

    function updateMember(address token, address user, uint64 validUntil) external authOrManager(token) {
        if (block.timestamp > validUntil) revert InvalidValidUntil();
        if (root.endorsed(user) || isPoolEscrow(user)) revert EndorsedUserCannotBeUpdated();
        uint128 data = (uint128(validUntil) << 64) | (isFrozen(token, user) ? FREEZE_BIT : 0);
        SandboxShareToken(token).setHookData(user, bytes16(data));
        emit UpdateMember(token, user, validUntil);
    }

    function freeze(address token, address user) external authOrManager(token) {
        if (user == address(0)) revert CannotFreezeZeroAddress();
        if (root.endorsed(user) || isPoolEscrow(user)) revert EndorsedUserCannotBeFrozen();
        uint128 data = uint128(SandboxShareToken(token).hookDataOf(user));
        SandboxShareToken(token).setHookData(user, bytes16(data | FREEZE_BIT));
        emit Freeze(token, user);
    }

    function unfreeze(address token, address user) external authOrManager(token) {
        uint128 data = uint128(SandboxShareToken(token).hookDataOf(user));
        SandboxShareToken(token).setHookData(user, bytes16(data & ~uint128(FREEZE_BIT)));
        emit Unfreeze(token, user);
    }

    function isFrozen(address token, address user) public view returns (bool) {
        return _frozen(SandboxShareToken(token).hookDataOf(user));
    }

    function isMember(address token, address user) external view returns (bool isValid, uint64 validUntil) {
        validUntil = uint64(uint128(SandboxShareToken(token).hookDataOf(user)) >> 64);
        isValid = validUntil >= block.timestamp;
    }

    function _frozen(bytes16 data) private pure returns (bool) {
        return uint128(data) & FREEZE_BIT != 0;
    }

    function _targetMember(address to, bytes16 data) private view returns (bool) {
        return uint128(data) >> 64 >= block.timestamp || root.endorsed(to);
    }
}

/// @title SandboxSpoke
/// @notice The spoke's registries and prices: assets by id, share tokens by pool and class, the pool's
/// request manager, and prices in the pool's unit per share and per asset, each with its computation date
/// and maximum age (none until set). Prices are read without a validity check by conversions and with one
/// where money moves.
contract SandboxSpoke is SandboxInit, SandboxWards {
    struct AssetKey {
        address asset;
        uint256 tokenId;
    }

    mapping(uint128 assetId => AssetKey) internal _idToAsset;
    mapping(address asset => mapping(uint256 tokenId => uint128)) internal _assetToId;
    mapping(uint64 poolId => mapping(bytes16 scId => address)) internal _shareToken;
    mapping(uint64 poolId => mapping(bytes16 scId => Price)) internal _sharePrice;
    mapping(uint64 poolId => mapping(bytes16 scId => mapping(uint128 assetId => Price))) internal _assetPrice;
    mapping(uint64 poolId => address) public requestManager;

    error UnknownAsset();
    error ShareTokenDoesNotExist();
    error CannotSetOlderPrice();
    error InvalidPrice();
    error InvalidRequestManager();

    event UpdateSharePrice(uint64 indexed poolId, bytes16 indexed scId, uint256 price, uint64 computedAt);
    event UpdateAssetPrice(
        uint64 indexed poolId,
        bytes16 indexed scId,
        address indexed asset,
        uint256 tokenId,
        uint256 price,
        uint64 computedAt
    );
    event UpdateMaxSharePriceAge(uint64 indexed poolId, bytes16 indexed scId, uint64 maxPriceAge);
    event UpdateMaxAssetPriceAge(
        uint64 indexed poolId,
        bytes16 indexed scId,
        address indexed asset,
        uint256 tokenId,
        uint64 maxPriceAge
    );

    function initialize(address admin) external initializer {
        wards[admin] = 1;
    }

    /* REGISTRATION (the hub's messages on the real spoke) */

    function registerAsset(address asset, uint256 tokenId, uint128 assetId) external auth {
        (_idToAsset[assetId], _assetToId[asset][tokenId]) = (AssetKey(asset, tokenId), assetId);
    }

    function addShareClass(uint64 poolId, bytes16 scId, address token) external auth {
        _shareToken[poolId][scId] = token;
    }

    function setRequestManager(uint64 poolId, address manager) external auth {
        requestManager[poolId] = manager;
    }

    /* PRICES */

    function updatePricePoolPerShare(uint64 poolId, bytes16 scId, uint128 price, uint64 computedAt) external auth {
        _update(_sharePrice[poolId][scId], price, computedAt);
        emit UpdateSharePrice(poolId, scId, price, computedAt);
    }

    function updatePricePoolPerAsset(
        uint64 poolId,
        bytes16 scId,
        uint128 assetId,
        uint128 price,
        uint64 computedAt
    ) external auth {
        (address asset, uint256 tokenId) = idToAsset(assetId);
        _update(_assetPrice[poolId][scId][assetId], price, computedAt);
        emit UpdateAssetPrice(poolId, scId, asset, tokenId, price, computedAt);
    }

    function setMaxSharePriceAge(uint64 poolId, bytes16 scId, uint64 maxPriceAge) external auth {
        _sharePrice[poolId][scId].maxAge = maxPriceAge;
        emit UpdateMaxSharePriceAge(poolId, scId, maxPriceAge);
    }

    function setMaxAssetPriceAge(uint64 poolId, bytes16 scId, uint128 assetId, uint64 maxPriceAge) external auth {
        (address asset, uint256 tokenId) = idToAsset(assetId);
        _assetPrice[poolId][scId][assetId].maxAge = maxPriceAge;
        emit UpdateMaxAssetPriceAge(poolId, scId, asset, tokenId, maxPriceAge);
    }

    function pricesPoolPer(
        uint64 poolId,
        bytes16 scId,
        uint128 assetId,
        bool checkValidity
    ) public view returns (uint128 perAssetPrice, uint128 perSharePrice) {
        Price memory perAsset = _assetPrice[poolId][scId][assetId];
        Price memory perShare = _sharePrice[poolId][scId];
        if (checkValidity && !(_valid(perAsset) && _valid(perShare))) revert InvalidPrice();
        return (perAsset.price, perShare.price);
    }

    function pricePoolPerAsset(
        uint64 poolId,
        bytes16 scId,
        uint128 assetId,
        bool checkValidity
    ) external view returns (uint128) {
        Price memory perAsset = _assetPrice[poolId][scId][assetId];
        if (checkValidity && !_valid(perAsset)) revert InvalidPrice();
        return perAsset.price;
    }

    function pricePoolPerShare(uint64 poolId, bytes16 scId, bool checkValidity) external view returns (uint128) {
        Price memory perShare = _sharePrice[poolId][scId];
        if (checkValidity && !_valid(perShare)) revert InvalidPrice();
        return perShare.price;
    }

    function markersPricePoolPerShare(
        uint64 poolId,
        bytes16 scId
    ) external view returns (uint64 computedAt, uint64 maxAge, uint64 validUntil) {
        return _markers(_sharePrice[poolId][scId]);
    }

    function markersPricePoolPerAsset(
        uint64 poolId,
        bytes16 scId,
        uint128 assetId
    ) external view returns (uint64 computedAt, uint64 maxAge, uint64 validUntil) {
        return _markers(_assetPrice[poolId][scId][assetId]);
    }

    /* REGISTRIES */

    function idToAsset(uint128 assetId) public view returns (address asset, uint256 tokenId) {
        AssetKey memory key = _idToAsset[assetId];
        if (key.asset == address(0)) revert UnknownAsset();
        return (key.asset, key.tokenId);
    }

    function assetToId(address asset, uint256 tokenId) external view returns (uint128 assetId) {
        assetId = _assetToId[asset][tokenId];
        if (assetId == 0) revert UnknownAsset();
    }

    function shareToken(uint64 poolId, bytes16 scId) public view returns (address token) {
        token = _shareToken[poolId][scId];
        if (token == address(0)) revert ShareTokenDoesNotExist();
    }

    /// @notice The hub's answer to a request arrives here and goes on to the pool's request manager.
    function requestCallback(uint64 poolId, bytes16 scId, uint128 assetId, bytes calldata payload) external auth {
        address manager = requestManager[poolId];
        if (manager == address(0)) revert InvalidRequestManager();
        SandboxAsyncRequestManager(manager).callback(poolId, scId, assetId, payload);
    }

    /* INTERNAL */

    function _update(Price storage current, uint128 price, uint64 computedAt) private {
        if (computedAt < current.computedAt) revert CannotSetOlderPrice();
        // A price never set before does not expire until a maximum age is set.
        if (current.computedAt == 0 && current.maxAge == 0) current.maxAge = type(uint64).max;
        (current.price, current.computedAt) = (price, computedAt);
    }

    function _validUntil(Price memory p) private pure returns (uint64) {
        unchecked {
            uint64 until = p.computedAt + p.maxAge;
            return until < p.computedAt ? type(uint64).max : until;
        }
    }

    function _valid(Price memory p) private view returns (bool) {
        return p.computedAt != 0 && block.timestamp <= _validUntil(p);
    }

    function _markers(Price memory p) private pure returns (uint64, uint64, uint64) {
        return (p.computedAt, p.maxAge, _validUntil(p));
    }
}

/// @title SandboxVaultRegistry
/// @notice Which vault serves a pool's share class in an asset, and each vault's asset.
contract SandboxVaultRegistry is SandboxInit, SandboxWards {
    struct VaultDetails {
        uint128 assetId;
        address asset;
        uint256 tokenId;
        bool isLinked;
    }

    mapping(address vault => VaultDetails) internal _details;
    mapping(uint64 poolId => mapping(bytes16 scId => mapping(uint128 assetId => mapping(address manager => address))))
        public vault;

    error UnknownVault();

    function initialize(address admin) external initializer {
        wards[admin] = 1;
    }

    function linkVault(
        uint64 poolId,
        bytes16 scId,
        uint128 assetId,
        address asset,
        address vault_,
        address manager
    ) external auth {
        _details[vault_] = VaultDetails(assetId, asset, 0, true);
        vault[poolId][scId][assetId][manager] = vault_;
    }

    function vaultDetails(address vault_) external view returns (VaultDetails memory details) {
        details = _details[vault_];
        if (details.asset == address(0)) revert UnknownVault();
    }

    function isLinked(address vault_) external view returns (bool) {
        return _details[vault_].isLinked;
    }
}

/// @title SandboxAsyncRequestManager
/// @notice The v3.1 AsyncRequestManager: every controller's requests, fills and cancellations per vault
/// (`investments`), the claims, and the hub's answers through `callback`. The hub itself is not emulated
/// but for one behaviour a caller can see: a cancellation is answered at once while the request has not
/// been approved since it was last changed, and otherwise waits for the hub's next answer.
contract SandboxAsyncRequestManager is SandboxInit, SandboxWards {
    uint8 internal constant APPROVED_DEPOSITS = 1;
    uint8 internal constant ISSUED_SHARES = 2;
    uint8 internal constant REVOKED_SHARES = 3;
    uint8 internal constant FULFILLED_DEPOSIT_REQUEST = 4;
    uint8 internal constant FULFILLED_REDEEM_REQUEST = 5;
    uint256 internal constant PRICE_UNIT = 1e18;

    SandboxSpoke public spoke;
    SandboxBalanceSheet public balanceSheet;
    SandboxVaultRegistry public vaultRegistry;
    mapping(address vault => mapping(address investor => InvestmentState)) public investments;

    /// @dev Hub emulation: approvals per vault and side, and the count each controller's request last saw.
    mapping(address vault => uint64) internal _depositApprovals;
    mapping(address vault => uint64) internal _redeemApprovals;
    mapping(address vault => mapping(address investor => uint64)) internal _depositSeen;
    mapping(address vault => mapping(address investor => uint64)) internal _redeemSeen;

    error VaultNotLinked();
    error ZeroAmountNotAllowed();
    error TransferNotAllowed();
    error CancellationIsPending();
    error NoPendingRequest();
    error ExceedsMaxDeposit();
    error ExceedsDepositLimits();
    error ExceedsMaxRedeem();
    error ExceedsRedeemLimits();
    error UnknownRequestCallbackType();
    error NotAVault();

    function initialize(
        address admin,
        SandboxSpoke spoke_,
        SandboxBalanceSheet balanceSheet_,
        SandboxVaultRegistry vaultRegistry_
    ) external initializer {
        (wards[admin], spoke, balanceSheet, vaultRegistry) = (1, spoke_, balanceSheet_, vaultRegistry_);
    }

    /* REQUESTS (called by the vaults, which are wards) */

    function requestDeposit(
        address vault_,
        uint256 assets,
        address controller,
        address,
        address
    ) external auth returns (bool) {
        _checkIsLinked(vault_);
        uint128 assets_ = SafeCast.toUint128(assets);
        if (assets_ == 0) revert ZeroAmountNotAllowed();
        if (!_canTransfer(vault_, address(0), controller, convertToShares(vault_, assets_)))
            revert TransferNotAllowed();
        InvestmentState storage state = investments[vault_][controller];
        if (state.pendingCancelDepositRequest) revert CancellationIsPending();
        // A new order starts unapproved; one added to an order already pending keeps its approvals (the
        // hub would answer those first).
        if (state.pendingDepositRequest == 0) _depositSeen[vault_][controller] = _depositApprovals[vault_];
        state.pendingDepositRequest += assets_;
        return true;
    }

    function requestRedeem(
        address vault_,
        uint256 shares,
        address controller,
        address owner,
        address sender,
        bool transfer
    ) external auth returns (bool) {
        _checkIsLinked(vault_);
        uint128 shares_ = SafeCast.toUint128(shares);
        if (shares_ == 0) revert ZeroAmountNotAllowed();
        if (
            !(_canTransfer(vault_, owner, ESCROW_HOOK_ID, shares) &&
                _canTransfer(vault_, controller, ESCROW_HOOK_ID, shares))
        ) {
            revert TransferNotAllowed();
        }
        InvestmentState storage state = investments[vault_][controller];
        if (state.pendingCancelRedeemRequest) revert CancellationIsPending();
        if (state.pendingRedeemRequest == 0) _redeemSeen[vault_][controller] = _redeemApprovals[vault_];
        state.pendingRedeemRequest += shares_;
        if (transfer) {
            SandboxShareToken(SandboxAsyncVault(vault_).share()).authTransferFrom(
                sender,
                owner,
                _escrow(vault_),
                shares_
            );
        }
        return true;
    }

    function cancelDepositRequest(address vault_, address controller, address) external auth {
        _checkIsLinked(vault_);
        InvestmentState storage state = investments[vault_][controller];
        if (state.pendingDepositRequest == 0) revert NoPendingRequest();
        if (state.pendingCancelDepositRequest) revert CancellationIsPending();
        state.pendingCancelDepositRequest = true;
        // Not approved since it was last changed: the hub cancels it whole at once.
        if (_depositSeen[vault_][controller] == _depositApprovals[vault_]) {
            _fulfillDeposit(vault_, controller, 0, 0, state.pendingDepositRequest);
        }
    }

    function cancelRedeemRequest(address vault_, address controller, address) external auth {
        _checkIsLinked(vault_);
        uint256 pending = investments[vault_][controller].pendingRedeemRequest;
        if (pending == 0) revert NoPendingRequest();
        if (!_canTransfer(vault_, address(0), controller, pending)) revert TransferNotAllowed();
        InvestmentState storage state = investments[vault_][controller];
        if (state.pendingCancelRedeemRequest) revert CancellationIsPending();
        state.pendingCancelRedeemRequest = true;
        if (_redeemSeen[vault_][controller] == _redeemApprovals[vault_]) {
            _fulfillRedeem(vault_, controller, 0, 0, state.pendingRedeemRequest);
        }
    }

    /* THE HUB'S ANSWERS */

    /// @notice A message from the hub, through the spoke (or from the root): approved deposits, shares
    /// issued for them, shares revoked for redemptions, and each controller's fulfilled request.
    function callback(uint64 poolId, bytes16 scId, uint128 assetId, bytes calldata payload) external auth {
        uint8 kind = uint8(payload[0]);
        address vault_ = vaultRegistry.vault(poolId, scId, assetId, address(this));
        if (kind == APPROVED_DEPOSITS) {
            _depositApprovals[vault_]++;
        } else if (kind == ISSUED_SHARES) {
            SandboxShareToken(spoke.shareToken(poolId, scId)).mint(balanceSheet.escrow(poolId), _word(payload, 1));
        } else if (kind == REVOKED_SHARES) {
            _redeemApprovals[vault_]++;
            SandboxShareToken(spoke.shareToken(poolId, scId)).burn(balanceSheet.escrow(poolId), _word(payload, 17));
        } else if (kind == FULFILLED_DEPOSIT_REQUEST || kind == FULFILLED_REDEEM_REQUEST) {
            address investor = address(uint160(uint256(bytes32(payload[1:33]))));
            (uint128 assets, uint128 shares, uint128 cancelled) = (
                _word(payload, 33),
                _word(payload, 49),
                _word(payload, 65)
            );
            if (kind == FULFILLED_DEPOSIT_REQUEST) _fulfillDeposit(vault_, investor, assets, shares, cancelled);
            else _fulfillRedeem(vault_, investor, assets, shares, cancelled);
        } else {
            revert UnknownRequestCallbackType();
        }
    }

    /* CLAIMS */

    function deposit(
        address vault_,
        uint256 assets,
        address receiver,
        address controller
    ) external auth returns (uint256) {
        _checkIsLinked(vault_);
        if (assets > _maxDeposit(vault_, controller)) revert ExceedsMaxDeposit();
        InvestmentState storage state = investments[vault_][controller];
        uint128 assets_ = SafeCast.toUint128(assets);
        uint128 sharesUp = _assetToShares(vault_, assets_, state.depositPrice, Math.Rounding.Ceil);
        uint128 sharesDown = _assetToShares(vault_, assets_, state.depositPrice, Math.Rounding.Floor);
        _processDeposit(vault_, state, sharesUp, sharesDown, receiver);
        return sharesDown;
    }

    function mint(
        address vault_,
        uint256 shares,
        address receiver,
        address controller
    ) external auth returns (uint256 assets) {
        _checkIsLinked(vault_);
        InvestmentState storage state = investments[vault_][controller];
        uint128 shares_ = SafeCast.toUint128(shares);
        assets = _shareToAssets(vault_, shares_, state.depositPrice, Math.Rounding.Ceil);
        _processDeposit(vault_, state, shares_, shares_, receiver);
    }

    function redeem(
        address vault_,
        uint256 shares,
        address receiver,
        address controller
    ) external auth returns (uint256) {
        _checkIsLinked(vault_);
        if (shares > maxRedeem(vault_, controller)) revert ExceedsMaxRedeem();
        InvestmentState storage state = investments[vault_][controller];
        uint128 shares_ = SafeCast.toUint128(shares);
        uint128 assetsUp = _shareToAssets(vault_, shares_, state.redeemPrice, Math.Rounding.Ceil);
        uint128 assetsDown = _shareToAssets(vault_, shares_, state.redeemPrice, Math.Rounding.Floor);
        _processRedeem(vault_, state, assetsUp, assetsDown, receiver, controller);
        return assetsDown;
    }

    function withdraw(
        address vault_,
        uint256 assets,
        address receiver,
        address controller
    ) external auth returns (uint256) {
        _checkIsLinked(vault_);
        InvestmentState storage state = investments[vault_][controller];
        uint128 assets_ = SafeCast.toUint128(assets);
        _processRedeem(vault_, state, assets_, assets_, receiver, controller);
        return _assetToShares(vault_, assets_, state.redeemPrice, Math.Rounding.Ceil);
    }

    function claimCancelDepositRequest(
        address vault_,
        address receiver,
        address controller
    ) external auth returns (uint256 assets) {
        _checkIsLinked(vault_);
        InvestmentState storage state = investments[vault_][controller];
        assets = state.claimableCancelDepositRequest;
        state.claimableCancelDepositRequest = 0;
        uint256 asShares = convertToShares(vault_, assets);
        if (controller != receiver && !_canTransfer(vault_, controller, receiver, asShares))
            revert TransferNotAllowed();
        if (!_canTransfer(vault_, receiver, address(0), asShares)) revert TransferNotAllowed();
        if (assets != 0) _pay(vault_, SandboxAsyncVault(vault_).asset(), receiver, assets);
    }

    function claimCancelRedeemRequest(
        address vault_,
        address receiver,
        address controller
    ) external auth returns (uint256 shares) {
        _checkIsLinked(vault_);
        InvestmentState storage state = investments[vault_][controller];
        shares = state.claimableCancelRedeemRequest;
        state.claimableCancelRedeemRequest = 0;
        if (shares != 0) _pay(vault_, SandboxAsyncVault(vault_).share(), receiver, shares);
    }

    /* VIEWS */

    function maxDeposit(address vault_, address user) external view returns (uint256) {
        if (!_canTransfer(vault_, _escrow(vault_), user, investments[vault_][user].maxMint)) return 0;
        return _maxDeposit(vault_, user);
    }

    function maxMint(address vault_, address user) external view returns (uint256 shares) {
        shares = investments[vault_][user].maxMint;
        if (!_canTransfer(vault_, _escrow(vault_), user, shares)) return 0;
    }

    function maxWithdraw(address vault_, address user) external view returns (uint256) {
        if (!_canTransfer(vault_, user, address(0), _maxRedeem(vault_, user))) return 0;
        return investments[vault_][user].maxWithdraw;
    }

    function maxRedeem(address vault_, address user) public view returns (uint256 shares) {
        shares = _maxRedeem(vault_, user);
        if (!_canTransfer(vault_, user, address(0), shares)) return 0;
    }

    function pendingDepositRequest(address vault_, address user) external view returns (uint256) {
        return investments[vault_][user].pendingDepositRequest;
    }

    function pendingRedeemRequest(address vault_, address user) external view returns (uint256) {
        return investments[vault_][user].pendingRedeemRequest;
    }

    function pendingCancelDepositRequest(address vault_, address user) external view returns (bool) {
        return investments[vault_][user].pendingCancelDepositRequest;
    }

    function pendingCancelRedeemRequest(address vault_, address user) external view returns (bool) {
        return investments[vault_][user].pendingCancelRedeemRequest;
    }

    function claimableCancelDepositRequest(address vault_, address user) external view returns (uint256) {
        return investments[vault_][user].claimableCancelDepositRequest;
    }

    function claimableCancelRedeemRequest(address vault_, address user) external view returns (uint256) {
        return investments[vault_][user].claimableCancelRedeemRequest;
    }

    /// @notice Assets to shares at the spoke's current prices, unchecked for age; zero while unpriced.
    function convertToShares(address vault_, uint256 assets) public view returns (uint256) {
        (uint128 perAsset, uint128 perShare, uint256 assetUnit, uint256 shareUnit) = _prices(vault_);
        if (perShare == 0 || perAsset == 0 || assets == 0) return 0;
        return Math.mulDiv(assets, shareUnit * perAsset, assetUnit * perShare);
    }

    /// @notice Shares to assets at the spoke's current prices, unchecked for age; zero while unpriced.
    function convertToAssets(address vault_, uint256 shares) public view returns (uint256) {
        (uint128 perAsset, uint128 perShare, uint256 assetUnit, uint256 shareUnit) = _prices(vault_);
        if (perAsset == 0 || perShare == 0 || shares == 0) return 0;
        return Math.mulDiv(shares, assetUnit * perShare, shareUnit * perAsset);
    }

    /// @notice The later of the share price's and the asset price's computation dates.
    function priceLastUpdated(address vault_) external view returns (uint64) {
        SandboxAsyncVault v = SandboxAsyncVault(vault_);
        (uint64 shareAt, , ) = spoke.markersPricePoolPerShare(v.poolId(), v.scId());
        (uint64 assetAt, , ) = spoke.markersPricePoolPerAsset(
            v.poolId(),
            v.scId(),
            vaultRegistry.vaultDetails(vault_).assetId
        );
        return shareAt > assetAt ? shareAt : assetAt;
    }

    function poolEscrow(uint64 poolId) external view returns (address) {
        return balanceSheet.escrow(poolId);
    }

    function globalEscrow() external view returns (address) {
        if (!vaultRegistry.isLinked(msg.sender)) revert NotAVault();
        return _escrow(msg.sender);
    }

    /* INTERNAL */

    function _fulfillDeposit(address vault_, address user, uint128 assets, uint128 shares, uint128 cancelled) private {
        InvestmentState storage state = investments[vault_][user];
        if (state.pendingDepositRequest == 0) revert NoPendingRequest();
        if (cancelled != 0) {
            if (!state.pendingCancelDepositRequest) revert NoPendingRequest();
            state.claimableCancelDepositRequest += cancelled;
        }
        state.depositPrice = _priceAssetPerShare(vault_, state.maxMint + shares, _maxDeposit(vault_, user) + assets);
        state.maxMint += shares;
        uint128 pending = state.pendingDepositRequest;
        state.pendingDepositRequest = pending > assets + cancelled ? pending - assets - cancelled : 0;
        if (state.pendingDepositRequest == 0) state.pendingCancelDepositRequest = false;
        if (assets != 0) SandboxAsyncVault(vault_).onDepositClaimable(user, assets, shares);
        if (cancelled != 0) SandboxAsyncVault(vault_).onCancelDepositClaimable(user, cancelled);
    }

    function _fulfillRedeem(address vault_, address user, uint128 assets, uint128 shares, uint128 cancelled) private {
        InvestmentState storage state = investments[vault_][user];
        if (state.pendingRedeemRequest == 0) revert NoPendingRequest();
        if (cancelled != 0) {
            if (!state.pendingCancelRedeemRequest) revert NoPendingRequest();
            state.claimableCancelRedeemRequest += cancelled;
        }
        state.redeemPrice = _priceAssetPerShare(vault_, _maxRedeem(vault_, user) + shares, state.maxWithdraw + assets);
        state.maxWithdraw += assets;
        uint128 pending = state.pendingRedeemRequest;
        state.pendingRedeemRequest = pending > shares + cancelled ? pending - shares - cancelled : 0;
        if (state.pendingRedeemRequest == 0) state.pendingCancelRedeemRequest = false;
        if (shares != 0) SandboxAsyncVault(vault_).onRedeemClaimable(user, assets, shares);
        if (cancelled != 0) SandboxAsyncVault(vault_).onCancelRedeemClaimable(user, cancelled);
    }

    function _processDeposit(
        address vault_,
        InvestmentState storage state,
        uint128 sharesUp,
        uint128 sharesDown,
        address receiver
    ) private {
        if (sharesUp > state.maxMint) revert ExceedsDepositLimits();
        state.maxMint -= sharesUp;
        // The share transfer out of the escrow asks the hook whether the receiver is a member.
        if (sharesDown != 0) _pay(vault_, SandboxAsyncVault(vault_).share(), receiver, sharesDown);
    }

    function _processRedeem(
        address vault_,
        InvestmentState storage state,
        uint128 assetsUp,
        uint128 assetsDown,
        address receiver,
        address controller
    ) private {
        uint256 asShares = convertToShares(vault_, assetsDown);
        if (controller != receiver && !_canTransfer(vault_, controller, receiver, asShares))
            revert TransferNotAllowed();
        if (!_canTransfer(vault_, receiver, address(0), asShares)) revert TransferNotAllowed();
        if (assetsUp > state.maxWithdraw) revert ExceedsRedeemLimits();
        state.maxWithdraw -= assetsUp;
        if (assetsDown != 0) {
            // The balance sheet values the withdrawal at the asset's current price, which must be valid.
            SandboxAsyncVault v = SandboxAsyncVault(vault_);
            spoke.pricePoolPerAsset(v.poolId(), v.scId(), vaultRegistry.vaultDetails(vault_).assetId, true);
            _pay(vault_, v.asset(), receiver, assetsDown);
        }
    }

    function _pay(address vault_, address token, address receiver, uint256 amount) private {
        SandboxPoolEscrow(_escrow(vault_)).authTransferTo(token, 0, receiver, amount);
    }

    function _maxDeposit(address vault_, address user) private view returns (uint128) {
        InvestmentState storage state = investments[vault_][user];
        return _shareToAssets(vault_, state.maxMint, state.depositPrice, Math.Rounding.Floor);
    }

    function _maxRedeem(address vault_, address user) private view returns (uint128) {
        InvestmentState storage state = investments[vault_][user];
        return _assetToShares(vault_, state.maxWithdraw, state.redeemPrice, Math.Rounding.Floor);
    }

    /// @dev Asset units per share unit at 18 decimals, both amounts brought to 18 decimals first.
    function _priceAssetPerShare(address vault_, uint128 shares, uint128 assets) private view returns (uint128) {
        if (shares == 0 || assets == 0) return 0;
        (uint256 assetUnit, uint256 shareUnit) = _units(vault_);
        return SafeCast.toUint128(Math.mulDiv(assets * PRICE_UNIT, shareUnit, shares * assetUnit));
    }

    function _shareToAssets(
        address vault_,
        uint128 shares,
        uint128 price,
        Math.Rounding rounding
    ) private view returns (uint128) {
        if (shares == 0 || price == 0) return 0;
        (uint256 assetUnit, uint256 shareUnit) = _units(vault_);
        return SafeCast.toUint128(Math.mulDiv(uint256(shares) * price, assetUnit, PRICE_UNIT * shareUnit, rounding));
    }

    function _assetToShares(
        address vault_,
        uint128 assets,
        uint128 price,
        Math.Rounding rounding
    ) private view returns (uint128) {
        if (assets == 0 || price == 0) return 0;
        (uint256 assetUnit, uint256 shareUnit) = _units(vault_);
        return
            SafeCast.toUint128(
                Math.mulDiv(uint256(assets) * PRICE_UNIT, shareUnit, uint256(price) * assetUnit, rounding)
            );
    }

    function _prices(
        address vault_
    ) private view returns (uint128 perAsset, uint128 perShare, uint256 assetUnit, uint256 shareUnit) {
        SandboxAsyncVault v = SandboxAsyncVault(vault_);
        (perAsset, perShare) = spoke.pricesPoolPer(
            v.poolId(),
            v.scId(),
            vaultRegistry.vaultDetails(vault_).assetId,
            false
        );
        (assetUnit, shareUnit) = _units(vault_);
    }

    function _units(address vault_) private view returns (uint256 assetUnit, uint256 shareUnit) {
        SandboxAsyncVault v = SandboxAsyncVault(vault_);
        assetUnit = 10 ** IERC20Metadata(v.asset()).decimals();
        shareUnit = 10 ** IERC20Metadata(v.share()).decimals();
    }

    function _escrow(address vault_) private view returns (address) {
        return balanceSheet.escrow(SandboxAsyncVault(vault_).poolId());
    }

    function _canTransfer(address vault_, address from, address to, uint256 value) private view returns (bool) {
        return SandboxShareToken(SandboxAsyncVault(vault_).share()).checkTransferRestriction(from, to, value);
    }

    function _checkIsLinked(address vault_) private view {
        if (!vaultRegistry.isLinked(vault_)) revert VaultNotLinked();
    }

    function _word(bytes calldata payload, uint256 at) private pure returns (uint128) {
        return uint128(bytes16(payload[at:at + 16]));
    }
}

/// @title SandboxAsyncVault
/// @notice A Centrifuge V3 `AsyncVault` (v3.0 code): ERC-7540 requests (id 0) and ERC-7887 cancellations,
/// operators, claims through the request manager. Assets of a deposit request go to the pool escrow at
/// once; shares of a redemption request too. `preview*` revert.
contract SandboxAsyncVault is SandboxInit, SandboxWards {
    uint256 internal constant REQUEST_ID = 0;

    uint64 public poolId;
    bytes16 public scId;
    address public asset;
    address public share;
    address public root;
    SandboxAsyncRequestManager public baseManager;
    SandboxAsyncRequestManager public asyncRedeemManager;
    mapping(address controller => mapping(address operator => bool)) public isOperator;

    error InvalidOwner();
    error InvalidController();
    error InsufficientBalance();
    error RequestDepositFailed();
    error RequestRedeemFailed();
    error CannotSetSelfAsOperator();

    event DepositRequest(
        address indexed controller,
        address indexed owner,
        uint256 indexed requestId,
        address sender,
        uint256 assets
    );
    event RedeemRequest(
        address indexed controller,
        address indexed owner,
        uint256 indexed requestId,
        address sender,
        uint256 shares
    );
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );
    event DepositClaimable(address indexed controller, uint256 indexed requestId, uint256 assets, uint256 shares);
    event RedeemClaimable(address indexed controller, uint256 indexed requestId, uint256 assets, uint256 shares);
    event CancelDepositRequest(address indexed controller, uint256 indexed requestId, address sender);
    event CancelDepositClaimable(address indexed controller, uint256 indexed requestId, uint256 assets);
    event CancelDepositClaim(
        address indexed controller,
        address indexed receiver,
        uint256 indexed requestId,
        address sender,
        uint256 assets
    );
    event CancelRedeemRequest(address indexed controller, uint256 indexed requestId, address sender);
    event CancelRedeemClaimable(address indexed controller, uint256 indexed requestId, uint256 shares);
    event CancelRedeemClaim(
        address indexed controller,
        address indexed receiver,
        uint256 indexed requestId,
        address sender,
        uint256 shares
    );

    function initialize(
        address admin,
        uint64 poolId_,
        bytes16 scId_,
        address asset_,
        address share_,
        address root_,
        SandboxAsyncRequestManager manager_
    ) external initializer {
        wards[admin] = 1;
        (poolId, scId, asset, share, root) = (poolId_, scId_, asset_, share_, root_);
        (baseManager, asyncRedeemManager) = (manager_, manager_);
    }

    function manager() external view returns (address) {
        return address(baseManager);
    }

    function asyncManager() external view returns (address) {
        return address(asyncRedeemManager);
    }

    /* OPERATORS */

    function setOperator(address operator, bool approved) external returns (bool) {
        if (msg.sender == operator) revert CannotSetSelfAsOperator();
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    /* DEPOSITS */

    function requestDeposit(uint256 assets, address controller, address owner) external returns (uint256) {
        if (owner != msg.sender && !isOperator[owner][msg.sender]) revert InvalidOwner();
        if (IERC20(asset).balanceOf(owner) < assets) revert InsufficientBalance();
        if (!asyncRedeemManager.requestDeposit(address(this), assets, controller, owner, msg.sender)) {
            revert RequestDepositFailed();
        }
        SafeERC20.safeTransferFrom(IERC20(asset), owner, asyncRedeemManager.poolEscrow(poolId), assets);
        emit DepositRequest(controller, owner, REQUEST_ID, msg.sender, assets);
        return REQUEST_ID;
    }

    function pendingDepositRequest(uint256, address controller) external view returns (uint256) {
        return asyncRedeemManager.pendingDepositRequest(address(this), controller);
    }

    function claimableDepositRequest(uint256, address controller) external view returns (uint256) {
        return maxDeposit(controller);
    }

    function maxDeposit(address controller) public view returns (uint256) {
        return asyncRedeemManager.maxDeposit(address(this), controller);
    }

    function maxMint(address controller) external view returns (uint256) {
        return asyncRedeemManager.maxMint(address(this), controller);
    }

    function deposit(uint256 assets, address receiver, address controller) public returns (uint256 shares) {
        _validateController(controller);
        shares = asyncRedeemManager.deposit(address(this), assets, receiver, controller);
        emit Deposit(controller, receiver, assets, shares);
    }

    function deposit(uint256 assets, address receiver) external returns (uint256) {
        return deposit(assets, receiver, msg.sender);
    }

    function mint(uint256 shares, address receiver, address controller) public returns (uint256 assets) {
        _validateController(controller);
        assets = asyncRedeemManager.mint(address(this), shares, receiver, controller);
        emit Deposit(controller, receiver, assets, shares);
    }

    function mint(uint256 shares, address receiver) external returns (uint256) {
        return mint(shares, receiver, msg.sender);
    }

    /* REDEMPTIONS */

    /// @notice The owner, its operator, or a holder of the owner's share allowance requests; owner and
    /// controller must both be current members.
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256) {
        if (IERC20(share).balanceOf(owner) < shares) revert InsufficientBalance();
        address sender = isOperator[owner][msg.sender] ? owner : msg.sender;
        if (!asyncRedeemManager.requestRedeem(address(this), shares, controller, owner, sender, true)) {
            revert RequestRedeemFailed();
        }
        emit RedeemRequest(controller, owner, REQUEST_ID, msg.sender, shares);
        return REQUEST_ID;
    }

    function pendingRedeemRequest(uint256, address controller) external view returns (uint256) {
        return asyncRedeemManager.pendingRedeemRequest(address(this), controller);
    }

    function claimableRedeemRequest(uint256, address controller) external view returns (uint256) {
        return maxRedeem(controller);
    }

    function maxWithdraw(address controller) external view returns (uint256) {
        return asyncRedeemManager.maxWithdraw(address(this), controller);
    }

    function maxRedeem(address controller) public view returns (uint256) {
        return asyncRedeemManager.maxRedeem(address(this), controller);
    }

    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares) {
        _validateController(controller);
        shares = asyncRedeemManager.withdraw(address(this), assets, receiver, controller);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets) {
        _validateController(controller);
        assets = asyncRedeemManager.redeem(address(this), shares, receiver, controller);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    /* ERC-7887 CANCELLATION */

    function cancelDepositRequest(uint256, address controller) external {
        _validateController(controller);
        asyncRedeemManager.cancelDepositRequest(address(this), controller, msg.sender);
        emit CancelDepositRequest(controller, REQUEST_ID, msg.sender);
    }

    function pendingCancelDepositRequest(uint256, address controller) external view returns (bool) {
        return asyncRedeemManager.pendingCancelDepositRequest(address(this), controller);
    }

    function claimableCancelDepositRequest(uint256, address controller) external view returns (uint256) {
        return asyncRedeemManager.claimableCancelDepositRequest(address(this), controller);
    }

    function claimCancelDepositRequest(
        uint256,
        address receiver,
        address controller
    ) external returns (uint256 assets) {
        _validateController(controller);
        assets = asyncRedeemManager.claimCancelDepositRequest(address(this), receiver, controller);
        emit CancelDepositClaim(controller, receiver, REQUEST_ID, msg.sender, assets);
    }

    function cancelRedeemRequest(uint256, address controller) external {
        _validateController(controller);
        asyncRedeemManager.cancelRedeemRequest(address(this), controller, msg.sender);
        emit CancelRedeemRequest(controller, REQUEST_ID, msg.sender);
    }

    function pendingCancelRedeemRequest(uint256, address controller) external view returns (bool) {
        return asyncRedeemManager.pendingCancelRedeemRequest(address(this), controller);
    }

    function claimableCancelRedeemRequest(uint256, address controller) external view returns (uint256) {
        return asyncRedeemManager.claimableCancelRedeemRequest(address(this), controller);
    }

    function claimCancelRedeemRequest(uint256, address receiver, address controller) external returns (uint256 shares) {
        _validateController(controller);
        shares = asyncRedeemManager.claimCancelRedeemRequest(address(this), receiver, controller);
        emit CancelRedeemClaim(controller, receiver, REQUEST_ID, msg.sender, shares);
    }

    /* PRICE */

    function convertToShares(uint256 assets) external view returns (uint256) {
        return baseManager.convertToShares(address(this), assets);
    }

    function convertToAssets(uint256 shares) public view returns (uint256) {
        return baseManager.convertToAssets(address(this), shares);
    }

    /// @notice One whole share's value at the current prices: no validity check, zero while unpriced.
    function pricePerShare() external view returns (uint256) {
        return convertToAssets(10 ** IERC20Metadata(share).decimals());
    }

    function priceLastUpdated() external view returns (uint64) {
        return baseManager.priceLastUpdated(address(this));
    }

    function totalAssets() external view returns (uint256) {
        return convertToAssets(IERC20(share).totalSupply());
    }

    function isPermissioned(address controller) external view returns (bool) {
        return SandboxShareToken(share).checkTransferRestriction(address(0), controller, 0);
    }

    function previewDeposit(uint256) external pure returns (uint256) {
        // Centrifuge's async vaults revert their previews without data.
        // solhint-disable-next-line gas-custom-errors
        revert();
    }

    function previewMint(uint256) external pure returns (uint256) {
        // Centrifuge's async vaults revert their previews without data.
        // solhint-disable-next-line gas-custom-errors
        revert();
    }

    function previewWithdraw(uint256) external pure returns (uint256) {
        // Centrifuge's async vaults revert their previews without data.
        // solhint-disable-next-line gas-custom-errors
        revert();
    }

    function previewRedeem(uint256) external pure returns (uint256) {
        // Centrifuge's async vaults revert their previews without data.
        // solhint-disable-next-line gas-custom-errors
        revert();
    }

    /* EVENTS FROM THE MANAGER */

    function onDepositClaimable(address controller, uint256 assets, uint256 shares) external auth {
        emit DepositClaimable(controller, REQUEST_ID, assets, shares);
    }

    function onCancelDepositClaimable(address controller, uint256 assets) external auth {
        emit CancelDepositClaimable(controller, REQUEST_ID, assets);
    }

    function onRedeemClaimable(address controller, uint256 assets, uint256 shares) external auth {
        emit RedeemClaimable(controller, REQUEST_ID, assets, shares);
    }

    function onCancelRedeemClaimable(address controller, uint256 shares) external auth {
        emit CancelRedeemClaimable(controller, REQUEST_ID, shares);
    }

    function _validateController(address controller) private view {
        if (controller != msg.sender && !isOperator[controller][msg.sender]) revert InvalidController();
    }
}

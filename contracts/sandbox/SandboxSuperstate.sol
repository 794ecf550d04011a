// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The emulated issuers revert with the real issuers' own reason strings, so tests and adapters see
// what mainnet would say.
// solhint-disable gas-custom-errors

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {INavFeedLike as AggregatorV3Like} from "../interfaces/external/INavFeedLike.sol";
import {SandboxInit, SandboxToken} from "./SandboxToken.sol";

/// @title SandboxSuperstateAllowList
/// @notice Emulates Superstate's AllowList V3.1 (behind the same proxy since 2025): an address belongs to
/// at most one entity; entities are allowed per private instrument (by ticker: USTB is one) or for public
/// instruments as a whole; a contract with no entity may instead hold protocol permissions per ticker.
/// Entities and protocol permissions are exclusive as in V2: an entity id is cleared (set to 0) before it
/// changes, a setting that changes nothing reverts `AlreadySet`, and only contracts may be protocols.
/// @dev V3.1's source is not public: the names of its admin functions and events are on record, their
/// parameter lists here are read from V2's and unconfirmed (`npm run fork:check` calls each on a fork).
contract SandboxSuperstateAllowList is SandboxInit {
    string public constant VERSION = "3.1";

    address public owner;
    mapping(address => uint256) public addressEntityIds;
    mapping(uint256 => mapping(string => bool)) internal _privateInstrumentPermissions;
    mapping(uint256 => bool) internal _publicInstrumentPermissions;
    mapping(address => uint256) public protocolPermissionsForFunds;
    mapping(address => mapping(string => bool)) public protocolPermissions;

    event EntityIdSet(address indexed addr, uint256 indexed entityId);
    event PrivateInstrumentPermissionSet(uint256 indexed entityId, string instrument, bool permission);
    event PublicInstrumentPermissionSet(uint256 indexed entityId, bool permission);
    event ProtocolAddressPermissionSet(address indexed addr, string fundSymbol, bool isAllowed);

    error Unauthorized();
    error AlreadySet();
    error NonZeroEntityIdMustBeChangedToZero();
    error AddressHasProtocolPermissions();
    error AddressHasEntityId();
    error CodeSizeZero();

    function initialize(address owner_) external initializer {
        owner = owner_;
    }

    function setEntityIdForAddress(uint256 entityId, address addr) external {
        _onlyOwner();
        uint256 previous = addressEntityIds[addr];
        if (previous == entityId) revert AlreadySet();
        if (entityId != 0 && protocolPermissionsForFunds[addr] > 0) revert AddressHasProtocolPermissions();
        if (previous != 0 && entityId != 0) revert NonZeroEntityIdMustBeChangedToZero();
        addressEntityIds[addr] = entityId;
        emit EntityIdSet(addr, entityId);
    }

    function setEntityAllowedForPrivateInstrument(
        uint256 entityId,
        string calldata instrument,
        bool isAllowed
    ) external {
        _onlyOwner();
        _privateInstrumentPermissions[entityId][instrument] = isAllowed;
        emit PrivateInstrumentPermissionSet(entityId, instrument, isAllowed);
    }

    function setEntityAllowedForPublicInstrument(uint256 entityId, bool isAllowed) external {
        _onlyOwner();
        _publicInstrumentPermissions[entityId] = isAllowed;
        emit PublicInstrumentPermissionSet(entityId, isAllowed);
    }

    function setProtocolAddressPermission(address addr, string calldata fundSymbol, bool isAllowed) external {
        _onlyOwner();
        if (addressEntityIds[addr] != 0) revert AddressHasEntityId();
        if (protocolPermissions[addr][fundSymbol] == isAllowed) revert AlreadySet();
        if (addr.code.length == 0) revert CodeSizeZero();
        if (isAllowed) ++protocolPermissionsForFunds[addr];
        else --protocolPermissionsForFunds[addr];
        protocolPermissions[addr][fundSymbol] = isAllowed;
        emit ProtocolAddressPermissionSet(addr, fundSymbol, isAllowed);
    }

    function hasAnyProtocolPermissions(address addr) external view returns (bool) {
        return protocolPermissionsForFunds[addr] > 0;
    }

    function isEntityAllowedForPrivateInstrument(
        uint256 entityId,
        string calldata instrument
    ) external view returns (bool) {
        return _privateInstrumentPermissions[entityId][instrument];
    }

    function isEntityAllowedForPublicInstrument(uint256 entityId) external view returns (bool) {
        return _publicInstrumentPermissions[entityId];
    }

    /// @notice Whether `addr` may hold the private instrument `instrument`: through its entity, or, with
    /// none, a protocol permission for it.
    function isAddressAllowedForPrivateInstrument(address addr, string calldata instrument) public view returns (bool) {
        uint256 entityId = addressEntityIds[addr];
        if (entityId == 0) return protocolPermissions[addr][instrument];
        return _privateInstrumentPermissions[entityId][instrument];
    }

    function isAddressAllowedForPublicInstrument(address addr) external view returns (bool) {
        uint256 entityId = addressEntityIds[addr];
        return entityId != 0 && _publicInstrumentPermissions[entityId];
    }

    /// @notice V2's name for the private-instrument check, which the token still calls.
    function isAddressAllowedForFund(address addr, string calldata fundSymbol) external view returns (bool) {
        return isAddressAllowedForPrivateInstrument(addr, fundSymbol);
    }

    function _onlyOwner() private view {
        if (msg.sender != owner) revert Unauthorized();
    }
}

/// @title SandboxSuperstateOracle
/// @notice Emulates Superstate's continuous NAV/S oracle: checkpoints added by the owner under the real
/// contract's rules and errors (a past strike time, an effective time now or later, both chronological,
/// no second pending checkpoint unless overridden, a NAV within the maximum acceptable delta of the last
/// one; no price floor), a price extrapolated linearly, up or down, from the last two effective
/// checkpoints, stale 5 days after the latest.
contract SandboxSuperstateOracle is SandboxInit, AggregatorV3Like {
    struct NavsCheckpoint {
        uint64 timestamp;
        uint64 effectiveAt;
        uint128 navs;
    }

    uint8 public constant DECIMALS = 6;
    uint256 public constant CHECKPOINT_EXPIRATION_PERIOD = 5 days;

    address public owner;
    /// @notice Largest move of a new checkpoint's NAV from the last one, in NAV units (6 decimals).
    uint256 public maximumAcceptablePriceDelta;
    NavsCheckpoint[] public checkpoints;

    event NewCheckpoint(uint64 timestamp, uint64 effectiveAt, uint128 navs);
    event SetMaximumAcceptablePriceDelta(uint256 oldDelta, uint256 newDelta);

    error OwnableUnauthorizedAccount(address account);
    error BadArgs();
    error CantGeneratePrice();
    error EffectiveAtInvalid();
    error EffectiveAtNotChronological();
    error ExistingPendingEffectiveAt();
    error NetAssetValuePerShareTooLow();
    error NetAssetValuePerShareTooHigh();
    error StaleCheckpoint();
    error TimestampInvalid();
    error TimestampNotChronological();

    function initialize(address owner_, uint256 maximumAcceptablePriceDelta_) external initializer {
        (owner, maximumAcceptablePriceDelta) = (owner_, maximumAcceptablePriceDelta_);
    }

    function decimals() external pure returns (uint8) {
        return DECIMALS;
    }

    function setMaximumAcceptablePriceDelta(uint256 newDelta) external {
        _checkOwner();
        if (newDelta == maximumAcceptablePriceDelta) revert BadArgs();
        emit SetMaximumAcceptablePriceDelta(maximumAcceptablePriceDelta, newDelta);
        maximumAcceptablePriceDelta = newDelta;
    }

    /// @param timestamp When the NAV was struck (before now).
    /// @param effectiveAt When the checkpoint starts to price (now or later).
    /// @param navs NAV per share with 6 decimals.
    /// @param shouldOverrideEffectiveAt Allows adding while the latest checkpoint is not yet effective.
    function addCheckpoint(
        uint64 timestamp,
        uint64 effectiveAt,
        uint128 navs,
        bool shouldOverrideEffectiveAt
    ) external {
        _checkOwner();
        if (timestamp >= block.timestamp) revert TimestampInvalid();
        if (effectiveAt < block.timestamp) revert EffectiveAtInvalid();
        uint256 count = checkpoints.length;
        if (count > 0) {
            NavsCheckpoint memory latest = checkpoints[count - 1];
            if (navs > latest.navs + maximumAcceptablePriceDelta) revert NetAssetValuePerShareTooHigh();
            if (navs + maximumAcceptablePriceDelta < latest.navs) revert NetAssetValuePerShareTooLow();
            if (latest.timestamp >= timestamp) revert TimestampNotChronological();
            if (latest.effectiveAt >= effectiveAt) revert EffectiveAtNotChronological();
        }
        if (count > 1 && checkpoints[count - 1].effectiveAt > block.timestamp && !shouldOverrideEffectiveAt) {
            revert ExistingPendingEffectiveAt();
        }
        checkpoints.push(NavsCheckpoint(timestamp, effectiveAt, navs));
        emit NewCheckpoint(timestamp, effectiveAt, navs);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        uint256 count = checkpoints.length;
        if (count < 2) revert CantGeneratePrice();
        uint256 index = count - 1;
        while (checkpoints[index].effectiveAt > block.timestamp) {
            index -= 1;
            if (index == 0) revert CantGeneratePrice();
        }
        NavsCheckpoint memory later = checkpoints[index];
        NavsCheckpoint memory early = checkpoints[index - 1];
        if (block.timestamp > later.effectiveAt + CHECKPOINT_EXPIRATION_PERIOD) revert StaleCheckpoint();
        // Linear extrapolation of the last two strikes to now, in the direction they moved.
        bool rising = later.navs >= early.navs;
        uint256 delta = rising ? later.navs - early.navs : early.navs - later.navs;
        uint256 change = (delta * (block.timestamp - later.timestamp)) / (later.timestamp - early.timestamp);
        uint256 price = rising ? later.navs + change : later.navs - change;
        return (uint80(index), int256(price), block.timestamp, block.timestamp, uint80(index));
    }

    function _checkOwner() private view {
        if (msg.sender != owner) revert OwnableUnauthorizedAccount(msg.sender);
    }
}

/// @title SandboxUSTB
/// @notice Emulates Superstate's USTB token: 6 decimals, every holder allowlisted, on-chain subscription
/// in supported stablecoins at the oracle's NAV with a fee of at most 10 bps, transfer to the token's
/// own address burning as an off-chain redemption, pause and accounting pause.
contract SandboxUSTB is SandboxToken {
    using SafeERC20 for IERC20;

    struct StablecoinConfig {
        address sweepDestination;
        uint96 fee;
    }

    uint256 public constant FEE_DENOMINATOR = 10_000;
    uint256 public constant SUPERSTATE_TOKEN_PRECISION = 10 ** 6;
    uint256 public constant MINIMUM_ACCEPTABLE_PRICE = 7 * 10 ** 6;

    /// @notice The implementation behind USTB's proxy since July 2026 (FundToken).
    string public constant VERSION = "1.3.0";

    address public owner;
    SandboxSuperstateAllowList public allowlistV2;
    address public superstateOracle;
    uint256 public maximumOracleDelay;
    bool public paused;
    bool public accountingPaused;
    address public redemptionContract;
    mapping(address => StablecoinConfig) public supportedStablecoins;

    event Mint(address indexed minter, address indexed to, uint256 amount);
    event AdminBurn(address indexed burner, address indexed src, uint256 amount);
    event OffchainRedeem(address indexed burner, address indexed src, uint256 amount);
    event SubscribeV2(
        address indexed subscriber,
        address indexed to,
        address stablecoin,
        uint256 stablecoinInAmountAfterFee,
        uint256 stablecoinInAmountBeforeFee,
        uint256 superstateTokenOutAmount
    );
    event SetStablecoinConfig(
        address indexed stablecoin,
        address oldSweepDestination,
        address newSweepDestination,
        uint96 oldFee,
        uint96 newFee
    );

    error Unauthorized();
    error InsufficientPermissions();
    error AccountingIsPaused();
    error BadArgs();
    error BadChainlinkData();
    error FeeTooHigh();
    error MismatchEntityIds();
    error OnchainSubscriptionsDisabled();
    error StablecoinNotSupported();
    error ZeroSuperstateTokensOut();

    function initialize(
        address owner_,
        SandboxSuperstateAllowList allowList_,
        address oracle_,
        uint256 maximumOracleDelay_
    ) external {
        initializeFund(
            "Superstate Short Duration US Government Securities Fund",
            "USTB",
            owner_,
            allowList_,
            oracle_,
            maximumOracleDelay_
        );
    }

    /// @notice Another Superstate fund on the same code, such as USCC: its ticker is its AllowList key. With
    /// no oracle (`oracle_` zero, as USCC on Ethereum), `subscribe` and `getChainlinkPrice` revert
    /// `OnchainSubscriptionsDisabled()`: the fund is entered by a transfer to its deposit address and minted
    /// by the owner.
    function initializeFund(
        string memory name_,
        string memory symbol_,
        address owner_,
        SandboxSuperstateAllowList allowList_,
        address oracle_,
        uint256 maximumOracleDelay_
    ) public initializer {
        _initToken(name_, symbol_, 6);
        (owner, allowlistV2, superstateOracle, maximumOracleDelay) = (owner_, allowList_, oracle_, maximumOracleDelay_);
    }

    /* ADMIN */

    function setStablecoinConfig(address stablecoin, address newSweepDestination, uint96 newFee) external {
        if (newFee > 10) revert FeeTooHigh();
        _onlyOwner();
        StablecoinConfig memory old = supportedStablecoins[stablecoin];
        if (newSweepDestination == old.sweepDestination && newFee == old.fee) revert BadArgs();
        supportedStablecoins[stablecoin] = StablecoinConfig(newSweepDestination, newFee);
        emit SetStablecoinConfig(stablecoin, old.sweepDestination, newSweepDestination, old.fee, newFee);
    }

    function setOracle(address newOracle) external {
        _onlyOwner();
        superstateOracle = newOracle;
    }

    function setMaximumOracleDelay(uint256 newDelay) external {
        _onlyOwner();
        if (newDelay == maximumOracleDelay) revert BadArgs();
        maximumOracleDelay = newDelay;
    }

    function setRedemptionContract(address newRedemptionContract) external {
        _onlyOwner();
        redemptionContract = newRedemptionContract;
    }

    function pause() external {
        _onlyOwner();
        paused = true;
    }

    function unpause() external {
        _onlyOwner();
        paused = false;
    }

    function accountingPause() external {
        _onlyOwner();
        accountingPaused = true;
    }

    function accountingUnpause() external {
        _onlyOwner();
        accountingPaused = false;
    }

    function mint(address dst, uint256 amount) external {
        _onlyOwner();
        _requireNotAccountingPaused();
        if (!isAllowed(dst)) revert InsufficientPermissions();
        _mint(dst, amount);
        emit Mint(msg.sender, dst, amount);
    }

    function adminBurn(address src, uint256 amount) external {
        _onlyOwner();
        _requireNotAccountingPaused();
        _burn(src, amount);
        emit AdminBurn(msg.sender, src, amount);
    }

    /// @notice USTB is a private instrument: holders are allowed by ticker.
    function isPublicInstrument() external pure returns (bool) {
        return false;
    }

    /// @notice FundToken's name for the allowlist (it keeps `allowlistV2` too).
    function allowlist() external view returns (address) {
        return address(allowlistV2);
    }

    /// @notice FundToken's name for the redemption contract (it keeps `redemptionContract` too).
    function getRedemptionContract() external view returns (address) {
        return redemptionContract;
    }

    /* HOLDERS */

    function isAllowed(address addr) public view returns (bool) {
        return allowlistV2.isAddressAllowedForFund(addr, symbol());
    }

    /// @notice Burns the caller's tokens for a redemption paid off-chain.
    function offchainRedeem(uint256 amount) external {
        _offchainRedeem(msg.sender, amount);
    }

    function transfer(address dst, uint256 amount) public override returns (bool) {
        if (!isAllowed(msg.sender)) revert InsufficientPermissions();
        if (dst == address(this)) {
            _offchainRedeem(msg.sender, amount);
            return true;
        }
        _requireTransferable(dst);
        return super.transfer(dst, amount);
    }

    function transferFrom(address src, address dst, uint256 amount) public override returns (bool) {
        if (!isAllowed(src)) revert InsufficientPermissions();
        _spendAllowance(src, msg.sender, amount);
        if (dst == address(this)) {
            _offchainRedeem(src, amount);
            return true;
        }
        _requireTransferable(dst);
        _transfer(src, dst, amount);
        return true;
    }

    function calculateFee(uint256 amount, uint256 subscriptionFee) public pure returns (uint256) {
        return (amount * subscriptionFee) / FEE_DENOMINATOR;
    }

    function getChainlinkPrice() public view returns (bool isBadData, uint256 updatedAt, uint256 price) {
        if (superstateOracle == address(0)) revert OnchainSubscriptionsDisabled();
        (, int256 answer, , uint256 oracleUpdatedAt, ) = AggregatorV3Like(superstateOracle).latestRoundData();
        isBadData = answer < int256(MINIMUM_ACCEPTABLE_PRICE) || block.timestamp - oracleUpdatedAt > maximumOracleDelay;
        return (isBadData, oracleUpdatedAt, uint256(answer));
    }

    function calculateSuperstateTokenOut(
        uint256 inAmount,
        address stablecoin
    )
        public
        view
        returns (uint256 superstateTokenOutAmount, uint256 stablecoinInAmountAfterFee, uint256 feeOnStablecoinInAmount)
    {
        StablecoinConfig memory config = supportedStablecoins[stablecoin];
        if (config.sweepDestination == address(0)) revert StablecoinNotSupported();
        feeOnStablecoinInAmount = calculateFee(inAmount, config.fee);
        stablecoinInAmountAfterFee = inAmount - feeOnStablecoinInAmount;
        (bool isBadData, , uint256 price) = getChainlinkPrice();
        if (isBadData) revert BadChainlinkData();
        uint256 stablecoinPrecision = 10 ** IERC20Metadata(stablecoin).decimals();
        uint256 feedPrecision = 10 ** AggregatorV3Like(superstateOracle).decimals();
        superstateTokenOutAmount = Math.mulDiv(
            stablecoinInAmountAfterFee * feedPrecision,
            SUPERSTATE_TOKEN_PRECISION,
            price * stablecoinPrecision
        );
    }

    function subscribe(uint256 inAmount, address stablecoin) external {
        _subscribe(msg.sender, inAmount, stablecoin);
    }

    function subscribe(address to, uint256 inAmount, address stablecoin) external {
        _subscribe(to, inAmount, stablecoin);
    }

    function _subscribe(address to, uint256 inAmount, address stablecoin) private {
        // A fund with no oracle (USCC on Ethereum) takes no on-chain subscription, whatever is asked.
        if (superstateOracle == address(0)) revert OnchainSubscriptionsDisabled();
        // Subscribing for another address needs both in one AllowList entity, as on the real token.
        if (to != msg.sender && allowlistV2.addressEntityIds(msg.sender) != allowlistV2.addressEntityIds(to)) {
            revert MismatchEntityIds();
        }
        if (inAmount == 0) revert BadArgs();
        require(!paused, "Pausable: paused");
        _requireNotAccountingPaused();
        (uint256 out, uint256 afterFee, ) = calculateSuperstateTokenOut(inAmount, stablecoin);
        if (out == 0) revert ZeroSuperstateTokensOut();
        IERC20(stablecoin).safeTransferFrom(msg.sender, supportedStablecoins[stablecoin].sweepDestination, inAmount);
        if (!isAllowed(to)) revert InsufficientPermissions();
        _mint(to, out);
        emit Mint(msg.sender, to, out);
        emit SubscribeV2(msg.sender, to, stablecoin, afterFee, inAmount, out);
    }

    function _offchainRedeem(address src, uint256 amount) private {
        _requireNotAccountingPaused();
        if (amount == 0) revert BadArgs();
        if (!isAllowed(src)) revert InsufficientPermissions();
        _burn(src, amount);
        emit OffchainRedeem(msg.sender, src, amount);
    }

    function _requireTransferable(address dst) private view {
        require(!paused, "Pausable: paused");
        if (!isAllowed(dst)) revert InsufficientPermissions();
    }

    function _requireNotAccountingPaused() private view {
        if (accountingPaused) revert AccountingIsPaused();
    }

    function _onlyOwner() private view {
        if (msg.sender != owner) revert Unauthorized();
    }
}

/// @title SandboxRedemptionIdle
/// @notice Emulates Superstate's RedemptionIdle: instant USTB → USDC at the oracle's NAV, paid from the
/// USDC it holds (finite), less a fee of at most 10 bps. Its quotes follow the real contract's arithmetic
/// to the unit: `calculateUsdcOut` rounds down, `calculateUstbIn` grosses up for the fee rounding down
/// and then rounds the USTB up, `maxUstbRedemptionAmount` rounds down and returns the price it used.
contract SandboxRedemptionIdle is SandboxInit {
    using SafeERC20 for IERC20;

    uint256 public constant FEE_DENOMINATOR = 10_000;
    uint256 public constant SUPERSTATE_TOKEN_PRECISION = 10 ** 6;
    uint256 public constant USDC_PRECISION = 10 ** 6;
    uint256 public constant CHAINLINK_FEED_PRECISION = 10 ** 6;
    uint256 public constant MINIMUM_ACCEPTABLE_PRICE = 7 * 10 ** 6;

    address public owner;
    SandboxUSTB public SUPERSTATE_TOKEN;
    IERC20 public USDC;
    address public oracle;
    uint256 public maximumOracleDelay;
    uint256 public redemptionFee;
    bool public paused;
    /// @notice Emulation only (the real contract pays its quote): each redemption pays this share less
    /// than it quotes, an issuer failing between its views and its call.
    uint256 public shortPayBps;

    event RedeemV2(
        address indexed redeemer,
        address indexed to,
        uint256 superstateTokenInAmount,
        uint256 usdcOutAmountAfterFee,
        uint256 usdcOutAmountBeforeFee
    );
    event SetRedemptionFee(uint256 oldFee, uint256 newFee);
    event Paused(address account);
    event Unpaused(address account);
    event Withdraw(address indexed token, address indexed withdrawer, address indexed to, uint256 amount);

    error Unauthorized();
    error BadArgs();
    error BadChainlinkData();
    error FeeTooHigh();
    error InsufficientBalance();
    error EnforcedPause();
    error ExpectedPause();

    function initialize(
        address owner_,
        SandboxUSTB token,
        IERC20 usdc,
        address oracle_,
        uint256 maximumOracleDelay_
    ) external initializer {
        (owner, SUPERSTATE_TOKEN, USDC, oracle, maximumOracleDelay) = (
            owner_,
            token,
            usdc,
            oracle_,
            maximumOracleDelay_
        );
    }

    /// @notice Emulation only: redemptions pay `bps` less than quoted from now on (0 restores honesty).
    function setShortPayBps(uint256 bps) external {
        _onlyOwner();
        if (bps > FEE_DENOMINATOR) revert BadArgs();
        shortPayBps = bps;
    }

    function setRedemptionFee(uint256 newFee) external {
        _onlyOwner();
        if (newFee > 10) revert FeeTooHigh();
        if (newFee == redemptionFee) revert BadArgs();
        emit SetRedemptionFee(redemptionFee, newFee);
        redemptionFee = newFee;
    }

    function pause() external {
        _onlyOwner();
        if (paused) revert EnforcedPause();
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external {
        _onlyOwner();
        if (!paused) revert ExpectedPause();
        paused = false;
        emit Unpaused(msg.sender);
    }

    function withdraw(address token, address to, uint256 amount) external {
        _onlyOwner();
        if (amount == 0) revert BadArgs();
        if (IERC20(token).balanceOf(address(this)) < amount) revert InsufficientBalance();
        IERC20(token).safeTransfer(to, amount);
        emit Withdraw(token, msg.sender, to, amount);
    }

    function calculateFee(uint256 amount) public view returns (uint256) {
        return (amount * redemptionFee) / FEE_DENOMINATOR;
    }

    function _price() private view returns (uint256 price) {
        (, int256 answer, , uint256 updatedAt, ) = AggregatorV3Like(oracle).latestRoundData();
        if (answer < int256(MINIMUM_ACCEPTABLE_PRICE) || block.timestamp - updatedAt > maximumOracleDelay) {
            revert BadChainlinkData();
        }
        return uint256(answer);
    }

    /// @return usdcOutAmountAfterFee USDC paid for `superstateTokenInAmount`, rounded down.
    /// @return usdPerUstbChainlinkRaw The oracle price used.
    function calculateUsdcOut(
        uint256 superstateTokenInAmount
    ) external view returns (uint256 usdcOutAmountAfterFee, uint256 usdPerUstbChainlinkRaw) {
        (usdcOutAmountAfterFee, , usdPerUstbChainlinkRaw) = _calculateUsdcOut(superstateTokenInAmount);
    }

    function _calculateUsdcOut(
        uint256 superstateTokenInAmount
    ) private view returns (uint256 afterFee, uint256 beforeFee, uint256 price) {
        if (superstateTokenInAmount == 0) revert BadArgs();
        price = _price();
        beforeFee =
            (superstateTokenInAmount * price * USDC_PRECISION) /
            (CHAINLINK_FEED_PRECISION * SUPERSTATE_TOKEN_PRECISION);
        afterFee = beforeFee - calculateFee(beforeFee);
    }

    /// @return ustbInAmount USTB for `usdcOutAmount` after the fee: the fee gross-up rounds down, the USTB
    /// up, so with a fee it may pay one unit less than asked (as the real contract does).
    /// @return usdPerUstbChainlinkRaw The oracle price used.
    function calculateUstbIn(
        uint256 usdcOutAmount
    ) external view returns (uint256 ustbInAmount, uint256 usdPerUstbChainlinkRaw) {
        if (usdcOutAmount == 0) revert BadArgs();
        uint256 beforeFee = (usdcOutAmount * FEE_DENOMINATOR) / (FEE_DENOMINATOR - redemptionFee);
        usdPerUstbChainlinkRaw = _price();
        uint256 numerator = beforeFee * CHAINLINK_FEED_PRECISION * SUPERSTATE_TOKEN_PRECISION;
        uint256 denominator = usdPerUstbChainlinkRaw * USDC_PRECISION;
        ustbInAmount = (numerator + denominator - 1) / denominator;
    }

    /// @return superstateTokenAmount The most USTB the USDC held pays for, rounded down.
    /// @return usdPerUstbChainlinkRaw The oracle price used.
    function maxUstbRedemptionAmount()
        external
        view
        returns (uint256 superstateTokenAmount, uint256 usdPerUstbChainlinkRaw)
    {
        uint256 beforeFee = (USDC.balanceOf(address(this)) * FEE_DENOMINATOR) / (FEE_DENOMINATOR - redemptionFee);
        usdPerUstbChainlinkRaw = _price();
        superstateTokenAmount =
            (beforeFee * CHAINLINK_FEED_PRECISION * SUPERSTATE_TOKEN_PRECISION) /
            (usdPerUstbChainlinkRaw * USDC_PRECISION);
    }

    function redeem(uint256 superstateTokenInAmount) external {
        _redeem(msg.sender, superstateTokenInAmount);
    }

    function redeem(address to, uint256 superstateTokenInAmount) external {
        _redeem(to, superstateTokenInAmount);
    }

    function _redeem(address to, uint256 superstateTokenInAmount) private {
        if (paused) revert EnforcedPause();
        (uint256 afterFee, uint256 beforeFee, ) = _calculateUsdcOut(superstateTokenInAmount);
        if (USDC.balanceOf(address(this)) < afterFee) revert InsufficientBalance();
        IERC20(address(SUPERSTATE_TOKEN)).safeTransferFrom(msg.sender, address(this), superstateTokenInAmount);
        USDC.safeTransfer(to, afterFee - (afterFee * shortPayBps) / FEE_DENOMINATOR);
        SUPERSTATE_TOKEN.offchainRedeem(superstateTokenInAmount);
        emit RedeemV2(msg.sender, to, superstateTokenInAmount, afterFee, beforeFee);
    }

    function _onlyOwner() private view {
        if (msg.sender != owner) revert Unauthorized();
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ProfitLock} from "../interfaces/IReserveVault.sol";

/// @title ProfitLockLib
/// @notice Gains are locked when recognised and released linearly; losses eat locked profit first.
/// @dev `locked` is the amount still locked at `updatedAt`; it reaches zero at `unlockEnd`.
library ProfitLockLib {
    /// @notice Profit still locked at `timestamp`, rounded up so total assets never run ahead.
    function lockedAt(ProfitLock memory lock, uint256 timestamp) internal pure returns (uint256) {
        if (timestamp >= lock.unlockEnd) return 0;
        return
            Math.mulDiv(lock.locked, lock.unlockEnd - timestamp, lock.unlockEnd - lock.updatedAt, Math.Rounding.Ceil);
    }

    /// @notice The lock after adding `gain` at `timestamp`. The new end is the value-weighted mean
    /// of what remained of the old lock and a full `unlockSeconds` for the new gain, rounded up.
    function addGain(
        ProfitLock memory lock,
        uint256 gain,
        uint256 unlockSeconds,
        uint256 timestamp
    ) internal pure returns (ProfitLock memory) {
        uint256 current = lockedAt(lock, timestamp);
        if (unlockSeconds == 0) {
            // Gains release at once; only rebase what is already locked.
            return _rebase(current, lock.unlockEnd, timestamp);
        }
        uint256 remaining = lock.unlockEnd > timestamp ? lock.unlockEnd - timestamp : 0;
        uint256 total = current + gain;
        if (total == 0) return _rebase(0, timestamp, timestamp);
        uint256 duration = Math.ceilDiv(current * remaining + gain * unlockSeconds, total);
        return _rebase(total, timestamp + duration, timestamp);
    }

    /// @notice The lock after a `loss` at `timestamp`, and how much of the loss locked profit absorbed.
    function absorbLoss(
        ProfitLock memory lock,
        uint256 loss,
        uint256 timestamp
    ) internal pure returns (ProfitLock memory next, uint256 absorbed) {
        uint256 current = lockedAt(lock, timestamp);
        absorbed = loss < current ? loss : current;
        next = _rebase(current - absorbed, lock.unlockEnd, timestamp);
    }

    function _rebase(uint256 locked, uint256 unlockEnd, uint256 timestamp) private pure returns (ProfitLock memory) {
        if (locked == 0 || unlockEnd <= timestamp) {
            return ProfitLock({locked: 0, updatedAt: uint64(timestamp), unlockEnd: uint64(timestamp)});
        }
        // Checked: locked profit cut to 128 bits would be released to whoever holds shares.
        return
            ProfitLock({
                locked: SafeCast.toUint128(locked),
                updatedAt: uint64(timestamp),
                unlockEnd: uint64(unlockEnd)
            });
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IReserveVault, AdapterConfig, Books, ProfitLock} from "../interfaces/IReserveVault.sol";
import {ProfitLockLib} from "./ProfitLockLib.sol";

/// @title BooksLib
/// @notice How operations on adapters change the vault's books. Every gain is locked and released
/// linearly; every loss eats locked profit first, then total assets.
library BooksLib {
    using SafeCast for uint256;

    /// @notice Idle plus book values: the vault's assets before locked profit is set aside.
    function gross(Books storage books) internal view returns (uint256) {
        return uint256(books.idle) + books.totalValue;
    }

    /// @notice `totalAssets`: gross less profit still locked.
    function totalAssets(Books storage books) internal view returns (uint256) {
        uint256 assets = gross(books);
        uint256 locked = ProfitLockLib.lockedAt(books.profitLock, block.timestamp);
        // Losses are absorbed by locked profit first and withdrawals take at most their share of
        // totalAssets, so gross never falls below locked; the guard only keeps a view from reverting.
        return assets > locked ? assets - locked : 0;
    }

    /// @notice Books an entry: `amount` left idle and the adapter measurably gained `added`. A gain
    /// on entry is not believed until a report, so the book rises by at most `amount`.
    function credit(Books storage books, AdapterConfig storage config, uint256 amount, uint256 added) internal {
        uint256 booked = Math.min(added, amount);
        books.idle -= amount.toUint112();
        // booked <= amount, which fitted in uint128 above.
        config.value += uint128(booked);
        books.totalValue += uint112(booked);
        if (booked < amount) recognizeLoss(books, amount - booked);
    }

    /// @notice Books an outflow: the book value drops by the larger of the value the adapter lost
    /// and the assets received, and idle rises by what was received. A difference is a loss, or,
    /// when more came back than was booked, a gain that is locked.
    function debit(Books storage books, AdapterConfig storage config, uint256 removed, uint256 received) internal {
        uint256 loss = debitExit(books, config, removed, received);
        if (loss != 0) recognizeLoss(books, loss);
    }

    /// @notice Books an instant exit serving a withdrawal: as `debit`, except that value removed beyond
    /// what was received is not a loss of the vault but the leaver's exit cost, returned to be charged
    /// in the shares it burns.
    function debitExit(
        Books storage books,
        AdapterConfig storage config,
        uint256 removed,
        uint256 received
    ) internal returns (uint256 cost) {
        uint256 booked = config.value;
        uint256 taken = Math.min(Math.max(removed, received), booked);
        // taken <= booked, a uint128.
        config.value = uint128(booked - taken);
        books.totalValue -= taken.toUint112();
        books.idle += received.toUint112();
        if (received > taken) lockGain(books, config, received - taken, type(uint256).max);
        else cost = taken - received;
    }

    /// @notice Re-bases a book value on a fresh valuation; of a gain, at most `recoveryCap` may pay back
    /// the adapter's write-offs (see `lockGain`).
    function rebase(Books storage books, AdapterConfig storage config, uint256 observed, uint256 recoveryCap) internal {
        rebaseWithProceeds(books, config, observed, 0, recoveryCap);
    }

    /// @notice Re-bases a book value on a fresh valuation taken after the adapter returned `received`
    /// to the vault: the change of (what it is worth + what it returned) against the book is a gain,
    /// locked, or a loss, recognised at once.
    function rebaseWithProceeds(
        Books storage books,
        AdapterConfig storage config,
        uint256 observed,
        uint256 received,
        uint256 recoveryCap
    ) internal {
        uint256 booked = config.value;
        config.value = observed.toUint128();
        config.lastReportedAt = uint64(block.timestamp);
        books.totalValue = (uint256(books.totalValue) - booked + observed).toUint112();
        books.idle += received.toUint112();
        uint256 worth = observed + received;
        if (worth > booked) lockGain(books, config, worth - booked, recoveryCap);
        else if (booked > worth) recognizeLoss(books, booked - worth);
    }

    /// @notice Books a write-off's `loss` against the adapter's book value; what it takes from the share
    /// price (the loss beyond the locked profit that absorbs it) is recorded as recoverable.
    function writeDown(Books storage books, AdapterConfig storage config, uint256 loss) internal {
        // loss <= config.value, a uint128 part of totalValue, a uint112.
        config.value -= uint128(loss);
        books.totalValue -= uint112(loss);
        uint256 priced = loss - recognizeLoss(books, loss);
        if (priced == 0) return;
        config.writtenOff = (config.writtenOff + priced).toUint128();
        books.recoverable = (books.recoverable + priced).toUint112();
        books.recovering = true;
    }

    /// @notice Forgets what `config`'s adapter may still recover; returns it.
    function forgetRecovery(Books storage books, AdapterConfig storage config) internal returns (uint256 forgotten) {
        forgotten = config.writtenOff;
        if (forgotten == 0) return 0;
        config.writtenOff = 0;
        // Each adapter's writtenOff is part of recoverable.
        _setRecoverable(books, books.recoverable - forgotten);
    }

    /// @notice Books a gain on `config`'s adapter: what pays back its write-offs (at most `recoveryCap` of
    /// it: a report passes what the issuer delivered, so that yield does not pass for a recovery) goes to
    /// the share price at once, the rest is locked and released linearly.
    function lockGain(Books storage books, AdapterConfig storage config, uint256 gain, uint256 recoveryCap) internal {
        if (books.recovering) {
            uint256 owed = config.writtenOff;
            uint256 recovered = Math.min(Math.min(gain, owed), recoveryCap);
            if (recovered != 0) {
                // recovered <= owed <= recoverable, so neither underflows.
                config.writtenOff = uint128(owed - recovered);
                uint256 left = books.recoverable - recovered;
                _setRecoverable(books, left);
                emit IReserveVault.LossRecovered(recovered, left);
                gain -= recovered;
                if (gain == 0) return;
            }
        }
        lockProfit(books, gain);
    }

    /// @notice Locks `gain`, released linearly over the unlock period.
    function lockProfit(Books storage books, uint256 gain) internal {
        ProfitLock memory next = ProfitLockLib.addGain(
            books.profitLock,
            gain,
            books.profitUnlockSeconds,
            block.timestamp
        );
        books.profitLock = next;
        emit IReserveVault.ProfitLocked(gain, next.locked, next.unlockEnd);
    }

    /// @notice Books `loss` at once, locked profit absorbing it first; returns what was absorbed.
    function recognizeLoss(Books storage books, uint256 loss) internal returns (uint256 absorbed) {
        ProfitLock memory next;
        (next, absorbed) = ProfitLockLib.absorbLoss(books.profitLock, loss, block.timestamp);
        books.profitLock = next;
        emit IReserveVault.LossRecognized(loss, absorbed);
    }

    /// @notice What an entry is priced on: total assets plus what write-offs may still recover, so that
    /// an entrant after a write-off gains nothing when the issuer pays.
    function entryAssets(Books storage books) internal view returns (uint256 assets) {
        assets = totalAssets(books);
        if (books.recovering) assets += books.recoverable;
    }

    /// @dev `recoverable` and its flag beside idle, kept together; `left` is at most what it was.
    function _setRecoverable(Books storage books, uint256 left) private {
        (books.recoverable, books.recovering) = (uint112(left), left != 0);
    }
}

import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  IRequestManagerLike__factory,
  SandboxAsyncRequestManager__factory,
  SandboxAsyncVault__factory,
  SandboxBalanceSheet__factory,
  SandboxFullRestrictions__factory,
  SandboxShareToken__factory,
  SandboxUSDC__factory,
} from "../../../typechain-types";
import { CENTRIFUGE_IDS } from "../../../src/addresses";
import { MODE, mainnet } from "../../helpers/mainnet";

const USDC = 10n ** 6n;
const ESCROW_HOOK_ID = "0x000000000000000000000000000000000001CF60";

async function centrifuge() {
  const { driver, book } = await loadFixture(mainnet);
  const [, alice, bob] = await ethers.getSigners();
  const vault = SandboxAsyncVault__factory.connect(book.JTRSY_VAULT, alice!);
  const usdc = SandboxUSDC__factory.connect(book.USDC, alice!);
  const jtrsy = SandboxShareToken__factory.connect(book.JTRSY, alice!);
  // The custom errors of the request manager and the hook, which the vault and token pass on.
  const manager = SandboxAsyncRequestManager__factory.connect(book.CENTRIFUGE_ASYNC_REQUEST_MANAGER, alice!);
  const hook = SandboxFullRestrictions__factory.connect(await jtrsy.hook(), alice!);
  const escrow = await SandboxBalanceSheet__factory.connect(book.CENTRIFUGE_BALANCE_SHEET, alice!).escrow(
    CENTRIFUGE_IDS.JTRSY.poolId,
  );
  await driver.fundUsdc(alice!.address, 1_000_000n * USDC);
  await usdc.approve(vault, ethers.MaxUint256);
  return { driver, book, alice: alice!, bob: bob!, vault, usdc, jtrsy, manager, hook, escrow };
}

describe(`Centrifuge V3 JTRSY conformance (${MODE})`, function () {
  it("is wired as on mainnet: share token, hook, request manager, pool and share class, one token for two vaults", async function () {
    const { book, vault, jtrsy, manager } = await loadFixture(centrifuge);
    expect(await jtrsy.decimals()).to.equal(6n);
    expect(await jtrsy.hook()).to.equal(book.CENTRIFUGE_FULL_RESTRICTIONS);
    expect(await vault.manager()).to.equal(book.CENTRIFUGE_ASYNC_REQUEST_MANAGER);
    expect(await vault.share()).to.equal(book.JTRSY);
    expect(await vault.poolId()).to.equal(CENTRIFUGE_IDS.JTRSY.poolId);
    expect(await vault.scId()).to.equal(CENTRIFUGE_IDS.JTRSY.scId);
    expect(await jtrsy.vault(book.USDC), "ERC-7575: the USDC vault").to.equal(book.JTRSY_VAULT);
    expect(await jtrsy.vault(book.USDS), "and the USDS vault, of the same share").to.equal(book.JTRSY_VAULT_USDS);
    const usdsVault = SandboxAsyncVault__factory.connect(book.JTRSY_VAULT_USDS, ethers.provider);
    expect(await usdsVault.share()).to.equal(book.JTRSY);
    expect(await usdsVault.asset()).to.equal(book.USDS);
    expect(await manager.poolEscrow(CENTRIFUGE_IDS.JTRSY.poolId)).to.not.equal(ethers.ZeroAddress);
  });

  it("refuses bad requests with V3's custom errors: not a member, zero, not the owner, short balance", async function () {
    const { vault, manager, alice, bob, driver } = await loadFixture(centrifuge);
    await expect(vault.requestDeposit(1_000n * USDC, alice, alice)).to.be.revertedWithCustomError(
      manager,
      "TransferNotAllowed",
    );
    await driver.allowlist("JTRSY", alice.address);
    await expect(vault.requestDeposit(0n, alice, alice)).to.be.revertedWithCustomError(manager, "ZeroAmountNotAllowed");
    await expect(vault.connect(bob).requestDeposit(1n, alice, alice)).to.be.revertedWithCustomError(
      vault,
      "InvalidOwner",
    );
    await expect(vault.requestDeposit(10n ** 15n, alice, alice)).to.be.revertedWithCustomError(
      vault,
      "InsufficientBalance",
    );
  });

  it("deposit: pending → approved and issued → claimable → claimed with mint(maxMint); custody in the pool escrow", async function () {
    const { driver, vault, usdc, jtrsy, alice, bob, escrow, hook } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    const escrowBefore = await usdc.balanceOf(escrow);
    await expect(vault.requestDeposit(1_000n * USDC, alice, alice))
      .to.emit(vault, "DepositRequest")
      .withArgs(alice.address, alice.address, 0n, alice.address, 1_000n * USDC);
    expect((await usdc.balanceOf(escrow)) - escrowBefore, "custody moved at once").to.equal(1_000n * USDC);
    expect(await vault.pendingDepositRequest(0, alice)).to.equal(1_000n * USDC);

    const fill = await driver.approveCentrifugeDeposit(alice.address, { shares: 950n * USDC });
    expect(await vault.maxMint(alice), "issued, not yet notified").to.equal(0n);
    await driver.notifyCentrifugeDeposit(alice.address, fill);
    expect(await vault.pendingDepositRequest(0, alice)).to.equal(0n);
    // The weighted price is rounded down, so the claimable assets come out one unit short.
    expect(await vault.claimableDepositRequest(0, alice)).to.equal(1_000n * USDC - 1n);
    expect(await vault.maxMint(alice)).to.equal(950n * USDC);

    // A receiver that is not a member cannot be paid shares: the hook blocks the escrow's transfer.
    await expect(
      vault["mint(uint256,address,address)"](950n * USDC, bob, alice),
      "a claim to a non-member",
    ).to.be.revertedWithCustomError(hook, "TransferBlocked");
    // V3's Deposit names the controller first, then the receiver.
    await driver.allowlist("JTRSY", bob.address);
    await expect(vault["mint(uint256,address,address)"](950n * USDC, bob, alice))
      .to.emit(vault, "Deposit")
      .withArgs(alice.address, bob.address, anyValue, 950n * USDC);
    expect(await jtrsy.balanceOf(bob)).to.equal(950n * USDC);
    expect(await vault.maxMint(alice)).to.equal(0n);
    // A zero claim succeeds and pays nothing.
    await vault["mint(uint256,address)"](0n, alice);
  });

  it("redeem: shares to the escrow on request, proceeds claimable after revocation, claimed with withdraw(maxWithdraw)", async function () {
    const { driver, vault, usdc, jtrsy, alice } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    await vault["mint(uint256,address)"](await vault.maxMint(alice), alice);
    const shares = await jtrsy.balanceOf(alice);
    await expect(vault.requestRedeem(shares, alice, alice))
      .to.emit(vault, "RedeemRequest")
      .withArgs(alice.address, alice.address, 0n, alice.address, shares);
    expect(await jtrsy.balanceOf(alice)).to.equal(0n);
    expect(await vault.pendingRedeemRequest(0, alice)).to.equal(shares);
    await driver.fulfilJtrsyRedeem(alice.address);
    const paid = await vault.maxWithdraw(alice);
    expect(paid).to.be.closeTo(1_000n * USDC, 2n);
    const before = await usdc.balanceOf(alice);
    await vault.withdraw(paid, alice, alice);
    expect((await usdc.balanceOf(alice)) - before).to.equal(paid);
    expect(await vault.maxWithdraw(alice)).to.equal(0n);
  });

  it("a redemption request needs the owner and the controller to be current members; an ERC-20 allowance lets another file it", async function () {
    const { driver, vault, jtrsy, manager, alice, bob } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    await vault["mint(uint256,address)"](await vault.maxMint(alice), alice);
    expect(await jtrsy.checkTransferRestriction(alice, ESCROW_HOOK_ID, 0n), "a member may").to.equal(true);
    // bob is not a member: as controller of alice's shares he is refused.
    await expect(vault.requestRedeem(1n * USDC, bob, alice)).to.be.revertedWithCustomError(
      manager,
      "TransferNotAllowed",
    );
    // alice's own membership lapses: her own request is refused (V2 refused only frozen holders).
    await driver.setJtrsyMembership(alice.address, (await driver.now()) + 60n);
    await driver.advanceTime(120);
    expect(await jtrsy.checkTransferRestriction(alice, ESCROW_HOOK_ID, 0n)).to.equal(false);
    await expect(vault.requestRedeem(1n * USDC, alice, alice)).to.be.revertedWithCustomError(
      manager,
      "TransferNotAllowed",
    );
    await driver.allowlist("JTRSY", alice.address);
    await driver.allowlist("JTRSY", bob.address);
    // Not an operator, but holding alice's allowance, bob files her request.
    await jtrsy.approve(bob, 10n * USDC);
    await vault.connect(bob).requestRedeem(10n * USDC, alice, alice);
    expect(await vault.pendingRedeemRequest(0, alice)).to.equal(10n * USDC);
    expect(await jtrsy.allowance(alice, bob)).to.equal(0n);
  });

  it("a cancellation is answered at once while not approved, and waits for the next answer once approved", async function () {
    const { driver, vault, manager, usdc, alice } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await expect(vault.cancelDepositRequest(0, alice))
      .to.emit(vault, "CancelDepositRequest")
      .withArgs(alice.address, 0n, alice.address)
      .and.to.emit(vault, "CancelDepositClaimable")
      .withArgs(alice.address, 0n, 1_000n * USDC);
    expect(await vault.pendingCancelDepositRequest(0, alice)).to.equal(false);
    expect(await vault.pendingDepositRequest(0, alice)).to.equal(0n);
    expect(await vault.claimableCancelDepositRequest(0, alice)).to.equal(1_000n * USDC);
    const before = await usdc.balanceOf(alice);
    // V3's cancel-claim event names the controller first, then the receiver.
    await expect(vault.claimCancelDepositRequest(0, alice, alice))
      .to.emit(vault, "CancelDepositClaim")
      .withArgs(alice.address, alice.address, 0n, alice.address, 1_000n * USDC);
    expect((await usdc.balanceOf(alice)) - before).to.equal(1_000n * USDC);

    // Approved in part before the cancellation: it waits, and blocks new requests, until the notification
    // returns what was not filled.
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    const fill = await driver.approveCentrifugeDeposit(alice.address, { assets: 400n * USDC });
    await vault.cancelDepositRequest(0, alice);
    expect(await vault.pendingCancelDepositRequest(0, alice)).to.equal(true);
    expect(await vault.claimableCancelDepositRequest(0, alice)).to.equal(0n);
    await expect(vault.requestDeposit(1n, alice, alice)).to.be.revertedWithCustomError(
      manager,
      "CancellationIsPending",
    );
    await driver.notifyCentrifugeDeposit(alice.address, fill);
    expect(await vault.pendingCancelDepositRequest(0, alice)).to.equal(false);
    expect(await vault.claimableCancelDepositRequest(0, alice)).to.equal(600n * USDC);
    expect(await vault.maxMint(alice)).to.equal(fill.shares);
  });

  it("a redemption's cancellation returns the shares, to a member", async function () {
    const { driver, vault, jtrsy, alice } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    await vault["mint(uint256,address)"](await vault.maxMint(alice), alice);
    const shares = await jtrsy.balanceOf(alice);
    await vault.requestRedeem(shares, alice, alice);
    await expect(vault.cancelRedeemRequest(0, alice))
      .to.emit(vault, "CancelRedeemClaimable")
      .withArgs(alice.address, 0n, shares);
    await expect(vault.claimCancelRedeemRequest(0, alice, alice))
      .to.emit(vault, "CancelRedeemClaim")
      .withArgs(alice.address, alice.address, 0n, alice.address, shares);
    expect(await jtrsy.balanceOf(alice)).to.equal(shares);
  });

  it("membership: expiring, kept frozen across an update, and hiding fills from views but not from the raw state", async function () {
    const { driver, book, vault, jtrsy, hook, alice } = await loadFixture(centrifuge);
    await expect(
      driver.setJtrsyMembership(alice.address, (await driver.now()) - 1n),
      "an expiry in the past",
    ).to.be.rejectedWith(/InvalidValidUntil|reverted/);
    await driver.allowlist("JTRSY", alice.address);
    await vault.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address);
    const filled = await vault.maxMint(alice);
    await driver.freezeCentrifuge("JTRSY", alice.address, true);
    await driver.setJtrsyMembership(alice.address, 2n ** 64n - 1n);
    expect(await hook.isFrozen(book.JTRSY, alice), "the freeze survives the update").to.equal(true);
    expect(await vault.maxMint(alice), "a frozen member sees nothing").to.equal(0n);
    await driver.freezeCentrifuge("JTRSY", alice.address, false);
    expect(await vault.maxMint(alice)).to.equal(filled);

    await driver.setJtrsyMembership(alice.address, (await driver.now()) + 60n);
    await driver.advanceTime(120);
    const [valid, until] = await hook.isMember(book.JTRSY, alice);
    expect(valid).to.equal(false);
    expect(until).to.be.gt(0n);
    expect(await vault.maxMint(alice), "hidden from a lapsed member").to.equal(0n);
    const manager = IRequestManagerLike__factory.connect(book.CENTRIFUGE_ASYNC_REQUEST_MANAGER, alice);
    expect((await manager.investments(book.JTRSY_VAULT, alice)).maxMint, "the raw state keeps it").to.equal(filled);
    expect(await jtrsy.balanceOf(alice)).to.equal(0n);
  });

  it("prices: previews revert, conversions at the spoke's price without an age check, dated by priceLastUpdated", async function () {
    const { driver, vault } = await loadFixture(centrifuge);
    await expect(vault.previewDeposit(1n)).to.be.reverted;
    await expect(vault.previewRedeem(1n)).to.be.reverted;
    await driver.setJtrsyPrice(1_100_000_000_000_000_000n);
    expect(await vault.convertToAssets(1_000n * USDC)).to.equal(1_100n * USDC);
    expect(await vault.pricePerShare()).to.equal(1_100_000n);
    const { computedAt } = await driver.jtrsyPrice();
    expect(await vault.priceLastUpdated()).to.equal(computedAt);
    expect(computedAt).to.be.lte(BigInt(await time.latest()));
    // An expired price is still served: V3 checks validity only where money moves.
    await driver.setCentrifugeMaxPriceAge(60n);
    await driver.advanceTime(3_600);
    expect(await vault.pricePerShare(), "stale, still read").to.equal(1_100_000n);
  });

  it("an operator may request and cancel for its controller", async function () {
    const { driver, vault, alice, bob } = await loadFixture(centrifuge);
    await driver.allowlist("JTRSY", alice.address);
    await expect(vault.connect(bob).cancelDepositRequest(0, alice)).to.be.revertedWithCustomError(
      vault,
      "InvalidController",
    );
    await expect(vault.setOperator(bob, true)).to.emit(vault, "OperatorSet").withArgs(alice.address, bob.address, true);
    await vault.connect(bob).requestDeposit(10n * USDC, alice, alice);
    expect(await vault.pendingDepositRequest(0, alice)).to.equal(10n * USDC);
    await vault.connect(bob).cancelDepositRequest(0, alice);
    expect(await vault.claimableCancelDepositRequest(0, alice)).to.equal(10n * USDC);
  });

  it("JAAA: the same code, its own pool, share class and escrow", async function () {
    const { driver, book, alice } = await loadFixture(centrifuge);
    const jaaa = SandboxAsyncVault__factory.connect(book.JAAA_VAULT, alice);
    expect(await jaaa.share()).to.equal(book.JAAA);
    expect(await jaaa.poolId()).to.equal(CENTRIFUGE_IDS.JAAA.poolId);
    expect(await jaaa.scId()).to.equal(CENTRIFUGE_IDS.JAAA.scId);
    expect(await jaaa.pricePerShare()).to.be.within(1_000_000n, 1_100_000n);
    await driver.setCentrifugeMembership("JAAA", alice.address, 2n ** 64n - 1n);
    await SandboxUSDC__factory.connect(book.USDC, alice).approve(jaaa, ethers.MaxUint256);
    await jaaa.requestDeposit(1_000n * USDC, alice, alice);
    await driver.fulfilJtrsyDeposit(alice.address, { vault: "JAAA_VAULT" });
    expect(await jaaa.maxMint(alice)).to.be.gt(0n);
  });
});

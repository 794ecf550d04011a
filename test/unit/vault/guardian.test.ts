import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Reason, USDC, threeAdapters } from "../../helpers/fixtures";

describe("ReserveVault › guardian and admin", function () {
  describe("pause / unpause", function () {
    it("only the guardian pauses; pausing twice reverts with EnforcedPause", async function () {
      const { vault, guardian, curator } = await loadFixture(threeAdapters);
      await expect(vault.connect(curator).pause()).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(vault.connect(guardian).pause()).to.emit(vault, "PausedSet").withArgs(guardian.address, true);
      expect(await vault.paused()).to.equal(true);
      await expect(vault.connect(guardian).pause()).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });

    it("the guardian or the admin unpauses; unpausing a live vault reverts with ExpectedPause", async function () {
      const { vault, guardian, admin, curator } = await loadFixture(threeAdapters);
      await expect(vault.connect(guardian).unpause()).to.be.revertedWithCustomError(vault, "ExpectedPause");
      await vault.connect(guardian).pause();
      await expect(vault.connect(curator).unpause()).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(vault.connect(admin).unpause()).to.emit(vault, "PausedSet").withArgs(admin.address, false);
    });

    it("mint is paused too; report and settle are not", async function () {
      const { vault, guardian, keeper, alice, adapters } = await loadFixture(threeAdapters);
      await vault.connect(guardian).pause();
      expect(await vault.maxMint(alice)).to.equal(0n);
      await expect(vault.connect(alice).mint(10n ** 18n, alice)).to.be.revertedWithCustomError(vault, "EnforcedPause");
      await vault.connect(keeper).report();
      await vault.connect(keeper).settle(adapters[0]!);
    });
  });

  describe("quarantine", function () {
    it("quarantines an adapter at its last value, once; unknown adapters revert with AdapterNotListed", async function () {
      const { vault, guardian, keeper, alice, adapters } = await loadFixture(threeAdapters);
      const a = await adapters[0]!.getAddress();
      await vault.connect(alice).deposit(100n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await expect(vault.connect(keeper).quarantine(a)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(vault.connect(guardian).quarantine(alice.address))
        .to.be.revertedWithCustomError(vault, "AdapterNotListed")
        .withArgs(alice.address);
      await expect(vault.connect(guardian).quarantine(a))
        .to.emit(vault, "AdapterQuarantined")
        .withArgs(a, Reason.Manual, 50n * USDC, 50n * USDC);
      await expect(vault.connect(guardian).quarantine(a))
        .to.be.revertedWithCustomError(vault, "AdapterIsQuarantined")
        .withArgs(a);
    });

    it("settle on a quarantined adapter books exactly what came back", async function () {
      const { vault, guardian, keeper, curator, alice, adapters } = await loadFixture(threeAdapters);
      const adapter = adapters[0]!;
      await adapter.setAsync(false, true);
      await vault.connect(alice).deposit(100n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await adapter.setLimits(0n, 2n ** 200n, 0n);
      await vault.connect(curator).setTargetWeight(adapter, 0n);
      await vault.connect(keeper).rebalance(); // requests 50 out
      await vault.connect(guardian).quarantine(adapter);
      await adapter.setLies(0n, true, 0n); // its valuation is broken too
      await adapter.fulfilRedeem(50n * USDC);
      await expect(vault.connect(keeper).settle(adapter))
        .to.emit(vault, "Settled")
        .withArgs(await adapter.getAddress(), keeper.address, 50n * USDC);
      expect((await vault.adapterConfig(adapter)).value).to.equal(0n);
      expect(await vault.totalAssets()).to.equal(100n * USDC);
    });

    it("settle reverts with AdapterNotListed for an unknown adapter", async function () {
      const { vault, keeper, alice } = await loadFixture(threeAdapters);
      await expect(vault.connect(keeper).settle(alice.address)).to.be.revertedWithCustomError(
        vault,
        "AdapterNotListed",
      );
    });
  });

  describe("removeKeeper", function () {
    it("the guardian removes a keeper, who can then no longer rebalance", async function () {
      const { vault, guardian, keeper, curator } = await loadFixture(threeAdapters);
      await expect(vault.connect(curator).removeKeeper(keeper)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(vault.connect(guardian).removeKeeper(keeper))
        .to.emit(vault, "KeeperRemoved")
        .withArgs(keeper.address, guardian.address);
      expect(await vault.hasRole(await vault.KEEPER_ROLE(), keeper)).to.equal(false);
      await expect(vault.connect(keeper).rebalance()).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("admin", function () {
    it("the admin role moves only through the two-step, delayed transfer", async function () {
      const { vault, admin, alice } = await loadFixture(threeAdapters);
      await expect(
        vault.connect(admin).grantRole(await vault.DEFAULT_ADMIN_ROLE(), alice),
      ).to.be.revertedWithCustomError(vault, "AccessControlEnforcedDefaultAdminRules");
      await vault.connect(admin).beginDefaultAdminTransfer(alice);
      await vault.connect(alice).acceptDefaultAdminTransfer();
      expect(await vault.defaultAdmin()).to.equal(alice.address);
    });
  });
});

import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Reason, USDC, deploySystem } from "../../helpers/fixtures";

describe("ReserveVault › settle", function () {
  async function asyncExit() {
    const system = await deploySystem(1, [10_000n]);
    const { vault, alice, keeper, curator, adapters } = system;
    const adapter = adapters[0]!;
    await adapter.setAsync(false, true);
    await adapter.setLimits(0n, 2n ** 200n, 0n);
    await vault.connect(alice).deposit(1_000n * USDC, alice);
    await vault.connect(keeper).rebalance();
    await vault.connect(curator).setTargetWeight(adapter, 5_000n);
    await vault.connect(keeper).rebalance(); // 500 requested out
    return system;
  }

  it("reverts with AccessControlUnauthorizedAccount for anyone but a keeper", async function () {
    const { vault, alice, adapters } = await loadFixture(asyncExit);
    await expect(vault.connect(alice).settle(adapters[0]!)).to.be.revertedWithCustomError(
      vault,
      "AccessControlUnauthorizedAccount",
    );
  });

  it("re-bases on the live value when a fulfilment prices within the deviation bound", async function () {
    const { vault, keeper, adapters } = await loadFixture(asyncExit);
    await adapters[0]!.fulfilRedeem(504n * USDC); // +0.4 % of the position: within 1 %
    await expect(vault.connect(keeper).settle(adapters[0]!))
      .to.emit(vault, "ProfitLocked")
      .withArgs(4n * USDC, 4n * USDC, (v: bigint) => v > 0n);
    expect(await vault.idle()).to.equal(504n * USDC);
    expect((await vault.adapterConfig(adapters[0]!)).value).to.equal(500n * USDC);
    expect(await vault.totalAssets(), "the gain is locked").to.equal(1_000n * USDC);
  });

  it("books conservatively when the fulfilment moves value beyond the bound, and the report quarantines", async function () {
    const { vault, keeper, adapters } = await loadFixture(asyncExit);
    await adapters[0]!.fulfilRedeem(550n * USDC); // +5 % of the position
    await vault.connect(keeper).settle(adapters[0]!);
    expect(await vault.idle()).to.equal(550n * USDC);
    expect((await vault.adapterConfig(adapters[0]!)).value, "book drops by what came back").to.equal(450n * USDC);
    expect(await vault.totalAssets(), "gross unchanged: nothing believed beyond the cash").to.equal(1_000n * USDC);
    await expect(vault.connect(keeper).report())
      .to.emit(vault, "AdapterQuarantined")
      .withArgs(await adapters[0]!.getAddress(), Reason.Deviation, 450n * USDC, 500n * USDC);
  });
});

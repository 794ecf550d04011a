import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import {
  Erc4626Adapter__factory,
  FeeERC4626__factory,
  ReferenceERC4626__factory,
  SandboxUSDC__factory,
} from "../../../typechain-types";
import { impersonate } from "../../../src/sandbox/rpc";
import { breakAt, restoreCode } from "../../helpers/code";
import { MODE } from "../../helpers/mainnet";
import { DAY, USDC, investAndFill, reserveSystem } from "../../helpers/reserve";

const M = 1_000_000n * USDC;

/**
 * An adapter's instant-exit views say what `withdraw` would do now, whatever state its issuer is in:
 * zero liquidity and an unpayable cost (uint256 max) instead of a revert, and `withdraw` refuses what
 * they did not promise.
 */
describe(`instant-exit views under issuer faults (${MODE})`, function () {
  // A broken issuer stays with its test: the next file's fixtures are taken from a healthy chain.
  afterEach(() => restoreCode());

  async function holding() {
    const system = await reserveSystem();
    await investAndFill(system, { ustb: 5_000n, buidl: 5_000n });
    await system.driver.advanceTime(DAY);
    await system.driver.setUstbNav(await system.driver.ustbPrice());
    await system.driver.fundUstbRedemption(10n * M);
    return system;
  }

  const faults: Array<[string, (s: Awaited<ReturnType<typeof holding>>) => Promise<void>]> = [
    ["the USTB token is paused", (s) => s.driver.pauseUstb(true)],
    ["USTB's accounting is paused", (s) => s.driver.pauseUstbAccounting(true)],
    ["RedemptionIdle is paused", (s) => s.driver.pauseUstbRedemption(true)],
    ["the adapter's AllowList permission is revoked", async (s) => s.driver.revokeUstb(await s.ustb.getAddress())],
    ["RedemptionIdle reverts on every call", (s) => breakAt(s.book.USTB_REDEMPTION_IDLE)],
    ["the oracle went stale", (s) => s.driver.advanceTime(6n * DAY)],
  ];
  for (const [fault, apply] of faults) {
    it(`USTB when ${fault}: maxWithdraw 0, withdrawCost unpayable, withdraw refused`, async function () {
      const system = await loadFixture(holding);
      const { ustb, vault } = system;
      expect(await ustb.maxWithdraw(), "healthy before the fault").to.be.gt(0n);
      await apply(system);
      expect(await ustb.maxWithdraw()).to.equal(0n);
      expect(await ustb.withdrawCost(USDC)).to.equal(MaxUint256);
      await impersonate(ethers.provider, await vault.getAddress(), async (signer) => {
        await expect(ustb.connect(signer).withdraw(USDC)).to.be.reverted;
      });
      expect(await vault.maxWithdraw(system.alice), "the vault's view still answers").to.be.gte(0n);
    });
  }

  it("USTB when its oracle reverts: every view answers, as no price, no room and no age", async function () {
    const { ustb, vault, alice } = await loadFixture(holding);
    expect(await ustb.navUpdatedAt(), "healthy before the fault").to.be.gt(0n);
    expect(await ustb.maxRequestRedeem()).to.be.gt(0n);
    const token = new ethers.Contract(
      await ustb.USTB(),
      ["function superstateOracle() view returns (address)"],
      ethers.provider,
    );
    await breakAt(await token.getFunction("superstateOracle")());
    await expect(ustb.nav()).to.be.reverted;
    expect(await ustb.navUpdatedAt(), "no price: no age to report").to.equal(0n);
    expect(await ustb.maxDeposit(), "no entry without a price").to.equal(0n);
    expect(await ustb.maxWithdraw()).to.equal(0n);
    expect(await ustb.withdrawCost(USDC)).to.equal(MaxUint256);
    expect(await ustb.maxRequestRedeem(), "no request can carry its value").to.equal(0n);
    expect(await vault.maxWithdraw(alice), "the vault's view still answers").to.be.gte(0n);
  });

  it("USTB whose AllowList permission is revoked has no room for a redemption request", async function () {
    const { ustb, driver } = await loadFixture(holding);
    expect(await ustb.maxRequestRedeem()).to.be.gt(0n);
    await driver.revokeUstb(await ustb.getAddress());
    expect(await ustb.maxRequestRedeem()).to.equal(0n);
    expect(await ustb.maxDeposit()).to.equal(0n);
  });

  it("USTB asked for more than RedemptionIdle can pay: withdrawCost unpayable, withdraw refused with AmountTooLarge", async function () {
    const { ustb, vault } = await loadFixture(holding);
    const max = await ustb.maxWithdraw();
    expect(await ustb.withdrawCost(max), "the whole instant exit has a cost it can pay").to.be.lt(MaxUint256);
    expect(await ustb.withdrawCost(max + USDC)).to.equal(MaxUint256);
    await impersonate(ethers.provider, await vault.getAddress(), async (signer) => {
      await expect(ustb.connect(signer).withdraw(max + USDC))
        .to.be.revertedWithCustomError(ustb, "AmountTooLarge")
        .withArgs(max + USDC, 0n);
    });
  });

  it("an ERC-4626 target that reverts or cannot cover the amount: maxWithdraw 0, withdrawCost unpayable", async function () {
    const { vault, deployer, book, driver } = await loadFixture(holding);
    const target = await new ReferenceERC4626__factory(deployer).deploy(book.USDC);
    const adapter = await new Erc4626Adapter__factory(deployer).deploy(vault, target, 1_000n);
    await driver.fundUsdc(await adapter.getAddress(), 1_000n * USDC);
    await impersonate(ethers.provider, await vault.getAddress(), async (signer) => {
      await adapter.connect(signer).deposit(1_000n * USDC);
    });
    // No fee at a 1:1 rate: only the rounding allowance, one share's value rounded up (a unit: the
    // target's shares carry more decimals) plus a unit each side.
    expect(await adapter.withdrawCost(500n * USDC), "no fee: the rounding allowance").to.equal(3n);
    expect(await adapter.withdrawCost(1n), "the same for any amount").to.equal(3n);
    expect(await adapter.withdrawCost(2_000n * USDC), "more than it holds").to.equal(MaxUint256);
    await breakAt(await target.getAddress());
    expect(await adapter.maxWithdraw()).to.equal(0n);
    expect(await adapter.withdrawCost(USDC)).to.equal(MaxUint256);
  });

  it("an ERC-4626 target charging an exit fee: the quote covers what the exit costs, and none is given where the fee makes it fail", async function () {
    const { vault, deployer, book, driver } = await loadFixture(holding);
    const target = await new FeeERC4626__factory(deployer).deploy(book.USDC, 50n, deployer.address); // 0.5 %
    const adapter = await new Erc4626Adapter__factory(deployer).deploy(vault, target, 1_000n);
    await driver.fundUsdc(await adapter.getAddress(), 1_000n * USDC);
    await impersonate(ethers.provider, await vault.getAddress(), async (signer) => {
      await adapter.connect(signer).deposit(1_000n * USDC);
    });
    // The target's own maxWithdraw is the gross 1,000: between 1,000 / 1.005 and 1,000 the fee makes a
    // withdrawal fail, and the adapter gives no quote there.
    expect(await target.maxWithdraw(adapter)).to.equal(1_000n * USDC);
    expect(await adapter.withdrawCost(999n * USDC), "inside the fee band").to.equal(MaxUint256);
    const usdc = SandboxUSDC__factory.connect(book.USDC, ethers.provider);
    for (const assets of [1n, 123_456_789n, 500n * USDC, 995n * USDC]) {
      const quote = await adapter.withdrawCost(assets);
      expect(quote, `${assets}: quoted`).to.be.lt(MaxUint256);
      const snapshot = await ethers.provider.send("evm_snapshot", []);
      const before = (await adapter.totalAssets()) + (await usdc.balanceOf(vault));
      await impersonate(ethers.provider, await vault.getAddress(), async (signer) => {
        await adapter.connect(signer).withdraw(assets);
      });
      const after = (await adapter.totalAssets()) + (await usdc.balanceOf(vault));
      expect(before - after, `${assets}: the real cost within the quote`).to.be.lte(quote);
      await ethers.provider.send("evm_revert", [snapshot]);
    }
  });
});

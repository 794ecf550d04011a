import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  Erc4626Adapter__factory,
  MockERC20__factory,
  ReferenceERC4626__factory,
  SandboxUSDS__factory,
  SandboxUsdsPsmWrapper__factory,
  SandboxUSDC__factory,
} from "../../../typechain-types";
import { deployReserveVault } from "../../../src/deploy/vault";
import { LegKind, UNLIMITED, actors, planOf } from "../../helpers/fixtures";
import { MODE, mainnet } from "../../helpers/mainnet";

const WAD = 10n ** 18n;
const YEAR = 365n * 86_400n;

describe(`Erc4626Adapter through the vault (${MODE})`, function () {
  /** A USDS reserve routed into sUSDS; alice holds USDS bought through the PSM. */
  async function usdsVault() {
    const { driver, book } = await loadFixture(mainnet);
    const who = await actors();
    const { vault } = await deployReserveVault({
      deployer: who.deployer,
      asset: book.USDS,
      admin: who.admin,
      symbol: "rrUSDS",
    });
    await vault.connect(who.admin).grantRole(await vault.CURATOR_ROLE(), who.curator);
    await vault.connect(who.admin).grantRole(await vault.KEEPER_ROLE(), who.keeper);
    const adapter = await new Erc4626Adapter__factory(who.deployer).deploy(vault, book.SUSDS, 2_000n); // ≤ 20 %/yr
    const curator = vault.connect(who.curator);
    await curator.addAdapter(adapter);
    await curator.setCap(adapter, UNLIMITED);
    await curator.setRateLimit(adapter, UNLIMITED, 0n);
    await curator.setTargetWeight(adapter, 9_000n);
    await curator.setMaxSlippage(adapter, 1n);
    await curator.setMaxRebalanceLoss(1n); // an ERC-4626 entry rounds shares down by up to a unit
    await curator.setWithdrawOrder([adapter]);

    const usdc = SandboxUSDC__factory.connect(book.USDC, who.alice);
    const usds = SandboxUSDS__factory.connect(book.USDS, who.alice);
    const psm = SandboxUsdsPsmWrapper__factory.connect(book.USDS_PSM_WRAPPER, who.alice);
    await driver.fundUsdc(who.alice.address, 1_000_000n * 10n ** 6n);
    await usdc.approve(psm, ethers.MaxUint256);
    await psm.sellGem(who.alice, 1_000_000n * 10n ** 6n);
    await usds.approve(vault, ethers.MaxUint256);
    return { ...who, driver, book, vault, adapter, usds };
  }

  it("enters sUSDS, accrues the savings rate, reports it as a locked gain, and serves withdrawals", async function () {
    const { vault, adapter, usds, alice, keeper, driver } = await loadFixture(usdsVault);
    const held = await usds.balanceOf(alice);
    await vault.connect(alice).deposit(held, alice);
    await vault.connect(keeper).rebalance();
    expect((await vault.adapterConfig(adapter)).value).to.be.closeTo((held * 9_000n) / 10_000n, 2n);

    await driver.advanceTime(YEAR / 12n); // a month at 4.5 %
    const live = await adapter.totalAssets();
    expect(live).to.be.gt((await vault.adapterConfig(adapter)).value);
    await vault.connect(keeper).report();
    const gain = live - (held * 9_000n) / 10_000n;
    // sUSDS accrues every second between the read above and the report: 1 bp of tolerance.
    expect(await vault.lockedProfit()).to.be.closeTo(gain, gain / 10_000n);

    const max = await vault.maxWithdraw(alice);
    // Less the quoted exit cost: no fee, only a rounding allowance of a few wei (one share's value,
    // rounded up, + 2).
    expect(max, "idle plus all of sUSDS is instantly liquid").to.be.gte(held - 5n);
    await vault.connect(alice).withdraw((held * 95n) / 100n, alice, alice);
    expect(await usds.balanceOf(alice)).to.equal((held * 95n) / 100n);
  });

  it("refuses to enter a target whose exchange rate jumped above the ceiling (a donation)", async function () {
    const { vault, keeper, curator, deployer, alice } = await loadFixture(usdsVault);
    // A plain ERC-4626 over the same USDS, inflated by a donation after the adapter was deployed.
    const usds = SandboxUSDS__factory.connect(await vault.asset(), alice);
    const target = await new ReferenceERC4626__factory(deployer).deploy(usds);
    await usds.approve(target, ethers.MaxUint256);
    await target.connect(alice).deposit(1_000n * WAD, alice);
    const adapter = await new Erc4626Adapter__factory(deployer).deploy(vault, target, 2_000n);
    await vault.connect(curator).setTargetWeight((await vault.adapters())[0]!, 0n);
    await vault.connect(curator).addAdapter(adapter);
    await vault.connect(curator).setCap(adapter, UNLIMITED);
    await vault.connect(curator).setRateLimit(adapter, UNLIMITED, 0n);
    await vault.connect(curator).setTargetWeight(adapter, 5_000n);
    await vault.connect(alice).deposit(10_000n * WAD, alice);
    expect((await planOf(vault)).map((l) => l[1])).to.include(LegKind.Deposit);

    await usds.transfer(target, 100n * WAD); // +10 % at once
    expect(await adapter.exchangeRate()).to.be.gt(await adapter.rateCeiling());
    expect(await adapter.maxDeposit()).to.equal(0n);
    const target4626 = await adapter.getAddress();
    expect((await planOf(vault)).filter((l) => l[0] === target4626)).to.deep.equal([]);
    await vault.connect(keeper).rebalance();
    expect((await vault.adapterConfig(adapter)).value).to.equal(0n);
  });

  it("reverts with TargetAssetMismatch when the target is over another asset", async function () {
    const { vault, deployer } = await loadFixture(usdsVault);
    const other = await new MockERC20__factory(deployer).deploy("Other", "OTH", 18);
    const target = await new ReferenceERC4626__factory(deployer).deploy(other);
    const factory = new Erc4626Adapter__factory(deployer);
    await expect(factory.deploy(vault, target, 0n))
      .to.be.revertedWithCustomError(factory, "TargetAssetMismatch")
      .withArgs(await other.getAddress(), await vault.asset());
  });
});

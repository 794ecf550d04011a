import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxSUSDS__factory,
  SandboxUSDC__factory,
  SandboxUSDS__factory,
  SandboxUsdsPsmWrapper__factory,
} from "../../../typechain-types";
import { impersonate } from "../../../src/sandbox/rpc";
import { MODE, describeSandboxOnly, mainnet } from "../../helpers/mainnet";

const USDC = 10n ** 6n;
const WAD = 10n ** 18n;

async function sky() {
  const { driver, book } = await loadFixture(mainnet);
  const [, alice, bob] = await ethers.getSigners();
  const usdc = SandboxUSDC__factory.connect(book.USDC, alice!);
  const usds = SandboxUSDS__factory.connect(book.USDS, alice!);
  const susds = SandboxSUSDS__factory.connect(book.SUSDS, alice!);
  const psm = SandboxUsdsPsmWrapper__factory.connect(book.USDS_PSM_WRAPPER, alice!);
  await driver.fundUsdc(alice!.address, 10_000n * USDC);
  await usdc.approve(psm, ethers.MaxUint256);
  await usds.approve(psm, ethers.MaxUint256);
  await usds.approve(susds, ethers.MaxUint256);
  return { driver, book, alice: alice!, bob: bob!, usdc, usds, susds, psm };
}

describe(`Sky USDS, sUSDS and PSM conformance (${MODE})`, function () {
  it("the PSM swaps USDC and USDS at 1:1 scaled by 10^12, less its fees", async function () {
    const { psm, usds, alice } = await loadFixture(sky);
    const tin = await psm.tin();
    const out = await psm.sellGem.staticCall(alice, 1_000n * USDC);
    expect(out).to.equal(1_000n * WAD - (1_000n * WAD * tin) / WAD);
    const before = await usds.balanceOf(alice);
    await psm.sellGem(alice, 1_000n * USDC);
    expect((await usds.balanceOf(alice)) - before).to.equal(out);
    expect(await psm.to18ConversionFactor()).to.equal(10n ** 12n);
  });

  it("sUSDS accrues at ssr: a year at 4.5 % turns 1,000 USDS into about 1,045", async function () {
    const { psm, susds, alice } = await loadFixture(sky);
    await psm.sellGem(alice, 1_000n * USDC);
    const sharesBefore = await susds.balanceOf(alice);
    await susds.deposit(1_000n * WAD, alice);
    const shares = (await susds.balanceOf(alice)) - sharesBefore;
    await time.increase(365 * 86_400);
    const assets = await susds.convertToAssets(shares);
    expect(assets).to.be.closeTo(1_045n * WAD, 1n * WAD);
    const before = (await susds.chi()) as bigint;
    await susds.drip();
    expect(await susds.chi()).to.be.gt(before);
    await susds.redeem(shares, alice, alice);
  });
});

describeSandboxOnly(
  "Sky conformance (sandbox quirks)",
  "the sandbox keeps the PSM's fees on the wrapper; the real ones live on the LitePSM behind it",
  function () {
    it("PSM fees: tin on the way in, tout on the way out", async function () {
      const { psm, usds, usdc, alice } = await loadFixture(sky);
      const skyAdmin = await findWard(psm);
      await impersonate(ethers.provider, skyAdmin, async (signer) => {
        await psm.connect(signer).file(ethers.encodeBytes32String("tin"), WAD / 1_000n);
        await psm.connect(signer).file(ethers.encodeBytes32String("tout"), WAD / 500n);
      });
      const usdsStart = await usds.balanceOf(alice);
      await psm.sellGem(alice, 1_000n * USDC);
      expect((await usds.balanceOf(alice)) - usdsStart, "0.1 % tin").to.equal(999n * WAD);
      const before = await usdc.balanceOf(alice);
      await psm.buyGem(alice, 100n * USDC);
      expect((await usds.balanceOf(alice)) - usdsStart, "0.2 % tout").to.equal(
        999n * WAD - 100n * WAD - (100n * WAD) / 500n,
      );
      expect((await usdc.balanceOf(alice)) - before).to.equal(100n * USDC);
    });
  },
);

async function findWard(psm: ReturnType<typeof SandboxUsdsPsmWrapper__factory.connect>): Promise<string> {
  const { SANDBOX_ADMINS } = await import("../../../src/sandbox/install");
  expect(await psm.wards(SANDBOX_ADMINS.sky)).to.equal(1n);
  return SANDBOX_ADMINS.sky;
}

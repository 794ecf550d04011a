import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseParams } from "../../../src/deploy/params";
import { configure, deploy, handover, verify } from "../../../src/deploy/system";
import { Erc7540Adapter__factory, ReserveVault__factory, SandboxUSDC__factory } from "../../../typechain-types";
import { CENTRIFUGE_IDS } from "../../../src/addresses";
import { MODE, mainnet } from "../../helpers/mainnet";

const USDC = 10n ** 6n;
const PARAMS = path.join(__dirname, "..", "..", "..", "deploy", "params", "hardhat.json");

/** JAAA, Centrifuge's AAA CLO fund, as a deployment parameter entry: the ERC-7540 adapter, no new code. */
const JAAA_ENTRY = {
  kind: "erc7540",
  name: "JAAA",
  target: "JAAA_VAULT",
  weightBps: 0,
  cap: "100000000000000",
  rateLimit: { maxAmount: "100000000000000", slopePerSecond: "1157407407" },
  maxSlippageBps: 1,
  navGuard: { maxNavAgeSeconds: 604800, maxNavDeviationBps: 100 },
};

describe(`JAAA added by deployment parameters (${MODE})`, function () {
  async function withJaaa() {
    const { driver, book } = await loadFixture(mainnet);
    // The parameters' curator and keeper are the third and fourth of Hardhat's accounts.
    const [deployer, , curator, keeper] = await ethers.getSigners();
    const raw = JSON.parse(readFileSync(PARAMS, "utf8")) as { adapters: unknown[] };
    const params = parseParams({ ...raw, adapters: [...raw.adapters, JAAA_ENTRY] }, book);
    const ctx = { signer: deployer!, book, network: "hardhat" };
    const deployment = await deploy(params, ctx);
    await configure(params, deployment, { ...ctx, driver });
    await handover(params, deployment, ctx);
    return { driver, book, params, deployment, deployer: deployer!, curator: curator!, keeper: keeper! };
  }

  it("deploys JAAA's adapter on its V3 vault, allowlists it on JAAA's list, lists it at 0 %, and verifies clean", async function () {
    const { book, params, deployment, driver } = await loadFixture(withJaaa);
    const jaaa = Erc7540Adapter__factory.connect(deployment.adapters["JAAA"]!, ethers.provider);
    expect(await jaaa.TARGET()).to.equal(book.JAAA_VAULT);
    expect(await jaaa.SHARE()).to.equal(book.JAAA);
    expect((await driver.centrifugeMembership("JAAA", await jaaa.getAddress())).valid, "on JAAA's list").to.equal(true);
    expect((await driver.centrifugeMembership("JTRSY", await jaaa.getAddress())).valid, "not JTRSY's").to.equal(false);
    const vault = ReserveVault__factory.connect(deployment.vault, ethers.provider);
    const config = await vault.adapterConfig(jaaa);
    expect(config.listed).to.equal(true);
    expect(config.targetWeightBps).to.equal(0n);
    expect(await verify(params, deployment, ethers.provider, book, { handoverComplete: false })).to.deep.equal([]);
  });

  it("given a weight, the keeper's rebalance requests a JAAA deposit; fulfilled by the hub, it settles into shares", async function () {
    const { book, deployment, driver, deployer, curator, keeper } = await loadFixture(withJaaa);
    const vault = ReserveVault__factory.connect(deployment.vault, deployer);
    const jaaa = Erc7540Adapter__factory.connect(deployment.adapters["JAAA"]!, ethers.provider);
    // JTRSY gives up 5 % (a cut takes effect at once); JAAA's weight up is a risk up: submitted, then
    // executed after the timelock.
    await vault.connect(curator).setTargetWeight(deployment.adapters["JTRSY"]!, 1_500n);
    await vault
      .connect(curator)
      .submit(vault.interface.encodeFunctionData("setTargetWeight", [await jaaa.getAddress(), 500n]));
    await time.increase(Number(await vault.timelockSeconds()) + 1);
    await vault.connect(curator).setTargetWeight(jaaa, 500n);
    expect((await vault.adapterConfig(jaaa)).targetWeightBps).to.equal(500n);

    await driver.fundUsdc(deployer.address, 10_000_000n * USDC);
    await SandboxUSDC__factory.connect(book.USDC, deployer).approve(vault, ethers.MaxUint256);
    await vault.deposit(10_000_000n * USDC, deployer);
    await vault.connect(keeper).rebalance();
    const pending = await jaaa.pendingDeposit();
    expect(pending, "a JAAA request at its weight").to.be.gt(0n);
    expect(await jaaa.depositRequestAssets()).to.equal(pending);

    await driver.fulfilJtrsyDeposit(await jaaa.getAddress(), { vault: "JAAA_VAULT" });
    await vault.connect(keeper).settle(jaaa);
    expect(await jaaa.pendingDeposit()).to.equal(0n);
    expect(await jaaa.totalAssets(), "the shares, at JAAA's price").to.be.closeTo(pending, 2n);
    expect(CENTRIFUGE_IDS.JAAA.poolId).to.not.equal(CENTRIFUGE_IDS.JTRSY.poolId);
  });
});

/**
 * Adapter overhead: each adapter's entry and exit paths, called as the vault would call them, next to
 * the bare issuer call a plain allowlisted holder makes for the same amount, measured in the same run.
 */
import { ethers } from "hardhat";
import { gasOf, type BenchCase } from "./measure";
import type { Signer } from "ethers";
import { impersonating } from "../../src/issuers/actors";
import { IssuerDriver } from "../../src/issuers/driver";
import { installEmulatedMainnet } from "../../src/sandbox/install";
import { impersonate } from "../../src/sandbox/rpc";
import { deployReserveVault } from "../../src/deploy/vault";
import {
  BuidlAdapter__factory,
  Erc4626Adapter__factory,
  Erc7540Adapter__factory,
  SandboxBuidlRedemption__factory,
  SandboxDSToken__factory,
  SandboxERC7540Vault__factory,
  SandboxRedemptionIdle__factory,
  SandboxSUSDS__factory,
  SandboxUSDC__factory,
  SandboxUSDS__factory,
  SandboxUsdsPsmWrapper__factory,
  SandboxUSTB__factory,
  UstbAdapter__factory,
} from "../../typechain-types";

const USDC = 10n ** 6n;
const WAD = 10n ** 18n;
const DAY = 86_400n;

export async function adapterCases(log: (line: string) => void): Promise<BenchCase[]> {
  const [deployer, holder] = await ethers.getSigners();
  if (!deployer || !holder) throw new Error("need 2 accounts");
  const rpc = ethers.provider;
  log("installing the emulated mainnet for the adapter benchmarks…");
  const book = await installEmulatedMainnet(rpc, deployer, impersonating(rpc));
  const driver = IssuerDriver.onHardhat(rpc, book);
  const { vault } = await deployReserveVault({ deployer, asset: book.USDC, admin: deployer });
  const vaultAddress = await vault.getAddress();
  const usdc = SandboxUSDC__factory.connect(book.USDC, holder);
  const cases: BenchCase[] = [];
  const pair = async (name: string, adapterOp: () => Promise<number>, bareOp: () => Promise<number>) => {
    cases.push({ name, adapters: 1, gas: await adapterOp(), referenceGas: await bareOp(), group: "adapter" });
  };
  const asVault = <T>(work: (signer: Signer) => Promise<T>) => impersonate(rpc, vaultAddress, work);

  // --- USTB
  const ustbAdapter = await new UstbAdapter__factory(deployer).deploy(
    vault,
    book.USDC,
    book.USTB,
    book.USTB_REDEMPTION_IDLE,
  );
  const ustb = SandboxUSTB__factory.connect(book.USTB, holder);
  const redemptionIdle = SandboxRedemptionIdle__factory.connect(book.USTB_REDEMPTION_IDLE, holder);
  for (const who of [await ustbAdapter.getAddress(), holder.address]) await driver.allowlist("USTB", who);
  await driver.fundUsdc(await ustbAdapter.getAddress(), 1_000_000n * USDC);
  await driver.fundUsdc(holder.address, 10_000_000n * USDC);
  await usdc.approve(ustb, ethers.MaxUint256);
  await usdc.approve(book.JTRSY_VAULT, ethers.MaxUint256);
  await driver.fundUstbRedemption(10_000_000n * USDC);
  await pair(
    "USTB subscribe",
    () => asVault((v) => gasOf(ustbAdapter.connect(v).deposit(1_000_000n * USDC))),
    () => gasOf(ustb["subscribe(uint256,address)"](1_000_000n * USDC, usdc)),
  );
  await ustb.approve(redemptionIdle, ethers.MaxUint256);
  const [ustbIn] = await redemptionIdle.calculateUstbIn(100_000n * USDC);
  await pair(
    "USTB instant redeem",
    () => asVault((v) => gasOf(ustbAdapter.connect(v).withdraw(100_000n * USDC))),
    () => gasOf(redemptionIdle["redeem(uint256)"](ustbIn)),
  );
  await pair(
    "USTB off-chain redeem",
    () => asVault((v) => gasOf(ustbAdapter.connect(v).requestRedeem(100_000n * USDC))),
    () => gasOf(ustb.transfer(ustb, ustbIn)),
  );

  // --- BUIDL (Circle facility) and BUIDL-I (off-chain redemption)
  const buidlAdapter = await new BuidlAdapter__factory(deployer).deploy(
    vault,
    book.USDC,
    book.BUIDL,
    book.BUIDL_REGISTRY,
    book.BUIDL_I_DEPOSIT,
    ethers.ZeroAddress,
    book.BUIDL_REDEMPTION,
    0n,
  );
  const buidl = SandboxDSToken__factory.connect(book.BUIDL, holder);
  const facility = SandboxBuidlRedemption__factory.connect(book.BUIDL_REDEMPTION, holder);
  for (const who of [await buidlAdapter.getAddress(), holder.address]) await driver.allowlist("BUIDL", who);
  await driver.fundUsdc(await buidlAdapter.getAddress(), 1_000_000n * USDC);
  await pair(
    "BUIDL subscribe (to deposit address)",
    () => asVault((v) => gasOf(buidlAdapter.connect(v).deposit(1_000_000n * USDC))),
    () => gasOf(usdc.transfer(book.BUIDL_I_DEPOSIT, 1_000_000n * USDC)),
  );
  await driver.issueBuidl("BUIDL", await buidlAdapter.getAddress(), 1_000_000n * USDC);
  await driver.issueBuidl("BUIDL", holder.address, 1_000_000n * USDC);
  await asVault((v) => buidlAdapter.connect(v).settle());
  await driver.advanceTime(DAY);
  await driver.fundBuidlRedemption(1_000_000n * USDC);
  await buidl.approve(facility, ethers.MaxUint256);
  await pair(
    "BUIDL instant redeem (facility)",
    () => asVault((v) => gasOf(buidlAdapter.connect(v).withdraw(100_000n * USDC))),
    () => gasOf(facility.redeem(100_000n * USDC)),
  );
  const buidlIAdapter = await new BuidlAdapter__factory(deployer).deploy(
    vault,
    book.USDC,
    book.BUIDL_I,
    book.BUIDL_REGISTRY,
    book.BUIDL_I_DEPOSIT,
    book.BUIDL_I_REDEMPTION,
    ethers.ZeroAddress,
    0n,
  );
  await driver.allowlist("BUIDL_I", await buidlIAdapter.getAddress());
  for (const who of [await buidlIAdapter.getAddress(), holder.address]) {
    await driver.issueBuidl("BUIDL_I", who, 1_000_000n * USDC);
  }
  await asVault((v) => buidlIAdapter.connect(v).settle());
  await driver.advanceTime(DAY);
  await pair(
    "BUIDL-I off-chain redeem",
    () => asVault((v) => gasOf(buidlIAdapter.connect(v).requestRedeem(100_000n * USDC))),
    () =>
      gasOf(SandboxDSToken__factory.connect(book.BUIDL_I, holder).transfer(book.BUIDL_I_REDEMPTION, 100_000n * USDC)),
  );

  // --- JTRSY (ERC-7540)
  const jtrsyAdapter = await new Erc7540Adapter__factory(deployer).deploy(vault, book.JTRSY_VAULT);
  const jtrsyVault = SandboxERC7540Vault__factory.connect(book.JTRSY_VAULT, holder);
  for (const who of [await jtrsyAdapter.getAddress(), holder.address]) await driver.allowlist("JTRSY", who);
  await driver.fundUsdc(await jtrsyAdapter.getAddress(), 1_000_000n * USDC);
  await pair(
    "JTRSY request deposit",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).deposit(1_000_000n * USDC))),
    () => gasOf(jtrsyVault.requestDeposit(1_000_000n * USDC, holder, holder)),
  );
  await driver.fulfilJtrsyDeposit(await jtrsyAdapter.getAddress());
  await driver.fulfilJtrsyDeposit(holder.address);
  await pair(
    "JTRSY claim deposit (settle)",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).settle())),
    async () => gasOf(jtrsyVault["mint(uint256,address)"](await jtrsyVault.maxMint(holder), holder)),
  );
  const shares = await SandboxDSToken__factory.connect(book.JTRSY, holder).balanceOf(holder);
  await pair(
    "JTRSY request redeem",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).requestRedeem(500_000n * USDC))),
    () => gasOf(jtrsyVault.requestRedeem(shares / 2n, holder, holder)),
  );
  await driver.fulfilJtrsyRedeem(await jtrsyAdapter.getAddress());
  await driver.fulfilJtrsyRedeem(holder.address);
  await pair(
    "JTRSY claim redeem (settle)",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).settle())),
    async () => gasOf(jtrsyVault.withdraw(await jtrsyVault.maxWithdraw(holder), holder, holder)),
  );

  // --- sUSDS (ERC-4626) in a USDS vault
  const { vault: usdsVault } = await deployReserveVault({ deployer, asset: book.USDS, admin: deployer });
  const susdsAdapter = await new Erc4626Adapter__factory(deployer).deploy(usdsVault, book.SUSDS, 2_000n);
  const usds = SandboxUSDS__factory.connect(book.USDS, holder);
  const susds = SandboxSUSDS__factory.connect(book.SUSDS, holder);
  const psm = SandboxUsdsPsmWrapper__factory.connect(book.USDS_PSM_WRAPPER, holder);
  await usdc.approve(psm, ethers.MaxUint256);
  await psm.sellGem(holder, 2_000_000n * USDC);
  await usds.transfer(susdsAdapter, 1_000_000n * WAD);
  await usds.approve(susds, ethers.MaxUint256);
  const asUsdsVault = <T>(work: (signer: Signer) => Promise<T>) => impersonate(rpc, usdsVault.target as string, work);
  await pair(
    "sUSDS deposit",
    () => asUsdsVault((v) => gasOf(susdsAdapter.connect(v).deposit(1_000_000n * WAD))),
    () => gasOf(susds.deposit(1_000_000n * WAD, holder)),
  );
  await pair(
    "sUSDS withdraw",
    () => asUsdsVault((v) => gasOf(susdsAdapter.connect(v).withdraw(100_000n * WAD))),
    () => gasOf(susds.withdraw(100_000n * WAD, holder, holder)),
  );
  return cases;
}

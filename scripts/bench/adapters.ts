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
  Bare7540Holder__factory,
  Erc7540Adapter__factory,
  SandboxBuidlRedemption__factory,
  SandboxDSToken__factory,
  SandboxAsyncVault__factory,
  SandboxRedemptionIdle__factory,
  SandboxSUSDS__factory,
  SandboxUSDC__factory,
  SandboxUSDS__factory,
  SandboxUsdsPsmWrapper__factory,
  SandboxUSTB__factory,
  UstbAdapter__factory,
} from "../../typechain-types";
import type { Bare7540Holder } from "../../typechain-types";
import { DEFAULT_SETTLE_TOLERANCE_BPS } from "../../src/deploy/params";
import { DOLLAR_DS_TERMS } from "../../src/deploy/system";

const USDC = 10n ** 6n;
const WAD = 10n ** 18n;
const DAY = 86_400n;

export async function adapterCases(log: (line: string) => void): Promise<BenchCase[]> {
  const signers = await ethers.getSigners();
  const [deployer, holder] = signers;
  // A third holder makes each bare call once before either side is measured, so that neither pays
  // the issuer's first-ever writes (a custody balance or a total supply created from zero): both sides
  // are measured as a holder's first such operation on an issuer already in use.
  const warmer = signers[3];
  if (!deployer || !holder || !warmer) throw new Error("need 4 accounts");
  const rpc = ethers.provider;
  log("installing the emulated mainnet for the adapter benchmarks…");
  const book = await installEmulatedMainnet(rpc, deployer, impersonating(rpc));
  const driver = IssuerDriver.onHardhat(rpc, book);
  const { vault } = await deployReserveVault({ deployer, asset: book.USDC, admin: deployer });
  const vaultAddress = await vault.getAddress();
  const holders = [holder, warmer] as const;
  const usdc = SandboxUSDC__factory.connect(book.USDC, holder);
  const usdcOf = (who: Signer) => usdc.connect(who);
  const cases: BenchCase[] = [];
  const pair = async (
    name: string,
    adapterOp: () => Promise<number>,
    bareOp: (who: (typeof holders)[number]) => Promise<number>,
  ) => {
    await bareOp(warmer);
    cases.push({ name, adapters: 1, gas: await adapterOp(), referenceGas: await bareOp(holder), group: "adapter" });
  };
  const asVault = <T>(work: (signer: Signer) => Promise<T>) => impersonate(rpc, vaultAddress, work);
  // A vault in use holds idle, as the holder holds USDC: proceeds paid to either land on a balance.
  await driver.fundUsdc(vaultAddress, 1_000n * USDC);

  // --- USTB
  const ustbAdapter = await new UstbAdapter__factory(deployer).deploy(
    vault,
    book.USDC,
    book.USTB,
    book.USTB_REDEMPTION_IDLE,
    DEFAULT_SETTLE_TOLERANCE_BPS,
  );
  const ustb = SandboxUSTB__factory.connect(book.USTB, holder);
  const redemptionIdle = SandboxRedemptionIdle__factory.connect(book.USTB_REDEMPTION_IDLE, holder);
  await driver.allowlist("USTB", await ustbAdapter.getAddress());
  await driver.fundUsdc(await ustbAdapter.getAddress(), 1_000_000n * USDC);
  for (const who of holders) {
    await driver.allowlist("USTB", who.address);
    await driver.fundUsdc(who.address, 10_000_000n * USDC);
    await usdcOf(who).approve(ustb, ethers.MaxUint256);
    await usdcOf(who).approve(book.JTRSY_VAULT, ethers.MaxUint256);
  }
  await driver.fundUstbRedemption(10_000_000n * USDC);
  await pair(
    "USTB subscribe",
    () => asVault((v) => gasOf(ustbAdapter.connect(v).deposit(1_000_000n * USDC))),
    (who) => gasOf(ustb.connect(who)["subscribe(uint256,address)"](1_000_000n * USDC, usdc)),
  );
  for (const who of holders) await ustb.connect(who).approve(redemptionIdle, ethers.MaxUint256);
  const [ustbIn] = await redemptionIdle.calculateUstbIn(100_000n * USDC);
  await pair(
    "USTB instant redeem",
    () => asVault((v) => gasOf(ustbAdapter.connect(v).withdraw(100_000n * USDC))),
    (who) => gasOf(redemptionIdle.connect(who)["redeem(uint256)"](ustbIn)),
  );
  await pair(
    "USTB off-chain redeem",
    () => asVault((v) => gasOf(ustbAdapter.connect(v).requestRedeem(100_000n * USDC))),
    (who) => gasOf(ustb.connect(who).transfer(ustb, ustbIn)),
  );

  // --- BUIDL (Circle facility) and BUIDL-I (off-chain redemption)
  const buidlAdapter = await new BuidlAdapter__factory(deployer).deploy(
    vault,
    book.USDC,
    book.BUIDL,
    book.BUIDL_REGISTRY,
    book.BUIDL_I_DEPOSIT,
    ethers.ZeroAddress,
    1n, // instant exit: Circle facility
    book.BUIDL_REDEMPTION,
    ethers.ZeroAddress, // no on-ramp: entries subscribe at the deposit address
    0n,
    DEFAULT_SETTLE_TOLERANCE_BPS,
    DOLLAR_DS_TERMS,
  );
  const buidl = SandboxDSToken__factory.connect(book.BUIDL, holder);
  const facility = SandboxBuidlRedemption__factory.connect(book.BUIDL_REDEMPTION, holder);
  for (const who of [await buidlAdapter.getAddress(), ...holders.map((h) => h.address)]) {
    await driver.allowlist("BUIDL", who);
  }
  await driver.fundUsdc(await buidlAdapter.getAddress(), 1_000_000n * USDC);
  await pair(
    "BUIDL subscribe (to deposit address)",
    () => asVault((v) => gasOf(buidlAdapter.connect(v).deposit(1_000_000n * USDC))),
    (who) => gasOf(usdcOf(who).transfer(book.BUIDL_I_DEPOSIT, 1_000_000n * USDC)),
  );
  for (const who of [await buidlAdapter.getAddress(), ...holders.map((h) => h.address)]) {
    await driver.issueBuidl("BUIDL", who, 1_000_000n * USDC);
  }
  await asVault((v) => buidlAdapter.connect(v).settle());
  await driver.advanceTime(DAY);
  await driver.fundBuidlRedemption(1_000_000n * USDC);
  for (const who of holders) await buidl.connect(who).approve(facility, ethers.MaxUint256);
  await pair(
    "BUIDL instant redeem (facility)",
    () => asVault((v) => gasOf(buidlAdapter.connect(v).withdraw(100_000n * USDC))),
    (who) => gasOf(facility.connect(who).redeem(100_000n * USDC)),
  );
  const buidlIAdapter = await new BuidlAdapter__factory(deployer).deploy(
    vault,
    book.USDC,
    book.BUIDL_I,
    book.BUIDL_REGISTRY,
    book.BUIDL_I_DEPOSIT,
    book.BUIDL_I_REDEMPTION,
    0n, // instant exit: none
    ethers.ZeroAddress,
    ethers.ZeroAddress, // no on-ramp: entries subscribe at the deposit address
    0n,
    DEFAULT_SETTLE_TOLERANCE_BPS,
    DOLLAR_DS_TERMS,
  );
  await driver.allowlist("BUIDL_I", await buidlIAdapter.getAddress());
  for (const who of [await buidlIAdapter.getAddress(), ...holders.map((h) => h.address)]) {
    await driver.issueBuidl("BUIDL_I", who, 1_000_000n * USDC);
  }
  await asVault((v) => buidlIAdapter.connect(v).settle());
  await driver.advanceTime(DAY);
  await pair(
    "BUIDL-I off-chain redeem",
    () => asVault((v) => gasOf(buidlIAdapter.connect(v).requestRedeem(100_000n * USDC))),
    (who) =>
      gasOf(SandboxDSToken__factory.connect(book.BUIDL_I, who).transfer(book.BUIDL_I_REDEMPTION, 100_000n * USDC)),
  );

  // --- JTRSY (ERC-7540)
  const jtrsyAdapter = await new Erc7540Adapter__factory(deployer).deploy(
    vault,
    book.JTRSY_VAULT,
    DEFAULT_SETTLE_TOLERANCE_BPS,
  );
  const jtrsyVault = SandboxAsyncVault__factory.connect(book.JTRSY_VAULT, holder);
  const everyone = [await jtrsyAdapter.getAddress(), ...holders.map((h) => h.address)];
  for (const who of everyone) await driver.allowlist("JTRSY", who);
  // As a deployment does: the vault on JTRSY's list too, so a redemption's proceeds are paid to it directly.
  await driver.allowlist("JTRSY", vaultAddress);
  await driver.fundUsdc(await jtrsyAdapter.getAddress(), 1_000_000n * USDC);
  const jtrsyShares = SandboxDSToken__factory.connect(book.JTRSY, holder);
  // Claims are compared with a claim made as an on-chain holder makes it: the claimable amount is the
  // issuer's state, read in the same call (an address reads it off-chain for free, a contract cannot).
  const claimers = [] as Bare7540Holder[];
  for (let i = 0; i < 2; i++) {
    const claimer = await new Bare7540Holder__factory(deployer).deploy(book.JTRSY_VAULT);
    const at = await claimer.getAddress();
    await driver.allowlist("JTRSY", at);
    await driver.fundUsdc(at, 1_000_000n * USDC);
    await (await claimer.requestDeposit(1_000_000n * USDC)).wait();
    claimers.push(claimer);
  }
  const claimPair = async (
    name: string,
    adapterOp: () => Promise<number>,
    claim: (c: Bare7540Holder) => Promise<number>,
  ) => {
    await claim(claimers[1]!);
    cases.push({
      name,
      adapters: 1,
      gas: await adapterOp(),
      referenceGas: await claim(claimers[0]!),
      group: "adapter",
    });
  };
  await pair(
    "JTRSY request deposit",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).deposit(1_000_000n * USDC))),
    (who) => gasOf(jtrsyVault.connect(who).requestDeposit(1_000_000n * USDC, who, who)),
  );
  for (const who of everyone) await driver.fulfilJtrsyDeposit(who);
  for (const claimer of claimers) await driver.fulfilJtrsyDeposit(await claimer.getAddress());
  await claimPair(
    "JTRSY claim deposit (settle)",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).settle())),
    (claimer) => gasOf(claimer.claimDeposit()),
  );
  for (const who of holders) {
    await jtrsyVault.connect(who)["mint(uint256,address)"](await jtrsyVault.maxMint(who), who);
  }
  for (const claimer of claimers) {
    await (await claimer.requestRedeem((await jtrsyShares.balanceOf(claimer)) / 2n)).wait();
  }
  await pair(
    "JTRSY request redeem",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).requestRedeem(500_000n * USDC))),
    async (who) => gasOf(jtrsyVault.connect(who).requestRedeem((await jtrsyShares.balanceOf(who)) / 2n, who, who)),
  );
  for (const who of [...everyone, ...(await Promise.all(claimers.map((c) => c.getAddress())))]) {
    await driver.fulfilJtrsyRedeem(who);
  }
  await claimPair(
    "JTRSY claim redeem (settle)",
    () => asVault((v) => gasOf(jtrsyAdapter.connect(v).settle())),
    (claimer) => gasOf(claimer.claimRedeem()),
  );

  // --- sUSDS (ERC-4626) in a USDS vault
  const { vault: usdsVault } = await deployReserveVault({ deployer, asset: book.USDS, admin: deployer });
  const susdsAdapter = await new Erc4626Adapter__factory(deployer).deploy(usdsVault, book.SUSDS, 2_000n);
  const usds = SandboxUSDS__factory.connect(book.USDS, holder);
  const susds = SandboxSUSDS__factory.connect(book.SUSDS, holder);
  const psm = SandboxUsdsPsmWrapper__factory.connect(book.USDS_PSM_WRAPPER, holder);
  for (const who of holders) {
    await usdcOf(who).approve(psm, ethers.MaxUint256);
    await psm.connect(who).sellGem(who, 2_001_000n * USDC);
    await usds.connect(who).approve(susds, ethers.MaxUint256);
  }
  await usds.transfer(susdsAdapter, 1_000_000n * WAD);
  await usds.transfer(usdsVault, 1_000n * WAD);
  const asUsdsVault = <T>(work: (signer: Signer) => Promise<T>) => impersonate(rpc, usdsVault.target as string, work);
  await pair(
    "sUSDS deposit",
    () => asUsdsVault((v) => gasOf(susdsAdapter.connect(v).deposit(1_000_000n * WAD))),
    (who) => gasOf(susds.connect(who).deposit(1_000_000n * WAD, who)),
  );
  await pair(
    "sUSDS withdraw",
    () => asUsdsVault((v) => gasOf(susdsAdapter.connect(v).withdraw(100_000n * WAD))),
    (who) => gasOf(susds.connect(who).withdraw(100_000n * WAD, who, who)),
  );
  return cases;
}

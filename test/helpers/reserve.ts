import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { getAddress, id } from "ethers";
import { deployReserveVault } from "../../src/deploy/vault";
import {
  BuidlAdapter__factory,
  Erc7540Adapter__factory,
  SandboxUSDC__factory,
  UstbAdapter__factory,
  type BuidlAdapter,
  type Erc7540Adapter,
  type ReserveVault,
  type SandboxUSDC,
  type UstbAdapter,
} from "../../typechain-types";
import type { IssuerBook } from "../../src/issuers/book";
import type { IssuerDriver } from "../../src/issuers/driver";
import { actors, UNLIMITED, type Actors } from "./fixtures";
import { mainnet } from "./mainnet";
import { DEFAULT_SETTLE_TOLERANCE_BPS } from "../../src/deploy/params";
import { DOLLAR_DS_TERMS } from "../../src/deploy/system";

export const USDC = 10n ** 6n;
export const DAY = 86_400n;
/** The vault's default maximum request age. */
export const MAX_REQUEST_AGE = 14n * DAY;

/** Where BUIDL (the class with Circle's facility) subscriptions go. The reference publishes only
 * BUIDL-I's deposit address; for BUIDL this is a labelled stand-in (on a fork, USDC simply lands there
 * and the driver issues the tokens, as the issuer would). */
export const BUIDL_DEPOSIT_STAND_IN = getAddress(`0x${id("reserve-router.stand-in.buidl-deposit").slice(26)}`);

export interface ReserveSystem extends Actors {
  driver: IssuerDriver;
  book: IssuerBook;
  usdc: SandboxUSDC;
  vault: ReserveVault;
  ustb: UstbAdapter;
  buidl: BuidlAdapter;
  buidlI: BuidlAdapter;
  jtrsy: Erc7540Adapter;
}

/**
 * A USDC ReserveVault on mainnet (emulated or forked) with the four real-product adapters listed and
 * allowlisted at their issuers, limits open, weights zero; alice and bob hold 10M USDC, approved.
 * BUIDL-I's minimum ticket is $250k (Securitize's follow-on minimum); BUIDL's $100k.
 */
export async function reserveSystem(): Promise<ReserveSystem> {
  const { driver, book } = await loadFixture(mainnet);
  const who = await actors();
  const usdc = SandboxUSDC__factory.connect(book.USDC, who.deployer);
  const { vault } = await deployReserveVault({ deployer: who.deployer, asset: book.USDC, admin: who.admin });
  await vault.connect(who.admin).grantRole(await vault.CURATOR_ROLE(), who.curator);
  await vault.connect(who.admin).grantRole(await vault.KEEPER_ROLE(), who.keeper);
  await vault.connect(who.admin).grantRole(await vault.GUARDIAN_ROLE(), who.guardian);

  const ustb = await new UstbAdapter__factory(who.deployer).deploy(
    vault,
    book.USDC,
    book.USTB,
    book.USTB_REDEMPTION_IDLE,
    DEFAULT_SETTLE_TOLERANCE_BPS,
  );
  const buidl = await new BuidlAdapter__factory(who.deployer).deploy(
    vault,
    book.USDC,
    book.BUIDL,
    book.BUIDL_REGISTRY,
    BUIDL_DEPOSIT_STAND_IN,
    ethers.ZeroAddress,
    1n, // instant exit: Circle facility
    book.BUIDL_REDEMPTION,
    ethers.ZeroAddress, // no on-ramp: entries subscribe at the deposit address
    100_000n * USDC,
    DEFAULT_SETTLE_TOLERANCE_BPS,
    DOLLAR_DS_TERMS,
  );
  const buidlI = await new BuidlAdapter__factory(who.deployer).deploy(
    vault,
    book.USDC,
    book.BUIDL_I,
    book.BUIDL_REGISTRY,
    book.BUIDL_I_DEPOSIT,
    book.BUIDL_I_REDEMPTION,
    0n, // instant exit: none
    ethers.ZeroAddress,
    ethers.ZeroAddress, // no on-ramp: entries subscribe at the deposit address
    250_000n * USDC,
    DEFAULT_SETTLE_TOLERANCE_BPS,
    DOLLAR_DS_TERMS,
  );
  const jtrsy = await new Erc7540Adapter__factory(who.deployer).deploy(
    vault,
    book.JTRSY_VAULT,
    DEFAULT_SETTLE_TOLERANCE_BPS,
  );

  await driver.allowlist("USTB", await ustb.getAddress());
  await driver.allowlist("BUIDL", await buidl.getAddress());
  await driver.allowlist("BUIDL_I", await buidlI.getAddress());
  await driver.allowlist("JTRSY", await jtrsy.getAddress());

  const curator = vault.connect(who.curator);
  for (const adapter of [ustb, buidl, buidlI, jtrsy]) {
    await curator.addAdapter(adapter);
    await curator.setCap(adapter, UNLIMITED);
    await curator.setRateLimit(adapter, UNLIMITED, 0n);
  }
  await curator.setMaxSlippage(ustb, 10n); // subscription fee (≤ 10 bps) and NAV rounding
  await curator.setMaxSlippage(jtrsy, 1n);
  await curator.setNavGuard(jtrsy, 7n * DAY, 100n); // epochs price daily at best
  await curator.setMaxRebalanceLoss(10n);
  await curator.setDriftBand(10n, 1_000n * USDC); // 0.1 % of total assets, at least $1,000
  await curator.setWithdrawOrder([ustb, buidl]);

  for (const user of [who.alice, who.bob]) {
    await driver.fundUsdc(user.address, 10_000_000n * USDC);
    await usdc.connect(user).approve(vault, ethers.MaxUint256);
  }
  return { ...who, driver, book, usdc, vault, ustb, buidl, buidlI, jtrsy };
}

type Product = "ustb" | "buidl" | "buidlI" | "jtrsy";

/**
 * Alice's $10M placed by `weightsBps` and every subscription filled: the BUIDL classes issue what
 * was sent, Centrifuge fulfils at its price, and the keeper settles each fill.
 */
export async function investAndFill(
  system: ReserveSystem,
  weightsBps: Partial<Record<Product, bigint>>,
): Promise<void> {
  const { vault, curator, keeper, alice, driver, buidl, buidlI, jtrsy } = system;
  for (const [product, weight] of Object.entries(weightsBps) as Array<[Product, bigint]>) {
    await vault.connect(curator).setTargetWeight(system[product], weight);
  }
  await vault.connect(alice).deposit(10n * 1_000_000n * USDC, alice);
  await vault.connect(keeper).rebalance();
  for (const [token, adapter] of [
    ["BUIDL", buidl],
    ["BUIDL_I", buidlI],
  ] as const) {
    const pending = await adapter.pendingDeposit();
    if (pending === 0n) continue;
    await driver.issueBuidl(token, await adapter.getAddress(), pending);
    await vault.connect(keeper).settle(adapter);
  }
  if ((await jtrsy.pendingDeposit()) > 0n) {
    await driver.fulfilJtrsyDeposit(await jtrsy.getAddress());
    await vault.connect(keeper).settle(jtrsy);
  }
}

/** Lets the default maximum request age pass, keeping USTB's NAV fresh (the oracle strikes daily). */
export async function pastRequestAge(system: ReserveSystem): Promise<void> {
  const { driver } = system;
  const price = await driver.ustbPrice();
  await driver.advanceTime(MAX_REQUEST_AGE + 1n);
  await driver.setUstbNav(price);
}

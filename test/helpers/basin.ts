import { ethers } from "hardhat";
import { loadFixture, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxDSToken__factory,
  SandboxExternalLiquidityProvider__factory,
  SandboxGroveBasin__factory,
  SandboxMbpsFeeManager__factory,
  SandboxSecuritizeNavProvider__factory,
  SandboxSecuritizeOffRamp__factory,
  SandboxUSDC__factory,
} from "../../typechain-types";
import { bookEntry } from "../../src/issuers/book";
import { mainnet } from "./mainnet";

const USDC = 10n ** 6n;
/** One dollar in a Grove rate provider's 27 decimals. */
export const RATE = 10n ** 27n;

export async function admin(address: string) {
  await setBalance(address, 10n ** 20n);
  return ethers.getImpersonatedSigner(address);
}

/**
 * The BUIDL Basin and Securitize's off-ramp as the emulated mainnet places them (swap USDS, collateral USDC,
 * credit BUIDL, all at $1), read-only, and alice holding 2M BUIDL past its lock-up, approved to the Basin
 * and the off-ramp. Use with `loadFixture`. Their owners act through the driver; a test that must sign as
 * one itself impersonates it then (`admin`): impersonation does not survive a fixture's snapshot.
 */
export async function buidlBasin() {
  const { driver, book } = await loadFixture(mainnet);
  const [, alice] = await ethers.getSigners();
  await driver.allowlist("BUIDL", alice!.address);
  await driver.issueBuidl("BUIDL", alice!.address, 2_000_000n * USDC);
  await driver.advanceTime(86_401); // past BUIDL's lock-up
  const pool = SandboxGroveBasin__factory.connect(bookEntry(book, "BUIDL_BASIN"), ethers.provider);
  const ramp = SandboxSecuritizeOffRamp__factory.connect(bookEntry(book, "BUIDL_OFF_RAMP"), ethers.provider);
  const provider = SandboxExternalLiquidityProvider__factory.connect(await ramp.liquidityProvider(), ethers.provider);
  const nav = SandboxSecuritizeNavProvider__factory.connect(await ramp.navProvider(), ethers.provider);
  const fees = SandboxMbpsFeeManager__factory.connect(await ramp.feeManager(), ethers.provider);
  const buidl = SandboxDSToken__factory.connect(book.BUIDL, alice!);
  await buidl.approve(pool, ethers.MaxUint256);
  await buidl.approve(ramp, ethers.MaxUint256);
  const usdc = SandboxUSDC__factory.connect(book.USDC, alice!);
  return {
    book,
    driver,
    pool,
    ramp,
    provider,
    nav,
    fees,
    alice: alice!,
    buidl,
    usdc,
  };
}

import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxDSToken__factory,
  SandboxGroveBasin__factory,
  SandboxRateProvider__factory,
  SandboxUSDC__factory,
} from "../../typechain-types";
import { mainnet } from "./mainnet";

const USDC = 10n ** 6n;
/** One dollar in a Grove rate provider's 27 decimals. */
export const RATE = 10n ** 27n;

/**
 * A BUIDL Basin as Grove's fork tests set one up (swap USDS, collateral USDC, credit BUIDL, all at $1)
 * holding 5M USDC, and alice holding 2M BUIDL past its lock-up, approved to the Basin. Use with
 * `loadFixture`.
 */
export async function buidlBasin() {
  const { driver, book } = await loadFixture(mainnet);
  const [owner, alice] = await ethers.getSigners();
  const providers = [];
  for (let i = 0; i < 3; i++) {
    const provider = await new SandboxRateProvider__factory(owner!).deploy();
    await provider.initialize(owner!.address, RATE);
    providers.push(provider);
  }
  const pool = await new SandboxGroveBasin__factory(owner!).deploy();
  const [swapRate, collateralRate, creditRate] = await Promise.all(providers.map((p) => p.getAddress()));
  await pool.initialize(owner!.address, [book.USDS, book.USDC, book.BUIDL], [swapRate!, collateralRate!, creditRate!]);
  for (const who of [await pool.getAddress(), alice!.address]) await driver.allowlist("BUIDL", who);
  await driver.fundUsdc(await pool.getAddress(), 5_000_000n * USDC);
  await driver.issueBuidl("BUIDL", alice!.address, 2_000_000n * USDC);
  await driver.advanceTime(86_401); // past BUIDL's lock-up
  const buidl = SandboxDSToken__factory.connect(book.BUIDL, alice!);
  await buidl.approve(pool, ethers.MaxUint256);
  const usdc = SandboxUSDC__factory.connect(book.USDC, alice!);
  return { book, driver, pool, providers, owner: owner!, alice: alice!, buidl, usdc };
}

import { ethers } from "hardhat";
import { FORK_HINT, forkSettings } from "../../src/config/environment";
import { impersonating } from "../../src/issuers/actors";
import { mainnetBook, type IssuerBook } from "../../src/issuers/book";
import { IssuerDriver } from "../../src/issuers/driver";
import { installEmulatedMainnet } from "../../src/sandbox/install";

/** The real fork this run uses, or undefined on the emulated mainnet. */
export const FORK = forkSettings();
export const MODE = FORK ? `real fork at block ${FORK.blockNumber}` : "emulated mainnet";

export interface Mainnet {
  driver: IssuerDriver;
  book: IssuerBook;
}

/**
 * Mainnet as the tests see it: on a real fork the issuers are already there; otherwise the sandbox
 * issuers are installed at the real addresses. Use with `loadFixture`.
 */
export async function mainnet(): Promise<Mainnet> {
  if (FORK) return { driver: IssuerDriver.onHardhat(ethers.provider), book: mainnetBook() };
  const [deployer] = await ethers.getSigners();
  const book = await installEmulatedMainnet(ethers.provider, deployer!, impersonating(ethers.provider));
  return { driver: IssuerDriver.onHardhat(ethers.provider, book), book };
}

/** A suite that needs a real fork; without one it is reported as pending with how to enable it. */
export function describeForkOnly(title: string, body: () => void): void {
  if (FORK) describe(`${title} (real fork)`, body);
  else describe.skip(`${title} — skipped, fork only: ${FORK_HINT}`, body);
}

/** A suite that pins our emulation itself (functions only the sandbox has); it does not run on a fork. */
export function describeSandboxOnly(title: string, body: () => void): void {
  if (FORK) describe.skip(`${title} — skipped on a real fork: it pins sandbox-only behaviour`, body);
  else describe(title, body);
}

import { ethers } from "hardhat";
import { FORK_HINT, forkSettings } from "../../src/config/environment";
import { impersonating } from "../../src/issuers/actors";
import { mainnetBook, type IssuerBook } from "../../src/issuers/book";
import { IssuerDriver } from "../../src/issuers/driver";
import { installEmulatedMainnet } from "../../src/sandbox/install";

/** The real fork this run uses, or undefined on the emulated mainnet. */
export const FORK = forkSettings();
export const MODE = !FORK
  ? "emulated mainnet"
  : FORK.source === "emulated"
    ? `fork of the emulated mainnet at block ${FORK.blockNumber}`
    : `real fork at block ${FORK.blockNumber}`;

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
  if (FORK) describe(`${title} (${MODE})`, body);
  else describe.skip(`${title} — skipped, fork only: ${FORK_HINT}`, body);
}

/**
 * A suite that pins our emulation itself and cannot run on a fork; `why` says in one line what only the
 * sandbox has. Everything an issuer's admin can do on the real contract belongs in an ordinary suite
 * (the driver impersonates the admins it reads from chain).
 */
export function describeSandboxOnly(title: string, why: string, body: () => void): void {
  if (FORK) describe.skip(`${title} — skipped on a fork: ${why}`, body);
  else describe(title, body);
}

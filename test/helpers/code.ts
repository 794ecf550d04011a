import { ethers } from "hardhat";

/** Each address whose code a test replaced, with the code it had before. */
const original = new Map<string, string>();

/**
 * Replaces the code at `address` (its storage kept), remembering what was there: `restoreCode` puts it
 * back. A fixture's snapshot is taken from the chain as it stands, so code left replaced after a file
 * would become part of the next file's fixtures when files share one process.
 */
export async function replaceCode(address: string, code: string): Promise<void> {
  if (!original.has(address)) original.set(address, await ethers.provider.getCode(address));
  await ethers.provider.send("hardhat_setCode", [address, code]);
}

/** Places code that reverts on every call at `address`: a broken issuer contract. */
export async function breakAt(address: string): Promise<void> {
  const stub = await (await ethers.getContractFactory("RevertingStub")).deploy();
  await replaceCode(address, await ethers.provider.getCode(await stub.getAddress()));
}

/** Puts back every code `replaceCode` replaced at `address`, or everywhere when none is given. */
export async function restoreCode(address?: string): Promise<void> {
  for (const [at, code] of [...original]) {
    if (address !== undefined && at.toLowerCase() !== address.toLowerCase()) continue;
    await ethers.provider.send("hardhat_setCode", [at, code]);
    original.delete(at);
  }
}

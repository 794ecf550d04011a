import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";

/**
 * Mines `sends` in one block, in the order given, as a searcher's bundle would land: nothing else can
 * happen between them and no time passes. Each send must carry its own gas limit (estimates against a
 * block still being filled would be wrong). Returns the receipts' statuses, all of which must be 1.
 */
export async function inOneBlock(sends: Array<() => Promise<ContractTransactionResponse>>): Promise<number[]> {
  await ethers.provider.send("evm_setAutomine", [false]);
  const sent: ContractTransactionResponse[] = [];
  try {
    for (const send of sends) sent.push(await send());
    await ethers.provider.send("evm_mine", []);
  } finally {
    await ethers.provider.send("evm_setAutomine", [true]);
  }
  const receipts = await Promise.all(sent.map((tx) => ethers.provider.getTransactionReceipt(tx.hash)));
  const blocks = new Set(receipts.map((r) => r?.blockNumber));
  if (blocks.size !== 1) throw new Error(`the bundle spread over blocks ${[...blocks].join(", ")}`);
  return receipts.map((r) => r?.status ?? -1);
}

/** A gas limit generous enough for any single vault call in these tests. */
export const GAS = { gasLimit: 6_000_000n };

/** MaliciousAdapter's triggers (its ON_* constants): which vault calls make it strike. */
export const ON_DEPOSIT = 1;
export const ON_WITHDRAW = 2;
export const ON_SETTLE = 8;

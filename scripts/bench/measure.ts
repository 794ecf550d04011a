import type { ContractTransactionResponse } from "ethers";

/** One benchmark row: our gas against a reference measured in the same run. */
export interface BenchCase {
  name: string;
  adapters: number;
  gas: number;
  referenceGas: number;
  /** "adapter" for an adapter's own path against the bare issuer call. */
  group?: "adapter";
}

/** The gas a transaction used, once mined. */
export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("transaction was not mined");
  return Number(receipt.gasUsed);
}

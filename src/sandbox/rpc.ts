import { JsonRpcProvider, JsonRpcSigner, type Signer } from "ethers";

/** The JSON-RPC surface the sandbox needs: the Hardhat provider and `hardhat node` both offer it. */
export interface JsonRpcLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(method: string, params: unknown[]): Promise<any>;
  getSigner(address: string): Promise<Signer>;
}

const GAS_MONEY = "0x56BC75E2D63100000"; // 100 ETH

/** Runs `work` as `address` on a Hardhat network (impersonated and funded with gas money). */
export async function impersonate<T>(
  rpc: JsonRpcLike,
  address: string,
  work: (signer: Signer) => Promise<T>,
): Promise<T> {
  await rpc.send("hardhat_impersonateAccount", [address]);
  await rpc.send("hardhat_setBalance", [address, GAS_MONEY]);
  try {
    // ethers' JsonRpcProvider.getSigner(address) accepts only the node's own accounts (eth_accounts),
    // which never list an impersonated one: against a node, sign through the address directly.
    const signer = rpc instanceof JsonRpcProvider ? new JsonRpcSigner(rpc, address) : await rpc.getSigner(address);
    return await work(signer);
  } finally {
    await rpc.send("hardhat_stopImpersonatingAccount", [address]);
  }
}

import { getAddress, type Signer } from "ethers";
import type { JsonRpcLike } from "../sandbox/rpc";
import { impersonate } from "../sandbox/rpc";

/** Runs `work` signed by `address`, however that network allows it. */
export type ActAs = <T>(address: string, work: (signer: Signer) => Promise<T>) => Promise<T>;

/** On a Hardhat network (in-process or a fork): impersonate whoever must sign. */
export function impersonating(rpc: JsonRpcLike): ActAs {
  return (address, work) => impersonate(rpc, address, work);
}

export class AdminKeyError extends Error {
  constructor(
    readonly required: string,
    readonly available: string,
  ) {
    super(
      `this action must be signed by ${required}, but the configured key is ${available}: ` +
        "use the key that deployed the sandbox issuers on this network (ISSUER_PRIVATE_KEY)",
    );
    this.name = "AdminKeyError";
  }
}

/** On a real network: only the one key we hold can sign; anything else is a clear error. */
export function withKey(signer: Signer): ActAs {
  return async (address, work) => {
    const own = getAddress(await signer.getAddress());
    if (getAddress(address) !== own) throw new AdminKeyError(getAddress(address), own);
    return work(signer);
  };
}

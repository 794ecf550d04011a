import { getAddress, id, Interface, Wallet, ZeroHash, type Provider, type Signer } from "ethers";
import { amountArg, UsageError } from "../cli/args";
import { ReserveVault__factory, RedeemQueue__factory } from "../../typechain-types";
import { VAULT, type Call, type Target } from "./actions";

/** The signer for an action: OPS_PRIVATE_KEY, or on a local node one of its accounts (--from, else the first). */
export async function opsSigner(
  hre: typeof import("hardhat"),
  network: string,
  from?: string,
): Promise<Signer & { address: string }> {
  const key = process.env.OPS_PRIVATE_KEY;
  if (key) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) {
      throw new UsageError("OPS_PRIVATE_KEY", "must be a 0x-prefixed 32-byte hex private key");
    }
    if (from) throw new UsageError("--from", "goes with a local node's accounts, not with OPS_PRIVATE_KEY; drop one");
    return new Wallet(key, hre.ethers.provider);
  }
  if (network !== "localhost" && network !== "hardhat") {
    throw new UsageError(
      "OPS_PRIVATE_KEY",
      `is not set: set it to the key of the account that acts on ${network}, or write the payload for governance with --safe or --timelock`,
    );
  }
  const accounts = (await hre.ethers.provider.send("eth_accounts", [])) as string[];
  const address = from ?? accounts[0];
  if (!address || !accounts.some((a) => a.toLowerCase() === address.toLowerCase())) {
    throw new UsageError(
      "--from",
      `${from} is not an account of this node; choose one of ${accounts.slice(0, 10).join(", ")}`,
    );
  }
  return hre.ethers.getSigner(getAddress(address));
}

const ERRORS = new Interface(
  [...ReserveVault__factory.abi, ...RedeemQueue__factory.abi].filter((f) => f.type === "error"),
);

/** A revert's data as a named error when the vault or its queue declares it. */
export function revertReason(error: unknown): string {
  const data =
    (error as { data?: string; error?: { data?: string } }).data ??
    (error as { error?: { data?: string } }).error?.data;
  if (typeof data === "string" && data.length >= 10) {
    try {
      const parsed = ERRORS.parseError(data);
      if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
    } catch {
      // not one of ours
    }
  }
  const message = (error as Error).message ?? String(error);
  const named =
    /reverted with custom error '([^']+)'/.exec(message) ?? /reverted with reason string '([^']+)'/.exec(message);
  return named
    ? named[1]!.replaceAll('"', "")
    : ((error as { shortMessage?: string }).shortMessage ?? message.split("\n")[0]!);
}

/**
 * Sends one call after checking what can be checked: the sender holds the role the call needs, and the
 * call succeeds in simulation (a revert is reported by its error's name, nothing sent).
 */
export async function sendChecked(signer: Signer & { address: string }, target: Target, call: Call): Promise<string> {
  const provider = signer.provider as Provider;
  if (call.roles && call.roles.length > 0) {
    const vault = ReserveVault__factory.connect(target.deployment.vault, provider);
    const hash = (role: string) => (role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role));
    let holds = false;
    for (const role of call.roles) holds ||= await vault.hasRole(hash(role), signer.address);
    if (!holds) {
      throw new UsageError(
        "--from",
        `${signer.address} holds none of ${call.roles.join(", ")} on the vault ${target.deployment.vault}; send from an account that does, or write the payload for governance with --safe or --timelock`,
      );
    }
  }
  try {
    await provider.call({ from: signer.address, to: call.to, data: call.data, value: call.value });
  } catch (error) {
    throw new Error(`${call.description}: the vault refuses it (${revertReason(error)}); nothing sent`);
  }
  const tx = await signer.sendTransaction({ to: call.to, data: call.data, value: call.value });
  await tx.wait();
  return tx.hash;
}

/** A holder's deposit (approve, then deposit), withdrawal or redemption, for `holder`. */
export async function holderCalls(
  provider: Provider,
  target: Target,
  action: "deposit" | "withdraw" | "redeem",
  amountText: string,
  holder: string,
): Promise<Call[]> {
  const vault = ReserveVault__factory.connect(target.deployment.vault, provider);
  const { address: asset, decimals, symbol } = target.asset;
  const shareDecimals = Number(await vault.decimals());
  const amount = amountArg(
    action === "redeem" ? "--shares" : "--amount",
    action === "redeem" ? shareDecimals : decimals,
  )(amountText);
  const to = target.deployment.vault;
  if (action === "deposit") {
    const erc20 = new Interface(["function approve(address spender, uint256 amount)"]);
    return [
      {
        to: asset,
        data: erc20.encodeFunctionData("approve", [to, amount]),
        value: 0n,
        description: `approve the vault to take ${amountText} ${symbol}`,
      },
      {
        to,
        data: VAULT.encodeFunctionData("deposit", [amount, holder]),
        value: 0n,
        description: `deposit ${amountText} ${symbol} for ${holder}`,
      },
    ];
  }
  if (action === "withdraw") {
    return [
      {
        to,
        data: VAULT.encodeFunctionData("withdraw", [amount, holder, holder]),
        value: 0n,
        description: `withdraw ${amountText} ${symbol} to ${holder}`,
      },
    ];
  }
  return [
    {
      to,
      data: VAULT.encodeFunctionData("redeem", [amount, holder, holder]),
      value: 0n,
      description: `redeem ${amountText} shares to ${holder}`,
    },
  ];
}

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Contract, getAddress, id, type Provider, type Signer } from "ethers";
import { ConfigError, type KeeperConfig } from "../config/keeper";
import { expectedChainId } from "../deploy/preflight";
import { probeChainId, RpcUnreachable } from "../net/probe";

/**
 * What the keeper and status check before their first tick, each failure one line naming the field and
 * the fix: the RPC answers and serves the network's chain, a contract is at the vault, it is a
 * ReserveVault, the key holds KEEPER_ROLE (unless nothing will be sent), and every calendar entry names
 * one of the vault's adapters.
 */
export async function startupChecks(
  provider: Provider,
  config: KeeperConfig,
  options: { network: string; signer?: Signer },
): Promise<void> {
  const rpcField = process.env.KEEPER_RPC_URL ? "KEEPER_RPC_URL" : "rpcUrl";
  let chainId: bigint;
  try {
    chainId = await probeChainId(config.rpcUrl);
  } catch (error) {
    if (!(error instanceof RpcUnreachable)) throw error;
    throw new ConfigError(
      rpcField,
      `${error.message}; start the node, or fix rpcUrl in the config (KEEPER_RPC_URL overrides it)`,
    );
  }
  const expected = expectedChainId(options.network);
  if (expected !== undefined && chainId !== expected) {
    throw new ConfigError(
      rpcField,
      `--network ${options.network} is chain ${expected} but ${config.rpcUrl} is chain ${chainId}; point it at a ${options.network} node or choose the network it serves`,
    );
  }
  const vaultField = process.env.KEEPER_VAULT ? "KEEPER_VAULT" : "vault";
  if ((await provider.getCode(config.vault)) === "0x") {
    throw new ConfigError(
      vaultField,
      `no contract at ${config.vault} on chain ${chainId}; set it to the vault in deployments/${options.network}.json`,
    );
  }
  const vault = new Contract(
    config.vault,
    [
      "function KEEPER_ROLE() view returns (bytes32)",
      "function hasRole(bytes32, address) view returns (bool)",
      "function adapters() view returns (address[])",
      "function previewRebalance() view returns ((address adapter, uint8 kind, uint256 amount)[])",
    ],
    provider,
  );
  let adapters: string[];
  try {
    const role = (await vault.getFunction("KEEPER_ROLE")()) as string;
    if (role !== id("KEEPER_ROLE")) throw new Error("another KEEPER_ROLE");
    adapters = ((await vault.getFunction("adapters")()) as string[]).map((a) => getAddress(a));
  } catch {
    throw new ConfigError(
      vaultField,
      `${config.vault} is a contract but not a ReserveVault (it does not answer KEEPER_ROLE() and adapters()); set it to the vault in deployments/${options.network}.json`,
    );
  }
  if (options.signer) {
    const keeper = await options.signer.getAddress();
    if (!((await vault.getFunction("hasRole")(id("KEEPER_ROLE"), keeper)) as boolean)) {
      throw new ConfigError(
        "KEEPER_PRIVATE_KEY",
        `${keeper} does not hold KEEPER_ROLE on the vault ${config.vault}; use the keeper's key, have governance grant it the role, or run with --dry-run`,
      );
    }
  }
  for (const adapter of Object.keys(config.calendar)) {
    if (!adapters.includes(getAddress(adapter))) {
      throw new ConfigError(
        `calendar.${adapter}`,
        `is not an adapter of the vault (its adapters: ${adapters.join(", ") || "none"}); a typo here leaves the adapter meant trading outside its window`,
      );
    }
  }
}

/**
 * The network's deployment record (`deployments/<network>.json`, or under `DEPLOYMENTS_DIR`), when one
 * exists and names a vault: the keeper and status then need no address in their config.
 */
export function readDeployment(
  network: string,
  directory = process.env.DEPLOYMENTS_DIR || "deployments",
): { vault: string; adapters: Record<string, string>; blockNumber?: number } | undefined {
  const file = path.join(directory, `${network}.json`);
  if (!existsSync(file)) return undefined;
  let record: { vault?: string; adapters?: Record<string, string>; blockNumber?: number };
  try {
    record = JSON.parse(readFileSync(file, "utf8")) as typeof record;
  } catch (error) {
    throw new ConfigError("--network", `${file} is not valid JSON (${(error as Error).message}); fix or remove it`);
  }
  if (!record.vault) return undefined;
  return {
    vault: record.vault,
    adapters: record.adapters ?? {},
    ...(typeof record.blockNumber === "number" ? { blockNumber: record.blockNumber } : {}),
  };
}

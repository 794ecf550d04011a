import { z } from "zod";
import { MAINNET_AS_OF } from "../addresses";

/**
 * The one place that reads the process environment for the toolchain. Every value is validated; a bad
 * one stops the program with a message naming the variable and the fix.
 */

/** Block the fork tests pin when `FORK_BLOCK` is not set: the block the address book is written for
 * (`MAINNET_AS_OF`), mainnet as it is today. */
export const DEFAULT_FORK_BLOCK = MAINNET_AS_OF.block;

export class EnvironmentError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "EnvironmentError";
  }
}

const forkSchema = z.object({
  MAINNET_RPC_URL: z
    .string()
    .url({ message: "must be an http(s) URL of an Ethereum mainnet archive node, e.g. https://host/v2/KEY" })
    .optional(),
  FORK_BLOCK: z.string().regex(/^\d+$/, { message: "must be a positive block number, e.g. 26500000" }).optional(),
  FORK_SOURCE: z
    .enum(["mainnet", "emulated"], {
      message: 'must be "mainnet" (an Ethereum archive node) or "emulated" (a node hosting the emulated mainnet)',
    })
    .optional(),
});

export interface ForkSettings {
  url: string;
  blockNumber: number;
  /** What the fork source hosts: Ethereum mainnet, or our emulated mainnet on a local chain-id-1 node
   * (`FORK_SOURCE=emulated`, set by scripts/fork-local.ts). */
  source: "mainnet" | "emulated";
}

/** The mainnet fork to run on, or undefined when `MAINNET_RPC_URL` is not set. */
export function forkSettings(env: NodeJS.ProcessEnv = process.env): ForkSettings | undefined {
  const parsed = forkSchema.safeParse({
    MAINNET_RPC_URL: env.MAINNET_RPC_URL || undefined,
    FORK_BLOCK: env.FORK_BLOCK || undefined,
    FORK_SOURCE: env.FORK_SOURCE || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EnvironmentError(String(issue.path[0]), issue.message);
  }
  const { MAINNET_RPC_URL, FORK_BLOCK, FORK_SOURCE } = parsed.data;
  if (MAINNET_RPC_URL === undefined) {
    for (const [name, value] of [
      ["FORK_BLOCK", FORK_BLOCK],
      ["FORK_SOURCE", FORK_SOURCE],
    ] as const) {
      if (value !== undefined) {
        throw new EnvironmentError(name, `is set but MAINNET_RPC_URL is not; set both, or unset ${name}`);
      }
    }
    return undefined;
  }
  return {
    url: MAINNET_RPC_URL,
    blockNumber: FORK_BLOCK === undefined ? DEFAULT_FORK_BLOCK : Number(FORK_BLOCK),
    source: FORK_SOURCE ?? "mainnet",
  };
}

/**
 * The date a local chain (the in-process network, `hardhat node`) starts its clock at, from
 * `LOCAL_CHAIN_START` (an ISO 8601 date): a chain in the past, as a fork of a past block is. Undefined
 * when unset: the chain starts at the wall clock.
 */
export function localChainStart(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.LOCAL_CHAIN_START || undefined;
  if (value === undefined) return undefined;
  if (
    !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw new EnvironmentError(
      "LOCAL_CHAIN_START",
      `"${value}" is not an ISO 8601 date; write e.g. 2025-04-15T00:00:00Z`,
    );
  }
  return new Date(value).toISOString();
}

/**
 * The chain id a local chain (the in-process network, `hardhat node`) reports, from `LOCAL_CHAIN_ID`.
 * Chain id 1 makes a local node a fork source Hardhat accepts (it forks historical blocks of chain 1
 * only); see scripts/fork-local.ts. Undefined when unset: Hardhat's default, 31337.
 */
export function localChainId(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.LOCAL_CHAIN_ID || undefined;
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value)) {
    throw new EnvironmentError("LOCAL_CHAIN_ID", `"${value}" is not a chain id; write a positive integer such as 1`);
  }
  return Number(value);
}

/** How to enable the fork-only tests, for skip messages. */
export const FORK_HINT =
  "set MAINNET_RPC_URL to an Ethereum mainnet archive RPC URL (and optionally FORK_BLOCK) to run against a real fork";

const networkSchema = z.object({
  ETHERSCAN_API_KEY: z.string().min(1).optional(),
  EXPLORER_API_URL: z
    .string()
    .url({ message: "must be the http(s) URL of an Etherscan-compatible API, e.g. https://explorer.example/api" })
    .optional(),
  EXPLORER_CHAIN_ID: z
    .string()
    .regex(/^[1-9]\d*$/, { message: "must be the explorer's chain id, e.g. 11155111" })
    .optional(),
  MAINNET_DEPLOY_RPC_URL: z
    .string()
    .url({ message: "must be an http(s) URL of an Ethereum mainnet RPC endpoint" })
    .optional(),
  LOCALHOST_RPC_URL: z.string().url({ message: "must be an http(s) URL, e.g. http://127.0.0.1:8545" }).optional(),
  SEPOLIA_RPC_URL: z.string().url({ message: "must be an http(s) URL of a Sepolia RPC endpoint" }).optional(),
  DEPLOYER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, { message: "must be a 0x-prefixed 32-byte hex private key" })
    .optional(),
});

export interface NetworkSettings {
  localhostUrl: string;
  sepolia?: { url: string; accounts: string[] };
  mainnet?: { url: string; accounts: string[] };
  etherscanApiKey?: string;
  /** An Etherscan-compatible explorer for a chain Etherscan does not serve (a Blockscout, a local one). */
  explorer?: { apiUrl: string; chainId: number };
}

/** RPC endpoints and the deployer key for networks other than the in-process one. */
export function networkSettings(env: NodeJS.ProcessEnv = process.env): NetworkSettings {
  const parsed = networkSchema.safeParse({
    ETHERSCAN_API_KEY: env.ETHERSCAN_API_KEY || undefined,
    EXPLORER_API_URL: env.EXPLORER_API_URL || undefined,
    EXPLORER_CHAIN_ID: env.EXPLORER_CHAIN_ID || undefined,
    MAINNET_DEPLOY_RPC_URL: env.MAINNET_DEPLOY_RPC_URL || undefined,
    LOCALHOST_RPC_URL: env.LOCALHOST_RPC_URL || undefined,
    SEPOLIA_RPC_URL: env.SEPOLIA_RPC_URL || undefined,
    DEPLOYER_PRIVATE_KEY: env.DEPLOYER_PRIVATE_KEY || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // The message names the variable and the rule, never the value (it may be a secret).
    throw new EnvironmentError(String(issue.path[0]), issue.message);
  }
  const {
    LOCALHOST_RPC_URL,
    SEPOLIA_RPC_URL,
    DEPLOYER_PRIVATE_KEY,
    MAINNET_DEPLOY_RPC_URL,
    ETHERSCAN_API_KEY,
    EXPLORER_API_URL,
    EXPLORER_CHAIN_ID,
  } = parsed.data;
  if ((EXPLORER_API_URL === undefined) !== (EXPLORER_CHAIN_ID === undefined)) {
    throw new EnvironmentError(
      EXPLORER_API_URL ? "EXPLORER_CHAIN_ID" : "EXPLORER_API_URL",
      "goes with the other: set EXPLORER_API_URL and EXPLORER_CHAIN_ID together, or neither",
    );
  }
  const accounts = DEPLOYER_PRIVATE_KEY ? [DEPLOYER_PRIVATE_KEY] : [];
  return {
    localhostUrl: LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
    ...(MAINNET_DEPLOY_RPC_URL ? { mainnet: { url: MAINNET_DEPLOY_RPC_URL, accounts } } : {}),
    ...(ETHERSCAN_API_KEY ? { etherscanApiKey: ETHERSCAN_API_KEY } : {}),
    ...(EXPLORER_API_URL ? { explorer: { apiUrl: EXPLORER_API_URL, chainId: Number(EXPLORER_CHAIN_ID) } } : {}),
    ...(SEPOLIA_RPC_URL
      ? { sepolia: { url: SEPOLIA_RPC_URL, accounts: DEPLOYER_PRIVATE_KEY ? [DEPLOYER_PRIVATE_KEY] : [] } }
      : {}),
  };
}

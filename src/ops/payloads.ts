import { AbiCoder, getAddress, Interface, keccak256, ZeroHash } from "ethers";
import { z } from "zod";
import type { Call } from "./actions";

/**
 * Calls written for governance instead of sent: a Safe Transaction Builder batch, or the calldata of
 * an OpenZeppelin TimelockController's schedule and execute.
 */

const hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/);
const address = z.string().refine((value) => {
  try {
    return getAddress(value) === value;
  } catch {
    return false;
  }
}, "a checksummed address");

/**
 * The Transaction Builder's batch file, as far as we fill it: `version` "1.0"; `chainId` as a decimal
 * string; `createdAt` in milliseconds; `meta` with `name`, `description`, `txBuilderVersion` and the
 * Safe in `createdFromSafeAddress` (`createdFromOwnerAddress` empty; no `checksum`, which is optional);
 * each transaction with `to`, `value` (decimal string) and raw `data`, and `contractMethod` /
 * `contractInputsValues` null, so the builder sends the data as it is.
 */
export const safeBatchSchema = z
  .object({
    version: z.literal("1.0"),
    chainId: z.string().regex(/^\d+$/),
    createdAt: z.number().int().positive(),
    meta: z
      .object({
        name: z.string().min(1),
        description: z.string(),
        txBuilderVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
        createdFromSafeAddress: address,
        createdFromOwnerAddress: z.literal(""),
      })
      .strict(),
    transactions: z
      .array(
        z
          .object({
            to: address,
            value: z.string().regex(/^\d+$/),
            data: hex,
            contractMethod: z.null(),
            contractInputsValues: z.null(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type SafeBatch = z.infer<typeof safeBatchSchema>;

/** The Transaction Builder release whose import format the batch follows. */
export const TX_BUILDER_VERSION = "1.18.0";

export function safeBatch(calls: Call[], options: { chainId: bigint; safe: string; name: string }): SafeBatch {
  return safeBatchSchema.parse({
    version: "1.0",
    chainId: options.chainId.toString(),
    createdAt: Date.now(),
    meta: {
      name: options.name,
      description: calls.map((c) => c.description).join("; "),
      txBuilderVersion: TX_BUILDER_VERSION,
      createdFromSafeAddress: getAddress(options.safe),
      createdFromOwnerAddress: "",
    },
    transactions: calls.map((c) => ({
      to: getAddress(c.to),
      value: c.value.toString(),
      data: c.data,
      contractMethod: null,
      contractInputsValues: null,
    })),
  });
}

export const TIMELOCK = new Interface([
  "function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function execute(address target, uint256 value, bytes payload, bytes32 predecessor, bytes32 salt) payable",
  "function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) payable",
  "function getMinDelay() view returns (uint256)",
]);

export interface TimelockPayload {
  timelock: string;
  /** The operation id the TimelockController computes (`hashOperation` / `hashOperationBatch`). */
  operationId: string;
  predecessor: string;
  salt: string;
  delay: string;
  calls: Array<{ to: string; value: string; data: string; description: string }>;
  /** Sent by a proposer now. */
  schedule: { to: string; value: string; data: string };
  /** Sent by an executor once the delay has passed. */
  execute: { to: string; value: string; data: string };
}

/** Schedule and execute calldata for the calls (one call: `schedule`/`execute`; several: the batch forms). */
export function timelockPayload(
  calls: Call[],
  options: { timelock: string; salt?: string; predecessor?: string; delay: bigint },
): TimelockPayload {
  const salt = options.salt ?? ZeroHash;
  const predecessor = options.predecessor ?? ZeroHash;
  const timelock = getAddress(options.timelock);
  const coder = AbiCoder.defaultAbiCoder();
  const single = calls.length === 1;
  const [targets, values, payloads] = [
    calls.map((c) => getAddress(c.to)),
    calls.map((c) => c.value),
    calls.map((c) => c.data),
  ];
  const operationId = single
    ? keccak256(
        coder.encode(
          ["address", "uint256", "bytes", "bytes32", "bytes32"],
          [targets[0], values[0], payloads[0], predecessor, salt],
        ),
      )
    : keccak256(
        coder.encode(
          ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
          [targets, values, payloads, predecessor, salt],
        ),
      );
  const schedule = single
    ? TIMELOCK.encodeFunctionData("schedule", [targets[0], values[0], payloads[0], predecessor, salt, options.delay])
    : TIMELOCK.encodeFunctionData("scheduleBatch", [targets, values, payloads, predecessor, salt, options.delay]);
  const execute = single
    ? TIMELOCK.encodeFunctionData("execute", [targets[0], values[0], payloads[0], predecessor, salt])
    : TIMELOCK.encodeFunctionData("executeBatch", [targets, values, payloads, predecessor, salt]);
  const total = values.reduce((sum, v) => sum + v, 0n).toString();
  return {
    timelock,
    operationId,
    predecessor,
    salt,
    delay: options.delay.toString(),
    calls: calls.map((c) => ({
      to: getAddress(c.to),
      value: c.value.toString(),
      data: c.data,
      description: c.description,
    })),
    schedule: { to: timelock, value: "0", data: schedule },
    execute: { to: timelock, value: total, data: execute },
  };
}

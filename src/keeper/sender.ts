import { Transaction, type Provider, type Signer, type TransactionReceipt, type TransactionRequest } from "ethers";
import { withRetry, type RetryOptions } from "./retry";

export interface FeeCaps {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export type FeeDecision =
  { ok: true; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { ok: false; reason: string };

/** EIP-1559 fees for the next block within the caps, or why not to send now. */
export async function chooseFees(provider: Provider, caps: FeeCaps): Promise<FeeDecision> {
  const block = await provider.getBlock("latest");
  const baseFee = block?.baseFeePerGas ?? 0n;
  const tip = caps.maxPriorityFeePerGas;
  if (baseFee + tip > caps.maxFeePerGas) {
    return {
      ok: false,
      reason: `base fee ${baseFee} wei + tip ${tip} exceeds the cap ${caps.maxFeePerGas}; waiting for cheaper blocks`,
    };
  }
  const wanted = 2n * baseFee + tip;
  return { ok: true, maxFeePerGas: wanted < caps.maxFeePerGas ? wanted : caps.maxFeePerGas, maxPriorityFeePerGas: tip };
}

export interface SendOptions {
  confirmations: number;
  retry: RetryOptions;
  stuckAfterSeconds: number;
  caps: FeeCaps;
  onReplace?: (nonce: number, maxFeePerGas: bigint) => void | Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

/** Whether a broadcast error says the node already has these exact bytes (a retried send). */
function alreadyKnown(error: unknown): boolean {
  const text = `${(error as Error).message ?? ""}`.toLowerCase();
  return text.includes("already known") || text.includes("already imported");
}

/** Whether a broadcast error says the nonce is taken — by this transaction, or by another one. */
function nonceTaken(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ""} ${(error as Error).message ?? ""}`.toLowerCase();
  return text.includes("nonce_expired") || text.includes("nonce too low");
}

/**
 * Signs locally (so the hash is known before anything goes out), then broadcasts with retries: when a
 * response is lost, re-broadcasting the same bytes is harmless and "already known" means it went out.
 * Returns the hash, or undefined when the nonce was taken by another transaction (the caller decides
 * whether that one was its own).
 */
async function broadcast(
  signer: Signer,
  provider: Provider,
  tx: TransactionRequest,
  retry: RetryOptions,
): Promise<string | undefined> {
  const signed = await signer.signTransaction(tx);
  const hash = Transaction.from(signed).hash!;
  let taken = false;
  await withRetry(async () => {
    try {
      await provider.broadcastTransaction(signed);
    } catch (error) {
      if (alreadyKnown(error)) return;
      if (nonceTaken(error)) {
        // Taken by this very transaction (a retried send whose first attempt landed): it went out.
        // Taken by another: this one will never mine.
        taken = (await provider.getTransaction(hash)) === null;
        return;
      }
      throw error;
    }
  }, retry);
  return taken ? undefined : hash;
}

export class NonceTakenError extends Error {
  constructor(readonly nonce: number) {
    super(`nonce ${nonce} was used by a transaction the keeper did not send; another process shares its key`);
    this.name = "NonceTakenError";
  }
}

/**
 * Sends `request` and waits for it; if it is not mined within `stuckAfterSeconds`, replaces it (same
 * nonce) with fees raised by 12.5 % (the minimum nodes accept), never above the caps. Whichever of the
 * replacements is mined is the outcome.
 */
export async function sendWithReplacement(
  signer: Signer,
  request: TransactionRequest & { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  options: SendOptions,
): Promise<TransactionReceipt> {
  const provider = signer.provider;
  if (!provider) throw new Error("the keeper's signer has no provider");
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const from = await signer.getAddress();
  const nonce = await withRetry(() => provider.getTransactionCount(from, "pending"), options.retry);
  const { chainId } = await withRetry(() => provider.getNetwork(), options.retry);
  const bump = (value: bigint): bigint => value + (value + 7n) / 8n;
  let fees = { maxFeePerGas: request.maxFeePerGas, maxPriorityFeePerGas: request.maxPriorityFeePerGas };
  const hashes: string[] = [];
  let send = true;
  const minedAmong = async (): Promise<TransactionReceipt | undefined> => {
    for (const hash of hashes) {
      const receipt = await withRetry(() => provider.getTransactionReceipt(hash), options.retry);
      if (receipt) return receipt;
    }
    return undefined;
  };
  for (;;) {
    if (send) {
      const hash = await broadcast(signer, provider, { ...request, ...fees, nonce, chainId, type: 2 }, options.retry);
      if (hash === undefined) {
        // The nonce is used. By one of ours (an earlier fee level mined while this replacement went out)
        // that is success; by anything else it is not.
        const ours = await minedAmong();
        if (!ours) throw new NonceTakenError(nonce);
        if (options.confirmations > 1) await provider.waitForTransaction(ours.hash, options.confirmations);
        return ours;
      }
      hashes.push(hash);
    }
    const deadline = Date.now() + options.stuckAfterSeconds * 1_000;
    while (Date.now() < deadline) {
      const receipt = await minedAmong();
      if (receipt) {
        if (options.confirmations > 1) await provider.waitForTransaction(receipt.hash, options.confirmations);
        return receipt;
      }
      // The nonce used, and none of ours mined (checked again, a receipt may lag the count): taken.
      if ((await withRetry(() => provider.getTransactionCount(from, "latest"), options.retry)) > nonce) {
        if (!(await minedAmong())) throw new NonceTakenError(nonce);
      }
      await sleep(500);
    }
    // Stuck: replace with fees raised by the 12.5 % nodes require, if that fits under the cap;
    // at the cap, keep waiting on what is already out there rather than overpay.
    const next = { maxFeePerGas: bump(fees.maxFeePerGas), maxPriorityFeePerGas: bump(fees.maxPriorityFeePerGas) };
    send = next.maxFeePerGas <= options.caps.maxFeePerGas;
    if (send) {
      fees = next;
      await options.onReplace?.(nonce, fees.maxFeePerGas);
    }
  }
}

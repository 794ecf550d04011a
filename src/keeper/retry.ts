/** Retries with exponential backoff and jitter, for transient RPC failures only. */

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  /** Called before each new attempt, for logging. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether an error is the chain refusing (a revert or a bad argument), which retrying cannot fix. */
export function isPermanent(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return (
    code === "CALL_EXCEPTION" ||
    code === "INVALID_ARGUMENT" ||
    code === "INSUFFICIENT_FUNDS" ||
    code === "NONCE_EXPIRED"
  );
}

export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (isPermanent(error) || attempt >= options.attempts) throw error;
      const delayMs = Math.round(options.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
      options.onRetry?.(attempt, error, delayMs);
      await sleep(delayMs);
    }
  }
}

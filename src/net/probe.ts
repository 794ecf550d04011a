/**
 * Asks a JSON-RPC endpoint for its chain id, with a timeout and three quick attempts: the first thing a
 * CLI does, so a wrong or dead URL is reported at once and by name instead of after a stream of retries.
 */
export class RpcUnreachable extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach the RPC at ${url} (${reason})`);
    this.name = "RpcUnreachable";
  }
}

export async function probeChainId(url: string, timeoutMs = 10_000, attempts = 3): Promise<bigint> {
  let failure: RpcUnreachable | undefined;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    let answer: { result?: string; error?: { message: string } };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      answer = (await response.json()) as typeof answer;
    } catch (error) {
      // A refused or dropped connection, a timeout, or an answer that is not JSON (a proxy's 502): try again.
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      failure = new RpcUnreachable(url, reason);
      continue;
    }
    if (!answer.result) throw new RpcUnreachable(url, `no chain id: ${answer.error?.message ?? "empty answer"}`);
    return BigInt(answer.result);
  }
  throw failure!;
}

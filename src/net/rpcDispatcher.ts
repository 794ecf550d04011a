/**
 * The HTTP transport of our CLIs' JSON-RPC connections (issuer, deploy, keeper, status).
 *
 * Why it exists: an RPC server closes a keep-alive connection after it has been idle for its
 * keep-alive timeout (5 s for `hardhat node` and any Node.js server). A client notices the close only
 * when its event loop gets to process the socket's end. A CLI that sends a request, then blocks its
 * event loop for longer than that timeout (loading and transpiling modules on a busy machine, say),
 * writes its next request into the connection the server already closed, and the request fails with
 * undici's "other side closed" (or ECONNRESET). A pool's own idle timer cannot prevent it: timers do
 * not fire while the loop is blocked. So this dispatcher decides at the moment of sending, by the wall
 * clock: a connection idle for longer than `maxIdleReuseMs` is dropped and a fresh one opened.
 *
 * It also retries what is safe to retry: a connection that could not be opened (the request was never
 * sent), and a request that failed before any response on a broken connection when every JSON-RPC
 * method in it is a read or a signed-transaction broadcast (sending the same signed bytes twice cannot
 * move funds twice). A node-signed `eth_sendTransaction` is never resent.
 */
import { Client, Dispatcher, request as undiciRequest } from "undici";
import type { FetchCancelSignal, FetchGetUrlFunc, FetchRequest } from "ethers";

/** Well below any RPC server's keep-alive timeout (5 s for Node.js servers, 60 s+ for most providers). */
export const DEFAULT_MAX_IDLE_REUSE_MS = 1_000;
const DEFAULT_RETRIES = 3;
const RETRY_BASE_DELAY_MS = 250;

/** Connection errors where the request never left this process. */
const NOT_SENT = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** The connection broke before any byte of the response arrived. */
const BROKEN = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "UND_ERR_CLOSED"]);

const READ_METHOD =
  /^(eth_(call|chainId|blockNumber|get\w+|estimateGas|feeHistory|gasPrice|maxPriorityFeePerGas|accounts|syncing)|net_\w+|web3_\w+|hardhat_metadata)$/;
const REBROADCAST_SAFE = new Set(["eth_sendRawTransaction"]);

/** Whether every JSON-RPC call in `body` can be sent twice without a second effect. */
export function resendable(body: unknown): boolean {
  const text =
    typeof body === "string" ? body : body instanceof Uint8Array ? Buffer.from(body).toString("utf8") : undefined;
  if (text === undefined) return false;
  try {
    const parsed = JSON.parse(text) as unknown;
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    return (
      calls.length > 0 &&
      calls.every((call) => {
        const method = (call as { method?: unknown } | null)?.method;
        return typeof method === "string" && (READ_METHOD.test(method) || REBROADCAST_SAFE.has(method));
      })
    );
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === "string") return e.code;
  if (typeof e?.cause?.code === "string") return e.cause.code;
  return undefined;
}

export interface RpcDispatcherOptions {
  /** A connection idle longer than this, by the wall clock at send time, is replaced. */
  maxIdleReuseMs?: number;
  /** Further attempts for a request that failed in a way that is safe to retry. */
  retries?: number;
  /** Called before each retry, for logs. */
  onRetry?: (info: { attempt: number; code: string; delayMs: number }) => void;
}

/**
 * One connection to one origin (JSON-RPC from a CLI is sequential), never reused after it has been
 * idle longer than `maxIdleReuseMs`, with safe retries.
 */
export class RpcDispatcher extends Dispatcher {
  readonly #origin: string;
  readonly #maxIdleReuseMs: number;
  readonly #retries: number;
  readonly #onRetry: RpcDispatcherOptions["onRetry"];
  #client: Client | undefined;
  #inFlight = 0;
  #lastSettledAt = 0;
  #closed = false;
  /** How many connections this dispatcher has opened: tests and logs read it. */
  connectionsOpened = 0;

  constructor(origin: string, options: RpcDispatcherOptions = {}) {
    super();
    this.#origin = new URL(origin).origin;
    this.#maxIdleReuseMs = options.maxIdleReuseMs ?? DEFAULT_MAX_IDLE_REUSE_MS;
    this.#retries = options.retries ?? DEFAULT_RETRIES;
    this.#onRetry = options.onRetry;
  }

  #connection(): Client {
    const idleMs = Date.now() - this.#lastSettledAt;
    if (this.#client && this.#inFlight === 0 && idleMs > this.#maxIdleReuseMs) {
      // The server may have closed it while we were not looking; never write into it.
      void this.#client.destroy().catch(() => undefined);
      this.#client = undefined;
    }
    if (!this.#client) {
      this.#client = new Client(this.#origin, { pipelining: 1 });
      this.connectionsOpened += 1;
    }
    return this.#client;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    if (this.#closed) throw new Error(`the RPC connection to ${this.#origin} was closed`);
    this.#attempt(options, handler, 0);
    return true;
  }

  #attempt(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers, attempt: number): void {
    // Chosen before this request counts as in flight, so an idle connection is seen as idle.
    const connection = this.#connection();
    let responded = false;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.#inFlight -= 1;
      this.#lastSettledAt = Date.now();
    };
    this.#inFlight += 1;
    const wrapped: Dispatcher.DispatchHandlers = {
      onConnect: (abort) => handler.onConnect?.(abort),
      onHeaders: (statusCode, headers, resume, statusText) => {
        responded = true;
        return handler.onHeaders?.(statusCode, headers, resume, statusText) ?? true;
      },
      onData: (chunk) => handler.onData?.(chunk) ?? true,
      onComplete: (trailers) => {
        settle();
        handler.onComplete?.(trailers);
      },
      onError: (error) => {
        settle();
        const code = errorCode(error);
        const safe =
          !responded &&
          !this.#closed &&
          attempt < this.#retries &&
          code !== undefined &&
          (NOT_SENT.has(code) || (BROKEN.has(code) && resendable(options.body)));
        if (!safe) {
          handler.onError?.(error);
          return;
        }
        // The broken connection is not reused.
        void this.#client?.destroy().catch(() => undefined);
        this.#client = undefined;
        const delayMs = RETRY_BASE_DELAY_MS * 2 ** attempt;
        this.#onRetry?.({ attempt: attempt + 1, code, delayMs });
        setTimeout(() => this.#attempt(options, handler, attempt + 1), delayMs);
      },
      onBodySent: (chunk, total) => handler.onBodySent?.(chunk, total),
    };
    connection.dispatch(options, wrapped);
  }

  override async close(): Promise<void> {
    this.#closed = true;
    await this.#client?.close();
    this.#client = undefined;
  }

  override async destroy(): Promise<void> {
    this.#closed = true;
    await this.#client?.destroy();
    this.#client = undefined;
  }
}

/**
 * An ethers `getUrlFunc` over an `RpcDispatcher`: ethers' own Node transport shares Node's global
 * keep-alive agent and has the same stale-connection hazard.
 */
export function ethersGetUrl(dispatcher: Dispatcher): FetchGetUrlFunc {
  return async (req: FetchRequest, signal?: FetchCancelSignal) => {
    if (signal?.cancelled) throw new Error(`request to ${req.url} cancelled before sending`);
    const headers: Record<string, string> = {};
    for (const [key, value] of req) headers[key] = value;
    const response = await undiciRequest(req.url, {
      dispatcher,
      method: req.method as Dispatcher.HttpMethod,
      headers,
      body: req.body ? Buffer.from(req.body) : null,
      headersTimeout: req.timeout,
      bodyTimeout: req.timeout,
    });
    const responseHeaders: Record<string, string> = {};
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) responseHeaders[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    const body = new Uint8Array(await response.body.arrayBuffer());
    return { statusCode: response.statusCode, statusMessage: "", headers: responseHeaders, body };
  };
}

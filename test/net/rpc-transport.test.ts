import { expect } from "chai";
import { spawn } from "node:child_process";
import { HttpProvider } from "hardhat/internal/core/providers/http";
import { RpcDispatcher, resendable } from "../../src/net/rpcDispatcher";
import { providerFor } from "../../src/keeper/connect";
import type { KeeperConfig } from "../../src/config/keeper";
import { freePort } from "../helpers/node";

/**
 * A CLI's life between two requests on a busy machine: a moment idle, then its event loop kept busy
 * (loading and transpiling modules) past the server's 3 s keep-alive timeout.
 */
async function busySpell(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const end = Date.now() + 3_000;
  while (Date.now() < end) {
    // busy
  }
}

interface Rpc {
  url: string;
  /** The methods the server received, in order. */
  received: string[];
  stop(): void;
}

/**
 * A JSON-RPC server, run with `node -e` in its own process so that it keeps time while this test's
 * event loop is blocked. It closes connections idle for KEEP_ALIVE_MS (3 s here; Node's servers, and so
 * `hardhat node`, use 5 s), answers every call (single or batched), drops the connection unanswered
 * on the first call of DROP_ON, and prints its port, then one line per call received.
 */
const RPC_SERVER = `
const { createServer } = require("node:http");
let dropOn = process.env.DROP_ON;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const parsed = JSON.parse(body);
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    for (const call of calls) process.stdout.write(\`call \${call.method}\n\`);
    if (calls.some((call) => call.method === dropOn)) {
      dropOn = undefined;
      req.socket.destroy();
      return;
    }
    const answer = (call) => ({ jsonrpc: "2.0", id: call.id, result: call.method === "eth_chainId" ? "0x1" : "0x2a" });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(Array.isArray(parsed) ? calls.map(answer) : answer(parsed)));
  });
});
server.keepAliveTimeout = Number(process.env.KEEP_ALIVE_MS ?? 5000);
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () =>
  process.stdout.write(\`port \${server.address().port}\n\`),
);
`;

/** Starts RPC_SERVER on a port of its own (or `PORT`). */
async function rpcServer(env: Record<string, string> = {}): Promise<Rpc> {
  const child = spawn(process.execPath, ["-e", RPC_SERVER], {
    env: { ...process.env, KEEP_ALIVE_MS: "3000", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const received: string[] = [];
  const port = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const [kind, value = ""] = line.split(" ");
        if (kind === "port") resolve(value);
        if (kind === "call") received.push(value);
      }
    });
    child.once("exit", (code) => reject(new Error(`rpc server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, received, stop: () => child.kill() };
}

/** Lets the server's report of the calls it received arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("RpcDispatcher (the CLIs' JSON-RPC transport)", function () {
  this.timeout(30_000);
  let rpc: Rpc;

  beforeEach(async function () {
    rpc = await rpcServer();
  });

  afterEach(function () {
    rpc.stop();
  });

  it("reproduces the fault with Hardhat's default pool: busy past the server's keep-alive, the next request meets 'other side closed'", async function () {
    const provider = new HttpProvider(rpc.url, "localhost");
    await provider.request({ method: "eth_chainId" });
    await busySpell();
    let failure: unknown;
    await provider.request({ method: "eth_blockNumber" }).catch((error: unknown) => (failure = error));
    expect(String((failure as Error | undefined)?.message), "the stale connection is written into").to.match(
      /other side closed|ECONNRESET|socket hang up/,
    );
  });

  it("opens a fresh connection after a busy spell and the request goes through", async function () {
    const dispatcher = new RpcDispatcher(rpc.url);
    const provider = new HttpProvider(rpc.url, "localhost", {}, 20_000, dispatcher);
    expect(await provider.request({ method: "eth_chainId" })).to.equal("0x1");
    expect(await provider.request({ method: "eth_blockNumber" }), "back to back: the connection is reused").to.equal(
      "0x2a",
    );
    expect(dispatcher.connectionsOpened).to.equal(1);
    await busySpell();
    expect(await provider.request({ method: "eth_blockNumber" })).to.equal("0x2a");
    expect(dispatcher.connectionsOpened, "the idle connection was not trusted").to.equal(2);
    await dispatcher.destroy();
  });

  it("the keeper's ethers provider goes through the same transport", async function () {
    const provider = providerFor({ rpcUrl: rpc.url } as KeeperConfig);
    expect(await provider.send("eth_chainId", [])).to.equal("0x1");
    await busySpell();
    expect(await provider.send("eth_blockNumber", [])).to.equal("0x2a");
    provider.destroy();
  });

  it("retries a connection that could not be opened (node still starting), then succeeds", async function () {
    const port = await freePort();
    const retries: string[] = [];
    const dispatcher = new RpcDispatcher(`http://127.0.0.1:${port}`, { onRetry: ({ code }) => retries.push(code) });
    const provider = new HttpProvider(`http://127.0.0.1:${port}`, "localhost", {}, 20_000, dispatcher);
    let late: Promise<Rpc> | undefined;
    setTimeout(() => (late = rpcServer({ PORT: String(port) })), 200);
    expect(await provider.request({ method: "eth_chainId" })).to.equal("0x1");
    expect(retries[0]).to.equal("ECONNREFUSED");
    await dispatcher.destroy();
    (await late)?.stop();
  });

  it("resends a read that lost its connection, once, on a fresh one", async function () {
    rpc.stop();
    rpc = await rpcServer({ DROP_ON: "eth_getBalance" });
    const dispatcher = new RpcDispatcher(rpc.url);
    const provider = new HttpProvider(rpc.url, "localhost", {}, 20_000, dispatcher);
    expect(await provider.request({ method: "eth_getBalance", params: ["0x" + "11".repeat(20), "latest"] })).to.equal(
      "0x2a",
    );
    await settle();
    expect(rpc.received).to.deep.equal(["eth_getBalance", "eth_getBalance"]);
    await dispatcher.destroy();
  });

  it("never resends a node-signed transaction: the error reaches the caller and the node saw one request", async function () {
    rpc.stop();
    rpc = await rpcServer({ DROP_ON: "eth_sendTransaction" });
    const dispatcher = new RpcDispatcher(rpc.url);
    const provider = new HttpProvider(rpc.url, "localhost", {}, 20_000, dispatcher);
    let failure: unknown;
    await provider
      .request({ method: "eth_sendTransaction", params: [{ from: "0x" + "11".repeat(20) }] })
      .catch((error: unknown) => (failure = error));
    expect(failure, "the caller sees the failure").to.be.instanceOf(Error);
    await settle();
    expect(rpc.received).to.deep.equal(["eth_sendTransaction"]);
    await dispatcher.destroy();
  });

  describe("resendable", function () {
    it("accepts reads, broadcasts of signed bytes and batches of them; refuses the rest", function () {
      const call = (method: string) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] });
      expect(resendable(call("eth_call"))).to.equal(true);
      expect(resendable(call("eth_getTransactionReceipt"))).to.equal(true);
      expect(resendable(call("eth_sendRawTransaction"))).to.equal(true);
      expect(resendable(Buffer.from(call("eth_chainId")))).to.equal(true);
      expect(resendable(JSON.stringify([{ method: "eth_call" }, { method: "eth_blockNumber" }]))).to.equal(true);
      expect(resendable(call("eth_sendTransaction"))).to.equal(false);
      expect(resendable(call("evm_mine"))).to.equal(false);
      expect(resendable(call("hardhat_setBalance"))).to.equal(false);
      expect(resendable(JSON.stringify([{ method: "eth_call" }, { method: "eth_sendTransaction" }]))).to.equal(false);
      expect(resendable("not json")).to.equal(false);
      expect(resendable(undefined)).to.equal(false);
    });
  });
});

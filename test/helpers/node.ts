import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

export const ROOT = path.join(__dirname, "..", "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The environment for child processes: ours, without the network Hardhat's test runner chose. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.HARDHAT_NETWORK;
  return env;
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function waitForRpc(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}`);
    try {
      await rpc(url, "eth_chainId");
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`hardhat node did not answer at ${url} within ${timeoutMs} ms`);
}

export interface LocalNode {
  url: string;
  stop(): void;
}

/**
 * Starts `hardhat node` on a free loopback port, in its own process group, and waits until it answers.
 * `env` adds variables for the node (e.g. LOCAL_CHAIN_START for a clock in the past).
 */
export async function startNode(env: Record<string, string> = {}): Promise<LocalNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn("npx", ["hardhat", "node", "--port", String(port)], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: "ignore",
    detached: true,
  });
  await waitForRpc(url, child, 120_000);
  return {
    url,
    stop: () => {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command that runs one of our scripts the way `npm run <script>` does, without npm in between. */
export function scriptCommand(script: string, args: string[]): [string, string[]] {
  return [
    process.execPath,
    [require.resolve("ts-node/dist/bin.js"), "--transpile-only", `scripts/${script}.ts`, ...args],
  ];
}

/** Runs one of our CLIs against a node to completion; never throws on a non-zero exit. */
export async function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ScriptResult> {
  const [command, argv] = scriptCommand(script, args);
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: ROOT, env: childEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

import { expect } from "chai";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Contract, JsonRpcProvider } from "ethers";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");

async function freePort(): Promise<number> {
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

async function waitForRpc(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`hardhat node did not answer at ${url} within ${timeoutMs} ms`);
}

/** The environment for child processes: ours, without the network Hardhat's test runner chose. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.HARDHAT_NETWORK;
  return env;
}

describe("issuer CLI against a local hardhat node", function () {
  this.timeout(240_000);
  let node: ChildProcess;
  let url: string;
  let deployments: string;

  /** Runs the CLI as a user would; resolves with stdout, or rejects with the exit code and stderr. */
  async function issuer(...args: string[]): Promise<string> {
    const { stdout } = await run(
      "npx",
      [
        "ts-node",
        "--transpile-only",
        "scripts/issuer.ts",
        "--network",
        "localhost",
        "--deployments",
        deployments,
        ...args,
      ],
      { cwd: ROOT, env: childEnv({ LOCALHOST_RPC_URL: url }) },
    );
    return stdout;
  }

  before(async function () {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    deployments = mkdtempSync(path.join(tmpdir(), "rr-deployments-"));
    node = spawn("npx", ["hardhat", "node", "--port", String(port)], {
      cwd: ROOT,
      env: childEnv(),
      stdio: "ignore",
      detached: true,
    });
    await waitForRpc(url, node, 120_000);
  });

  after(function () {
    // The node runs in its own process group: end it and anything it started.
    if (node?.pid) {
      try {
        process.kill(-node.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  });

  it("deploys the sandbox, records it, and operates every issuer", async function () {
    const deployed = await issuer("deploy");
    expect(deployed).to.match(/recorded .*sandbox-localhost\.json/);
    const record = JSON.parse(readFileSync(path.join(deployments, "sandbox-localhost.json"), "utf8")) as {
      admin: string;
      book: Record<string, string>;
    };
    expect(record.book.CENTRIFUGE_ROOT, "a fresh sandbox is administered by the deployer").to.equal(record.admin);

    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    const holder = await provider.getSigner(1);
    const holderAddress = await holder.getAddress();

    expect(await issuer("allowlist", "--product", "JTRSY", "--holder", holderAddress)).to.contain("allowlisted");
    expect(await issuer("fund-usdc", "--to", holderAddress, "--amount", "1000")).to.contain("minted 1000000000");

    const usdc = new Contract(
      record.book.USDC!,
      ["function approve(address,uint256)", "function balanceOf(address) view returns (uint256)"],
      holder,
    );
    const vault = new Contract(
      record.book.JTRSY_VAULT!,
      [
        "function requestDeposit(uint256,address,address) returns (uint256)",
        "function maxMint(address) view returns (uint256)",
        "function convertToShares(uint256) view returns (uint256)",
      ],
      holder,
    );
    expect(await usdc.getFunction("balanceOf")(holderAddress)).to.equal(1_000_000_000n);
    await (await usdc.getFunction("approve")(record.book.JTRSY_VAULT, 1_000_000_000n)).wait();
    await (await vault.getFunction("requestDeposit")(1_000_000_000n, holderAddress, holderAddress)).wait();
    expect(await issuer("jtrsy-fulfil-deposit", "--controller", holderAddress)).to.contain("done");
    expect(await vault.getFunction("maxMint")(holderAddress)).to.be.gt(0n);

    expect(await issuer("jtrsy-price", "--price", "1.1")).to.contain("1100000000000000000");
    expect(await vault.getFunction("convertToShares")(1_100_000n)).to.equal(1_000_000n);

    const nav = await issuer("ustb-nav", "--price", "10.75");
    expect(nav, nav).to.contain("price now 10750000 ");
    expect(await issuer("show")).to.contain("USTB_REDEMPTION_IDLE");
  });

  it("exits non-zero naming the field on bad input", async function () {
    const failure = await issuer("fund-usdc", "--to", "0x1234", "--amount", "1").then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).to.equal(1);
    expect(failure?.stderr).to.contain("--to must be a 0x-prefixed 20-byte address");
    const low = await issuer("ustb-nav", "--price", "6.5").then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(low?.code).to.equal(1);
    expect(low?.stderr).to.contain("--price: must be at least 7");
  });
});

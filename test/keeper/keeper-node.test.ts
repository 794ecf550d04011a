import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Contract, JsonRpcProvider } from "ethers";
import { deployReserveVault } from "../../src/deploy/vault";
import { MockAdapter__factory, MockERC20__factory, ReserveVault__factory } from "../../typechain-types";
import { USDC, UNLIMITED, walletAt } from "../helpers/fixtures";
import { ROOT, childEnv, freePort, rpc, startNode, type LocalNode } from "../helpers/node";

/** What the proxy does to requests: drop the connection, answer 502, or delay some methods. */
interface Faults {
  dropEvery: number;
  failEvery: number;
  delayMs: number;
  delayMethod?: string;
  delayMethodMs: number;
}
const NO_FAULTS: Faults = { dropEvery: 0, failEvery: 0, delayMs: 0, delayMethodMs: 0 };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("keeper CLI against a hardhat node through a faulty RPC proxy", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let proxy: Server;
  let proxyUrl: string;
  let faults: Faults = { ...NO_FAULTS };
  let seen = 0;
  let snapshotId: string;
  let vaultAddress: string;
  let configDir: string;
  const keyOf = (i: number) => walletAt(i, new JsonRpcProvider()).privateKey;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    seen++;
    if (faults.dropEvery > 0 && seen % faults.dropEvery === 0) {
      request.socket.destroy();
      return;
    }
    if (faults.failEvery > 0 && seen % faults.failEvery === 0) {
      response.writeHead(502).end("bad gateway");
      return;
    }
    const methods = ([] as Array<{ method?: string }>).concat(JSON.parse(body) as never).map((m) => m.method);
    const delay =
      faults.delayMs + (faults.delayMethod && methods.includes(faults.delayMethod) ? faults.delayMethodMs : 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const upstream = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    response.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
  }

  function writeConfig(name: string, extra: Record<string, unknown> = {}): string {
    const file = path.join(configDir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        rpcUrl: proxyUrl,
        vault: vaultAddress,
        confirmations: 1,
        stuckAfterSeconds: 3,
        retryAttempts: 10,
        retryBaseDelayMs: 50,
        reportIntervalSeconds: 604_800,
        navMoveBps: 10_000,
        ...extra,
      }),
    );
    return file;
  }

  function start(script: string, args: string[], env: Record<string, string>) {
    const child = spawn(
      "npx",
      ["ts-node", "--transpile-only", `scripts/${script}.ts`, "--network", "localhost", ...args],
      {
        cwd: ROOT,
        env: childEnv(env),
        detached: true,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<Run>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
    return { child, done };
  }

  const keeper = (args: string[], key = keyOf(3)) => start("keeper", args, { KEEPER_PRIVATE_KEY: key }).done;

  async function nonceOf(index: number): Promise<number> {
    return Number(
      await rpc(node.url, "eth_getTransactionCount", [walletAt(index, new JsonRpcProvider()).address, "latest"]),
    );
  }

  async function vaultIdle(): Promise<bigint> {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const vault = new Contract(vaultAddress, ["function idle() view returns (uint256)"], provider);
    return (await vault.getFunction("idle")()) as bigint;
  }

  before(async function () {
    node = await startNode();
    const port = await freePort();
    proxy = createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
    await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
    proxyUrl = `http://127.0.0.1:${port}`;
    configDir = mkdtempSync(path.join(tmpdir(), "rr-keeper-"));

    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const admin = await provider.getSigner(0);
    const depositor = await provider.getSigner(5);
    const usdc = await new MockERC20__factory(admin).deploy("USD Coin", "USDC", 6);
    const { vault } = await deployReserveVault({ deployer: admin, asset: usdc, admin });
    vaultAddress = await vault.getAddress();
    for (const role of [await vault.CURATOR_ROLE(), await vault.KEEPER_ROLE()])
      await (await vault.grantRole(role, admin)).wait();
    for (const i of [3, 8]) {
      await (await vault.grantRole(await vault.KEEPER_ROLE(), walletAt(i, provider).address)).wait();
    }
    for (const weight of [6_000n, 3_000n]) {
      const adapter = await new MockAdapter__factory(admin).deploy(vault, usdc);
      await (await vault.addAdapter(adapter)).wait();
      await (await vault.setCap(adapter, UNLIMITED)).wait();
      await (await vault.setRateLimit(adapter, UNLIMITED, 0n)).wait();
      await (await vault.setTargetWeight(adapter, weight)).wait();
    }
    await (await vault.report()).wait();
    await (await usdc.mint(await depositor.getAddress(), 1_000_000n * USDC)).wait();
    await (await usdc.connect(depositor).approve(vault, 1_000_000n * USDC)).wait();
    await (await vault.connect(depositor).deposit(1_000_000n * USDC, depositor)).wait();
    snapshotId = (await rpc(node.url, "evm_snapshot")) as string;
  });

  beforeEach(async function () {
    faults = { ...NO_FAULTS };
    await rpc(node.url, "evm_revert", [snapshotId]);
    snapshotId = (await rpc(node.url, "evm_snapshot")) as string;
  });

  after(function () {
    proxy?.close();
    node?.stop();
  });

  it("retries through dropped, failed and slow requests and completes the tick", async function () {
    faults = { dropEvery: 4, failEvery: 7, delayMs: 30, delayMethodMs: 0 };
    const run = await keeper(["--once", "--config", writeConfig("flaky")]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain("rpc retry");
    expect(await vaultIdle()).to.equal(100_000n * USDC);
  });

  it("--dry-run prints the plan and sends nothing (checked on chain)", async function () {
    const nonce = await nonceOf(3);
    const run = await keeper(["--once", "--dry-run", "--config", writeConfig("dry")], "");
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.contain("next tick would execute");
    expect(run.stdout).to.contain("dry run: the plan, nothing sent");
    expect(await nonceOf(3)).to.equal(nonce);
    expect(await vaultIdle()).to.equal(1_000_000n * USDC);
  });

  it("a keeper killed mid-tick and restarted does not move twice", async function () {
    const nonce = await nonceOf(3);
    faults = { ...NO_FAULTS, delayMethod: "eth_getTransactionReceipt", delayMethodMs: 60_000 };
    const first = start("keeper", ["--once", "--config", writeConfig("killed")], { KEEPER_PRIVATE_KEY: keyOf(3) });
    const deadline = Date.now() + 60_000;
    while ((await vaultIdle()) === 1_000_000n * USDC && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect(await vaultIdle(), "the rebalance was mined while the keeper waited").to.equal(100_000n * USDC);
    process.kill(-first.child.pid!, "SIGKILL");
    await first.done;

    faults = { ...NO_FAULTS };
    const restarted = await keeper(["--once", "--config", writeConfig("restarted")]);
    expect(restarted.code, restarted.stderr).to.equal(0);
    expect(await nonceOf(3), "one transaction in all").to.equal(nonce + 1);
    expect(await vaultIdle()).to.equal(100_000n * USDC);
  });

  it("two keepers racing move once", async function () {
    const file = writeConfig("race");
    const [a, b] = await Promise.all([
      keeper(["--once", "--config", file], keyOf(3)),
      keeper(["--once", "--config", file], keyOf(8)),
    ]);
    expect(a.code, a.stderr).to.equal(0);
    expect(b.code, b.stderr).to.equal(0);
    expect(await vaultIdle(), "moved once").to.equal(100_000n * USDC);
  });

  it("replaces a stuck transaction with a higher fee", async function () {
    await rpc(node.url, "evm_setAutomine", [false]);
    try {
      const run = start("keeper", ["--once", "--config", writeConfig("stuck", { stuckAfterSeconds: 2 })], {
        KEEPER_PRIVATE_KEY: keyOf(3),
      });
      let firstFee: bigint | undefined;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const pending = (await rpc(node.url, "eth_getBlockByNumber", ["pending", true])) as {
          transactions: Array<{ maxFeePerGas: string }>;
        };
        const fee = pending.transactions[0] ? BigInt(pending.transactions[0].maxFeePerGas) : undefined;
        if (fee !== undefined && firstFee === undefined) firstFee = fee;
        if (fee !== undefined && firstFee !== undefined && fee > firstFee) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      await rpc(node.url, "evm_mine");
      const outcome = await run.done;
      expect(outcome.code, outcome.stderr).to.equal(0);
      expect(outcome.stdout).to.contain("replacing stuck transaction");
      const block = (await rpc(node.url, "eth_getBlockByNumber", ["latest", true])) as {
        transactions: Array<{ maxFeePerGas: string }>;
      };
      expect(block.transactions).to.have.length(1);
      expect(BigInt(block.transactions[0]!.maxFeePerGas), "the replacement was mined").to.be.gte((firstFee! * 9n) / 8n);
      expect(await vaultIdle()).to.equal(100_000n * USDC);
    } finally {
      await rpc(node.url, "evm_setAutomine", [true]);
    }
  });

  it("holds, sending nothing, while the fee is above the cap", async function () {
    const nonce = await nonceOf(3);
    const run = await keeper([
      "--once",
      "--config",
      writeConfig("cap", { maxFeePerGasGwei: "0.000000001", maxPriorityFeePerGasGwei: "0" }),
    ]);
    expect(run.code, "exit 3: held").to.equal(3);
    expect(run.stdout).to.contain("held: fee above cap");
    expect(await nonceOf(3)).to.equal(nonce);
  });

  it("a bad config exits non-zero naming the field, never the secret", async function () {
    const run = await keeper(["--once", "--config", writeConfig("bad")], "0xnot-a-key-but-a-secret");
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("KEEPER_PRIVATE_KEY:");
    expect(run.stderr).to.not.contain("not-a-key-but-a-secret");
    const missing = await start("keeper", ["--once"], { KEEPER_PRIVATE_KEY: keyOf(3), KEEPER_RPC_URL: proxyUrl }).done;
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("vault:");
  });

  it("startup checks: a vault with no code or of another kind, a key without the role, a calendar typo, a dead RPC — one line each naming the field and the fix, nothing sent", async function () {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const asset = (await new Contract(vaultAddress, ["function asset() view returns (address)"], provider).getFunction(
      "asset",
    )()) as string;
    const stranger = walletAt(9, provider).address;
    const [nonce3, nonce9] = [await nonceOf(3), await nonceOf(9)];
    const dead = `http://127.0.0.1:${await freePort()}`;
    const cases: Array<{ name: string; extra: Record<string, unknown>; key?: string; expect: RegExp }> = [
      {
        name: "no-code",
        extra: { vault: "0x000000000000000000000000000000000000dEaD" },
        expect:
          /^keeper: vault: no contract at 0x000000000000000000000000000000000000dEaD on chain 31337; set it to the vault in deployments\/localhost\.json$/,
      },
      {
        name: "not-a-vault",
        extra: { vault: asset },
        expect: /^keeper: vault: 0x[0-9a-fA-F]{40} is a contract but not a ReserveVault/,
      },
      {
        name: "no-role",
        extra: {},
        key: keyOf(9),
        expect: new RegExp(`^keeper: KEEPER_PRIVATE_KEY: ${stranger} does not hold KEEPER_ROLE on the vault`),
      },
      {
        name: "calendar-typo",
        extra: { calendar: { "0x000000000000000000000000000000000000dEaD": "treasury" } },
        expect:
          /^keeper: calendar\.0x000000000000000000000000000000000000dEaD: is not an adapter of the vault \(its adapters: 0x/,
      },
      {
        name: "dead-rpc",
        extra: { rpcUrl: dead },
        expect:
          /^keeper: rpcUrl: cannot reach the RPC at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); start the node, or fix rpcUrl/,
      },
    ];
    for (const c of cases) {
      const run = await keeper(["--once", "--config", writeConfig(c.name, c.extra)], c.key);
      expect(run.code, `${c.name}: ${run.stderr}`).to.equal(1);
      expect(run.stderr.trim(), c.name).to.match(c.expect);
      expect(run.stderr.trim().split("\n"), `${c.name}: one line`).to.have.length(1);
    }
    expect([await nonceOf(3), await nonceOf(9)], "nothing sent").to.deep.equal([nonce3, nonce9]);

    // Usage errors exit 2.
    const badPort = await keeper(["--once", "--config", writeConfig("port"), "--metrics-port", "abc"]);
    expect(badPort.code).to.equal(2);
    expect(badPort.stderr).to.contain("--metrics-port must be a port number from 1 to 65535");
    const neither = await keeper(["--config", writeConfig("neither")]);
    expect(neither.code).to.equal(2);
    expect(neither.stderr).to.contain("choose --once or --watch");
    provider.destroy();
  });

  it("a dry run beside a running keeper serves no metrics unless asked; a port in use is one line", async function () {
    const port = await freePort();
    const holder = createServer(() => undefined);
    await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
    try {
      const dry = await start(
        "keeper",
        ["--once", "--dry-run", "--config", writeConfig("dry", { metricsPort: port })],
        {},
      ).done;
      expect(dry.code, dry.stderr).to.equal(0);
      const busy = await keeper(["--once", "--config", writeConfig("busy"), "--metrics-port", String(port)]);
      expect(busy.code).to.equal(1);
      expect(busy.stderr.trim()).to.equal(
        `keeper: --metrics-port: port ${port} is in use (another keeper?); choose a free port, or 0 for none`,
      );
    } finally {
      holder.close();
    }
  });

  it("SIGTERM to npm run keeper -- --watch stops it after the tick: no process left, the metrics port free", async function () {
    const port = await freePort();
    const config = writeConfig("sigterm", { pollIntervalSeconds: 1 });
    const child = spawn(
      "npm",
      [
        "run",
        "-s",
        "keeper",
        "--",
        "--network",
        "localhost",
        "--watch",
        "--config",
        config,
        "--metrics-port",
        String(port),
      ],
      { cwd: ROOT, env: childEnv({ KEEPER_PRIVATE_KEY: keyOf(3) }) },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!out.includes("metrics on /metrics") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(out, "the keeper started").to.contain("metrics on /metrics");
    child.kill("SIGTERM");
    const code = await exited;
    expect(out).to.contain("stopping after the current tick");
    expect(code, out).to.equal(0);
    const left = execFileSync("ps", ["-eo", "args"])
      .toString()
      .split("\n")
      .filter((line) => line.includes(config));
    expect(left, "no keeper process left").to.deep.equal([]);
    const free = createServer(() => undefined);
    await new Promise<void>((resolve, reject) => {
      free.once("error", reject);
      free.listen(port, "127.0.0.1", resolve);
    });
    free.close();
  });

  it("status prints the table and the next plan, role holders and pending changes, or JSON", async function () {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const admin = await provider.getSigner(0);
    const vault = ReserveVault__factory.connect(vaultAddress, admin);
    await (await vault.submit(vault.interface.encodeFunctionData("setTimelock", [2n * 86_400n]))).wait();
    const table = await start("status", ["--config", writeConfig("status")], {}).done;
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout).to.contain("rate-limit headroom");
    expect(table.stdout).to.contain("next tick would execute");
    expect(table.stdout).to.contain("value (USDC)");
    const keepers = [await admin.getAddress(), walletAt(3, provider).address, walletAt(8, provider).address];
    expect(table.stdout).to.contain(`  KEEPER_ROLE        ${keepers.join(", ")}`);
    expect(table.stdout).to.contain(`  DEFAULT_ADMIN_ROLE ${await admin.getAddress()}`);
    // This vault's timelock is 0: a submitted change is executable at once.
    expect(table.stdout).to.match(/pending changes:\n {2}timelock to 2 days — ready\n/);

    const json = await start("status", ["--json", "--config", writeConfig("status")], {}).done;
    const view = JSON.parse(json.stdout) as { adapters: unknown[]; nextPlan: Array<{ kind: string }> };
    expect(view.adapters).to.have.length(2);
    expect(view.nextPlan.map((l) => l.kind)).to.deep.equal(["Deposit", "Deposit"]);
  });
});

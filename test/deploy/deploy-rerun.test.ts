import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:http";
import { AbiCoder, Contract, getAddress, JsonRpcProvider, ZeroAddress } from "ethers";
import { safeBatchSchema } from "../../src/ops/payloads";
import { ReserveVault__factory } from "../../typechain-types";
import { ROOT, childEnv, freePort, rpc, runScript, scriptCommand, startNode, type LocalNode } from "../helpers/node";

/**
 * The deploy CLI as a careless or unlucky engineer meets it, against a local node: every wrong input is
 * refused before a single transaction is sent, a deployment killed half-way finishes on a rerun with one
 * system, and a second system needs --new.
 */
describe("deploy CLI: preflight, a killed deployment resumed, --new", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let dir: string;
  let provider: JsonRpcProvider;
  const VAULT_ABI = ReserveVault__factory.abi;
  const base = JSON.parse(readFileSync(path.join(ROOT, "deploy", "params", "hardhat.json"), "utf8"));

  const deployCli = (args: string[], env: Record<string, string> = {}, deployments = dir) =>
    runScript("deploy", ["--network", "localhost", "--deployments", deployments, ...args], {
      LOCALHOST_RPC_URL: node.url,
      ...env,
    });
  const paramsFile = (name: string, edit: (p: typeof base) => void = () => undefined) => {
    const params = structuredClone(base);
    edit(params);
    const file = path.join(dir, `${name}.params.json`);
    writeFileSync(file, JSON.stringify(params));
    return file;
  };
  const blockNumber = async () => Number(await rpc(node.url, "eth_blockNumber"));

  before(async function () {
    node = await startNode();
    dir = mkdtempSync(path.join(tmpdir(), "rr-rerun-"));
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const sandbox = await runScript("issuer", ["--network", "localhost", "--deployments", dir, "deploy"], {
      LOCALHOST_RPC_URL: node.url,
    });
    expect(sandbox.code, sandbox.stderr).to.equal(0);
  });

  after(function () {
    provider?.destroy();
    node?.stop();
  });

  it("refuses each careless input by field and fix, and sends nothing", async function () {
    const deployer = (await provider.send("eth_accounts", []))[0] as string;
    const cases: Array<{
      what: string;
      args: string[];
      env?: Record<string, string>;
      expect: RegExp;
      setup?: () => Promise<void>;
      undo?: () => Promise<void>;
    }> = [
      {
        what: "a zero governance address",
        args: ["--params", paramsFile("zero-governance", (p) => (p.governance = ZeroAddress))],
        expect: /governance: is the zero address; give the account that will hold it/,
      },
      {
        what: "a zero keeper",
        args: ["--params", paramsFile("zero-keeper", (p) => (p.roles.keepers = [ZeroAddress]))],
        expect: /roles\.keepers\[0\]: is the zero address/,
      },
      {
        what: "a token named as the product, not as the book names it",
        args: ["--params", paramsFile("token-name", (p) => (p.adapters[0].token = "BUIDL-I"))],
        expect:
          /adapters\[0\]\.token: "BUIDL-I" is neither an address nor a name in the issuer book; did you mean "BUIDL_I"\?/,
      },
      {
        what: "an issuer address with no contract",
        args: [
          "--params",
          paramsFile("no-code", (p) => (p.adapters[1].ustb = "0x000000000000000000000000000000000000dEaD")),
        ],
        expect: /adapters\[1\]\.ustb: no contract at 0x000000000000000000000000000000000000dEaD on chain 31337/,
      },
      {
        what: "no sandbox book for a network that does not host the mainnet issuers",
        args: ["--params", paramsFile("no-book"), "--sandbox", path.join(dir, "missing-sandbox.json")],
        expect: /--sandbox: no issuer book for localhost \(chain 31337\).*npm run issuer -- --network localhost deploy/,
      },
      {
        what: "an RPC that is not the network's chain",
        args: ["--network", "sepolia", "--params", paramsFile("sepolia")],
        env: { SEPOLIA_RPC_URL: node.url },
        expect:
          /SEPOLIA_RPC_URL: --network sepolia is chain 11155111 but .* is chain 31337; point SEPOLIA_RPC_URL at a sepolia node/,
      },
      {
        what: "an RPC that is down",
        args: ["--params", paramsFile("down")],
        env: { LOCALHOST_RPC_URL: `http://127.0.0.1:${await freePort()}` },
        expect: /LOCALHOST_RPC_URL: cannot reach the RPC at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); start the node/,
      },
      {
        what: "a deployer that cannot pay",
        args: ["--params", paramsFile("poor")],
        setup: () => provider.send("hardhat_setBalance", [deployer, "0x1"]),
        undo: () => provider.send("hardhat_setBalance", [deployer, "0x21e19e0c9bab2400000"]),
        expect:
          /deployer: 0x[0-9a-fA-F]{40} holds 0\.000000000000000001 ETH; the \d+ transactions to send need up to .* ETH .*: fund the deployer/,
      },
    ];
    for (const c of cases) {
      await c.setup?.();
      const before = await blockNumber();
      // The network flag of a case replaces the default (commander keeps the last).
      const result = await deployCli(c.args, c.env);
      await c.undo?.();
      expect(result.code, `${c.what}: ${result.stdout}`).to.equal(1);
      expect(result.stderr, c.what).to.match(c.expect);
      expect(result.stderr.trim().split("\n"), `${c.what}: one line`).to.have.length(1);
      expect(await blockNumber(), `${c.what}: nothing sent`).to.equal(before);
    }
    expect(existsSync(path.join(dir, "localhost.json")), "no record written").to.equal(false);
  });

  it("a dry run prints the plan in units with each transaction's gas and address; a deployment killed during configure finishes on a rerun with one system", async function () {
    const params = paramsFile("good");
    const before = await blockNumber();
    const dry = await deployCli(["--params", params, "--dry-run"]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(await blockNumber(), "a dry run sends nothing").to.equal(before);
    expect(dry.stdout).to.contain("cap 500,000,000 USDC, rate limit 100,000,000 USDC then");
    expect(dry.stdout).to.contain("buffer 2.00 %, drift band 0.25 % (at least 10,000 USDC)");
    expect(dry.stdout).to.match(/USTB_REDEMPTION_IDLE 0x[0-9a-fA-F]{40}/);
    expect(dry.stdout).to.match(/transactions: 47 to send, 0 already done/);
    expect(dry.stdout).to.match(/total ≤ [\d,]+ gas; at [\d.]+ gwei at most [\d.]+ ETH/);
    const predictedVault = /\s5 vault → (0x[0-9a-fA-F]{40})/.exec(dry.stdout)?.[1];
    expect(predictedVault, dry.stdout).to.match(/^0x/);

    // Killed as soon as configure's first transaction is recorded.
    const [command, argv] = scriptCommand("deploy", [
      "--network",
      "localhost",
      "--deployments",
      dir,
      "--params",
      params,
    ]);
    const child = spawn(command, argv, { cwd: ROOT, env: childEnv({ LOCALHOST_RPC_URL: node.url }) });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("curator role to the deployer for configuration (tx")) child.kill("SIGKILL");
      });
      child.on("close", (code, signal) =>
        signal === "SIGKILL" ? resolve() : reject(new Error(`deploy ended (${code}) before it was killed:\n${out}`)),
      );
    });
    const interrupted = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8"));
    expect(interrupted.status).to.equal("in progress");
    expect(interrupted.vault).to.equal(predictedVault);

    const rerun = await deployCli(["--params", params]);
    expect(rerun.code, rerun.stderr + rerun.stdout).to.equal(0);
    expect(rerun.stdout).to.match(/resuming the deployment recorded in .*localhost\.json: \d+ steps done, \d+ to send/);
    expect(rerun.stdout).to.match(/recorded .*: \d+ steps sent, \d+ already right, [1-9]\d* done before/);
    expect(rerun.stdout).to.contain("verified; governance must now call acceptDefaultAdminTransfer()");
    const record = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8"));
    expect(record.status).to.equal("complete");
    expect(record.vault).to.equal(predictedVault);
    const verify = await deployCli(["--params", params, "--verify-only"]);
    expect(verify.code, verify.stdout).to.equal(0);
    expect(verify.stdout).to.contain("verified: the deployment matches the parameters");

    // Exactly one of each contract: every contract created on this chain, compared by code.
    const created: string[] = [];
    for (let n = 0; n <= (await blockNumber()); n += 1) {
      const block = await provider.getBlock(n, true);
      for (const tx of block?.prefetchedTransactions ?? []) {
        if (tx.to !== null) continue;
        const receipt = await provider.getTransactionReceipt(tx.hash);
        if (receipt?.contractAddress) created.push(await provider.getCode(receipt.contractAddress));
      }
    }
    const recorded = [record.vault, record.redeemQueue, ...Object.values(record.adapters as Record<string, string>)];
    for (const address of recorded) {
      const code = await provider.getCode(address);
      expect(
        created.filter((c) => c === code),
        `contract ${address} deployed once`,
      ).to.have.length(1);
    }
  });

  it("a second plain deploy refuses; --new keeps the old record under a dated name", async function () {
    const params = paramsFile("good");
    const old = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8"));
    const before = await blockNumber();
    const again = await deployCli(["--params", params]);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(
      /--new: a deployment is already recorded in .*localhost\.json \(vault 0x[0-9a-fA-F]{40}\); check it with --verify-only, or pass --new/,
    );
    expect(await blockNumber(), "nothing sent").to.equal(before);

    const fresh = await deployCli(["--params", params, "--new"]);
    expect(fresh.code, fresh.stderr + fresh.stdout).to.equal(0);
    expect(fresh.stdout).to.match(/kept the previous record as .*localhost[/\\]release-.*\.json/);
    const current = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8"));
    expect(current.vault).to.not.equal(old.vault);
    const archived = readdirSync(path.join(dir, "localhost"));
    expect(archived).to.have.length(1);
    expect(archived[0]).to.match(/^release-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    const kept = JSON.parse(readFileSync(path.join(dir, "localhost", archived[0]!), "utf8"));
    expect(kept.vault).to.equal(old.vault);
    expect(kept.status).to.equal("complete");
  });

  it("publishes every recorded source to an Etherscan-compatible explorer with its constructor arguments; says what to set when the key is missing", async function () {
    const record = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8"));
    // An explorer API that accepts every submission and records it.
    const submitted: Array<Record<string, string>> = [];
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        const query = Object.fromEntries(new URL(request.url!, "http://x").searchParams);
        const form = Object.fromEntries(new URLSearchParams(body));
        const action = form.action ?? query.action;
        let answer: object;
        if (action === "getsourcecode") answer = { status: "0", message: "NOTOK", result: [{ SourceCode: "" }] };
        else if (action === "verifysourcecode") {
          submitted.push(form);
          answer = { status: "1", message: "OK", result: `guid-${submitted.length}` };
        } else answer = { status: "1", message: "OK", result: "Pass - Verified" };
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(answer));
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    const explorer = { EXPLORER_API_URL: `http://127.0.0.1:${port}/api`, EXPLORER_CHAIN_ID: "31337" };
    try {
      const noExplorer = await deployCli(["--params", paramsFile("good"), "--verify-only", "--explorer"], {
        ETHERSCAN_API_KEY: "test-key",
      });
      expect(noExplorer.code).to.equal(1);
      expect(noExplorer.stderr).to.match(/--explorer: localhost has no block explorer; .*EXPLORER_API_URL/);
      const noKey = await deployCli(["--params", paramsFile("good"), "--verify-only", "--explorer"], {
        ETHERSCAN_API_KEY: "",
        ...explorer,
      });
      expect(noKey.code).to.equal(1);
      expect(noKey.stderr).to.match(
        /ETHERSCAN_API_KEY: is not set, so the sources cannot be published; create a key at/,
      );
      expect(submitted, "nothing published without a key").to.have.length(0);

      const published = await deployCli(["--params", paramsFile("good"), "--verify-only", "--explorer"], {
        ETHERSCAN_API_KEY: "test-key",
        ...explorer,
      });
      expect(published.code, published.stderr + published.stdout).to.equal(0);
      expect(published.stdout).to.contain(`published the sources of ${record.sources.length} contracts`);
    } finally {
      server.close();
    }
    const sources = record.sources as Array<{ address: string; contract: string; args: string[]; label: string }>;
    expect(submitted.map((f) => f.contractname)).to.deep.equal(sources.map((s) => s.contract));
    expect(submitted.every((f) => f.apikey === "test-key" && f.codeformat === "solidity-standard-json-input")).to.equal(
      true,
    );
    const vault = sources.find((s) => s.label === "ReserveVault")!;
    const sent = submitted[sources.indexOf(vault)]!;
    expect(sent.contractaddress!.toLowerCase()).to.equal(vault.address.toLowerCase());
    const decoded = AbiCoder.defaultAbiCoder().decode(
      ["address", "string", "string", "address", "uint256"],
      `0x${sent.constructorArguements}`,
    );
    expect(decoded.map(String)).to.deep.equal(vault.args);
    // The vault's linked libraries travel in the standard JSON input.
    const input = JSON.parse(sent.sourceCode!) as { settings: { libraries: Record<string, Record<string, string>> } };
    expect(input.settings.libraries["contracts/libraries/PlanLib.sol"]!.PlanLib!.toLowerCase()).to.equal(
      record.libraries.planLib.toLowerCase(),
    );
  });

  it("role actions by name over the record: submit, list with ETA, execute after the timelock; a wrong sender or a refused call sends nothing; payloads for governance", async function () {
    const record = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8"));
    const ops = (args: string[]) =>
      runScript("ops", ["--network", "localhost", "--deployments", dir, ...args], { LOCALHOST_RPC_URL: node.url });
    const curator = base.roles.curators[0] as string;
    const guardian = base.roles.guardians[0] as string;
    const vault = new Contract(record.vault, VAULT_ABI, provider);
    const weightOf = async (name: string) =>
      (await vault.getFunction("adapterConfig")(record.adapters[name])).targetWeightBps;

    // Lowering a weight takes risk off: it is not timelocked.
    const lowered = await ops([
      "--from",
      curator,
      "curator",
      "execute",
      "weight",
      "--adapter",
      "USTB",
      "--bps",
      "2500",
    ]);
    expect(lowered.code, lowered.stderr).to.equal(0);
    expect(lowered.stdout).to.contain("execute: target weight of USTB to 25.00 %");
    expect(await weightOf("USTB")).to.equal(2_500n);

    const weight = ["weight", "--adapter", "JTRSY", "--bps", "2500"];
    const submitted = await ops(["--from", curator, "curator", "submit", ...weight]);
    expect(submitted.code, submitted.stderr).to.equal(0);
    expect(submitted.stdout).to.contain("submit: target weight of JTRSY to 25.00 %");
    const pending = await ops(["curator", "pending"]);
    expect(pending.stdout).to.match(/target weight of JTRSY to 25\.00 %: executable at \S+ \(in (23 h 59 min|1 d)\)/);

    let before = await blockNumber();
    const early = await ops(["--from", curator, "curator", "execute", ...weight]);
    expect(early.code, early.stdout).to.equal(1);
    expect(early.stderr).to.match(
      /the vault refuses it \(ChangeStillTimelocked\(0x[0-9a-f]{64}, \d+\)\); nothing sent/,
    );
    const stranger = await ops(["guardian", "pause"]);
    expect(stranger.code).to.equal(2);
    expect(stranger.stderr).to.match(/--from: 0x[0-9a-fA-F]{40} holds none of GUARDIAN_ROLE on the vault/);
    expect(await blockNumber(), "nothing sent").to.equal(before);

    await provider.send("evm_increaseTime", [86_400]);
    await provider.send("evm_mine", []);
    expect((await ops(["curator", "pending"])).stdout).to.contain("(ready)");
    const executed = await ops(["--from", curator, "curator", "execute", ...weight]);
    expect(executed.code, executed.stderr).to.equal(0);
    expect(await weightOf("JTRSY")).to.equal(2_500n);
    expect((await ops(["curator", "pending"])).stdout).to.contain("no pending changes");

    const quarantined = await ops(["--from", guardian, "guardian", "quarantine", "--adapter", "JTRSY"]);
    expect(quarantined.code, quarantined.stderr).to.equal(0);
    expect((await vault.getFunction("adapterConfig")(record.adapters.JTRSY)).quarantined).to.equal(true);

    // A holder on a testnet: deposits in units (approve, then deposit), then redeems part.
    const holderAccount = getAddress(((await provider.send("eth_accounts", [])) as string[])[5]!);
    const funded = await runScript(
      "issuer",
      ["--network", "localhost", "--deployments", dir, "fund-usdc", "--to", holderAccount, "--amount", "1000"],
      { LOCALHOST_RPC_URL: node.url },
    );
    expect(funded.code, funded.stderr).to.equal(0);
    const deposited = await ops(["--from", holderAccount, "holder", "deposit", "--amount", "1000"]);
    expect(deposited.code, deposited.stderr).to.equal(0);
    expect(deposited.stdout).to.contain(`deposit 1000 USDC for ${holderAccount}`);
    const shares = (await vault.getFunction("balanceOf")(holderAccount)) as bigint;
    expect(shares).to.equal(1_000n * 10n ** 18n);
    const redeemed = await ops(["--from", holderAccount, "holder", "redeem", "--shares", "250"]);
    expect(redeemed.code, redeemed.stderr).to.equal(0);
    expect(await vault.getFunction("balanceOf")(holderAccount)).to.equal(750n * 10n ** 18n);
    const tooMuch = await ops(["--from", holderAccount, "holder", "withdraw", "--amount", "5000"]);
    expect(tooMuch.code).to.equal(1);
    expect(tooMuch.stderr).to.match(
      /withdraw 5000 USDC .*: the vault refuses it \(ERC4626ExceededMaxWithdraw\(.*\)\); nothing sent/,
    );

    before = await blockNumber();
    const safeFile = path.join(dir, "accept.safe.json");
    const safe = await ops(["--safe", base.governance, "--out", safeFile, "governance", "accept"]);
    expect(safe.code, safe.stderr).to.equal(0);
    expect(safeBatchSchema.safeParse(JSON.parse(readFileSync(safeFile, "utf8"))).success).to.equal(true);
    const timelockFile = path.join(dir, "lift.timelock.json");
    const timelocked = await ops([
      "--timelock",
      base.governance,
      "--delay",
      "3600",
      "--out",
      timelockFile,
      "guardian",
      "lift",
      "--adapter",
      "JTRSY",
      "--max-value",
      "1000",
    ]);
    expect(timelocked.code, timelocked.stderr).to.equal(0);
    const payload = JSON.parse(readFileSync(timelockFile, "utf8"));
    expect(payload.delay).to.equal("3600");
    expect(payload.calls[0].description).to.equal(
      "lift the quarantine of the adapter JTRSY, booking at most 1,000 USDC (as reviewed)",
    );
    expect(await blockNumber(), "payloads send nothing").to.equal(before);
  });
});

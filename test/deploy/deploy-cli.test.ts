import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Contract, JsonRpcProvider, MaxUint256 } from "ethers";
import { walletAt } from "../helpers/fixtures";
import { ROOT, childEnv, startNode, type LocalNode } from "../helpers/node";

const run = promisify(execFile);

describe("deploy CLI → keeper CLI against a local hardhat node, as an operator would", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let dir: string;

  async function cli(script: string, args: string[], env: Record<string, string> = {}) {
    return run("npx", ["ts-node", "--transpile-only", `scripts/${script}.ts`, "--network", "localhost", ...args], {
      cwd: ROOT,
      env: childEnv({ LOCALHOST_RPC_URL: node.url, ...env }),
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  }

  before(async function () {
    node = await startNode();
    dir = mkdtempSync(path.join(tmpdir(), "rr-deploy-"));
  });

  after(function () {
    node?.stop();
  });

  it("deploys, configures and verifies; the keeper places a deposit; verify fails loudly on a planted role", async function () {
    const sandbox = await cli("issuer", ["--deployments", dir, "deploy"]);
    expect(sandbox.code, sandbox.stderr).to.equal(0);

    const params = JSON.parse(readFileSync(path.join(ROOT, "deploy", "params", "hardhat.json"), "utf8"));
    params.vault.timelockSeconds = 0;
    const paramsFile = path.join(dir, "localhost.params.json");
    writeFileSync(paramsFile, JSON.stringify(params));

    const dry = await cli("deploy", ["--deployments", dir, "--params", paramsFile, "--dry-run"]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.contain("dry run: nothing sent");
    expect(dry.stdout, "the dry run states what a compromised keeper could lose").to.match(
      /a compromised keeper can lose at most 319,999\.999943 USDC the first day and 159,999\.999943 USDC a day after \(entries at their rate limits, each at its slippage bound: BUIDL-I 0 USDC \/ 0 USDC, USTB 299,999\.999947 USDC/,
    );

    const deployed = await cli("deploy", ["--deployments", dir, "--params", paramsFile]);
    expect(deployed.code, deployed.stderr + deployed.stdout).to.equal(0);
    expect(deployed.stdout).to.contain("verified; governance must now call acceptDefaultAdminTransfer()");
    const record = JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8")) as { vault: string };

    // A depositor puts $10M in; hours pass so the fresh rate limits refill; the keeper places it.
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const sandboxBook = JSON.parse(readFileSync(path.join(dir, "sandbox-localhost.json"), "utf8")).book;
    const issuerFund = await cli("issuer", [
      "--deployments",
      dir,
      "fund-usdc",
      "--to",
      walletAt(5, provider).address,
      "--amount",
      "10000000",
    ]);
    expect(issuerFund.code, issuerFund.stderr).to.equal(0);
    const depositor = walletAt(5, provider);
    const usdc = new Contract(sandboxBook.USDC, ["function approve(address,uint256)"], depositor);
    await (await usdc.getFunction("approve")(record.vault, MaxUint256)).wait();
    const vault = new Contract(
      record.vault,
      ["function deposit(uint256,address) returns (uint256)", "function idle() view returns (uint256)"],
      depositor,
    );
    await (await vault.getFunction("deposit")(10_000_000n * 10n ** 6n, depositor.address)).wait();
    await provider.send("evm_increaseTime", [3 * 3_600]);
    await provider.send("evm_mine", []);
    await cli("issuer", ["--deployments", dir, "ustb-nav", "--price", "10.51"]);

    const keeperConfig = path.join(dir, "keeper.json");
    writeFileSync(
      keeperConfig,
      JSON.stringify({ vault: record.vault, reportIntervalSeconds: 604800, navMoveBps: 10000 }),
    );
    const keeper = await cli("keeper", ["--once", "--config", keeperConfig], {
      KEEPER_PRIVATE_KEY: walletAt(3, provider).privateKey,
    });
    expect(keeper.code, keeper.stderr).to.equal(0);
    expect(await vault.getFunction("idle")(), "everything but the 2 % buffer placed").to.equal(200_000n * 10n ** 6n);

    const clean = await cli("deploy", ["--deployments", dir, "--params", paramsFile, "--verify-only"]);
    expect(clean.code, clean.stdout).to.equal(0);
    expect(clean.stdout).to.contain("verified: the deployment matches the parameters");

    // Planted: the deployer, still admin until governance accepts, grants an extra keeper.
    const deployer = await provider.getSigner(0);
    const admin = new Contract(
      record.vault,
      ["function grantRole(bytes32,address)", "function KEEPER_ROLE() view returns (bytes32)"],
      deployer,
    );
    const stranger = walletAt(9, provider).address;
    await (await admin.getFunction("grantRole")(await admin.getFunction("KEEPER_ROLE")(), stranger)).wait();
    const planted = await cli("deploy", ["--deployments", dir, "--params", paramsFile, "--verify-only"]);
    expect(planted.code, "verify fails").to.equal(1);
    expect(planted.stdout).to.contain(`PROBLEM ${stranger} holds the keeper role but is not in the parameters`);
    provider.destroy();
  });
});

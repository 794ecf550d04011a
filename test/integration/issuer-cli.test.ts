import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Contract, JsonRpcProvider } from "ethers";
import { MAINNET } from "../../src/addresses";
import { impersonating } from "../../src/issuers/actors";
import { IssuerDriver } from "../../src/issuers/driver";
import { installEmulatedMainnet } from "../../src/sandbox/install";
import { ROOT, childEnv, startNode, type LocalNode } from "../helpers/node";

const run = promisify(execFile);

/** The issuer CLI against the node at `url`, recording in `deployments`: its stdout, or a rejection
 * carrying the exit code and stderr. */
async function issuerCli(url: string, deployments: string, ...args: string[]): Promise<string> {
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

describe("issuer CLI against a local hardhat node", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let url: string;
  let deployments: string;

  /** Runs the CLI as a user would; resolves with stdout, or rejects with the exit code and stderr. */
  const issuer = (...args: string[]): Promise<string> => issuerCli(url, deployments, ...args);

  before(async function () {
    node = await startNode();
    url = node.url;
    deployments = mkdtempSync(path.join(tmpdir(), "rr-deployments-"));
  });

  after(function () {
    node?.stop();
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
    expect(await issuer("fund-usdc", "--to", holderAddress, "--amount", "1000")).to.contain(
      "minted 1,000 USDC (1000000000 base units)",
    );

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
    expect(nav, nav).to.contain("price now $10.75 (10750000, 6 decimals)");
    expect(await issuer("show")).to.contain("USTB_REDEMPTION_IDLE");

    // The claimable deposit, and each price with its age, read back in units.
    const requests = await issuer("show-requests", "--controller", holderAddress);
    // Claimable is the shares issued at the fulfilment price, in assets, rounded down as Centrifuge does.
    expect(requests, requests).to.contain("deposit: 0 USDC pending, 999.999999 USDC claimable");
    const prices = await issuer("show-prices");
    expect(prices).to.match(/USTB {3}\$10\.75 per share \(NAV struck \d+ s old\)/);
    expect(prices).to.match(/JTRSY {2}\$1\.1 per share \(computed \d+ s old\)/);
    expect(prices, prices).to.match(/STAC {3}\$1,000 per token \(posted [^)]+ old\)/);

    // The transfer-issued products priced by a feed: a NAV posted, USCC minted to an allowlisted holder.
    expect(await issuer("nav", "--product", "USCC", "--price", "10.42")).to.contain(
      "USCC NAV posted: $10.42 (1042000000, 8 decimals)",
    );
    expect(await issuer("show-prices")).to.match(/USCC {3}\$10\.42 per token \(posted [^)]+ old\)/);
    expect(await issuer("allowlist", "--product", "USCC", "--holder", holderAddress)).to.contain("allowlisted");
    expect(await issuer("mint-uscc", "--to", holderAddress, "--amount", "9596.92")).to.contain(
      "minted 9,596.92 USCC (9596920000 base units)",
    );
    const uscc = new Contract(record.book.USCC!, ["function balanceOf(address) view returns (uint256)"], provider);
    expect(await uscc.getFunction("balanceOf")(holderAddress)).to.equal(9_596_920_000n);

    // A day later, and more than a few seconds after that: the checkpoint is stamped from the chain's
    // next block, so the oracle accepts it.
    await issuer("advance-time", "--seconds", "86400");
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(await issuer("ustb-nav", "--price", "10.52")).to.contain("price now $10.52 (10520000, 6 decimals)");

    // Centrifuge's spoke refusing the price read: the other products still print.
    await provider.send("hardhat_setCode", [record.book.CENTRIFUGE_SPOKE!, "0x60006000fd"]);
    const refused = await issuer("show-prices");
    expect(refused).to.match(/USTB {3}\$10\.52 per share/);
    expect(refused).to.match(/JTRSY {2}no price: Centrifuge's spoke refused \(.*\); set one with jtrsy-price/);
  });

  it("exits 2 naming the field on bad usage", async function () {
    const failure = await issuer("fund-usdc", "--to", "0x1234", "--amount", "1").then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).to.equal(2);
    expect(failure?.stderr).to.contain("--to must be a 0x-prefixed 20-byte address");
    const low = await issuer("ustb-nav", "--price", "6.5").then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(low?.code).to.equal(2);
    expect(low?.stderr).to.contain("--price: must be at least 7");
  });
});

describe("issuer CLI on a chain whose clock is in the past (as a fork of a past block)", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let deployments: string;

  before(async function () {
    node = await startNode({ LOCAL_CHAIN_START: "2025-04-15T00:00:00Z" });
    deployments = mkdtempSync(path.join(tmpdir(), "rr-deployments-"));
  });

  after(function () {
    node?.stop();
  });

  it("sets a USTB NAV the oracle accepts: the driver strikes on chain time, not the wall clock", async function () {
    const cli = (...args: string[]) => issuerCli(node.url, deployments, ...args);
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const started = (await provider.getBlock("latest"))!.timestamp;
    expect(started, "the chain runs in April 2025").to.be.lt(Date.parse("2025-05-01T00:00:00Z") / 1000);
    await cli("deploy");
    expect(await cli("ustb-nav", "--price", "10.62")).to.match(
      /USTB NAV checkpoint added; price now \$10\.62\d* \(106200\d\d, 6 decimals\)/,
    );
    const latest = (await provider.getBlock("latest"))!.timestamp;
    expect(latest - started, "no wall-clock jump: strikes stay in the chain's own time").to.be.lt(86_400);
  });
});

describe("the emulated mainnet on a node over JSON-RPC (the path a local fork source takes)", function () {
  this.timeout(240_000);
  let node: LocalNode;

  before(async function () {
    node = await startNode();
  });

  after(function () {
    node?.stop();
  });

  it("installs and seeds every issuer at the real addresses, impersonating their admins through the node", async function () {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const deployer = await provider.getSigner(0);
    const book = await installEmulatedMainnet(provider, deployer, impersonating(provider));
    expect(book.USTB).to.equal(MAINNET.USTB);
    expect(await provider.getCode(MAINNET.JTRSY_VAULT)).to.not.equal("0x");
    const driver = IssuerDriver.onHardhat(provider, book);
    expect(await driver.ustbPrice(), "USTB's oracle is seeded").to.be.within(10_000_000n, 12_000_000n);
    expect((await driver.jtrsyPrice()).price, "JTRSY's price is seeded").to.be.gt(10n ** 18n);
    const holder = (await provider.getSigner(1)).address;
    await driver.allowlist("USTB", holder); // an admin action, impersonated through the node
    await driver.fundUsdc(holder, 1_000n * 10n ** 6n);
    const usdc = new Contract(MAINNET.USDC, ["function balanceOf(address) view returns (uint256)"], provider);
    expect(await usdc.getFunction("balanceOf")(holder)).to.equal(1_000n * 10n ** 6n);
  });
});

/**
 * Fork mode, run for real against a local fork source:
 *   npm run test:fork-local
 *
 * Starts a `hardhat node` that reports chain id 1, mines it at mainnet's twelve seconds a block to just
 * below the block the address book is written for (`MAINNET_AS_OF`, past Osaka's activation, its clock
 * then near that block's date), installs the emulated mainnet there over JSON-RPC (the sandbox issuers at the real addresses, admins impersonated
 * through the node), and runs the integration and attack suites with `MAINNET_RPC_URL` pointing at it and
 * `FORK_BLOCK` at its head — the path a real fork takes: `npm run fork:check` first, then admins read
 * from chain and impersonated, chain time, the hardfork of the fork block (Osaka), the fork-only suites
 * on, the sandbox-only suites off.
 *
 * This proves the fork machinery, not the issuers: the contracts behind the addresses are our sandbox.
 * Prints one result line and exits non-zero on any failure, or when nothing ran.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { MAINNET_AS_OF } from "../src/addresses";
import { hardforkAt } from "../src/config/hardforks";
import { impersonating } from "../src/issuers/actors";
import { installEmulatedMainnet } from "../src/sandbox/install";
import { ROOT, childEnv, runScript, startNode, type LocalNode } from "../test/helpers/node";

/** Mined to just below the book's block (the installation adds the rest): above Osaka's activation. */
const FORK_SOURCE_HEIGHT = MAINNET_AS_OF.block - 300;
/** Mainnet's slot time: mined at it, the source's clock reaches late 2026 at that height. */
const BLOCK_SECONDS = 12;
/** The fork source's clock starts where twelve seconds a block bring it to late November 2026. */
const CHAIN_START = new Date(Date.UTC(2026, 10, 26) - FORK_SOURCE_HEIGHT * BLOCK_SECONDS * 1_000).toISOString();

/** The suites run in fork mode. The issuer and deploy CLI suites start nodes of their own, which a
 * fork source would only slow down; the unit and keeper suites never touch an issuer. */
const SUITES = ["test/integration", "test/attacks"];
const NOT_IN_FORK_MODE = ["test/integration/issuer-cli.test.ts"];

function say(line: string): void {
  process.stdout.write(`[fork-local] ${line}\n`);
}

async function prepareSource(): Promise<{ node: LocalNode; block: number }> {
  say(`starting a hardhat node on chain id 1, its clock at ${CHAIN_START}…`);
  const node = await startNode({ LOCAL_CHAIN_ID: "1", LOCAL_CHAIN_START: CHAIN_START });
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
  try {
    const chainId = await provider.send("eth_chainId", []);
    if (BigInt(chainId) !== 1n) throw new Error(`the fork source reports chain id ${chainId}, not 1`);
    const height = await provider.getBlockNumber();
    say(`mining to block ${FORK_SOURCE_HEIGHT.toLocaleString("en-US")} (${BLOCK_SECONDS} s a block)…`);
    await provider.send("hardhat_mine", [
      `0x${(FORK_SOURCE_HEIGHT - height).toString(16)}`,
      `0x${BLOCK_SECONDS.toString(16)}`,
    ]);
    say("installing the emulated mainnet at the real addresses…");
    const deployer = await provider.getSigner(0);
    await installEmulatedMainnet(provider, deployer, impersonating(provider));
    const head = await provider.getBlock("latest");
    if (!head) throw new Error("the fork source has no latest block");
    say(
      `fork source ready: block ${head.number}, ${new Date(head.timestamp * 1000).toISOString()}, ` +
        `forked under ${hardforkAt(head.number)}`,
    );
    return { node, block: head.number };
  } catch (error) {
    node.stop();
    throw error;
  } finally {
    provider.destroy();
  }
}

interface MochaCounts {
  passing: number;
  failing: number;
  pending: number;
}

/** Mocha's summary lines ("  12 passing (3m)", "  2 pending", "  1 failing"). */
export function mochaCounts(output: string): MochaCounts {
  const count = (word: string): number => {
    const match = new RegExp(`^\\s*(\\d+) ${word}\\b`, "m").exec(output);
    return match ? Number(match[1]) : 0;
  };
  return { passing: count("passing"), failing: count("failing"), pending: count("pending") };
}

async function runSuites(url: string, block: number): Promise<{ code: number; output: string }> {
  const files = SUITES.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".test.ts"))
      .map((file) => path.posix.join(dir, file.split(path.sep).join("/"))),
  )
    .filter((file) => !NOT_IN_FORK_MODE.includes(file))
    .sort();
  say(`running ${files.length} suites in fork mode (MAINNET_RPC_URL=${url}, FORK_BLOCK=${block})…`);
  const child = spawn("npx", ["hardhat", "test", ...files], {
    cwd: ROOT,
    env: childEnv({ MAINNET_RPC_URL: url, FORK_BLOCK: String(block), FORK_SOURCE: "emulated" }),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await new Promise<number>((resolve) => child.on("close", (status) => resolve(status ?? 1)));
  return { code, output };
}

/** `npm run fork:check` against the fork, first: the suites run only on a source whose facts hold. */
async function checkFacts(url: string, block: number): Promise<void> {
  say("checking the live facts the adapters and the driver depend on (npm run fork:check)…");
  const check = await runScript("fork-check", [], {
    MAINNET_RPC_URL: url,
    FORK_BLOCK: String(block),
    FORK_SOURCE: "emulated",
  });
  process.stdout.write(check.stdout);
  if (check.code !== 0) throw new Error(`fork:check failed (exit ${check.code}):\n${check.stderr}`);
}

async function main(): Promise<void> {
  const { node, block } = await prepareSource();
  let result: { code: number; output: string };
  try {
    await checkFacts(node.url, block);
    result = await runSuites(node.url, block);
  } finally {
    node.stop();
  }
  const { passing, failing, pending } = mochaCounts(result.output);
  const line =
    `fork mode against the local emulated mainnet (chain id 1, block ${block}): ` +
    `${passing + failing} run, ${passing} passing, ${failing} failing, ${pending} pending`;
  process.stdout.write(`\n${line}\n`);
  if (result.code !== 0 || failing > 0 || passing === 0) {
    process.stderr.write(
      passing === 0 ? "fork mode ran no test: treat as a failure\n" : `fork mode failed (exit ${result.code})\n`,
    );
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`fork-local: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

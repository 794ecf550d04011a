/**
 * Deploy, configure and verify a ReserveVault system from a parameters file, then start the handover.
 *   npm run deploy -- --network localhost --params deploy/params/hardhat.json [--dry-run]
 *   npm run deploy -- --network localhost --verify-only [--explorer]
 * Nothing is sent before every preflight check passes. Each step is recorded in
 * deployments/<network>.json as it completes; a rerun continues an interrupted deployment, and a
 * second system needs --new (the old record is kept under deployments/<network>/).
 */
import "dotenv/config";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Option } from "commander";
import { keccak256, toUtf8Bytes } from "ethers";
import { cliProgram, runCli, UsageError } from "../src/cli/args";
import type { Deployment } from "../src/deploy/system";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface Options {
  network: "hardhat" | "localhost" | "sepolia" | "mainnet";
  params?: string;
  deployments: string;
  dryRun?: boolean;
  verifyOnly?: boolean;
  handoverComplete?: boolean;
  sandbox?: string;
  new?: boolean;
  explorer?: boolean;
}

async function main(): Promise<void> {
  const program = cliProgram(
    "deploy",
    "Deploy, configure and verify a ReserveVault system, and hand it over to governance",
  )
    .addOption(
      new Option("--network <name>", "Hardhat network")
        .choices(["hardhat", "localhost", "sepolia", "mainnet"])
        .makeOptionMandatory(),
    )
    .option("--params <file>", "parameters file (default deploy/params/<network>.json)")
    .option("--deployments <dir>", "where deployments are recorded", "deployments")
    .option("--dry-run", "run every check and print the plan, each transaction and its gas; send nothing")
    .option("--verify-only", "only verify the recorded deployment against the parameters")
    .option("--handover-complete", "with --verify-only: require governance to have accepted the admin role")
    .option("--sandbox <file>", "issuer book of a sandbox deployment (default deployments/sandbox-<network>.json)")
    .option("--new", "deploy another system although one is recorded (the old record is kept under a dated name)")
    .option("--explorer", "publish the recorded contracts' sources on the block explorer (needs ETHERSCAN_API_KEY)");
  program.parse(process.argv);
  const opts = program.opts<Options>();
  if (opts.handoverComplete && !opts.verifyOnly) {
    throw new UsageError("--handover-complete", "goes with --verify-only; add --verify-only");
  }
  if (opts.verifyOnly && (opts.new || opts.dryRun)) {
    throw new UsageError(opts.new ? "--new" : "--dry-run", "does not go with --verify-only; drop one of them");
  }
  if (opts.explorer && opts.dryRun) throw new UsageError("--explorer", "does not go with --dry-run; drop one of them");
  const { networkSettings } = await import("../src/config/environment");
  const preflight = await import("../src/deploy/preflight");
  const settings = networkSettings();
  const url =
    opts.network === "localhost"
      ? settings.localhostUrl
      : opts.network === "sepolia"
        ? settings.sepolia?.url
        : opts.network === "mainnet"
          ? settings.mainnet?.url
          : undefined;
  // Ask the RPC directly, with a short timeout, before Hardhat's provider (which retries) is made.
  const rpcChainId = opts.network === "hardhat" ? undefined : await preflight.checkRpc(opts.network, url);

  process.env.HARDHAT_NETWORK = opts.network;
  const hre = await import("hardhat");
  const provider = hre.ethers.provider;
  const chainId = rpcChainId ?? (await provider.getNetwork()).chainId;
  const { readParams } = await import("../src/deploy/params");
  const { configure, deploy, handover, verify } = await import("../src/deploy/system");
  const { archiveRecord, Journal, RECORD_FORMAT, recordFile } = await import("../src/deploy/journal");
  const { IssuerDriver } = await import("../src/issuers/driver");

  const { book, source } = await preflight.chooseBook({
    network: opts.network,
    deployments: opts.deployments,
    ...(opts.sandbox ? { sandboxFile: opts.sandbox } : {}),
    chainId,
    provider,
  });
  const paramsFile = opts.params ?? path.join("deploy", "params", `${opts.network}.json`);
  const params = readParams(paramsFile, book);
  const file = recordFile(opts.deployments, opts.network);
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : undefined;

  if (opts.verifyOnly) {
    if (!existing)
      throw new preflight.PreflightError("--verify-only", `no deployment is recorded at ${file}; deploy first`);
    const deployment = existing as unknown as Deployment;
    const problems = await verify(params, deployment, provider, book, {
      handoverComplete: Boolean(opts.handoverComplete),
      warn: (message) => say(`WARNING ${message}`),
    });
    for (const problem of problems) say(`PROBLEM ${problem}`);
    say(problems.length === 0 ? "verified: the deployment matches the parameters" : `${problems.length} problem(s)`);
    if (problems.length > 0) {
      process.exitCode = 1;
      return;
    }
    if (opts.explorer) await publish(hre, deployment);
    return;
  }

  const [signer] = await hre.ethers.getSigners();
  if (!signer) {
    throw new preflight.PreflightError(
      "DEPLOYER_PRIVATE_KEY",
      `no account to deploy with on ${opts.network}; set DEPLOYER_PRIVATE_KEY to the deployer's private key`,
    );
  }
  const deployer = await signer.getAddress();
  await preflight.checkChainState(params, book, provider, { network: opts.network, chainId, deployer });

  const paramsHash = keccak256(toUtf8Bytes(JSON.stringify(params)));
  let resuming = false;
  if (existing && !opts.new) {
    if (existing.status !== "in progress") {
      throw new preflight.PreflightError(
        "--new",
        `a deployment is already recorded in ${file} (vault ${String(existing.vault)}); ` +
          `check it with --verify-only, or pass --new to deploy another system (the record is then kept under ${path.join(opts.deployments, opts.network)}/)`,
      );
    }
    for (const [field, recorded, now] of [
      ["--network", existing.chainId, chainId.toString()],
      ["DEPLOYER_PRIVATE_KEY", existing.deployer, deployer],
      ["--params", existing.paramsHash, paramsHash],
    ] as const) {
      if (recorded !== now) {
        throw new preflight.PreflightError(
          field,
          `the interrupted deployment in ${file} was made with a different ${field === "--network" ? "chain" : field === "--params" ? "parameters file" : "deployer"}; ` +
            `rerun with the same one to finish it, or pass --new to start over (the record is kept)`,
        );
      }
    }
    resuming = true;
  }

  const header = {
    format: RECORD_FORMAT,
    network: opts.network,
    chainId: chainId.toString(),
    deployer,
    status: "in progress" as const,
    startedAt: new Date().toISOString(),
    paramsHash,
    steps: [],
  };
  const record = resuming ? (existing as typeof header) : header;
  const journal = new Journal<Deployment>(record, file, signer, (line) => say(`  ${line}`));
  const local = preflight.isLocal(opts.network);
  const driver = params.allowlistAtIssuers
    ? source.startsWith("sandbox")
      ? IssuerDriver.withKey(provider, book, signer, { canWarpTime: local })
      : local
        ? IssuerDriver.onHardhat(provider, book)
        : undefined
    : undefined;
  if (params.allowlistAtIssuers && !driver) {
    throw new preflight.PreflightError(
      "allowlistAtIssuers",
      `is true but ${opts.network} has real issuers, who allowlist adapters themselves; set it to false and ask each issuer`,
    );
  }
  const ctx = { signer, book, network: opts.network, journal, ...(driver ? { driver } : {}) };
  // The same code runs for the plan (nothing sent) and for real.
  const everything = async (): Promise<Deployment> => {
    const deployment = await deploy(params, ctx);
    await configure(params, deployment, ctx);
    await handover(params, deployment, ctx);
    return deployment;
  };

  say(`network ${opts.network} (chain ${chainId}), deployer ${deployer}`);
  say(`issuer book: ${source}`);
  for (const line of await preflight.describeParams(params, book, provider)) say(line);
  const steps = await journal.plan(everything);
  const { fee } = await preflight.checkBalance(steps, provider, deployer).catch((error: unknown) => {
    // Show the plan the balance was measured against before refusing.
    for (const line of preflight.describeSteps(steps, 0n)) say(line);
    throw error;
  });
  for (const line of preflight.describeSteps(steps, fee)) say(line);
  if (opts.dryRun) {
    say(
      existing && opts.new
        ? `dry run: nothing sent (a real run first keeps ${file} under ${path.join(opts.deployments, opts.network)}/)`
        : "dry run: nothing sent",
    );
    return;
  }

  if (existing && opts.new) say(`kept the previous record as ${archiveRecord(opts.deployments, opts.network)}`);
  if (resuming) {
    const done = record.steps.filter((s: { status: string }) => s.status === "done").length;
    const left = steps.filter((s) => s.state === "to send").length;
    say(`resuming the deployment recorded in ${file}: ${done} steps done, ${left} to send`);
  }
  journal.save();
  const deployment = await everything();
  const { sent, alreadyRight, skipped } = journal.counts;
  say(`recorded ${file}: ${sent} steps sent, ${alreadyRight} already right, ${skipped} done before`);
  const problems = await verify(params, deployment, provider, book, {
    handoverComplete: false,
    warn: (message) => say(`WARNING ${message}`),
  });
  for (const problem of problems) say(`PROBLEM ${problem}`);
  if (problems.length > 0) {
    process.exitCode = 1;
    return;
  }
  journal.complete();
  say("verified; governance must now call acceptDefaultAdminTransfer() after the admin transfer delay");
  if (opts.explorer) await publish(hre, deployment);
}

/** Publishes each recorded contract's source with hardhat-verify, from the recorded constructor arguments. */
async function publish(hre: typeof import("hardhat"), deployment: Deployment): Promise<void> {
  const { publishSources } = await import("../src/deploy/explorer");
  await publishSources(hre, deployment, say);
}

runCli("deploy", main);

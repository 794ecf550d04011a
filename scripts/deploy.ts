/**
 * Deploy, configure and verify a ReserveVault system from a parameters file, then start the handover.
 *   npm run deploy -- --network localhost --params deploy/params/localhost.json [--dry-run]
 *   npm run deploy -- --network localhost --verify-only
 * The deployment is recorded in deployments/<network>.json; verify exits 1 listing every problem.
 */
import { Command } from "commander";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const program = new Command()
  .name("deploy")
  .description("Deploy, configure and verify a ReserveVault system, and hand it over to governance")
  .requiredOption("--network <name>", "Hardhat network (hardhat, localhost, sepolia, mainnet)")
  .option("--params <file>", "parameters file (default deploy/params/<network>.json)")
  .option("--deployments <dir>", "where deployments are recorded", "deployments")
  .option("--dry-run", "print what would be deployed and configured; send nothing")
  .option("--verify-only", "only verify the recorded deployment against the parameters")
  .option("--handover-complete", "with --verify-only: require governance to have accepted the admin role")
  .option("--sandbox <file>", "issuer book of a sandbox deployment (deployments/sandbox-<network>.json)")
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<{
    network: string;
    params?: string;
    deployments: string;
    dryRun?: boolean;
    verifyOnly?: boolean;
    handoverComplete?: boolean;
    sandbox?: string;
  }>();
  process.env.HARDHAT_NETWORK = opts.network;
  const hre = await import("hardhat");
  const { readParams } = await import("../src/deploy/params");
  const { configure, deploy, handover, verify } = await import("../src/deploy/system");
  const { mainnetBook } = await import("../src/issuers/book");
  const { readRecord } = await import("../src/issuers/record");
  const { IssuerDriver } = await import("../src/issuers/driver");

  const sandboxFile = opts.sandbox ?? path.join(opts.deployments, `sandbox-${opts.network}.json`);
  const sandbox = existsSync(sandboxFile) ? readRecord(opts.deployments, opts.network) : undefined;
  const book = sandbox?.book ?? mainnetBook();
  const params = readParams(opts.params ?? path.join("deploy", "params", `${opts.network}.json`), book);
  const record = path.join(opts.deployments, `${opts.network}.json`);

  if (opts.verifyOnly) {
    if (!existsSync(record)) throw new Error(`no deployment recorded at ${record}; deploy first`);
    const deployment = JSON.parse(readFileSync(record, "utf8"));
    const problems = await verify(params, deployment, hre.ethers.provider, book, {
      handoverComplete: Boolean(opts.handoverComplete),
      warn: (message) => say(`WARNING ${message}`),
    });
    for (const problem of problems) say(`PROBLEM ${problem}`);
    say(problems.length === 0 ? "verified: the deployment matches the parameters" : `${problems.length} problem(s)`);
    if (problems.length > 0) process.exitCode = 1;
    return;
  }

  const [signer] = await hre.ethers.getSigners();
  if (!signer) throw new Error(`no account to deploy with on ${opts.network}; set DEPLOYER_PRIVATE_KEY`);
  say(
    `network ${opts.network}, deployer ${await signer.getAddress()}, issuer book: ${sandbox ? sandboxFile : "mainnet"}`,
  );
  say(`vault over ${params.asset} "${params.name}" (${params.symbol}); governance ${params.governance}`);
  for (const a of params.adapters) {
    say(
      `  adapter ${a.name} (${a.kind}): weight ${a.weightBps} bps, cap ${a.cap}, rate ${a.rateLimit.maxAmount} + ${a.rateLimit.slopePerSecond}/s`,
    );
  }
  say(
    `  roles: curators ${params.roles.curators.join(", ")}; keepers ${params.roles.keepers.join(", ")}; guardians ${params.roles.guardians.join(", ")}`,
  );
  say(
    `  buffer ${params.vault.bufferBps} bps, band ${params.vault.driftBandBps} bps / ${params.vault.minMove}, timelock ${params.vault.timelockSeconds} s`,
  );
  if (opts.dryRun) {
    say("dry run: nothing sent");
    return;
  }
  const local = opts.network === "hardhat" || opts.network === "localhost";
  const driver =
    params.allowlistAtIssuers && sandbox
      ? IssuerDriver.withKey(hre.ethers.provider, book, signer, { canWarpTime: local })
      : params.allowlistAtIssuers && local
        ? IssuerDriver.onHardhat(hre.ethers.provider, book)
        : undefined;
  const ctx = { signer, book, network: opts.network, onStep: (s: string) => say(`  ${s}`) };
  const deployment = await deploy(params, ctx);
  mkdirSync(opts.deployments, { recursive: true });
  writeFileSync(record, `${JSON.stringify(deployment, null, 2)}\n`);
  say(`recorded ${record}`);
  await configure(params, deployment, { ...ctx, ...(driver ? { driver } : {}) });
  await handover(params, deployment, ctx);
  const problems = await verify(params, deployment, hre.ethers.provider, book, {
    handoverComplete: false,
    warn: (message) => say(`WARNING ${message}`),
  });
  for (const problem of problems) say(`PROBLEM ${problem}`);
  if (problems.length > 0) {
    process.exitCode = 1;
    return;
  }
  say("verified; governance must now call acceptDefaultAdminTransfer() after the admin transfer delay");
  if (local) return;
  if (!hre.config.etherscan?.apiKey || Object.keys(hre.config.etherscan.apiKey).length === 0) {
    say("source verification skipped: set ETHERSCAN_API_KEY to publish the sources");
    return;
  }
  const { vaultLinks } = await import("../src/testing/deployVault");
  for (const source of deployment.sources) {
    say(`  publishing the source of ${source.label} (${source.address})…`);
    await hre.run("verify:verify", {
      address: source.address,
      contract: source.contract,
      constructorArguments: source.args,
      ...(source.label === "ReserveVault"
        ? {
            libraries: vaultLinks(deployment.libraries),
          }
        : {}),
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`deploy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

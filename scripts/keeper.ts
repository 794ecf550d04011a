/**
 * The rebalance keeper.
 *   npm run keeper -- --network localhost --once [--dry-run] [--config keeper.localhost.json]
 *   npm run keeper -- --network mainnet --watch
 * Secrets come from the environment: KEEPER_PRIVATE_KEY, or KEEPER_KEYSTORE + KEEPER_KEYSTORE_PASSWORD.
 * Logs are JSON lines on stdout; metrics on --metrics-port (or metricsPort in the config) at /metrics.
 */
import "dotenv/config";
import { existsSync } from "node:fs";
import { Option } from "commander";
import { cliProgram, EXIT, portArg, runCli } from "../src/cli/args";
import pino from "pino";
import { ConfigError, loadKeeperConfig } from "../src/config/keeper";
import { defaultRpcUrl, providerFor, signerFor } from "../src/keeper/connect";
import { tick, watch } from "../src/keeper/keeper";
import { KeeperMetrics } from "../src/keeper/metrics";
import { readDeployment, startupChecks } from "../src/keeper/startup";
import { formatStatus, readStatus } from "../src/keeper/status";

const program = cliProgram("keeper", "Report, settle and rebalance a ReserveVault, sending only what moves something")
  .requiredOption("--network <name>", "network name (localhost, sepolia, mainnet, …)")
  .addOption(new Option("--once", "run one tick and exit").conflicts("watch"))
  .addOption(new Option("--watch", "run ticks until interrupted").conflicts("once"))
  .option("--dry-run", "print the plan and send nothing")
  .option("--config <file>", "keeper JSON config (default keeper.<network>.json when present)")
  .option("--metrics-port <port>", "serve Prometheus metrics on this port (0: none)", portArg("--metrics-port"));

async function main(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<{
    network: string;
    once?: boolean;
    watch?: boolean;
    dryRun?: boolean;
    config?: string;
    metricsPort?: number;
  }>();
  if (!opts.once && !opts.watch) program.error("choose --once or --watch", { exitCode: 2 });
  const fallbackFile = `keeper.${opts.network}.json`;
  const file = opts.config ?? (existsSync(fallbackFile) ? fallbackFile : undefined);
  const rpc = defaultRpcUrl(opts.network);
  const deployment = readDeployment(opts.network);
  const config = loadKeeperConfig({
    ...(file ? { file } : {}),
    ...(deployment ? { deployment } : {}),
    requireKey: !opts.dryRun,
    ...(rpc ? { defaultRpcUrl: rpc } : {}),
  });
  const log = pino({ base: { network: opts.network, vault: config.vault } });
  const provider = providerFor(config);
  let server: Awaited<ReturnType<KeeperMetrics["serve"]>> | undefined;
  try {
    const signer = opts.dryRun ? undefined : await signerFor(config, provider);
    await startupChecks(provider, config, { network: opts.network, ...(signer ? { signer } : {}) });
    const metrics = new KeeperMetrics();
    // A dry run beside a running keeper must not fight it for the port: it serves metrics only when asked.
    const port = opts.metricsPort ?? (opts.dryRun ? 0 : config.metricsPort);
    if (port > 0) {
      // /healthz fails once the last successful tick is older than three polls.
      server = await metrics
        .serve(port, "127.0.0.1", 3 * config.pollIntervalSeconds)
        .catch((error: { code?: string }) => {
          throw error.code === "EADDRINUSE"
            ? new ConfigError(
                opts.metricsPort !== undefined ? "--metrics-port" : "metricsPort",
                `port ${port} is in use (another keeper?); choose a free port, or 0 for none`,
              )
            : error;
        });
      log.info({ port }, "metrics on /metrics");
    }
    const ctx = { provider, config, log, metrics, ...(signer ? { signer } : {}) };
    if (opts.once) {
      const outcome = await tick(ctx, { dryRun: Boolean(opts.dryRun) });
      if (opts.dryRun) {
        const view = await readStatus(provider, config, { ...(deployment ? { deployment } : {}), governance: true });
        process.stderr.write(formatStatus(view));
      }
      if (outcome.held) process.exitCode = EXIT.held;
    } else {
      const controller = new AbortController();
      for (const sig of ["SIGINT", "SIGTERM"] as const) {
        process.on(sig, () => {
          log.info({ signal: sig }, "stopping after the current tick");
          controller.abort();
        });
      }
      await watch(ctx, { dryRun: Boolean(opts.dryRun), signal: controller.signal });
    }
  } finally {
    server?.close();
    provider.destroy();
  }
}

runCli("keeper", main);

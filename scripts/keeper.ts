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
import { loadKeeperConfig } from "../src/config/keeper";
import { defaultRpcUrl, providerFor, signerFor, assetDecimals } from "../src/keeper/connect";
import { tick, watch } from "../src/keeper/keeper";
import { KeeperMetrics } from "../src/keeper/metrics";
import { readSnapshot } from "../src/keeper/reader";
import { formatStatus, statusView } from "../src/keeper/status";

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
  const config = loadKeeperConfig({
    ...(file ? { file } : {}),
    requireKey: !opts.dryRun,
    ...(rpc ? { defaultRpcUrl: rpc } : {}),
  });
  const log = pino({ base: { network: opts.network, vault: config.vault } });
  const provider = providerFor(config);
  const signer = opts.dryRun ? undefined : await signerFor(config, provider);
  const metrics = new KeeperMetrics();
  const port = opts.metricsPort ?? config.metricsPort;
  const server = port > 0 ? await metrics.serve(port) : undefined;
  if (server) log.info({ port }, "metrics on /metrics");
  const ctx = { provider, config, log, metrics, ...(signer ? { signer } : {}) };
  try {
    if (opts.once) {
      const outcome = await tick(ctx, { dryRun: Boolean(opts.dryRun) });
      if (opts.dryRun) {
        const snapshot = await readSnapshot(provider, config.vault);
        process.stderr.write(
          formatStatus(statusView(snapshot, outcome.legs, await assetDecimals(provider, config.vault))),
        );
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

/**
 * The vault's state and the plan the next keeper tick would execute.
 *   npm run status -- --network localhost [--json] [--config keeper.localhost.json]
 */
import "dotenv/config";
import { existsSync } from "node:fs";
import { cliProgram, runCli } from "../src/cli/args";
import { loadKeeperConfig } from "../src/config/keeper";
import { defaultRpcUrl, providerFor } from "../src/keeper/connect";
import { readDeployment, startupChecks } from "../src/keeper/startup";
import { formatStatus, readStatus } from "../src/keeper/status";

const program = cliProgram(
  "status",
  "Print each adapter's target and current weight, drift, value, in-flight amounts, NAV age and limits; the next plan and why an adapter gets no leg; role holders and pending timelocked changes",
)
  .requiredOption("--network <name>", "network name (localhost, sepolia, mainnet, …)")
  .option("--json", "print JSON instead of a table")
  .option("--config <file>", "keeper JSON config (default keeper.<network>.json when present)");

async function main(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<{ network: string; json?: boolean; config?: string }>();
  const fallbackFile = `keeper.${opts.network}.json`;
  const file = opts.config ?? (existsSync(fallbackFile) ? fallbackFile : undefined);
  const rpc = defaultRpcUrl(opts.network);
  const deployment = readDeployment(opts.network);
  const config = loadKeeperConfig({
    ...(file ? { file } : {}),
    ...(deployment ? { deployment } : {}),
    requireKey: false,
    ...(rpc ? { defaultRpcUrl: rpc } : {}),
  });
  const provider = providerFor(config);
  try {
    await startupChecks(provider, config, { network: opts.network });
    const view = await readStatus(provider, config, { ...(deployment ? { deployment } : {}), governance: true });
    process.stdout.write(opts.json ? `${JSON.stringify(view, null, 2)}\n` : formatStatus(view));
  } finally {
    provider.destroy();
  }
}

runCli("status", main);

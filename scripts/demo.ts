/**
 * The main job: the whole system on the embedded network, no setup.
 *   npm run demo [-- --days 42]
 * Prints the status table at each milestone and a summary, and writes reports/demo.html.
 */
import path from "node:path";
import { runCli, UsageError } from "../src/cli/args";

function days(): number {
  const i = process.argv.indexOf("--days");
  if (i < 0) return 42;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 120) {
    throw new UsageError("--days", "must be a whole number of days from 1 to 120, e.g. --days 42");
  }
  return value;
}

async function main(): Promise<void> {
  // The demo runs on the embedded network; Hardhat reads its network when first loaded.
  process.env.HARDHAT_NETWORK = "hardhat";
  const { runDemo } = await import("../src/demo/run");
  await runDemo({
    days: days(),
    reportFile: path.join(__dirname, "..", "reports", "demo.html"),
    print: (text) => process.stdout.write(`${text}\n`),
  });
}

runCli("demo", main);

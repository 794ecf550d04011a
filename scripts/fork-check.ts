/**
 * The live facts the adapters and the issuer driver depend on, expected beside found:
 *   npm run fork:check [-- --set ENTRY=0xADDRESS …] [--json]
 * With MAINNET_RPC_URL set it reads a fork of mainnet at FORK_BLOCK (by default the block the address book
 * is written for); without it, the emulated mainnet installed on the in-process network. `--set` checks
 * another address for a book entry. Prints one row per fact and exits 1 naming every entry whose fact
 * does not hold.
 */
import "dotenv/config";
import Table from "cli-table3";
import { MAINNET_AS_OF, type MainnetName } from "../src/addresses";
import { addressArg, cliProgram, runCli, UsageError } from "../src/cli/args";
import { forkSettings } from "../src/config/environment";
import { hardforkAt } from "../src/config/hardforks";
import { mainnetBook, type IssuerBook } from "../src/issuers/book";
import { failures, forkCheck } from "../src/issuers/forkCheck";

const program = cliProgram(
  "fork:check",
  "Check the issuers' live contracts against the address book and what the adapters and the driver call",
)
  .option("--set <entry=address>", "check ADDRESS for the book entry ENTRY (repeatable)", collect, [])
  .option("--json", "print the rows as JSON");

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The book with `--set` overrides applied; a wrong entry name or address is a usage error. */
function bookWith(overrides: readonly string[]): IssuerBook {
  const book = mainnetBook();
  for (const override of overrides) {
    const [entry, address] = override.split("=");
    if (!entry || address === undefined) {
      throw new UsageError("--set", `"${override}" must read ENTRY=0xADDRESS, e.g. --set JTRSY_VAULT=0x…`);
    }
    if (!(entry in book)) {
      throw new UsageError("--set", `${entry} is not an address book entry; one of ${Object.keys(book).join(", ")}`);
    }
    try {
      book[entry as MainnetName] = addressArg(`--set ${entry}`)(address);
    } catch (error) {
      throw new UsageError("--set", (error as Error).message);
    }
  }
  return book;
}

async function main(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<{ set: string[]; json?: boolean }>();
  const book = bookWith(opts.set);
  const fork = forkSettings();
  // The in-process network: a fork of mainnet when MAINNET_RPC_URL is set (hardhat.config.ts).
  process.env.HARDHAT_NETWORK = "hardhat";
  const hre = await import("hardhat");
  const provider = hre.ethers.provider;
  let where: string;
  if (fork) {
    where = `${fork.source === "emulated" ? "a fork of the emulated mainnet" : "a fork of mainnet"} at block ${fork.blockNumber} (${hardforkAt(fork.blockNumber)})`;
  } else {
    const [{ installEmulatedMainnet }, { impersonating }] = await Promise.all([
      import("../src/sandbox/install"),
      import("../src/issuers/actors"),
    ]);
    const [deployer] = await hre.ethers.getSigners();
    process.stderr.write("installing the emulated mainnet in-process (set MAINNET_RPC_URL to check a real fork)…\n");
    await installEmulatedMainnet(provider, deployer!, impersonating(provider));
    where = "the emulated mainnet";
  }
  const blockNumber = await provider.getBlockNumber();
  const block = await provider.getBlock(blockNumber);
  process.stderr.write(`reading ${where}, block ${blockNumber}…\n`);
  const rows = await forkCheck(provider, book, blockNumber);
  const failed = failures(rows);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ block: blockNumber, where, rows }, null, 2)}\n`);
  } else {
    const table = new Table({
      head: ["entry", "check", "expected", "found", ""],
      style: { head: [], border: [] },
      colWidths: [34, 44, 40, 44, 4],
      wordWrap: true,
    });
    for (const r of rows) table.push([r.entry, r.check, r.expected, r.found, r.ok ? "ok" : "✗"]);
    process.stdout.write(
      `fork check of ${where}, block ${blockNumber} (${new Date(Number(block?.timestamp ?? 0) * 1_000).toISOString()}); ` +
        `the book is written for block ${MAINNET_AS_OF.block} (${MAINNET_AS_OF.date})\n${table.toString()}\n` +
        `${rows.length - failed.length} of ${rows.length} as expected\n`,
    );
  }
  if (failed.length > 0) {
    throw new Error(`${failed.length} fact(s) do not hold:\n  ${failed.join("\n  ")}`);
  }
}

runCli("fork:check", main);

import { Command, CommanderError, InvalidArgumentError } from "commander";
import { getAddress, parseUnits, ZeroAddress } from "ethers";
import { FieldError } from "./fieldError";

/**
 * What every command-line tool shares: its exit codes, the one usage-error type, the argument parsers
 * and the wrapper that turns an error into one line naming the field and the fix.
 */

export const EXIT = {
  ok: 0,
  /** Configuration, chain state or an unexpected failure. */
  error: 1,
  /** The command line itself was wrong. */
  usage: 2,
  /** The keeper held its plan (fee above the cap, or the simulation reverted). */
  held: 3,
} as const;

/** A wrong command line: the tool exits 2 with `<field>: <fix>`. */
export class UsageError extends FieldError {}

/** An amount in human units (`1000000`, `10.25`) converted to base units; never rounded. */
export function amountArg(field: string, decimals: number) {
  return (text: string): bigint => {
    const clean = text.replaceAll("_", "").replaceAll(",", "");
    if (!/^\d+(\.\d+)?$/.test(clean)) {
      throw new InvalidArgumentError(`${field} must be a positive decimal number such as 1000 or 10.25`);
    }
    const fraction = clean.split(".")[1] ?? "";
    if (fraction.length > decimals) throw new InvalidArgumentError(`${field} has more than ${decimals} decimals`);
    return parseUnits(clean, decimals);
  };
}

/** A 20-byte address, checksummed on the way in; the zero address is refused. */
export function addressArg(field: string) {
  return (text: string): string => {
    let address: string;
    try {
      address = getAddress(text);
    } catch {
      throw new InvalidArgumentError(
        /^0x[0-9a-fA-F]{40}$/.test(text)
          ? `${field} has a wrong checksum; write it in lower case or fix it`
          : `${field} must be a 0x-prefixed 20-byte address`,
      );
    }
    if (address === ZeroAddress) throw new InvalidArgumentError(`${field} is the zero address; give a real account`);
    return address;
  };
}

/** A whole number, optionally bounded. */
export function integerArg(field: string, bounds: { min?: bigint; max?: bigint } = {}) {
  return (text: string): bigint => {
    if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${field} must be a whole number`);
    const value = BigInt(text);
    if (bounds.min !== undefined && value < bounds.min)
      throw new InvalidArgumentError(`${field} must be at least ${bounds.min}`);
    if (bounds.max !== undefined && value > bounds.max)
      throw new InvalidArgumentError(`${field} must be at most ${bounds.max}`);
    return value;
  };
}

/** A TCP port to listen on: 1–65535, or 0 for none. */
export function portArg(field: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) > 65_535) {
      throw new InvalidArgumentError(`${field} must be a port number from 1 to 65535 (0 serves none)`);
    }
    return Number(text);
  };
}

/**
 * A commander program whose parse errors exit 2 (commander's own default is 1) and print the help hint.
 * Subcommands added with `.command()` inherit the behaviour.
 */
export function cliProgram(name: string, description: string): Command {
  return new Command()
    .name(name)
    .description(description)
    .showHelpAfterError()
    .exitOverride((error) => {
      throw error;
    });
}

/**
 * Runs a tool's main function and maps its failure to an exit code: commander's own errors (already
 * printed) and `UsageError` exit 2, anything else 1, each with one line on stderr prefixed by the tool.
 */
export function runCli(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    let causes = "";
    for (let e: unknown = error instanceof Error ? error.cause : undefined; e instanceof Error; e = e.cause) {
      causes += `\ncaused by: ${e.message.split("\n")[0]}`;
    }
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}${causes}\n`);
    process.exitCode = error instanceof UsageError ? EXIT.usage : EXIT.error;
  });
}

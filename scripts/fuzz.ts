/**
 * Deeper invariant runs than CI's, and deterministic replay of a failing seed.
 *   npm run fuzz -- --runs 500 --steps 40 --seed 12345
 *   npm run fuzz -- --focus adversity   (the adversarial issuer's faults, write-offs, strangers)
 *   FUZZ_VERBOSE=1 npm run fuzz ...      (also prints every action the system refused, and why)
 *   npm run fuzz -- --seed 7 --runs 300 --replay 191   (runs only the sequence a failure's path names)
 * Each run starts from a fresh system (Spark's split on the emulated mainnet) and applies a random
 * sequence of user, keeper, issuer, guardian and curator actions and time jumps, checking DESIGN's
 * invariants after every step. A failure prints the seed and the shrunk sequence to replay.
 */
import { InvalidArgumentError } from "commander";
import { cliProgram, runCli } from "../src/cli/args";

const whole = (field: string, min: number, max: number) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
};

const program = cliProgram("fuzz", "Invariant runs on random sequences of actions, deeper than CI's")
  .option("--runs <n>", "random sequences to run", whole("--runs", 1, 100_000), 200)
  .option("--steps <n>", "most steps per sequence", whole("--steps", 1, 1_000), 40)
  .option(
    "--seed <n>",
    "seed (replays a failure deterministically)",
    whole("--seed", 0, 2 ** 31 - 1),
    Date.now() % 2 ** 31,
  )
  .option(
    "--focus <set>",
    "commands: all, or adversity (the adversarial issuer)",
    (text: string) => {
      if (text !== "all" && text !== "adversity") {
        throw new InvalidArgumentError("--focus must be all or adversity");
      }
      return text;
    },
    "all",
  )
  .option(
    "--replay <index>",
    "run only the sequence at this index of the seed (the path a failure prints); with the same --runs and --steps",
    whole("--replay", 0, 100_000),
  );

async function main(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<{
    runs: number;
    steps: number;
    seed: number;
    focus: "all" | "adversity";
    replay?: number;
  }>();
  process.env.HARDHAT_NETWORK = "hardhat";
  const { loadFixture } = await import("@nomicfoundation/hardhat-network-helpers");
  const { invariantSystem, invariantSystemInFlight, replayRun, runInvariants, stats } =
    await import("../test/invariant/runner");
  const fresh = () => loadFixture(opts.focus === "adversity" ? invariantSystemInFlight : invariantSystem);
  if (opts.replay !== undefined) {
    if (opts.replay >= opts.runs) throw new InvalidArgumentError("--replay must be below --runs");
    process.stdout.write(`replaying sequence ${opts.replay} of seed ${opts.seed} (${opts.focus})\n`);
    await replayRun({ ...opts, index: opts.replay, fresh });
    process.stdout.write(`sequence ${opts.replay} held: ${stats.checks} checks\n`);
    return;
  }
  process.stdout.write(
    `fuzzing: ${opts.runs} sequences of up to ${opts.steps} steps, seed ${opts.seed}, commands: ${opts.focus}\n`,
  );
  const started = Date.now();
  await runInvariants({
    runs: opts.runs,
    steps: opts.steps,
    seed: opts.seed,
    focus: opts.focus,
    fresh,
    // A line every tenth of the run (at least every sequence of a short one): long runs show progress.
    onSequence: (done) => {
      if (done % Math.max(1, Math.floor(opts.runs / 10)) !== 0 && done !== opts.runs) return;
      process.stdout.write(
        `  ${done}/${opts.runs} sequences held, ${stats.checks} checks, ${((Date.now() - started) / 1_000).toFixed(0)} s\n`,
      );
    },
  });
  process.stdout.write(
    `all invariants held: ${stats.sequences} sequences, ${stats.checks} checks, ${stats.writeOffs} write-offs, ` +
      `queue ${stats.queueRequests} requests / ${stats.queueServed} served / ${stats.queueClaims} claims, ` +
      `${stats.recoveriesChecked} late recoveries with an entrant, ${stats.claimableAtWriteOff} write-offs that found proceeds claimable, ` +
      `${stats.failedExitsWithQueue} failed exits with exits queued, ` +
      `${((Date.now() - started) / 1_000).toFixed(1)} s (seed ${opts.seed})\n`,
  );
}

runCli("fuzz", main);

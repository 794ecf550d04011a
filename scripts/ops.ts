/**
 * Each role's actions on a recorded deployment, by name and in units:
 *   npm run ops -- --network localhost curator submit weight --adapter USTB --bps 3500
 *   npm run ops -- --network localhost curator pending
 *   npm run ops -- --network localhost curator execute weight --adapter USTB --bps 3500
 *   npm run ops -- --network localhost guardian quarantine --adapter JTRSY
 *   npm run ops -- --network localhost holder deposit --amount 1000000
 *   npm run ops -- --network mainnet --timelock 0x… governance accept      (writes the payload)
 * With --safe <address> or --timelock <address> nothing is sent: the payload for governance is written
 * (a Safe Transaction Builder batch, or TimelockController schedule/execute calldata). Otherwise the call
 * is checked (role, simulation) and sent with OPS_PRIVATE_KEY, or on a local node from --from.
 */
import "dotenv/config";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { addressArg, amountArg, cliProgram, integerArg, runCli, UsageError } from "../src/cli/args";
import type { Call, ChangeKind, ChangeOptions, Target } from "../src/ops/actions";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface Globals {
  network: string;
  deployments: string;
  from?: string;
  safe?: string;
  timelock?: string;
  salt?: string;
  predecessor?: string;
  delay?: bigint;
  out?: string;
}

const bytes32 = (field: string) => (text: string) => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(field, "must be 0x and 64 hex digits (32 bytes)");
  return text;
};

const program = cliProgram(
  "ops",
  "Each role's actions on a recorded deployment: send them, or write them for governance",
)
  .requiredOption("--network <name>", "Hardhat network (localhost, sepolia, mainnet, …)")
  .option("--deployments <dir>", "where the deployment is recorded", "deployments")
  .option("--from <address>", "on a local node: the node account to send from", addressArg("--from"))
  .option(
    "--safe <address>",
    "write a Safe Transaction Builder batch for this Safe instead of sending",
    addressArg("--safe"),
  )
  .option(
    "--timelock <address>",
    "write TimelockController schedule/execute calldata instead of sending",
    addressArg("--timelock"),
  )
  .option("--salt <bytes32>", "with --timelock: the operation's salt (default zero)", bytes32("--salt"))
  .option(
    "--predecessor <bytes32>",
    "with --timelock: an operation that must run first (default none)",
    bytes32("--predecessor"),
  )
  .option("--delay <seconds>", "with --timelock: the delay (default the timelock's minimum)", integerArg("--delay"))
  .option("--out <file>", "with --safe or --timelock: where to write the payload");

const globals = () => program.opts<Globals>();

async function connect() {
  const g = globals();
  if (g.safe && g.timelock) throw new UsageError("--safe", "and --timelock are exclusive; choose one");
  if (!g.timelock && (g.salt || g.predecessor || g.delay !== undefined)) {
    throw new UsageError(g.salt ? "--salt" : g.predecessor ? "--predecessor" : "--delay", "goes with --timelock");
  }
  if (g.out && !g.safe && !g.timelock) throw new UsageError("--out", "goes with --safe or --timelock");
  process.env.HARDHAT_NETWORK = g.network;
  const hre = await import("hardhat");
  const { loadTarget } = await import("../src/ops/actions");
  const target = await loadTarget(g.deployments, g.network, hre.ethers.provider);
  return { hre, target };
}

/** Sends the calls, or writes them for governance, as the global options say. */
async function deliver(hre: typeof import("hardhat"), target: Target, calls: Call[], name: string): Promise<void> {
  const g = globals();
  const provider = hre.ethers.provider;
  const chainId = (await provider.getNetwork()).chainId;
  for (const call of calls) say(`${call.description}`);
  if (g.safe || g.timelock) {
    const payloads = await import("../src/ops/payloads");
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    let file: string;
    let body: unknown;
    if (g.safe) {
      body = payloads.safeBatch(calls, { chainId, safe: g.safe, name: `Reserve Router: ${name}` });
      file = g.out ?? path.join("payloads", `${g.network}-${name.replaceAll(" ", "-")}-${stamp}.safe.json`);
    } else {
      const delay =
        g.delay ??
        (payloads.TIMELOCK.decodeFunctionResult(
          "getMinDelay",
          await provider.call({ to: g.timelock!, data: payloads.TIMELOCK.encodeFunctionData("getMinDelay") }),
        )[0] as bigint);
      body = payloads.timelockPayload(calls, {
        timelock: g.timelock!,
        delay,
        ...(g.salt ? { salt: g.salt } : {}),
        ...(g.predecessor ? { predecessor: g.predecessor } : {}),
      });
      file = g.out ?? path.join("payloads", `${g.network}-${name.replaceAll(" ", "-")}-${stamp}.timelock.json`);
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
    say(`nothing sent; wrote ${g.safe ? "the Safe batch" : "the TimelockController payload"} to ${file}`);
    return;
  }
  const { sendChecked } = await import("../src/ops/send");
  const signer = await (await import("../src/ops/send")).opsSigner(hre, g.network, g.from);
  for (const call of calls) {
    const hash = await sendChecked(signer, target, call);
    say(`  sent ${hash}`);
  }
}

const change = (kind: ChangeKind, options: ChangeOptions) => ({ kind, options });

/** Adds one subcommand per setting change under `parent`, each calling `run` with the change. */
function changeCommands(parent: Command, verb: string, run: (c: ReturnType<typeof change>) => Promise<void>) {
  const table: Array<[ChangeKind, string, (cmd: Command) => Command]> = [
    [
      "weight",
      "an adapter's target weight",
      (c) =>
        c
          .requiredOption("--adapter <name>", "adapter")
          .requiredOption("--bps <n>", "weight in bps", integerArg("--bps")),
    ],
    [
      "cap",
      "an adapter's cap",
      (c) =>
        c.requiredOption("--adapter <name>", "adapter").requiredOption("--amount <units>", "cap in the asset's units"),
    ],
    [
      "rate-limit",
      "an adapter's entry rate limit",
      (c) =>
        c
          .requiredOption("--adapter <name>", "adapter")
          .requiredOption("--max <units>", "burst, in the asset's units")
          .requiredOption("--per-day <units>", "refill per day, in the asset's units"),
    ],
    [
      "slippage",
      "an adapter's slippage bound",
      (c) =>
        c
          .requiredOption("--adapter <name>", "adapter")
          .requiredOption("--bps <n>", "bound in bps", integerArg("--bps")),
    ],
    [
      "request-age",
      "an adapter's maximum request age",
      (c) =>
        c
          .requiredOption("--adapter <name>", "adapter")
          .requiredOption("--seconds <n>", "seconds", integerArg("--seconds")),
    ],
    ["buffer", "the idle buffer", (c) => c.requiredOption("--bps <n>", "buffer in bps", integerArg("--bps"))],
    [
      "withdraw-order",
      "the withdraw order",
      (c) => c.requiredOption("--adapters <names>", "adapter names, comma-separated, in order"),
    ],
  ];
  for (const [kind, summary, shape] of table) {
    shape(parent.command(kind).description(`${verb} ${summary}`)).action(
      async (opts: Record<string, string | bigint>) => {
        await run(change(kind, opts as ChangeOptions));
      },
    );
  }
}

/** Amount options arrive as text: converted with the asset's decimals once the deployment is loaded. */
function inUnits(target: Target, options: ChangeOptions & Record<string, unknown>): ChangeOptions {
  const units = (flag: string, value: unknown) =>
    value === undefined ? undefined : amountArg(flag, target.asset.decimals)(String(value));
  return {
    ...options,
    ...(options.amount !== undefined ? { amount: units("--amount", options.amount) } : {}),
    ...(options.max !== undefined ? { max: units("--max", options.max) } : {}),
    ...(options.perDay !== undefined ? { perDay: units("--per-day", options.perDay) } : {}),
  } as ChangeOptions;
}

async function changeCall(verb: "submit" | "execute" | "revoke", spec: ReturnType<typeof change>) {
  const { hre, target } = await connect();
  const { encodeChange, VAULT } = await import("../src/ops/actions");
  const c = encodeChange(target, spec.kind, inUnits(target, spec.options as ChangeOptions & Record<string, unknown>));
  const vault = target.deployment.vault;
  const call: Call =
    verb === "execute"
      ? { to: vault, data: c.data, value: 0n, description: `execute: ${c.description}`, roles: ["CURATOR_ROLE"] }
      : {
          to: vault,
          data: VAULT.encodeFunctionData(verb, [c.data]),
          value: 0n,
          description: `${verb}: ${c.description}`,
        };
  await deliver(hre, target, [call], `${verb} ${spec.kind}`);
}

const curator = program.command("curator").description("the curator's timelocked setting changes");
for (const verb of ["submit", "execute", "revoke"] as const) {
  changeCommands(curator.command(verb).description(`${verb} a setting change`), verb, (spec) => changeCall(verb, spec));
}
curator
  .command("pending")
  .description("list submitted changes with the time each can be executed")
  .action(async () => {
    const { hre, target } = await connect();
    const { pendingChanges } = await import("../src/ops/actions");
    const pending = await pendingChanges(target, hre.ethers.provider);
    if (pending.length === 0) say("no pending changes");
    for (const p of pending) {
      say(
        `${p.description}: executable at ${new Date(Number(p.executableAt) * 1000).toISOString()} (${p.state}), id ${p.id}`,
      );
    }
  });

const guardian = program.command("guardian").description("the guardian's protective actions");
const simple = (
  parent: Command,
  name: string,
  description: string,
  fn: string,
  roles: string[],
  args?: "adapter" | "keeper",
) => {
  const cmd = parent.command(name).description(description);
  if (args === "adapter") cmd.requiredOption("--adapter <name>", "adapter");
  if (args === "keeper") cmd.requiredOption("--keeper <address>", "keeper to remove", addressArg("--keeper"));
  cmd.action(async (opts: { adapter?: string; keeper?: string }) => {
    const { hre, target } = await connect();
    const { adapterNamed, VAULT } = await import("../src/ops/actions");
    const values = args === "adapter" ? [adapterNamed(target, opts.adapter!)] : args === "keeper" ? [opts.keeper!] : [];
    const what = args === "adapter" ? ` ${opts.adapter}` : args === "keeper" ? ` ${opts.keeper}` : "";
    await deliver(
      hre,
      target,
      [
        {
          to: target.deployment.vault,
          data: VAULT.encodeFunctionData(fn, values),
          value: 0n,
          description: `${description}${what}`,
          roles,
        },
      ],
      `${parent.name()} ${name}`,
    );
  });
};
simple(guardian, "pause", "pause deposits and rebalancing", "pause", ["GUARDIAN_ROLE"]);
simple(guardian, "unpause", "unpause", "unpause", ["GUARDIAN_ROLE", "DEFAULT_ADMIN_ROLE"]);
simple(guardian, "quarantine", "quarantine the adapter", "quarantine", ["GUARDIAN_ROLE"], "adapter");
guardian
  .command("lift")
  .description("lift the quarantine of the adapter, booking at most the value reviewed")
  .requiredOption("--adapter <name>", "adapter")
  .option(
    "--max-value <units>",
    "the most the adapter may be booked at, in the asset's units (default: its valuation now); a higher valuation at execution is refused",
  )
  .action(async (opts: { adapter: string; maxValue?: string }) => {
    const { hre, target } = await connect();
    const { adapterNamed, VAULT } = await import("../src/ops/actions");
    const { formatAmount } = await import("../src/cli/units");
    const adapter = adapterNamed(target, opts.adapter);
    let maxValue: bigint;
    let source: string;
    if (opts.maxValue !== undefined) {
      maxValue = amountArg("--max-value", target.asset.decimals)(opts.maxValue);
      source = "as reviewed";
    } else {
      const live = new hre.ethers.Contract(
        adapter,
        ["function totalAssets() view returns (uint256)"],
        hre.ethers.provider,
      );
      try {
        maxValue = (await live.getFunction("totalAssets")()) as bigint;
      } catch {
        throw new UsageError(
          "--max-value",
          `the adapter ${opts.adapter} has no usable valuation now; give the value you reviewed with --max-value`,
        );
      }
      source = "its valuation now";
    }
    const booked = formatAmount(maxValue, target.asset.decimals, target.asset.symbol);
    await deliver(
      hre,
      target,
      [
        {
          to: target.deployment.vault,
          data: VAULT.encodeFunctionData("liftQuarantine", [adapter, maxValue]),
          value: 0n,
          description: `lift the quarantine of the adapter ${opts.adapter}, booking at most ${booked} (${source})`,
          roles: ["GUARDIAN_ROLE", "CURATOR_ROLE"],
        },
      ],
      "guardian lift",
    );
  });
simple(
  guardian,
  "write-off",
  "write off the overdue request of the adapter",
  "writeOff",
  ["GUARDIAN_ROLE", "CURATOR_ROLE"],
  "adapter",
);
simple(guardian, "remove-keeper", "remove the keeper", "removeKeeper", ["GUARDIAN_ROLE"], "keeper");
changeCommands(guardian.command("revoke").description("revoke a submitted change"), "revoke", (spec) =>
  changeCall("revoke", spec),
);

const governance = program.command("governance").description("governance's actions");
simple(
  governance,
  "accept",
  "accept the vault's admin role (completes the handover)",
  "acceptDefaultAdminTransfer",
  [],
);

const holder = program.command("holder").description("a holder's deposits and exits (testnets)");
for (const [name, description] of [
  ["deposit", "deposit assets"],
  ["withdraw", "withdraw assets"],
  ["redeem", "redeem shares"],
] as const) {
  holder
    .command(name)
    .description(description)
    .requiredOption(
      name === "redeem" ? "--shares <units>" : "--amount <units>",
      name === "redeem" ? "shares, in units" : "assets, in the asset's units",
    )
    .action(async (opts: { amount?: string; shares?: string }) => {
      const { hre, target } = await connect();
      const { holderCalls } = await import("../src/ops/send");
      const g = globals();
      const who =
        g.safe ?? g.timelock ?? (await (await import("../src/ops/send")).opsSigner(hre, g.network, g.from)).address;
      await deliver(
        hre,
        target,
        await holderCalls(hre.ethers.provider, target, name, opts.amount ?? opts.shares!, who),
        `holder ${name}`,
      );
    });
}

runCli("ops", async () => {
  await program.parseAsync(process.argv);
});

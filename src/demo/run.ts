import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ContractRunner } from "ethers";
import pino from "pino";
import { formatAmount } from "../cli/units";
import { loadKeeperConfig, type KeeperConfig } from "../config/keeper";
import { readParams } from "../deploy/params";
import { configure, deploy } from "../deploy/system";
import { impersonating } from "../issuers/actors";
import type { IssuerBook } from "../issuers/book";
import { IssuerDriver } from "../issuers/driver";
import { tick } from "../keeper/keeper";
import { nextMove } from "../keeper/explain";
import { readSnapshot } from "../keeper/reader";
import { formatStatus, statusView } from "../keeper/status";
import { SANDBOX_SEED, installEmulatedMainnet } from "../sandbox/install";
import { hardhatWallet } from "../testing/accounts";
import {
  renderReport,
  type DemoEvent,
  type DemoLadder,
  type DemoPoint,
  type DemoPosition,
  type DemoYield,
} from "./report";
import {
  BuidlAdapter__factory,
  IERC7540Like__factory,
  RedeemQueue__factory,
  ReserveVault__factory,
  SandboxUSDC__factory,
  UstbAdapter__factory,
} from "../../typechain-types";

const USDC = 10n ** 6n;
/** An amount in USDC as a person reads it: separators, to the cent (below a dollar, exact). */
const usdc = (amount: bigint): string =>
  formatAmount(amount >= USDC ? (amount / 10_000n) * 10_000n : amount, 6, "USDC");
const DAY = 86_400;

export interface DemoOptions {
  days: number;
  reportFile: string;
  /** Where the milestones and summary go. */
  print: (text: string) => void;
}

export interface DemoResult {
  points: DemoPoint[];
  events: DemoEvent[];
  summary: Array<[string, string]>;
  ladder: DemoLadder;
  yields: DemoYield[];
  reportFile: string;
}

/**
 * The whole system on the embedded network: the emulated mainnet installed, Spark's split deployed and
 * configured from deploy/params/hardhat.json, $100M deposited, then the real keeper ticking once a day
 * while the issuers act — NAVs accrue, fills and epochs, a dividend, a weight change through the
 * timelock, a large withdrawal, a holder of 30 % exiting through the redemption queue, and a stale USTB
 * oracle that is quarantined and recovers.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const hre = await import("hardhat");
  const { ethers } = hre;
  const provider = ethers.provider;
  const say = options.print;
  const [deployer, , curator, , guardian, alice, bob] = await ethers.getSigners();
  if (!deployer || !curator || !guardian || !alice || !bob) throw new Error("the embedded network needs 7 accounts");
  const keeper = hardhatWallet(3, provider);

  // Start on a Monday at 15:00 UTC, inside the treasury issuers' New York window.
  const now = (await provider.getBlock("latest"))!.timestamp;
  const date = new Date(now * 1_000);
  const toMonday = (8 - date.getUTCDay()) % 7 || 7;
  const start = Math.floor(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + toMonday, 15) / 1_000,
  );
  await provider.send("evm_setNextBlockTimestamp", [start]);
  await provider.send("evm_mine", []);

  say("installing the emulated mainnet (sandbox issuers at their real addresses)…");
  const book = await installEmulatedMainnet(provider, deployer, impersonating(provider));
  const driver = IssuerDriver.onHardhat(provider, book);
  const params = readParams(path.join(__dirname, "..", "..", "deploy", "params", "hardhat.json"), book);
  say("deploying and configuring Spark's split: BUIDL-I 50 %, USTB 30 %, JTRSY 20 %, 2 % idle buffer…");
  const deployment = await deploy(params, { signer: deployer, book, network: "hardhat" });
  await configure(params, deployment, { signer: deployer, book, network: "hardhat", driver });
  await sayJaaaAvailable(provider, book, say);
  const vault = ReserveVault__factory.connect(deployment.vault, provider);
  const names = params.adapters.map((a) => a.name);
  const addressOf = (name: string) => deployment.adapters[name]!;
  const ustb = UstbAdapter__factory.connect(addressOf("USTB"), provider);
  const buidlI = BuidlAdapter__factory.connect(addressOf("BUIDL-I"), provider);

  const queue = RedeemQueue__factory.connect(deployment.redeemQueue, provider);
  for (const [holder, deposit] of [
    [alice, 70_000_000n * USDC],
    [bob, 30_000_000n * USDC],
  ] as const) {
    await driver.fundUsdc(holder.address, deposit);
    await (await SandboxUSDC__factory.connect(book.USDC, holder).approve(vault, deposit)).wait();
    await (await vault.connect(holder).deposit(deposit, holder)).wait();
  }
  await driver.fundUstbRedemption(10_000_000n * USDC); // RedemptionIdle's USDC, as in January 2025
  say("alice deposited 70,000,000 USDC, bob 30,000,000 USDC (30 % of the vault)");
  let bobRequestedDay = 0;
  let dividend: { day: number; tokens: bigint; held: bigint } | undefined;
  let bobServedDay = 0;

  const keeperConfig: KeeperConfig = {
    ...loadKeeperConfig({
      env: { KEEPER_VAULT: deployment.vault },
      requireKey: false,
      defaultRpcUrl: "http://embedded",
    }),
    reportIntervalSeconds: DAY,
    navMoveBps: 5,
    confirmations: 1,
    stuckAfterSeconds: 60,
    calendar: Object.fromEntries(Object.values(deployment.adapters).map((a) => [a, "treasury" as const])),
  };
  const log = pino({ level: "silent" });
  const decimals = 6;
  // On a chain that has lived a while (a long-running node, or after other work in the same process)
  // the emulated issuers may not have struck a price for days: they strike today's before day 0.
  const ustbNav0 = await driver.ustbPrice().catch(async () => {
    await driver.setUstbNav(SANDBOX_SEED.ustbNavs[1]);
    return driver.ustbPrice();
  });
  const jtrsy0 = (await driver.jtrsyPrice()).price;
  await driver.setJtrsyPrice(jtrsy0);
  const events: DemoEvent[] = [];
  const points: DemoPoint[] = [];
  let keeperTxs = 0;
  let legs = 0;
  let quarantines = 0;
  const note = (day: number, label: string) => {
    events.push({ day, label });
    say(`day ${day}: ${label}`);
  };
  const businessDay = (t: number) => {
    const d = new Date(t * 1_000).getUTCDay();
    return d !== 0 && d !== 6;
  };
  const sharePrice = async () => Number(await vault.convertToAssets(10n ** 18n)) / 1e6;
  const dollars = (amount: bigint) => Number(amount) / 1e6;
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const nameOf = (address: string) =>
    names.find((n) => addressOf(n).toLowerCase() === address.toLowerCase()) ?? address;
  const kindOf = (address: string) => params.adapters.find((a) => a.name === nameOf(address))?.kind;
  const record = async (day: number) => {
    // One snapshot, one block: positions, weights and targets all read from it.
    const snapshot = await readSnapshot(provider, deployment.vault);
    const total = snapshot.state.totalAssets;
    const positions: Record<string, DemoPosition> = {};
    const weights: Record<string, number> = {};
    const targets: Record<string, number> = {};
    snapshot.state.adapters.forEach((adapter, i) => {
      const name = nameOf(adapter.address);
      const status = snapshot.status[i]!;
      // What is on its way: subscriptions not yet filled, plus the exit side once. An ERC-7540 claim
      // is part of its own request; elsewhere landed proceeds are the paid part of the redemption.
      const kind = kindOf(adapter.address);
      const exiting =
        kind === "erc7540"
          ? adapter.pendingRedeem
          : adapter.pendingRedeem > status.claimable
            ? adapter.pendingRedeem
            : status.claimable;
      const inFlight = min(status.pendingDeposit + exiting, adapter.value);
      positions[name] = {
        settled: dollars(adapter.value > inFlight ? adapter.value - inFlight : 0n),
        inFlight: dollars(inFlight),
        quarantined: adapter.quarantined,
      };
      weights[name] = total === 0n ? 0 : Number((adapter.value * 10_000n) / total) / 100;
      // The share of total assets the vault aims for: the weight applies after the buffer.
      targets[name] = (Number(adapter.targetWeightBps) * (10_000 - Number(snapshot.state.bufferBps))) / 1_000_000;
    });
    points.push({
      day,
      sharePrice: await sharePrice(),
      totalAssets: Number(total) / 1e6,
      idleWeight: total === 0n ? 0 : Number((snapshot.state.idle * 10_000n) / total) / 100,
      weights,
      targets,
      idle: dollars(snapshot.state.idle),
      positions,
    });
  };
  const milestone = async (day: number) => {
    const snapshot = await readSnapshot(provider, deployment.vault);
    say(
      `\n=== day ${day} ===\n${formatStatus(statusView(snapshot, nextMove(snapshot, { calendar: {} }, new Date()), { decimals, symbol: snapshot.asset.symbol }))}`,
    );
  };
  const price0 = await sharePrice();
  await record(0);

  for (let day = 1; day <= options.days; day++) {
    const t = start + day * DAY;
    await provider.send("evm_setNextBlockTimestamp", [t]);
    await provider.send("evm_mine", []);
    const open = businessDay(t);
    const staleWindow = day >= 24 && day <= 30;

    // --- the issuers act (business days)
    if (open && !staleWindow) {
      const nav = ustbNav0 + (ustbNav0 * 46n * BigInt(day)) / 365_000n; // +4.6 % a year
      await driver.addUstbCheckpoint(nav);
    }
    if (open) {
      const pendingIn = await buidlI.pendingDeposit();
      if (pendingIn > 0n) await driver.issueBuidl("BUIDL_I", addressOf("BUIDL-I"), pendingIn);
      for (const [name, adapter] of [
        ["USTB", ustb],
        ["BUIDL-I", buidlI],
      ] as const) {
        const owed = await adapter.pendingRedeem();
        const landed = await SandboxUSDC__factory.connect(book.USDC, provider).balanceOf(addressOf(name));
        if (owed > landed) await driver.fundUsdc(addressOf(name), owed - landed);
      }
      await driver.setJtrsyPrice(jtrsy0 + (jtrsy0 * 45n * BigInt(day)) / 365_000n);
      const jtrsyVault = new ethers.Contract(
        book.JTRSY_VAULT,
        [
          "function pendingDepositRequest(uint256,address) view returns (uint256)",
          "function pendingRedeemRequest(uint256,address) view returns (uint256)",
        ],
        provider,
      );
      if (((await jtrsyVault.getFunction("pendingDepositRequest")(0, addressOf("JTRSY"))) as bigint) > 0n) {
        await driver.fulfilJtrsyDeposit(addressOf("JTRSY"));
      }
      if (((await jtrsyVault.getFunction("pendingRedeemRequest")(0, addressOf("JTRSY"))) as bigint) > 0n) {
        await driver.fulfilJtrsyRedeem(addressOf("JTRSY"));
      }
    }

    // --- the scripted events
    if (day === 9) {
      await (await vault.connect(curator).setTargetWeight(addressOf("JTRSY"), 1_000n)).wait();
      const raise = vault.interface.encodeFunctionData("setTargetWeight", [addressOf("BUIDL-I"), 6_000n]);
      await (await vault.connect(curator).submit(raise)).wait();
      note(day, "curator cuts JTRSY to 10 % at once and submits BUIDL-I to 60 % (risk up: timelocked one day)");
    }
    if (day === 10) {
      await (await vault.connect(curator).setTargetWeight(addressOf("BUIDL-I"), 6_000n)).wait();
      note(day, "the timelock has passed: BUIDL-I's weight rises to 60 %");
    }
    if (day === 17) {
      const amount = 12_000_000n * USDC;
      await (await vault.connect(alice).withdraw(amount, alice, alice)).wait();
      note(day, `alice withdraws ${usdc(amount)}, beyond idle: USTB's instant liquidity serves the rest`);
    }
    if (day === 18) {
      const shares = await vault.balanceOf(bob);
      await (await vault.connect(bob).approve(queue, shares)).wait();
      await (await queue.connect(bob).requestRedeem(shares, bob, bob)).wait();
      bobRequestedDay = day;
      note(
        day,
        `bob queues his whole position (${usdc(await queue.pendingAssets())}, 30 % of the vault): ` +
          "more than idle and instant liquidity; the plan frees it through USTB's instant exit and BUIDL-I and JTRSY redemptions",
      );
    }
    if (day === 24) note(day, "Superstate stops striking USTB's NAV: its oracle will go stale");
    if (day === 30) {
      const held = (await new ethers.Contract(
        book.BUIDL_I,
        ["function balanceOf(address) view returns (uint256)"],
        provider,
      ).getFunction("balanceOf")(addressOf("BUIDL-I"))) as bigint;
      await driver.issueBuidl("BUIDL_I", addressOf("BUIDL-I"), (held * 43n) / 12_000n);
      dividend = { day, tokens: (held * 43n) / 12_000n, held };
      note(day, "BUIDL-I pays its monthly dividend in new tokens (4.3 % a year)");
    }
    if (day === 31) {
      await driver.addUstbCheckpoint(ustbNav0 + (ustbNav0 * 46n * 31n) / 365_000n);
      const config = await vault.adapterConfig(addressOf("USTB"));
      if (config.quarantined) {
        // The guardian reviews the valuation it books, and binds the lift to it.
        const reviewed = await UstbAdapter__factory.connect(addressOf("USTB"), provider).totalAssets();
        await (await vault.connect(guardian).liftQuarantine(addressOf("USTB"), reviewed)).wait();
        note(day, "the NAV is struck again; the guardian lifts USTB's quarantine");
      }
    }

    // --- the keeper's daily tick
    const before = await provider.getTransactionCount(keeper.address);
    const quarantinedBefore = (await vault.adapterConfig(addressOf("USTB"))).quarantined;
    const outcome = await tick(
      {
        provider,
        signer: keeper,
        config: keeperConfig,
        log,
        clock: () => new Date(t * 1_000),
        sleep: async () => undefined,
      },
      { dryRun: false },
    );
    keeperTxs += (await provider.getTransactionCount(keeper.address)) - before;
    if (outcome.queueAssets > 0n) {
      note(day, `the keeper serves bob's queued exit: ${usdc(outcome.queueAssets)} set aside for him`);
    }
    if (bobRequestedDay !== 0 && bobServedDay === 0 && (await queue.pendingRedeemRequest(0, bob)) === 0n) {
      bobServedDay = day;
      const claimed = await queue.maxWithdraw(bob);
      await (await queue.connect(bob).withdraw(claimed, bob, bob)).wait();
      note(day, `bob's exit is complete: he claims ${usdc(claimed)}, ${day - bobRequestedDay} days after asking`);
    }
    if (outcome.sent) legs += outcome.legs.length;
    if (!quarantinedBefore && (await vault.adapterConfig(addressOf("USTB"))).quarantined) {
      quarantines++;
      note(day, "the keeper's report finds USTB's oracle stale: USTB is quarantined, the rest carries on");
    }
    await record(day);
    if ([1, 10, 17, 19, 25, 31].includes(day) || day === options.days) await milestone(day);
  }

  const priceEnd = await sharePrice();
  const annualized = ((priceEnd / price0) ** (365 / options.days) - 1) * 100;
  const summary: Array<[string, string]> = [
    ["days simulated", String(options.days)],
    ["total assets", usdc(await vault.totalAssets())],
    ["share price", `${price0.toFixed(6)} → ${priceEnd.toFixed(6)} (${annualized.toFixed(2)} % a year)`],
    ["keeper transactions", String(keeperTxs)],
    ["rebalance legs executed", String(legs)],
    ["quarantines", String(quarantines)],
    [
      "bob's queued exit (30 %)",
      bobServedDay === 0
        ? bobRequestedDay === 0
          ? "not requested in this run"
          : `requested day ${bobRequestedDay}, ${usdc(await queue.pendingAssets())} still pending`
        : `requested day ${bobRequestedDay}, served and claimed day ${bobServedDay}`,
    ],
    ["locked profit left", usdc(await vault.lockedProfit())],
  ];
  const ladder = await liquidityLadder(options.days);
  const annual = (start: bigint, end: bigint) => ((Number(end) / Number(start)) ** (365 / options.days) - 1) * 100;
  const ustbEnd = await driver.ustbPrice().catch(() => undefined);
  const jtrsyEnd = (await driver.jtrsyPrice()).price;
  const yields: DemoYield[] = [
    {
      product: "BUIDL-I",
      basis: dividend
        ? `$1 a token; dividend of ${dollars(dividend.tokens).toLocaleString("en-US")} tokens on ${dollars(dividend.held).toLocaleString("en-US")} held, day ${dividend.day} (monthly)`
        : "$1 a token; no dividend paid in the run",
      ...(dividend
        ? { annualizedPercent: ((1 + Number(dividend.tokens) / Number(dividend.held)) ** 12 - 1) * 100 }
        : {}),
    },
    {
      product: "USTB",
      basis: ustbEnd
        ? `NAV $${(Number(ustbNav0) / 1e6).toFixed(6)} → $${(Number(ustbEnd) / 1e6).toFixed(6)} over ${options.days} days`
        : "no NAV at the end of the run (oracle stale)",
      ...(ustbEnd ? { annualizedPercent: annual(ustbNav0, ustbEnd) } : {}),
    },
    {
      product: "JTRSY",
      basis: `price $${(Number(jtrsy0) / 1e18).toFixed(6)} → $${(Number(jtrsyEnd) / 1e18).toFixed(6)} over ${options.days} days`,
      annualizedPercent: annual(jtrsy0, jtrsyEnd),
    },
  ];
  mkdirSync(path.dirname(options.reportFile), { recursive: true });
  writeFileSync(
    options.reportFile,
    renderReport({
      title: "Reserve Router — Spark's split over simulated weeks",
      points,
      names,
      events,
      summary,
      ladder,
      yields,
    }),
  );
  say(`\nsummary\n${summary.map(([k, v]) => `  ${k.padEnd(24)} ${v}`).join("\n")}\nwrote ${options.reportFile}`);
  return { points, events, summary, ladder, yields, reportFile: options.reportFile };

  /**
   * What the vault could turn back into USDC and how soon: idle and every instant exit now; the rest of
   * USTB and BUIDL-I by off-chain redemption, paid the next business day; JTRSY at its issuer's epoch.
   */
  async function liquidityLadder(day: number): Promise<DemoLadder> {
    const snapshot = await readSnapshot(provider, deployment.vault);
    const rung = () => ({ amount: 0n, from: new Set<string>() });
    const [instant, nextDay, epoch, held] = [rung(), rung(), rung(), rung()];
    const add = (to: ReturnType<typeof rung>, amount: bigint, from: string) => {
      if (amount === 0n) return;
      to.amount += amount;
      to.from.add(from);
    };
    add(instant, snapshot.state.idle, "idle");
    snapshot.state.adapters.forEach((adapter, i) => {
      const name = nameOf(adapter.address);
      // A quarantined book is its last good value: not something to count on at any horizon.
      if (adapter.quarantined) return add(held, adapter.value, name);
      const landed = min(snapshot.status[i]!.claimable, adapter.value); // one settle away
      const now = min(adapter.maxWithdraw, adapter.value - landed);
      add(instant, landed, `${name} proceeds awaiting settle`);
      add(instant, now, `${name} instant exit`);
      const rest = adapter.value - landed - now;
      const kind = kindOf(adapter.address);
      if (kind === "erc7540") add(epoch, rest, `${name} at its epoch`);
      else if (kind === "erc4626") add(nextDay, rest, `${name} beyond its instant liquidity`);
      else add(nextDay, rest, `${name} off-chain redemption, paid T+1`);
    });
    const list = (r: ReturnType<typeof rung>) => [...r.from].join("; ") || "nothing";
    return {
      day,
      rungs: [
        { horizon: "instant", amount: dollars(instant.amount), detail: list(instant) },
        { horizon: "next business day", amount: dollars(nextDay.amount), detail: list(nextDay) },
        { horizon: "issuer epoch", amount: dollars(epoch.amount), detail: list(epoch) },
        ...(held.amount > 0n
          ? [{ horizon: "quarantined", amount: dollars(held.amount), detail: `${list(held)}: value uncertain` }]
          : []),
      ],
    };
  }
}

/**
 * JAAA, Centrifuge's AAA CLO fund, runs on the emulated mainnet beside JTRSY in a V3 vault of the same
 * code: read from the chain and offered to the curator as a deployment parameter entry, not code.
 */
async function sayJaaaAvailable(provider: ContractRunner, book: IssuerBook, say: (text: string) => void) {
  const jaaa = IERC7540Like__factory.connect(book.JAAA_VAULT, provider);
  const price = await jaaa.pricePerShare();
  say(
    `JAAA (Centrifuge V3 AAA CLO fund, vault ${book.JAAA_VAULT}, $${formatAmount(price, 6)} a share) is available ` +
      `to list: add {"kind": "erc7540", "name": "JAAA", "target": "JAAA_VAULT", …} to the deployment parameters`,
  );
}

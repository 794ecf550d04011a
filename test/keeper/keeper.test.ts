import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import pino from "pino";
import { ConfigError, loadKeeperConfig, type KeeperConfig } from "../../src/config/keeper";
import { tick, type KeeperContext } from "../../src/keeper/keeper";
import { NonceTakenError, sendWithReplacement } from "../../src/keeper/sender";
import { readDeployment } from "../../src/keeper/startup";
import { nextMove } from "../../src/keeper/explain";
import { readSnapshot } from "../../src/keeper/reader";
import { formatStatus, statusView } from "../../src/keeper/status";
import { RedeemQueue__factory } from "../../typechain-types";
import { KeeperMetrics } from "../../src/keeper/metrics";
import { LegKind } from "../../src/keeper/planner";
import { USDC, deploySystem, walletAt } from "../helpers/fixtures";

const silent = pino({ level: "silent" });

async function keeperSystem() {
  const system = await deploySystem(2, [6_000n, 3_000n]);
  await system.vault.connect(system.alice).deposit(1_000_000n * USDC, system.alice);
  const [, , , , , , , , second] = await ethers.getSigners();
  await system.vault.connect(system.admin).grantRole(await system.vault.KEEPER_ROLE(), second!);
  const config: KeeperConfig = {
    ...loadKeeperConfig({
      env: { KEEPER_VAULT: await system.vault.getAddress() },
      requireKey: false,
      defaultRpcUrl: "http://127.0.0.1:8545",
    }),
    reportIntervalSeconds: 7 * 86_400,
    stuckAfterSeconds: 10,
  };
  // Keepers sign locally (the hash is known before broadcast), as a real keeper's key does.
  const keeper = walletAt(3, ethers.provider);
  const secondKeeper = walletAt(8, ethers.provider);
  expect(keeper.address).to.equal(system.keeper.address);
  expect(secondKeeper.address).to.equal(second!.address);
  return { ...system, config, keeper, secondKeeper };
}

function context(config: KeeperConfig, signer?: KeeperContext["signer"], clock?: () => Date): KeeperContext {
  return {
    provider: ethers.provider,
    config,
    log: silent,
    ...(signer ? { signer } : {}),
    ...(clock ? { clock } : {}),
    sleep: async () => undefined,
  };
}

describe("keeper tick", function () {
  it("sends a rebalance when the plan moves something, and nothing on the next tick", async function () {
    const { vault, keeper, config, adapters } = await loadFixture(keeperSystem);
    const first = await tick(context(config, keeper), { dryRun: false });
    expect(first.legs).to.have.length(2);
    expect(first.sent).to.match(/^0x[0-9a-f]{64}$/);
    expect((await vault.adapterConfig(adapters[0]!)).value).to.equal(600_000n * USDC);
    const nonce = await ethers.provider.getTransactionCount(keeper);
    const second = await tick(context(config, keeper), { dryRun: false });
    expect(second.legs).to.deep.equal([]);
    expect(second.sent).to.equal(undefined);
    expect(await ethers.provider.getTransactionCount(keeper), "no transaction for an empty plan").to.equal(nonce);
  });

  it("a leg that fails on chain is skipped there; the tick logs it with its decoded reason and counts it", async function () {
    const { vault, keeper, config, adapters } = await loadFixture(keeperSystem);
    await adapters[1]!.setFees(500n, 0n, 0n); // 5 % on entry: far beyond the adapter's bound
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const metrics = new KeeperMetrics();
    const named = { ...config, names: { [await adapters[1]!.getAddress()]: "STRESSED" } };
    const outcome = await tick({ ...context(named, keeper), log, metrics }, { dryRun: false });
    expect(outcome.sent, "the rebalance went out: one failing leg does not hold the others").to.match(/^0x/);
    expect(outcome.failedLegs).to.have.length(1);
    expect(outcome.failedLegs[0]!.adapter).to.equal(await adapters[1]!.getAddress());
    expect(outcome.failedLegs[0]!.reason).to.match(/^EntrySlippageExceeded\(/);
    expect((await vault.adapterConfig(adapters[0]!)).value, "the healthy leg executed").to.equal(600_000n * USDC);
    const warning = lines.find((line) => line.msg === "leg failed and was skipped");
    expect(warning?.adapter).to.equal(await adapters[1]!.getAddress());
    expect(warning?.kind, "the leg kind by name").to.equal("Deposit");
    expect(warning?.name, "the adapter's name from the deployment record").to.equal("STRESSED");
    expect(warning?.units, "the amount in units with the symbol").to.equal("300,000 USDC");
    const plan = lines.find((line) => line.msg === "plan") as { legs: Array<Record<string, unknown>> } | undefined;
    expect(plan?.legs.map((l) => [l.name ?? "", l.kind, l.amount, l.units])).to.deep.equal([
      ["", "Deposit", String(600_000n * USDC), "600,000 USDC"],
      ["STRESSED", "Deposit", String(300_000n * USDC), "300,000 USDC"],
    ]);
    expect(String(warning?.reason)).to.match(/^EntrySlippageExceeded\(/);
    const text = await metrics.registry.metrics();
    expect(text).to.match(
      new RegExp(
        `reserve_keeper_leg_failures_total\\{adapter="${await adapters[1]!.getAddress()}",kind="Deposit"\\} 1`,
      ),
    );
  });

  it("holds a rebalance whose every leg would fail: nothing sent, the reason said", async function () {
    const { vault, keeper, config, adapters } = await loadFixture(keeperSystem);
    for (const adapter of adapters) await adapter.setFees(500n, 0n, 0n); // every entry beyond its bound
    const nonce = await ethers.provider.getTransactionCount(keeper);
    const outcome = await tick(context(config, keeper), { dryRun: false });
    expect(outcome.legs, "the plan still asks for both entries").to.have.length(2);
    expect(outcome.sent).to.equal(undefined);
    expect(outcome.held).to.equal("every planned leg would fail");
    const reports = outcome.reported ? 1 : 0; // a first tick may report; it never sends the rebalance
    expect(await ethers.provider.getTransactionCount(keeper)).to.equal(nonce + reports);
    expect(await vault.connect(keeper).rebalance.staticCall(), "the vault would execute none").to.equal(0n);
  });

  it("--dry-run prints the plan and sends nothing (checked on chain)", async function () {
    const { vault, keeper, config } = await loadFixture(keeperSystem);
    const nonce = await ethers.provider.getTransactionCount(keeper);
    const outcome = await tick(context(config, keeper), { dryRun: true });
    expect(outcome.legs).to.have.length(2);
    expect(outcome.sent).to.equal(undefined);
    expect(await ethers.provider.getTransactionCount(keeper)).to.equal(nonce);
    expect(await vault.idle()).to.equal(1_000_000n * USDC);
  });

  it("reports when a book is older than the interval or the NAV moved, and settles what was fulfilled", async function () {
    const { vault, keeper, config, adapters } = await loadFixture(keeperSystem);
    await tick(context(config, keeper), { dryRun: false });
    await adapters[0]!.moveNav(3_000n * USDC); // +0.5 %: past the 10 bps trigger
    const moved = await tick(context(config, keeper), { dryRun: false });
    expect(moved.reported).to.equal(true);
    expect(await vault.lockedProfit(), "locked, a second of unlocking aside").to.be.closeTo(3_000n * USDC, USDC);

    await adapters[1]!.setAsync(false, true);
    await adapters[1]!.setLimits(0n, 2n ** 200n, 0n);
    await vault.connect((await ethers.getSigners())[2]!).setTargetWeight(adapters[1]!, 1_000n);
    await tick(context(config, keeper), { dryRun: false }); // requests the exit
    await adapters[1]!.fulfilRedeem(await adapters[1]!.pendingRedeemAssets());
    const settled = await tick(context(config, keeper), { dryRun: false });
    expect(settled.settled).to.deep.equal([await adapters[1]!.getAddress()]);
    expect(await adapters[1]!.pendingRedeem()).to.equal(0n);

    await time.increase(7 * 86_400);
    expect((await tick(context(config, keeper), { dryRun: false })).reported, "the weekly report").to.equal(true);
  });

  it("settles an adapter whose issuer refuses the claim once, then not again until its claimable changes or a report interval passes", async function () {
    const { vault, keeper, curator, config, adapters } = await loadFixture(keeperSystem);
    const adapter = adapters[1]!;
    const address = await adapter.getAddress();
    await tick(context(config, keeper), { dryRun: false }); // places
    await adapter.setAsync(false, true);
    await adapter.setLimits(0n, 2n ** 200n, 0n);
    await vault.connect(curator).setTargetWeight(adapter, 1_000n);
    await tick(context(config, keeper), { dryRun: false }); // requests the exit
    await adapter.fulfilRedeem(await adapter.pendingRedeemAssets());
    await adapter.setClaimsRefused(true);

    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const ctx = { ...context(config, keeper), log };
    expect((await tick(ctx, { dryRun: false })).settled, "tried once").to.deep.equal([address]);
    expect(lines.filter((l) => String(l.msg).startsWith("settle claimed nothing"))).to.have.length(1);
    expect((await tick(ctx, { dryRun: false })).settled, "not again while nothing changed").to.deep.equal([]);

    await adapter.setClaimsRefused(false); // the issuer lets claims through again, showing the same amount
    await time.increase(config.reportIntervalSeconds);
    expect((await tick(ctx, { dryRun: false })).settled, "retried after a report interval").to.deep.equal([address]);
    expect(await adapter.claimable()).to.equal(0n);
    expect(ctx.refusedClaims?.has(address)).to.equal(false);
  });

  it("files nothing to a treasury issuer on a Saturday or a holiday, and does on the next business day", async function () {
    const { vault, keeper, config, adapters } = await loadFixture(keeperSystem);
    const [treasury, always] = await Promise.all(adapters.map((a) => a.getAddress()));
    const withCalendar: KeeperConfig = { ...config, calendar: { [treasury!]: "treasury" } };
    const saturday = () => new Date("2026-11-28T16:00:00Z"); // 11:00 in New York
    const thanksgiving = () => new Date("2026-11-26T16:00:00Z");
    const monday = () => new Date("2026-11-30T15:00:00Z"); // 10:00 in New York

    const onSaturday = await tick(context(withCalendar, keeper, saturday), { dryRun: false });
    expect(onSaturday.skipMask).to.equal(1n);
    expect(
      onSaturday.legs.map((l) => l.adapter),
      "the rest of the plan proceeds",
    ).to.deep.equal([always]);
    expect((await vault.adapterConfig(treasury!)).value).to.equal(0n);
    const onHoliday = await tick(context(withCalendar, keeper, thanksgiving), { dryRun: false });
    expect(onHoliday.legs).to.deep.equal([]);
    const onMonday = await tick(context(withCalendar, keeper, monday), { dryRun: false });
    expect(onMonday.legs.map((l) => l.adapter)).to.deep.equal([treasury]);
    expect((await vault.adapterConfig(treasury!)).value).to.equal(600_000n * USDC);
  });

  it("status says what the keeper does at the same block: a closed calendar, a paused vault, and why", async function () {
    const { vault, keeper, config, adapters, guardian } = await loadFixture(keeperSystem);
    const addresses = await Promise.all(adapters.map((a) => a.getAddress()));
    const vaultAddress = await vault.getAddress();
    // Every adapter a treasury product, Saturday night in New York: the keeper plans nothing.
    const closed: KeeperConfig = { ...config, calendar: Object.fromEntries(addresses.map((a) => [a, "treasury"])) };
    const saturdayNight = () => new Date("2026-11-29T03:00:00Z");
    const dry = await tick(context(closed, undefined, saturdayNight), { dryRun: true });
    const snapshot = await readSnapshot(ethers.provider, vaultAddress);
    const view = statusView(snapshot, nextMove(snapshot, closed, saturdayNight()), { decimals: 6 });
    expect(dry.legs).to.deep.equal([]);
    expect(view.nextPlan, "status agrees: nothing").to.deep.equal([]);
    expect(view.adapters.every((row) => row.outsideWindow)).to.equal(true);
    expect(formatStatus(view)).to.match(
      /next tick: nothing to move, because:\n {2}0x[0-9a-fA-F]{40}: outside its issuer's window/,
    );

    // On a weekday the same plan is the keeper's and status's, leg for leg.
    const weekday = () => new Date("2026-11-30T15:00:00Z");
    const open = await tick(context(closed, undefined, weekday), { dryRun: true });
    const openView = statusView(snapshot, nextMove(snapshot, closed, weekday()), { decimals: 6 });
    expect(open.legs.length).to.equal(2);
    expect(openView.nextPlan.map((l) => [l.adapter, l.kind])).to.deep.equal(
      open.legs.map((l) => [l.adapter, ["Withdraw", "RequestRedeem", "Deposit"][l.kind]]),
    );

    // Paused: the keeper sends nothing and status says so instead of printing a plan it cannot send.
    await vault.connect(guardian).pause();
    const paused = await tick(context(config, keeper), { dryRun: false });
    expect(paused.legs).to.deep.equal([]);
    expect(paused.sent, "no rebalance sent").to.equal(undefined);
    expect(paused.held).to.equal("vault paused");
    expect(await vault.idle(), "nothing moved").to.equal(1_000_000n * USDC);
    const pausedSnapshot = await readSnapshot(ethers.provider, vaultAddress);
    const pausedView = statusView(pausedSnapshot, nextMove(pausedSnapshot, config, new Date()), { decimals: 6 });
    expect(pausedView.paused).to.equal(true);
    expect(pausedView.nextPlan).to.deep.equal([]);
    expect(formatStatus(pausedView)).to.contain("the vault is PAUSED: the next tick sends nothing");
  });

  it("a replacement racing its own predecessor, mined as it goes out, ends in success, not a nonce error", async function () {
    const { keeper } = await loadFixture(keeperSystem);
    const options = (onReplace: () => Promise<void>) => ({
      confirmations: 1,
      retry: { attempts: 2, baseDelayMs: 1 },
      stuckAfterSeconds: 0, // every wait times out at once: replace straight away
      caps: { maxFeePerGas: 10n ** 12n, maxPriorityFeePerGas: 10n ** 10n },
      sleep: async () => undefined,
      onReplace,
    });
    const request = {
      to: keeper.address,
      value: 1n,
      gasLimit: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 10n ** 9n,
    };
    await ethers.provider.send("evm_setAutomine", [false]);
    try {
      // The first fee level is mined just before its replacement is broadcast: the node answers
      // "nonce too low" to the replacement, and the keeper finds its own first transaction mined.
      let firstHash: string | undefined;
      const receipt = await sendWithReplacement(
        keeper,
        request,
        options(async () => {
          const pending = (await ethers.provider.send("eth_getBlockByNumber", ["pending", false])) as {
            transactions: string[];
          };
          firstHash = pending.transactions[0];
          await ethers.provider.send("evm_mine", []);
        }),
      );
      expect(receipt.hash).to.equal(firstHash);
      expect(receipt.status).to.equal(1);

      // A nonce used by a transaction the keeper did not send (its own first attempt dropped, another
      // process with the same key took the nonce) is an error that says so.
      const nonce = await ethers.provider.getTransactionCount(keeper.address, "pending");
      const failure = await sendWithReplacement(
        keeper,
        request,
        options(async () => {
          const pending = (await ethers.provider.send("eth_getBlockByNumber", ["pending", false])) as {
            transactions: string[];
          };
          await ethers.provider.send("hardhat_dropTransaction", [pending.transactions[0]]);
          await keeper.sendTransaction({ to: ethers.ZeroAddress, value: 2n, nonce, gasLimit: 21_000n });
          await ethers.provider.send("evm_mine", []);
        }),
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(NonceTakenError);
      expect((failure as Error).message).to.equal(
        `nonce ${nonce} was used by a transaction the keeper did not send; another process shares its key`,
      );
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
  });

  it("two keepers racing move once", async function () {
    const { vault, keeper, secondKeeper, config, adapters } = await loadFixture(keeperSystem);
    const outcomes = await Promise.all([
      tick(context(config, keeper), { dryRun: false }),
      tick(context(config, secondKeeper), { dryRun: false }),
    ]);
    expect(outcomes.filter((o) => o.sent !== undefined).length).to.be.gte(1);
    expect((await vault.adapterConfig(adapters[0]!)).value).to.equal(600_000n * USDC);
    expect((await vault.adapterConfig(adapters[1]!)).value).to.equal(300_000n * USDC);
    expect(await vault.idle(), "moved once, not twice").to.equal(100_000n * USDC);
  });

  it("holds when the fee is above the cap, and logs a decoded revert instead of sending", async function () {
    const { vault, keeper, guardian, config } = await loadFixture(keeperSystem);
    const cheap = await tick(context({ ...config, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, keeper), {
      dryRun: false,
    });
    expect(cheap.held).to.equal("fee above cap");
    expect(await vault.idle()).to.equal(1_000_000n * USDC);

    await vault.connect(guardian).pause();
    const paused = await tick(context(config, keeper), { dryRun: false });
    expect(paused.held, "a plan it cannot send: held, and said why").to.equal("vault paused");
    expect(paused.sent).to.equal(undefined);
  });
});

describe("keeper tick with a redemption queue", function () {
  /** The keeper system with a queue: alice's whole position waits in it while both adapters are
   * illiquid; the plan's exits are instant once liquidity returns. */
  async function queuedExit() {
    const system = await keeperSystem();
    const { vault, curator, alice, keeper, config, adapters, deployer } = system;
    const queue = await new RedeemQueue__factory(deployer).deploy(vault, 100n * USDC, 3n * 86_400n);
    await vault.connect(curator).setRedeemQueue(queue);
    await tick(context(config, keeper), { dryRun: false }); // placed: 600k / 300k / 100k idle
    for (const adapter of adapters) await adapter.setLimits(0n, ethers.MaxUint256, 0n);
    await vault.connect(alice).approve(queue, ethers.MaxUint256);
    await queue.connect(alice).requestRedeem(await vault.balanceOf(alice), alice, alice);
    return { ...system, queue };
  }

  it("serves the queue first with idle, frees the rest through the plan, and shows it in status and metrics", async function () {
    const { vault, queue, keeper, alice, config, adapters } = await loadFixture(queuedExit);
    const metrics = new KeeperMetrics();
    // Only idle (100k) can pay: the keeper serves part of alice's request at once.
    const first = await tick({ ...context(config, keeper), metrics }, { dryRun: false });
    expect(first.queueAssets).to.be.closeTo(100_000n * USDC, 1n);
    expect(first.legs, "the plan wants out but nothing is liquid").to.deep.equal([]);
    const text = await metrics.registry.metrics();
    expect(text).to.match(/reserve_queue_pending_assets 1000000000000/);
    expect(text).to.match(/reserve_queue_length 1/);
    expect(text).to.match(/reserve_queue_overdue 0/);

    const snapshot = await readSnapshot(ethers.provider, await vault.getAddress());
    const view = statusView(snapshot, nextMove(snapshot, config, new Date()), { decimals: 6 });
    expect(view.queue?.requests).to.equal("1");
    expect(view.queue?.pendingAssets).to.equal("900000.0");
    expect(view.queue?.reservedAssets).to.equal("100000.0");
    expect(view.queue?.plan).to.equal("waiting for issuers: exits already requested are in flight");
    expect(formatStatus(view)).to.match(/redemption queue 0x[0-9a-fA-F]{40}: 1 request\(s\), 900,000 pending/);
    expect(formatStatus(view)).to.match(/locked profit 0 \(book values include it\), share price 1\.0+/);

    // Instant liquidity returns: the plan would exit for the queue, but the queue draws on it directly
    // through the vault's withdraw walk, so the keeper's fulfil serves everything and no rebalance is needed.
    for (const adapter of adapters) await adapter.setLimits(ethers.MaxUint256, ethers.MaxUint256, 0n);
    const ready = await readSnapshot(ethers.provider, await vault.getAddress());
    expect(statusView(ready, nextMove(ready, config, new Date()), { decimals: 6 }).queue?.plan).to.match(
      /^the next rebalance frees 900000.0 \(2 exits/,
    );
    const second = await tick(context(config, keeper), { dryRun: false });
    expect(second.queueAssets).to.be.closeTo(900_000n * USDC, 2n);
    expect(second.legs, "nothing left to free").to.deep.equal([]);
    expect(await queue.pendingRedeemRequest(0, alice)).to.equal(0n);
    expect(await queue.maxWithdraw(alice)).to.be.closeTo(1_000_000n * USDC, 2n);
    expect(await vault.totalSupply(), "every share left").to.equal(0n);
  });

  it("a paused vault still frees what the queue waits for: the keeper sends the exits, holds no entry", async function () {
    const { vault, queue, keeper, guardian, alice, config, adapters } = await loadFixture(queuedExit);
    for (const adapter of adapters) await adapter.setAsync(false, true); // exits only by issuer redemption
    await vault.connect(guardian).pause();
    const paused = await tick(context(config, keeper), { dryRun: false });
    expect(paused.sent, "a rebalance went out while paused").to.not.equal(undefined);
    expect(paused.legs.map((leg) => leg.kind)).to.deep.equal([LegKind.RequestRedeem, LegKind.RequestRedeem]);
    expect(paused.held, "no entry was planned, none held").to.equal(undefined);
    for (const adapter of adapters) expect(await adapter.pendingRedeem()).to.be.gt(0n);
    // The issuers pay; the keeper settles and serves alice, all while paused.
    for (const adapter of adapters) await adapter.fulfilRedeem(await adapter.pendingRedeem());
    await tick(context(config, keeper), { dryRun: false });
    await tick(context(config, keeper), { dryRun: false });
    expect(await queue.pendingRedeemRequest(0, alice), "served while paused").to.equal(0n);
  });

  it("reports an overdue queue, and a dry run sends no fulfil", async function () {
    const { vault, keeper, config } = await loadFixture(queuedExit);
    await time.increase(3n * 86_400n + 1n);
    const nonce = await ethers.provider.getTransactionCount(keeper);
    const metrics = new KeeperMetrics();
    await tick({ ...context(config, keeper), metrics }, { dryRun: true });
    expect(await ethers.provider.getTransactionCount(keeper)).to.equal(nonce);
    expect(await metrics.registry.metrics()).to.match(/reserve_queue_overdue 1/);
    const snapshot = await readSnapshot(ethers.provider, await vault.getAddress());
    expect(
      statusView(snapshot, { ...nextMove(snapshot, config, new Date()), legs: [] }, { decimals: 6 }).queue?.plan,
    ).to.match(/OVERDUE: the plan makes no entries/);
  });
});

describe("keeper configuration", function () {
  const base = { requireKey: true, defaultRpcUrl: "http://127.0.0.1:8545" };
  const vault = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

  it("names the field and the fix for each bad or missing value, and never echoes a secret", function () {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{}, "vault"],
      [{ KEEPER_VAULT: "0x1234" }, "vault"],
      [{ KEEPER_VAULT: "0x5FbDB2315678afecb367f032d93F642f64180aA3" }, "vault"], // wrong checksum
      [{ KEEPER_VAULT: vault }, "KEEPER_PRIVATE_KEY"],
      [{ KEEPER_VAULT: vault, KEEPER_PRIVATE_KEY: "0xdeadbeef-secret" }, "KEEPER_PRIVATE_KEY"],
      [{ KEEPER_VAULT: vault, KEEPER_RPC_URL: "ftp://x" }, "rpcUrl"],
      [{ KEEPER_VAULT: vault, KEEPER_KEYSTORE: "/nonexistent.json" }, "KEEPER_KEYSTORE"],
    ];
    for (const [env, field] of cases) {
      let error: unknown;
      try {
        loadKeeperConfig({ ...base, env });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(env)).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).field, JSON.stringify(env)).to.equal(field);
      expect((error as Error).message).to.not.contain("deadbeef-secret");
    }
  });

  it("accepts a complete environment, with lower-case addresses and defaults", function () {
    const config = loadKeeperConfig({
      ...base,
      env: { KEEPER_VAULT: vault.toLowerCase(), KEEPER_PRIVATE_KEY: `0x${"11".repeat(32)}` },
    });
    expect(config.vault).to.equal(vault);
    expect(config.pollIntervalSeconds).to.equal(60);
    expect(config.maxFeePerGas).to.equal(100_000_000_000n);
  });

  it("takes the vault from the deployment record and adapter names in the calendar; an unknown name is refused", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "rr-keeper-record-"));
    const ustb = ethers.getAddress("0x0000000000000000000000000000000000000a11");
    writeFileSync(path.join(dir, "localhost.json"), JSON.stringify({ vault, adapters: { USTB: ustb } }));
    const deployment = readDeployment("localhost", dir)!;
    expect(deployment).to.deep.equal({ vault, adapters: { USTB: ustb } });
    expect(readDeployment("sepolia", dir), "no record, no default").to.equal(undefined);

    const file = path.join(dir, "keeper.json");
    writeFileSync(file, JSON.stringify({ calendar: { USTB: "treasury" } }));
    const config = loadKeeperConfig({ ...base, requireKey: false, env: {}, file, deployment });
    expect(config.vault, "from the record").to.equal(vault);
    expect(config.calendar).to.deep.equal({ [ustb]: "treasury" });

    writeFileSync(file, JSON.stringify({ calendar: { USTB_: "treasury" } }));
    expect(() => loadKeeperConfig({ ...base, requireKey: false, env: {}, file, deployment })).to.throw(
      "calendar.USTB_: is not an adapter's name in the deployment record (names: USTB); use its name there or its address",
    );

    // Each product its own window: STAC's issuer cuts off at 14:00 New York, USCC's takes weekends too.
    const stac = ethers.getAddress("0x0000000000000000000000000000000000000a12");
    const uscc = ethers.getAddress("0x0000000000000000000000000000000000000a13");
    writeFileSync(
      path.join(dir, "localhost.json"),
      JSON.stringify({ vault, adapters: { USTB: ustb, STAC: stac, USCC: uscc } }),
    );
    const all = readDeployment("localhost", dir)!;
    const windows = {
      USTB: "treasury",
      STAC: { timeZone: "America/New_York", opensAt: "09:00", cutoff: "14:00" },
      USCC: { timeZone: "Europe/London", opensAt: "00:00", cutoff: "24:00", businessDaysOnly: false },
    };
    writeFileSync(file, JSON.stringify({ calendar: windows }));
    const perProduct = loadKeeperConfig({ ...base, requireKey: false, env: {}, file, deployment: all });
    expect(perProduct.calendar).to.deep.equal({
      [ustb]: "treasury",
      [stac]: { timeZone: "America/New_York", opensAtMinutes: 540, cutoffMinutes: 840, businessDaysOnly: true },
      [uscc]: { timeZone: "Europe/London", opensAtMinutes: 0, cutoffMinutes: 1_440, businessDaysOnly: false },
    });
    for (const [entry, message] of [
      [
        { ...windows.STAC, timeZone: "New York" },
        'calendar.STAC.timeZone: must be an IANA time zone, e.g. "America/New_York"',
      ],
      [
        { ...windows.STAC, cutoff: "08:30" },
        "calendar.STAC.cutoff: must be after opensAt: a window lies within one local day",
      ],
      [
        { ...windows.STAC, opensAt: "9am" },
        'calendar.STAC.opensAt: must be a local time "HH:MM" (24-hour), e.g. "15:00"',
      ],
      [{ ...windows.STAC, cutOff: "14:00" }, 'calendar.STAC: unknown key "cutOff"'],
      ["weekdays", 'calendar.STAC: "weekdays" is not a window: use "treasury", "always" or {'],
    ] as const) {
      writeFileSync(file, JSON.stringify({ calendar: { STAC: entry } }));
      expect(() => loadKeeperConfig({ ...base, requireKey: false, env: {}, file, deployment: all })).to.throw(message);
    }

    writeFileSync(file, JSON.stringify({ calendar: { USTB: "treasury" }, stuckAfterSecond: 5 }));
    expect(() => loadKeeperConfig({ ...base, requireKey: false, env: {}, file, deployment })).to.throw(
      'config: unknown key "stuckAfterSecond": fix the spelling or remove it (nothing here is ignored)',
    );
  });
});

describe("keeper key and metrics", function () {
  it("decrypts an encrypted JSON keystore, and names the passphrase when it is wrong", async function () {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { JsonRpcProvider, Wallet, encryptKeystoreJson } = await import("ethers");
    const { signerFor } = await import("../../src/keeper/connect");
    const wallet = Wallet.createRandom();
    // A light scrypt so the test stays fast; real keystores use ethers' default cost.
    const json = await encryptKeystoreJson(
      { address: wallet.address, privateKey: wallet.privateKey },
      "correct horse",
      { scrypt: { N: 1 << 10 } },
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), "rr-keystore-")), "keeper.json");
    writeFileSync(file, json);
    const env = { KEEPER_VAULT: "0x5FbDB2315678afecb367f032d93F642f64180aa3", KEEPER_KEYSTORE: file };
    const provider = new JsonRpcProvider("http://127.0.0.1:1", undefined, { staticNetwork: true });
    const good = loadKeeperConfig({
      env: { ...env, KEEPER_KEYSTORE_PASSWORD: "correct horse" },
      requireKey: true,
      defaultRpcUrl: "http://127.0.0.1:1",
    });
    expect(await (await signerFor(good, provider)).getAddress()).to.equal(wallet.address);
    const bad = loadKeeperConfig({
      env: { ...env, KEEPER_KEYSTORE_PASSWORD: "wrong" },
      requireKey: true,
      defaultRpcUrl: "http://127.0.0.1:1",
    });
    const error = await signerFor(bad, provider).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).field).to.equal("KEEPER_KEYSTORE_PASSWORD");
    provider.destroy();
  });

  it("serves drift, idle, NAV age, pending, last success and gas on /metrics", async function () {
    const { KeeperMetrics } = await import("../../src/keeper/metrics");
    const { freePort } = await import("../helpers/node");
    const { keeper, config } = await loadFixture(keeperSystem);
    const metrics = new KeeperMetrics();
    const port = await freePort();
    const server = await metrics.serve(port);
    try {
      await tick({ ...context(config, keeper), metrics }, { dryRun: false });
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const name of [
        "reserve_vault_idle",
        "reserve_adapter_drift_bps",
        "reserve_adapter_nav_age_seconds",
        "reserve_adapter_pending",
        "reserve_keeper_last_success_timestamp_seconds",
        "reserve_keeper_gas_spent_wei_total",
        "reserve_keeper_errors_total",
      ]) {
        expect(body, name).to.contain(name);
      }
      expect(body).to.match(/reserve_vault_idle 1000000000000/);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).to.equal(404);
    } finally {
      server.close();
    }
  });

  it("shows how long its unconfirmed transaction has waited, and 0 once it is mined", async function () {
    const { KeeperMetrics } = await import("../../src/keeper/metrics");
    const { keeper, config, vault, curator, adapters } = await loadFixture(keeperSystem);
    const metrics = new KeeperMetrics();
    const age = async () => {
      const text = await metrics.registry.metrics();
      return Number(/^reserve_keeper_pending_tx_age_seconds (\S+)$/m.exec(text)![1]);
    };
    expect(await age(), "nothing sent yet").to.equal(0);
    const seen: number[] = [];
    await ethers.provider.send("evm_setAutomine", [false]);
    try {
      const sleep = async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen.push(await age());
        await ethers.provider.send("evm_mine", []); // the node mines it while the keeper waits
      };
      await tick({ ...context(config, keeper), metrics, sleep }, { dryRun: false });
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
    expect(seen.length, "the keeper waited for its transaction").to.be.greaterThan(0);
    expect(seen[0], "the wait is measured while the transaction is out").to.be.greaterThan(0.01);
    expect(await age(), "mined: nothing pending").to.equal(0);

    // A send that fails while its transaction waits (the RPC drops out mid-wait): the age keeps counting
    // across the failed tick, and clears once the node has nothing of ours pending.
    await vault.connect(curator).setTargetWeight(adapters[0]!, 5_000n);
    await ethers.provider.send("evm_setAutomine", [false]);
    try {
      const failing = async () => {
        throw new Error("the RPC dropped out");
      };
      const error = await tick({ ...context(config, keeper), metrics, sleep: failing }, { dryRun: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as Error | undefined)?.message).to.equal("the RPC dropped out");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await age(), "still waiting after the failed tick").to.be.greaterThan(0.01);
      await tick({ ...context(config, keeper), metrics }, { dryRun: true });
      expect(await age(), "still pending at the node: still counting").to.be.greaterThan(0.01);
      await ethers.provider.send("evm_mine", []);
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
    await tick({ ...context(config, keeper), metrics }, { dryRun: true });
    expect(await age(), "mined: the next tick clears it").to.equal(0);
  });

  it("serves what an on-call alerts on: quarantine, pause, headroom, locked profit, share price, balance; /healthz; a quarantine is a warning with its reason", async function () {
    const { KeeperMetrics } = await import("../../src/keeper/metrics");
    const { freePort } = await import("../helpers/node");
    const { vault, keeper, config, adapters, guardian } = await loadFixture(keeperSystem);
    const metrics = new KeeperMetrics();
    const port = await freePort();
    const server = await metrics.serve(port, "127.0.0.1", 60);
    const lines: Array<{ level: number; msg: string; reason?: string; adapter?: string }> = [];
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    try {
      const before = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(before.status, "no tick yet").to.equal(503);
      expect(await before.text()).to.equal("no successful tick yet\n");
      await tick({ ...context(config, keeper), metrics, log }, { dryRun: false });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);

      // A valuation 50 % off its book: the weekly report quarantines the adapter; the keeper warns.
      await adapters[0]!.setLies(300_000n * USDC, false, 0n);
      await time.increase(7 * 86_400);
      await tick({ ...context(config, keeper), metrics, log }, { dryRun: false });
      await vault.connect(guardian).pause();
      await tick({ ...context(config, keeper), metrics, log }, { dryRun: false });
      const warning = lines.find((l) => l.msg.startsWith("adapter quarantined by the report"));
      expect(warning?.level, "a warning").to.equal(40);
      expect(warning?.reason).to.equal("Deviation");
      expect(warning?.adapter).to.equal(await adapters[0]!.getAddress());

      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const first = await adapters[0]!.getAddress();
      expect(body).to.contain(`reserve_adapter_quarantined{adapter="${first}"} 1`);
      expect(body).to.match(/reserve_adapter_rate_limit_headroom\{adapter="0x[0-9a-fA-F]{40}"\} \d/);
      expect(body).to.contain("reserve_vault_paused 1");
      expect(body).to.match(/reserve_vault_locked_profit \d+/);
      expect(body).to.match(/reserve_vault_share_price 1(\.\d+)?\n/);
      expect(body).to.match(/reserve_keeper_balance_wei [1-9]/);

      metrics.lastSuccessAt = Date.now() / 1_000 - 120;
      const stale = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(stale.status, "the last tick is older than the limit").to.equal(503);
      expect(await stale.text()).to.match(/^last successful tick 12\d s ago \(stale after 60 s\)/);
    } finally {
      server.close();
    }
  });
});

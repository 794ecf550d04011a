import fc from "fast-check";
import { ethers } from "hardhat";
import chai, { expect } from "chai";
import { getAddress, id, type Signer } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { LegKind, executedLegs } from "../helpers/fixtures";
import { deployReserveSystem, type ReserveSystem } from "../../src/testing/deployReserveSystem";
import {
  BuidlAdapter__factory,
  IERC7540Like__factory,
  RedeemQueue__factory,
  SandboxUSDC__factory,
  type RedeemQueue,
  type ReserveVault,
} from "../../typechain-types";
import { BUIDL_DEPOSIT_STAND_IN } from "../helpers/reserve";
import { mainnet } from "../helpers/mainnet";
import { bookEntry } from "../../src/issuers/book";
import { DEFAULT_SETTLE_TOLERANCE_BPS } from "../../src/deploy/params";
import { breakAt, restoreCode } from "../helpers/code";
import { DOLLAR_DS_TERMS } from "../../src/deploy/system";

const USDC = 10n ** 6n;
/** Where the off-ramped BUIDL position's off-chain redemptions go: a labelled stand-in wallet. */
const BUIDL_REDEMPTION_STAND_IN = getAddress(`0x${id("reserve-router.stand-in.buidl-redemption").slice(26)}`);

/** What the model tracks beside the chain: the actors and the last share price. */
export interface Model {
  sharePrice: bigint;
  /** The model's clock: each command's first block is pinned to it, so a seed replays the same state. */
  clock: number;
  /** When the sequence started (the rate limits were set before it). */
  start: number;
  /** Per adapter: entries since `since`, against the rate limit in force since then (invariant 4). */
  limits: Map<string, { since: bigint; maxAmount: bigint; slope: bigint; entered: bigint }>;
  /** The redemption queue's open requests, oldest first, as the model expects them served. */
  requests: Array<{ controller: string; shares: bigint }>;
}

/** A fresh model at `clock`. */
export function freshModel(clock: number): Model {
  return { sharePrice: 0n, clock, start: clock, limits: new Map(), requests: [] };
}

/** The rate limits the invariant system runs under: tight enough to bind within a sequence. */
export const RATE_LIMIT = { maxAmount: 8_000_000n * USDC, slopePerSecond: 50n * USDC };

export interface Real {
  system: ReserveSystem;
  vault: ReserveVault;
  users: Signer[];
  /** A JTRSY member who attaches its own requests to the adapter and donates to adapters. */
  stranger: Signer;
  adapters: string[];
  names: string[];
  /** The vault's redemption queue. */
  queue: RedeemQueue;
}

/** The system every sequence starts from: Spark's split, three users holding USDC, no timelock. */
export async function invariantSystem(): Promise<Real> {
  // From mainnet as installed, whatever an earlier sequence or file in this process left at the issuers.
  await loadFixture(mainnet);
  const system = await deployReserveSystem({ timelockSeconds: 0 });
  const signers = await ethers.getSigners();
  const users = [signers[5]!, signers[6]!, signers[7]!];
  for (const user of users) {
    await system.driver.fundUsdc(await user.getAddress(), 50_000_000n * USDC);
    await (await SandboxUSDC__factory.connect(system.book.USDC, user).approve(system.vault, ethers.MaxUint256)).wait();
  }
  await system.driver.fundUstbRedemption(5_000_000n * USDC);
  // BUIDL with Circle's instant facility beside Spark's split, so the facility's faults are in play.
  const { curator } = system.roles;
  const buidl = await new BuidlAdapter__factory(system.roles.deployer).deploy(
    system.vault,
    system.book.USDC,
    system.book.BUIDL,
    system.book.BUIDL_REGISTRY,
    BUIDL_DEPOSIT_STAND_IN,
    ethers.ZeroAddress,
    1n, // instant exit: Circle facility
    system.book.BUIDL_REDEMPTION,
    ethers.ZeroAddress, // no on-ramp: entries subscribe at the deposit address
    100_000n * USDC,
    DEFAULT_SETTLE_TOLERANCE_BPS,
    DOLLAR_DS_TERMS,
  );
  await system.driver.allowlist("BUIDL", await buidl.getAddress());
  await (await system.vault.connect(curator).addAdapter(buidl)).wait();
  await (await system.vault.connect(curator).setCap(buidl, 2n ** 128n - 1n)).wait();
  // And BUIDL through Securitize's ramps over the Grove Basin: bought at once through the on-ramp, sold at
  // once through the off-ramp, redeemed off-chain when the off-ramp faults.
  const ramped = await new BuidlAdapter__factory(system.roles.deployer).deploy(
    system.vault,
    system.book.USDC,
    system.book.BUIDL,
    system.book.BUIDL_REGISTRY,
    BUIDL_DEPOSIT_STAND_IN,
    BUIDL_REDEMPTION_STAND_IN,
    2n, // instant exit: Securitize's off-ramp
    bookEntry(system.book, "BUIDL_OFF_RAMP"),
    bookEntry(system.book, "BUIDL_ON_RAMP"), // entries buy at once through Securitize's on-ramp
    100_000n * USDC,
    DEFAULT_SETTLE_TOLERANCE_BPS,
    DOLLAR_DS_TERMS,
  );
  await system.driver.allowlist("BUIDL", await ramped.getAddress());
  await system.driver.allowlist("BUIDL", BUIDL_REDEMPTION_STAND_IN);
  await (await system.vault.connect(curator).addAdapter(ramped)).wait();
  await (await system.vault.connect(curator).setCap(ramped, 2n ** 128n - 1n)).wait();
  await (await system.vault.connect(curator).setMaxSlippage(ramped, 10n)).wait();
  await (await system.vault.connect(curator).setTargetWeight(system.adapters["BUIDL-I"]!, 3_000n)).wait();
  await (await system.vault.connect(curator).setTargetWeight(buidl, 1_000n)).wait();
  await (await system.vault.connect(curator).setTargetWeight(ramped, 1_000n)).wait();
  const order = [
    await ramped.getAddress(),
    system.adapters["USTB"]!,
    await buidl.getAddress(),
    system.adapters["BUIDL-I"]!,
  ];
  await (await system.vault.connect(curator).setWithdrawOrder(order)).wait();
  await system.driver.fundBuidlRedemption(5_000_000n * USDC);
  // A stranger who attaches requests to the JTRSY adapter at Centrifuge: a member holding shares.
  const stranger = signers[8]!;
  const strangerAddress = await stranger.getAddress();
  await system.driver.fundUsdc(strangerAddress, 50_000_000n * USDC);
  await (
    await SandboxUSDC__factory.connect(system.book.USDC, stranger).approve(system.book.JTRSY_VAULT, ethers.MaxUint256)
  ).wait();
  await system.driver.allowlist("JTRSY", strangerAddress);
  const target = IERC7540Like__factory.connect(system.book.JTRSY_VAULT, stranger);
  await (await target.requestDeposit(1_000_000n * USDC, strangerAddress, strangerAddress)).wait();
  await system.driver.fulfilJtrsyDeposit(strangerAddress);
  await (await target.mint(await target.maxMint(strangerAddress), strangerAddress, strangerAddress)).wait();
  const adapters = { ...system.adapters, BUIDL: await buidl.getAddress(), "BUIDL-R": await ramped.getAddress() };
  for (const adapter of Object.values(adapters)) {
    await (
      await system.vault
        .connect(system.roles.curator)
        .setRateLimit(adapter, RATE_LIMIT.maxAmount, RATE_LIMIT.slopePerSecond)
    ).wait();
  }
  // The redemption queue the deployment set up, with no minimum so every request the users draw is taken.
  const queue = RedeemQueue__factory.connect(system.deployment.redeemQueue, system.roles.deployer);
  await (await queue.setMinRequestAssets(0n)).wait();
  for (const user of users) await (await system.vault.connect(user).approve(queue, ethers.MaxUint256)).wait();
  return {
    system,
    vault: system.vault,
    users,
    stranger,
    adapters: Object.values(adapters),
    names: Object.keys(adapters),
    queue,
  };
}

/**
 * The invariant system a day into operation, with requests in flight for the adversarial issuer to
 * misbehave on: a user's $10M placed by a rebalance (BUIDL-I's subscription and JTRSY's deposit request
 * open at their issuers, USTB subscribed, BUIDL-R's issued and past its lock-up, so withdrawals sell it
 * through Securitize's off-ramp), RedemptionIdle dry so USTB exits go off-chain.
 */
export async function invariantSystemInFlight(): Promise<Real> {
  const real = await invariantSystem();
  const user = real.users[0]!;
  await (await real.vault.connect(user).deposit(10_000_000n * USDC, await user.getAddress())).wait();
  await passTime(86_400); // the rate limits refill
  await real.system.driver.setUstbNav(await real.system.driver.ustbPrice().catch(() => 10_500_000n));
  await real.system.driver.setJtrsyPrice((await real.system.driver.jtrsyPrice()).price);
  await (await real.vault.connect(real.system.roles.keeper).rebalance()).wait();
  await real.system.driver.drainUstbRedemption();
  // BUIDL-R holds what it bought (or, with the on-ramp closed, what it subscribed, issued, settled and past
  // its lock-up): the users' withdrawals draw on it first through Securitize's off-ramp, and the off-ramp's
  // faults meet a position they can close.
  const ramped = real.adapters[real.names.indexOf("BUIDL-R")]!;
  const pending = await (await ethers.getContractAt("BuidlAdapter", ramped)).pendingDeposit();
  if (pending > 0n) await real.system.driver.issueBuidl("BUIDL", ramped, pending);
  await (await real.vault.connect(real.system.roles.keeper).settle(ramped)).wait();
  await passTime(86_401);
  await real.system.driver.setUstbNav(await real.system.driver.ustbPrice().catch(() => 10_500_000n));
  await real.system.driver.setJtrsyPrice((await real.system.driver.jtrsyPrice()).price);
  return real;
}

const sharePrice = (vault: ReserveVault) => vault.convertToAssets(10n ** 18n);

/** How many times the invariants were checked in this process (a run that checks nothing proves nothing). */
export const stats = {
  checks: 0,
  sequences: 0,
  writeOffs: 0,
  queueRequests: 0,
  queueServed: 0,
  queueClaims: 0,
  /** Write-offs that found something claimable at the issuer (and had to settle it first). */
  claimableAtWriteOff: 0,
  /** Late recoveries whose entrant's profit was checked (invariant 10). */
  recoveriesChecked: 0,
  /** Rebalances whose instant exit failed while exits waited in the queue (invariant 11). */
  failedExitsWithQueue: 0,
  /** Sales of BUIDL through Securitize's off-ramp (its `RedemptionCompleted` events). */
  offRampSales: 0,
};

/** Invariants 1, 3 and 6 of DESIGN, checked after every step (2, 4 and 5 are checked by the steps they concern). */
export async function checkInvariants(real: Real): Promise<void> {
  stats.checks++;
  const { vault } = real;
  // 1. totalAssets = idle + Σ book values − locked profit, and the running sum is the sum.
  let sum = 0n;
  for (const adapter of real.adapters) sum += (await vault.adapterConfig(adapter)).value;
  expect(await vault.totalAdapterValue(), "Σ book values").to.equal(sum);
  const idle = await vault.idle();
  expect(await vault.totalAssets(), "totalAssets identity").to.equal(idle + sum - (await vault.lockedProfit()));
  // 3. Value does not leave the vault unaccounted: it holds at least its idle.
  const held = await SandboxUSDC__factory.connect(real.system.book.USDC, ethers.provider).balanceOf(vault);
  expect(held, "the vault holds its idle").to.be.gte(idle);
  // 8. The redemption queue: escrowed shares are exactly the pending requests (cancellations are
  //    claimed back at once here), reserved assets exactly the claimable ones, and held.
  let queued = 0n;
  let claimable = 0n;
  for (const user of real.users) {
    const address = await user.getAddress();
    queued += await real.queue.pendingRedeemRequest(0, address);
    claimable += await real.queue.maxWithdraw(address);
  }
  expect(await real.queue.pendingShares(), "the queue's pending shares are the users' pending requests").to.equal(
    queued,
  );
  expect(await vault.balanceOf(real.queue), "escrowed shares equal the pending requests").to.equal(queued);
  expect(await real.queue.reservedAssets(), "reserved assets equal the claimable requests").to.equal(claimable);
  expect(
    await SandboxUSDC__factory.connect(real.system.book.USDC, ethers.provider).balanceOf(real.queue),
    "and are held",
  ).to.be.gte(claimable);
  // 6. withdraw(maxWithdraw) succeeds and pays exactly that; redeem(maxRedeem) pays its preview.
  //    Executed for real in a snapshot, so "pays" is measured, then rolled back. The views are read on
  //    the pending block, whose timestamp is pinned, so they see the state the transaction will see
  //    (profit unlocks and NAV extrapolation move with time).
  const usdc = SandboxUSDC__factory.connect(real.system.book.USDC, ethers.provider);
  const pending = { blockTag: "pending" } as const;
  const pinNextBlock = async () => {
    const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
    await ethers.provider.send("evm_setNextBlockTimestamp", [latest + 1]);
  };
  for (const user of real.users) {
    const address = await user.getAddress();
    let promised = "";
    const snapshot = await ethers.provider.send("evm_snapshot", []);
    try {
      await pinNextBlock();
      const max = await vault.maxWithdraw(address, pending);
      promised = `maxWithdraw ${max}`;
      if (max > 0n) {
        const cash = await usdc.balanceOf(address);
        await (await vault.connect(user).withdraw(max, address, address)).wait();
        expect((await usdc.balanceOf(address)) - cash, "withdraw(maxWithdraw) pays exactly maxWithdraw").to.equal(max);
      }
      await ethers.provider.send("evm_revert", [snapshot]);
      const again = await ethers.provider.send("evm_snapshot", []);
      await pinNextBlock();
      const shares = await vault.maxRedeem(address, pending);
      promised += `, maxRedeem ${shares}`;
      if (shares > 0n) {
        const preview = await vault.previewRedeem(shares, pending);
        const cash = await usdc.balanceOf(address);
        await (await vault.connect(user).redeem(shares, address, address)).wait();
        expect((await usdc.balanceOf(address)) - cash, "redeem(maxRedeem) pays its preview").to.equal(preview);
      }
      await ethers.provider.send("evm_revert", [again]);
    } catch (error) {
      await ethers.provider.send("evm_revert", [snapshot]).catch(() => undefined);
      throw new Error(`${promised} of ${address} not honoured: ${await describe(real)}`, { cause: error });
    }
  }
}

/**
 * Invariant 7, after every write-off: the written-off adapter carries no value on the books that it
 * cannot realise (its book is at most its live valuation: holdings at NAV, cash held, and the requests
 * the issuer still honours), and the vault's identity holds (checked by the caller).
 */
async function checkWriteOff(real: Real, adapter: string): Promise<void> {
  const view = await ethers.getContractAt("IAdapter", adapter);
  const live = await view.totalAssets().catch(() => undefined);
  const book = (await real.vault.adapterConfig(adapter)).value;
  expect(await view.requestedAt(), "nothing of its own left open").to.equal(0n);
  if (live !== undefined) expect(book, "after a write-off the book is realisable").to.be.lte(live);
  stats.writeOffs++;
}

/** The guardian writes off every adapter it may (quarantined, with an overdue request), checking each. */
async function writeOffOverdue(real: Real): Promise<void> {
  for (const target of real.adapters) {
    const sent = await real.vault
      .connect(real.system.roles.guardian)
      .writeOff(target)
      .catch((error: unknown) => {
        if (process.env.FUZZ_VERBOSE) console.log(`writeOff: ${String(error).slice(0, 160)}`);
      }); // refused: not quarantined, or nothing overdue
    if (!sent) continue;
    await sent.wait();
    await checkWriteOff(real, target);
  }
}

/** The state that explains a failed promise: idle, and each adapter's book, liquidity and live value. */
async function describe(real: Real): Promise<string> {
  const parts = [`idle ${await real.vault.idle()}`];
  for (const [i, adapter] of real.adapters.entries()) {
    const config = await real.vault.adapterConfig(adapter);
    const view = await ethers.getContractAt("IAdapter", adapter);
    const live = await view.totalAssets().catch(() => "reverts");
    parts.push(
      `${real.names[i]}: book ${config.value}, quarantined ${config.quarantined}, maxWithdraw ${await view.maxWithdraw()}, live ${live}`,
    );
  }
  return parts.join("; ");
}

/**
 * The idle a plan keeps back now, as PlanLib computes it: the buffer on the assets that stay once the
 * queue's pending exits are served, plus those exits (zero demand when nothing is pending).
 */
async function reserveOf(real: Real): Promise<bigint> {
  const { vault, queue } = real;
  const gross = (await vault.idle()) + (await vault.totalAdapterValue());
  const demand = (await queue.pendingShares()) === 0n ? 0n : await queue.pendingAssets();
  const base = gross > demand ? gross - demand : 0n;
  const bps = await vault.bufferBps();
  return (base * bps + 9_999n) / 10_000n + demand;
}

/**
 * Invariant 11 at a rebalance: an entry never spends the reserve, whatever legs of the same rebalance
 * failed — if any entry executed, idle ends at least at the reserve the plan kept back.
 */
async function checkReserve(real: Real, reserve: bigint, sent: ReturnType<ReserveVault["rebalance"]>): Promise<void> {
  const receipt = await (await sent).wait();
  let entered = false;
  let failed = 0;
  for (const log of receipt!.logs) {
    const parsed = real.vault.interface.parseLog(log);
    if (parsed?.name === "LegExecuted" && BigInt(parsed.args[1] as bigint) === LegKind.Deposit) entered = true;
    if (parsed?.name === "LegFailed") failed++;
  }
  if (entered) {
    expect(await real.vault.idle(), `entries left the reserve idle (${failed} legs failed)`).to.be.gte(reserve);
  }
}

type Cmd = fc.AsyncCommand<Model, Real, true>;

/**
 * Invariant 4 in sequences: executes a rebalance and checks that, per adapter, everything entered
 * since the rate limit was last set stays within `maxAmount + slope × elapsed`, and that no entry
 * took an adapter above its cap.
 */
async function checkRateLimits(real: Real, model: Model, sent: ReturnType<ReserveVault["rebalance"]>): Promise<void> {
  const legs = await executedLegs(real.vault, sent);
  const now = BigInt(await time.latest()); // the rebalance's block: nothing was mined since
  for (const [adapter, kind, amount] of legs) {
    if (kind !== LegKind.Deposit) continue;
    const limit = model.limits.get(adapter) ?? {
      since: BigInt(model.start),
      maxAmount: RATE_LIMIT.maxAmount,
      slope: RATE_LIMIT.slopePerSecond,
      entered: 0n,
    };
    limit.entered += amount;
    model.limits.set(adapter, limit);
    expect(limit.entered, `entries into ${adapter} within its rate limit`).to.be.lte(
      limit.maxAmount + limit.slope * (now - limit.since),
    );
    const config = await real.vault.adapterConfig(adapter);
    expect(config.value, `an entry into ${adapter} kept it within its cap`).to.be.lte(config.cap);
  }
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

/**
 * An issuer contract whose every call reverts (a failed upgrade, a self-destructed dependency), or
 * repaired: its code is swapped, its storage kept. Every sequence ends with all of them repaired.
 */
async function breakContract(address: string, broken: boolean): Promise<void> {
  if (broken) await breakAt(address);
  else await restoreCode(address);
}

/**
 * Lets `seconds` pass on the chain. The block a step pinned (tickClock) is mined first: a pinned
 * timestamp would otherwise swallow the jump.
 */
async function passTime(seconds: number): Promise<void> {
  await ethers.provider.send("evm_mine", []);
  await ethers.provider.send("evm_increaseTime", [seconds]);
  await ethers.provider.send("evm_mine", []);
}

/** Pins the next block to the model's clock (a minute per command), keeping wall time out of the run. */
async function tickClock(model: Model): Promise<void> {
  const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
  model.clock = Math.max(model.clock + 60, latest + 1);
  await ethers.provider.send("evm_setNextBlockTimestamp", [model.clock]);
}

/** The vault's virtual share offset, 10^(share decimals − asset decimals). */
const OFFSET = 10n ** 12n;

/**
 * A user action by `actor`: it must not lower the share price for everyone else, and (invariant 2) the actor's own flow must be settled in the vault's favour, exactly:
 * shares received are worth at most the assets paid, shares given up are worth at least the assets
 * received, at the price right after the action. Every other step moves all holders' value by the
 * same price change, so summing these steps gives invariant 2 for the whole sequence: no user takes
 * out more than it put in plus its share of the gains.
 */
function userCommand(name: string, actor: number | undefined, act: (real: Real) => Promise<unknown>): Cmd {
  return {
    check: async () => true,
    async run(model, real) {
      await tickClock(model);
      const usdc = SandboxUSDC__factory.connect(real.system.book.USDC, ethers.provider);
      const who = actor === undefined ? undefined : await pick(real.users, actor).getAddress();
      // The exact price, (totalAssets + 1) / (totalSupply + offset) as the vault converts, compared by
      // cross-multiplication: no rounding hides a leaver's exit cost left with those who stay.
      const assetsBefore = (await real.vault.totalAssets()) + 1n;
      // For exits, gross of locked profit too: a leaver's unpaid exit cost absorbed by locked profit
      // leaves totalAssets whole but takes future gains from those who stay. (An entry does lower it:
      // it buys at the net price and shares the profit still locked, by design.)
      const gross = async () => (await real.vault.idle()) + (await real.vault.totalAdapterValue()) + 1n;
      const grossBefore = await gross();
      const sharesBefore = who ? await real.vault.balanceOf(who) : 0n;
      const cashBefore = who ? await usdc.balanceOf(who) : 0n;
      const supplyBefore = await real.vault.totalSupply();
      const sharesOutBefore = supplyBefore + OFFSET;
      await act(real).catch((error: unknown) => {
        const text = String(error);
        // Refusals the vault names (pause, limits) are fine; anything else is a finding.
        if (!/EnforcedPause|ERC4626Exceeded|InsufficientLiquidity|ERC20InsufficientBalance/.test(text)) throw error;
      });
      const after = await sharePrice(real.vault);
      const assetsAfter = (await real.vault.totalAssets()) + 1n;
      const sharesOutAfter = (await real.vault.totalSupply()) + OFFSET;
      expect(assetsAfter * sharesOutBefore, `${name} did not lower the share price`).to.be.gte(
        assetsBefore * sharesOutAfter,
      );
      if (sharesOutAfter < sharesOutBefore)
        expect(
          (await gross()) * sharesOutBefore,
          `${name}: an exit did not lower the gross assets per share (its cost is the leaver's)`,
        ).to.be.gte(grossBefore * sharesOutAfter);
      if (who) {
        const received = (await real.vault.balanceOf(who)) - sharesBefore;
        const paid = cashBefore - (await usdc.balanceOf(who));
        const assets = (await real.vault.totalAssets()) + 1n;
        const supply = (await real.vault.totalSupply()) + OFFSET;
        if (received > 0n)
          expect(received * assets, `${name}: shares worth no more than paid`).to.be.lte(paid * supply);
        else if (received < 0n) {
          // No tolerance: an exit drawn from an adapter is charged its exit cost in the shares burnt.
          expect(-received * assets, `${name}: shares given up worth at least what was paid out`).to.be.gte(
            -paid * supply,
          );
        } else expect(paid, `${name}: nothing for nothing`).to.be.gte(0n);
      } else {
        expect(await real.vault.totalSupply(), `${name} conserved shares`).to.equal(supplyBefore);
      }
      model.sharePrice = after;
      await checkInvariants(real);
    },
    toString: () => name,
  };
}

/** Any other actor's action: only the invariants must hold afterwards. */
function actorCommand(name: string, act: (real: Real, model: Model) => Promise<unknown>): Cmd {
  return {
    check: async () => true,
    async run(model, real) {
      await tickClock(model);
      await act(real, model).catch((error: unknown) => {
        if (error instanceof chai.AssertionError) throw error; // a finding, not a refusal
        if (process.env.FUZZ_VERBOSE) console.log(`${name}: ${String(error).slice(0, 160)}`);
      }); // a refused action changes nothing; the invariants say so
      model.sharePrice = await sharePrice(real.vault);
      await checkInvariants(real);
    },
    toString: () => name,
  };
}

/**
 * Invariants 9 and 10, at a fulfilment by `by`: the requests served are the model's oldest, in order,
 * a partly served one only last (FIFO), and no holder's share price moves beyond rounding: the exact
 * price, and the gross assets per share, do not fall.
 */
function fulfilCommand(name: string, by: (real: Real) => Signer, maxRequests: number): Cmd {
  return {
    check: async () => true,
    async run(model, real) {
      await tickClock(model);
      await fulfilChecked(name, real, model, by(real), maxRequests);
      model.sharePrice = await sharePrice(real.vault);
      await checkInvariants(real);
    },
    toString: () => name,
  };
}

async function fulfilChecked(name: string, real: Real, model: Model, by: Signer, maxRequests: number): Promise<void> {
  const { vault, queue } = real;
  const assetsBefore = (await vault.totalAssets()) + 1n;
  const grossBefore = (await vault.idle()) + (await vault.totalAdapterValue()) + 1n;
  const sharesOutBefore = (await vault.totalSupply()) + OFFSET;
  const receipt = await (await queue.connect(by).fulfil(maxRequests)).wait();
  const served = receipt!.logs
    .map((log) => (log.address === (queue.target as string) ? queue.interface.parseLog(log) : null))
    .filter((parsed) => parsed?.name === "RedeemFulfilled");
  for (const [i, event] of served.entries()) {
    const [controller, , shares] = event!.args as unknown as [string, bigint, bigint, bigint];
    const head = model.requests[0];
    expect(head, `${name}: a request was served that the model has not`).to.not.equal(undefined);
    expect(controller, `${name}: served in the order requested`).to.equal(head!.controller);
    expect(shares, `${name}: no more than was requested`).to.be.lte(head!.shares);
    stats.queueServed++;
    if (shares === head!.shares) model.requests.shift();
    else {
      expect(i, `${name}: only the last request of a call is served in part`).to.equal(served.length - 1);
      head!.shares -= shares;
    }
  }
  const assetsAfter = (await vault.totalAssets()) + 1n;
  const sharesOutAfter = (await vault.totalSupply()) + OFFSET;
  expect(assetsAfter * sharesOutBefore, `${name} did not lower the share price`).to.be.gte(
    assetsBefore * sharesOutAfter,
  );
  const grossAfter = (await vault.idle()) + (await vault.totalAdapterValue()) + 1n;
  expect(grossAfter * sharesOutBefore, `${name}: the exit cost is the leaver's`).to.be.gte(
    grossBefore * sharesOutAfter,
  );
}

/**
 * Invariant 10: a late recovery of a write-off goes to those who held at the write-off. USTB files an
 * off-chain redemption (its instant exit closed and its weight halved), Superstate pays `pct` % of it,
 * the rest is written off once overdue; user `u` deposits `amount` right after; Superstate pays the
 * rest; the keeper settles and reports, the guardian lifts a quarantine. The entrant's new shares are
 * worth at most what it paid.
 */
async function lateRecovery(real: Real, u: number, amount: bigint, pct: number): Promise<void> {
  const { vault, system } = real;
  const { keeper, guardian, curator } = system.roles;
  const ustbAddress = system.adapters["USTB"]!;
  const ustb = await ethers.getContractAt("UstbAdapter", ustbAddress);
  if ((await ustb.pendingRedeem()) === 0n) {
    await system.driver.drainUstbRedemption();
    const weight = BigInt((await vault.adapterConfig(ustbAddress)).targetWeightBps);
    await (await vault.connect(curator).setTargetWeight(ustbAddress, weight / 2n)).wait();
    await (await vault.connect(keeper).rebalance()).wait();
  }
  const requested = await ustb.pendingRedeem();
  if (requested === 0n) return; // nothing could be filed (USTB quarantined, paused, nothing held)
  const paid = (requested * BigInt(pct)) / 100n;
  await system.driver.payUstbRedemption(ustbAddress, paid);
  await vault
    .connect(keeper)
    .settle(ustbAddress)
    .catch(() => undefined);
  const price = await system.driver.ustbPrice().catch(() => 10_500_000n);
  await passTime(15 * 86_400);
  await system.driver.setUstbNav(price);
  await (await vault.connect(keeper).report()).wait();
  const recoverableBefore = await vault.recoverable();
  const wrote = await vault
    .connect(guardian)
    .writeOff(ustbAddress)
    .catch(() => undefined);
  if (!wrote) return;
  await wrote.wait();
  await checkWriteOff(real, ustbAddress);
  const owed = (await vault.adapterConfig(ustbAddress)).writtenOff;
  expect(await vault.recoverable(), "the write-off is recorded as recoverable").to.be.gte(recoverableBefore);
  // The entrant, right after the write-off.
  const entrant = pick(real.users, u);
  const who = await entrant.getAddress();
  const usdc = SandboxUSDC__factory.connect(system.book.USDC, ethers.provider);
  const sharesBefore = await vault.balanceOf(who);
  const cashBefore = await usdc.balanceOf(who);
  await vault
    .connect(entrant)
    .deposit(amount, who)
    .then((tx) => tx.wait())
    .catch(() => undefined); // paused: nobody enters, the recovery still goes back
  const received = (await vault.balanceOf(who)) - sharesBefore;
  const spent = cashBefore - (await usdc.balanceOf(who));
  // Superstate pays the rest; the keeper books it, through a lift when it steps past the breaker.
  await system.driver.payUstbRedemption(ustbAddress, requested - paid);
  await vault
    .connect(keeper)
    .settle(ustbAddress)
    .catch(() => undefined);
  await (await vault.connect(keeper).report()).wait();
  if ((await vault.adapterConfig(ustbAddress)).quarantined) {
    await vault
      .connect(guardian)
      .liftQuarantine(ustbAddress, ethers.MaxUint256)
      .catch(() => undefined);
  }
  if (received > 0n) {
    stats.recoveriesChecked++;
    // 10. The entrant gains nothing from the recovery: its new shares are worth at most what it paid.
    expect(
      await vault.convertToAssets(received),
      "an entrant after a write-off gains nothing from its recovery",
    ).to.be.lte(spent);
  }
  if (owed > 0n && !(await vault.adapterConfig(ustbAddress)).quarantined) {
    expect(
      (await vault.adapterConfig(ustbAddress)).writtenOff,
      "the recovery was booked against the write-off",
    ).to.be.lt(owed);
  }
}

/**
 * Invariant 11's other half: nothing claimable at an issuer is written off. Every issuer delivers what is
 * pending (USTB and BUIDL-I pay their redemptions, BUIDL's classes issue their subscriptions, Centrifuge
 * fulfils both sides), then the keeper stays away past the request age: the report quarantines the
 * requests it never settled, and the guardian's write-off must claim them, not book them as lost.
 */
async function keeperAway(real: Real): Promise<void> {
  const { vault, system } = real;
  const { driver } = system;
  for (const name of ["USTB", "BUIDL-I", "BUIDL-R"]) {
    const address = real.adapters[real.names.indexOf(name)]!;
    const pending = await (await ethers.getContractAt("IAdapter", address)).pendingRedeem();
    if (pending > 0n) await driver.payUstbRedemption(address, pending);
  }
  for (const [name, token] of [
    ["BUIDL-I", "BUIDL_I"],
    ["BUIDL", "BUIDL"],
    ["BUIDL-R", "BUIDL"],
  ] as const) {
    const address = real.adapters[real.names.indexOf(name)]!;
    const pending = await (await ethers.getContractAt("BuidlAdapter", address)).pendingDeposit();
    if (pending > 0n) await driver.issueBuidl(token, address, pending);
  }
  const jtrsy = system.adapters["JTRSY"]!;
  await driver.fulfilJtrsyDeposit(jtrsy).catch(() => undefined);
  await driver.fulfilJtrsyRedeem(jtrsy).catch(() => undefined);
  const price = await driver.ustbPrice().catch(() => 10_500_000n);
  await passTime(15 * 86_400);
  await driver.setUstbNav(price);
  await driver.setJtrsyPrice((await driver.jtrsyPrice()).price);
  await (await vault.connect(system.roles.keeper).report()).wait();
  for (const adapter of real.adapters) {
    const view = await ethers.getContractAt("IAdapter", adapter);
    const claimableBefore = await view.claimable().catch(() => 0n);
    const bookBefore = (await vault.adapterConfig(adapter)).value;
    const sent = await vault
      .connect(system.roles.guardian)
      .writeOff(adapter)
      .catch(() => undefined);
    if (!sent) continue;
    const receipt = await sent.wait();
    await checkWriteOff(real, adapter);
    const event = receipt!.logs
      .map((log) => vault.interface.parseLog(log))
      .find((e) => e?.name === "RequestWrittenOff");
    const loss = (event!.args as unknown as [string, string, bigint, bigint, bigint])[4];
    // 11. What the issuer had delivered came back; what stays claimable is dust at most, and no part of
    // what was claimable was booked as lost.
    expect(await view.claimable().catch(() => 0n), "nothing claimable left behind a write-off").to.be.lte(USDC);
    const unclaimable = bookBefore > claimableBefore ? bookBefore - claimableBefore : 0n;
    expect(loss, "a write-off books nothing that was claimable as lost").to.be.lte(unclaimable + USDC);
    if (claimableBefore > USDC) stats.claimableAtWriteOff++;
  }
}

/**
 * Invariant 11 with an exit leg that fails: a user's exit waits in the queue, USTB sits above its
 * target with RedemptionIdle funded, and RedemptionIdle pays short of its quote when called (its views
 * promised the exit). The keeper's rebalance loses the USTB leg; its entries must still leave the
 * reserve (buffer and the queue's pending exits) idle, and the queue must still be payable from it.
 */
async function failedExitWithQueue(real: Real, model: Model, u: number, bps: number): Promise<void> {
  const { vault, queue, system } = real;
  const { keeper, curator } = system.roles;
  const holder = pick(real.users, u);
  const who = await holder.getAddress();
  if ((await queue.pendingShares()) === 0n) {
    if ((await vault.balanceOf(who)) === 0n) await (await vault.connect(holder).deposit(1_000_000n * USDC, who)).wait();
    const shares = (await vault.balanceOf(who)) / 10n;
    await (await queue.connect(holder).requestRedeem(shares, who, who)).wait();
    model.requests.push({ controller: who, shares });
    stats.queueRequests++;
  }
  const ustb = system.adapters["USTB"]!;
  await system.driver.fundUstbRedemption(5_000_000n * USDC);
  // Half of USTB's weight moves to an adapter that takes an entry now: the plan funds that entry with
  // the USTB exit, which then fails.
  const weight = BigInt((await vault.adapterConfig(ustb)).targetWeightBps);
  await (await vault.connect(curator).setTargetWeight(ustb, weight - weight / 2n)).wait();
  for (const adapter of real.adapters) {
    if (adapter === ustb || (await (await ethers.getContractAt("IAdapter", adapter)).maxDeposit()) === 0n) continue;
    const own = BigInt((await vault.adapterConfig(adapter)).targetWeightBps);
    await (await vault.connect(curator).setTargetWeight(adapter, own + weight / 2n)).wait();
    break;
  }
  await system.driver.payUstbRedemptionsShort(BigInt(bps));
  try {
    const reserve = await reserveOf(real);
    const sent = vault.connect(keeper).rebalance();
    const receipt = await (await sent).wait();
    for (const log of receipt!.logs) {
      const parsed = vault.interface.parseLog(log);
      if (parsed?.name === "LegFailed" && BigInt(parsed.args[1] as bigint) === LegKind.Withdraw) {
        stats.failedExitsWithQueue++;
      }
    }
    await checkReserve(real, reserve, sent);
  } finally {
    await system.driver.payUstbRedemptionsShort(0n);
  }
}

/** The redemption queue's commands: requests, cancellations, fulfilments by the keeper and by anyone, claims. */
function queueCommands(): fc.Arbitrary<Cmd>[] {
  const user = fc.nat(2);
  const fraction = fc.integer({ min: 1, max: 100 });
  return [
    fc.tuple(user, fraction).map(([u, f]) =>
      actorCommand(`requestRedeem(${u}, ${f}%), depositing $1M first if it holds nothing`, async (r, model) => {
        const who = await pick(r.users, u).getAddress();
        if ((await r.vault.balanceOf(who)) === 0n) {
          await (await r.vault.connect(pick(r.users, u)).deposit(1_000_000n * USDC, who)).wait();
        }
        const shares = ((await r.vault.balanceOf(who)) * BigInt(f)) / 100n;
        await (await r.queue.connect(pick(r.users, u)).requestRedeem(shares, who, who)).wait();
        model.requests.push({ controller: who, shares });
        stats.queueRequests++;
      }),
    ),
    user.map((u) =>
      actorCommand(`a day later, cancel the queued requests of ${u} and take the shares back`, async (r, model) => {
        await passTime(86_400); // a request stands for a day after the controller's latest one
        const who = await pick(r.users, u).getAddress();
        const held = await r.vault.balanceOf(who);
        const pendingShares = await r.queue.pendingRedeemRequest(0, who);
        await (await r.queue.connect(pick(r.users, u)).cancelRedeemRequest(0, who)).wait();
        model.requests = model.requests.filter((request) => request.controller !== who);
        await (await r.queue.connect(pick(r.users, u)).claimCancelRedeemRequest(0, who, who)).wait();
        expect((await r.vault.balanceOf(who)) - held, "a cancellation returns every pending share").to.equal(
          pendingShares,
        );
      }),
    ),
    fc.integer({ min: 1, max: 5 }).map((n) => fulfilCommand(`keeper fulfils ${n}`, (r) => r.system.roles.keeper, n)),
    fc.integer({ min: 1, max: 5 }).map((n) => fulfilCommand(`a stranger fulfils ${n}`, (r) => r.stranger, n)),
    fc.tuple(user, fraction).map(([u, f]) =>
      actorCommand(`the keeper fulfils 5, then claim(${u}, ${f}%)`, async (r, model) => {
        await fulfilChecked("fulfil before a claim", r, model, r.system.roles.keeper, 5);
        const who = await pick(r.users, u).getAddress();
        const [shares, assets] = [await r.queue.maxRedeem(who), await r.queue.maxWithdraw(who)];
        const take = f === 100 ? shares : (shares * BigInt(f)) / 100n;
        const usdc = SandboxUSDC__factory.connect(r.system.book.USDC, ethers.provider);
        const cash = await usdc.balanceOf(who);
        await (await r.queue.connect(pick(r.users, u)).redeem(take, who, who)).wait();
        stats.queueClaims++;
        const expected = take === shares ? assets : (assets * take) / shares;
        expect((await usdc.balanceOf(who)) - cash, "a claim pays its pro-rata part, rounded down").to.equal(expected);
      }),
    ),
  ];
}

/**
 * The commands of a run. `adversity` focuses it on the adversarial issuer: its faults, the keeper's
 * routine, the guardian's answers and user exits, so write-offs and stranger's requests meet often.
 */
export function commands(focus: "all" | "adversity" = "all"): fc.Arbitrary<Cmd>[] {
  const user = fc.nat(2);
  const adapter = fc.nat(3);
  const fraction = fc.integer({ min: 1, max: 100 });
  const overdue = fc.constant(
    actorCommand(
      "fifteen days: open requests become overdue; USTB strikes again; the keeper reports; the guardian writes off",
      async (r) => {
        const price = await r.system.driver.ustbPrice().catch(() => 10_500_000n);
        await passTime(15 * 86_400);
        await r.system.driver.setUstbNav(price);
        await r.vault.connect(r.system.roles.keeper).report();
        await writeOffOverdue(r);
      },
    ),
  );
  const users = [
    fc
      .tuple(user, fc.bigInt({ min: 1n, max: 20_000_000n * USDC }))
      .map(([u, amount]) =>
        userCommand(`deposit(${u}, ${amount})`, u, (r) =>
          r.vault.connect(pick(r.users, u)).deposit(amount, pick(r.users, u)),
        ),
      ),
    fc
      .tuple(user, fc.bigInt({ min: 1n, max: 10n ** 25n }))
      .map(([u, shares]) =>
        userCommand(`mint(${u}, ${shares} shares)`, u, (r) =>
          r.vault.connect(pick(r.users, u)).mint(shares, pick(r.users, u)),
        ),
      ),
    fc.tuple(user, fraction).map(([u, f]) =>
      userCommand(`withdraw(${u}, ${f}%)`, u, async (r) => {
        const who = await pick(r.users, u).getAddress();
        const max = await r.vault.maxWithdraw(who);
        return r.vault.connect(pick(r.users, u)).withdraw((max * BigInt(f)) / 100n, who, who);
      }),
    ),
    fc.tuple(user, fraction).map(([u, f]) =>
      userCommand(`redeem(${u}, ${f}%)`, u, async (r) => {
        const who = await pick(r.users, u).getAddress();
        const max = await r.vault.maxRedeem(who);
        return r.vault.connect(pick(r.users, u)).redeem((max * BigInt(f)) / 100n, who, who);
      }),
    ),
    // Exits that must draw on the adapters: idle plus a share of what lies beyond it.
    fc.tuple(user, fraction).map(([u, f]) =>
      userCommand(`withdraw beyond idle(${u}, ${f}%)`, u, async (r) => {
        const who = await pick(r.users, u).getAddress();
        const [max, idle] = [await r.vault.maxWithdraw(who), await r.vault.idle()];
        const amount = max > idle ? idle + ((max - idle) * BigInt(f)) / 100n : max;
        return r.vault.connect(pick(r.users, u)).withdraw(amount, who, who);
      }),
    ),
    fc.tuple(user, fraction).map(([u, f]) =>
      userCommand(`redeem beyond idle(${u}, ${f}%)`, u, async (r) => {
        const who = await pick(r.users, u).getAddress();
        const [max, idleShares] = [await r.vault.maxRedeem(who), await r.vault.convertToShares(await r.vault.idle())];
        const shares = max > idleShares ? idleShares + ((max - idleShares) * BigInt(f)) / 100n : max;
        return r.vault.connect(pick(r.users, u)).redeem(shares, who, who);
      }),
    ),
    fc.tuple(user, user, fraction).map(([a, b, f]) =>
      userCommand(`transfer(${a}→${b}, ${f}%)`, undefined, async (r) => {
        const from = pick(r.users, a);
        const shares = await r.vault.balanceOf(await from.getAddress());
        return r.vault.connect(from).transfer(await pick(r.users, b).getAddress(), (shares * BigInt(f)) / 100n);
      }),
    ),
  ];
  const keeper = [
    fc.constant(actorCommand("report", (r) => r.vault.connect(r.system.roles.keeper).report())),
    fc.constant(
      actorCommand("rebalance twice", async (r, model) => {
        const reserve = await reserveOf(r);
        const first = r.vault.connect(r.system.roles.keeper).rebalance();
        if (process.env.FUZZ_VERBOSE) {
          const plan = await r.vault.previewRebalance();
          console.log(
            `plan: ${plan.map((l) => `${r.names[r.adapters.indexOf(l.adapter)]}:${l.kind}:${l.amount}`).join(" ")}`,
          );
        }
        await checkRateLimits(r, model, first);
        await checkReserve(r, reserve, first);
        if (process.env.FUZZ_VERBOSE) {
          const receipt = await (await first).wait();
          for (const log of receipt!.logs) {
            const parsed = r.vault.interface.parseLog(log);
            if (parsed && /Leg/.test(parsed.name))
              console.log(`  ${parsed.name} ${parsed.args.map(String).join(",").slice(0, 240)}`);
          }
        }
        // 5. A second rebalance right after the first moves nothing.
        const again = await r.vault.connect(r.system.roles.keeper).rebalance.staticCall();
        if (again !== 0n) {
          const legs = (await r.vault.previewRebalance()).map(
            (leg) => `${r.names[r.adapters.indexOf(leg.adapter)]} kind ${leg.kind} amount ${leg.amount}`,
          );
          expect(
            again,
            `second rebalance would execute ${again} of: ${legs.join("; ")}; ${await describe(r)}`,
          ).to.equal(0n);
        }
      }),
    ),
    adapter.map((i) =>
      actorCommand(`settle(${i})`, (r) => r.vault.connect(r.system.roles.keeper).settle(pick(r.adapters, i))),
    ),
  ];
  const issuer = [
    fc.integer({ min: -20, max: 30 }).map((bps) =>
      actorCommand(`USTB NAV ${bps} bps`, async (r) => {
        const price = await r.system.driver.ustbPrice().catch(() => 10_500_000n);
        await r.system.driver.setUstbNav(price + (price * BigInt(bps)) / 10_000n);
      }),
    ),
    fc.constant(
      actorCommand("BUIDL-I fill + dividend", async (r) => {
        const buidl = r.system.adapters["BUIDL-I"]!;
        const pending = await (await ethers.getContractAt("BuidlAdapter", buidl)).pendingDeposit();
        await r.system.driver.issueBuidl("BUIDL_I", buidl, pending + 1_000n * USDC);
      }),
    ),
    fc.integer({ min: -10, max: 20 }).map((bps) =>
      actorCommand(`JTRSY epoch ${bps} bps`, async (r) => {
        const { price } = await r.system.driver.jtrsyPrice();
        await r.system.driver.setJtrsyPrice(price + (price * BigInt(bps)) / 10_000n);
        const jtrsy = r.system.adapters["JTRSY"]!;
        await r.system.driver.fulfilJtrsyDeposit(jtrsy).catch(() => undefined);
        await r.system.driver.fulfilJtrsyRedeem(jtrsy).catch(() => undefined);
      }),
    ),
    fc.constant(actorCommand("RedemptionIdle runs dry", (r) => r.system.driver.drainUstbRedemption())),
    fc
      .integer({ min: 1, max: 10 })
      .map((m) =>
        actorCommand(`RedemptionIdle refunded ${m}M`, (r) =>
          r.system.driver.fundUstbRedemption(BigInt(m) * 1_000_000n * USDC),
        ),
      ),
    fc
      .boolean()
      .map((paused) =>
        actorCommand(`RedemptionIdle ${paused ? "paused" : "resumed"}`, (r) =>
          r.system.driver.pauseUstbRedemption(paused),
        ),
      ),
    fc
      .boolean()
      .map((paused) =>
        actorCommand(`USTB token ${paused ? "paused" : "resumed"}`, (r) => r.system.driver.pauseUstb(paused)),
      ),
    fc
      .integer({ min: 0, max: 10 })
      .map((bps) =>
        actorCommand(`USTB redemption fee ${bps} bps`, (r) => r.system.driver.setUstbRedemptionFee(BigInt(bps))),
      ),
    fc
      .integer({ min: 0, max: 10 })
      .map((bps) =>
        actorCommand(`USTB subscription fee ${bps} bps`, (r) => r.system.driver.setUstbSubscriptionFee(BigInt(bps))),
      ),
    fc.constant(
      actorCommand("BUIDL fill (both positions)", async (r) => {
        for (const name of ["BUIDL", "BUIDL-R"]) {
          const buidl = r.adapters[r.names.indexOf(name)]!;
          const pending = await (await ethers.getContractAt("BuidlAdapter", buidl)).pendingDeposit();
          if (pending > 0n) await r.system.driver.issueBuidl("BUIDL", buidl, pending);
        }
      }),
    ),
    fc.constant(actorCommand("Circle's facility runs dry", (r) => r.system.driver.drainBuidlRedemption())),
    fc
      .integer({ min: 1, max: 10 })
      .map((m) =>
        actorCommand(`Circle's facility refunded ${m}M`, (r) =>
          r.system.driver.fundBuidlRedemption(BigInt(m) * 1_000_000n * USDC),
        ),
      ),
    fc
      .boolean()
      .map((broken) =>
        actorCommand(`Circle's facility ${broken ? "breaks: every call reverts" : "is repaired"}`, (r) =>
          breakContract(r.system.book.BUIDL_REDEMPTION, broken),
        ),
      ),
    fc
      .boolean()
      .map((broken) =>
        actorCommand(`RedemptionIdle ${broken ? "breaks: every call reverts" : "is repaired"}`, (r) =>
          breakContract(r.system.book.USTB_REDEMPTION_IDLE, broken),
        ),
      ),
  ];
  const guardian = [
    fc.constant(actorCommand("guardian pause", (r) => r.vault.connect(r.system.roles.guardian).pause())),
    fc.constant(actorCommand("guardian unpause", (r) => r.vault.connect(r.system.roles.guardian).unpause())),
    adapter.map((i) =>
      actorCommand(`quarantine(${i})`, (r) => r.vault.connect(r.system.roles.guardian).quarantine(pick(r.adapters, i))),
    ),
    adapter.map((i) =>
      actorCommand(`lift(${i})`, (r) =>
        r.vault.connect(r.system.roles.guardian).liftQuarantine(pick(r.adapters, i), ethers.MaxUint256),
      ),
    ),
  ];
  const curator = [
    fc
      .tuple(adapter, fc.integer({ min: 0, max: 6_000 }))
      .map(([i, w]) =>
        actorCommand(`weight(${i}, ${w})`, (r) =>
          r.vault.connect(r.system.roles.curator).setTargetWeight(pick(r.adapters, i), w),
        ),
      ),
    fc
      .tuple(adapter, fc.bigInt({ min: 0n, max: 80_000_000n * USDC }))
      .map(([i, cap]) =>
        actorCommand(`cap(${i}, ${cap})`, (r) =>
          r.vault.connect(r.system.roles.curator).setCap(pick(r.adapters, i), cap),
        ),
      ),
    fc
      .tuple(adapter, fc.bigInt({ min: 0n, max: 10_000_000n * USDC }), fc.bigInt({ min: 0n, max: 200n * USDC }))
      .map(([i, max, slope]) =>
        actorCommand(`rateLimit(${i}, ${max}, ${slope}/s)`, async (r, model) => {
          const target = pick(r.adapters, i);
          const receipt = await (await r.vault.connect(r.system.roles.curator).setRateLimit(target, max, slope)).wait();
          const at = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
          model.limits.set(target, { since: at, maxAmount: max, slope, entered: 0n });
        }),
      ),
  ];
  const cancels = [
    fc.constant(
      actorCommand("JTRSY: keeper cancels both sides, issuer confirms", async (r) => {
        const jtrsy = await ethers.getContractAt("Erc7540Adapter", r.system.adapters["JTRSY"]!);
        await jtrsy
          .connect(r.system.roles.keeper)
          .cancelDeposit()
          .catch(() => undefined);
        await r.system.driver.fulfilJtrsyCancelDeposit(r.system.adapters["JTRSY"]!).catch(() => undefined);
        await jtrsy
          .connect(r.system.roles.keeper)
          .cancelRedeem()
          .catch(() => undefined);
        await r.system.driver.fulfilJtrsyCancelRedeem(r.system.adapters["JTRSY"]!).catch(() => undefined);
      }),
    ),
  ];
  // The adversarial issuer: partial fills and short pays of every async product, fills that never
  // come (time passes), membership that lapses and returns, strangers' requests and donations, prices
  // that step beyond the breaker and back; and the guardian's write-off.
  const adversity = [
    ...offRampFaults(),
    fc.integer({ min: 50, max: 100 }).map((pct) =>
      actorCommand(`USTB off-chain redemption paid ${pct} %`, async (r) => {
        const ustb = await ethers.getContractAt("UstbAdapter", r.system.adapters["USTB"]!);
        const pending = await ustb.pendingRedeem();
        if (pending > 0n)
          await r.system.driver.payUstbRedemption(r.system.adapters["USTB"]!, (pending * BigInt(pct)) / 100n);
      }),
    ),
    fc.integer({ min: 50, max: 100 }).map((pct) =>
      actorCommand(`BUIDL-I partial fill ${pct} %`, async (r) => {
        const buidlI = r.system.adapters["BUIDL-I"]!;
        const pending = await (await ethers.getContractAt("BuidlAdapter", buidlI)).pendingDeposit();
        if (pending > 0n) await r.system.driver.issueBuidl("BUIDL_I", buidlI, (pending * BigInt(pct)) / 100n);
      }),
    ),
    fc.integer({ min: 50, max: 100 }).map((pct) =>
      actorCommand(`BUIDL-I off-chain redemption paid ${pct} %`, async (r) => {
        const buidlI = r.system.adapters["BUIDL-I"]!;
        const pending = await (await ethers.getContractAt("BuidlAdapter", buidlI)).pendingRedeem();
        if (pending > 0n) await r.system.driver.payBuidlRedemption(buidlI, (pending * BigInt(pct)) / 100n);
      }),
    ),
    fc.integer({ min: 1, max: 100 }).map((pct) =>
      actorCommand(`JTRSY partial fills ${pct} %`, async (r) => {
        const jtrsy = r.system.adapters["JTRSY"]!;
        const target = IERC7540Like__factory.connect(r.system.book.JTRSY_VAULT, ethers.provider);
        const assets = ((await target.pendingDepositRequest(0, jtrsy)) * BigInt(pct)) / 100n;
        if (assets > 0n) {
          await r.system.driver.fulfilJtrsyDeposit(jtrsy, { assets, shares: await target.convertToShares(assets) });
        }
        const shares = ((await target.pendingRedeemRequest(0, jtrsy)) * BigInt(pct)) / 100n;
        if (shares > 0n) {
          // Short: the pool pays 1 % less than the shares are worth.
          const assetsOut = ((await target.convertToAssets(shares)) * 99n) / 100n;
          await r.system.driver.fulfilJtrsyRedeem(jtrsy, { shares, assets: assetsOut });
        }
      }),
    ),
    fc.boolean().map((lapsed) =>
      actorCommand(`JTRSY membership ${lapsed ? "lapses" : "is renewed"}`, async (r) => {
        const jtrsy = r.system.adapters["JTRSY"]!;
        if (lapsed) {
          // Centrifuge only takes an expiry in the future: set one a minute away and let it pass.
          await r.system.driver.setJtrsyMembership(jtrsy, (await r.system.driver.now()) + 60n);
          await passTime(120);
        } else await r.system.driver.allowlist("JTRSY", jtrsy);
      }),
    ),
    fc.boolean().map((frozen) =>
      actorCommand(`the issuer ${frozen ? "freezes" : "unfreezes"} JTRSY's adapter`, async (r) => {
        await r.system.driver.freezeCentrifuge("JTRSY", r.system.adapters["JTRSY"]!, frozen);
      }),
    ),
    fc.bigInt({ min: 1n, max: 100_000n * USDC }).map((amount) =>
      actorCommand(`stranger attaches a ${amount} deposit request to JTRSY`, async (r) => {
        const target = IERC7540Like__factory.connect(r.system.book.JTRSY_VAULT, r.stranger);
        await target.requestDeposit(amount, r.system.adapters["JTRSY"]!, await r.stranger.getAddress());
      }),
    ),
    fc.integer({ min: 1, max: 100 }).map((pct) =>
      actorCommand(`stranger attaches a redemption of ${pct} % of its shares to JTRSY`, async (r) => {
        const target = IERC7540Like__factory.connect(r.system.book.JTRSY_VAULT, r.stranger);
        const share = SandboxUSDC__factory.connect(await target.share(), ethers.provider);
        const held = await share.balanceOf(await r.stranger.getAddress());
        const shares = (held * BigInt(pct)) / 100n;
        if (shares > 0n) {
          await target.requestRedeem(shares, r.system.adapters["JTRSY"]!, await r.stranger.getAddress());
        }
      }),
    ),
    fc.tuple(adapter, fc.bigInt({ min: 1n, max: 50_000n * USDC })).map(([i, amount]) =>
      actorCommand(`stranger donates ${amount} USDC to adapter ${i}`, async (r) => {
        const usdc = SandboxUSDC__factory.connect(r.system.book.USDC, r.stranger);
        await usdc.transfer(pick(r.adapters, i), amount);
      }),
    ),
    fc.integer({ min: 150, max: 600 }).map((bps) =>
      actorCommand(`USTB NAV steps -${bps} bps beyond the breaker, reports, and steps back`, async (r) => {
        await ethers.provider.send("evm_mine", []); // the step's pinned block first: the strike is after it
        const price = await r.system.driver.ustbPrice().catch(() => 10_500_000n);
        await r.system.driver.setUstbNav(price - (price * BigInt(bps)) / 10_000n);
        await r.vault.connect(r.system.roles.keeper).report();
        await passTime(3_600); // the next strike, an hour later
        await r.system.driver.setUstbNav(price);
      }),
    ),
    fc.constant(actorCommand("guardian writes off whatever is overdue", (r) => writeOffOverdue(r))),
    overdue,
    fc
      .tuple(user, fc.bigInt({ min: 1_000_000n * USDC, max: 30_000_000n * USDC }), fc.integer({ min: 50, max: 99 }))
      .map(([u, amount, pct]) =>
        actorCommand(
          `USTB pays ${pct} % of a redemption, the rest is written off; user ${u} deposits ${amount}; the rest arrives`,
          (r) => lateRecovery(r, u, amount, pct),
        ),
      ),
    fc.constant(
      actorCommand(
        "the issuers deliver everything pending; the keeper stays away past the request age; the guardian writes off",
        (r) => keeperAway(r),
      ),
    ),
    fc
      .tuple(user, fc.integer({ min: 1, max: 100 }))
      .map(([u, bps]) =>
        actorCommand(
          `user ${u}'s exit is queued; USTB's instant exit pays ${bps} bps short; the keeper rebalances`,
          (r, model) => failedExitWithQueue(r, model, u, bps),
        ),
      ),
  ];
  const time = [
    fc.constant(
      actorCommand("six quiet days: the USTB oracle goes stale", async () => {
        await passTime(6 * 86_400);
      }),
    ),
    fc.integer({ min: 60, max: 3 * 86_400 }).map((s) =>
      actorCommand(`time +${s}s`, async () => {
        await passTime(s);
      }),
    ),
  ];
  // The keeper's routine twice over: requests must be filed for the issuer to misbehave on them.
  // Time enough for requests to become overdue, and the guardian's write-off, three times as often.
  if (focus === "adversity") {
    return [...users, ...keeper, ...keeper, ...guardian, ...adversity, overdue, overdue, ...time];
  }
  // The queue's commands three times over: a request must come before its fulfilment and its claim.
  const queue = queueCommands();
  return [
    ...users,
    ...keeper,
    ...issuer,
    ...guardian,
    ...curator,
    ...cancels,
    ...adversity,
    ...time,
    ...queue,
    ...queue,
    ...queue,
  ];
}

/**
 * Securitize's ramps and the Grove Basin under them misbehaving: paused at each layer and direction,
 * subscriptions switched off, fees moved up to the Basin's maximum and beyond the NAV band, the Basin's USDC
 * and BUIDL run down and its USDC refilled, BUIDL's Basin price
 * moved around the NAV and in and out of the band, its rate left stale; and BUIDL-R's own issuer events
 * (its subscription filled, its off-chain redemption paid in part).
 */
function offRampFaults() {
  const ramped = (r: Real) => r.adapters[r.names.indexOf("BUIDL-R")]!;
  return [
    fc
      .tuple(fc.constantFrom("offRamp" as const, "provider" as const), fc.boolean())
      .map(([part, paused]) =>
        actorCommand(`off-ramp ${part} ${paused ? "paused" : "resumed"}`, (r) =>
          r.system.driver.pauseBuidlOffRamp(paused, part),
        ),
      ),
    fc
      .boolean()
      .map((paused) =>
        actorCommand(`Basin BUIDL → USDC ${paused ? "paused" : "resumed"}`, (r) =>
          r.system.driver.pauseBuidlBasin(paused),
        ),
      ),
    fc
      .tuple(fc.constantFrom("sales" as const, "purchases" as const), fc.integer({ min: 0, max: 500 }))
      .map(([side, bps]) =>
        actorCommand(`Basin fee on ${side} ${bps} bps`, (r) => r.system.driver.setBuidlBasinFee(BigInt(bps), side)),
      ),
    fc
      .integer({ min: 0, max: 3 })
      .map((m) =>
        actorCommand(`Basin's BUIDL stock runs down to ${m}M`, (r) =>
          r.system.driver.drainBuidlBasinStock(BigInt(m) * 1_000_000n * USDC),
        ),
      ),
    fc
      .integer({ min: 0, max: 3_000 })
      .map((mbps) =>
        actorCommand(`off-ramp fee ${mbps} mbps`, (r) => r.system.driver.setBuidlOffRampFee(BigInt(mbps))),
      ),
    fc
      .integer({ min: 0, max: 3 })
      .map((m) =>
        actorCommand(`Basin runs down to ${m}M`, (r) => r.system.driver.drainBuidlBasin(BigInt(m) * 1_000_000n * USDC)),
      ),
    fc
      .integer({ min: 1, max: 20 })
      .map((m) =>
        actorCommand(`Basin refilled ${m}M`, (r) => r.system.driver.fundBuidlBasin(BigInt(m) * 1_000_000n * USDC)),
      ),
    fc
      .integer({ min: -200, max: 200 })
      .map((bps) =>
        actorCommand(`Basin prices BUIDL ${bps} bps from $1`, (r) =>
          r.system.driver.setBuidlBasinRate(10n ** 27n + BigInt(bps) * 10n ** 23n),
        ),
      ),
    fc.constant(actorCommand("Basin's BUIDL rate goes stale", (r) => r.system.driver.ageBuidlBasinRate(8n * 86_400n))),
    fc.constant(
      actorCommand("BUIDL-R fill, and the keeper settles it", async (r) => {
        const pending = await (await ethers.getContractAt("BuidlAdapter", ramped(r))).pendingDeposit();
        if (pending > 0n) await r.system.driver.issueBuidl("BUIDL", ramped(r), pending);
        await r.vault.connect(r.system.roles.keeper).settle(ramped(r));
      }),
    ),
    fc.integer({ min: 50, max: 100 }).map((pct) =>
      actorCommand(`BUIDL-R off-chain redemption paid ${pct} %`, async (r) => {
        const pending = await (await ethers.getContractAt("BuidlAdapter", ramped(r))).pendingRedeem();
        if (pending > 0n) await r.system.driver.payBuidlRedemption(ramped(r), (pending * BigInt(pct)) / 100n);
      }),
    ),
  ];
}

/** How many times Securitize's off-ramp sold BUIDL since `fromBlock`. */
async function offRampSales(real: Real, fromBlock: number): Promise<number> {
  const ramp = await ethers.getContractAt("SandboxSecuritizeOffRamp", bookEntry(real.system.book, "BUIDL_OFF_RAMP"));
  return (await ramp.queryFilter(ramp.filters.RedemptionCompleted(), fromBlock)).length;
}

/** Runs `runs` random sequences of up to `steps` commands from a fresh system each; replays with `seed`. */
/**
 * Replays run `index` of a seed alone (the index a failure prints as its path): the runs before it
 * are generated, not executed, so the failing sequence runs in seconds.
 */
export async function replayRun(options: {
  runs: number;
  steps: number;
  seed: number;
  index: number;
  focus?: "all" | "adversity";
  fresh: () => Promise<Real>;
}) {
  let run = 0;
  const cmdSet = commands(options.focus ?? "all");
  await fc.assert(
    fc.asyncProperty(fc.commands(cmdSet, { maxCommands: options.steps, size: "max" }), async (cmds) => {
      if (run++ !== options.index) return;
      const real = await options.fresh();
      const clock = (await ethers.provider.getBlock("latest"))!.timestamp;
      await fc.asyncModelRun(() => ({ model: freshModel(clock), real }), cmds);
    }),
    { numRuns: options.runs, seed: options.seed, endOnFailure: true },
  );
}

export async function runInvariants(options: {
  runs: number;
  steps: number;
  seed: number;
  fresh: () => Promise<Real>;
  focus?: "all" | "adversity";
  /** Called after each sequence that held, with how many have run in this call. */
  onSequence?: (done: number) => void;
}) {
  let done = 0;
  const cmdSet = commands(options.focus ?? "all");
  await fc.assert(
    fc.asyncProperty(fc.commands(cmdSet, { maxCommands: options.steps, size: "max" }), async (cmds) => {
      const real = await options.fresh();
      stats.sequences++;
      const start = (await ethers.provider.getBlock("latest"))!;
      const clock = start.timestamp;
      try {
        await fc.asyncModelRun(() => ({ model: freshModel(clock), real }), cmds);
      } finally {
        // A contract broken by the last sequence must not become part of a fixture taken after it.
        await restoreCode();
      }
      stats.offRampSales += await offRampSales(real, start.number + 1);
      options.onSequence?.(++done);
    }),
    { numRuns: options.runs, seed: options.seed, endOnFailure: true },
  );
}

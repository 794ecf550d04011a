import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { getAddress, id, MaxUint256 } from "ethers";
import { BuidlAdapter__factory, SandboxDSToken__factory, type BuidlAdapter } from "../../../typechain-types";
import { impersonate } from "../../../src/sandbox/rpc";
import { bookEntry } from "../../../src/issuers/book";
import { DEFAULT_SETTLE_TOLERANCE_BPS } from "../../../src/deploy/params";
import type { IssuerDriver } from "../../../src/issuers/driver";
import { LegKind, UNLIMITED, executedLegs, planOf } from "../../helpers/fixtures";
import { describeSandboxOnly } from "../../helpers/mainnet";
import { BUIDL_DEPOSIT_STAND_IN, DAY, USDC, reserveSystem, type ReserveSystem } from "../../helpers/reserve";
import { RATE } from "../../helpers/basin";
import { readSnapshot } from "../../../src/keeper/reader";
import { issuerNotes } from "../../../src/keeper/explain";
import { DOLLAR_DS_TERMS } from "../../../src/deploy/system";

/** Where the off-ramped class's off-chain redemptions go: a labelled stand-in for Securitize's wallet. */
const REDEMPTION_STAND_IN = getAddress(`0x${id("reserve-router.stand-in.buidl-redemption").slice(26)}`);
const ROUTE = { none: 0n, facility: 1n, offRamp: 2n } as const;
const HELD = 500_000n * USDC;

/** A BUIDL adapter's first constructor arguments: the vault, USDC, the class, its registry and wallets. */
function classArgs({ vault, book }: Pick<ReserveSystem, "vault" | "book">) {
  return [vault, book.USDC, book.BUIDL, book.BUIDL_REGISTRY, BUIDL_DEPOSIT_STAND_IN, REDEMPTION_STAND_IN] as const;
}

/**
 * A BUIDL adapter exiting through Securitize's off-ramp (and off-chain, to the redemption stand-in, which is
 * registered so BUIDL may be sent there), entering through `onRamp` or at the deposit address (zero);
 * allowlisted and listed in the system's vault with open limits and a 10 bps exit bound.
 */
async function listRamped(system: ReserveSystem, onRamp: string): Promise<BuidlAdapter> {
  const { vault, curator, driver, book, deployer } = system;
  const adapter = await new BuidlAdapter__factory(deployer).deploy(
    ...classArgs(system),
    ROUTE.offRamp,
    bookEntry(book, "BUIDL_OFF_RAMP"),
    onRamp,
    100_000n * USDC,
    DEFAULT_SETTLE_TOLERANCE_BPS,
    DOLLAR_DS_TERMS,
  );
  await driver.allowlist("BUIDL", await adapter.getAddress());
  await driver.allowlist("BUIDL", REDEMPTION_STAND_IN);
  const asCurator = vault.connect(curator);
  await asCurator.addAdapter(adapter);
  await asCurator.setCap(adapter, UNLIMITED);
  await asCurator.setRateLimit(adapter, UNLIMITED, 0n);
  await asCurator.setMaxSlippage(adapter, 10n);
  return adapter;
}

/**
 * A vault whose BUIDL position exits at once through Securitize's off-ramp over the Grove Basin and
 * otherwise by off-chain redemption: $500k of BUIDL past its lock-up, $300k of USTB, $200k idle; the
 * withdrawal order BUIDL then USTB; exit slippage bounded at 10 bps.
 */
async function offRampSystem() {
  const system = await reserveSystem();
  const { vault, curator, keeper, alice, driver, book, ustb } = system;
  const ramped = await listRamped(system, ethers.ZeroAddress); // entries subscribe at the deposit address
  const asCurator = vault.connect(curator);
  await asCurator.setWithdrawOrder([ramped, ustb]);
  await asCurator.setTargetWeight(ramped, 5_000n);
  await asCurator.setTargetWeight(ustb, 3_000n);
  await vault.connect(alice).deposit(1_000_000n * USDC, alice);
  await vault.connect(keeper).rebalance();
  await driver.issueBuidl("BUIDL", await ramped.getAddress(), HELD);
  await vault.connect(keeper).settle(ramped);
  await driver.advanceTime(DAY + 1n); // past BUIDL's lock-up
  const token = SandboxDSToken__factory.connect(book.BUIDL, ethers.provider);
  return { ...system, ramped, token };
}

/** What one instant exit of `assets` did: tokens sold, USDC the vault received, the adapter's value lost. */
async function exitAsVault(ramped: BuidlAdapter, vault: string, assets: bigint) {
  const token = SandboxDSToken__factory.connect(await ramped.TOKEN(), ethers.provider);
  const usdc = SandboxDSToken__factory.connect(await ramped.asset(), ethers.provider);
  const [tokensBefore, cashBefore, valueBefore] = [
    await token.balanceOf(ramped),
    await usdc.balanceOf(vault),
    await ramped.totalAssets(),
  ];
  await impersonate(ethers.provider, vault, async (asVault) => {
    await (await ramped.connect(asVault).withdraw(assets)).wait();
  });
  return {
    sold: tokensBefore - (await token.balanceOf(ramped)),
    received: (await usdc.balanceOf(vault)) - cashBefore,
    lost: valueBefore - (await ramped.totalAssets()),
  };
}

/** The route's faults and states, each set up by the issuers' own admin calls. */
const STATES: Array<{ name: string; open: boolean; set: (driver: IssuerDriver) => Promise<unknown> }> = [
  { name: "as seeded (Basin 1 bp, Securitize 5 mbps)", open: true, set: async () => undefined },
  { name: "the off-ramp paused", open: false, set: (d) => d.pauseBuidlOffRamp(true) },
  { name: "its liquidity provider paused", open: false, set: (d) => d.pauseBuidlOffRamp(true, "provider") },
  { name: "the Basin's BUIDL → USDC swaps paused", open: false, set: (d) => d.pauseBuidlBasin(true) },
  { name: "the Basin's fee at 50 bps, inside the band", open: true, set: (d) => d.setBuidlBasinFee(50n) },
  {
    name: "the Basin's fee at its maximum (5 %), beyond the 1 % band: the provider refuses",
    open: false,
    set: (d) => d.setBuidlBasinFee("max"),
  },
  { name: "Securitize's fee at 2 %", open: true, set: (d) => d.setBuidlOffRampFee(2_000n) },
  { name: "the Basin holding $123,456.789012", open: true, set: (d) => d.drainBuidlBasin(123_456_789_012n) },
  {
    name: "the Basin's size limit at $77,777",
    open: true,
    set: (d) => d.setBuidlBasinMaxSwapSize(77_777n * 10n ** 18n),
  },
  {
    name: "BUIDL's Basin price 0.6 % over the NAV (inside the band)",
    open: true,
    set: (d) => d.setBuidlBasinRate((RATE * 1_006n) / 1_000n),
  },
  {
    name: "BUIDL's Basin price 1.5 % under the NAV (outside the band)",
    open: false,
    set: (d) => d.setBuidlBasinRate((RATE * 985n) / 1_000n),
  },
  { name: "the Basin's BUIDL rate stale (8 days)", open: false, set: (d) => d.ageBuidlBasinRate(8n * DAY) },
  { name: "Securitize's NAV at zero", open: false, set: (d) => d.setBuidlOffRampNav(0n) },
  { name: "a band of zero (the provider's kill switch)", open: false, set: (d) => d.setBuidlOffRampTolerance(0n) },
];

describeSandboxOnly(
  "BuidlAdapter through Securitize's off-ramp over a Grove Basin",
  "no off-ramp or BUIDL Basin is published on mainnet: the emulated mainnet places its own",
  function () {
    it("is deployed with its route: the off-ramp's contract named, a route without its contract refused", async function () {
      const { ramped, book, vault, deployer } = await loadFixture(offRampSystem);
      expect(await ramped.EXIT_ROUTE()).to.equal(ROUTE.offRamp);
      expect(await ramped.EXIT()).to.equal(bookEntry(book, "BUIDL_OFF_RAMP"));
      const factory = new BuidlAdapter__factory(deployer);
      const args = classArgs({ vault, book });
      await expect(
        factory.deploy(...args, ROUTE.offRamp, ethers.ZeroAddress, ethers.ZeroAddress, 1n, 50n, DOLLAR_DS_TERMS),
      )
        .to.be.revertedWithCustomError(factory, "ExitRouteMismatch")
        .withArgs(ROUTE.offRamp, ethers.ZeroAddress);
      await expect(
        factory.deploy(...args, ROUTE.none, book.BUIDL_REDEMPTION, ethers.ZeroAddress, 1n, 50n, DOLLAR_DS_TERMS),
      )
        .to.be.revertedWithCustomError(factory, "ExitRouteMismatch")
        .withArgs(ROUTE.none, book.BUIDL_REDEMPTION);
    });

    for (const state of STATES) {
      it(`prices the exit as the route pays it, to the unit: ${state.name}`, async function () {
        const { ramped, vault, driver } = await loadFixture(offRampSystem);
        await state.set(driver);
        const max = await ramped.maxWithdraw();
        if (!state.open) {
          expect(max, "a faulted route promises nothing").to.equal(0n);
          expect(await ramped.withdrawCost(1n), "and quotes no exit").to.equal(MaxUint256);
          await expect(exitAsVault(ramped, await vault.getAddress(), USDC), "the exit itself fails").to.be.reverted;
          return;
        }
        const [capacity, capacityNet] = await ramped.offRampCapacity();
        expect(max).to.equal(capacityNet).and.to.be.greaterThan(0n);
        expect(capacity).to.be.at.most(HELD);
        const steps = await ramped.OFF_RAMP_STEPS();
        for (const assets of [1n, 999_999n, 12_345_678_901n, max / 3n, max - 1n]) {
          const quote = await ramped.withdrawCost(assets);
          const snapshot = await ethers.provider.send("evm_snapshot", []);
          const { sold, received, lost } = await exitAsVault(ramped, await vault.getAddress(), assets);
          await ethers.provider.send("evm_revert", [snapshot]);
          expect(received, `${assets}: the vault receives at least what it asked`).to.be.at.least(assets);
          expect(lost, "BUIDL at $1: the value lost is the tokens sold").to.equal(sold);
          expect(quote, `${assets}: the quote covers the real cost`).to.be.at.least(sold - assets);
          // Sold above $1 (the Basin over the NAV), the exit gains: the quote never goes below zero.
          const cost = sold > assets ? sold - assets : 0n;
          expect(quote - cost, `${assets}: and exceeds it by at most the steps`).to.be.at.most(steps);
        }
        const all = await exitAsVault(ramped, await vault.getAddress(), max);
        expect(all.received, "maxWithdraw is paid exactly").to.equal(max);
        expect(all.sold, "by selling the capacity").to.equal(capacity);
        expect(await ramped.maxWithdraw(), "then nothing more, or only what a limit held back").to.be.lessThan(
          HELD - capacity + 1n,
        );
      });
    }

    it("the keeper's status says why the route is closed, in the operator's words, and what happens instead", async function () {
      const { ramped, vault, driver } = await loadFixture(offRampSystem);
      const at = await ramped.getAddress();
      const status = async () => {
        const snapshot = await readSnapshot(ethers.provider, await vault.getAddress());
        const s = snapshot.status.find((x) => x.address === at)!;
        return { ramp: s.offRamp, notes: issuerNotes(s, snapshot.timestamp) };
      };
      const open = await status();
      expect(open.ramp).to.deep.equal({
        open: true,
        amount: (await ramped.offRampCapacity())[0],
        out: await ramped.maxWithdraw(),
      });
      expect(open.notes, "an open route says nothing").to.deep.equal([]);
      const cases: Array<[() => Promise<unknown>, string, () => Promise<unknown>]> = [
        [
          () => driver.pauseBuidlOffRamp(true),
          "Securitize has paused its off-ramp",
          () => driver.pauseBuidlOffRamp(false),
        ],
        [
          () => driver.pauseBuidlBasin(true),
          "the Grove Basin has paused swaps in this direction",
          () => driver.pauseBuidlBasin(false),
        ],
        [
          () => driver.setBuidlBasinRate((RATE * 985n) / 1_000n),
          "outside the provider's band of 1 %",
          () => driver.setBuidlBasinRate(RATE),
        ],
        [
          () => driver.ageBuidlBasinRate(8n * DAY),
          "the Grove Basin's BUIDL rate is stale",
          () => driver.setBuidlBasinRate(RATE),
        ],
        [
          () => driver.setBuidlOffRampNav(0n),
          "Securitize's NAV for BUIDL reads zero",
          () => driver.setBuidlOffRampNav(USDC),
        ],
      ];
      for (const [fault, words, repair] of cases) {
        await fault();
        const closed = await status();
        expect(closed.ramp?.open, words).to.equal(false);
        expect(closed.notes).to.have.length(1);
        expect(closed.notes[0]).to.contain(words).and.to.contain("the rebalance files an off-chain redemption instead");
        await repair();
        expect((await status()).ramp?.open, `repaired after: ${words}`).to.equal(true);
      }
    });

    it("refuses an exit above what the route pays, naming it; the vault's views answer whatever the route does", async function () {
      const { ramped, vault, driver } = await loadFixture(offRampSystem);
      await driver.drainBuidlBasin(10_000n * USDC);
      const max = await ramped.maxWithdraw();
      await expect(exitAsVault(ramped, await vault.getAddress(), max + 1n))
        .to.be.revertedWithCustomError(ramped, "AmountTooLarge")
        .withArgs(max + 1n, max);
      expect(await ramped.withdrawCost(max + 1n), "beyond maxWithdraw: no quote").to.equal(MaxUint256);
      await driver.setBuidlOffRampTolerance(0n);
      await expect(ramped.offRampCapacity()).to.be.revertedWithCustomError(ramped, "OutsideNavBand");
      await driver.pauseBuidlOffRamp(true);
      await expect(ramped.offRampCapacity()).to.be.revertedWithCustomError(ramped, "OffRampPaused");
      expect(await vault.maxWithdraw((await ethers.getSigners())[0]!)).to.equal(0n);
    });

    it("charges the leaver the route's cost: the shares a withdrawal burns include the quote, the vault loses nothing", async function () {
      const { ramped, vault, alice } = await loadFixture(offRampSystem);
      const idle = await vault.idle();
      const wanted = idle + 100_000n * USDC; // $100k beyond idle: drawn from BUIDL through the off-ramp
      const shares = await vault.previewWithdraw(wanted);
      const priceBefore = await vault.convertToAssets(10n ** 18n);
      const tokensBefore = await ramped.totalAssets();
      const sharesBefore = await vault.balanceOf(alice);
      await expect(vault.connect(alice).withdraw(wanted, alice, alice)).to.changeTokenBalance(
        SandboxDSToken__factory.connect(await vault.asset(), ethers.provider),
        alice,
        wanted,
      );
      expect(sharesBefore - (await vault.balanceOf(alice)), "the shares previewWithdraw named").to.equal(shares);
      expect(tokensBefore - (await ramped.totalAssets()), "BUIDL sold: $100k and the fees").to.be.greaterThan(
        100_000n * USDC,
      );
      expect(await vault.convertToAssets(10n ** 18n), "those who stay lose nothing").to.be.at.least(priceBefore);
    });

    it("with the route faulted, a withdrawal falls through to USTB and the rebalance files an off-chain redemption", async function () {
      const { ramped, vault, alice, keeper, curator, driver, token, ustb } = await loadFixture(offRampSystem);
      await driver.setBuidlBasinRate((RATE * 985n) / 1_000n); // the Basin's quote outside the NAV band
      const idle = await vault.idle();
      const ustbBefore = await ustb.totalAssets();
      await driver.fundUstbRedemption(1_000_000n * USDC);
      await vault.connect(alice).withdraw(idle + 50_000n * USDC, alice, alice);
      expect(await token.balanceOf(ramped), "BUIDL untouched").to.equal(HELD);
      expect(ustbBefore - (await ustb.totalAssets()), "drawn from USTB").to.be.at.least(50_000n * USDC);

      await vault.connect(curator).setTargetWeight(ramped, 0n);
      const rampedAt = await ramped.getAddress();
      expect((await planOf(vault)).filter((leg) => leg[0] === rampedAt).map((leg) => leg[1])).to.deep.equal([
        LegKind.RequestRedeem,
      ]);
      const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
      expect(legs.some((leg) => leg[1] === LegKind.RequestRedeem)).to.equal(true);
      expect(await token.balanceOf(REDEMPTION_STAND_IN), "sent to Securitize's redemption wallet").to.equal(HELD);
      expect(await ramped.pendingRedeem()).to.equal(HELD);
      await driver.payBuidlRedemption(await ramped.getAddress(), HELD);
      const before = await vault.idle();
      await vault.connect(keeper).settle(ramped);
      expect((await vault.idle()) - before, "paid in full").to.equal(HELD);
      expect(await ramped.totalAssets()).to.equal(0n);
    });

    it("with the Basin's fee at 50 bps, the exit costs more than its 10 bps bound: the withdrawal walk passes it over", async function () {
      const { ramped, vault, alice, driver, token } = await loadFixture(offRampSystem);
      await driver.setBuidlBasinFee(50n);
      expect(await ramped.maxWithdraw(), "the route is open").to.be.greaterThan(0n);
      await driver.fundUstbRedemption(1_000_000n * USDC);
      await vault.connect(alice).withdraw((await vault.idle()) + 10_000n * USDC, alice, alice);
      expect(await token.balanceOf(ramped), "BUIDL untouched: 50 bps is beyond its 10 bps bound").to.equal(HELD);
    });
  },
);

/**
 * A vault whose BUIDL position enters through Securitize's on-ramp (tokens bought at once) and exits through
 * its off-ramp: $1M deposited, the position's weight 50 %, entry slippage bounded at 10 bps.
 */
async function onRampSystem() {
  const system = await reserveSystem();
  const { vault, curator, alice, book } = system;
  const bought = await listRamped(system, bookEntry(book, "BUIDL_ON_RAMP"));
  await vault.connect(curator).setTargetWeight(bought, 5_000n);
  await vault.connect(alice).deposit(1_000_000n * USDC, alice);
  const token = SandboxDSToken__factory.connect(book.BUIDL, ethers.provider);
  return { ...system, bought, token };
}

/** The on-ramp's faults, each closing the entry: the plan then makes none. */
const ENTRY_FAULTS: Array<{ name: string; set: (driver: IssuerDriver) => Promise<unknown> }> = [
  { name: "the on-ramp paused", set: (d) => d.pauseBuidlOnRamp(true) },
  { name: "its asset provider paused", set: (d) => d.pauseBuidlOnRamp(true, "provider") },
  { name: "its subscriptions switched off", set: (d) => d.setBuidlOnRampSubscriptions(false) },
  { name: "the Basin's USDC → BUIDL swaps paused", set: (d) => d.pauseBuidlBasin(true, "purchases") },
  { name: "the Basin out of BUIDL", set: (d) => d.drainBuidlBasinStock(0n) },
  { name: "BUIDL 1.5 % dearer in the Basin than at NAV", set: (d) => d.setBuidlBasinRate((RATE * 1_015n) / 1_000n) },
  { name: "the Basin's BUIDL rate stale", set: (d) => d.ageBuidlBasinRate(8n * DAY) },
  { name: "Securitize's NAV at zero", set: (d) => d.setBuidlOffRampNav(0n) },
];

describeSandboxOnly(
  "BuidlAdapter entering through Securitize's on-ramp",
  "no on-ramp or BUIDL Basin is published on mainnet: the emulated mainnet places its own",
  function () {
    it("buys at once: the rebalance's entry arrives as tokens, valued net of both fees, free to leave", async function () {
      const { vault, keeper, bought, token } = await loadFixture(onRampSystem);
      expect(await bought.ON_RAMP()).to.not.equal(ethers.ZeroAddress);
      const [capacity, capacityTokens] = await bought.onRampCapacity();
      expect(await bought.maxDeposit()).to.equal(capacity);
      expect(capacityTokens).to.be.greaterThan(0n);
      const at = await bought.getAddress();
      const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
      const entry = legs.find((leg) => leg[0] === at && leg[1] === LegKind.Deposit);
      expect(entry, "the entry executed").to.not.equal(undefined);
      const held = await token.balanceOf(bought);
      expect(await bought.pendingDeposit(), "nothing waits for the issuer").to.equal(0n);
      expect(await bought.totalAssets(), "the tokens, at $1").to.equal(held);
      expect(entry![2], "half the $1M").to.equal(500_000n * USDC);
      expect((await vault.adapterConfig(bought)).value, "booked at what was bought").to.equal(held);
      const net = 500_000n * USDC - (500_000n * USDC * 5n + 99_999n) / 100_000n; // Securitize's 5 mbps
      expect(held, "and the Basin's 1 bp on what is left, both rounded up").to.equal(net - (net + 9_999n) / 10_000n);
      expect(await bought.transferable(), "bought, not issued: no lock-up").to.equal(held);
      expect(await bought.maxWithdraw(), "the off-ramp can take it back at once").to.be.greaterThan(0n);
    });

    for (const fault of ENTRY_FAULTS) {
      it(`makes no entry with ${fault.name}, and the keeper's status says so`, async function () {
        const { vault, bought, driver } = await loadFixture(onRampSystem);
        await fault.set(driver);
        expect(await bought.maxDeposit()).to.equal(0n);
        const at = await bought.getAddress();
        expect((await planOf(vault)).filter((leg) => leg[0] === at)).to.deep.equal([]);
        const snapshot = await readSnapshot(ethers.provider, await vault.getAddress());
        const status = snapshot.status.find((s) => s.address === at)!;
        const notes = issuerNotes(status, snapshot.timestamp).filter((n) => n.includes("on-ramp"));
        expect(notes, fault.name).to.have.length(1);
        expect(notes[0]).to.contain("the plan makes no entry into it");
      });
    }

    it("takes what the Basin's stock can fill, and the on-ramp's minimum is the adapter's", async function () {
      const { vault, keeper, bought, driver, token } = await loadFixture(onRampSystem);
      await driver.drainBuidlBasinStock(200_000n * USDC);
      const [capacity, tokens] = await bought.onRampCapacity();
      expect(tokens).to.be.at.most(200_000n * USDC);
      expect(await bought.maxDeposit()).to.equal(capacity);
      await vault.connect(keeper).rebalance();
      expect(await token.balanceOf(bought), "filled to the Basin's stock").to.equal(tokens);
      await driver.setBuidlOnRampSubscriptions(true, 2_000_000n * USDC);
      expect(await bought.minDeposit(), "the on-ramp's minimum is above the ticket").to.equal(2_000_000n * USDC);
      expect(await bought.maxDeposit(), "nothing within reach reaches it").to.equal(0n);
    });
  },
);

import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ParamsError, parseParams } from "../../../src/deploy/params";
import { DOLLAR_DS_TERMS, configure, deploy, handover, verify } from "../../../src/deploy/system";
import {
  BuidlAdapter__factory,
  ReserveVault__factory,
  SandboxDSRegistry__factory,
  SandboxUSDC__factory,
  SandboxUSTB__factory,
} from "../../../typechain-types";
import { LegKind, executedLegs } from "../../helpers/fixtures";
import { describeSandboxOnly, mainnet } from "../../helpers/mainnet";

const USDC = 10n ** 6n;
const DAY = 86_400n;
const M = 1_000_000n * USDC;
const PARAMS = path.join(__dirname, "..", "..", "..", "deploy", "params", "hardhat.json");
const QUARANTINE_VALUATION_REVERTED = 1n;

const LIMITS = {
  weightBps: 0,
  cap: "100000000000000",
  rateLimit: { maxAmount: "100000000000000", slopePerSecond: "1157407407" },
  maxSlippageBps: 1,
  navGuard: { maxNavAgeSeconds: 259_200, maxNavDeviationBps: 200 },
};

/** Securitize's AAA CLO fund: a DS token with its own registry, priced by its NAV feed (30 hours at most). */
const STAC_ENTRY = {
  kind: "buidl",
  name: "STAC",
  token: "STAC",
  registry: "STAC_REGISTRY",
  depositAddress: "STAC_DEPOSIT",
  redemptionAddress: "STAC_REDEMPTION",
  navFeed: { feed: "STAC_NAV_FEED", maxAgeSeconds: 108_000 },
  minTicket: "100000000000",
  ...LIMITS,
};

/** Superstate's crypto carry fund: a Superstate token entered by transfer, left by `offchainRedeem`. */
const USCC_ENTRY = {
  kind: "buidl",
  name: "USCC",
  standard: "superstate",
  token: "USCC",
  depositAddress: "USCC_DEPOSIT",
  navFeed: { feed: "USCC_NAV_FEED", maxAgeSeconds: 172_800 },
  minTicket: "100000000000",
  ...LIMITS,
};

/** The value of `tokens` (6 decimals) at a feed `answer` of 8 decimals, in USDC base units, rounded down. */
const valueAt = (tokens: bigint, answer: bigint) => (tokens * answer) / 10n ** 8n;
/** The tokens an issuer mints for `assets` at `answer`: rounded down, as issuers do. */
const tokensFor = (assets: bigint, answer: bigint) => (assets * 10n ** 8n) / answer;

describeSandboxOnly(
  "Transfer-issued products priced by a NAV feed: STAC and USCC beside Spark's split",
  "the driver posts NAVs to the emulated feeds and issues STAC as the emulated issuer; mainnet's feeds and STAC's issuer key are not ours",
  function () {
    async function withProducts() {
      const { driver, book } = await loadFixture(mainnet);
      const [deployer, , curator, keeper] = await ethers.getSigners();
      const raw = JSON.parse(readFileSync(PARAMS, "utf8")) as { adapters: unknown[] };
      const params = parseParams({ ...raw, adapters: [...raw.adapters, STAC_ENTRY, USCC_ENTRY] }, book);
      const ctx = { signer: deployer!, book, network: "hardhat" };
      const deployment = await deploy(params, ctx);
      await configure(params, deployment, { ...ctx, driver });
      await handover(params, deployment, ctx);
      const vault = ReserveVault__factory.connect(deployment.vault, deployer!);
      const stac = BuidlAdapter__factory.connect(deployment.adapters["STAC"]!, ethers.provider);
      const uscc = BuidlAdapter__factory.connect(deployment.adapters["USCC"]!, ethers.provider);
      const guardian = (await ethers.getSigners())[4]!; // the parameters' guardian
      return {
        driver,
        book,
        params,
        deployment,
        vault,
        stac,
        uscc,
        deployer: deployer!,
        curator: curator!,
        keeper: keeper!,
        guardian,
      };
    }

    /** STAC and USCC at 5 % each (JTRSY gives up 10 %), 10M deposited and placed, the issuers minted at NAV. */
    async function invested() {
      const system = await withProducts();
      const { vault, curator, keeper, driver, book, deployer, stac, uscc, deployment } = system;
      await vault.connect(curator).setTargetWeight(deployment.adapters["JTRSY"]!, 1_000n);
      for (const adapter of [stac, uscc]) {
        await vault
          .connect(curator)
          .submit(vault.interface.encodeFunctionData("setTargetWeight", [await adapter.getAddress(), 500n]));
      }
      await time.increase(Number(await vault.timelockSeconds()) + 1);
      for (const product of ["STAC", "USCC"] as const) {
        await driver.setNav(product, (await driver.navFeed(product)).answer); // struck today
        await vault.connect(curator).setTargetWeight(product === "STAC" ? stac : uscc, 500n);
      }
      await driver.fundUsdc(deployer.address, 10n * M);
      await SandboxUSDC__factory.connect(book.USDC, deployer).approve(vault, ethers.MaxUint256);
      await vault.deposit(10n * M, deployer);
      await vault.connect(keeper).rebalance();
      return system;
    }

    async function minted() {
      const system = await loadFixture(invested);
      const { driver, vault, keeper, stac, uscc } = system;
      const paid = { stac: await stac.pendingDeposit(), uscc: await uscc.pendingDeposit() };
      const nav = { stac: (await driver.navFeed("STAC")).answer, uscc: (await driver.navFeed("USCC")).answer };
      await driver.issueBuidl("STAC", await stac.getAddress(), tokensFor(paid.stac, nav.stac));
      await driver.mintUscc(await uscc.getAddress(), tokensFor(paid.uscc, nav.uscc));
      for (const adapter of [stac, uscc]) await vault.connect(keeper).settle(adapter);
      return { ...system, paid, nav };
    }

    it("deploys both from params alone: STAC on its registry and feed, USCC as a Superstate token; allowlisted; verifies clean", async function () {
      const { book, params, deployment, stac, uscc, deployer } = await loadFixture(withProducts);
      expect(await stac.TOKEN()).to.equal(book.STAC);
      expect(await stac.STANDARD()).to.equal(0n);
      expect(await stac.REGISTRY()).to.equal(book.STAC_REGISTRY);
      expect(await stac.NAV_FEED()).to.equal(book.STAC_NAV_FEED);
      expect(await stac.MAX_NAV_AGE()).to.equal(108_000n);
      expect(await stac.REDEMPTION_ADDRESS()).to.equal(book.STAC_REDEMPTION);
      expect(await uscc.TOKEN()).to.equal(book.USCC);
      expect(await uscc.STANDARD()).to.equal(1n);
      expect(await uscc.REGISTRY()).to.equal(ethers.ZeroAddress);
      expect(await uscc.REDEMPTION_ADDRESS(), "USCC takes its tokens back itself").to.equal(book.USCC);
      const registry = SandboxDSRegistry__factory.connect(book.STAC_REGISTRY, ethers.provider);
      expect(await registry.isWallet(stac), "on STAC's registry").to.equal(true);
      expect(await SandboxUSTB__factory.connect(book.USCC, ethers.provider).isAllowed(uscc), "on USCC's list").to.equal(
        true,
      );
      expect(await uscc.maxDeposit()).to.equal(ethers.MaxUint256);
      // On Ethereum USCC takes no on-chain subscription: the deposit address is the only way in.
      const usccToken = SandboxUSTB__factory.connect(book.USCC, deployer);
      await expect(usccToken["subscribe(uint256,address)"](1_000_000n, book.USDC)).to.be.revertedWithCustomError(
        usccToken,
        "OnchainSubscriptionsDisabled",
      );
      expect(await verify(params, deployment, ethers.provider, book, { handoverComplete: false })).to.deep.equal([]);
    });

    it("a full cycle: paid at the deposit addresses, minted at NAV, a NAV rise recognised, redeemed, paid back", async function () {
      const { book, vault, keeper, curator, driver, stac, uscc, paid, nav } = await loadFixture(minted);
      const usdc = SandboxUSDC__factory.connect(book.USDC, ethers.provider);
      // The rebalance paid each issuer its 5 % at its deposit address; the mint replaced cost by tokens at NAV.
      // 5 % of what the 2 % buffer leaves to place.
      expect(paid.stac).to.equal(490_000n * USDC);
      expect(paid.uscc).to.equal(490_000n * USDC);
      expect(await usdc.balanceOf(book.STAC_DEPOSIT)).to.equal(paid.stac);
      expect(await usdc.balanceOf(book.USCC_DEPOSIT)).to.equal(paid.uscc);
      for (const [adapter, name] of [
        [stac, "stac"],
        [uscc, "uscc"],
      ] as const) {
        expect(await adapter.pendingDeposit(), `${name} filled`).to.equal(0n);
        const tokens = tokensFor(paid[name], nav[name]);
        expect(await adapter.totalAssets(), `${name} at its NAV, rounded down`).to.equal(valueAt(tokens, nav[name]));
        expect(paid[name] - (await adapter.totalAssets()), "the mint's rounding, under one token unit").to.be.lt(
          nav[name] / 10n ** 8n + 1n,
        );
      }

      // A day on: STAC's NAV +0.5 %, USCC's +0.3 %; the report books the gains and locks them.
      await driver.advanceTime(DAY);
      await driver.setNav("STAC", (nav.stac * 1_005n) / 1_000n);
      await driver.setNav("USCC", (nav.uscc * 1_003n) / 1_000n);
      const before = { stac: await stac.totalAssets(), uscc: await uscc.totalAssets() };
      expect(before.stac).to.be.closeTo(492_450n * USDC, 2n * USDC);
      expect(before.uscc).to.be.closeTo(491_470n * USDC, 2n * USDC);
      await driver.setUstbNav(await driver.ustbPrice());
      await vault.connect(keeper).report();
      expect(await vault.lockedProfit(), "the gains, locked").to.be.gte(3_900n * USDC);

      // Both weights cut to 0: the rebalance hands every token back — STAC to its redemption wallet, USCC burnt.
      const stacTokens = await ethers.getContractAt("IERC20", book.STAC).then((t) => t.balanceOf(stac));
      const usccSupply = await SandboxUSTB__factory.connect(book.USCC, ethers.provider).totalSupply();
      await vault.connect(curator).setTargetWeight(stac, 0n);
      await vault.connect(curator).setTargetWeight(uscc, 0n);
      const legs = await executedLegs(vault, vault.connect(keeper).rebalance());
      const s = await stac.getAddress();
      const u = await uscc.getAddress();
      expect(legs.filter(([a]) => a === s || a === u).map(([a, kind]) => [a, kind])).to.deep.equal([
        [s, LegKind.RequestRedeem],
        [u, LegKind.RequestRedeem],
      ]);
      const stacToken = await ethers.getContractAt("IERC20", book.STAC);
      expect(await stacToken.balanceOf(book.STAC_REDEMPTION)).to.equal(stacTokens);
      expect(await SandboxUSTB__factory.connect(book.USCC, ethers.provider).totalSupply(), "USCC burnt").to.equal(
        usccSupply - tokensFor(paid.uscc, nav.uscc),
      );
      const owed = { stac: await stac.pendingRedeem(), uscc: await uscc.pendingRedeem() };
      expect(owed.stac, "valued at the NAV of the request").to.equal(before.stac);
      expect(owed.uscc).to.equal(before.uscc);
      expect(await stac.totalAssets(), "nothing lost in flight").to.equal(before.stac);

      // Paid: the issuers send USDC to the adapters; settling returns it to the vault and closes the requests.
      const idle = await vault.idle();
      await driver.payBuidlRedemption(s, owed.stac);
      await driver.payBuidlRedemption(u, owed.uscc);
      for (const adapter of [stac, uscc]) await vault.connect(keeper).settle(adapter);
      expect(await stac.pendingRedeem()).to.equal(0n);
      expect(await uscc.pendingRedeem()).to.equal(0n);
      expect(await stac.totalAssets()).to.equal(0n);
      expect(await uscc.totalAssets()).to.equal(0n);
      expect((await vault.idle()) - idle, "everything paid is idle again").to.equal(owed.stac + owed.uscc);
    });

    it("a partial issuance keeps the rest in flight; the rest, within the tolerance of the subscription, closes it", async function () {
      const { driver, vault, keeper, stac } = await loadFixture(invested);
      const pending = await stac.pendingDeposit();
      const { answer } = await driver.navFeed("STAC");
      await driver.issueBuidl("STAC", await stac.getAddress(), tokensFor(pending / 2n, answer));
      expect(await stac.pendingDeposit(), "half in flight, before the adapter looks").to.be.closeTo(
        pending / 2n,
        1_000n,
      );
      expect(await stac.maxDeposit(), "no second subscription while one is open").to.equal(0n);
      await vault.connect(keeper).settle(stac);
      expect(await stac.pendingDeposit()).to.be.closeTo(pending / 2n, 1_000n);
      // The issuer's rounding short by 0.2 % (inside the 50 bps tolerance): the subscription is done.
      await driver.issueBuidl("STAC", await stac.getAddress(), tokensFor(((pending / 2n) * 998n) / 1_000n, answer));
      expect(await stac.pendingDeposit()).to.equal(0n);
      await vault.connect(keeper).settle(stac);
      expect(await stac.pendingDeposit()).to.equal(0n);
      expect(await stac.maxDeposit()).to.equal(ethers.MaxUint256);
      expect(await stac.totalAssets(), "the shortfall is a loss the report sees").to.be.closeTo(
        (pending * 999n) / 1_000n,
        2_000n,
      );
    });

    for (const fault of ["stale", "zero", "reverting"] as const) {
      it(`a ${fault} NAV: the valuation reverts, the other views answer nothing, the report quarantines STAC alone`, async function () {
        const { driver, book, vault, keeper, stac, uscc } = await loadFixture(minted);
        if (fault === "stale") await driver.ageNav("STAC", 108_001n);
        if (fault === "zero") await driver.setNav("STAC", 0n);
        if (fault === "reverting") await ethers.provider.send("hardhat_setCode", [book.STAC_NAV_FEED, "0xfe"]);
        if (fault === "reverting") await expect(stac.totalAssets()).to.be.reverted;
        else await expect(stac.totalAssets()).to.be.revertedWithCustomError(stac, "BadNav");
        expect(await stac.maxDeposit()).to.equal(0n);
        expect(await stac.maxRequestRedeem()).to.equal(0n);
        expect(await stac.pendingDeposit()).to.equal(0n);
        if (fault === "reverting") expect(await stac.navUpdatedAt()).to.equal(0n);
        await driver.setUstbNav(await driver.ustbPrice());
        await expect(vault.connect(keeper).report())
          .to.emit(vault, "AdapterQuarantined")
          .withArgs(await stac.getAddress(), QUARANTINE_VALUATION_REVERTED, anyValue, anyValue);
        expect((await vault.adapterConfig(stac)).quarantined).to.equal(true);
        expect((await vault.adapterConfig(uscc)).quarantined, "USCC's feed is its own").to.equal(false);
        expect(await uscc.totalAssets()).to.be.gt(0n);
      });
    }

    it("tokens issued without a NAV wait unseen, and fill the subscription once the NAV is back", async function () {
      const { driver, vault, keeper, stac } = await loadFixture(invested);
      const pending = await stac.pendingDeposit();
      const { answer } = await driver.navFeed("STAC");
      await driver.ageNav("STAC", 108_001n);
      await driver.issueBuidl("STAC", await stac.getAddress(), tokensFor(pending, answer));
      expect(await stac.pendingDeposit(), "cannot be valued: still in flight").to.equal(pending);
      await expect(
        vault.connect(keeper).settle(stac),
        "the vault values before it settles",
      ).to.be.revertedWithCustomError(stac, "BadNav");
      expect(await stac.observedBalance(), "left unseen").to.equal(0n);
      await driver.setNav("STAC", answer);
      expect(await stac.pendingDeposit()).to.equal(0n);
      await vault.connect(keeper).settle(stac);
      expect(await stac.pendingDeposit()).to.equal(0n);
      expect(await stac.totalAssets()).to.be.closeTo(pending, 1_000n);
    });

    it("a NAV that fell more than the tolerance between the issuer's strike and the look leaves the difference in flight, aging like any request", async function () {
      const { driver, vault, keeper, stac } = await loadFixture(invested);
      const pending = await stac.pendingDeposit();
      const { answer } = await driver.navFeed("STAC");
      const subscribedAt = await stac.requestedAt();
      await driver.issueBuidl("STAC", await stac.getAddress(), tokensFor(pending, answer)); // struck at `answer`
      await driver.setNav("STAC", (answer * 99n) / 100n); // the feed 1 % lower when the adapter looks
      await vault.connect(keeper).settle(stac);
      const left = await stac.pendingDeposit();
      expect(left, "1 % of the subscription, beyond the 50 bps tolerance").to.be.closeTo(pending / 100n, 1_000n);
      expect(await stac.requestedAt(), "dated from the subscription: overdue in time, then written off").to.equal(
        subscribedAt,
      );
      expect(await stac.maxDeposit()).to.equal(0n);
    });

    it("an issuance short by less than one token unit's worth closes the subscription, whatever the tolerance", async function () {
      const { driver, vault, keeper, stac } = await loadFixture(invested);
      const pending = await stac.pendingDeposit();
      const { answer } = await driver.navFeed("STAC");
      const tokens = tokensFor(pending, answer) - 1n; // one unit short of the rounded-down mint
      await driver.issueBuidl("STAC", await stac.getAddress(), tokens);
      await expect(vault.connect(keeper).settle(stac))
        .to.emit(stac, "SubscriptionClosedShort")
        .withArgs(pending - valueAt(tokens, answer));
      expect(await stac.pendingDeposit()).to.equal(0n);
    });

    it("tokens delivered while the NAV is down cannot be written off as an unfilled subscription", async function () {
      const { driver, vault, guardian, stac } = await loadFixture(invested);
      const pending = await stac.pendingDeposit();
      const { answer } = await driver.navFeed("STAC");
      await driver.issueBuidl("STAC", await stac.getAddress(), tokensFor(pending, answer));
      await driver.advanceTime(15n * DAY); // the subscription overdue, the feed silent
      await vault.connect(guardian).quarantine(stac);
      await expect(vault.connect(guardian).writeOff(stac)).to.be.revertedWithCustomError(stac, "BadNav");
      await driver.setNav("STAC", answer);
      expect(await stac.pendingDeposit(), "with a NAV, the tokens fill it").to.equal(0n);
    });

    it("a feed answer past 128 bits is no price: the views that must answer still do", async function () {
      const { driver, stac } = await loadFixture(minted);
      await driver.setNav("STAC", 2n ** 200n);
      await expect(stac.totalAssets()).to.be.revertedWithCustomError(stac, "BadNav");
      expect(await stac.maxRequestRedeem()).to.equal(0n);
      expect(await stac.maxDeposit()).to.equal(0n);
      expect(await stac.pendingDeposit()).to.equal(0n);
      expect(await stac.navUpdatedAt()).to.be.gt(0n);
    });

    it("USCC's accounting paused: its redemption leg fails alone, STAC's goes on; resumed, the next rebalance files it", async function () {
      const { driver, vault, keeper, curator, stac, uscc } = await loadFixture(minted);
      // STAC's issuance is under the token's one-day lock-up: nothing of it may leave yet, USCC has none.
      expect(await stac.maxRequestRedeem(), "STAC locked up").to.equal(0n);
      expect(await uscc.maxRequestRedeem(), "USCC free").to.be.gt(0n);
      await driver.advanceTime(DAY);
      for (const product of ["STAC", "USCC"] as const)
        await driver.setNav(product, (await driver.navFeed(product)).answer);
      expect(await stac.maxRequestRedeem(), "past the lock-up").to.equal(await stac.totalAssets());
      await driver.pauseUscc(true, "accounting");
      await vault.connect(curator).setTargetWeight(stac, 0n);
      await vault.connect(curator).setTargetWeight(uscc, 0n);
      await expect(vault.connect(keeper).rebalance()).to.emit(vault, "LegFailed");
      expect(await stac.pendingRedeem(), "STAC's request filed").to.be.gt(0n);
      expect(await uscc.pendingRedeem(), "USCC's refused by its token").to.equal(0n);
      expect(await uscc.totalAssets()).to.be.gt(0n);
      await driver.pauseUscc(false, "accounting");
      await vault.connect(keeper).rebalance();
      expect(await uscc.pendingRedeem()).to.be.gt(0n);
    });

    it("paid short: within the tolerance the request closes, half a payment leaves the rest owed", async function () {
      const { driver, vault, keeper, curator, stac, uscc } = await loadFixture(minted);
      await driver.advanceTime(DAY); // past STAC's lock-up
      for (const product of ["STAC", "USCC"] as const)
        await driver.setNav(product, (await driver.navFeed(product)).answer);
      await vault.connect(curator).setTargetWeight(stac, 0n);
      await vault.connect(curator).setTargetWeight(uscc, 0n);
      await vault.connect(keeper).rebalance();
      const owed = { stac: await stac.pendingRedeem(), uscc: await uscc.pendingRedeem() };
      expect(owed.stac).to.be.gt(400_000n * USDC);
      expect(owed.uscc).to.be.gt(400_000n * USDC);
      await driver.payBuidlRedemption(await stac.getAddress(), (owed.stac * 997n) / 1_000n);
      await driver.payBuidlRedemption(await uscc.getAddress(), owed.uscc / 2n);
      for (const adapter of [stac, uscc]) await vault.connect(keeper).settle(adapter);
      expect(await stac.pendingRedeem(), "0.3 % short, inside 50 bps: closed").to.equal(0n);
      expect(await uscc.pendingRedeem(), "half paid: the rest still owed").to.equal(owed.uscc - owed.uscc / 2n);
      expect(await uscc.totalAssets()).to.equal(owed.uscc - owed.uscc / 2n);
    });

    it("a stranger's tokens and USDC landing on an adapter with nothing in flight are the vault's gain, never a fill", async function () {
      const { driver, book, vault, keeper, stac } = await loadFixture(minted);
      const before = await stac.totalAssets();
      const { answer } = await driver.navFeed("STAC");
      await driver.issueBuidl("STAC", await stac.getAddress(), 10_000_000n); // 10 STAC
      await driver.fundUsdc(await stac.getAddress(), 1_000n * USDC);
      expect(await stac.pendingDeposit()).to.equal(0n);
      expect(await stac.totalAssets()).to.equal(before + valueAt(10_000_000n, answer) + 1_000n * USDC);
      expect(await stac.maxDeposit(), "nothing in flight: entries stay open").to.equal(ethers.MaxUint256);
      await vault.connect(keeper).settle(stac);
      expect(await SandboxUSDC__factory.connect(book.USDC, ethers.provider).balanceOf(stac)).to.equal(0n);
    });

    it("refuses terms that cannot work, naming the field or the error", async function () {
      const { book, vault, deployer } = await loadFixture(withProducts);
      const raw = JSON.parse(readFileSync(PARAMS, "utf8")) as { adapters: unknown[] };
      const withEntry = (entry: object) => () => parseParams({ ...raw, adapters: [...raw.adapters, entry] }, book);
      expect(withEntry({ ...USCC_ENTRY, registry: "STAC_REGISTRY" })).to.throw(ParamsError, "adapters[3].registry");
      expect(withEntry({ ...STAC_ENTRY, registry: undefined })).to.throw(ParamsError, "adapters[3].registry");
      expect(withEntry({ ...STAC_ENTRY, offRamp: "0x00000000000000000000000000000000000000a1" })).to.throw(
        ParamsError,
        "adapters[3].offRamp",
      );
      expect(withEntry({ ...STAC_ENTRY, navFeed: { feed: "STAC_NAV_FEED", maxAgeSeconds: 0 } })).to.throw(
        ParamsError,
        "maxAgeSeconds",
      );
      const factory = new BuidlAdapter__factory(deployer);
      const noRoute = [0n, ethers.ZeroAddress, ethers.ZeroAddress, 1n] as const;
      /** A deployment of `token` with `registry` and `redemption`, no route, `tolerance` and `terms`. */
      const deploying = (
        token: string,
        registry: string,
        deposit: string,
        redemption: string,
        terms: { standard?: bigint; navFeed?: string; maxNavAge?: bigint },
        tolerance = 50n,
      ) =>
        factory.deploy(vault, book.USDC, token, registry, deposit, redemption, ...noRoute, tolerance, {
          ...DOLLAR_DS_TERMS,
          ...terms,
        });
      const stac = (terms: Parameters<typeof deploying>[4], redemption = book.STAC_REDEMPTION, tolerance = 50n) =>
        deploying(book.STAC, book.STAC_REGISTRY, book.STAC_DEPOSIT, redemption, terms, tolerance);
      const priced = { navFeed: book.STAC_NAV_FEED, maxNavAge: 3_600n };
      await expect(stac({ navFeed: book.STAC_NAV_FEED }))
        .to.be.revertedWithCustomError(factory, "NavAgeMismatch")
        .withArgs(book.STAC_NAV_FEED, 0n);
      const base = [vault, book.USDC, book.STAC, book.STAC_REGISTRY, book.STAC_DEPOSIT, book.STAC_REDEMPTION] as const;
      await expect(
        factory.deploy(...base, 1n, book.BUIDL_REDEMPTION, ethers.ZeroAddress, 1n, 50n, {
          ...DOLLAR_DS_TERMS,
          ...priced,
        }),
      ).to.be.revertedWithCustomError(factory, "RoutesNeedDollarToken");
      await expect(stac({ standard: 1n }))
        .to.be.revertedWithCustomError(factory, "StandardMismatch")
        .withArgs(1n);
      await expect(stac(priced, ethers.ZeroAddress)).to.be.revertedWithCustomError(factory, "NoWayOut");
      await expect(stac(priced, book.STAC_REDEMPTION, 0n)).to.be.revertedWithCustomError(factory, "NavNeedsTolerance");
      // A Superstate token without its feed would count at $1.
      await expect(deploying(book.USCC, ethers.ZeroAddress, book.USCC_DEPOSIT, ethers.ZeroAddress, { standard: 1n }))
        .to.be.revertedWithCustomError(factory, "StandardMismatch")
        .withArgs(1n);
      expect(withEntry({ ...USCC_ENTRY, navFeed: undefined })).to.throw(ParamsError, "adapters[3].navFeed");
      expect(withEntry({ ...STAC_ENTRY, redemptionAddress: undefined })).to.throw(
        ParamsError,
        "adapters[3].redemptionAddress",
      );
      expect(withEntry({ ...STAC_ENTRY, settleToleranceBps: 0 })).to.throw(
        ParamsError,
        "adapters[3].settleToleranceBps",
      );
    });
  },
);

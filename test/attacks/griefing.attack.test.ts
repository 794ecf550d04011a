import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SandboxDSToken__factory } from "../../typechain-types";
import { LegKind, executedLegs, planOf } from "../helpers/fixtures";
import { MODE } from "../helpers/mainnet";
import { DAY, USDC, reserveSystem } from "../helpers/reserve";
import { GAS, inOneBlock } from "./block";

const M = 1_000_000n * USDC;

describe(`attack › griefing (${MODE})`, function () {
  async function placed() {
    const system = await reserveSystem();
    const { vault, curator, keeper, alice, attacker, driver, usdc, ustb, buidlI } = system;
    await vault.connect(curator).setTargetWeight(ustb, 4_000n);
    await vault.connect(curator).setTargetWeight(buidlI, 5_000n);
    await vault.connect(alice).deposit(10n * M, alice);
    await vault.connect(keeper).rebalance();
    await driver.fundUsdc(attacker.address, 1n * M);
    await usdc.connect(attacker).approve(vault, ethers.MaxUint256);
    return system;
  }

  it("dust deposits cannot make the keeper move, nor make its rebalance revert", async function () {
    const { vault, keeper, attacker } = await loadFixture(placed);
    for (let i = 0; i < 25; i++) await vault.connect(attacker).deposit(1n + BigInt(i), attacker);
    expect(await planOf(vault), "dust stays inside the drift band: nothing to do").to.deep.equal([]);
    expect(await vault.connect(keeper).rebalance.staticCall(), "a keeper that simulates sends nothing").to.equal(0n);
    // Dust deposited in the same block, just ahead of the keeper, cannot break its transaction either.
    const statuses = await inOneBlock([
      () => vault.connect(attacker).deposit(7n, attacker, GAS),
      () => vault.connect(keeper).rebalance(GAS),
    ]);
    expect(statuses).to.deep.equal([1, 1]);
  });

  it("a deposit front-running the keeper only changes amounts computed on-chain, never the plan's validity", async function () {
    const { vault, keeper, attacker, ustb } = await loadFixture(placed);
    const legsBefore = await planOf(vault);
    expect(legsBefore).to.deep.equal([]);
    // The attacker pushes a large deposit in right before the keeper: the keeper's call places it too.
    const statuses = await inOneBlock([
      () => vault.connect(attacker).deposit(1n * M, attacker, GAS),
      () => vault.connect(keeper).rebalance(GAS),
    ]);
    expect(statuses).to.deep.equal([1, 1]);
    expect((await vault.adapterConfig(ustb)).value).to.be.closeTo((11n * M * 4_000n) / 10_000n, 1_000n * USDC);
    expect(await planOf(vault), "and nothing is left to do").to.deep.equal([]);
  });

  describe("BUIDL issuance-count DoS", function () {
    it("drip deposits with a rebalance after each never subscribe below the ticket, so issuances stay few", async function () {
      const { vault, keeper, attacker, driver, buidlI, book } = await loadFixture(placed);
      const token = SandboxDSToken__factory.connect(book.BUIDL_I, keeper);
      const adapter = await buidlI.getAddress();
      await driver.issueBuidl("BUIDL_I", adapter, await buidlI.pendingDeposit());
      await vault.connect(keeper).settle(buidlI);
      // Each issuance is a record Securitize's compliance service keeps per wallet; its Issue event counts them.
      const from = await ethers.provider.getBlockNumber();

      let subscriptions = 0;
      const drip = 20_000n * USDC; // each drip moves BUIDL-I's target by $10k, far under the $250k ticket
      for (let i = 0; i < 30; i++) {
        await vault.connect(attacker).deposit(drip, attacker);
        for (const [to, kind, amount] of await executedLegs(vault, vault.connect(keeper).rebalance())) {
          if (to !== adapter || kind !== LegKind.Deposit) continue;
          expect(amount, "every BUIDL-I subscription is at least the ticket").to.be.gte(250_000n * USDC);
          subscriptions++;
          await driver.issueBuidl("BUIDL_I", adapter, amount); // the issuer fills each one
          await vault.connect(keeper).settle(buidlI);
        }
      }
      // $600k dripped in 30 pieces: at most 600k × 50 % / 250k subscriptions, not 30.
      expect(subscriptions, "subscriptions").to.be.lte(1);
      const issuances = await token.queryFilter(token.filters.Issue(adapter), from + 1);
      expect(issuances.length, "issuance records added to the adapter's wallet").to.equal(subscriptions);
      // Exits still work after the lock-up: the records the transfer check walks stayed few.
      await driver.advanceTime(DAY);
      await driver.fundBuidlRedemption(1n * M);
      expect(await buidlI.maxRequestRedeem()).to.be.gt(0n);
    });

    it("nobody but the issuer can add issuance records to the adapter's wallet", async function () {
      const { attacker, buidlI, book } = await loadFixture(placed);
      const token = SandboxDSToken__factory.connect(book.BUIDL_I, attacker);
      await expect(token.issueTokens(await buidlI.getAddress(), 1n, GAS)).to.be.reverted;
    });
  });
});

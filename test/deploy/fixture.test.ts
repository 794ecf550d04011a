import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployReserveSystem } from "../../src/testing/deployReserveSystem";

describe("deployReserveSystem (the fixture for integrators)", function () {
  const twoProducts = () =>
    deployReserveSystem({
      products: ["USTB", "JTRSY"],
      weightsBps: { USTB: 7_000, JTRSY: 2_000 },
      seedDeposit: 5_000_000n * 10n ** 6n,
    });

  it("deploys the chosen products with the chosen weights and seed deposit, ready for the keeper", async function () {
    const { vault, adapters, roles, params } = await loadFixture(twoProducts);
    expect(Object.keys(adapters)).to.deep.equal(["USTB", "JTRSY"]);
    expect((await vault.adapterConfig(adapters["USTB"]!)).targetWeightBps).to.equal(7_000n);
    expect(await vault.totalAssets()).to.equal(5_000_000n * 10n ** 6n);
    expect(await vault.timelockSeconds(), "no timelock in tests by default").to.equal(0n);
    await time.increase(3 * 3_600); // the rate limits refill from zero
    await vault.connect(roles.keeper).rebalance();
    expect(await vault.idle()).to.equal(
      (5_000_000n * 10n ** 6n * BigInt(params.vault.bufferBps)) / 10_000n + 490_000n * 10n ** 6n,
    );
  });

  it("refuses unknown products and weights above 100 %", async function () {
    await expect(deployReserveSystem({ products: ["USTB", "NOPE" as never] })).to.be.rejectedWith(
      "unknown products NOPE",
    );
    await expect(deployReserveSystem({ weightsBps: { USTB: 9_000 } })).to.be.rejectedWith("weightsBps sum to 16000");
  });
});

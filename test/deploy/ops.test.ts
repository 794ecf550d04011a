import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { id, ZeroAddress } from "ethers";
import { deployReserveSystem } from "../../src/testing/deployReserveSystem";
import { encodeChange, pendingChanges, VAULT, type Call, type Target } from "../../src/ops/actions";
import { safeBatch, safeBatchSchema, timelockPayload } from "../../src/ops/payloads";

/** Role actions written for governance: run through a real TimelockController, and a Safe batch's format. */
describe("role actions as governance payloads", function () {
  const DAY = 86_400;

  async function governedByTimelock() {
    const system = await deployReserveSystem({ products: ["USTB", "JTRSY"], timelockSeconds: DAY });
    const [, , , , , , proposer] = await ethers.getSigners();
    const timelock = await (
      await ethers.getContractFactory("TimelockController")
    )
      .connect(system.roles.deployer)
      .deploy(3_600, [proposer!.address], [proposer!.address], ZeroAddress);
    // The TimelockController is the vault's curator, as a treasury's governance would be.
    await system.vault.connect(system.roles.deployer).grantRole(id("CURATOR_ROLE"), await timelock.getAddress());
    const target: Target = {
      deployment: system.deployment,
      asset: { address: system.book.USDC, decimals: 6, symbol: "USDC" },
    };
    return { ...system, timelock, proposer: proposer!, target };
  }

  it("a weight change goes through a real TimelockController from the generated payload: submit, then execute", async function () {
    const { vault, timelock, proposer, target, adapters } = await loadFixture(governedByTimelock);
    const change = encodeChange(target, "weight", { adapter: "USTB", bps: 2_500n });
    expect(change.description).to.equal("target weight of USTB to 25.00 %");
    const vaultAddress = await vault.getAddress();
    const submit: Call = {
      to: vaultAddress,
      data: VAULT.encodeFunctionData("submit", [change.data]),
      value: 0n,
      description: change.description,
    };
    const salt = id("weight USTB 25%");
    const first = timelockPayload([submit], { timelock: await timelock.getAddress(), delay: 3_600n, salt });
    expect(first.operationId).to.equal(
      await timelock.hashOperation(vaultAddress, 0, submit.data, first.predecessor, salt),
    );

    await proposer.sendTransaction({ to: first.schedule.to, data: first.schedule.data });
    expect(await timelock.isOperationPending(first.operationId)).to.equal(true);
    await expect(
      proposer.sendTransaction({ to: first.execute.to, data: first.execute.data }),
    ).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
    await time.increase(3_600);
    await proposer.sendTransaction({ to: first.execute.to, data: first.execute.data });
    expect(await timelock.isOperationDone(first.operationId)).to.equal(true);
    const eta = await vault.executableAt(change.data);
    expect(eta, "the vault's own timelock now runs").to.be.greaterThan(0n);

    // Second operation, after the vault's day: the setter itself, in a batch with nothing else.
    const execute: Call = { to: vaultAddress, data: change.data, value: 0n, description: change.description };
    const second = timelockPayload([execute], {
      timelock: await timelock.getAddress(),
      delay: 3_600n,
      salt,
      predecessor: first.operationId,
    });
    await proposer.sendTransaction({ to: second.schedule.to, data: second.schedule.data });
    await time.increaseTo(eta);
    await proposer.sendTransaction({ to: second.execute.to, data: second.execute.data });
    expect((await vault.adapterConfig(adapters["USTB"]!)).targetWeightBps).to.equal(2_500n);
  });

  it("several calls become one scheduleBatch / executeBatch operation with the id the timelock computes", async function () {
    const { vault, timelock, proposer, target } = await loadFixture(governedByTimelock);
    const vaultAddress = await vault.getAddress();
    const calls: Call[] = (["weight", "buffer"] as const).map((kind) => {
      const c = encodeChange(target, kind, { adapter: "JTRSY", bps: 300n });
      return {
        to: vaultAddress,
        data: VAULT.encodeFunctionData("submit", [c.data]),
        value: 0n,
        description: c.description,
      };
    });
    const payload = timelockPayload(calls, { timelock: await timelock.getAddress(), delay: 3_600n });
    expect(payload.operationId).to.equal(
      await timelock.hashOperationBatch(
        calls.map((c) => c.to),
        [0, 0],
        calls.map((c) => c.data),
        payload.predecessor,
        payload.salt,
      ),
    );
    await proposer.sendTransaction({ to: payload.schedule.to, data: payload.schedule.data });
    await time.increase(3_600);
    await proposer.sendTransaction({ to: payload.execute.to, data: payload.execute.data });
    for (const kind of ["weight", "buffer"] as const) {
      expect(
        await vault.executableAt(encodeChange(target, kind, { adapter: "JTRSY", bps: 300n }).data),
      ).to.be.greaterThan(0n);
    }
  });

  it("pending changes say which wait for the timelock, which the vault lets through at once, and which expired", async function () {
    const { vault, target, roles } = await loadFixture(governedByTimelock);
    const curator = vault.connect(roles.curator);
    const raise = encodeChange(target, "cap", { adapter: "USTB", amount: 400_000_000n * 10n ** 6n }); // more risk
    const lower = encodeChange(target, "buffer", { bps: 500n }); // a larger buffer: less at the issuers
    for (const change of [raise, lower]) await (await curator.submit(change.data)).wait();
    const states = async () =>
      Object.fromEntries((await pendingChanges(target, ethers.provider)).map((p) => [p.description, p.state]));
    let now = await states();
    expect(now[raise.description]).to.match(/^in (23 h 59 min|1 d)$/);
    expect(now[lower.description]).to.equal(
      "applies now: it lowers risk, so the vault does not wait for it (the submission stays until revoked)",
    );
    await time.increase(DAY);
    expect((await states())[raise.description]).to.equal("ready");
    await time.increase(15 * DAY);
    now = await states();
    expect(now[raise.description]).to.match(/^expired 1 d( \d+ s)? ago: revoke it before submitting it again$/);
  });

  it("a Safe batch follows the Transaction Builder's format and carries the calls unchanged", async function () {
    const { vault, target } = await loadFixture(governedByTimelock);
    const vaultAddress = await vault.getAddress();
    const c = encodeChange(target, "cap", { adapter: "USTB", amount: 250_000_000n * 10n ** 6n });
    expect(c.description).to.equal("cap of USTB to 250,000,000 USDC");
    const safe = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const batch = safeBatch(
      [
        {
          to: vaultAddress,
          data: VAULT.encodeFunctionData("submit", [c.data]),
          value: 0n,
          description: `submit: ${c.description}`,
        },
        { to: vaultAddress, data: VAULT.encodeFunctionData("pause"), value: 0n, description: "pause" },
      ],
      { chainId: 1n, safe, name: "Reserve Router: test" },
    );
    const file = JSON.parse(JSON.stringify(batch));
    expect(safeBatchSchema.safeParse(file).success).to.equal(true);
    expect(file.chainId).to.equal("1");
    expect(file.meta.createdFromSafeAddress).to.equal(safe);
    const decoded = file.transactions.map((t: { data: string }) => VAULT.parseTransaction({ data: t.data })!.name);
    expect(decoded).to.deep.equal(["submit", "pause"]);
    expect(VAULT.parseTransaction({ data: file.transactions[0].data })!.args[0]).to.equal(c.data);

    // The schema is not vacuous: each departure from the format is refused.
    for (const broken of [
      { ...file, version: "2.0" },
      { ...file, chainId: 1 },
      { ...file, transactions: [] },
      { ...file, transactions: [{ ...file.transactions[0], to: file.transactions[0].to.toLowerCase() }] },
      { ...file, transactions: [{ ...file.transactions[0], value: 0 }] },
      { ...file, meta: { ...file.meta, createdFromSafeAddress: undefined } },
    ]) {
      expect(safeBatchSchema.safeParse(broken).success, JSON.stringify(broken).slice(0, 80)).to.equal(false);
    }
  });
});

import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ParamsError, parseParams, readParams, type DeployParams } from "../../src/deploy/params";
import { configure, deploy, handover, verify } from "../../src/deploy/system";
import { checkChainState, type PreflightProblems } from "../../src/deploy/preflight";
import { Journal } from "../../src/deploy/journal";
import { libraryFactory, VAULT_LIBRARIES } from "../../src/deploy/vault";
import { ReserveVault__factory, TimelockController__factory } from "../../typechain-types";
import { describeSandboxOnly, mainnet, MODE } from "../helpers/mainnet";
import { emulatedMainnetBook, mainnetBook } from "../../src/issuers/book";

const PARAMS = path.join(__dirname, "..", "..", "deploy", "params", "hardhat.json");

describe(`deploy → configure → verify → handover (${MODE})`, function () {
  async function deployed(governanceIsTimelock = false) {
    const { driver, book } = await loadFixture(mainnet);
    const [deployer, governanceSigner] = await ethers.getSigners();
    let params: DeployParams = readParams(PARAMS, book);
    let timelock;
    if (governanceIsTimelock) {
      timelock = await new TimelockController__factory(deployer!).deploy(
        60,
        [governanceSigner!.address],
        [governanceSigner!.address],
        ethers.ZeroAddress,
      );
      params = { ...params, governance: await timelock.getAddress() };
    }
    const ctx = { signer: deployer!, book, network: "hardhat" };
    const deployment = await deploy(params, ctx);
    await configure(params, deployment, { ...ctx, driver });
    await handover(params, deployment, ctx);
    return { params, deployment, book, deployer: deployer!, governanceSigner: governanceSigner!, timelock, driver };
  }
  const withEoaGovernance = () => deployed(false);
  const withTimelockGovernance = () => deployed(true);

  it("deploys Spark's split and verifies clean while the handover is pending", async function () {
    const { params, deployment, book } = await loadFixture(withEoaGovernance);
    expect(await verify(params, deployment, ethers.provider, book, { handoverComplete: false })).to.deep.equal([]);
    const problems = await verify(params, deployment, ethers.provider, book, { handoverComplete: true });
    expect(problems.join("\n")).to.contain("not governance");
    expect(problems, "roles by name, not by hash").to.include("the deployer still holds DEFAULT_ADMIN_ROLE");
  });

  it("after governance accepts, the deployer holds no role and verify passes", async function () {
    const { params, deployment, book, deployer, governanceSigner } = await loadFixture(withEoaGovernance);
    const vault = ReserveVault__factory.connect(deployment.vault, governanceSigner);
    await time.increase(params.adminTransferDelaySeconds + 1);
    await vault.acceptDefaultAdminTransfer();
    for (const role of [
      await vault.DEFAULT_ADMIN_ROLE(),
      await vault.CURATOR_ROLE(),
      await vault.KEEPER_ROLE(),
      await vault.GUARDIAN_ROLE(),
    ]) {
      expect(await vault.hasRole(role, deployer), role).to.equal(false);
    }
    expect(await verify(params, deployment, ethers.provider, book, { handoverComplete: true })).to.deep.equal([]);
  });

  it("hands over to a TimelockController: it accepts through schedule and execute, the deployer holds nothing", async function () {
    const { params, deployment, book, deployer, governanceSigner, timelock } =
      await loadFixture(withTimelockGovernance);
    const vault = ReserveVault__factory.connect(deployment.vault, deployer);
    const data = vault.interface.encodeFunctionData("acceptDefaultAdminTransfer");
    const salt = ethers.ZeroHash;
    await timelock!.connect(governanceSigner).schedule(vault, 0, data, ethers.ZeroHash, salt, 86_400 + 60);
    await time.increase(86_400 + 61);
    await timelock!.connect(governanceSigner).execute(vault, 0, data, ethers.ZeroHash, salt);
    expect(await vault.defaultAdmin()).to.equal(await timelock!.getAddress());
    for (const role of [
      await vault.DEFAULT_ADMIN_ROLE(),
      await vault.CURATOR_ROLE(),
      await vault.KEEPER_ROLE(),
      await vault.GUARDIAN_ROLE(),
    ]) {
      expect(await vault.hasRole(role, deployer)).to.equal(false);
    }
    expect(await verify(params, deployment, ethers.provider, book, { handoverComplete: true })).to.deep.equal([]);
  });

  it("preflight on a public network: a zero timelock is refused; on mainnet an account with no code cannot govern", async function () {
    const { book } = await loadFixture(mainnet);
    const [deployer] = await ethers.getSigners();
    const params = readParams(PARAMS, book);
    const zeroTimelock = { ...params, vault: { ...params.vault, timelockSeconds: 0 } };
    const context = (network: string, chainId: bigint) => ({ network, chainId, deployer: deployer!.address });
    await checkChainState(zeroTimelock, book, ethers.provider, context("localhost", 31_337n)); // a local node may
    const sepolia = await checkChainState(zeroTimelock, book, ethers.provider, context("sepolia", 11_155_111n)).then(
      () => undefined,
      (error: PreflightProblems) => error,
    );
    expect(sepolia?.problems.map((p) => p.field)).to.deep.equal(["vault.timelockSeconds"]);
    expect(sepolia?.message).to.contain("is 0 on sepolia, which lets a curator change weights and limits at once");
    // params.governance is one of the node's accounts: no code.
    const onMainnet = await checkChainState(params, book, ethers.provider, context("mainnet", 1n)).then(
      () => undefined,
      (error: PreflightProblems) => error,
    );
    expect(onMainnet?.problems.map((p) => p.field)).to.deep.equal(["governance"]);
    expect(onMainnet?.message).to.contain(
      "is not a contract; on mainnet governance must be a TimelockController or a Safe",
    );
    const selfGoverned = { ...params, governance: deployer!.address };
    const self = await checkChainState(selfGoverned, book, ethers.provider, context("localhost", 31_337n)).then(
      () => undefined,
      (error: PreflightProblems) => error,
    );
    expect(self?.message).to.equal(
      "governance: is the deployer; give the TimelockController or Safe that will govern the vault",
    );
  });

  it("journal: a plan leaves the record as it was; a step whose send never left is sent again with its own nonce; other code is not reused", async function () {
    const [deployer] = await ethers.getSigners();
    const journal = Journal.inMemory<{ vault: string }>(
      { network: "hardhat", chainId: "31337", deployer: deployer!.address },
      deployer!,
    );
    const library = () => libraryFactory(VAULT_LIBRARIES[0]!.artifact, deployer!).getDeployTransaction();
    const planned = await journal.plan(async () => {
      const step = await journal.run("deploy PlanLib", "library PlanLib", { request: library }, { deploys: true });
      journal.set({ vault: step.address! });
    });
    expect(planned.map((p) => p.state)).to.deep.equal(["to send"]);
    expect(journal.record, "no predicted address stays behind").to.not.have.property("vault");
    expect(journal.record.steps).to.deep.equal([]);

    // An interrupted run marked the step "sending" with the next nonce, and died before it went out.
    const nonce = await ethers.provider.getTransactionCount(deployer!.address, "pending");
    journal.record.steps.push({ id: "deploy PlanLib", status: "sending", nonce });
    const step = await journal.run("deploy PlanLib", "library PlanLib", { request: library }, { deploys: true });
    expect(step.nonce, "the same nonce: at most one of the two attempts can ever be mined").to.equal(nonce);
    expect(step.address).to.equal(ethers.getCreateAddress({ from: deployer!.address, nonce }));
    // Rerun once more: the step is done, nothing is sent.
    const again = await journal.run("deploy PlanLib", "library PlanLib", { request: library }, { deploys: true });
    expect(again).to.deep.equal(step);
    expect(await ethers.provider.getTransactionCount(deployer!.address, "pending")).to.equal(nonce + 1);

    // Other code under the same step (a rebuilt library, changed arguments): the recorded contract is not reused.
    expect(step.codeHash).to.equal(ethers.keccak256((await library()).data));
    const other = () => libraryFactory(VAULT_LIBRARIES[1]!.artifact, deployer!).getDeployTransaction();
    const refused = await journal.run("deploy PlanLib", "library PlanLib", { request: other }, { deploys: true }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refused?.message).to.equal(
      `deploy PlanLib: the contract recorded at ${step.address} was deployed from other code or constructor ` +
        "arguments than this build gives: the contracts or the parameters changed since this deployment began. " +
        "Finish it with the build and parameters that began it, or move the record aside and deploy afresh",
    );
    const plannedAgain = await journal
      .plan(() => journal.run("deploy PlanLib", "library PlanLib", { request: other }, { deploys: true }))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(plannedAgain?.message, "a dry run says the same").to.equal(refused?.message);
    expect(await ethers.provider.getTransactionCount(deployer!.address, "pending")).to.equal(nonce + 1);
  });

  it("verify fails loudly on planted misconfigurations", async function () {
    const { params, deployment, book, deployer, governanceSigner } = await loadFixture(withEoaGovernance);
    const vault = ReserveVault__factory.connect(deployment.vault, deployer);
    const stranger = (await ethers.getSigners())[9]!;
    await vault.grantRole(await vault.KEEPER_ROLE(), stranger); // the deployer is still admin until acceptance
    const curator = await ethers.getImpersonatedSigner(params.roles.curators[0]!);
    await vault.connect(curator).setTargetWeight(deployment.adapters["JTRSY"]!, 1_500n);
    const problems = await verify(params, deployment, ethers.provider, book, { handoverComplete: false });
    expect(problems).to.include(`${stranger.address} holds the keeper role but is not in the parameters`);
    expect(problems).to.include("adapter JTRSY weight is 15.00 % on chain, 20.00 % in the parameters");
    // A request age changes only through the timelock, both ways: submitted, matured, executed.
    const ustb = deployment.adapters["USTB"]!;
    await vault.connect(curator).submit(vault.interface.encodeFunctionData("setMaxRequestAge", [ustb, 3_600n]));
    await ethers.provider.send("evm_increaseTime", [Number(await vault.timelockSeconds())]);
    await vault.connect(curator).setMaxRequestAge(ustb, 3_600n);
    const more = await verify(params, deployment, ethers.provider, book, { handoverComplete: false });
    expect(more).to.include("adapter USTB maximum request age is 1 h on chain, 14 days in the parameters");
    expect(more).to.have.length(3);
    expect(problems).to.have.length(2);
    void governanceSigner;
  });

  it("records every contract with its constructor arguments, for source verification", async function () {
    const { deployment, book, deployer } = await loadFixture(withEoaGovernance);
    expect(deployment.sources.map((s) => s.label)).to.deep.equal([
      "PlanLib",
      "AdapterOpsLib",
      "IsolationLib",
      "ConfigLib",
      "ReserveVault",
      "RedeemQueue",
      "BUIDL-I",
      "USTB",
      "JTRSY",
    ]);
    const vault = deployment.sources.find((s) => s.label === "ReserveVault")!;
    expect(vault.args).to.deep.equal([book.USDC, "Reserve Router USDC", "rrUSDC", deployer.address, "86400"]);
    const ustb = deployment.sources.find((s) => s.label === "USTB")!;
    expect(ustb.contract).to.equal("contracts/adapters/UstbAdapter.sol:UstbAdapter");
    expect(ustb.args).to.deep.equal([deployment.vault, book.USDC, book.USTB, book.USTB_REDEMPTION_IDLE, "50"]);
    // The recorded arguments rebuild exactly the code the chain holds.
    const factory = await ethers.getContractFactory("UstbAdapter");
    const rebuilt = await factory.getDeployTransaction(...(ustb.args as [string, string, string, string, string]));
    const probe = await (await ethers.getSigners())[0]!.sendTransaction(rebuilt);
    const probeAddress = (await probe.wait())!.contractAddress!;
    expect(await ethers.provider.getCode(probeAddress)).to.equal(await ethers.provider.getCode(ustb.address));
  });

  it("verify warns when an exit bound cannot absorb the issuer's maximum fee, and is quiet when it can", async function () {
    const { params, deployment, book } = await loadFixture(withEoaGovernance);
    const quiet: string[] = [];
    await verify(params, deployment, ethers.provider, book, { handoverComplete: false, warn: (m) => quiet.push(m) });
    expect(quiet, "the deployed USTB bound (15 bps) sits above its 10 bps fee cap plus rounding").to.deep.equal([]);

    const curator = await ethers.getImpersonatedSigner(params.roles.curators[0]!);
    const vault = ReserveVault__factory.connect(deployment.vault, curator);
    await vault.setMaxSlippage(deployment.adapters["USTB"]!, 10n); // a decrease: immediate
    const warnings: string[] = [];
    const problems = await verify(params, deployment, ethers.provider, book, {
      handoverComplete: false,
      warn: (m) => warnings.push(m),
    });
    expect(problems).to.include("adapter USTB slippage bound is 0.10 % on chain, 0.15 % in the parameters");
    expect(warnings).to.deep.equal([
      "adapter USTB: maxSlippageBps 10 is below its issuer's maximum fee plus rounding (11 bps); withdrawals will " +
        "pass it over and its legs will fail when the issuer charges its cap — set maxSlippageBps to at least 11",
    ]);
  });

  it("verify names an adapter wired to the wrong issuer address", async function () {
    const { params, deployment, book } = await loadFixture(withEoaGovernance);
    const wrong = {
      ...params,
      adapters: params.adapters.map((a) => (a.kind === "ustb" ? { ...a, redemption: "USTB" } : a)),
    } as DeployParams;
    const problems = await verify(wrong, deployment, ethers.provider, book, { handoverComplete: false });
    expect(problems.join("\n")).to.match(
      /adapter USTB: RedemptionIdle is 0x[0-9a-fA-F]{40}, expected 0x43415eB6ff9DB7E26A15b704e7A3eDCe97d31C4e/,
    );
  });

  it("the deployed system rebalances under its keeper", async function () {
    const { params, deployment, driver, book } = await loadFixture(withEoaGovernance);
    const [, , , , , alice] = await ethers.getSigners();
    const keeper = await ethers.getImpersonatedSigner(params.roles.keepers[0]!);
    const vault = ReserveVault__factory.connect(deployment.vault, alice!);
    await driver.fundUsdc(alice!.address, 10_000_000n * 10n ** 6n);
    const usdc = await ethers.getContractAt("SandboxUSDC", book.USDC, alice!);
    await usdc.approve(vault, ethers.MaxUint256);
    await vault.deposit(10_000_000n * 10n ** 6n, alice!);
    // Raised rate limits start with no headroom and refill at 100M a day: 3 h covers $9.8M.
    await time.increase(3 * 3_600);
    await driver.setUstbNav(await driver.ustbPrice());
    await vault.connect(keeper).rebalance();
    expect(await vault.idle()).to.equal(200_000n * 10n ** 6n);
  });
});

describeSandboxOnly(
  "deploy with Securitize's ramps",
  "the ramps have no mainnet address: only the emulated mainnet places them",
  function () {
    it("deploys a BUIDL class with both of Securitize's ramps from params alone: verify is clean, the keeper buys through the on-ramp", async function () {
      const { driver, book } = await loadFixture(mainnet);
      const [deployer, , , , , alice] = await ethers.getSigners();
      const base = readParams(PARAMS, book);
      const ramped = {
        ...base.adapters[0]!,
        kind: "buidl",
        name: "BUIDL-R",
        token: "BUIDL",
        depositAddress: "BUIDL_I_DEPOSIT",
        offRamp: "BUIDL_OFF_RAMP",
        onRamp: "BUIDL_ON_RAMP",
        minTicket: "100000000000",
        weightBps: 1_000,
        maxSlippageBps: 10,
      } as DeployParams["adapters"][number];
      const params: DeployParams = {
        ...base,
        adapters: [{ ...base.adapters[0]!, weightBps: 4_000 }, ...base.adapters.slice(1), ramped],
        withdrawOrder: ["BUIDL-R", ...base.withdrawOrder],
      };
      const ctx = { signer: deployer!, book, network: "hardhat" };
      const deployment = await deploy(params, ctx);
      await configure(params, deployment, { ...ctx, driver });
      await handover(params, deployment, ctx);
      expect(await verify(params, deployment, ethers.provider, book, { handoverComplete: false })).to.deep.equal([]);
      const adapter = await ethers.getContractAt("BuidlAdapter", deployment.adapters["BUIDL-R"]!);
      expect([await adapter.EXIT_ROUTE(), await adapter.EXIT(), await adapter.ON_RAMP()]).to.deep.equal([
        2n,
        book.BUIDL_OFF_RAMP,
        book.BUIDL_ON_RAMP,
      ]);
      const vault = ReserveVault__factory.connect(deployment.vault, alice!);
      await driver.fundUsdc(alice!.address, 10_000_000n * 10n ** 6n);
      await (await ethers.getContractAt("SandboxUSDC", book.USDC, alice!)).approve(vault, ethers.MaxUint256);
      await vault.deposit(10_000_000n * 10n ** 6n, alice!);
      await time.increase(3 * 3_600);
      await driver.setUstbNav(await driver.ustbPrice());
      await vault.connect(await ethers.getImpersonatedSigner(params.roles.keepers[0]!)).rebalance();
      const token = await ethers.getContractAt("SandboxDSToken", book.BUIDL);
      expect(await token.balanceOf(adapter), "bought at once: 10 % of $9.8M, less 1.5 bp").to.be.closeTo(
        980_000n * 10n ** 6n,
        200n * 10n ** 6n,
      );
      expect(await adapter.pendingDeposit()).to.equal(0n);
    });
  },
);

describe("deploy parameters", function () {
  it("refuse weights above 100 %, unknown names and bad addresses, naming the field", function () {
    const good = JSON.parse(readFileSync(PARAMS, "utf8")) as Record<string, unknown> & {
      adapters: Array<Record<string, unknown>>;
    };
    const cases: Array<[unknown, string]> = [
      [{ ...good, adapters: good.adapters.map((a) => ({ ...a, weightBps: 5_000 })) }, "adapters[].weightBps"],
      [{ ...good, withdrawOrder: ["NOPE"] }, "withdrawOrder[0]"],
      [{ ...good, governance: "0x70997970c51812dc3A010C7d01b50e0d17dc79C8" }, "governance"],
      [{ ...good, asset: "NOT_A_NAME" }, "asset"],
      [{ ...good, vault: { ...(good.vault as object), bufferBps: 10_001 } }, "vault.bufferBps"],
      [{ ...good, extra: 1 }, "params"],
      [
        { ...good, adapters: good.adapters.map((a, i) => (i === 0 ? { ...a, maxRequestAgeSeconds: 3_599 } : a)) },
        "adapters[0].maxRequestAgeSeconds",
      ],
      [
        { ...good, adapters: good.adapters.map((a, i) => (i === 0 ? { ...a, settleToleranceBps: 1_001 } : a)) },
        "adapters[0].settleToleranceBps",
      ],
    ];
    for (const [raw, field] of cases) {
      let error: unknown;
      try {
        parseParams(raw);
      } catch (e) {
        error = e;
      }
      expect(error, field).to.be.instanceOf(ParamsError);
      expect((error as ParamsError).field, field).to.equal(field);
    }
  });

  it("give a BUIDL class one instant exit, and name the ramps only where a network has them", function () {
    const good = JSON.parse(readFileSync(PARAMS, "utf8")) as Record<string, unknown> & {
      adapters: Array<Record<string, unknown>>;
    };
    const withBuidl = (extra: Record<string, unknown>) => ({
      ...good,
      adapters: good.adapters.map((a, i) => (i === 0 ? { ...a, ...extra } : a)),
    });
    const refusal = (raw: unknown, book = mainnetBook()) => {
      try {
        parseParams(raw, book);
      } catch (error) {
        return error as ParamsError;
      }
      return undefined;
    };
    const both = refusal(withBuidl({ facility: "BUIDL_REDEMPTION", offRamp: "0x" + "11".repeat(20) }));
    expect(both?.field).to.equal("adapters[0].offRamp");
    expect(both?.message).to.contain("not both");
    const unpublished = refusal(withBuidl({ offRamp: "BUIDL_OFF_RAMP", onRamp: "BUIDL_ON_RAMP" }));
    expect(unpublished?.field, "on mainnet's book").to.equal("adapters[0].offRamp");
    expect(unpublished?.message).to.contain("mainnet publishes none").and.to.contain("give the contract's address");
    expect(
      refusal(withBuidl({ offRamp: "BUIDL_OFF_RAMP", onRamp: "BUIDL_ON_RAMP" }), emulatedMainnetBook()),
      "the emulated mainnet places both",
    ).to.equal(undefined);
  });

  it("refuse an unknown key at every depth, naming where it is and what to do", function () {
    const good = JSON.parse(readFileSync(PARAMS, "utf8")) as Record<string, unknown> & {
      adapters: Array<Record<string, unknown> & { navGuard: object; rateLimit: object }>;
      roles: object;
      vault: object;
      redeemQueue: object;
    };
    const adapter = (change: Record<string, unknown>) => ({
      ...good,
      adapters: good.adapters.map((a, i) => (i === 1 ? { ...a, ...change } : a)),
    });
    const cases: Array<[unknown, string, string]> = [
      [{ ...good, extra: 1 }, "params", "extra"],
      [adapter({ maxSlipageBps: 10 }), "adapters[1]", "maxSlipageBps"], // a misspelt limit
      [adapter({ navGuard: { ...good.adapters[1]!.navGuard, maxAge: 1 } }), "adapters[1].navGuard", "maxAge"],
      // A required key misspelt: named as the unknown key it is, not as the field it meant, missing.
      [
        adapter({ navGuard: { maxNavAgeSecond: 1, maxNavDeviationBps: 100 } }),
        "adapters[1].navGuard",
        "maxNavAgeSecond",
      ],
      [adapter({ rateLimit: { ...good.adapters[1]!.rateLimit, perDay: "1" } }), "adapters[1].rateLimit", "perDay"],
      [{ ...good, roles: { ...good.roles, keeper: [] } }, "roles", "keeper"],
      [{ ...good, vault: { ...good.vault, timelock: 1 } }, "vault", "timelock"],
      [{ ...good, redeemQueue: { ...good.redeemQueue, minRequest: "1" } }, "redeemQueue", "minRequest"],
    ];
    for (const [raw, field, key] of cases) {
      const error = (() => {
        try {
          parseParams(raw);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, key).to.be.instanceOf(ParamsError);
      expect((error as ParamsError).message, key).to.equal(
        `${field}: unknown key "${key}": fix the spelling or remove it (nothing here is ignored)`,
      );
    }
  });
});

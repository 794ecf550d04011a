import { expect } from "chai";
import { ethers } from "hardhat";
import type { Interface } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MockAdapter__factory, MockERC20__factory, type ReserveVault } from "../../../typechain-types";
import { UNLIMITED, USDC, emptyVault, threeAdapters, type VaultSystem } from "../../helpers/fixtures";

const DAY = 24n * 3600n;

/** The three-adapter system (weights 50 / 30 / 10 %, leaving room) with a one-day configuration timelock. */
async function timelocked(): Promise<VaultSystem> {
  const system = await threeAdapters();
  await system.vault.connect(system.curator).setTargetWeight(system.adapters[2]!, 1_000n);
  await system.vault.connect(system.admin).setTimelock(DAY);
  return system;
}

function idOf(data: string): string {
  return ethers.keccak256(data);
}

/** Each curator setter with arguments that raise risk and arguments that lower it. */
function setters(vault: ReserveVault, adapter: string) {
  return [
    { name: "setTargetWeight", up: [adapter, 5_001n], down: [adapter, 4_999n] },
    { name: "setCap", up: [adapter, UNLIMITED], down: [adapter, 1n], prepare: () => vault.setCap(adapter, 2n) },
    { name: "setRateLimit", up: [adapter, UNLIMITED, 1n], down: [adapter, 10n, 0n] },
    { name: "setNavGuard", up: [adapter, 4n * DAY, 100n], down: [adapter, DAY, 50n] },
    { name: "setNavGuard", up: [adapter, 4n * DAY, 101n], down: [adapter, DAY, 49n] }, // the deviation alone
    { name: "setMaxSlippage", up: [adapter, 1n], down: [adapter, 0n] },
    { name: "setBuffer", up: [0n], down: [300n], prepare: () => vault.setBuffer(200n) },
    { name: "setMaxRebalanceLoss", up: [5n], down: [0n] },
    { name: "setProfitUnlockTime", up: [DAY], down: [8n * 7n * DAY] },
  ] as const;
}

describe("ReserveVault › configuration", function () {
  describe("timelock", function () {
    it("reverts with ChangeNotSubmitted for a risk-increasing change that was not submitted", async function () {
      const { vault, curator, adapters } = await loadFixture(timelocked);
      const data = vault.interface.encodeFunctionData("setTargetWeight", [await adapters[0]!.getAddress(), 6_000n]);
      await expect(vault.connect(curator).setTargetWeight(adapters[0]!, 6_000n))
        .to.be.revertedWithCustomError(vault, "ChangeNotSubmitted")
        .withArgs(idOf(data));
    });

    it("executes exactly at executableAt, not one second before, and only once", async function () {
      const { vault, curator, adapters } = await loadFixture(timelocked);
      const adapter = await adapters[0]!.getAddress();
      const data = vault.interface.encodeFunctionData("setTargetWeight", [adapter, 6_000n]);
      await vault.connect(curator).setTargetWeight(adapter, 4_000n); // decreases apply at once
      // The submission's own block dates it: read after it is mined, never from the clock before.
      const receipt = await (await vault.connect(curator).submit(data)).wait();
      const at = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp) + DAY;
      const submitted = receipt!.logs
        .map((log) => vault.interface.parseLog(log))
        .find((e) => e?.name === "ChangeSubmitted");
      expect([...submitted!.args]).to.deep.equal([idOf(data), curator.address, data, at]);
      expect(await vault.executableAt(data)).to.equal(at);
      await time.setNextBlockTimestamp(at - 1n);
      await expect(vault.connect(curator).setTargetWeight(adapter, 6_000n))
        .to.be.revertedWithCustomError(vault, "ChangeStillTimelocked")
        .withArgs(idOf(data), at);
      await time.setNextBlockTimestamp(at);
      await expect(vault.connect(curator).setTargetWeight(adapter, 6_000n))
        .to.emit(vault, "ChangeExecuted")
        .withArgs(idOf(data), curator.address)
        .and.to.emit(vault, "TargetWeightSet")
        .withArgs(adapter, 4_000n, 6_000n);
      await vault.connect(curator).setTargetWeight(adapter, 5_000n);
      await expect(vault.connect(curator).setTargetWeight(adapter, 6_000n)).to.be.revertedWithCustomError(
        vault,
        "ChangeNotSubmitted",
      );
    });

    it("a submission expires 14 days after it became executable, and must be submitted again", async function () {
      const { vault, curator, adapters } = await loadFixture(timelocked);
      const adapter = await adapters[0]!.getAddress();
      const data = vault.interface.encodeFunctionData("setTargetWeight", [adapter, 6_000n]);
      await vault.connect(curator).setTargetWeight(adapter, 4_000n);
      await vault.connect(curator).submit(data);
      const at = await vault.executableAt(data);
      const last = at + 14n * DAY;
      const snapshot = await ethers.provider.send("evm_snapshot", []);
      await time.setNextBlockTimestamp(last); // the last second of the window
      await expect(vault.connect(curator).setTargetWeight(adapter, 6_000n)).to.emit(vault, "ChangeExecuted");
      await ethers.provider.send("evm_revert", [snapshot]);
      await time.setNextBlockTimestamp(last + 1n); // one second past it
      await expect(vault.connect(curator).setTargetWeight(adapter, 6_000n))
        .to.be.revertedWithCustomError(vault, "ChangeExpired")
        .withArgs(idOf(data), last);
      await vault.connect(curator).revoke(data);
      await vault.connect(curator).submit(data);
      expect(await vault.executableAt(data)).to.be.gt(last);
    });

    it("raising the timelock lengthens changes already pending", async function () {
      const { vault, admin, curator, adapters } = await loadFixture(timelocked);
      const adapter = await adapters[0]!.getAddress();
      const data = vault.interface.encodeFunctionData("setTargetWeight", [adapter, 6_000n]);
      await vault.connect(curator).setTargetWeight(adapter, 4_000n);
      await vault.connect(curator).submit(data);
      const submittedAt = BigInt(await time.latest());
      await vault.connect(admin).setTimelock(3n * DAY); // raising applies at once
      expect(await vault.executableAt(data)).to.equal(submittedAt + 3n * DAY);
      await time.setNextBlockTimestamp(submittedAt + DAY + 1n); // the old delay has passed
      await expect(vault.connect(curator).setTargetWeight(adapter, 6_000n))
        .to.be.revertedWithCustomError(vault, "ChangeStillTimelocked")
        .withArgs(idOf(data), submittedAt + 3n * DAY);
      await time.setNextBlockTimestamp(submittedAt + 3n * DAY);
      await expect(vault.connect(curator).setTargetWeight(adapter, 6_000n)).to.emit(vault, "ChangeExecuted");
    });

    it("setWithdrawOrder: reordering and adding are immediate; leaving an adapter out is timelocked", async function () {
      const { vault, curator, adapters } = await loadFixture(timelocked);
      const [a, b, c] = (await Promise.all(adapters.map((x) => x.getAddress()))) as [string, string, string];
      await expect(vault.connect(curator).setWithdrawOrder([c, b, a]), "reordering")
        .to.emit(vault, "WithdrawOrderSet")
        .withArgs([c, b, a]);
      const narrower = vault.interface.encodeFunctionData("setWithdrawOrder", [[a, b]]);
      await expect(vault.connect(curator).setWithdrawOrder([a, b]), "leaving c out")
        .to.be.revertedWithCustomError(vault, "ChangeNotSubmitted")
        .withArgs(idOf(narrower));
      await vault.connect(curator).submit(narrower);
      await time.increase(DAY);
      await expect(vault.connect(curator).setWithdrawOrder([a, b])).to.emit(vault, "ChangeExecuted");
      expect(await vault.withdrawOrder()).to.deep.equal([a, b]);
      await expect(vault.connect(curator).setWithdrawOrder([a, b, c]), "adding back").to.not.emit(
        vault,
        "ChangeExecuted",
      );
      expect(await vault.withdrawOrder()).to.deep.equal([a, b, c]);
    });

    for (const direction of ["up", "down"] as const) {
      it(`every curator setter is ${direction === "up" ? "timelocked when it raises risk" : "immediate when it lowers risk"}`, async function () {
        const { vault, curator, adapters } = await loadFixture(timelocked);
        const adapter = await adapters[0]!.getAddress();
        const curatorVault = vault.connect(curator);
        for (const setter of setters(curatorVault, adapter)) {
          if ("prepare" in setter) await setter.prepare();
          const args: readonly unknown[] = setter[direction];
          const data = (vault.interface as Interface).encodeFunctionData(setter.name, args);
          const call = () => curator.sendTransaction({ to: vault, data });
          if (direction === "down") {
            await expect(call(), setter.name).to.not.be.reverted;
            continue;
          }
          await expect(call(), setter.name).to.be.revertedWithCustomError(vault, "ChangeNotSubmitted");
          await curatorVault.submit(data);
          await time.increase(DAY);
          await expect(call(), setter.name).to.emit(vault, "ChangeExecuted");
        }
      });
    }

    it("addAdapter is always timelocked", async function () {
      const { vault, curator, deployer, usdc } = await loadFixture(timelocked);
      const adapter = await new MockAdapter__factory(deployer).deploy(vault, usdc);
      await expect(vault.connect(curator).addAdapter(adapter)).to.be.revertedWithCustomError(
        vault,
        "ChangeNotSubmitted",
      );
      await vault
        .connect(curator)
        .submit(vault.interface.encodeFunctionData("addAdapter", [await adapter.getAddress()]));
      await time.increase(DAY);
      await expect(vault.connect(curator).addAdapter(adapter))
        .to.emit(vault, "AdapterAdded")
        .withArgs(await adapter.getAddress(), curator.address);
    });

    it("the guardian or the curator revokes a submitted change", async function () {
      const { vault, curator, guardian, alice, adapters } = await loadFixture(timelocked);
      await vault.connect(curator).setCap(adapters[0]!, 1n);
      const data = vault.interface.encodeFunctionData("setCap", [await adapters[0]!.getAddress(), 10n ** 30n]);
      await expect(vault.connect(guardian).revoke(data)).to.be.revertedWithCustomError(vault, "ChangeNotSubmitted");
      await vault.connect(curator).submit(data);
      await expect(vault.connect(alice).revoke(data)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(vault.connect(guardian).revoke(data))
        .to.emit(vault, "ChangeRevoked")
        .withArgs(idOf(data), guardian.address);
      await time.increase(DAY);
      await expect(vault.connect(curator).setCap(adapters[0]!, 10n ** 30n)).to.be.revertedWithCustomError(
        vault,
        "ChangeNotSubmitted",
      );
    });

    it("submit refuses non-curators, functions that are not timelocked, and duplicates", async function () {
      const { vault, curator, alice } = await loadFixture(timelocked);
      const data = vault.interface.encodeFunctionData("setBuffer", [0n]);
      await expect(vault.connect(alice).submit(data)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      const notTimelocked = vault.interface.encodeFunctionData("setDriftBand", [0n, 0n]);
      await expect(vault.connect(curator).submit(notTimelocked))
        .to.be.revertedWithCustomError(vault, "NotTimelockable")
        .withArgs(notTimelocked.slice(0, 10));
      await expect(vault.connect(curator).submit("0x12")).to.be.revertedWithCustomError(vault, "NotTimelockable");
      await vault.connect(curator).submit(data);
      await expect(vault.connect(curator).submit(data))
        .to.be.revertedWithCustomError(vault, "ChangeAlreadySubmitted")
        .withArgs(idOf(data));
    });

    it("setTimelock: admin only, increases at once, decreases through the timelock, at most 30 days", async function () {
      const { vault, admin, curator } = await loadFixture(timelocked);
      await expect(vault.connect(curator).setTimelock(2n * DAY)).to.be.revertedWithCustomError(
        vault,
        "AccessControlUnauthorizedAccount",
      );
      await expect(vault.connect(admin).setTimelock(30n * DAY + 1n))
        .to.be.revertedWithCustomError(vault, "ValueTooHigh")
        .withArgs(30n * DAY + 1n, 30n * DAY);
      await expect(vault.connect(admin).setTimelock(30n * DAY))
        .to.emit(vault, "TimelockSet")
        .withArgs(DAY, 30n * DAY);
      await expect(vault.connect(admin).setTimelock(0n)).to.be.revertedWithCustomError(vault, "ChangeNotSubmitted");
      await vault.connect(admin).submit(vault.interface.encodeFunctionData("setTimelock", [0n]));
      await time.increase(30n * DAY);
      await vault.connect(admin).setTimelock(0n);
      expect(await vault.timelockSeconds()).to.equal(0n);
    });
  });

  describe("adapters", function () {
    it("addAdapter reverts with ZeroAddress, AdapterAlreadyListed, AdapterVaultMismatch, AdapterAssetMismatch", async function () {
      const { vault, curator, deployer, usdc, adapters } = await loadFixture(threeAdapters);
      await expect(vault.connect(curator).addAdapter(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        vault,
        "ZeroAddress",
      );
      await expect(vault.connect(curator).addAdapter(adapters[0]!))
        .to.be.revertedWithCustomError(vault, "AdapterAlreadyListed")
        .withArgs(await adapters[0]!.getAddress());
      const foreign = await new MockAdapter__factory(deployer).deploy(deployer.address, usdc);
      await expect(vault.connect(curator).addAdapter(foreign))
        .to.be.revertedWithCustomError(vault, "AdapterVaultMismatch")
        .withArgs(await foreign.getAddress(), deployer.address);
      const dai = await new MockERC20__factory(deployer).deploy("Dai", "DAI", 18);
      const wrongAsset = await new MockAdapter__factory(deployer).deploy(vault, dai);
      await expect(vault.connect(curator).addAdapter(wrongAsset))
        .to.be.revertedWithCustomError(vault, "AdapterAssetMismatch")
        .withArgs(await wrongAsset.getAddress(), await dai.getAddress());
    });

    it("addAdapter allows 32 adapters and reverts with TooManyAdapters on the 33rd", async function () {
      const { vault, curator, deployer, usdc } = await loadFixture(emptyVault);
      for (let i = 0; i < 32; i++) {
        await vault.connect(curator).addAdapter(await new MockAdapter__factory(deployer).deploy(vault, usdc));
      }
      const extra = await new MockAdapter__factory(deployer).deploy(vault, usdc);
      await expect(vault.connect(curator).addAdapter(extra))
        .to.be.revertedWithCustomError(vault, "TooManyAdapters")
        .withArgs(32n);
    });

    it("a newly listed adapter can receive nothing until its cap and rate limit are raised", async function () {
      const { vault, curator, alice, deployer, usdc } = await loadFixture(emptyVault);
      const adapter = await new MockAdapter__factory(deployer).deploy(vault, usdc);
      await vault.connect(curator).addAdapter(adapter);
      await vault.connect(curator).setTargetWeight(adapter, 10_000n);
      await vault.connect(alice).deposit(100n * USDC, alice);
      expect(await vault.previewRebalance()).to.have.length(0);
      const config = await vault.adapterConfig(adapter);
      expect([
        config.cap,
        config.rateLimit.maxAmount,
        config.maxNavAgeSeconds,
        config.maxNavDeviationBps,
      ]).to.deep.equal([0n, 0n, 3n * DAY, 100n]);
    });

    it("removeAdapter reverts while it has weight or value, then unlists it from both lists", async function () {
      const { vault, curator, alice, keeper, adapters } = await loadFixture(threeAdapters);
      const a = await adapters[0]!.getAddress();
      await vault.connect(alice).deposit(100n * USDC, alice);
      await vault.connect(keeper).rebalance();
      await expect(vault.connect(curator).removeAdapter(a))
        .to.be.revertedWithCustomError(vault, "AdapterHasWeight")
        .withArgs(a, 5_000n);
      await vault.connect(curator).setTargetWeight(a, 0n);
      await expect(vault.connect(curator).removeAdapter(a))
        .to.be.revertedWithCustomError(vault, "AdapterNotEmpty")
        .withArgs(a, 50n * USDC);
      await vault.connect(keeper).rebalance();
      await adapters[0]!.moveNav(USDC + 1n); // unbooked value above dust would be stranded
      await expect(vault.connect(curator).removeAdapter(a))
        .to.be.revertedWithCustomError(vault, "AdapterNotEmpty")
        .withArgs(a, USDC + 1n);
      await adapters[0]!.moveNav(-1n); // one whole unit of the asset is dust: it cannot block removal
      await expect(vault.connect(curator).removeAdapter(a))
        .to.emit(vault, "AdapterRemoved")
        .withArgs(a, curator.address);
      expect(await vault.adapters()).to.not.include(a);
      expect(await vault.withdrawOrder()).to.deep.equal([
        await adapters[1]!.getAddress(),
        await adapters[2]!.getAddress(),
      ]);
      await expect(vault.connect(curator).setCap(a, 1n))
        .to.be.revertedWithCustomError(vault, "AdapterNotListed")
        .withArgs(a);
    });
  });

  describe("setters", function () {
    it("setTargetWeight: a sum of exactly 10,000 passes, 10,001 reverts with WeightSumExceeded", async function () {
      const { vault, curator, adapters } = await loadFixture(threeAdapters);
      await expect(vault.connect(curator).setTargetWeight(adapters[2]!, 2_001n))
        .to.be.revertedWithCustomError(vault, "WeightSumExceeded")
        .withArgs(10_001n);
      await vault.connect(curator).setTargetWeight(adapters[2]!, 1_000n);
      await vault.connect(curator).setTargetWeight(adapters[2]!, 2_000n);
      expect(await vault.totalWeightBps()).to.equal(10_000n);
    });

    it("bps setters revert with ValueTooHigh above 10,000; amounts above uint128", async function () {
      const { vault, curator, adapters } = await loadFixture(threeAdapters);
      const a = adapters[0]!;
      const over = 10_001n;
      // One at a time: a batch of sent promises leaves all but the first rejection unobserved for a while.
      for (const call of [
        () => vault.connect(curator).setBuffer(over),
        () => vault.connect(curator).setDriftBand(over, 0n),
        () => vault.connect(curator).setMaxRebalanceLoss(over),
        () => vault.connect(curator).setMaxSlippage(a, over),
        () => vault.connect(curator).setNavGuard(a, 1n, over),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(vault, "ValueTooHigh").withArgs(over, 10_000n);
      }
      await expect(vault.connect(curator).setCap(a, UNLIMITED + 1n))
        .to.be.revertedWithCustomError(vault, "ValueTooHigh")
        .withArgs(UNLIMITED + 1n, UNLIMITED);
      await expect(vault.connect(curator).setNavGuard(a, 2n ** 32n, 1n)).to.be.revertedWithCustomError(
        vault,
        "ValueTooHigh",
      );
      await expect(vault.connect(curator).setMaxRequestAge(a, 2n ** 32n))
        .to.be.revertedWithCustomError(vault, "ValueTooHigh")
        .withArgs(2n ** 32n, 2n ** 32n - 1n);
      await expect(vault.connect(curator).setProfitUnlockTime(366n * DAY)).to.be.revertedWithCustomError(
        vault,
        "ValueTooHigh",
      );
    });

    it("every setter emits its old and new values", async function () {
      const { vault, curator, adapters } = await loadFixture(threeAdapters);
      const a = await adapters[0]!.getAddress();
      await expect(vault.connect(curator).setCap(a, 7n)).to.emit(vault, "CapSet").withArgs(a, UNLIMITED, 7n);
      await expect(vault.connect(curator).setRateLimit(a, 5n, 1n))
        .to.emit(vault, "RateLimitSet")
        .withArgs(a, UNLIMITED, 5n, 0n, 1n);
      await expect(vault.connect(curator).setNavGuard(a, 60n, 10n))
        .to.emit(vault, "NavGuardSet")
        .withArgs(a, 3n * DAY, 60n, 100n, 10n);
      await expect(vault.connect(curator).setMaxSlippage(a, 3n)).to.emit(vault, "MaxSlippageSet").withArgs(a, 0n, 3n);
      await expect(vault.connect(curator).setBuffer(300n)).to.emit(vault, "BufferSet").withArgs(0n, 300n);
      await expect(vault.connect(curator).setDriftBand(50n, 9n))
        .to.emit(vault, "DriftBandSet")
        .withArgs(0n, 50n, 0n, 9n);
      await expect(vault.connect(curator).setMaxRebalanceLoss(4n))
        .to.emit(vault, "MaxRebalanceLossSet")
        .withArgs(0n, 4n);
      await expect(vault.connect(curator).setProfitUnlockTime(8n * DAY))
        .to.emit(vault, "ProfitUnlockTimeSet")
        .withArgs(7n * DAY, 8n * DAY);
      expect([
        await vault.bufferBps(),
        await vault.driftBandBps(),
        await vault.minMove(),
        await vault.maxRebalanceLossBps(),
        await vault.profitUnlockSeconds(),
      ]).to.deep.equal([300n, 50n, 9n, 4n, 8n * DAY]);
    });

    it("setWithdrawOrder reverts with InvalidWithdrawOrder for an unlisted or repeated adapter", async function () {
      const { vault, curator, alice, adapters } = await loadFixture(threeAdapters);
      const [a, b] = await Promise.all([adapters[0]!.getAddress(), adapters[1]!.getAddress()]);
      await expect(vault.connect(curator).setWithdrawOrder([a, alice.address]))
        .to.be.revertedWithCustomError(vault, "InvalidWithdrawOrder")
        .withArgs(alice.address);
      await expect(vault.connect(curator).setWithdrawOrder([a, b, a]))
        .to.be.revertedWithCustomError(vault, "InvalidWithdrawOrder")
        .withArgs(a);
      await expect(vault.connect(curator).setWithdrawOrder([b]))
        .to.emit(vault, "WithdrawOrderSet")
        .withArgs([b]);
    });

    it("every curator setter reverts with AccessControlUnauthorizedAccount for the keeper and the guardian", async function () {
      const { vault, keeper, guardian, adapters } = await loadFixture(threeAdapters);
      const a = adapters[0]!;
      for (const caller of [keeper, guardian]) {
        const as = vault.connect(caller);
        const calls = {
          addAdapter: () => as.addAdapter(a),
          removeAdapter: () => as.removeAdapter(a),
          setTargetWeight: () => as.setTargetWeight(a, 1n),
          setCap: () => as.setCap(a, 1n),
          setRateLimit: () => as.setRateLimit(a, 1n, 1n),
          setNavGuard: () => as.setNavGuard(a, 1n, 1n),
          setMaxRequestAge: () => as.setMaxRequestAge(a, 1n),
          setMaxSlippage: () => as.setMaxSlippage(a, 1n),
          setBuffer: () => as.setBuffer(1n),
          setDriftBand: () => as.setDriftBand(1n, 1n),
          setMaxRebalanceLoss: () => as.setMaxRebalanceLoss(1n),
          setProfitUnlockTime: () => as.setProfitUnlockTime(1n),
          setWithdrawOrder: () => as.setWithdrawOrder([a]),
          setRedeemQueue: () => as.setRedeemQueue(a),
        };
        for (const [name, call] of Object.entries(calls)) {
          await expect(call(), `${name} by ${caller === keeper ? "the keeper" : "the guardian"}`)
            .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, await vault.CURATOR_ROLE());
        }
      }
    });

    it("the guardian's and curator's quarantine actions revert with AccessControlUnauthorizedAccount for the keeper", async function () {
      const { vault, keeper, adapters } = await loadFixture(threeAdapters);
      for (const call of [
        () => vault.connect(keeper).liftQuarantine(adapters[0]!, ethers.MaxUint256),
        () => vault.connect(keeper).writeOff(adapters[0]!),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(vault, "AccessControlUnauthorizedAccount")
          .withArgs(keeper.address, await vault.GUARDIAN_ROLE());
      }
    });
  });
});

import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  SandboxRedemptionIdle__factory,
  SandboxSuperstateAllowList__factory,
  SandboxSuperstateOracle__factory,
  type SandboxSuperstateOracle,
  SandboxUSDC__factory,
  SandboxUSTB__factory,
} from "../../../typechain-types";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { impersonate } from "../../../src/sandbox/rpc";
import { MODE, mainnet } from "../../helpers/mainnet";

const USDC = 10n ** 6n;
const DAY = 86_400n;

async function superstate() {
  const { driver, book } = await loadFixture(mainnet);
  const [, alice, bob] = await ethers.getSigners();
  const ustb = SandboxUSTB__factory.connect(book.USTB, alice!);
  const usdc = SandboxUSDC__factory.connect(book.USDC, alice!);
  const redemption = SandboxRedemptionIdle__factory.connect(book.USTB_REDEMPTION_IDLE, alice!);
  await driver.fundUsdc(alice!.address, 10_000_000n * USDC);
  await usdc.approve(ustb, ethers.MaxUint256);
  return { driver, book, alice: alice!, bob: bob!, ustb, usdc, redemption };
}

/** The oracle's latest checkpoint: the real oracle has no count, so the last index is searched for. */
async function latestCheckpoint(oracle: SandboxSuperstateOracle) {
  const exists = (i: bigint) =>
    oracle.checkpoints(i).then(
      () => true,
      () => false,
    );
  let high = 1n;
  while (await exists(high)) high *= 2n;
  let low = high / 2n; // exists(low) holds (or low is 0 with at least one checkpoint)
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (await exists(mid)) low = mid;
    else high = mid;
  }
  return oracle.checkpoints(low);
}

describe(`Superstate USTB conformance (${MODE})`, function () {
  it("runs FundToken 1.3.0 behind the proxy: its getters name the AllowList, the oracle and RedemptionIdle", async function () {
    const { ustb, book } = await loadFixture(superstate);
    expect(await ustb.VERSION()).to.equal("1.3.0");
    expect(await ustb.isPublicInstrument(), "USTB is a private instrument").to.equal(false);
    expect(await ustb.allowlist()).to.equal(book.USTB_ALLOWLIST);
    expect(await ustb.allowlistV2(), "V5.1's getter kept").to.equal(book.USTB_ALLOWLIST);
    expect(await ustb.getRedemptionContract()).to.equal(book.USTB_REDEMPTION_IDLE);
    expect(await ustb.redemptionContract()).to.equal(book.USTB_REDEMPTION_IDLE);
    expect(await ustb.superstateOracle()).to.equal(book.USTB_ORACLE);
    expect(await ustb.maximumOracleDelay()).to.equal(3_600n);
    expect(await ustb.MINIMUM_ACCEPTABLE_PRICE(), "the $7 floor").to.equal(7_000_000n);
  });

  it("refuses holders that are not on the AllowList", async function () {
    const { ustb, usdc, alice, bob, driver } = await loadFixture(superstate);
    await expect(ustb["subscribe(uint256,address)"](1_000n * USDC, usdc)).to.be.revertedWithCustomError(
      ustb,
      "InsufficientPermissions",
    );
    await driver.allowlist("USTB", alice.address);
    await ustb["subscribe(uint256,address)"](1_000n * USDC, usdc);
    await expect(ustb.transfer(bob, 1n)).to.be.revertedWithCustomError(ustb, "InsufficientPermissions");
    expect(await ustb.isAllowed(alice)).to.equal(true);
    expect(await ustb.decimals()).to.equal(6n);
  });

  it("subscribes at the oracle NAV: the full amount to the sweep destination, the fee from the tokens", async function () {
    const { ustb, usdc, alice, driver } = await loadFixture(superstate);
    await driver.allowlist("USTB", alice.address);
    const [sweep] = await ustb.supportedStablecoins(usdc);
    // The oracle's price moves every second: quote at the very second the subscription will be mined.
    await time.setNextBlockTimestamp((await time.latest()) + 10);
    const pending = { blockTag: "pending" };
    const [out, afterFee, fee] = await ustb.calculateSuperstateTokenOut(1_000_000n * USDC, usdc, pending);
    const [, , price] = await ustb.getChainlinkPrice(pending);
    expect(afterFee + fee).to.equal(1_000_000n * USDC);
    expect(out, "out = afterFee × 10^6 / price").to.equal((afterFee * 10n ** 6n) / price);
    const sweptBefore = await usdc.balanceOf(sweep);
    const heldBefore = await ustb.balanceOf(alice);
    await expect(ustb["subscribe(uint256,address)"](1_000_000n * USDC, usdc))
      .to.emit(ustb, "SubscribeV2")
      .withArgs(alice.address, alice.address, await usdc.getAddress(), afterFee, 1_000_000n * USDC, out);
    expect((await usdc.balanceOf(sweep)) - sweptBefore).to.equal(1_000_000n * USDC);
    expect((await ustb.balanceOf(alice)) - heldBefore).to.equal(out);
  });

  it("burns tokens transferred to the token's own address (off-chain redemption)", async function () {
    const { ustb, usdc, alice, driver } = await loadFixture(superstate);
    await driver.allowlist("USTB", alice.address);
    await ustb["subscribe(uint256,address)"](1_000n * USDC, usdc);
    const supply = await ustb.totalSupply();
    await expect(ustb.transfer(ustb, 10n * USDC))
      .to.emit(ustb, "OffchainRedeem")
      .withArgs(alice.address, alice.address, 10n * USDC);
    expect(await ustb.totalSupply()).to.equal(supply - 10n * USDC);
  });

  it("subscribe(to, …) delivers only within one AllowList entity; RedemptionIdle.redeem(to, …) to any address", async function () {
    const { ustb, usdc, alice, bob, driver, redemption } = await loadFixture(superstate);
    await driver.allowlist("USTB", alice.address);
    await expect(ustb["subscribe(address,uint256,address)"](bob, 1_000n * USDC, usdc)).to.be.revertedWithCustomError(
      ustb,
      "MismatchEntityIds",
    );
    await driver.allowlist("USTB", bob.address); // allowed, but another investor
    await expect(ustb["subscribe(address,uint256,address)"](bob, 1_000n * USDC, usdc)).to.be.revertedWithCustomError(
      ustb,
      "MismatchEntityIds",
    );
    await driver.joinUstbEntity(bob.address, alice.address); // alice's second address
    const bobBefore = await ustb.balanceOf(bob);
    await expect(ustb["subscribe(address,uint256,address)"](bob, 1_000n * USDC, usdc))
      .to.emit(ustb, "SubscribeV2")
      .withArgs(alice.address, bob.address, await usdc.getAddress(), anyValue, 1_000n * USDC, anyValue);
    const bought = (await ustb.balanceOf(bob)) - bobBefore;
    expect(bought).to.be.gt(0n);
    await driver.fundUstbRedemption(2_000n * USDC);
    await ustb.connect(bob).approve(redemption, bought);
    const aliceCash = await usdc.balanceOf(alice);
    await redemption.connect(bob)["redeem(address,uint256)"](alice, bought);
    expect(await usdc.balanceOf(alice)).to.be.gt(aliceCash);
  });

  it("RedemptionIdle pays at NAV; calculateUstbIn rounds up so it buys at least the USDC asked", async function () {
    const { ustb, usdc, alice, driver, redemption } = await loadFixture(superstate);
    await driver.allowlist("USTB", alice.address);
    await ustb["subscribe(uint256,address)"](100_000n * USDC, usdc);
    await ustb.approve(redemption, ethers.MaxUint256);
    await driver.fundUstbRedemption(2_000n * USDC);
    const [ustbIn] = await redemption.calculateUstbIn(1_000n * USDC);
    const [paid] = await redemption.calculateUsdcOut(ustbIn);
    expect(paid).to.be.gte(1_000n * USDC);
    const before = await usdc.balanceOf(alice);
    await redemption["redeem(uint256)"](ustbIn);
    expect((await usdc.balanceOf(alice)) - before).to.be.gte(paid);
  });
});

describe(`Superstate RedemptionIdle arithmetic and AllowList rules (${MODE})`, function () {
  const D = 10_000n;
  const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

  it("quotes as the real contract does: maxUstbRedemptionAmount with its price, calculateUstbIn's roundings, RedeemV2", async function () {
    const { ustb, usdc, alice, driver, redemption } = await loadFixture(superstate);
    await driver.allowlist("USTB", alice.address);
    await ustb["subscribe(uint256,address)"](100_000n * USDC, usdc);
    await ustb.approve(redemption, ethers.MaxUint256);
    await driver.fundUstbRedemption(5_000n * USDC);
    if ((await redemption.redemptionFee()) !== 10n) {
      await impersonate(ethers.provider, await redemption.owner(), (admin) =>
        redemption.connect(admin).setRedemptionFee(10n),
      );
    }
    const held = await usdc.balanceOf(redemption);
    const [max, price] = await redemption.maxUstbRedemptionAmount();
    expect(price, "the price it used is the oracle's").to.equal(await driver.ustbPrice());
    expect(max, "rounded down from the fee-grossed balance").to.equal((((held * D) / (D - 10n)) * 10n ** 6n) / price);
    const [payForMax] = await redemption.calculateUsdcOut(max);
    expect(payForMax, "the most it quotes is payable").to.be.lte(held);

    // With a fee, calculateUstbIn grosses up rounding down and rounds the USTB up: it still pays at
    // least the amount asked (the fee's own floor makes up the gross-up's).
    const quoteIn = (x: bigint) => ceilDiv(((x * D) / (D - 10n)) * 10n ** 6n, price);
    for (const x of [1n, 999n, 1_000n, 1_001n, 12_345n, 999_999n, 1_000n * USDC, 1_234n * USDC + 567n]) {
      const [ustbIn] = await redemption.calculateUstbIn(x);
      expect(ustbIn, `calculateUstbIn(${x})`).to.equal(quoteIn(x));
      expect((await redemption.calculateUsdcOut(ustbIn))[0], `what calculateUstbIn(${x}) buys`).to.be.gte(x);
    }
    const [ustbIn] = await redemption.calculateUstbIn(1_000n * USDC);
    await time.setNextBlockTimestamp((await time.latest()) + 1);
    const [out, pricedAt] = await redemption.calculateUsdcOut(ustbIn, { blockTag: "pending" });
    const before = (ustbIn * pricedAt) / 10n ** 6n;
    await expect(redemption["redeem(uint256)"](ustbIn))
      .to.emit(redemption, "RedeemV2")
      .withArgs(alice.address, alice.address, ustbIn, out, before);
    await expect(redemption.calculateUstbIn(0n)).to.be.revertedWithCustomError(redemption, "BadArgs");
  });

  it("the AllowList keeps entities and protocol permissions apart and refuses a setting that changes nothing", async function () {
    const { book, alice, bob } = await loadFixture(superstate);
    const allowList = SandboxSuperstateAllowList__factory.connect(book.USTB_ALLOWLIST, alice);
    const contract = await (await ethers.getContractFactory("MockAggregator")).deploy(10_000_000n); // any contract
    const entity = 987_654_321n;
    expect(await allowList.VERSION(), "AllowList V3.1 behind the proxy").to.equal("3.1");
    await impersonate(ethers.provider, await allowList.owner(), async (admin) => {
      const a = allowList.connect(admin);
      await expect(a.setProtocolAddressPermission(bob, "USTB", true), "an EOA").to.be.revertedWithCustomError(
        a,
        "CodeSizeZero",
      );
      await a.setProtocolAddressPermission(contract, "USTB", true);
      expect(await a.isAddressAllowedForPrivateInstrument(contract, "USTB")).to.equal(true);
      await expect(a.setProtocolAddressPermission(contract, "USTB", true)).to.be.revertedWithCustomError(
        a,
        "AlreadySet",
      );
      await expect(a.setEntityIdForAddress(entity, contract)).to.be.revertedWithCustomError(
        a,
        "AddressHasProtocolPermissions",
      );
      await a.setEntityIdForAddress(entity, bob);
      await a.setEntityAllowedForPrivateInstrument(entity, "USTB", true);
      expect(await a.isAddressAllowedForPrivateInstrument(bob, "USTB")).to.equal(true);
      await expect(a.setEntityIdForAddress(entity + 1n, bob), "changed without clearing").to.be.revertedWithCustomError(
        a,
        "NonZeroEntityIdMustBeChangedToZero",
      );
      await expect(a.setEntityIdForAddress(entity, bob)).to.be.revertedWithCustomError(a, "AlreadySet");
      await a.setEntityIdForAddress(0n, bob); // removes bob from the AllowList
      expect(await a.isAddressAllowedForPrivateInstrument(bob, "USTB")).to.equal(false);
      await a.setProtocolAddressPermission(contract, "USTB", false);
      await a.setEntityIdForAddress(entity, contract); // once its protocol permissions are gone
      await expect(a.setProtocolAddressPermission(contract, "USTB", true)).to.be.revertedWithCustomError(
        a,
        "AddressHasEntityId",
      );
      expect(await a.isAddressAllowedForPrivateInstrument(contract, "USTB"), "through its entity now").to.equal(true);
    });
  });
});

describe(`Superstate oracle conformance (${MODE})`, function () {
  it("refuses bad checkpoints with the real errors, in the real order", async function () {
    const { book, alice } = await loadFixture(superstate);
    const oracle = SandboxSuperstateOracle__factory.connect(book.USTB_ORACLE, alice);
    const delta = await oracle.maximumAcceptablePriceDelta();
    const navs = (await latestCheckpoint(oracle)).navs;
    await impersonate(ethers.provider, await oracle.owner(), async (admin) => {
      const o = oracle.connect(admin);
      const now = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(now);
      await expect(o.addCheckpoint(now, now + 10n, navs, true), "struck now").to.be.revertedWithCustomError(
        o,
        "TimestampInvalid",
      );
      await expect(
        o.addCheckpoint(now - 1n, now - 1n, navs, true),
        "effective in the past",
      ).to.be.revertedWithCustomError(o, "EffectiveAtInvalid");
      await expect(o.addCheckpoint(now - 1n, now + 10n, navs + delta + 1n, true)).to.be.revertedWithCustomError(
        o,
        "NetAssetValuePerShareTooHigh",
      );
      await expect(o.addCheckpoint(now - 1n, now + 10n, navs - delta - 1n, true)).to.be.revertedWithCustomError(
        o,
        "NetAssetValuePerShareTooLow",
      );
      await o.addCheckpoint(now - 1n, now + 100n, navs + delta, true); // at the bound: accepted, pending
      await expect(o.addCheckpoint(now - 1n, now + 200n, navs, true), "same strike time").to.be.revertedWithCustomError(
        o,
        "TimestampNotChronological",
      );
      await expect(
        o.addCheckpoint(now, now + 50n, navs, true),
        "effective before the last",
      ).to.be.revertedWithCustomError(o, "EffectiveAtNotChronological");
      await expect(o.addCheckpoint(now, now + 200n, navs, false), "one already pending").to.be.revertedWithCustomError(
        o,
        "ExistingPendingEffectiveAt",
      );
      await o.addCheckpoint(now, now + 200n, navs, true); // an override may replace the pending one
    });
  });

  it("a falling NAV extrapolates down instead of reverting", async function () {
    const { driver } = await loadFixture(superstate);
    const price = await driver.ustbPrice();
    await driver.setUstbNav(price);
    await driver.advanceTime(DAY);
    await driver.addUstbCheckpoint(price - 10_000n); // a cent lower, struck a day after the last
    await driver.advanceTime(DAY / 2n);
    const later = await driver.ustbPrice();
    expect(later, "below the last strike: the line keeps falling").to.be.lt(price - 10_000n);
    expect(later).to.be.gt(price - 20_000n);
  });
});

describe(`Superstate issuer-side states, set through the real admin functions (${MODE})`, function () {
  it("RedemptionIdle reverts with InsufficientBalance beyond the USDC it holds, and pays once funded", async function () {
    const { ustb, usdc, alice, driver, redemption } = await loadFixture(superstate);
    await driver.allowlist("USTB", alice.address);
    await ustb["subscribe(uint256,address)"](10_000n * USDC, usdc);
    await ustb.approve(redemption, ethers.MaxUint256);
    const held = await usdc.balanceOf(redemption);
    if (held > 0n) {
      await impersonate(ethers.provider, await redemption.owner(), (admin) =>
        redemption.connect(admin).withdraw(usdc, admin, held),
      );
    }
    const amount = await ustb.balanceOf(alice);
    await expect(redemption["redeem(uint256)"](amount)).to.be.revertedWithCustomError(
      redemption,
      "InsufficientBalance",
    );
    const [usdcOut] = await redemption.calculateUsdcOut(amount);
    await driver.fundUstbRedemption(usdcOut + 1_000n);
    await redemption["redeem(uint256)"](amount);
    expect(await ustb.balanceOf(alice)).to.equal(0n);
  });

  it("caps the subscription fee at 10 bps and takes it from the tokens", async function () {
    const { ustb, usdc, alice, driver } = await loadFixture(superstate);
    const owner = await ustb.owner();
    const [sweep] = await ustb.supportedStablecoins(usdc);
    await impersonate(ethers.provider, owner, async (admin) => {
      await expect(ustb.connect(admin).setStablecoinConfig(usdc, sweep, 11)).to.be.revertedWithCustomError(
        ustb,
        "FeeTooHigh",
      );
      await ustb.connect(admin).setStablecoinConfig(usdc, sweep, 10);
    });
    await driver.allowlist("USTB", alice.address);
    const [, afterFee, fee] = await ustb.calculateSuperstateTokenOut(1_000_000n * USDC, usdc);
    expect(fee).to.equal(1_000n * USDC);
    expect(afterFee).to.equal(999_000n * USDC);
  });

  it("extrapolates checkpoints $10.000 and $10.001 to $10.002 a day later: 1,000,000 USDC → 99,980.003999 USTB", async function () {
    const { ustb, usdc, alice, driver } = await loadFixture(superstate);
    const [deployer] = await ethers.getSigners();
    await driver.allowlist("USTB", alice.address);
    const oracle = await new SandboxSuperstateOracle__factory(deployer!).deploy();
    await oracle.initialize(deployer!.address, 1_000_000n);
    await impersonate(ethers.provider, await ustb.owner(), (admin) => ustb.connect(admin).setOracle(oracle));
    const now = BigInt(await time.latest());
    await oracle.addCheckpoint(now - 1n - DAY, now + 2n, 10_000_000n, false);
    await oracle.addCheckpoint(now - 1n, now + 3n, 10_001_000n, false);
    const heldBefore = await ustb.balanceOf(alice);
    await time.setNextBlockTimestamp(now - 1n + DAY); // one day after the $10.001 checkpoint: $10.002
    await ustb["subscribe(uint256,address)"](1_000_000n * USDC, usdc);
    expect((await ustb.balanceOf(alice)) - heldBefore, "10^18 / 10,002,000, rounded down").to.equal(99_980_003_999n);
    expect((await oracle.latestRoundData())[1]).to.be.closeTo(10_002_000n, 1n);
  });

  it("the oracle reverts with StaleCheckpoint more than 5 days after the latest checkpoint, and subscriptions stop", async function () {
    const { ustb, usdc, alice, driver, book } = await loadFixture(superstate);
    const oracle = SandboxSuperstateOracle__factory.connect(book.USTB_ORACLE, alice);
    await driver.allowlist("USTB", alice.address);
    const latest = await latestCheckpoint(oracle);
    await time.setNextBlockTimestamp(latest.effectiveAt + 5n * DAY);
    await ethers.provider.send("evm_mine", []);
    await oracle.latestRoundData(); // exactly 5 days: still good
    await time.setNextBlockTimestamp(latest.effectiveAt + 5n * DAY + 1n);
    await ethers.provider.send("evm_mine", []);
    await expect(oracle.latestRoundData()).to.be.revertedWithCustomError(oracle, "StaleCheckpoint");
    await expect(ustb["subscribe(uint256,address)"](1_000n * USDC, usdc)).to.be.revertedWithCustomError(
      oracle,
      "StaleCheckpoint",
    );
  });

  it("the token treats sub-$7 data as bad (the oracle itself has no floor)", async function () {
    const { ustb, usdc, alice, driver } = await loadFixture(superstate);
    const feed = await (await ethers.getContractFactory("MockAggregator")).deploy(6_999_999n);
    await impersonate(ethers.provider, await ustb.owner(), (admin) => ustb.connect(admin).setOracle(feed));
    await driver.allowlist("USTB", alice.address);
    await expect(ustb["subscribe(uint256,address)"](1_000n * USDC, usdc)).to.be.revertedWithCustomError(
      ustb,
      "BadChainlinkData",
    );
  });

  it("accounting pause stops subscriptions with AccountingIsPaused; pause stops transfers", async function () {
    const { ustb, usdc, alice, bob, driver } = await loadFixture(superstate);
    await driver.allowlist("USTB", alice.address);
    await driver.allowlist("USTB", bob.address);
    await ustb["subscribe(uint256,address)"](1_000n * USDC, usdc);
    await impersonate(ethers.provider, await ustb.owner(), (admin) => ustb.connect(admin).accountingPause());
    await expect(ustb["subscribe(uint256,address)"](1_000n * USDC, usdc)).to.be.revertedWithCustomError(
      ustb,
      "AccountingIsPaused",
    );
    await impersonate(ethers.provider, await ustb.owner(), async (admin) => {
      await ustb.connect(admin).accountingUnpause();
      await ustb.connect(admin).pause();
    });
    await expect(ustb.transfer(bob, 1n)).to.be.revertedWith("Pausable: paused");
  });

  it("a removed protocol permission blocks the holder again", async function () {
    const { ustb, driver } = await loadFixture(superstate);
    const holder = await (await ethers.getContractFactory("MockAggregator")).deploy(10_000_000n); // any contract
    await driver.allowlist("USTB", await holder.getAddress());
    expect(await ustb.isAllowed(holder)).to.equal(true);
    await driver.revokeUstb(await holder.getAddress());
    expect(await ustb.isAllowed(holder)).to.equal(false);
  });
});

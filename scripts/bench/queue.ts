/**
 * Gas of the redemption queue's paths, against OpenZeppelin's ERC4626 `redeem` of the same shares from
 * idle in the same run: a request, a fulfilment of 1 and of 10 requests (against 1 and 10 redeems),
 * and a claim.
 */
import { ethers } from "hardhat";
import { gasOf, type BenchCase } from "./measure";
import { deployReserveVault } from "../../src/deploy/vault";
import {
  MockAdapter__factory,
  MockERC20__factory,
  RedeemQueue__factory,
  ReferenceERC4626__factory,
} from "../../typechain-types";

const USDC = 10n ** 6n;

export async function queueCases(log: (line: string) => void): Promise<BenchCase[]> {
  log("measuring the redemption queue…");
  const signers = await ethers.getSigners();
  const [deployer, alice] = signers;
  if (!deployer || !alice || signers.length < 12) throw new Error("need 12 accounts");
  const holders = signers.slice(2, 12);
  const usdc = await new MockERC20__factory(deployer).deploy("USD Coin", "USDC", 6);
  const reference = await new ReferenceERC4626__factory(deployer).deploy(usdc);
  const { vault } = await deployReserveVault({ deployer, asset: usdc, admin: deployer });
  await vault.grantRole(await vault.CURATOR_ROLE(), deployer);
  await vault.grantRole(await vault.KEEPER_ROLE(), deployer);
  const adapter = await new MockAdapter__factory(deployer).deploy(vault, usdc);
  await vault.addAdapter(adapter);
  await vault.setCap(adapter, 2n ** 128n - 1n);
  await vault.setRateLimit(adapter, 2n ** 128n - 1n, 0n);
  await vault.setTargetWeight(adapter, 10_000n);
  await vault.setWithdrawOrder([adapter]);
  const queue = await new RedeemQueue__factory(deployer).deploy(vault, 0n, 3n * 86_400n);
  await vault.setRedeemQueue(queue);

  for (const user of [alice, ...holders]) {
    await usdc.mint(user, 10_000_000n * USDC);
    await usdc.connect(user).approve(vault, ethers.MaxUint256);
    await usdc.connect(user).approve(reference, ethers.MaxUint256);
    await vault.connect(user).deposit(10_000n * USDC, user);
    await reference.connect(user).deposit(10_000n * USDC, user);
    await vault.connect(user).approve(queue, ethers.MaxUint256);
  }
  // Everything invested and illiquid: requests wait; the fulfilment then draws on the adapter.
  await vault.rebalance();
  await adapter.setLimits(0n, ethers.MaxUint256, 0n);
  const shares = 10n ** 21n; // 1,000 USDC of shares

  const cases: BenchCase[] = [];
  const redeem = (user: (typeof holders)[number]) => reference.connect(user).redeem(shares, user, user);
  // The first request of a quiet queue also tells the vault exits are pending; the steady state does not.
  const first = await gasOf(queue.connect(alice).requestRedeem(shares, alice, alice));
  const steady = await gasOf(queue.connect(holders[0]!).requestRedeem(shares, holders[0]!, holders[0]!));
  cases.push({ name: "queue: first request", adapters: 1, gas: first, referenceGas: await gasOf(redeem(alice)) });
  cases.push({
    name: "queue: request",
    adapters: 1,
    gas: steady,
    referenceGas: await gasOf(redeem(holders[0]!)),
  });

  await adapter.setLimits(ethers.MaxUint256, ethers.MaxUint256, 0n);
  cases.push({
    name: "queue: fulfil 1 request",
    adapters: 1,
    gas: await gasOf(queue.fulfil(1n)),
    referenceGas: await gasOf(redeem(holders[1]!)),
  });
  // Ten more requests waiting behind the one left, then one call serves ten.
  for (const user of holders.slice(1, 10)) await queue.connect(user).requestRedeem(shares, user, user);
  let tenRedeems = 0;
  for (const user of holders.slice(2, 10)) tenRedeems += await gasOf(redeem(user));
  tenRedeems += await gasOf(reference.connect(alice).redeem(shares, alice, alice));
  tenRedeems += await gasOf(reference.connect(holders[0]!).redeem(shares, holders[0]!, holders[0]!));
  cases.push({
    name: "queue: fulfil 10 requests",
    adapters: 1,
    gas: await gasOf(queue.fulfil(10n)),
    referenceGas: tenRedeems,
  });
  const claimable = await queue.maxRedeem(holders[3]!);
  cases.push({
    name: "queue: claim",
    adapters: 1,
    gas: await gasOf(queue.connect(holders[3]!).redeem(claimable, holders[3]!, holders[3]!)),
    referenceGas: await gasOf(reference.connect(holders[3]!).redeem(shares, holders[3]!, holders[3]!)),
  });
  return cases;
}

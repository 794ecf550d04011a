import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployReserveVault, vaultLinks } from "../../src/deploy/vault";
import { hardhatWallet } from "../../src/testing/accounts";
import {
  MockAdapter__factory,
  MockERC20__factory,
  type MockAdapter,
  type MockERC20,
  type ReserveVault,
} from "../../typechain-types";
import type { ReserveVaultLibraryAddresses } from "../../typechain-types/factories/contracts/vault/ReserveVault__factory";

/** One USDC in base units (6 decimals). */
export const USDC = 10n ** 6n;
export const UNLIMITED = 2n ** 128n - 1n;

export interface Actors {
  deployer: HardhatEthersSigner;
  admin: HardhatEthersSigner;
  curator: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  attacker: HardhatEthersSigner;
}

export interface VaultSystem extends Actors {
  usdc: MockERC20;
  vault: ReserveVault;
  adapters: MockAdapter[];
  libraries: ReserveVaultLibraryAddresses;
}

export async function actors(): Promise<Actors> {
  const [deployer, admin, curator, keeper, guardian, alice, bob, attacker] = await ethers.getSigners();
  if (!deployer || !admin || !curator || !keeper || !guardian || !alice || !bob || !attacker) {
    throw new Error("the Hardhat network must expose at least 8 accounts");
  }
  return { deployer, admin, curator, keeper, guardian, alice, bob, attacker };
}

/** A vault over a 6-decimal USDC with roles granted, no timelock, and `adapterCount` mock adapters
 * listed with unlimited cap and rate limit; users hold 1,000,000 USDC each, approved. */
export async function deploySystem(adapterCount: number, weightsBps: bigint[] = []): Promise<VaultSystem> {
  const who = await actors();
  const usdc = await new MockERC20__factory(who.deployer).deploy("USD Coin", "USDC", 6);
  const { vault, libraries } = await deployReserveVault({ deployer: who.deployer, asset: usdc, admin: who.admin });
  await vault.connect(who.admin).grantRole(await vault.CURATOR_ROLE(), who.curator);
  await vault.connect(who.admin).grantRole(await vault.KEEPER_ROLE(), who.keeper);
  await vault.connect(who.admin).grantRole(await vault.GUARDIAN_ROLE(), who.guardian);

  const adapters: MockAdapter[] = [];
  for (let i = 0; i < adapterCount; i++) {
    const adapter = await new MockAdapter__factory(who.deployer).deploy(vault, usdc);
    await listAdapter(vault, who.curator, adapter, weightsBps[i] ?? 0n);
    adapters.push(adapter);
  }
  if (adapters.length > 0) await vault.connect(who.curator).setWithdrawOrder(adapters);

  for (const user of [who.alice, who.bob, who.attacker]) {
    await usdc.mint(user, 1_000_000n * USDC);
    await usdc.connect(user).approve(vault, ethers.MaxUint256);
  }
  return {
    ...who,
    usdc,
    vault,
    adapters,
    libraries: vaultLinks(libraries),
  };
}

/** Lists `adapter` on a vault without timelock, with unlimited cap and rate limit and `weightBps`. */
export async function listAdapter(
  vault: ReserveVault,
  curator: HardhatEthersSigner,
  adapter: import("ethers").AddressLike,
  weightBps: bigint,
): Promise<void> {
  await vault.connect(curator).addAdapter(adapter);
  await vault.connect(curator).setCap(adapter, UNLIMITED);
  await vault.connect(curator).setRateLimit(adapter, UNLIMITED, 0n);
  if (weightBps > 0n) await vault.connect(curator).setTargetWeight(adapter, weightBps);
}

export async function emptyVault(): Promise<VaultSystem> {
  return deploySystem(0);
}

/** Three sync, fully liquid adapters weighted 50 / 30 / 20 %. */
export async function threeAdapters(): Promise<VaultSystem> {
  return deploySystem(3, [5_000n, 3_000n, 2_000n]);
}

/** One adapter at 100 % weight. */
export async function oneAdapter(): Promise<VaultSystem> {
  return deploySystem(1, [10_000n]);
}

/** Legs of the current plan as plain tuples, for deep equality. */
export async function planOf(vault: ReserveVault): Promise<Array<[string, bigint, bigint]>> {
  const legs = await vault.previewRebalance();
  return legs.map((leg) => [leg.adapter, BigInt(leg.kind), leg.amount]);
}

export const LegKind = { Withdraw: 0n, RequestRedeem: 1n, Deposit: 2n } as const;
export const Reason = { Manual: 0n, ValuationReverted: 1n, Stale: 2n, Deviation: 3n, RequestOverdue: 4n } as const;

/** Legs a rebalance transaction executed, read from its LegExecuted events. */
export async function executedLegs(
  vault: ReserveVault,
  tx: Promise<ContractTransactionResponse> | ContractTransactionResponse,
): Promise<Array<[string, bigint, bigint]>> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("transaction was not mined");
  const legs: Array<[string, bigint, bigint]> = [];
  for (const log of receipt.logs) {
    const parsed = vault.interface.parseLog(log);
    if (parsed?.name === "LegExecuted") {
      legs.push([parsed.args[0] as string, BigInt(parsed.args[1] as bigint), parsed.args[2] as bigint]);
    }
  }
  return legs;
}

/** One adapter at 50 % weight, so half of the vault stays idle and entries and exits both have room. */
export async function halfAdapter(): Promise<VaultSystem> {
  return deploySystem(1, [5_000n]);
}

/** Hardhat's default accounts, as wallets that sign locally (what a real keeper holds). */
export function walletAt(index: number, provider: import("ethers").Provider): import("ethers").Wallet {
  return hardhatWallet(index, provider);
}

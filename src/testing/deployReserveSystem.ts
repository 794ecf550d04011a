import path from "node:path";
import type { Signer } from "ethers";
import { readParams, type DeployParams } from "../deploy/params";
import { configure, deploy, type Deployment } from "../deploy/system";
import { impersonating } from "../issuers/actors";
import { IssuerDriver } from "../issuers/driver";
import type { IssuerBook } from "../issuers/book";
import { installEmulatedMainnet } from "../sandbox/install";
import { ReserveVault__factory, SandboxUSDC__factory, type ReserveVault } from "../../typechain-types";

/** The products of the model deployment (deploy/params/hardhat.json). */
export type Product = "BUIDL-I" | "USTB" | "JTRSY";

export interface ReserveSystemOptions {
  /** Which products to list (default all three). */
  products?: Product[];
  /** Target weights in bps by product (default Spark's 50/30/20, for the products listed). */
  weightsBps?: Partial<Record<Product, number>>;
  /** USDC deposited by `depositor` after configuration (default none). */
  seedDeposit?: bigint;
  /** The configuration timelock (default 0, so tests can change weights at once). */
  timelockSeconds?: number;
}

export interface ReserveSystem {
  vault: ReserveVault;
  deployment: Deployment;
  params: DeployParams;
  book: IssuerBook;
  driver: IssuerDriver;
  adapters: Record<string, string>;
  roles: { deployer: Signer; curator: Signer; keeper: Signer; guardian: Signer; depositor: Signer };
}

/**
 * A ready ReserveVault system on the in-process Hardhat network, for integrators' tests: the emulated
 * mainnet installed (sandbox issuers at their real addresses), Spark's split deployed and configured
 * through the same deploy layers as real deployments, adapters allowlisted at their issuers. Roles are
 * the Hardhat accounts the parameters name (curator #2, keeper #3, guardian #4); the depositor is #5.
 * Use it with `loadFixture`:
 *
 *   const system = await loadFixture(() => deployReserveSystem({ seedDeposit: 1_000_000n * 10n ** 6n }));
 */
export async function deployReserveSystem(options: ReserveSystemOptions = {}): Promise<ReserveSystem> {
  const hre = await import("hardhat");
  const { ethers } = hre;
  const [deployer, , curator, keeper, guardian, depositor] = await ethers.getSigners();
  if (!deployer || !curator || !keeper || !guardian || !depositor) throw new Error("the network needs 6 accounts");
  const book = await installEmulatedMainnet(ethers.provider, deployer, impersonating(ethers.provider));
  const driver = IssuerDriver.onHardhat(ethers.provider, book);
  const base = readParams(path.join(__dirname, "..", "..", "deploy", "params", "hardhat.json"), book);
  const products = options.products ?? ["BUIDL-I", "USTB", "JTRSY"];
  const unknown = products.filter((p) => !base.adapters.some((a) => a.name === p));
  if (unknown.length > 0) throw new Error(`unknown products ${unknown.join(", ")}; choose from BUIDL-I, USTB, JTRSY`);
  const params: DeployParams = {
    ...base,
    vault: { ...base.vault, timelockSeconds: options.timelockSeconds ?? 0 },
    adapters: base.adapters
      .filter((a) => products.includes(a.name as Product))
      .map((a) => ({ ...a, weightBps: options.weightsBps?.[a.name as Product] ?? a.weightBps })),
    withdrawOrder: base.withdrawOrder.filter((name) => products.includes(name as Product)),
  };
  const total = params.adapters.reduce((sum, a) => sum + a.weightBps, 0);
  if (total > 10_000) throw new Error(`weightsBps sum to ${total}; at most 10000`);
  const ctx = { signer: deployer, book, network: "hardhat" };
  const deployment = await deploy(params, ctx);
  await configure(params, deployment, { ...ctx, driver });
  const vault = ReserveVault__factory.connect(deployment.vault, deployer);
  if (options.seedDeposit && options.seedDeposit > 0n) {
    await driver.fundUsdc(depositor.address, options.seedDeposit);
    await (await SandboxUSDC__factory.connect(book.USDC, depositor).approve(vault, options.seedDeposit)).wait();
    await (await vault.connect(depositor).deposit(options.seedDeposit, depositor)).wait();
  }
  return {
    vault,
    deployment,
    params,
    book,
    driver,
    adapters: deployment.adapters,
    roles: { deployer, curator, keeper, guardian, depositor },
  };
}

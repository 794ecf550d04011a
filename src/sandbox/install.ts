import { getAddress, id, type ContractFactory, type Signer } from "ethers";
import { MAINNET, JTRSY_IDS } from "../addresses";
import {
  SandboxBuidlRedemption__factory,
  SandboxDSRegistry__factory,
  SandboxDSToken__factory,
  SandboxERC7540Vault__factory,
  SandboxEscrow__factory,
  SandboxInvestmentManager__factory,
  SandboxPoolManager__factory,
  SandboxRedemptionIdle__factory,
  SandboxRestrictionManager__factory,
  SandboxSUSDS__factory,
  SandboxSuperstateAllowList__factory,
  SandboxSuperstateOracle__factory,
  SandboxTrancheToken__factory,
  SandboxUSDC__factory,
  SandboxUSDS__factory,
  SandboxUSTB__factory,
  SandboxUsdsPsmWrapper__factory,
} from "../../typechain-types";
import type { ActAs } from "../issuers/actors";
import type { IssuerBook } from "../issuers/book";
import { mainnetBook } from "../issuers/book";
import type { JsonRpcLike } from "./rpc";

/** Deterministic stand-ins for admins the reference does not name (on a fork, read them from chain). */
export const SANDBOX_ADMINS = {
  usdc: addressOf("reserve-router.sandbox.usdc-admin"),
  superstate: addressOf("reserve-router.sandbox.superstate-admin"),
  superstateSweep: addressOf("reserve-router.sandbox.superstate-sweep"),
  sky: addressOf("reserve-router.sandbox.sky-admin"),
  centrifugePoolManager: addressOf("reserve-router.sandbox.centrifuge-pool-manager"),
} as const;

/** Seeded state of a fresh installation. */
export const SANDBOX_SEED = {
  /** USTB NAV per share, 6 decimals: two checkpoints one day apart. */
  ustbNavs: [10_500_000n, 10_501_000n] as const,
  /** JTRSY price in USDC, 18 decimals (≈ $1.054 as in March 2025). */
  jtrsyPrice: 1_054_000_000_000_000_000n,
  /** sUSDS savings rate: 4.5 % a year, per second, in ray. */
  ssr: 1_000_000_001_395_766_281_313_196_627n,
  ustbMaximumOracleDelaySeconds: 3_600n,
  /** Largest NAV step the USTB oracle accepts between checkpoints: $1 a share (6 decimals). */
  ustbMaximumAcceptablePriceDelta: 1_000_000n,
} as const;

function addressOf(label: string): string {
  return getAddress(`0x${id(label).slice(26)}`);
}

/** Who administers each sandbox issuer. */
export interface SandboxAdmins {
  usdc: string;
  superstate: string;
  superstateSweep: string;
  securitize: string;
  centrifugeRoot: string;
  sky: string;
}

export interface InstallOptions {
  rpc: JsonRpcLike;
  deployer: Signer;
  /** `mainnet`: code copied to the real addresses (Hardhat networks only); `fresh`: new deployments. */
  placement: "mainnet" | "fresh";
  admins: SandboxAdmins;
  /** How the admins sign their wiring calls. */
  actAs: ActAs;
  /** Called after each step, for progress output. */
  onStep?: (step: string) => void;
}

/** The mainnet admins where the reference names them, stand-ins elsewhere: for the in-process network. */
export const MAINNET_SANDBOX_ADMINS: SandboxAdmins = {
  usdc: SANDBOX_ADMINS.usdc,
  superstate: SANDBOX_ADMINS.superstate,
  superstateSweep: SANDBOX_ADMINS.superstateSweep,
  securitize: MAINNET.BUIDL_ADMIN,
  centrifugeRoot: MAINNET.CENTRIFUGE_ROOT,
  sky: SANDBOX_ADMINS.sky,
};

/**
 * Installs the emulated issuers, initialises them, wires them as their issuers would and seeds prices.
 * Returns the address book of the installation. On a Hardhat network it advances time by two seconds so
 * the seeded USTB checkpoints are effective; elsewhere it waits for them.
 */
export async function installSandbox(options: InstallOptions): Promise<IssuerBook> {
  const { rpc, deployer, placement, actAs } = options;
  const A = options.admins;
  const step = options.onStep ?? (() => undefined);
  const target = mainnetBook();
  const book: IssuerBook = {
    ...target,
    CENTRIFUGE_POOL_MANAGER: SANDBOX_ADMINS.centrifugePoolManager,
    // The driver signs as the admins the book names.
    BUIDL_ADMIN: A.securitize,
    CENTRIFUGE_ROOT: A.centrifugeRoot,
  };

  /** Deploys with `factory`; with mainnet placement, copies the runtime code to the book's address. */
  const place = async (factory: ContractFactory, name: keyof IssuerBook): Promise<void> => {
    const contract = await factory.deploy();
    await contract.waitForDeployment();
    const deployed = await contract.getAddress();
    if (placement === "mainnet") {
      const code = await rpc.send("eth_getCode", [deployed, "latest"]);
      await rpc.send("hardhat_setCode", [book[name], code]);
    } else {
      book[name] = deployed;
    }
    step(`placed ${String(name)} at ${book[name]}`);
  };

  // --- code
  await place(new SandboxUSDC__factory(deployer), "USDC");
  await place(new SandboxSuperstateAllowList__factory(deployer), "USTB_ALLOWLIST");
  await place(new SandboxSuperstateOracle__factory(deployer), "USTB_ORACLE");
  await place(new SandboxUSTB__factory(deployer), "USTB");
  await place(new SandboxRedemptionIdle__factory(deployer), "USTB_REDEMPTION_IDLE");
  await place(new SandboxDSRegistry__factory(deployer), "BUIDL_REGISTRY");
  await place(new SandboxDSToken__factory(deployer), "BUIDL");
  await place(new SandboxDSToken__factory(deployer), "BUIDL_I");
  await place(new SandboxBuidlRedemption__factory(deployer), "BUIDL_REDEMPTION");
  await place(new SandboxRestrictionManager__factory(deployer), "CENTRIFUGE_RESTRICTION_MANAGER");
  await place(new SandboxTrancheToken__factory(deployer), "JTRSY");
  await place(new SandboxEscrow__factory(deployer), "CENTRIFUGE_ESCROW");
  await place(new SandboxPoolManager__factory(deployer), "CENTRIFUGE_POOL_MANAGER");
  await place(new SandboxInvestmentManager__factory(deployer), "CENTRIFUGE_INVESTMENT_MANAGER");
  await place(new SandboxERC7540Vault__factory(deployer), "JTRSY_VAULT");
  await place(new SandboxUSDS__factory(deployer), "USDS");
  await place(new SandboxSUSDS__factory(deployer), "SUSDS");
  await place(new SandboxUsdsPsmWrapper__factory(deployer), "USDS_PSM_WRAPPER");
  if (placement === "fresh") {
    // Plain addresses the issuers watch: the deployer's own stand-ins on a testnet.
    book.BUIDL_I_DEPOSIT = addressOf(`reserve-router.sandbox.buidl-i-deposit.${book.BUIDL_I}`);
    book.BUIDL_I_REDEMPTION = addressOf(`reserve-router.sandbox.buidl-i-redemption.${book.BUIDL_I}`);
  }
  const poolManagerAddress = book.CENTRIFUGE_POOL_MANAGER!;

  // --- initialisation (a copied contract ran no constructor)
  const usdc = SandboxUSDC__factory.connect(book.USDC, deployer);
  await (await usdc.initialize(A.usdc)).wait();

  const allowList = SandboxSuperstateAllowList__factory.connect(book.USTB_ALLOWLIST, deployer);
  const oracle = SandboxSuperstateOracle__factory.connect(book.USTB_ORACLE, deployer);
  const ustb = SandboxUSTB__factory.connect(book.USTB, deployer);
  const redemptionIdle = SandboxRedemptionIdle__factory.connect(book.USTB_REDEMPTION_IDLE, deployer);
  await (await allowList.initialize(A.superstate)).wait();
  await (await oracle.initialize(A.superstate, SANDBOX_SEED.ustbMaximumAcceptablePriceDelta)).wait();
  await (await ustb.initialize(A.superstate, allowList, oracle, SANDBOX_SEED.ustbMaximumOracleDelaySeconds)).wait();
  await (
    await redemptionIdle.initialize(A.superstate, ustb, usdc, oracle, SANDBOX_SEED.ustbMaximumOracleDelaySeconds)
  ).wait();

  const registry = SandboxDSRegistry__factory.connect(book.BUIDL_REGISTRY, deployer);
  const buidl = SandboxDSToken__factory.connect(book.BUIDL, deployer);
  const buidlI = SandboxDSToken__factory.connect(book.BUIDL_I, deployer);
  const facility = SandboxBuidlRedemption__factory.connect(book.BUIDL_REDEMPTION, deployer);
  await (await registry.initialize(A.securitize)).wait();
  await (
    await buidl.initialize("BlackRock USD Institutional Digital Liquidity Fund", "BUIDL", A.securitize, registry)
  ).wait();
  await (
    await buidlI.initialize(
      "BlackRock USD Institutional Digital Liquidity Fund - I Class",
      "BUIDL-I",
      A.securitize,
      registry,
    )
  ).wait();
  await (await facility.initialize(A.securitize, buidl, usdc)).wait();

  const root = A.centrifugeRoot;
  const restrictionManager = SandboxRestrictionManager__factory.connect(book.CENTRIFUGE_RESTRICTION_MANAGER, deployer);
  const jtrsy = SandboxTrancheToken__factory.connect(book.JTRSY, deployer);
  const escrow = SandboxEscrow__factory.connect(book.CENTRIFUGE_ESCROW, deployer);
  const poolManager = SandboxPoolManager__factory.connect(poolManagerAddress, deployer);
  const investmentManager = SandboxInvestmentManager__factory.connect(book.CENTRIFUGE_INVESTMENT_MANAGER, deployer);
  const jtrsyVault = SandboxERC7540Vault__factory.connect(book.JTRSY_VAULT, deployer);
  await (await restrictionManager.initialize(root)).wait();
  await (await jtrsy.initialize("Janus Henderson Anemoy Treasury Fund", "JTRSY", root, restrictionManager)).wait();
  await (await escrow.initialize(root)).wait();
  await (await poolManager.initialize(root)).wait();
  await (await investmentManager.initialize(root, poolManager, escrow)).wait();
  await (
    await jtrsyVault.initialize(
      JTRSY_IDS.poolId,
      JTRSY_IDS.trancheId,
      usdc,
      jtrsy,
      investmentManager,
      escrow,
      poolManager,
    )
  ).wait();

  const usds = SandboxUSDS__factory.connect(book.USDS, deployer);
  const susds = SandboxSUSDS__factory.connect(book.SUSDS, deployer);
  const psm = SandboxUsdsPsmWrapper__factory.connect(book.USDS_PSM_WRAPPER, deployer);
  await (await usds.initialize(A.sky)).wait();
  await (await susds.initialize(A.sky, usds, SANDBOX_SEED.ssr)).wait();
  await (await psm.initialize(A.sky, usdc, usds)).wait();

  // --- issuer-side wiring, done by the issuers' admins
  await actAs(A.superstate, async (admin) => {
    await (await ustb.connect(admin).setStablecoinConfig(usdc, A.superstateSweep, 0)).wait();
    await (await ustb.connect(admin).setRedemptionContract(redemptionIdle)).wait();
    await (await allowList.connect(admin).setProtocolAddressPermission(redemptionIdle, "USTB", true)).wait();
    const now = BigInt((await rpc.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    const [first, second] = SANDBOX_SEED.ustbNavs;
    await (await oracle.connect(admin).addCheckpoint(now - 86_400n, now + 1n, first, false)).wait();
    await (await oracle.connect(admin).addCheckpoint(now - 1n, now + 2n, second, false)).wait();
  });
  await actAs(A.securitize, async (admin) => {
    await (await buidl.connect(admin).setPlatformWallet(facility, true)).wait();
    await (await buidlI.connect(admin).setPlatformWallet(book.BUIDL_I_REDEMPTION, true)).wait();
  });
  await actAs(root, async (admin) => {
    await (await jtrsy.connect(admin).rely(jtrsyVault)).wait();
    await (await restrictionManager.connect(admin).endorse(escrow)).wait();
    await (await escrow.connect(admin).approveMax(usdc, jtrsyVault)).wait();
    await (
      await poolManager
        .connect(admin)
        .registerVault(JTRSY_IDS.poolId, JTRSY_IDS.trancheId, JTRSY_IDS.usdcAssetId, usdc, jtrsyVault)
    ).wait();
    const now = BigInt((await rpc.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    await (
      await poolManager
        .connect(admin)
        .updateTranchePrice(JTRSY_IDS.poolId, JTRSY_IDS.trancheId, JTRSY_IDS.usdcAssetId, SANDBOX_SEED.jtrsyPrice, now)
    ).wait();
  });
  await actAs(A.sky, async (admin) => {
    await (await usds.connect(admin).rely(susds)).wait();
    await (await usds.connect(admin).rely(psm)).wait();
  });

  step("initialised and wired");

  // The second USTB checkpoint becomes effective two seconds after it was added.
  if (placement === "mainnet") {
    await rpc.send("evm_increaseTime", [2]);
    await rpc.send("evm_mine", []);
  } else {
    await new Promise((resolve) => setTimeout(resolve, 2_500));
  }
  return book;
}

export class SandboxInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxInstallError";
  }
}

/**
 * The emulated mainnet on an in-process Hardhat network: sandbox issuers at the real addresses.
 * Idempotent on one chain: when the sandbox is already there it returns its book. Refuses to install
 * over foreign code (a real fork), which would corrupt it.
 */
export async function installEmulatedMainnet(rpc: JsonRpcLike, deployer: Signer, actAs: ActAs): Promise<IssuerBook> {
  const existing: string = await rpc.send("eth_getCode", [MAINNET.USDC, "latest"]);
  if (existing !== "0x") {
    const factory = new SandboxUSDC__factory(deployer);
    const probe = await factory.deploy();
    await probe.waitForDeployment();
    const ours: string = await rpc.send("eth_getCode", [await probe.getAddress(), "latest"]);
    if (existing !== ours) {
      throw new SandboxInstallError(
        `a contract that is not the sandbox USDC is already at ${MAINNET.USDC} (is this a mainnet fork?); ` +
          "on a fork use the real issuers, do not install the sandbox",
      );
    }
    return { ...mainnetBook(), CENTRIFUGE_POOL_MANAGER: SANDBOX_ADMINS.centrifugePoolManager };
  }
  return installSandbox({ rpc, deployer, placement: "mainnet", admins: MAINNET_SANDBOX_ADMINS, actAs });
}

import { ContractFactory, type AddressLike, type Signer } from "ethers";
import { ReserveVault__factory, type ReserveVault } from "../../typechain-types";
import type { ReserveVaultLibraryAddresses } from "../../typechain-types/factories/contracts/vault/ReserveVault__factory";
import adapterOpsLibArtifact from "../../artifacts/contracts/libraries/AdapterOpsLib.sol/AdapterOpsLib.json";
import configLibArtifact from "../../artifacts/contracts/libraries/ConfigLib.sol/ConfigLib.json";
import isolationLibArtifact from "../../artifacts/contracts/libraries/IsolationLib.sol/IsolationLib.json";
import planLibArtifact from "../../artifacts/contracts/libraries/PlanLib.sol/PlanLib.json";

/** What `deployReserveVault` needs; every address is checksummed or an ethers `Addressable`. */
export interface DeployReserveVaultOptions {
  /** Pays for the deployment. */
  deployer: Signer;
  /** The stablecoin the vault holds (at most 18 decimals). */
  asset: AddressLike;
  /** Governance: receives DEFAULT_ADMIN_ROLE. */
  admin: AddressLike;
  name?: string;
  symbol?: string;
  /** Delay before a new admin can accept the role (AccessControlDefaultAdminRules). */
  adminTransferDelaySeconds?: bigint;
}

export interface VaultLibraries {
  planLib: string;
  adapterOpsLib: string;
  isolationLib: string;
  configLib: string;
}

export interface ReserveVaultDeployment {
  vault: ReserveVault;
  libraries: VaultLibraries;
}

/** The link references of ReserveVault's bytecode, by fully qualified library name. */
export function vaultLinks(libraries: VaultLibraries): ReserveVaultLibraryAddresses {
  return {
    "contracts/libraries/PlanLib.sol:PlanLib": libraries.planLib,
    "contracts/libraries/AdapterOpsLib.sol:AdapterOpsLib": libraries.adapterOpsLib,
    "contracts/libraries/IsolationLib.sol:IsolationLib": libraries.isolationLib,
    "contracts/libraries/ConfigLib.sol:ConfigLib": libraries.configLib,
  };
}

/**
 * Deploys the four linked libraries and a ReserveVault that uses them. Tests, the demo and real
 * deployments share this one path so the vault is always linked the same way.
 */
export async function deployReserveVault(options: DeployReserveVaultOptions): Promise<ReserveVaultDeployment> {
  const { deployer } = options;
  const deploy = async (artifact: { abi: unknown[]; bytecode: string }) => {
    const library = await new ContractFactory(artifact.abi as never, artifact.bytecode, deployer).deploy();
    await library.waitForDeployment();
    return library.getAddress();
  };
  // The libraries' functions take storage pointers, so they have no typed factories.
  const libraries: VaultLibraries = {
    planLib: await deploy(planLibArtifact),
    adapterOpsLib: await deploy(adapterOpsLibArtifact),
    isolationLib: await deploy(isolationLibArtifact),
    configLib: await deploy(configLibArtifact),
  };
  const factory = new ReserveVault__factory(vaultLinks(libraries), deployer);
  const vault = await factory.deploy(
    options.asset,
    options.name ?? "Reserve Router USDC",
    options.symbol ?? "rrUSDC",
    options.admin,
    options.adminTransferDelaySeconds ?? 0n,
  );
  await vault.waitForDeployment();
  return { vault, libraries };
}

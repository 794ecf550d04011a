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
 * The libraries ReserveVault links, in deployment order. Their functions take storage pointers, so
 * they have no typed factories: each is deployed from its artifact.
 */
export const VAULT_LIBRARIES: ReadonlyArray<{
  key: keyof VaultLibraries;
  label: string;
  contract: string;
  artifact: { abi: unknown[]; bytecode: string };
}> = [
  { key: "planLib", label: "PlanLib", contract: "contracts/libraries/PlanLib.sol:PlanLib", artifact: planLibArtifact },
  {
    key: "adapterOpsLib",
    label: "AdapterOpsLib",
    contract: "contracts/libraries/AdapterOpsLib.sol:AdapterOpsLib",
    artifact: adapterOpsLibArtifact,
  },
  {
    key: "isolationLib",
    label: "IsolationLib",
    contract: "contracts/libraries/IsolationLib.sol:IsolationLib",
    artifact: isolationLibArtifact,
  },
  {
    key: "configLib",
    label: "ConfigLib",
    contract: "contracts/libraries/ConfigLib.sol:ConfigLib",
    artifact: configLibArtifact,
  },
];

/** A library's deployment transaction (no constructor arguments). */
export function libraryFactory(artifact: { abi: unknown[]; bytecode: string }, deployer: Signer): ContractFactory {
  return new ContractFactory(artifact.abi as never, artifact.bytecode, deployer);
}

/**
 * Deploys the four linked libraries and a ReserveVault that uses them, in one go (tests, benches and
 * the demo; a real deployment goes through the journal in `system.ts`, linking the same way).
 */
export async function deployReserveVault(options: DeployReserveVaultOptions): Promise<ReserveVaultDeployment> {
  const { deployer } = options;
  const libraries = {} as VaultLibraries;
  for (const { key, artifact } of VAULT_LIBRARIES) {
    const library = await libraryFactory(artifact, deployer).deploy();
    await library.waitForDeployment();
    libraries[key] = await library.getAddress();
  }
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

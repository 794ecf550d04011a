import { ContractFactory, type AddressLike, type Signer } from "ethers";
import { ReserveVault__factory, type ReserveVault } from "../../typechain-types";
import adapterOpsLibArtifact from "../../artifacts/contracts/libraries/AdapterOpsLib.sol/AdapterOpsLib.json";
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

export interface ReserveVaultDeployment {
  vault: ReserveVault;
  libraries: { planLib: string; adapterOpsLib: string };
}

/**
 * Deploys the two linked libraries and a ReserveVault that uses them. Tests, the demo and real
 * deployments share this one path so the vault is always linked the same way.
 */
export async function deployReserveVault(options: DeployReserveVaultOptions): Promise<ReserveVaultDeployment> {
  const { deployer } = options;
  // PlanLib's only function takes storage pointers, so it has no ABI and no typed factory.
  const planLib = await new ContractFactory(planLibArtifact.abi, planLibArtifact.bytecode, deployer).deploy();
  await planLib.waitForDeployment();
  const adapterOpsLib = await new ContractFactory(
    adapterOpsLibArtifact.abi,
    adapterOpsLibArtifact.bytecode,
    deployer,
  ).deploy();
  await adapterOpsLib.waitForDeployment();
  const libraries = {
    planLib: await planLib.getAddress(),
    adapterOpsLib: await adapterOpsLib.getAddress(),
  };
  const factory = new ReserveVault__factory(
    {
      "contracts/libraries/PlanLib.sol:PlanLib": libraries.planLib,
      "contracts/libraries/AdapterOpsLib.sol:AdapterOpsLib": libraries.adapterOpsLib,
    },
    deployer,
  );
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

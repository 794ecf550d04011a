import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { PreflightError, isLocal } from "./preflight";
import type { Deployment } from "./system";
import { vaultLinks } from "./vault";

/**
 * Publishes the source of every contract a deployment recorded on the network's block explorer, with
 * hardhat-verify, from the recorded constructor arguments (and the vault's linked libraries).
 */
export async function publishSources(
  hre: HardhatRuntimeEnvironment,
  deployment: Deployment,
  say: (line: string) => void,
): Promise<void> {
  if (isLocal(hre.network.name) && !process.env.EXPLORER_API_URL) {
    throw new PreflightError(
      "--explorer",
      `${hre.network.name} has no block explorer; publish sources from sepolia or mainnet (or set EXPLORER_API_URL to an Etherscan-compatible API)`,
    );
  }
  const key = hre.config.etherscan?.apiKey;
  if (!key || (typeof key === "object" && Object.keys(key).length === 0)) {
    throw new PreflightError(
      "ETHERSCAN_API_KEY",
      "is not set, so the sources cannot be published; create a key at https://etherscan.io/myapikey, export ETHERSCAN_API_KEY=<key> and rerun with --verify-only --explorer",
    );
  }
  for (const [i, source] of deployment.sources.entries()) {
    say(`publishing ${i + 1}/${deployment.sources.length}: ${source.label} ${source.address}`);
    await hre.run("verify:verify", {
      address: source.address,
      contract: source.contract,
      constructorArguments: source.args,
      ...(source.label === "ReserveVault" ? { libraries: vaultLinks(deployment.libraries) } : {}),
    });
  }
  say(`published the sources of ${deployment.sources.length} contracts`);
}

import { FetchRequest, JsonRpcProvider, Wallet, type Signer } from "ethers";
import { ConfigError, type KeeperConfig } from "../config/keeper";
import { networkSettings } from "../config/environment";
import { RpcDispatcher, ethersGetUrl } from "../net/rpcDispatcher";

/** The RPC URL a network name stands for, unless the config or KEEPER_RPC_URL gives one. */
export function defaultRpcUrl(network: string): string | undefined {
  const settings = networkSettings();
  if (network === "localhost") return settings.localhostUrl;
  if (network === "sepolia") return settings.sepolia?.url;
  return undefined;
}

export function providerFor(config: KeeperConfig): JsonRpcProvider {
  // Our transport: never reuses a connection the node may have closed, retries what is safe to retry.
  const connection = new FetchRequest(config.rpcUrl);
  const dispatcher = new RpcDispatcher(config.rpcUrl);
  connection.getUrlFunc = ethersGetUrl(dispatcher);
  // No response cache: a cached eth_getTransactionCount would hand two transactions the same nonce.
  const provider = new JsonRpcProvider(connection, undefined, {
    staticNetwork: false,
    batchMaxCount: 50,
    cacheTimeout: -1,
  });
  const destroy = provider.destroy.bind(provider);
  provider.destroy = () => {
    destroy();
    void dispatcher.destroy();
  };
  return provider;
}

/** The keeper's signer from its private key or encrypted keystore. */
export async function signerFor(config: KeeperConfig, provider: JsonRpcProvider): Promise<Signer> {
  const secret = config.secret;
  if (!secret) throw new ConfigError("KEEPER_PRIVATE_KEY", "no key configured");
  if (secret.kind === "privateKey") return new Wallet(secret.privateKey, provider);
  try {
    return (await Wallet.fromEncryptedJson(secret.json, secret.password)).connect(provider);
  } catch {
    throw new ConfigError("KEEPER_KEYSTORE_PASSWORD", "the passphrase does not decrypt the keystore");
  }
}

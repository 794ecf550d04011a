/**
 * Gives Hardhat's HTTP networks our RPC transport. Hardhat's provider extenders receive the bare HTTP
 * provider before Hardhat wraps it with accounts and gas handling, so swapping it here keeps every
 * wrapper; the HTTP provider's fifth argument (its dispatcher) is how Hardhat's own node connects to
 * itself. Registered only when a CLI picked an HTTP network (HARDHAT_NETWORK): with any extender
 * Hardhat adds a gas-price wrapper to the in-process network too, which the test suite must not get.
 */
import type { EIP1193Provider, HardhatConfig, HttpNetworkConfig } from "hardhat/types";
import { RpcDispatcher } from "./rpcDispatcher";

export async function withRpcTransport(
  provider: EIP1193Provider,
  config: HardhatConfig,
  network: string,
): Promise<EIP1193Provider> {
  const net = config.networks[network];
  if (!net || !("url" in net)) return provider;
  const http = net as HttpNetworkConfig;
  const { HttpProvider } = await import("hardhat/internal/core/providers/http");
  return new HttpProvider(http.url, network, http.httpHeaders, http.timeout, new RpcDispatcher(http.url));
}

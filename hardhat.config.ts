import "@nomicfoundation/hardhat-toolbox";
import { availableParallelism } from "node:os";
import { extendProvider, subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import { forkSettings, localChainId, localChainStart, networkSettings } from "./src/config/environment";
import { hardforkAt, mainnetHardforkHistory } from "./src/config/hardforks";
import { withRpcTransport } from "./src/net/hardhatTransport";

// The compiler comes from the npm `solc` package (wasm) pinned in package.json: our machines and
// CI reach no compiler download host, so Hardhat must never try to fetch one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const solcPackage = require("solc/package.json") as { version: string };
const SOLC_VERSION = solcPackage.version;

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(
      `solc ${args.solcVersion} was requested but the npm solc package is ${SOLC_VERSION}; ` +
        `set solidity.version in hardhat.config.ts to ${SOLC_VERSION} or change the solc pin in package.json`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

// Our CLIs (issuer, deploy) select their network through HARDHAT_NETWORK; on an HTTP network their
// JSON-RPC goes through src/net's transport, which never writes into a connection the node may have
// closed while the CLI was busy (see src/net/rpcDispatcher.ts).
if (process.env.HARDHAT_NETWORK && process.env.HARDHAT_NETWORK !== "hardhat") extendProvider(withRpcTransport);

// Real-fork mode: with MAINNET_RPC_URL set, the in-process network forks mainnet at FORK_BLOCK.
const fork = forkSettings();
const networks = networkSettings();
// A local chain whose clock starts in the past (LOCAL_CHAIN_START), as a fork of a past block's does.
const chainStart = localChainStart();
// A local chain that reports another chain id (LOCAL_CHAIN_ID=1: a fork source, see scripts/fork-local.ts).
const chainId = localChainId();

/**
 * Source verification: Etherscan's multichain API with one key, or (EXPLORER_API_URL) an
 * Etherscan-compatible explorer of the chosen network's chain, which takes the key for that network.
 */
function explorerSettings(apiKey: string, explorer: { apiUrl: string; chainId: number } | undefined) {
  if (!explorer) return { apiKey };
  const network = process.env.HARDHAT_NETWORK ?? "localhost";
  const browserURL = new URL(explorer.apiUrl).origin;
  return {
    apiKey: { [network]: apiKey },
    customChains: [{ network, chainId: explorer.chainId, urls: { apiURL: explorer.apiUrl, browserURL } }],
  };
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 500 },
    },
  },
  networks: {
    hardhat: {
      // A fork runs under its block's hardfork (Prague from May 2025, Osaka from December 2025), calls at
      // older blocks under theirs; the emulated mainnet runs as mainnet does today.
      hardfork: fork ? hardforkAt(fork.blockNumber) : "osaka",
      chains: { 1: { hardforkHistory: mainnetHardforkHistory() } },
      ...(fork ? { forking: { url: fork.url, blockNumber: fork.blockNumber } } : {}),
      ...(chainStart ? { initialDate: chainStart } : {}),
      ...(chainId ? { chainId } : {}),
    },
    localhost: {
      url: networks.localhostUrl,
    },
    ...(networks.sepolia ? { sepolia: { url: networks.sepolia.url, accounts: networks.sepolia.accounts } } : {}),
    ...(networks.mainnet ? { mainnet: { url: networks.mainnet.url, accounts: networks.mainnet.accounts } } : {}),
  },
  ...(networks.etherscanApiKey ? { etherscan: explorerSettings(networks.etherscanApiKey, networks.explorer) } : {}),
  sourcify: { enabled: false },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
  },
  mocha: {
    timeout: 120_000,
    // `npm test` runs files in parallel (`--parallel`): at least two workers, as on a two-core machine
    // mocha would otherwise start one. Each worker has its own in-process network; coverage runs serially.
    jobs: Math.max(2, availableParallelism() - 1),
    // Each file starts from mainnet as the tests see it, whatever ran before it in the process: the
    // workers of a parallel run load the root hooks from `require`; a serial run takes them here, read
    // when the hook runs (the hooks use Hardhat, which this file must not load).
    require: ["hardhat/register", "./test/helpers/root-hooks.ts"],
    rootHooks: {
      beforeAll(this: Mocha.Context) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const hooks = require("./test/helpers/root-hooks") as typeof import("./test/helpers/root-hooks");
        return hooks.mochaHooks.beforeAll.call(this);
      },
    },
  },
};

export default config;

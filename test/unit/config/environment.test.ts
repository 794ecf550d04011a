import { expect } from "chai";
import {
  DEFAULT_FORK_BLOCK,
  EnvironmentError,
  forkSettings,
  localChainId,
  localChainStart,
  networkSettings,
} from "../../../src/config/environment";
import { mochaCounts } from "../../../scripts/fork-local";

describe("toolchain environment: every variable validated, named in the error with its fix", function () {
  const url = "http://127.0.0.1:8545";

  it("fork settings: none without MAINNET_RPC_URL; the default block and source with it", function () {
    expect(forkSettings({})).to.equal(undefined);
    expect(forkSettings({ MAINNET_RPC_URL: url })).to.deep.equal({
      url,
      blockNumber: DEFAULT_FORK_BLOCK,
      source: "mainnet",
    });
    expect(forkSettings({ MAINNET_RPC_URL: url, FORK_BLOCK: "22302051", FORK_SOURCE: "emulated" })).to.deep.equal({
      url,
      blockNumber: 22_302_051,
      source: "emulated",
    });
  });

  it("fork settings: a bad or orphaned variable is refused, naming it", function () {
    const refused = (env: NodeJS.ProcessEnv, variable: string, text: RegExp) => {
      expect(() => forkSettings(env))
        .to.throw(EnvironmentError, text)
        .with.property("variable", variable);
    };
    refused({ MAINNET_RPC_URL: "archive-node" }, "MAINNET_RPC_URL", /http\(s\) URL/);
    refused({ MAINNET_RPC_URL: url, FORK_BLOCK: "-1" }, "FORK_BLOCK", /positive block number/);
    refused({ MAINNET_RPC_URL: url, FORK_SOURCE: "sandbox" }, "FORK_SOURCE", /"mainnet".*"emulated"/);
    refused({ FORK_BLOCK: "1" }, "FORK_BLOCK", /MAINNET_RPC_URL is not/);
    refused({ FORK_SOURCE: "emulated" }, "FORK_SOURCE", /MAINNET_RPC_URL is not/);
  });

  it("a local chain's id and start date", function () {
    expect(localChainId({})).to.equal(undefined);
    expect(localChainId({ LOCAL_CHAIN_ID: "1" })).to.equal(1);
    for (const bad of ["0", "01", "one", "1.5"]) {
      expect(() => localChainId({ LOCAL_CHAIN_ID: bad }), bad).to.throw(
        EnvironmentError,
        /LOCAL_CHAIN_ID: .*positive integer/,
      );
    }
    expect(localChainStart({ LOCAL_CHAIN_START: "2024-08-01T00:00:00Z" })).to.equal("2024-08-01T00:00:00.000Z");
    expect(() => localChainStart({ LOCAL_CHAIN_START: "August 2024" })).to.throw(EnvironmentError, /ISO 8601/);
  });

  it("an Etherscan-compatible explorer: its API URL and chain id go together", function () {
    expect(networkSettings({}).explorer).to.equal(undefined);
    expect(
      networkSettings({ EXPLORER_API_URL: "https://explorer.example/api", EXPLORER_CHAIN_ID: "11155111" }).explorer,
    ).to.deep.equal({ apiUrl: "https://explorer.example/api", chainId: 11_155_111 });
    expect(() => networkSettings({ EXPLORER_API_URL: "https://explorer.example/api" })).to.throw(
      "EXPLORER_CHAIN_ID: goes with the other",
    );
    expect(() => networkSettings({ EXPLORER_CHAIN_ID: "1" })).to.throw("EXPLORER_API_URL: goes with the other");
    expect(() => networkSettings({ EXPLORER_API_URL: "explorer", EXPLORER_CHAIN_ID: "1" })).to.throw(
      "EXPLORER_API_URL: must be the http(s) URL",
    );
    expect(() => networkSettings({ EXPLORER_API_URL: "https://e.example/api", EXPLORER_CHAIN_ID: "one" })).to.throw(
      "EXPLORER_CHAIN_ID: must be the explorer's chain id",
    );
  });

  it("the fork-mode runner reads mocha's summary, and a missing count is zero", function () {
    const output = "\n  129 passing (39s)\n  2 pending\n  1 failing\n\n  1) a test\n";
    expect(mochaCounts(output)).to.deep.equal({ passing: 129, failing: 1, pending: 2 });
    expect(mochaCounts("  7 passing (1s)\n")).to.deep.equal({ passing: 7, failing: 0, pending: 0 });
    expect(mochaCounts("Error: HH700: artifact not found")).to.deep.equal({ passing: 0, failing: 0, pending: 0 });
  });
});

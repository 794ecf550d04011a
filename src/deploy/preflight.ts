import { existsSync } from "node:fs";
import { formatEther, formatUnits, getAddress, type Provider } from "ethers";
import { formatAmount, formatBps, formatCount, formatDuration, formatPerDay, tokenUnits } from "../cli/units";
import { mainnetBook, type IssuerBook } from "../issuers/book";
import { readRecord, recordPath } from "../issuers/record";
import type { PlannedStep } from "./journal";
import { addressFields, resolve, type DeployParams } from "./params";
import { FieldError } from "../cli/fieldError";
import { probeChainId, RpcUnreachable } from "../net/probe";
import { keeperLossBound } from "./keeperBound";

/**
 * Everything checked before a deployment sends its first transaction — in a dry run and a real run
 * alike: the RPC answers and is the network's chain, the issuer book is this chain's, every address
 * holds what it should, the parameters suit the network, the deployer can pay.
 */

export class PreflightError extends FieldError {}

/** Several problems found at once; each names its field and fix. */
export class PreflightProblems extends Error {
  constructor(readonly problems: PreflightError[]) {
    super(problems.map((p) => p.message).join("\n"));
    this.name = "PreflightProblems";
  }
}

const LOCAL = new Set(["hardhat", "localhost"]);

export function isLocal(network: string): boolean {
  return LOCAL.has(network);
}

/** The chain id a named network must answer with (local nodes: 31337, or LOCAL_CHAIN_ID). */
export function expectedChainId(network: string, env: NodeJS.ProcessEnv = process.env): bigint | undefined {
  if (network === "mainnet") return 1n;
  if (network === "sepolia") return 11_155_111n;
  if (isLocal(network)) return BigInt(env.LOCAL_CHAIN_ID || 31_337);
  return undefined;
}

/** The environment variable that names a network's RPC URL. */
export function rpcVariable(network: string): string {
  if (network === "mainnet") return "MAINNET_DEPLOY_RPC_URL";
  if (network === "sepolia") return "SEPOLIA_RPC_URL";
  return "LOCALHOST_RPC_URL";
}

/**
 * Asks the RPC for its chain id with a short timeout (before anything retries) and compares it with
 * the network's. Returns the chain id.
 */
export async function checkRpc(network: string, url: string | undefined): Promise<bigint> {
  const variable = rpcVariable(network);
  if (!url) throw new PreflightError(variable, `is not set; set it to the RPC URL of a ${network} node`);
  let chainId: bigint;
  try {
    chainId = await probeChainId(url);
  } catch (error) {
    if (!(error instanceof RpcUnreachable)) throw error;
    throw new PreflightError(
      variable,
      `${error.message}; start the node or set ${variable} to a reachable ${network} RPC URL`,
    );
  }
  const expected = expectedChainId(network);
  if (expected !== undefined && chainId !== expected) {
    throw new PreflightError(
      variable,
      `--network ${network} is chain ${expected} but ${url} is chain ${chainId}; point ${variable} at a ${network} node or choose the network this RPC serves`,
    );
  }
  return chainId;
}

/**
 * The issuer book for this chain: the sandbox recorded for the network (it must have been deployed on
 * this chain), else mainnet's — on chain 1, or on a local node that is a fork of mainnet. Never
 * mainnet's book on a chain that does not host it.
 */
export async function chooseBook(options: {
  network: string;
  deployments: string;
  sandboxFile?: string;
  chainId: bigint;
  provider: Provider;
}): Promise<{ book: IssuerBook; source: string }> {
  const file = options.sandboxFile ?? recordPath(options.deployments, options.network);
  if (existsSync(file)) {
    const record = readRecord(options.deployments, options.network, file);
    if (BigInt(record.chainId) !== options.chainId) {
      throw new PreflightError(
        "--sandbox",
        `${file} records sandbox issuers on chain ${record.chainId} but this RPC is chain ${options.chainId}; ` +
          `redeploy them (npm run issuer -- --network ${options.network} deploy) or point the RPC at chain ${record.chainId}`,
      );
    }
    return { book: record.book, source: `sandbox ${file} (deployed ${record.deployedAt})` };
  }
  const mainnet = mainnetBook();
  if (options.chainId === 1n) return { book: mainnet, source: "mainnet (chain 1)" };
  if (isLocal(options.network) && (await options.provider.getCode(mainnet.USDC)) !== "0x") {
    return { book: mainnet, source: "mainnet (this node is a fork of mainnet: USDC has code)" };
  }
  throw new PreflightError(
    "--sandbox",
    `no issuer book for ${options.network} (chain ${options.chainId}): ${file} does not exist and this chain does not host the mainnet issuers; ` +
      `deploy the sandbox issuers first (npm run issuer -- --network ${options.network} deploy) or pass --sandbox <file>`,
  );
}

/** The checks that read the chain: code where contracts must be, governance, the timelock. */
export async function checkChainState(
  params: DeployParams,
  book: IssuerBook,
  provider: Provider,
  context: { network: string; chainId: bigint; deployer: string },
): Promise<void> {
  const problems: PreflightError[] = [];
  for (const { field, value, issuer } of addressFields(params)) {
    if (!issuer) continue;
    const address = resolve(value, book, field);
    if ((await provider.getCode(address)) === "0x") {
      const named = address === value ? "" : ` (resolved from "${value}")`;
      problems.push(
        new PreflightError(
          field,
          `no contract at ${address}${named} on chain ${context.chainId}; check the address or the issuer book`,
        ),
      );
    }
  }
  const governance = resolve(params.governance, book, "governance");
  if (governance === getAddress(context.deployer)) {
    problems.push(
      new PreflightError(
        "governance",
        "is the deployer; give the TimelockController or Safe that will govern the vault",
      ),
    );
  }
  if (context.chainId === 1n && !isLocal(context.network) && (await provider.getCode(governance)) === "0x") {
    problems.push(
      new PreflightError(
        "governance",
        `${governance} is not a contract; on mainnet governance must be a TimelockController or a Safe — deploy it first`,
      ),
    );
  }
  if (!isLocal(context.network) && params.vault.timelockSeconds === 0) {
    problems.push(
      new PreflightError(
        "vault.timelockSeconds",
        `is 0 on ${context.network}, which lets a curator change weights and limits at once; set at least 3600 (a day, 86400, is usual)`,
      ),
    );
  }
  if (problems.length > 0) throw new PreflightProblems(problems);
}

/** Refuses when the deployer cannot pay for the steps still to send at today's fee. */
export async function checkBalance(
  steps: PlannedStep[],
  provider: Provider,
  deployer: string,
): Promise<{ gas: bigint; fee: bigint; cost: bigint; balance: bigint }> {
  const gas = steps.filter((s) => s.state === "to send").reduce((sum, s) => sum + s.gas, 0n);
  const data = await provider.getFeeData();
  const fee = data.maxFeePerGas ?? data.gasPrice ?? 0n;
  const cost = gas * fee;
  const balance = await provider.getBalance(deployer);
  if (balance < cost) {
    throw new PreflightError(
      "deployer",
      `${deployer} holds ${formatEther(balance)} ETH; the ${steps.filter((s) => s.state === "to send").length} transactions ` +
        `to send need up to ${formatEther(cost)} ETH (${formatCount(gas)} gas at ${formatUnits(fee, "gwei")} gwei): fund the deployer`,
    );
  }
  return { gas, fee, cost, balance };
}

/** The parameters as a person reads them: addresses resolved (with their book names), amounts in units. */
export async function describeParams(params: DeployParams, book: IssuerBook, provider: Provider): Promise<string[]> {
  const asset = resolve(params.asset, book, "asset");
  const { decimals, symbol } = await tokenUnits(provider, asset);
  const money = (base: string | bigint) => formatAmount(BigInt(base), decimals, symbol);
  const named = (value: string, field: string) => {
    const address = resolve(value, book, field);
    return address === value ? address : `${value} ${address}`;
  };
  const v = params.vault;
  const lines = [
    `vault "${params.name}" (${params.symbol}) over ${symbol} ${asset} (${decimals} decimals)`,
    `  governance ${named(params.governance, "governance")}, admin transfer delay ${formatDuration(params.adminTransferDelaySeconds)}`,
    `  curators ${params.roles.curators.map((c, i) => named(c, `roles.curators[${i}]`)).join(", ")}`,
    `  keepers ${params.roles.keepers.map((c, i) => named(c, `roles.keepers[${i}]`)).join(", ") || "none (grant KEEPER_ROLE later)"}`,
    `  guardians ${params.roles.guardians.map((c, i) => named(c, `roles.guardians[${i}]`)).join(", ")}`,
    `  buffer ${formatBps(v.bufferBps)}, drift band ${formatBps(v.driftBandBps)} (at least ${money(v.minMove)}), ` +
      `rebalance loss at most ${formatBps(v.maxRebalanceLossBps)}, gains unlock over ${formatDuration(v.profitUnlockSeconds)}, ` +
      `timelock ${v.timelockSeconds === 0 ? "none" : formatDuration(v.timelockSeconds)}`,
    `  redemption queue: requests of at least ${money(params.redeemQueue.minRequestAssets)}, overdue after ${formatDuration(params.redeemQueue.maxQueueAgeSeconds)}`,
  ];
  for (const [i, a] of params.adapters.entries()) {
    const f = `adapters[${i}]`;
    const where =
      a.kind === "ustb"
        ? `USTB ${named(a.ustb, `${f}.ustb`)}, RedemptionIdle ${named(a.redemption, `${f}.redemption`)}`
        : a.kind === "buidl"
          ? `token ${named(a.token, `${f}.token`)}` +
            (a.registry
              ? `, registry ${named(a.registry, `${f}.registry`)}`
              : ", a Superstate token (its AllowList; redeemed by offchainRedeem)") +
            (a.navFeed
              ? `, priced by the NAV feed ${named(a.navFeed.feed, `${f}.navFeed.feed`)} (answers at most ${formatDuration(a.navFeed.maxAgeSeconds)} old)`
              : ", at $1 a token") +
            `, deposits to ${named(a.depositAddress, `${f}.depositAddress`)}` +
            (a.redemptionAddress ? `, redeems to ${named(a.redemptionAddress, `${f}.redemptionAddress`)}` : "") +
            (a.facility ? `, Circle's facility ${named(a.facility, `${f}.facility`)}` : "") +
            (a.offRamp ? `, Securitize's off-ramp ${named(a.offRamp, `${f}.offRamp`)}` : "") +
            (a.onRamp ? `, entries through Securitize's on-ramp ${named(a.onRamp, `${f}.onRamp`)}` : "") +
            `, minimum ticket ${money(a.minTicket)}`
          : `target ${named(a.target, `${f}.target`)}` +
            (a.kind === "erc4626" ? `, share price growth at most ${formatBps(a.maxRateGrowthBpsPerYear)}/year` : "");
    lines.push(
      `  adapter ${a.name} (${a.kind}): ${where}`,
      `    weight ${formatBps(a.weightBps)}, cap ${money(a.cap)}, rate limit ${money(a.rateLimit.maxAmount)} then ` +
        `${formatPerDay(BigInt(a.rateLimit.slopePerSecond), decimals, symbol)}, slippage at most ${formatBps(a.maxSlippageBps)}`,
      `    NAV at most ${formatDuration(a.navGuard.maxNavAgeSeconds)} old, a report moving it more than ${formatBps(a.navGuard.maxNavDeviationBps)} quarantines; ` +
        `requests overdue after ${formatDuration(a.maxRequestAgeSeconds)}`,
    );
  }
  lines.push(`  withdrawals draw on ${params.withdrawOrder.join(", ") || "idle only"}, in that order`);
  const bound = keeperLossBound(params);
  lines.push(
    bound.lossFirstDay === undefined
      ? `  a compromised keeper: unbounded, ${bound.adapters
          .filter((a) => a.lossFirstDay === undefined)
          .map((a) => a.name)
          .join(
            ", ",
          )} ha${bound.adapters.filter((a) => a.lossFirstDay === undefined).length === 1 ? "s" : "ve"} no rate limit (set rateLimit.maxAmount below 2^128 - 1)`
      : `  a compromised keeper can lose at most ${money(bound.lossFirstDay)} the first day and ${money(bound.lossPerDay!)} a day after ` +
          `(entries at their rate limits, each at its slippage bound: ${bound.adapters
            .map((a) => `${a.name} ${money(a.lossFirstDay!)} / ${money(a.lossPerDay!)}`)
            .join(", ")})`,
  );
  return lines;
}

/** The steps of a plan, one line each, with the gas and the total. */
export function describeSteps(steps: PlannedStep[], fee: bigint): string[] {
  const toSend = steps.filter((s) => s.state === "to send");
  const lines = [`transactions: ${toSend.length} to send, ${steps.length - toSend.length} already done`];
  let n = 0;
  for (const step of steps) {
    const mark = step.state === "to send" ? String((n += 1)).padStart(3) : "  -";
    const gas = step.state === "to send" ? `${step.bounded ? "≤ " : "≈ "}${formatCount(step.gas)} gas` : step.state;
    lines.push(`${mark} ${step.label}${step.address ? ` → ${step.address}` : ""}  (${gas})`);
  }
  const gas = toSend.reduce((sum, s) => sum + s.gas, 0n);
  lines.push(
    `total ≤ ${formatCount(gas)} gas; at ${formatUnits(fee, "gwei")} gwei at most ${formatEther(gas * fee)} ETH`,
  );
  return lines;
}

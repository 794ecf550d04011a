import { Contract, getAddress, type Provider, type Signer } from "ethers";
import type { IssuerBook } from "../issuers/book";
import type { IssuerDriver } from "../issuers/driver";
import { deployReserveVault, type VaultLibraries } from "../testing/deployVault";
import {
  BuidlAdapter__factory,
  Erc4626Adapter__factory,
  Erc7540Adapter__factory,
  RedeemQueue__factory,
  ReserveVault__factory,
  UstbAdapter__factory,
  type ReserveVault,
} from "../../typechain-types";
import { resolve, slippageWarning, type AdapterParams, type DeployParams } from "./params";

/** What a deployment produced, as recorded in deployments/<network>.json. */
export interface Deployment {
  network: string;
  chainId: string;
  deployer: string;
  /** The block the vault was deployed in: role history is read from here on. */
  blockNumber: number;
  vault: string;
  /** The vault's redemption queue (ERC-7540 asynchronous exits). */
  redeemQueue: string;
  libraries: VaultLibraries;
  adapters: Record<string, string>;
  /** Everything source verification needs: each contract with its constructor arguments. */
  sources: Array<{ label: string; address: string; contract: string; args: string[] }>;
}

export interface DeployContext {
  signer: Signer;
  book: IssuerBook;
  network: string;
  onStep?: (step: string) => void;
}

const ZERO = "0x0000000000000000000000000000000000000000";

/** Layer 1: deploys the linked libraries, the vault (the deployer as its first admin) and the adapters. */
export async function deploy(params: DeployParams, ctx: DeployContext): Promise<Deployment> {
  const step = ctx.onStep ?? (() => undefined);
  const deployer = await ctx.signer.getAddress();
  const provider = ctx.signer.provider!;
  const { vault, libraries } = await deployReserveVault({
    deployer: ctx.signer,
    asset: resolve(params.asset, ctx.book, "asset"),
    admin: deployer,
    name: params.name,
    symbol: params.symbol,
    adminTransferDelaySeconds: BigInt(params.adminTransferDelaySeconds),
  });
  const vaultAddress = await vault.getAddress();
  const receipt = await vault.deploymentTransaction()?.wait();
  step(`vault ${vaultAddress}`);
  const adapters: Record<string, string> = {};
  const sources: Deployment["sources"] = [
    { label: "PlanLib", address: libraries.planLib, contract: "contracts/libraries/PlanLib.sol:PlanLib", args: [] },
    {
      label: "AdapterOpsLib",
      address: libraries.adapterOpsLib,
      contract: "contracts/libraries/AdapterOpsLib.sol:AdapterOpsLib",
      args: [],
    },
    {
      label: "IsolationLib",
      address: libraries.isolationLib,
      contract: "contracts/libraries/IsolationLib.sol:IsolationLib",
      args: [],
    },
    {
      label: "ConfigLib",
      address: libraries.configLib,
      contract: "contracts/libraries/ConfigLib.sol:ConfigLib",
      args: [],
    },
    {
      label: "ReserveVault",
      address: vaultAddress,
      contract: "contracts/vault/ReserveVault.sol:ReserveVault",
      args: [
        resolve(params.asset, ctx.book, "asset"),
        params.name,
        params.symbol,
        deployer,
        String(params.adminTransferDelaySeconds),
      ],
    },
  ];
  const queueArgs = [
    vaultAddress,
    params.redeemQueue.minRequestAssets,
    String(params.redeemQueue.maxQueueAgeSeconds),
  ] as const;
  const queue = await new RedeemQueue__factory(ctx.signer).deploy(
    queueArgs[0],
    BigInt(queueArgs[1]),
    BigInt(queueArgs[2]),
  );
  await queue.waitForDeployment();
  const redeemQueue = await queue.getAddress();
  sources.push({
    label: "RedeemQueue",
    address: redeemQueue,
    contract: "contracts/vault/RedeemQueue.sol:RedeemQueue",
    args: [...queueArgs],
  });
  step(`redemption queue ${redeemQueue}`);
  for (const [i, adapter] of params.adapters.entries()) {
    const deployed = await deployAdapter(adapter, vaultAddress, params, ctx, `adapters[${i}]`);
    adapters[adapter.name] = deployed.address;
    sources.push({ label: adapter.name, ...deployed });
    step(`adapter ${adapter.name} ${deployed.address}`);
  }
  return {
    network: ctx.network,
    chainId: (await provider.getNetwork()).chainId.toString(),
    deployer,
    blockNumber: receipt?.blockNumber ?? (await provider.getBlockNumber()),
    vault: vaultAddress,
    redeemQueue,
    libraries,
    adapters,
    sources,
  };
}

async function deployAdapter(
  adapter: AdapterParams,
  vault: string,
  params: DeployParams,
  ctx: DeployContext,
  field: string,
): Promise<{ address: string; contract: string; args: string[] }> {
  const at = (value: string, name: string) => resolve(value, ctx.book, `${field}.${name}`);
  const asset = resolve(params.asset, ctx.book, "asset");
  let contract: { getAddress(): Promise<string>; waitForDeployment(): Promise<unknown> };
  let args: string[];
  let name: string;
  switch (adapter.kind) {
    case "ustb":
      args = [vault, asset, at(adapter.ustb, "ustb"), at(adapter.redemption, "redemption")];
      contract = await new UstbAdapter__factory(ctx.signer).deploy(args[0]!, args[1]!, args[2]!, args[3]!);
      name = "UstbAdapter";
      break;
    case "buidl":
      args = [
        vault,
        asset,
        at(adapter.token, "token"),
        at(adapter.registry, "registry"),
        at(adapter.depositAddress, "depositAddress"),
        adapter.redemptionAddress ? at(adapter.redemptionAddress, "redemptionAddress") : ZERO,
        adapter.facility ? at(adapter.facility, "facility") : ZERO,
        adapter.minTicket,
      ];
      contract = await new BuidlAdapter__factory(ctx.signer).deploy(
        args[0]!,
        args[1]!,
        args[2]!,
        args[3]!,
        args[4]!,
        args[5]!,
        args[6]!,
        BigInt(args[7]!),
      );
      name = "BuidlAdapter";
      break;
    case "erc7540":
      args = [vault, at(adapter.target, "target")];
      contract = await new Erc7540Adapter__factory(ctx.signer).deploy(args[0]!, args[1]!);
      name = "Erc7540Adapter";
      break;
    case "erc4626":
      args = [vault, at(adapter.target, "target"), String(adapter.maxRateGrowthBpsPerYear)];
      contract = await new Erc4626Adapter__factory(ctx.signer).deploy(args[0]!, args[1]!, BigInt(args[2]!));
      name = "Erc4626Adapter";
      break;
  }
  await contract.waitForDeployment();
  return { address: await contract.getAddress(), contract: `contracts/adapters/${name}.sol:${name}`, args };
}

/**
 * Layer 2: configures the vault as the parameters say — adapters listed with their limits and weights,
 * vault parameters, withdraw order, roles granted, the timelock set last — and, on sandbox networks,
 * allowlists each adapter at its issuer.
 */
export async function configure(
  params: DeployParams,
  deployment: Deployment,
  ctx: DeployContext & { driver?: IssuerDriver },
): Promise<void> {
  const step = ctx.onStep ?? (() => undefined);
  const vault = ReserveVault__factory.connect(deployment.vault, ctx.signer);
  const deployer = await ctx.signer.getAddress();
  const send = async (what: string, tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
    step(what);
  };
  await send("curator role to the deployer for configuration", vault.grantRole(await vault.CURATOR_ROLE(), deployer));

  for (const adapter of params.adapters) {
    const address = deployment.adapters[adapter.name]!;
    if (params.allowlistAtIssuers) {
      if (!ctx.driver) throw new Error("allowlistAtIssuers needs an issuer driver for this network");
      const product = productOf(adapter, ctx.book);
      if (product) await ctx.driver.allowlist(product, address);
      step(`allowlisted ${adapter.name} at its issuer`);
    }
    await send(`list ${adapter.name}`, vault.addAdapter(address));
    await send(
      `nav guard ${adapter.name}`,
      vault.setNavGuard(address, adapter.navGuard.maxNavAgeSeconds, adapter.navGuard.maxNavDeviationBps),
    );
    await send(`slippage ${adapter.name}`, vault.setMaxSlippage(address, adapter.maxSlippageBps));
    await send(`request age ${adapter.name}`, vault.setMaxRequestAge(address, adapter.maxRequestAgeSeconds));
    await send(`cap ${adapter.name}`, vault.setCap(address, BigInt(adapter.cap)));
    await send(
      `rate limit ${adapter.name}`,
      vault.setRateLimit(address, BigInt(adapter.rateLimit.maxAmount), BigInt(adapter.rateLimit.slopePerSecond)),
    );
    await send(`weight ${adapter.name}`, vault.setTargetWeight(address, adapter.weightBps));
  }
  const v = params.vault;
  await send("buffer", vault.setBuffer(v.bufferBps));
  await send("drift band", vault.setDriftBand(v.driftBandBps, BigInt(v.minMove)));
  await send("rebalance loss bound", vault.setMaxRebalanceLoss(v.maxRebalanceLossBps));
  await send("profit unlock", vault.setProfitUnlockTime(v.profitUnlockSeconds));
  await send("withdraw order", vault.setWithdrawOrder(params.withdrawOrder.map((name) => deployment.adapters[name]!)));
  await send("redemption queue", vault.setRedeemQueue(deployment.redeemQueue));
  for (const [role, list] of [
    [await vault.CURATOR_ROLE(), params.roles.curators],
    [await vault.KEEPER_ROLE(), params.roles.keepers],
    [await vault.GUARDIAN_ROLE(), params.roles.guardians],
  ] as const) {
    for (const who of list) await send(`role to ${who}`, vault.grantRole(role, resolve(who, ctx.book, "roles")));
  }
  await send("timelock", vault.setTimelock(v.timelockSeconds));
}

function productOf(adapter: AdapterParams, book: IssuerBook): "USTB" | "BUIDL" | "BUIDL_I" | "JTRSY" | undefined {
  if (adapter.kind === "ustb") return "USTB";
  if (adapter.kind === "erc7540") return "JTRSY";
  if (adapter.kind === "buidl")
    return resolve(adapter.token, book, "token") === getAddress(book.BUIDL_I) ? "BUIDL_I" : "BUIDL";
  return undefined;
}

/**
 * Layer 2b: hands the vault to governance. The deployer gives up the curator role it configured with
 * and starts the two-step admin transfer; governance completes it with `acceptDefaultAdminTransfer`
 * after the admin transfer delay, and from then the deployer holds nothing.
 */
export async function handover(params: DeployParams, deployment: Deployment, ctx: DeployContext): Promise<void> {
  const vault = ReserveVault__factory.connect(deployment.vault, ctx.signer);
  const deployer = await ctx.signer.getAddress();
  const governance = resolve(params.governance, ctx.book, "governance");
  if (governance === deployer) throw new Error("governance is the deployer: nothing to hand over");
  const curators = params.roles.curators.map((c) => resolve(c, ctx.book, "roles.curators"));
  if (!curators.includes(deployer)) await (await vault.renounceRole(await vault.CURATOR_ROLE(), deployer)).wait();
  await (await vault.beginDefaultAdminTransfer(governance)).wait();
  ctx.onStep?.(`admin transfer to ${governance} begun; governance accepts after the delay`);
}

/**
 * Layer 3: checks the post-state against the parameters and returns every discrepancy (empty when all
 * holds). Role holders are recomputed from the vault's RoleGranted/RoleRevoked history.
 */
export async function verify(
  params: DeployParams,
  deployment: Deployment,
  provider: Provider,
  book: IssuerBook,
  options: { handoverComplete: boolean; warn?: (message: string) => void },
): Promise<string[]> {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const vault = ReserveVault__factory.connect(deployment.vault, provider);
  check((await provider.getCode(deployment.vault)) !== "0x", `no code at the vault ${deployment.vault}`);
  check(
    getAddress(await vault.asset()) === resolve(params.asset, book, "asset"),
    "the vault's asset is not the configured one",
  );

  const governance = resolve(params.governance, book, "governance");
  const admin = getAddress(await vault.defaultAdmin());
  if (options.handoverComplete) {
    check(admin === governance, `the admin is ${admin}, not governance ${governance}`);
  } else {
    const [pending] = await vault.pendingDefaultAdmin();
    check(
      admin === governance || getAddress(pending) === governance,
      `no admin transfer to governance ${governance} is under way`,
    );
  }

  const holders = await roleHolders(vault, deployment.blockNumber);
  const intended = {
    [await vault.CURATOR_ROLE()]: ["curator", params.roles.curators],
    [await vault.KEEPER_ROLE()]: ["keeper", params.roles.keepers],
    [await vault.GUARDIAN_ROLE()]: ["guardian", params.roles.guardians],
  } as const;
  for (const [role, [label, list]] of Object.entries(intended)) {
    const want = new Set(list.map((who) => resolve(who, book, `roles.${label}s`)));
    const have = holders.get(role) ?? new Set<string>();
    for (const who of want) check(have.has(who), `${who} should be a ${label} and is not`);
    for (const who of have) check(want.has(who), `${who} holds the ${label} role but is not in the parameters`);
  }
  if (options.handoverComplete) {
    for (const [role, members] of holders) {
      check(!members.has(getAddress(deployment.deployer)), `the deployer still holds role ${role}`);
    }
  }

  const listed = (await vault.adapters()).map((a) => getAddress(a));
  check(
    listed.length === params.adapters.length,
    `${listed.length} adapters listed, ${params.adapters.length} configured`,
  );
  for (const adapter of params.adapters) {
    const address = deployment.adapters[adapter.name];
    if (!address) {
      problems.push(`adapter ${adapter.name} is missing from the deployment record`);
      continue;
    }
    const config = await vault.adapterConfig(address);
    const tag = `adapter ${adapter.name}`;
    check(config.listed, `${tag} is not listed`);
    check(
      Number(config.targetWeightBps) === adapter.weightBps,
      `${tag} weight is ${config.targetWeightBps}, configured ${adapter.weightBps}`,
    );
    check(config.cap === BigInt(adapter.cap), `${tag} cap is ${config.cap}, configured ${adapter.cap}`);
    check(config.rateLimit.maxAmount === BigInt(adapter.rateLimit.maxAmount), `${tag} rate-limit maximum differs`);
    check(
      config.rateLimit.slopePerSecond === BigInt(adapter.rateLimit.slopePerSecond),
      `${tag} rate-limit slope differs`,
    );
    check(Number(config.maxSlippageBps) === adapter.maxSlippageBps, `${tag} slippage bound differs`);
    const feeWarning = slippageWarning(adapter, Number(config.maxSlippageBps));
    if (feeWarning) options.warn?.(feeWarning);
    check(Number(config.maxNavAgeSeconds) === adapter.navGuard.maxNavAgeSeconds, `${tag} NAV age bound differs`);
    check(
      Number(config.maxRequestAgeSeconds) === adapter.maxRequestAgeSeconds,
      `${tag} maximum request age is ${config.maxRequestAgeSeconds} s, configured ${adapter.maxRequestAgeSeconds} s`,
    );
    check(
      Number(config.maxNavDeviationBps) === adapter.navGuard.maxNavDeviationBps,
      `${tag} NAV deviation bound differs`,
    );
    for (const problem of await wiringProblems(adapter, address, deployment.vault, provider, book))
      problems.push(`${tag}: ${problem}`);
  }
  const v = params.vault;
  check(Number(await vault.bufferBps()) === v.bufferBps, "buffer differs");
  check(Number(await vault.driftBandBps()) === v.driftBandBps, "drift band differs");
  check((await vault.minMove()) === BigInt(v.minMove), "minMove differs");
  check(Number(await vault.maxRebalanceLossBps()) === v.maxRebalanceLossBps, "rebalance loss bound differs");
  check(Number(await vault.profitUnlockSeconds()) === v.profitUnlockSeconds, "profit unlock time differs");
  check(Number(await vault.timelockSeconds()) === v.timelockSeconds, "timelock differs");
  check(
    getAddress(await vault.redeemQueue()) === getAddress(deployment.redeemQueue),
    `the vault's redemption queue is ${await vault.redeemQueue()}, recorded ${deployment.redeemQueue}`,
  );
  const queue = RedeemQueue__factory.connect(deployment.redeemQueue, provider);
  check(getAddress(await queue.share()) === getAddress(deployment.vault), "the redemption queue redeems another vault");
  check(
    (await queue.minRequestAssets()) === BigInt(params.redeemQueue.minRequestAssets),
    `the queue's minimum request is ${await queue.minRequestAssets()}, configured ${params.redeemQueue.minRequestAssets}`,
  );
  check(
    Number(await queue.maxQueueAgeSeconds()) === params.redeemQueue.maxQueueAgeSeconds,
    `the queue's deadline is ${await queue.maxQueueAgeSeconds()} s, configured ${params.redeemQueue.maxQueueAgeSeconds} s`,
  );
  const order = (await vault.withdrawOrder()).map((a) => getAddress(a));
  check(
    JSON.stringify(order) ===
      JSON.stringify(params.withdrawOrder.map((n) => deployment.adapters[n] && getAddress(deployment.adapters[n]!))),
    "withdraw order differs",
  );
  return problems;
}

async function roleHolders(vault: ReserveVault, fromBlock: number): Promise<Map<string, Set<string>>> {
  const holders = new Map<string, Set<string>>();
  const granted = await vault.queryFilter(vault.filters.RoleGranted(), fromBlock);
  const revoked = await vault.queryFilter(vault.filters.RoleRevoked(), fromBlock);
  const events = [...granted.map((e) => ({ e, add: true })), ...revoked.map((e) => ({ e, add: false }))].sort(
    (a, b) => a.e.blockNumber - b.e.blockNumber || a.e.index - b.e.index,
  );
  for (const { e, add } of events) {
    const role = e.args.role as string;
    const account = getAddress(e.args.account as string);
    const set = holders.get(role) ?? new Set<string>();
    if (add) set.add(account);
    else set.delete(account);
    holders.set(role, set);
  }
  return holders;
}

async function wiringProblems(
  adapter: AdapterParams,
  address: string,
  vault: string,
  provider: Provider,
  book: IssuerBook,
): Promise<string[]> {
  const problems: string[] = [];
  const read = async (signature: string): Promise<string> =>
    getAddress(
      (await new Contract(address, [`function ${signature} view returns (address)`], provider).getFunction(
        signature.split("(")[0]!,
      )()) as string,
    );
  const expect = async (signature: string, want: string, label: string) => {
    const have = await read(signature);
    if (have !== want) problems.push(`${label} is ${have}, expected ${want}`);
  };
  const at = (value: string) => resolve(value, book, adapter.name);
  await expect("vault()", getAddress(vault), "vault");
  if (adapter.kind === "ustb") {
    await expect("USTB()", at(adapter.ustb), "USTB");
    await expect("REDEMPTION()", at(adapter.redemption), "RedemptionIdle");
  } else if (adapter.kind === "buidl") {
    await expect("TOKEN()", at(adapter.token), "token");
    await expect("REGISTRY()", at(adapter.registry), "registry");
    await expect("DEPOSIT_ADDRESS()", at(adapter.depositAddress), "deposit address");
    await expect("FACILITY()", adapter.facility ? at(adapter.facility) : ZERO, "facility");
  } else {
    await expect("TARGET()", at(adapter.target), "target");
  }
  return problems;
}

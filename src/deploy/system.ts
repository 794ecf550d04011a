import {
  Contract,
  getAddress,
  id,
  ZeroAddress,
  ZeroHash,
  type Provider,
  type Signer,
  type TransactionRequest,
} from "ethers";
import type { IssuerBook } from "../issuers/book";
import type { AllowlistedProduct, IssuerDriver } from "../issuers/driver";
import { formatAmount, formatBps, formatDuration, formatPerDay, tokenUnits } from "../cli/units";
import { Journal } from "./journal";
import { libraryFactory, VAULT_LIBRARIES, vaultLinks, type VaultLibraries } from "./vault";
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
  /** Constructor arguments as strings; a struct argument (a BUIDL-family adapter's terms) as its fields. */
  sources: Array<{ label: string; address: string; contract: string; args: Array<string | string[]> }>;
}

export interface DeployContext {
  signer: Signer;
  book: IssuerBook;
  network: string;
  onStep?: (step: string) => void;
  /** Where each step is recorded as it completes (in memory when absent). */
  journal?: Journal<Deployment>;
}

/** The vault's roles (`keccak256` of their names, as ReserveVault defines them). */
export const ROLES = {
  curator: id("CURATOR_ROLE"),
  keeper: id("KEEPER_ROLE"),
  guardian: id("GUARDIAN_ROLE"),
} as const;

/** A role's name as the vault declares it (the zero hash is DEFAULT_ADMIN_ROLE). */
export function roleName(role: string): string {
  if (role === ZeroHash) return "DEFAULT_ADMIN_ROLE";
  const entry = Object.entries(ROLES).find(([, hash]) => hash === role);
  return entry ? `${entry[0].toUpperCase()}_ROLE` : role;
}

/** What allowlisting one adapter at its issuer may cost (a Superstate entity takes two calls). */
const ALLOWLIST_GAS_BOUND = 250_000;

async function journalOf(ctx: DeployContext): Promise<Journal<Deployment>> {
  if (ctx.journal) return ctx.journal;
  const provider = ctx.signer.provider!;
  return Journal.inMemory<Deployment>(
    {
      network: ctx.network,
      chainId: (await provider.getNetwork()).chainId.toString(),
      deployer: await ctx.signer.getAddress(),
    },
    ctx.signer,
    ctx.onStep,
  );
}

/**
 * Layer 1: deploys the linked libraries, the vault (the deployer as its first admin), its redemption
 * queue and the adapters. Each contract is one journal step: a rerun deploys only what is missing.
 */
export async function deploy(params: DeployParams, ctx: DeployContext): Promise<Deployment> {
  const journal = await journalOf(ctx);
  const deployer = await ctx.signer.getAddress();
  const asset = resolve(params.asset, ctx.book, "asset");
  const deployStep = async (id: string, label: string, request: () => Promise<TransactionRequest>) =>
    getAddress((await journal.run(id, label, { request }, { deploys: true })).address!);

  const libraries = {} as VaultLibraries;
  for (const { key, label, artifact } of VAULT_LIBRARIES) {
    libraries[key] = await deployStep(`deploy ${label}`, `library ${label}`, () =>
      libraryFactory(artifact, ctx.signer).getDeployTransaction(),
    );
  }
  journal.set({ libraries });
  const vaultArgs = [asset, params.name, params.symbol, deployer, String(params.adminTransferDelaySeconds)];
  const vault = await deployStep("deploy ReserveVault", "vault", () =>
    new ReserveVault__factory(vaultLinks(libraries), ctx.signer).getDeployTransaction(
      asset,
      params.name,
      params.symbol,
      deployer,
      BigInt(params.adminTransferDelaySeconds),
    ),
  );
  const vaultBlock = journal.step("deploy ReserveVault")?.block;
  journal.set({ vault, blockNumber: vaultBlock ?? (await ctx.signer.provider!.getBlockNumber()) });

  const queueArgs = [vault, params.redeemQueue.minRequestAssets, String(params.redeemQueue.maxQueueAgeSeconds)];
  const redeemQueue = await deployStep("deploy RedeemQueue", "redemption queue", () =>
    new RedeemQueue__factory(ctx.signer).getDeployTransaction(
      vault,
      BigInt(params.redeemQueue.minRequestAssets),
      BigInt(params.redeemQueue.maxQueueAgeSeconds),
    ),
  );
  journal.set({ redeemQueue });

  const sources: Deployment["sources"] = VAULT_LIBRARIES.map(({ key, label, contract }) => ({
    label,
    address: libraries[key],
    contract,
    args: [],
  }));
  sources.push(
    {
      label: "ReserveVault",
      address: vault,
      contract: "contracts/vault/ReserveVault.sol:ReserveVault",
      args: vaultArgs,
    },
    {
      label: "RedeemQueue",
      address: redeemQueue,
      contract: "contracts/vault/RedeemQueue.sol:RedeemQueue",
      args: queueArgs,
    },
  );
  const adapters: Record<string, string> = { ...(journal.record.adapters ?? {}) };
  for (const [i, adapter] of params.adapters.entries()) {
    const { contract, args, request } = adapterDeployment(adapter, vault, params, ctx, `adapters[${i}]`);
    adapters[adapter.name] = await deployStep(`deploy adapter ${adapter.name}`, `adapter ${adapter.name}`, request);
    journal.set({ adapters });
    sources.push({ label: adapter.name, address: adapters[adapter.name]!, contract, args });
  }
  const deployment: Deployment = {
    network: ctx.network,
    chainId: journal.record.chainId,
    deployer,
    blockNumber: journal.record.blockNumber!,
    vault,
    redeemQueue,
    libraries,
    adapters,
    sources,
  };
  journal.set(deployment);
  return deployment;
}

/** `BuidlAdapter.InstantExit`: the route's number and the contract it goes through. */
const INSTANT_EXIT = { none: 0n, facility: 1n, offRamp: 2n } as const;

/** A BUIDL adapter's instant exit from its params: Circle's facility, Securitize's off-ramp, or none. */
function buidlExit(
  adapter: Extract<AdapterParams, { kind: "buidl" }>,
  at: (value: string, name: string) => string,
): readonly [bigint, string] {
  if (adapter.offRamp) return [INSTANT_EXIT.offRamp, at(adapter.offRamp, "offRamp")];
  if (adapter.facility) return [INSTANT_EXIT.facility, at(adapter.facility, "facility")];
  return [INSTANT_EXIT.none, ZeroAddress];
}

const TOKEN_STANDARD = { ds: 0n, superstate: 1n } as const;

/** A BUIDL-family adapter's terms for a DS token at $1 a token (BUIDL and its classes). */
export const DOLLAR_DS_TERMS = { standard: TOKEN_STANDARD.ds, navFeed: ZeroAddress, maxNavAge: 0n } as const;

/** A transfer-issued adapter's terms from its params: the token's standard, and its NAV feed (none: $1). */
function tokenTerms(
  adapter: Extract<AdapterParams, { kind: "buidl" }>,
  at: (value: string, name: string) => string,
): { standard: bigint; navFeed: string; maxNavAge: bigint } {
  return {
    standard: TOKEN_STANDARD[adapter.standard],
    navFeed: adapter.navFeed ? at(adapter.navFeed.feed, "navFeed.feed") : ZeroAddress,
    maxNavAge: BigInt(adapter.navFeed?.maxAgeSeconds ?? 0),
  };
}

/** An adapter's contract, its constructor arguments as recorded for source verification, and its deployment. */
function adapterDeployment(
  adapter: AdapterParams,
  vault: string,
  params: DeployParams,
  ctx: DeployContext,
  field: string,
): { contract: string; args: Array<string | string[]>; request: () => Promise<TransactionRequest> } {
  const at = (value: string, name: string) => resolve(value, ctx.book, `${field}.${name}`);
  const asset = resolve(params.asset, ctx.book, "asset");
  const source = (name: string) => `contracts/adapters/${name}.sol:${name}`;
  switch (adapter.kind) {
    case "ustb": {
      const args = [
        vault,
        asset,
        at(adapter.ustb, "ustb"),
        at(adapter.redemption, "redemption"),
        BigInt(adapter.settleToleranceBps),
      ] as const;
      return {
        contract: source("UstbAdapter"),
        args: args.map(String),
        request: () => new UstbAdapter__factory(ctx.signer).getDeployTransaction(...args),
      };
    }
    case "buidl": {
      const [route, exit] = buidlExit(adapter, at);
      const onRamp = adapter.onRamp ? at(adapter.onRamp, "onRamp") : ZeroAddress;
      const args = [
        vault,
        asset,
        at(adapter.token, "token"),
        adapter.registry ? at(adapter.registry, "registry") : ZeroAddress,
        at(adapter.depositAddress, "depositAddress"),
        adapter.redemptionAddress ? at(adapter.redemptionAddress, "redemptionAddress") : ZeroAddress,
      ] as const;
      const terms = tokenTerms(adapter, at);
      return {
        contract: source("BuidlAdapter"),
        args: [
          ...args,
          String(route),
          exit,
          onRamp,
          adapter.minTicket,
          String(adapter.settleToleranceBps),
          [String(terms.standard), terms.navFeed, String(terms.maxNavAge)],
        ],
        request: () =>
          new BuidlAdapter__factory(ctx.signer).getDeployTransaction(
            ...args,
            route,
            exit,
            onRamp,
            BigInt(adapter.minTicket),
            BigInt(adapter.settleToleranceBps),
            terms,
          ),
      };
    }
    case "erc7540": {
      const target = at(adapter.target, "target");
      return {
        contract: source("Erc7540Adapter"),
        args: [vault, target, String(adapter.settleToleranceBps)],
        request: () =>
          new Erc7540Adapter__factory(ctx.signer).getDeployTransaction(
            vault,
            target,
            BigInt(adapter.settleToleranceBps),
          ),
      };
    }
    case "erc4626": {
      const target = at(adapter.target, "target");
      return {
        contract: source("Erc4626Adapter"),
        args: [vault, target, String(adapter.maxRateGrowthBpsPerYear)],
        request: () =>
          new Erc4626Adapter__factory(ctx.signer).getDeployTransaction(
            vault,
            target,
            BigInt(adapter.maxRateGrowthBpsPerYear),
          ),
      };
    }
  }
}

/**
 * Layer 2: configures the vault as the parameters say — adapters listed with their limits and weights,
 * vault parameters, withdraw order, roles granted, the timelock set last — and, on sandbox networks,
 * allowlists each adapter at its issuer. Every setting is one journal step that first reads whether the
 * vault already holds it: a rerun sends only what is not yet right.
 */
export async function configure(
  params: DeployParams,
  deployment: Deployment,
  ctx: DeployContext & { driver?: IssuerDriver },
): Promise<void> {
  const journal = await journalOf(ctx);
  const vault = ReserveVault__factory.connect(deployment.vault, ctx.signer);
  const deployer = await ctx.signer.getAddress();
  const setting = (id: string, done: () => Promise<boolean>, request: () => Promise<TransactionRequest>) =>
    journal.run(id, id, { request, done });
  const roles = ROLES;

  await setting(
    "curator role to the deployer for configuration",
    async () => vault.hasRole(roles.curator, deployer),
    async () => vault.grantRole.populateTransaction(roles.curator, deployer),
  );
  for (const adapter of params.adapters) {
    const address = deployment.adapters[adapter.name]!;
    const config = () => vault.adapterConfig(address);
    if (params.allowlistAtIssuers) {
      const product = productOf(adapter, ctx.book);
      if (product) {
        if (!ctx.driver) throw new Error("allowlistAtIssuers needs an issuer driver for this network");
        const driver = ctx.driver;
        await journal.run(`allowlist ${adapter.name} at its issuer`, `allowlist ${adapter.name} at its issuer`, {
          perform: () => driver.allowlist(product, address),
          gasBound: ALLOWLIST_GAS_BOUND,
        });
        // Centrifuge pays a redemption's proceeds straight to the vault only if it is on the list too.
        if (product === "JTRSY" || product === "JAAA") {
          await journal.run(`allowlist the vault at ${product}`, `allowlist the vault at ${product}`, {
            perform: () => driver.allowlist(product, deployment.vault),
            gasBound: ALLOWLIST_GAS_BOUND,
          });
        }
      }
    }
    const a = adapter;
    await setting(
      `list ${a.name}`,
      async () => (await config()).listed,
      () => vault.addAdapter.populateTransaction(address),
    );
    await setting(
      `nav guard ${a.name}`,
      async () => {
        const c = await config();
        return (
          Number(c.maxNavAgeSeconds) === a.navGuard.maxNavAgeSeconds &&
          Number(c.maxNavDeviationBps) === a.navGuard.maxNavDeviationBps
        );
      },
      () => vault.setNavGuard.populateTransaction(address, a.navGuard.maxNavAgeSeconds, a.navGuard.maxNavDeviationBps),
    );
    await setting(
      `slippage ${a.name}`,
      async () => Number((await config()).maxSlippageBps) === a.maxSlippageBps,
      () => vault.setMaxSlippage.populateTransaction(address, a.maxSlippageBps),
    );
    await setting(
      `request age ${a.name}`,
      async () => Number((await config()).maxRequestAgeSeconds) === a.maxRequestAgeSeconds,
      () => vault.setMaxRequestAge.populateTransaction(address, a.maxRequestAgeSeconds),
    );
    await setting(
      `cap ${a.name}`,
      async () => (await config()).cap === BigInt(a.cap),
      () => vault.setCap.populateTransaction(address, BigInt(a.cap)),
    );
    await setting(
      `rate limit ${a.name}`,
      async () => {
        const { rateLimit } = await config();
        return (
          rateLimit.maxAmount === BigInt(a.rateLimit.maxAmount) &&
          rateLimit.slopePerSecond === BigInt(a.rateLimit.slopePerSecond)
        );
      },
      () =>
        vault.setRateLimit.populateTransaction(
          address,
          BigInt(a.rateLimit.maxAmount),
          BigInt(a.rateLimit.slopePerSecond),
        ),
    );
    await setting(
      `weight ${a.name}`,
      async () => Number((await config()).targetWeightBps) === a.weightBps,
      () => vault.setTargetWeight.populateTransaction(address, a.weightBps),
    );
  }
  const v = params.vault;
  await setting(
    "buffer",
    async () => Number(await vault.bufferBps()) === v.bufferBps,
    () => vault.setBuffer.populateTransaction(v.bufferBps),
  );
  await setting(
    "drift band",
    async () => Number(await vault.driftBandBps()) === v.driftBandBps && (await vault.minMove()) === BigInt(v.minMove),
    () => vault.setDriftBand.populateTransaction(v.driftBandBps, BigInt(v.minMove)),
  );
  await setting(
    "rebalance loss bound",
    async () => Number(await vault.maxRebalanceLossBps()) === v.maxRebalanceLossBps,
    () => vault.setMaxRebalanceLoss.populateTransaction(v.maxRebalanceLossBps),
  );
  await setting(
    "profit unlock",
    async () => Number(await vault.profitUnlockSeconds()) === v.profitUnlockSeconds,
    () => vault.setProfitUnlockTime.populateTransaction(v.profitUnlockSeconds),
  );
  const order = params.withdrawOrder.map((name) => getAddress(deployment.adapters[name]!));
  await setting(
    "withdraw order",
    async () => JSON.stringify((await vault.withdrawOrder()).map((a) => getAddress(a))) === JSON.stringify(order),
    () => vault.setWithdrawOrder.populateTransaction(order),
  );
  await setting(
    "redemption queue",
    async () => getAddress(await vault.redeemQueue()) === getAddress(deployment.redeemQueue),
    () => vault.setRedeemQueue.populateTransaction(deployment.redeemQueue),
  );
  for (const [label, list] of [
    ["curator", params.roles.curators],
    ["keeper", params.roles.keepers],
    ["guardian", params.roles.guardians],
  ] as const) {
    for (const [i, who] of list.entries()) {
      const account = resolve(who, ctx.book, `roles.${label}s[${i}]`);
      await setting(
        `${label} role to ${account}`,
        async () => vault.hasRole(roles[label], account),
        async () => vault.grantRole.populateTransaction(roles[label], account),
      );
    }
  }
  await setting(
    "timelock",
    async () => Number(await vault.timelockSeconds()) === v.timelockSeconds,
    () => vault.setTimelock.populateTransaction(v.timelockSeconds),
  );
}

/** The product whose list an adapter must be on; a Centrifuge vault's share token names it. */
function productOf(adapter: AdapterParams, book: IssuerBook): AllowlistedProduct | undefined {
  if (adapter.kind === "ustb") return "USTB";
  if (adapter.kind === "erc7540") {
    const target = resolve(adapter.target, book, "target");
    if (target === getAddress(book.JAAA_VAULT)) return "JAAA";
    if (target === getAddress(book.JTRSY_VAULT) || target === getAddress(book.JTRSY_VAULT_USDS)) return "JTRSY";
    return undefined;
  }
  if (adapter.kind === "buidl") {
    const token = resolve(adapter.token, book, "token");
    const known = (["BUIDL_I", "STAC", "USCC"] as const).find((name) => token === getAddress(book[name]));
    return known ?? "BUIDL";
  }
  return undefined;
}

/**
 * Layer 2b: hands the vault to governance. The deployer gives up the curator role it configured with
 * and starts the two-step admin transfer; governance completes it with `acceptDefaultAdminTransfer`
 * after the admin transfer delay, and from then the deployer holds nothing.
 */
export async function handover(params: DeployParams, deployment: Deployment, ctx: DeployContext): Promise<void> {
  const journal = await journalOf(ctx);
  const vault = ReserveVault__factory.connect(deployment.vault, ctx.signer);
  const deployer = await ctx.signer.getAddress();
  const governance = resolve(params.governance, ctx.book, "governance");
  if (governance === deployer) throw new Error("governance is the deployer: nothing to hand over");
  const curators = params.roles.curators.map((c, i) => resolve(c, ctx.book, `roles.curators[${i}]`));
  if (!curators.includes(deployer)) {
    await journal.run("deployer gives up the curator role", "deployer gives up the curator role", {
      done: async () => !(await vault.hasRole(ROLES.curator, deployer)),
      request: () => vault.renounceRole.populateTransaction(ROLES.curator, deployer),
    });
  }
  await journal.run("admin transfer to governance", `admin transfer to governance ${governance} begun`, {
    done: async () =>
      getAddress(await vault.defaultAdmin()) === governance ||
      getAddress((await vault.pendingDefaultAdmin())[0]) === governance,
    request: () => vault.beginDefaultAdminTransfer.populateTransaction(governance),
  });
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
  const asset = getAddress(await vault.asset());
  check(asset === resolve(params.asset, book, "asset"), `the vault's asset is ${asset}, not the configured one`);
  const { decimals, symbol } = await tokenUnits(provider, asset);
  // Compares a value on chain with the parameters' and says both in units when they differ.
  const same = <T extends bigint | number>(label: string, have: T, want: T, show: (value: T) => string) =>
    check(BigInt(have) === BigInt(want), `${label} is ${show(have)} on chain, ${show(want)} in the parameters`);
  const money = (value: bigint | number) => formatAmount(BigInt(value), decimals, symbol);
  const perDay = (value: bigint | number) => formatPerDay(BigInt(value), decimals, symbol);
  const bps = (value: bigint | number) => formatBps(value);
  const duration = (value: bigint | number) => formatDuration(value);

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
    [ROLES.curator]: ["curator", params.roles.curators],
    [ROLES.keeper]: ["keeper", params.roles.keepers],
    [ROLES.guardian]: ["guardian", params.roles.guardians],
  } as const;
  for (const [role, [label, list]] of Object.entries(intended)) {
    const want = new Set(list.map((who) => resolve(who, book, `roles.${label}s`)));
    const have = holders.get(role) ?? new Set<string>();
    for (const who of want) check(have.has(who), `${who} should be a ${label} and is not`);
    for (const who of have) check(want.has(who), `${who} holds the ${label} role but is not in the parameters`);
  }
  if (options.handoverComplete) {
    for (const [role, members] of holders) {
      check(!members.has(getAddress(deployment.deployer)), `the deployer still holds ${roleName(role)}`);
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
    same(`${tag} weight`, config.targetWeightBps, BigInt(adapter.weightBps), bps);
    same(`${tag} cap`, config.cap, BigInt(adapter.cap), money);
    same(`${tag} rate-limit burst`, config.rateLimit.maxAmount, BigInt(adapter.rateLimit.maxAmount), money);
    same(`${tag} rate-limit refill`, config.rateLimit.slopePerSecond, BigInt(adapter.rateLimit.slopePerSecond), perDay);
    same(`${tag} slippage bound`, config.maxSlippageBps, BigInt(adapter.maxSlippageBps), bps);
    const feeWarning = slippageWarning(adapter, Number(config.maxSlippageBps));
    if (feeWarning) options.warn?.(feeWarning);
    same(`${tag} NAV age bound`, config.maxNavAgeSeconds, BigInt(adapter.navGuard.maxNavAgeSeconds), duration);
    same(`${tag} maximum request age`, config.maxRequestAgeSeconds, BigInt(adapter.maxRequestAgeSeconds), duration);
    same(`${tag} NAV deviation bound`, config.maxNavDeviationBps, BigInt(adapter.navGuard.maxNavDeviationBps), bps);
    for (const problem of await wiringProblems(adapter, address, deployment.vault, provider, book))
      problems.push(`${tag}: ${problem}`);
  }
  const v = params.vault;
  same("the buffer", await vault.bufferBps(), BigInt(v.bufferBps), bps);
  same("the drift band", await vault.driftBandBps(), BigInt(v.driftBandBps), bps);
  same("the minimum move", await vault.minMove(), BigInt(v.minMove), money);
  same("the rebalance loss bound", await vault.maxRebalanceLossBps(), BigInt(v.maxRebalanceLossBps), bps);
  same("the profit unlock time", await vault.profitUnlockSeconds(), BigInt(v.profitUnlockSeconds), duration);
  same("the timelock", await vault.timelockSeconds(), BigInt(v.timelockSeconds), duration);
  check(
    getAddress(await vault.redeemQueue()) === getAddress(deployment.redeemQueue),
    `the vault's redemption queue is ${await vault.redeemQueue()}, recorded ${deployment.redeemQueue}`,
  );
  const queue = RedeemQueue__factory.connect(deployment.redeemQueue, provider);
  check(getAddress(await queue.share()) === getAddress(deployment.vault), "the redemption queue redeems another vault");
  same(
    "the queue's minimum request",
    await queue.minRequestAssets(),
    BigInt(params.redeemQueue.minRequestAssets),
    money,
  );
  same(
    "the queue's deadline",
    await queue.maxQueueAgeSeconds(),
    BigInt(params.redeemQueue.maxQueueAgeSeconds),
    duration,
  );
  const order = (await vault.withdrawOrder()).map((a) => getAddress(a));
  const named = (addresses: string[]) =>
    addresses.map((a) => Object.keys(deployment.adapters).find((n) => getAddress(deployment.adapters[n]!) === a) ?? a);
  const wantOrder = params.withdrawOrder.map((n) => deployment.adapters[n] && getAddress(deployment.adapters[n]!));
  check(
    JSON.stringify(order) === JSON.stringify(wantOrder),
    `the withdraw order is ${named(order).join(", ") || "idle only"} on chain, ${params.withdrawOrder.join(", ") || "idle only"} in the parameters`,
  );
  return problems;
}

/** Each role's holders, replayed from the vault's RoleGranted/RoleRevoked events since `fromBlock`. */
export async function roleHolders(vault: ReserveVault, fromBlock: number): Promise<Map<string, Set<string>>> {
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
    await expect("REGISTRY()", adapter.registry ? at(adapter.registry) : ZeroAddress, "registry");
    await expect("NAV_FEED()", adapter.navFeed ? at(adapter.navFeed.feed) : ZeroAddress, "NAV feed");
    const terms = new Contract(
      address,
      ["function STANDARD() view returns (uint8)", "function MAX_NAV_AGE() view returns (uint256)"],
      provider,
    );
    const want = tokenTerms(adapter, (value) => at(value));
    const standard = (await terms.getFunction("STANDARD")()) as bigint;
    if (standard !== want.standard) problems.push(`token standard is ${standard}, expected ${want.standard}`);
    const maxNavAge = (await terms.getFunction("MAX_NAV_AGE")()) as bigint;
    if (maxNavAge !== want.maxNavAge) problems.push(`NAV age bound is ${maxNavAge} s, expected ${want.maxNavAge} s`);
    await expect("DEPOSIT_ADDRESS()", at(adapter.depositAddress), "deposit address");
    const [route, exit] = buidlExit(adapter, (value) => at(value));
    const routeAt = (await new Contract(address, ["function EXIT_ROUTE() view returns (uint8)"], provider).getFunction(
      "EXIT_ROUTE",
    )()) as bigint;
    if (routeAt !== route) problems.push(`instant exit route is ${routeAt}, expected ${route}`);
    await expect("EXIT()", exit, "instant exit");
    await expect("ON_RAMP()", adapter.onRamp ? at(adapter.onRamp) : ZeroAddress, "on-ramp");
  } else {
    await expect("TARGET()", at(adapter.target), "target");
  }
  return problems;
}

/**
 * Issuer CLI: deploys the sandbox issuers to a network and operates them as their issuers would.
 *   npm run issuer -- --network localhost deploy
 *   npm run issuer -- --network localhost allowlist --product USTB --holder 0x…
 * Every command prints what it did; deployments are recorded in <deployments>/sandbox-<network>.json.
 */
import { Option } from "commander";
import { formatAmount, formatRemaining } from "../src/cli/units";
import {
  ALLOWLISTED_PRODUCTS,
  type AllowlistedProduct,
  type NavFeedProduct,
  type SecuritizeToken,
} from "../src/issuers/driver";
import {
  addressArg as address,
  amountArg as amount,
  cliProgram,
  integerArg as integer,
  runCli,
  UsageError,
} from "../src/cli/args";

interface GlobalOptions {
  network: string;
  deployments: string;
}

/** Loads Hardhat on the chosen network (it reads HARDHAT_NETWORK at load time). */
async function connect(options: GlobalOptions) {
  process.env.HARDHAT_NETWORK = options.network;
  const hre = await import("hardhat");
  const { IssuerDriver } = await import("../src/issuers/driver");
  const { readRecord } = await import("../src/issuers/record");
  const signers = await hre.ethers.getSigners();
  const signer = signers[0];
  if (!signer) {
    throw new Error(`DEPLOYER_PRIVATE_KEY: no account to sign with on ${options.network}; set DEPLOYER_PRIVATE_KEY`);
  }
  const local = options.network === "localhost" || options.network === "hardhat";
  const driver = () => {
    const record = readRecord(options.deployments, options.network);
    return IssuerDriver.withKey(hre.ethers.provider, record.book, signer, { canWarpTime: local });
  };
  return { hre, signer, driver, local };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const program = cliProgram(
  "issuer",
  "Deploy and operate the sandbox issuers (USDC, USTB, BUIDL, JTRSY, sUSDS) on a network",
)
  .requiredOption("--network <name>", "Hardhat network to use (localhost, sepolia, …)")
  .option("--deployments <dir>", "where sandbox deployments are recorded", "deployments");

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

program
  .command("deploy")
  .description("deploy all sandbox issuers at fresh addresses, the signer as every admin, and record them")
  .action(async () => {
    const { hre, signer } = await connect(globals());
    const { installSandbox } = await import("../src/sandbox/install");
    const { withKey } = await import("../src/issuers/actors");
    const { writeRecord } = await import("../src/issuers/record");
    const admin = await signer.getAddress();
    say(`deploying the sandbox issuers to ${globals().network} as ${admin}…`);
    const book = await installSandbox({
      rpc: hre.ethers.provider,
      deployer: signer,
      placement: "fresh",
      admins: {
        usdc: admin,
        superstate: admin,
        superstateSweep: admin,
        securitize: admin,
        centrifugeRoot: admin,
        sky: admin,
        grove: admin,
      },
      actAs: withKey(signer),
      onStep: (step) => say(`  ${step}`),
    });
    const network = await hre.ethers.provider.getNetwork();
    const file = writeRecord(globals().deployments, {
      network: globals().network,
      chainId: network.chainId.toString(),
      deployedAt: new Date().toISOString(),
      admin,
      book,
    });
    say(`recorded ${file}`);
    for (const [name, where] of Object.entries(book)) say(`${name.padEnd(32)} ${where}`);
  });

program
  .command("show")
  .description("print the recorded sandbox addresses")
  .action(async () => {
    const { readRecord } = await import("../src/issuers/record");
    const record = readRecord(globals().deployments, globals().network);
    say(`sandbox on ${record.network} (chain ${record.chainId}), admin ${record.admin}, deployed ${record.deployedAt}`);
    for (const [name, where] of Object.entries(record.book)) say(`${name.padEnd(32)} ${where}`);
  });

program
  .command("show-prices")
  .description("print each product's current price and how old it is: USTB's NAV, JTRSY's share price, BUIDL's $1")
  .action(async () => {
    const { driver: make } = await connect(globals());
    const driver = make();
    const now = await driver.now();
    const age = (at: bigint) => `${formatRemaining(now > at ? now - at : 0n)} old`;
    const nav = await driver.ustbNav();
    say(
      nav
        ? `USTB   $${formatAmount(nav.price, 6)} per share (NAV struck ${age(nav.updatedAt)})`
        : "USTB   no price: the oracle is stale or has no checkpoint (strike one with ustb-nav)",
    );
    const jtrsy = await driver.jtrsyPrice().catch((error: Error) => error);
    say(
      jtrsy instanceof Error
        ? `JTRSY  no price: Centrifuge's spoke refused (${jtrsy.message.split("\n")[0]}); set one with jtrsy-price`
        : `JTRSY  $${formatAmount(jtrsy.price, 18)} per share (computed ${age(jtrsy.computedAt)})`,
    );
    say("BUIDL  $1 per token (dividends are paid as new tokens)");
    for (const product of ["USCC", "STAC"] as const) {
      const feed = await driver.navFeed(product).catch((error: Error) => error);
      say(
        feed instanceof Error
          ? `${product}   no price: its NAV feed did not answer (${feed.message.split("\n")[0]})`
          : `${product}   $${formatAmount(feed.answer, Number(feed.decimals))} per token (posted ${age(feed.updatedAt)})`,
      );
    }
  });

program
  .command("show-requests")
  .description("print a controller's JTRSY requests: pending and claimable deposits and redemptions")
  .requiredOption("--controller <address>", "request controller (an adapter)", address("--controller"))
  .action(async (opts: { controller: string }) => {
    const requests = await (await connect(globals())).driver().jtrsyRequests(opts.controller);
    say(`JTRSY requests of ${opts.controller}`);
    say(
      `  deposit: ${formatAmount(requests.pendingDeposit, 6, "USDC")} pending, ${formatAmount(requests.claimableDeposit, 6, "USDC")} claimable`,
    );
    say(
      `  redeem:  ${formatAmount(requests.pendingRedeem, 6, "JTRSY")} pending, ${formatAmount(requests.claimableRedeem, 6, "JTRSY")} claimable`,
    );
  });

program
  .command("allowlist")
  .description("let a holder hold a product (Superstate AllowList, Securitize registry, Centrifuge membership)")
  .addOption(new Option("--product <product>", "product").choices([...ALLOWLISTED_PRODUCTS]).makeOptionMandatory())
  .requiredOption("--holder <address>", "holder address", address("--holder"))
  .action(async (opts: { product: AllowlistedProduct; holder: string }) => {
    await (await connect(globals())).driver().allowlist(opts.product, opts.holder);
    say(`allowlisted ${opts.holder} for ${opts.product}`);
  });

program
  .command("fund-usdc")
  .description("mint USDC to an address")
  .requiredOption("--to <address>", "recipient", address("--to"))
  .requiredOption("--amount <usdc>", "amount in USDC, e.g. 1000000", amount("--amount", 6))
  .action(async (opts: { to: string; amount: bigint }) => {
    await (await connect(globals())).driver().fundUsdc(opts.to, opts.amount);
    say(`minted ${formatAmount(opts.amount, 6, "USDC")} (${opts.amount} base units) to ${opts.to}`);
  });

program
  .command("ustb-nav")
  .description("set the USTB NAV per share, held flat until the next checkpoint")
  .requiredOption("--price <usd>", "NAV per share, e.g. 10.52 (at least 7)", amount("--price", 6))
  .action(async (opts: { price: bigint }) => {
    if (opts.price < 7_000_000n) {
      throw new UsageError("--price", "must be at least 7: USTB treats a NAV below $7 as bad data and stops trading");
    }
    const driver = (await connect(globals())).driver();
    await driver.setUstbNav(opts.price);
    const price = await driver.ustbPrice();
    say(`USTB NAV checkpoint added; price now $${formatAmount(price, 6)} (${price}, 6 decimals)`);
  });

program
  .command("fund-ustb-redemption")
  .description("give RedemptionIdle USDC for instant redemptions")
  .requiredOption("--amount <usdc>", "amount in USDC", amount("--amount", 6))
  .action(async (opts: { amount: bigint }) => {
    await (await connect(globals())).driver().fundUstbRedemption(opts.amount);
    say(`funded RedemptionIdle with ${formatAmount(opts.amount, 6, "USDC")} (${opts.amount} base units)`);
  });

program
  .command("issue-buidl")
  .description("issue BUIDL, BUIDL-I or STAC to a registered wallet (a fill or a dividend)")
  .addOption(new Option("--token <token>", "token").choices(["BUIDL", "BUIDL_I", "STAC"]).default("BUIDL"))
  .requiredOption("--to <address>", "registered wallet", address("--to"))
  .requiredOption("--amount <tokens>", "amount, e.g. 1000000", amount("--amount", 6))
  .action(async (opts: { token: SecuritizeToken; to: string; amount: bigint }) => {
    await (await connect(globals())).driver().issueBuidl(opts.token, opts.to, opts.amount);
    say(`issued ${formatAmount(opts.amount, 6, opts.token)} (${opts.amount} base units) to ${opts.to}`);
  });

program
  .command("mint-uscc")
  .description("mint USCC to an allowlisted holder, as its owner does once a subscription paid by transfer clears")
  .requiredOption("--to <address>", "allowlisted holder", address("--to"))
  .requiredOption("--amount <tokens>", "amount, e.g. 9615.38", amount("--amount", 6))
  .action(async (opts: { to: string; amount: bigint }) => {
    await (await connect(globals())).driver().mintUscc(opts.to, opts.amount);
    say(`minted ${formatAmount(opts.amount, 6, "USCC")} (${opts.amount} base units) to ${opts.to}`);
  });

program
  .command("nav")
  .description("post a NAV to USCC's or STAC's feed, dated now (the emulated mainnet's feeds)")
  .addOption(new Option("--product <product>", "product").choices(["USCC", "STAC"]).makeOptionMandatory())
  .requiredOption("--price <usd>", "NAV per token in USD, e.g. 10.42")
  .action(async (opts: { product: NavFeedProduct; price: string }) => {
    const driver = (await connect(globals())).driver();
    const { decimals } = await driver.navFeed(opts.product);
    let price: bigint;
    try {
      price = amount("--price", Number(decimals))(opts.price);
    } catch (error) {
      throw new UsageError("--price", (error as Error).message.replace(/^--price /, ""));
    }
    if (price === 0n)
      throw new UsageError("--price", "must be above 0: a feed answering 0 stops the product's valuation");
    await driver.setNav(opts.product, price);
    say(`${opts.product} NAV posted: $${formatAmount(price, Number(decimals))} (${price}, ${decimals} decimals)`);
  });

program
  .command("fund-buidl-redemption")
  .description("give the BUIDL instant-redemption facility USDC")
  .requiredOption("--amount <usdc>", "amount in USDC", amount("--amount", 6))
  .action(async (opts: { amount: bigint }) => {
    await (await connect(globals())).driver().fundBuidlRedemption(opts.amount);
    say(`funded the BUIDL facility with ${formatAmount(opts.amount, 6, "USDC")} (${opts.amount} base units)`);
  });

program
  .command("jtrsy-price")
  .description("set JTRSY's share price in USD (Centrifuge's spoke, computed now)")
  .requiredOption("--price <usd>", "price per share, e.g. 1.0545", amount("--price", 18))
  .action(async (opts: { price: bigint }) => {
    await (await connect(globals())).driver().setJtrsyPrice(opts.price);
    say(`JTRSY price set to $${formatAmount(opts.price, 18)} (${opts.price}, 18 decimals)`);
  });

program
  .command("jtrsy-membership")
  .description("set a holder's JTRSY membership expiry (unix seconds)")
  .requiredOption("--holder <address>", "holder", address("--holder"))
  .requiredOption("--valid-until <seconds>", "expiry timestamp", integer("--valid-until"))
  .action(async (opts: { holder: string; validUntil: bigint }) => {
    await (await connect(globals())).driver().setJtrsyMembership(opts.holder, opts.validUntil);
    say(`JTRSY membership of ${opts.holder} valid until ${opts.validUntil}`);
  });

for (const [name, description, method] of [
  ["jtrsy-fulfil-deposit", "fulfil a controller's pending JTRSY deposit at the current price", "fulfilJtrsyDeposit"],
  ["jtrsy-fulfil-redeem", "fulfil a controller's pending JTRSY redemption at the current price", "fulfilJtrsyRedeem"],
  ["jtrsy-fulfil-cancel-deposit", "confirm a controller's pending deposit cancellation", "fulfilJtrsyCancelDeposit"],
  ["jtrsy-fulfil-cancel-redeem", "confirm a controller's pending redemption cancellation", "fulfilJtrsyCancelRedeem"],
] as const) {
  program
    .command(name)
    .description(description)
    .requiredOption("--controller <address>", "request controller", address("--controller"))
    .action(async (opts: { controller: string }) => {
      await (await connect(globals())).driver()[method](opts.controller);
      say(`${name}: done for ${opts.controller}`);
    });
}

program
  .command("advance-time")
  .description("move the clock forward (localhost and the in-process network only)")
  .requiredOption("--seconds <n>", "seconds", integer("--seconds"))
  .action(async (opts: { seconds: bigint }) => {
    const { driver, local } = await connect(globals());
    if (!local) throw new UsageError("--network", "advance-time works only on localhost or hardhat");
    await driver().advanceTime(opts.seconds);
    say(`advanced the clock by ${opts.seconds} s`);
  });

runCli("issuer", async () => {
  await program.parseAsync(process.argv);
});

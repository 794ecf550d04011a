import { Contract, getAddress, id as keccakText, solidityPacked, zeroPadValue, type Signer } from "ethers";
import type { JsonRpcLike } from "../sandbox/rpc";
import {
  BUIDL_REDEMPTION_ABI,
  DS_REGISTRY_ABI,
  DS_COMPLIANCE_CONFIGURATION_ABI,
  DS_COMPLIANCE_CONFIGURATION_SERVICE,
  DS_TOKEN_ABI,
  CENTRIFUGE_BALANCE_SHEET_ABI,
  CENTRIFUGE_HOOK_ABI,
  CENTRIFUGE_POOL_ESCROW_ABI,
  CENTRIFUGE_SHARE_ABI,
  CENTRIFUGE_SPOKE_ABI,
  ERC7540_VAULT_ABI,
  FIAT_TOKEN_ABI,
  GROVE_BASIN_ABI,
  GROVE_RATE_PROVIDER_ABI,
  MBPS_FEE_MANAGER_ABI,
  NAV_FEED_ABI,
  OFF_RAMP_PROVIDER_ABI,
  REDEMPTION_IDLE_ABI,
  SECURITIZE_NAV_PROVIDER_ABI,
  SECURITIZE_OFF_RAMP_ABI,
  SECURITIZE_ON_RAMP_ABI,
  ON_RAMP_PROVIDER_ABI,
  SUPERSTATE_ALLOWLIST_ABI,
  SUPERSTATE_ORACLE_ABI,
  SUPERSTATE_TOKEN_ABI,
} from "./abis";
import { impersonating, withKey, type ActAs } from "./actors";
import { bookEntry, mainnetBook, type IssuerBook } from "./book";

/** Products whose holders must be allowlisted. */
export type AllowlistedProduct = "USTB" | "USCC" | "BUIDL" | "BUIDL_I" | "STAC" | "JTRSY" | "JAAA";
export const ALLOWLISTED_PRODUCTS: readonly AllowlistedProduct[] = [
  "USTB",
  "USCC",
  "BUIDL",
  "BUIDL_I",
  "STAC",
  "JTRSY",
  "JAAA",
];
/** Securitize's DS tokens the driver issues. */
export type SecuritizeToken = "BUIDL" | "BUIDL_I" | "STAC";
/** The products whose NAV is a feed the driver can post to (the emulated mainnet's). */
export type NavFeedProduct = "USCC" | "STAC";

const MAX_UINT64 = 2n ** 64n - 1n;

export class DriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DriverError";
  }
}

/**
 * The issuers' side of the world, as one API for tests, the demo and the issuer CLI: allowlisting,
 * issuance, fulfilment, NAV, liquidity and time. Every action is the issuer's real admin call, signed by
 * the real admin — impersonated on the in-process network and on a fork, our own key on a testnet.
 */
export class IssuerDriver {
  private constructor(
    private readonly rpc: JsonRpcLike,
    readonly book: IssuerBook,
    private readonly actAs: ActAs,
    /** Whether this network lets us set the clock (Hardhat in-process, `hardhat node`, forks). */
    readonly canWarpTime: boolean,
  ) {}

  /** On a Hardhat network, the emulated mainnet or a real fork: admins are impersonated. */
  static onHardhat(rpc: JsonRpcLike, book: IssuerBook = mainnetBook()): IssuerDriver {
    return new IssuerDriver(rpc, book, impersonating(rpc), true);
  }

  /**
   * On a network where we hold the sandbox admin key (a testnet sandbox, or a local `hardhat node`,
   * which also lets us set the clock).
   */
  static withKey(rpc: JsonRpcLike, book: IssuerBook, signer: Signer, options: { canWarpTime?: boolean } = {}) {
    return new IssuerDriver(rpc, book, withKey(signer), options.canWarpTime ?? false);
  }

  /** A read-only handle on `address`, once code is seen there (see `requireCode`). */
  private async read(address: string, abi: readonly string[]): Promise<Contract> {
    await this.requireCode(address);
    return new Contract(address, abi, this.rpc as never);
  }

  private async as<T>(address: string, abiTarget: string, abi: readonly string[], work: (c: Contract) => Promise<T>) {
    await this.requireCode(abiTarget);
    return this.actAs(address, (signer) => work(new Contract(abiTarget, abi, signer)));
  }

  /** Contracts already seen to have code (code does not go away on the networks we act on). */
  private readonly withCode = new Set<string>();

  /**
   * Fails, naming the address and its issuer-book entry, when no contract lives at `target`: a call
   * to an empty address succeeds on a chain, so a wrong book would show only as a later, puzzling
   * assertion.
   */
  private async requireCode(target: string): Promise<void> {
    const address = getAddress(target);
    if (this.withCode.has(address)) return;
    const code = (await this.rpc.send("eth_getCode", [address, "latest"])) as string;
    if (code === "0x") {
      const entry = Object.entries(this.book).find(([, value]) => value && getAddress(value) === address)?.[0];
      throw new DriverError(
        `no contract at ${address}${entry ? ` (issuer book entry ${entry})` : ""} on this chain: the issuer book ` +
          "does not match the network (install the sandbox, or fork mainnet at a block where the issuer exists)",
      );
    }
    this.withCode.add(address);
  }

  /** Acts as the `owner()` of `target` (the issuer's admin, read from the chain). */
  private async asOwnerOf<T>(target: string, abi: readonly string[], work: (c: Contract, owner: string) => Promise<T>) {
    await this.requireCode(target);
    const owner = (await (await this.read(target, abi)).getFunction("owner")()) as string;
    return this.as(owner, target, abi, (c) => work(c, owner));
  }

  /* TIME */

  async now(): Promise<bigint> {
    const block = await this.rpc.send("eth_getBlockByNumber", ["latest", false]);
    return BigInt(block.timestamp);
  }

  /**
   * The time the next block will carry. Where we may set the clock (the in-process network, a local
   * node, a fork) the chain keeps its own time, which may be years from the wall clock (a fork of a
   * past block) or pinned by a test: that is the pending block's timestamp. On a live network blocks
   * are stamped with the wall clock, which may be ahead of the latest block.
   */
  private async clock(): Promise<bigint> {
    if (this.canWarpTime) {
      const pending = await this.rpc.send("eth_getBlockByNumber", ["pending", false]);
      return BigInt(pending.timestamp);
    }
    const wall = BigInt(Math.floor(Date.now() / 1000));
    const chain = await this.now();
    return chain > wall ? chain : wall;
  }

  /** Lets `seconds` pass: by moving the clock where we may, by waiting elsewhere. */
  private async elapse(seconds: bigint): Promise<void> {
    if (this.canWarpTime) await this.advanceTime(seconds);
    else await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1_000 + 1_000));
  }

  async advanceTime(seconds: bigint | number): Promise<void> {
    if (!this.canWarpTime) {
      throw new DriverError(`cannot advance time on this network; wait ${seconds} s instead`);
    }
    await this.rpc.send("evm_increaseTime", [Number(seconds)]);
    await this.rpc.send("evm_mine", []);
  }

  /* ALLOWLISTS */

  /** Lets `holder` hold `product`: Superstate AllowList, Securitize registry or Centrifuge membership. */
  async allowlist(product: AllowlistedProduct, holder: string): Promise<void> {
    const who = getAddress(holder);
    if (product === "USTB" || product === "USCC") return this.allowSuperstate(who, product);
    if (product === "JTRSY" || product === "JAAA") return this.setCentrifugeMembership(product, who, MAX_UINT64);
    return this.registerSecuritizeWallet(who, product === "STAC" ? this.book.STAC_REGISTRY : this.book.BUIDL_REGISTRY);
  }

  /**
   * Superstate's AllowList (V3.1) keeps entities and protocol permissions exclusive and refuses a setting
   * that changes nothing (`AlreadySet`), so every change below reads the current state first: a contract
   * (an adapter, a vault) with no entity gets a protocol permission; anyone else an entity of its own,
   * allowed for the fund (USTB or USCC, each a private instrument keyed by its ticker).
   */
  private async allowSuperstate(holder: string, fund: "USTB" | "USCC"): Promise<void> {
    const allowList = await this.read(this.book.USTB_ALLOWLIST, SUPERSTATE_ALLOWLIST_ABI);
    const entityId = (await allowList.getFunction("addressEntityIds")(holder)) as bigint;
    const isContract = (await this.rpc.send("eth_getCode", [holder, "latest"])) !== "0x";
    if (entityId === 0n && isContract) {
      if ((await allowList.getFunction("protocolPermissions")(holder, fund)) as boolean) return;
      await this.asOwnerOf(this.book.USTB_ALLOWLIST, SUPERSTATE_ALLOWLIST_ABI, async (c) => {
        await (await c.getFunction("setProtocolAddressPermission")(holder, fund, true)).wait();
      });
      return;
    }
    const entity = entityId === 0n ? (BigInt(holder) % 1_000_000_000n) + 1n : entityId;
    if (
      entityId !== 0n &&
      ((await allowList.getFunction("isEntityAllowedForPrivateInstrument")(entity, fund)) as boolean)
    ) {
      return;
    }
    await this.asOwnerOf(this.book.USTB_ALLOWLIST, SUPERSTATE_ALLOWLIST_ABI, async (c) => {
      if (entityId === 0n) await (await c.getFunction("setEntityIdForAddress")(entity, holder)).wait();
      await (await c.getFunction("setEntityAllowedForPrivateInstrument")(entity, fund, true)).wait();
    });
  }

  /**
   * Puts `holder` in the Superstate AllowList entity of `member` (already allowlisted): one investor's
   * second address, which may then receive USTB that `member` subscribes for it. A holder in another
   * entity leaves it first, as the AllowList requires.
   */
  async joinUstbEntity(holder: string, member: string): Promise<void> {
    const [who, of] = [getAddress(holder), getAddress(member)];
    const allowList = await this.read(this.book.USTB_ALLOWLIST, SUPERSTATE_ALLOWLIST_ABI);
    const entityId = (await allowList.getFunction("addressEntityIds")(of)) as bigint;
    if (entityId === 0n) throw new DriverError(`${of} has no Superstate entity; allowlist it for USTB first`);
    const current = (await allowList.getFunction("addressEntityIds")(who)) as bigint;
    if (current === entityId) return;
    if ((await allowList.getFunction("hasAnyProtocolPermissions")(who)) as boolean) {
      throw new DriverError(`${who} holds Superstate protocol permissions; revoke them before it joins an entity`);
    }
    await this.asOwnerOf(this.book.USTB_ALLOWLIST, SUPERSTATE_ALLOWLIST_ABI, async (c) => {
      if (current !== 0n) await (await c.getFunction("setEntityIdForAddress")(0n, who)).wait();
      await (await c.getFunction("setEntityIdForAddress")(entityId, who)).wait();
    });
  }

  /**
   * Removes `holder` from USTB's AllowList: a contract's protocol permission is withdrawn, an address in
   * an entity leaves it (its entity id set to 0, the AllowList's way to remove an address).
   */
  async revokeUstb(holder: string): Promise<void> {
    const who = getAddress(holder);
    const allowList = await this.read(this.book.USTB_ALLOWLIST, SUPERSTATE_ALLOWLIST_ABI);
    const entityId = (await allowList.getFunction("addressEntityIds")(who)) as bigint;
    const isProtocol = (await allowList.getFunction("protocolPermissions")(who, "USTB")) as boolean;
    if (entityId === 0n && !isProtocol) return;
    await this.asOwnerOf(this.book.USTB_ALLOWLIST, SUPERSTATE_ALLOWLIST_ABI, async (c) => {
      if (entityId !== 0n) await (await c.getFunction("setEntityIdForAddress")(0n, who)).wait();
      else await (await c.getFunction("setProtocolAddressPermission")(who, "USTB", false)).wait();
    });
  }

  private async registerSecuritizeWallet(holder: string, registryAddress: string): Promise<void> {
    const registry = await this.read(registryAddress, DS_REGISTRY_ABI);
    if ((await registry.getFunction("isWallet")(holder)) as boolean) return;
    const investorId = `reserve-router-${holder.toLowerCase()}`;
    await this.as(this.book.BUIDL_ADMIN, registryAddress, DS_REGISTRY_ABI, async (c) => {
      await (await c.getFunction("registerInvestor")(investorId, keccakText(investorId))).wait();
      await (await c.getFunction("addWallet")(holder, investorId)).wait();
    });
  }

  /* USDC */

  /** Mints `amount` USDC to `to` through the master minter, as Circle would. */
  async fundUsdc(to: string, amount: bigint): Promise<void> {
    if (amount === 0n) return;
    const usdc = await this.read(this.book.USDC, FIAT_TOKEN_ABI);
    const masterMinter = (await usdc.getFunction("masterMinter")()) as string;
    // The master minter allows itself the amount, then mints it, as Circle's operations would.
    await this.as(masterMinter, this.book.USDC, FIAT_TOKEN_ABI, async (c) => {
      await (await c.getFunction("configureMinter")(masterMinter, amount)).wait();
      await (await c.getFunction("mint")(getAddress(to), amount)).wait();
    });
  }

  /* SUPERSTATE USTB */

  private async ustbOracle(): Promise<string> {
    const token = await this.read(this.book.USTB, SUPERSTATE_TOKEN_ABI);
    return getAddress((await token.getFunction("superstateOracle")()) as string);
  }

  /**
   * Adds one NAV checkpoint struck a second ago, effective a few seconds later (the oracle refuses an
   * `effectiveAt` in the past), and lets it take effect. The oracle then extrapolates along the line
   * through the previous checkpoint: struck a day after it, this models the daily NAV cadence.
   * @param navs NAV per share with 6 decimals (10_500_000n is $10.50), within the oracle's maximum
   *   acceptable delta of the last checkpoint; the token treats a price below $7 as bad data.
   */
  async addUstbCheckpoint(navs: bigint): Promise<void> {
    await this.addUstbCheckpoints([navs]);
  }

  /**
   * Sets the USTB price to exactly `navs` and holds it flat: two equal checkpoints, so the oracle's
   * extrapolation has zero slope until the next checkpoint.
   */
  async setUstbNav(navs: bigint): Promise<void> {
    await this.addUstbCheckpoints([navs, navs]);
  }

  private async addUstbCheckpoints(navsList: readonly bigint[]): Promise<void> {
    const oracle = await this.ustbOracle();
    const now = await this.clock();
    const margin = this.canWarpTime ? 5n : 30n;
    const count = BigInt(navsList.length);
    await this.asOwnerOf(oracle, SUPERSTATE_ORACLE_ABI, async (c) => {
      for (const [i, navs] of navsList.entries()) {
        const k = BigInt(i);
        // Strike and effective times strictly increase, as the oracle requires.
        const struck = now - count + k;
        await (await c.getFunction("addCheckpoint")(struck, now + margin + k, navs, true)).wait();
      }
    });
    await this.elapse(margin + count);
  }

  /**
   * USTB's price as the oracle reports it now (6 decimals) and when the NAV it extrapolates from was
   * struck (the checkpoint's timestamp: the oracle's own `updatedAt` is always now); undefined when the
   * oracle refuses (stale, or no checkpoint yet).
   */
  async ustbNav(): Promise<{ price: bigint; updatedAt: bigint } | undefined> {
    try {
      const oracle = await this.read(await this.ustbOracle(), SUPERSTATE_ORACLE_ABI);
      const round = (await oracle.getFunction("latestRoundData")()) as [bigint, bigint, bigint, bigint, bigint];
      const checkpoint = (await oracle.getFunction("checkpoints")(round[0])) as [bigint, bigint, bigint];
      return { price: round[1], updatedAt: checkpoint[0] };
    } catch {
      return undefined;
    }
  }

  /** A controller's JTRSY requests: pending and claimable, deposits (assets) and redemptions (shares). */
  async jtrsyRequests(
    controller: string,
  ): Promise<{ pendingDeposit: bigint; claimableDeposit: bigint; pendingRedeem: bigint; claimableRedeem: bigint }> {
    const vault = await this.read(this.book.JTRSY_VAULT, ERC7540_VAULT_ABI);
    const who = getAddress(controller);
    const view = async (name: string) => (await vault.getFunction(name)(0n, who)) as bigint;
    return {
      pendingDeposit: await view("pendingDepositRequest"),
      claimableDeposit: await view("claimableDepositRequest"),
      pendingRedeem: await view("pendingRedeemRequest"),
      claimableRedeem: await view("claimableRedeemRequest"),
    };
  }

  /** The USTB price the oracle gives now (6 decimals); reverts when the oracle is stale. */
  async ustbPrice(): Promise<bigint> {
    const [, answer] = (await (
      await this.read(await this.ustbOracle(), SUPERSTATE_ORACLE_ABI)
    ).getFunction("latestRoundData")()) as [bigint, bigint];
    return answer;
  }

  /** Gives RedemptionIdle `amount` more USDC to pay instant redemptions with. */
  async fundUstbRedemption(amount: bigint): Promise<void> {
    await this.fundUsdc(this.book.USTB_REDEMPTION_IDLE, amount);
  }

  /** Superstate takes all USDC out of RedemptionIdle: instant redemptions run dry. Returns what it held. */
  async drainUstbRedemption(): Promise<bigint> {
    const held = (await (await this.read(this.book.USDC, FIAT_TOKEN_ABI)).getFunction("balanceOf")(
      this.book.USTB_REDEMPTION_IDLE,
    )) as bigint;
    if (held === 0n) return 0n;
    await this.asOwnerOf(this.book.USTB_REDEMPTION_IDLE, REDEMPTION_IDLE_ABI, async (c, owner) => {
      await (await c.getFunction("withdraw")(this.book.USDC, owner, held)).wait();
    });
    return held;
  }

  /** Superstate sets RedemptionIdle's fee on instant redemptions, in bps (at most 10). */
  async setUstbRedemptionFee(bps: bigint): Promise<void> {
    await this.asOwnerOf(this.book.USTB_REDEMPTION_IDLE, REDEMPTION_IDLE_ABI, async (c) => {
      await (await c.getFunction("setRedemptionFee")(bps)).wait();
    });
  }

  /**
   * The emulated RedemptionIdle pays `bps` less than it quotes (0: honest again): an issuer failing
   * between its views and its call. Only the sandbox can; the real contract pays its quote.
   */
  async payUstbRedemptionsShort(bps: bigint): Promise<void> {
    try {
      await this.asOwnerOf(this.book.USTB_REDEMPTION_IDLE, REDEMPTION_IDLE_ABI, async (c) => {
        await (await c.getFunction("setShortPayBps")(bps)).wait();
      });
    } catch (error) {
      throw new DriverError(
        `RedemptionIdle at ${this.book.USTB_REDEMPTION_IDLE} cannot be made to pay short (${String(error).slice(0, 80)}): only the emulated mainnet's sandbox can`,
      );
    }
  }

  /** Superstate pauses (or resumes) instant redemptions at RedemptionIdle. */
  async pauseUstbRedemption(paused: boolean): Promise<void> {
    await this.asOwnerOf(this.book.USTB_REDEMPTION_IDLE, REDEMPTION_IDLE_ABI, async (c) => {
      await (await c.getFunction(paused ? "pause" : "unpause")()).wait();
    });
  }

  /** Superstate pauses (or resumes) the USTB token: no subscription, no transfer. */
  async pauseUstb(paused: boolean): Promise<void> {
    await this.asOwnerOf(this.book.USTB, SUPERSTATE_TOKEN_ABI, async (c) => {
      await (await c.getFunction(paused ? "pause" : "unpause")()).wait();
    });
  }

  /** Superstate pauses (or resumes) USTB's accounting: no mint, no burn, so no redemption either. */
  async pauseUstbAccounting(paused: boolean): Promise<void> {
    await this.asOwnerOf(this.book.USTB, SUPERSTATE_TOKEN_ABI, async (c) => {
      await (await c.getFunction(paused ? "accountingPause" : "accountingUnpause")()).wait();
    });
  }

  /** Superstate sets the USDC subscription fee of USTB, in bps (at most 10), keeping the sweep address. */
  async setUstbSubscriptionFee(bps: bigint): Promise<void> {
    await this.asOwnerOf(this.book.USTB, SUPERSTATE_TOKEN_ABI, async (c) => {
      const [sweep] = (await c.getFunction("supportedStablecoins")(this.book.USDC)) as [string, bigint];
      await (await c.getFunction("setStablecoinConfig")(this.book.USDC, sweep, bps)).wait();
    });
  }

  /** Pays an off-chain USTB redemption: Superstate sends `amount` USDC to the holder. */
  async payUstbRedemption(holder: string, amount: bigint): Promise<void> {
    await this.fundUsdc(holder, amount);
  }

  /* SECURITIZE BUIDL */

  /** Issues `amount` of BUIDL, BUIDL-I or STAC to `to`: a subscription filled, or a monthly dividend. */
  async issueBuidl(token: SecuritizeToken, to: string, amount: bigint): Promise<void> {
    await this.as(this.book.BUIDL_ADMIN, this.book[token], DS_TOKEN_ABI, async (c) => {
      await (await c.getFunction("issueTokens")(getAddress(to), amount)).wait();
    });
  }

  /**
   * Sets the lock-up on newly issued tokens of `token` (US and non-US investors alike) on Securitize's
   * compliance configuration service, which the token names (`getDSService(256)`), as its issuer.
   */
  async setBuidlLockPeriod(token: "BUIDL" | "BUIDL_I", seconds: bigint): Promise<void> {
    const dsToken = await this.read(this.book[token], DS_TOKEN_ABI);
    const configuration = (await dsToken.getFunction("getDSService")(DS_COMPLIANCE_CONFIGURATION_SERVICE)) as string;
    await this.requireCode(configuration);
    await this.as(this.book.BUIDL_ADMIN, configuration, DS_COMPLIANCE_CONFIGURATION_ABI, async (c) => {
      await (await c.getFunction("setUSLockPeriod")(seconds)).wait();
      await (await c.getFunction("setNonUSLockPeriod")(seconds)).wait();
    });
  }

  /** Gives the instant-redemption facility `amount` more USDC. */
  async fundBuidlRedemption(amount: bigint): Promise<void> {
    const facility = await this.read(this.book.BUIDL_REDEMPTION, BUIDL_REDEMPTION_ABI);
    await this.fundUsdc((await facility.getFunction("liquidity")()) as string, amount);
  }

  /**
   * Circle's facility runs out: its liquidity source sends all its USDC away (acting as that
   * contract, as only a local chain allows). Returns what it held.
   */
  async drainBuidlRedemption(): Promise<bigint> {
    const facility = await this.read(this.book.BUIDL_REDEMPTION, BUIDL_REDEMPTION_ABI);
    const source = (await facility.getFunction("liquidity")()) as string;
    const held = (await (await this.read(this.book.USDC, FIAT_TOKEN_ABI)).getFunction("balanceOf")(source)) as bigint;
    if (held === 0n) return 0n;
    await this.as(source, this.book.USDC, FIAT_TOKEN_ABI, async (c) => {
      await (await c.getFunction("transfer")(this.book.BUIDL_ADMIN, held)).wait();
    });
    return held;
  }

  /** Pays an off-chain BUIDL redemption: Securitize sends `amount` USDC to the holder. */
  async payBuidlRedemption(holder: string, amount: bigint): Promise<void> {
    await this.fundUsdc(holder, amount);
  }

  /* TRANSFER-ISSUED PRODUCTS PRICED BY A FEED: SUPERSTATE USCC, SECURITIZE STAC */

  /** Mints `amount` USCC to `to` as its owner does once a subscription paid at the deposit address clears. */
  async mintUscc(to: string, amount: bigint): Promise<void> {
    await this.asOwnerOf(this.book.USCC, SUPERSTATE_TOKEN_ABI, async (c) => {
      await (await c.getFunction("mint")(getAddress(to), amount)).wait();
    });
  }

  /** Pauses or unpauses USCC (transfers, and with `accounting` its mints and burns). */
  async pauseUscc(paused: boolean, part: "token" | "accounting" = "token"): Promise<void> {
    await this.asOwnerOf(this.book.USCC, SUPERSTATE_TOKEN_ABI, async (c) => {
      const call = part === "token" ? (paused ? "pause" : "unpause") : paused ? "accountingPause" : "accountingUnpause";
      await (await c.getFunction(call)()).wait();
    });
  }

  /** The NAV feed of `product`: its latest answer, when it was posted and its decimals. */
  async navFeed(product: NavFeedProduct): Promise<{ answer: bigint; updatedAt: bigint; decimals: bigint }> {
    const feed = await this.read(this.book[`${product}_NAV_FEED`], NAV_FEED_ABI);
    const [, answer, , updatedAt] = (await feed.getFunction("latestRoundData")()) as [bigint, bigint, bigint, bigint];
    return { answer, updatedAt, decimals: (await feed.getFunction("decimals")()) as bigint };
  }

  /** Posts a new NAV for `product`, dated now, as its publisher (the emulated mainnet's feeds only). */
  async setNav(product: NavFeedProduct, answer: bigint): Promise<void> {
    await this.asOwnerOf(this.book[`${product}_NAV_FEED`], NAV_FEED_ABI, async (c) => {
      await (await c.getFunction("setAnswer")(answer)).wait();
    });
  }

  /** Dates `product`'s last NAV `seconds` back: its publisher has gone quiet (the emulated mainnet's feeds). */
  async ageNav(product: NavFeedProduct, seconds: bigint): Promise<void> {
    await this.asOwnerOf(this.book[`${product}_NAV_FEED`], NAV_FEED_ABI, async (c) => {
      await (await c.getFunction("age")(seconds)).wait();
    });
  }

  /* SECURITIZE'S OFF-RAMP FOR BUIDL, OVER A GROVE BASIN (placed by the emulated mainnet only) */

  /** Pauses or unpauses Securitize's off-ramp, or its liquidity provider. */
  async pauseBuidlOffRamp(paused: boolean, part: "offRamp" | "provider" = "offRamp"): Promise<void> {
    const [target, abi] =
      part === "offRamp"
        ? [bookEntry(this.book, "BUIDL_OFF_RAMP"), SECURITIZE_OFF_RAMP_ABI]
        : [bookEntry(this.book, "BUIDL_OFF_RAMP_PROVIDER"), OFF_RAMP_PROVIDER_ABI];
    await this.asOwnerOf(target, abi, async (c) => {
      await (await c.getFunction(paused ? "pause" : "unpause")()).wait();
    });
  }

  /** Sets Securitize's off-ramp fee, in thousandths of a basis point (1,000 = 1 %). */
  async setBuidlOffRampFee(mbps: bigint): Promise<void> {
    await this.asOwnerOf(bookEntry(this.book, "BUIDL_OFF_RAMP_FEES"), MBPS_FEE_MANAGER_ABI, async (c) => {
      await (await c.getFunction("setFeePercentageMBPS")(mbps)).wait();
    });
  }

  /** Sets BUIDL's NAV as the off-ramp reads it (6 decimals: 1,000,000 = $1). */
  async setBuidlOffRampNav(rate: bigint): Promise<void> {
    await this.asOwnerOf(bookEntry(this.book, "BUIDL_OFF_RAMP_NAV"), SECURITIZE_NAV_PROVIDER_ABI, async (c) => {
      await (await c.getFunction("setRate")(rate)).wait();
    });
  }

  /** Sets the off-ramp provider's band around the NAV, in 1/100,000 (1,000 = 1 %). */
  async setBuidlOffRampTolerance(tolerance: bigint): Promise<void> {
    await this.asOwnerOf(bookEntry(this.book, "BUIDL_OFF_RAMP_PROVIDER"), OFF_RAMP_PROVIDER_ABI, async (c) => {
      await (await c.getFunction("setRateTolerance")(tolerance)).wait();
    });
  }

  /**
   * Pauses or unpauses one direction of the Basin: BUIDL → USDC (`"sales"`, the off-ramp's) or USDC → BUIDL
   * (`"purchases"`, the on-ramp's).
   */
  async pauseBuidlBasin(paused: boolean, direction: "sales" | "purchases" = "sales"): Promise<void> {
    await this.asOwnerOf(bookEntry(this.book, "BUIDL_BASIN"), GROVE_BASIN_ABI, async (c) => {
      const name = direction === "sales" ? "PAUSED_SWAP_CREDIT_TO_COLLATERAL" : "PAUSED_SWAP_COLLATERAL_TO_CREDIT";
      const key = (await c.getFunction(name)()) as string;
      await (await c.getFunction(paused ? "setPaused" : "setUnpaused")(key)).wait();
    });
  }

  /**
   * Sets the Basin's fee in basis points on sales of BUIDL (its redemption fee) or purchases (its purchase
   * fee); `"max"` puts it at its upper bound. Returns the fee set.
   */
  async setBuidlBasinFee(bps: bigint | "max", side: "sales" | "purchases" = "sales"): Promise<bigint> {
    return this.asOwnerOf(bookEntry(this.book, "BUIDL_BASIN"), GROVE_BASIN_ABI, async (c) => {
      const fee = bps === "max" ? ((await c.getFunction("maxFee")()) as bigint) : bps;
      await (await c.getFunction(side === "sales" ? "setRedemptionFee" : "setPurchaseFee")(fee)).wait();
      return fee;
    });
  }

  /** Pauses or unpauses Securitize's on-ramp, or its asset provider. */
  async pauseBuidlOnRamp(paused: boolean, part: "onRamp" | "provider" = "onRamp"): Promise<void> {
    const [target, abi] =
      part === "onRamp"
        ? [bookEntry(this.book, "BUIDL_ON_RAMP"), SECURITIZE_ON_RAMP_ABI]
        : [bookEntry(this.book, "BUIDL_ON_RAMP_PROVIDER"), ON_RAMP_PROVIDER_ABI];
    await this.asOwnerOf(target, abi, async (c) => {
      await (await c.getFunction(paused ? "pause" : "unpause")()).wait();
    });
  }

  /** Turns the on-ramp's subscriptions on or off, and sets its minimum subscription when given. */
  async setBuidlOnRampSubscriptions(enabled: boolean, minimum?: bigint): Promise<void> {
    await this.asOwnerOf(bookEntry(this.book, "BUIDL_ON_RAMP"), SECURITIZE_ON_RAMP_ABI, async (c) => {
      if (((await c.getFunction("investorSubscriptionEnabled")()) as boolean) !== enabled) {
        await (await c.getFunction("toggleInvestorSubscription")(enabled)).wait();
      }
      if (minimum !== undefined) await (await c.getFunction("updateMinSubscriptionAmount")(minimum)).wait();
    });
  }

  /** Sets Securitize's on-ramp fee, in thousandths of a basis point. */
  async setBuidlOnRampFee(mbps: bigint): Promise<void> {
    await this.asOwnerOf(bookEntry(this.book, "BUIDL_ON_RAMP_FEES"), MBPS_FEE_MANAGER_ABI, async (c) => {
      await (await c.getFunction("setFeePercentageMBPS")(mbps)).wait();
    });
  }

  /**
   * The BUIDL the Basin holds for sale runs down to `leave`: Securitize takes the rest back (a burn, as
   * only the issuer may). Returns what left.
   */
  async drainBuidlBasinStock(leave = 0n): Promise<bigint> {
    const basin = bookEntry(this.book, "BUIDL_BASIN");
    const held = (await (await this.read(this.book.BUIDL, DS_TOKEN_ABI)).getFunction("balanceOf")(basin)) as bigint;
    if (held <= leave) return 0n;
    await this.as(this.book.BUIDL_ADMIN, this.book.BUIDL, DS_TOKEN_ABI, async (c) => {
      await (await c.getFunction("burn")(basin, held - leave, "Basin stock run down")).wait();
    });
    return held - leave;
  }

  /** Sets the Basin's largest swap, in USD with 18 decimals. */
  async setBuidlBasinMaxSwapSize(usd: bigint): Promise<void> {
    await this.asOwnerOf(bookEntry(this.book, "BUIDL_BASIN"), GROVE_BASIN_ABI, async (c) => {
      await (await c.getFunction("setMaxSwapSize")(usd)).wait();
    });
  }

  /** Sets BUIDL's price in the Basin (27 decimals: 10^27 = $1), observed now; a stopped feed runs again. */
  async setBuidlBasinRate(rate: bigint): Promise<void> {
    await this.asOwnerOf(await this.buidlBasinRateProvider(), GROVE_RATE_PROVIDER_ABI, async (c) => {
      await (await c.getFunction("setConversionRate")(rate)).wait();
    });
  }

  /** BUIDL's price feed in the Basin stops, last updated `seconds` ago (past the threshold, swaps stop). */
  async ageBuidlBasinRate(seconds: bigint): Promise<void> {
    const at = (await this.clock()) - seconds;
    await this.asOwnerOf(await this.buidlBasinRateProvider(), GROVE_RATE_PROVIDER_ABI, async (c) => {
      await (await c.getFunction("setLastUpdated")(at)).wait();
    });
  }

  /** Gives the Basin `amount` more USDC. */
  async fundBuidlBasin(amount: bigint): Promise<void> {
    await this.fundUsdc(bookEntry(this.book, "BUIDL_BASIN"), amount);
  }

  /**
   * The Basin's USDC runs down to `leave`: it sends the rest to Grove (acting as the Basin, as only a local
   * chain allows). Returns what left.
   */
  async drainBuidlBasin(leave = 0n): Promise<bigint> {
    const basin = bookEntry(this.book, "BUIDL_BASIN");
    const held = (await (await this.read(this.book.USDC, FIAT_TOKEN_ABI)).getFunction("balanceOf")(basin)) as bigint;
    if (held <= leave) return 0n;
    const owner = (await (await this.read(basin, GROVE_BASIN_ABI)).getFunction("owner")()) as string;
    await this.as(basin, this.book.USDC, FIAT_TOKEN_ABI, async (c) => {
      await (await c.getFunction("transfer")(owner, held - leave)).wait();
    });
    return held - leave;
  }

  private async buidlBasinRateProvider(): Promise<string> {
    const basin = await this.read(bookEntry(this.book, "BUIDL_BASIN"), GROVE_BASIN_ABI);
    return (await basin.getFunction("creditTokenRateProvider")()) as string;
  }

  /* CENTRIFUGE V3 (JTRSY, JAAA) */

  /**
   * Centrifuge's side is played as its root, a ward of every V3 contract on mainnet: memberships on the
   * share token's hook, prices on the spoke, and the hub's answers as the callbacks the spoke passes to
   * the request manager (approved deposits, issued shares, revoked shares, fulfilled requests), as
   * Centrifuge's and Grove's fork tests drive them.
   */
  private asRoot<T>(target: string, abi: readonly string[], work: (c: Contract) => Promise<T>): Promise<T> {
    return this.as(this.book.CENTRIFUGE_ROOT, target, abi, work);
  }

  /** A V3 vault with its pool, share class, share token, asset and the asset's id on the spoke. */
  private async centrifugeVault(name: CentrifugeVault): Promise<CentrifugeVaultInfo> {
    const vault = await this.read(this.book[name], ERC7540_VAULT_ABI);
    const [poolId, scId, share, asset] = (await Promise.all([
      vault.getFunction("poolId")(),
      vault.getFunction("scId")(),
      vault.getFunction("share")(),
      vault.getFunction("asset")(),
    ])) as [bigint, string, string, string];
    const spoke = await this.read(this.book.CENTRIFUGE_SPOKE, CENTRIFUGE_SPOKE_ABI);
    const assetId = (await spoke.getFunction("assetToId")(asset, 0n)) as bigint;
    return { vault, poolId, scId, share: getAddress(share), asset: getAddress(asset), assetId };
  }

  /** Sends the hub's answers for `info`'s vault through the spoke, in order, as the root. */
  private async hubAnswers(info: CentrifugeVaultInfo, payloads: readonly string[]): Promise<void> {
    await this.asRoot(this.book.CENTRIFUGE_SPOKE, CENTRIFUGE_SPOKE_ABI, async (spoke) => {
      for (const payload of payloads) {
        await (await spoke.getFunction("requestCallback")(info.poolId, info.scId, info.assetId, payload)).wait();
      }
    });
  }

  /** The share price (pool unit per share, 18 decimals) and when it was computed. */
  private async sharePrice(info: CentrifugeVaultInfo): Promise<{ price: bigint; computedAt: bigint }> {
    const spoke = await this.read(this.book.CENTRIFUGE_SPOKE, CENTRIFUGE_SPOKE_ABI);
    const price = (await spoke.getFunction("pricePoolPerShare")(info.poolId, info.scId, false)) as bigint;
    const [computedAt] = (await spoke.getFunction("markersPricePoolPerShare")(info.poolId, info.scId)) as [bigint];
    return { price, computedAt };
  }

  /** The membership hook of `product`'s share token, read from the token. */
  private async hookOf(product: CentrifugeShare): Promise<string> {
    const share = await this.read(this.book[product], CENTRIFUGE_SHARE_ABI);
    return getAddress((await share.getFunction("hook")()) as string);
  }

  /** Sets `holder`'s membership of `product` until `validUntil` (a near time models a lapsing one). */
  async setCentrifugeMembership(product: CentrifugeShare, holder: string, validUntil: bigint): Promise<void> {
    await this.asRoot(await this.hookOf(product), CENTRIFUGE_HOOK_ABI, async (c) => {
      await (await c.getFunction("updateMember")(this.book[product], getAddress(holder), validUntil)).wait();
    });
  }

  /** Sets `holder`'s JTRSY membership expiry (a past or near time models an expired membership). */
  async setJtrsyMembership(holder: string, validUntil: bigint): Promise<void> {
    await this.setCentrifugeMembership("JTRSY", holder, validUntil);
  }

  /** Freezes (or unfreezes) `holder` on `product`'s list: a frozen account neither sends nor receives. */
  async freezeCentrifuge(product: CentrifugeShare, holder: string, frozen: boolean): Promise<void> {
    await this.asRoot(await this.hookOf(product), CENTRIFUGE_HOOK_ABI, async (c) => {
      await (await c.getFunction(frozen ? "freeze" : "unfreeze")(this.book[product], getAddress(holder))).wait();
    });
  }

  /** `holder`'s membership of `product`: whether it is valid now, and until when. */
  async centrifugeMembership(product: CentrifugeShare, holder: string): Promise<{ valid: boolean; until: bigint }> {
    const hook = await this.read(await this.hookOf(product), CENTRIFUGE_HOOK_ABI);
    const [valid, until] = (await hook.getFunction("isMember")(this.book[product], getAddress(holder))) as [
      boolean,
      bigint,
    ];
    return { valid, until };
  }

  /** Sets the share price of `vault`'s share class (pool unit per share, 18 decimals) as computed now. */
  async setCentrifugePrice(price: bigint, vault: CentrifugeVault = "JTRSY_VAULT"): Promise<void> {
    if (price < 0n || price >= 2n ** 128n) throw new DriverError(`a Centrifuge price is a uint128, got ${price}`);
    const info = await this.centrifugeVault(vault);
    const computedAt = await this.now();
    await this.asRoot(this.book.CENTRIFUGE_SPOKE, CENTRIFUGE_SPOKE_ABI, async (c) => {
      await (await c.getFunction("updatePricePoolPerShare")(info.poolId, info.scId, price, computedAt)).wait();
    });
  }

  /** Sets JTRSY's share price (USD per share, 18 decimals) as computed now: the pool's NAV update. */
  async setJtrsyPrice(price: bigint): Promise<void> {
    await this.setCentrifugePrice(price, "JTRSY_VAULT");
  }

  /** Sets the price of `vault`'s asset in the pool's unit (18 decimals) as computed now. */
  async setCentrifugeAssetPrice(price: bigint, vault: CentrifugeVault = "JTRSY_VAULT"): Promise<void> {
    const info = await this.centrifugeVault(vault);
    const computedAt = await this.now();
    await this.asRoot(this.book.CENTRIFUGE_SPOKE, CENTRIFUGE_SPOKE_ABI, async (c) => {
      await (
        await c.getFunction("updatePricePoolPerAsset")(info.poolId, info.scId, info.assetId, price, computedAt)
      ).wait();
    });
  }

  /** Sets how long the price of `vault`'s asset stays valid: a redemption's claim needs a valid one. */
  async setCentrifugeMaxAssetPriceAge(seconds: bigint, vault: CentrifugeVault = "JTRSY_VAULT"): Promise<void> {
    const info = await this.centrifugeVault(vault);
    await this.asRoot(this.book.CENTRIFUGE_SPOKE, CENTRIFUGE_SPOKE_ABI, async (c) => {
      await (await c.getFunction("setMaxAssetPriceAge")(info.poolId, info.scId, info.assetId, seconds)).wait();
    });
  }

  /** Sets how long `vault`'s share price stays valid (Centrifuge's `maxAge`). */
  async setCentrifugeMaxPriceAge(seconds: bigint, vault: CentrifugeVault = "JTRSY_VAULT"): Promise<void> {
    const info = await this.centrifugeVault(vault);
    await this.asRoot(this.book.CENTRIFUGE_SPOKE, CENTRIFUGE_SPOKE_ABI, async (c) => {
      await (await c.getFunction("setMaxSharePriceAge")(info.poolId, info.scId, seconds)).wait();
    });
  }

  /**
   * The hub approves `controller`'s pending deposit at `vault` (all of it by default) and issues its
   * shares into the pool escrow, at a price it chooses; `notify…` makes them claimable. A cancellation
   * asked for after this waits for that notification.
   */
  async approveCentrifugeDeposit(
    controller: string,
    options: { assets?: bigint; shares?: bigint; vault?: CentrifugeVault } = {},
  ): Promise<{ assets: bigint; shares: bigint }> {
    const info = await this.centrifugeVault(options.vault ?? "JTRSY_VAULT");
    const pending = (await info.vault.getFunction("pendingDepositRequest")(0n, getAddress(controller))) as bigint;
    const assets = options.assets ?? pending;
    if (assets === 0n) throw new DriverError(`${controller} has no pending deposit to fulfil at ${info.vault.target}`);
    if (assets > pending) {
      throw new DriverError(`cannot fulfil ${assets} of ${controller}'s pending deposit of ${pending}: at most that`);
    }
    const shares = options.shares ?? ((await info.vault.getFunction("convertToShares")(assets)) as bigint);
    const { price } = await this.sharePrice(info);
    await this.hubAnswers(info, [
      solidityPacked(["uint8", "uint128", "uint128"], [CALLBACK.ApprovedDeposits, assets, ONE_D18]),
      solidityPacked(["uint8", "uint128", "uint128"], [CALLBACK.IssuedShares, shares, price]),
    ]);
    return { assets, shares };
  }

  /**
   * The hub tells `controller` what its deposit got: `assets` filled for `shares`, and, if a
   * cancellation is pending, the rest of the request returned.
   */
  async notifyCentrifugeDeposit(
    controller: string,
    fill: { assets: bigint; shares: bigint },
    vault: CentrifugeVault = "JTRSY_VAULT",
  ): Promise<void> {
    await this.notifyCentrifuge("Deposit", controller, fill, vault);
  }

  /** The issuer fulfils `controller`'s pending deposit (all of it by default) at a price it chooses. */
  async fulfilJtrsyDeposit(
    controller: string,
    options: { assets?: bigint; shares?: bigint; vault?: CentrifugeVault } = {},
  ): Promise<void> {
    const fill = await this.approveCentrifugeDeposit(controller, options);
    await this.notifyCentrifugeDeposit(controller, fill, options.vault);
  }

  /**
   * The hub revokes the shares of `controller`'s pending redemption at `vault` (all by default) for
   * `assets`, which the pool puts in its escrow; `notify…` makes them claimable.
   */
  async approveCentrifugeRedeem(
    controller: string,
    options: { shares?: bigint; assets?: bigint; vault?: CentrifugeVault } = {},
  ): Promise<{ assets: bigint; shares: bigint }> {
    const info = await this.centrifugeVault(options.vault ?? "JTRSY_VAULT");
    const pending = (await info.vault.getFunction("pendingRedeemRequest")(0n, getAddress(controller))) as bigint;
    const shares = options.shares ?? pending;
    if (shares === 0n)
      throw new DriverError(`${controller} has no pending redemption to fulfil at ${info.vault.target}`);
    if (shares > pending) {
      throw new DriverError(
        `cannot fulfil ${shares} of ${controller}'s pending redemption of ${pending}: at most that`,
      );
    }
    const assets = options.assets ?? ((await info.vault.getFunction("convertToAssets")(shares)) as bigint);
    const balanceSheet = await this.read(this.book.CENTRIFUGE_BALANCE_SHEET, CENTRIFUGE_BALANCE_SHEET_ABI);
    const escrow = getAddress((await balanceSheet.getFunction("escrow")(info.poolId)) as string);
    if (info.asset !== getAddress(this.book.USDC)) {
      throw new DriverError(`the driver funds redemptions in USDC only; ${info.vault.target} pays ${info.asset}`);
    }
    // The pool funds its escrow and books the holding (the root is a ward of each pool escrow), so the
    // revocation can reserve the proceeds.
    await this.fundUsdc(escrow, assets);
    await this.asRoot(escrow, CENTRIFUGE_POOL_ESCROW_ABI, async (c) => {
      await (await c.getFunction("deposit")(info.scId, info.asset, 0n, assets)).wait();
    });
    const { price } = await this.sharePrice(info);
    await this.hubAnswers(info, [
      solidityPacked(["uint8", "uint128", "uint128", "uint128"], [CALLBACK.RevokedShares, assets, shares, price]),
    ]);
    return { assets, shares };
  }

  /** The hub tells `controller` what its redemption got; a pending cancellation returns the rest. */
  async notifyCentrifugeRedeem(
    controller: string,
    fill: { assets: bigint; shares: bigint },
    vault: CentrifugeVault = "JTRSY_VAULT",
  ): Promise<void> {
    await this.notifyCentrifuge("Redeem", controller, fill, vault);
  }

  /** A `Fulfilled…Request` answer: the fill, and the rest of the request if a cancellation waits. */
  private async notifyCentrifuge(
    side: "Deposit" | "Redeem",
    controller: string,
    fill: { assets: bigint; shares: bigint },
    vault: CentrifugeVault,
  ): Promise<void> {
    const info = await this.centrifugeVault(vault);
    const who = getAddress(controller);
    const pending = (await info.vault.getFunction(`pending${side}Request`)(0n, who)) as bigint;
    const cancelling = (await info.vault.getFunction(`pendingCancel${side}Request`)(0n, who)) as boolean;
    // The request's rest, in assets for a deposit and in shares for a redemption.
    const cancelled = cancelling ? pending - (side === "Deposit" ? fill.assets : fill.shares) : 0n;
    const kind = side === "Deposit" ? CALLBACK.FulfilledDepositRequest : CALLBACK.FulfilledRedeemRequest;
    await this.hubAnswers(info, [
      solidityPacked(
        ["uint8", "bytes32", "uint128", "uint128", "uint128"],
        [kind, zeroPadValue(who, 32), fill.assets, fill.shares, cancelled],
      ),
    ]);
  }

  /** The issuer fulfils `controller`'s pending redemption (all of it by default), funding the escrow. */
  async fulfilJtrsyRedeem(
    controller: string,
    options: { shares?: bigint; assets?: bigint; vault?: CentrifugeVault } = {},
  ): Promise<void> {
    const fill = await this.approveCentrifugeRedeem(controller, options);
    await this.notifyCentrifugeRedeem(controller, fill, options.vault);
  }

  /** The hub answers `controller`'s pending deposit cancellation (one waiting since an approval). */
  async fulfilJtrsyCancelDeposit(controller: string, vault: CentrifugeVault = "JTRSY_VAULT"): Promise<void> {
    await this.requireCancelling(controller, vault, "Deposit");
    await this.notifyCentrifugeDeposit(controller, { assets: 0n, shares: 0n }, vault);
  }

  /** The hub answers `controller`'s pending redemption cancellation (one waiting since an approval). */
  async fulfilJtrsyCancelRedeem(controller: string, vault: CentrifugeVault = "JTRSY_VAULT"): Promise<void> {
    await this.requireCancelling(controller, vault, "Redeem");
    await this.notifyCentrifugeRedeem(controller, { assets: 0n, shares: 0n }, vault);
  }

  private async requireCancelling(controller: string, vault: CentrifugeVault, side: "Deposit" | "Redeem") {
    const target = await this.read(this.book[vault], ERC7540_VAULT_ABI);
    if (!((await target.getFunction(`pendingCancel${side}Request`)(0n, getAddress(controller))) as boolean)) {
      throw new DriverError(
        `${controller} has no ${side.toLowerCase()} cancellation waiting at ${vault}: Centrifuge answers a ` +
          "cancellation at once unless the request was approved since it was last changed",
      );
    }
  }

  /** JTRSY's share price (USD per share, 18 decimals) and when it was computed. */
  async jtrsyPrice(): Promise<{ price: bigint; computedAt: bigint }> {
    return this.sharePrice(await this.centrifugeVault("JTRSY_VAULT"));
  }
}

/** Centrifuge V3 share tokens and vaults the driver acts on. */
export type CentrifugeShare = "JTRSY" | "JAAA";
export type CentrifugeVault = "JTRSY_VAULT" | "JTRSY_VAULT_USDS" | "JAAA_VAULT";

interface CentrifugeVaultInfo {
  vault: Contract;
  poolId: bigint;
  scId: string;
  share: string;
  asset: string;
  assetId: bigint;
}

/** The hub's answer kinds (RequestCallbackMessageLib), each a type byte then packed fields. */
const CALLBACK = {
  ApprovedDeposits: 1,
  IssuedShares: 2,
  RevokedShares: 3,
  FulfilledDepositRequest: 4,
  FulfilledRedeemRequest: 5,
} as const;
/** 1.0 in Centrifuge's 18-decimal fixed point: a dollar stablecoin's price in the pool's unit. */
const ONE_D18 = 10n ** 18n;

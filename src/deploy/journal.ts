import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  getCreateAddress,
  keccak256,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TransactionRequest,
} from "ethers";

/**
 * The deployment record as a journal. Every step of a deployment (a contract deployed, a setting sent,
 * the handover begun) is written to `deployments/<network>.json` as it happens: first the nonce it will
 * use, then its transaction hash, then its result. A rerun reads the journal and continues: a step done
 * is skipped, a step whose transaction was sent is looked up, a step whose effect is already on chain is
 * recorded without sending anything. So a deployment killed at any point, and rerun, ends with one
 * system, configured once.
 */

export const RECORD_FORMAT = 2;

export interface JournalStep {
  id: string;
  status: "sending" | "sent" | "done";
  /** The nonce the step's transaction uses (set before sending). */
  nonce?: number;
  hash?: string;
  block?: number;
  /** The contract a deployment step created. */
  address?: string;
  /** For a deployment: keccak256 of its creation code with its constructor arguments. A rerun whose
   * build or parameters give other code refuses to reuse the contract. */
  codeHash?: string;
  /** Why a step is done without a transaction of its own. */
  note?: string;
}

/** What the record holds besides the deployment's results (which fill in as steps complete). */
export interface JournalHeader {
  format: number;
  network: string;
  chainId: string;
  deployer: string;
  status: "in progress" | "complete";
  startedAt: string;
  completedAt?: string;
  /** The parameters the deployment was started with: a resume must use the same. */
  paramsHash?: string;
  steps: JournalStep[];
}

export class JournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JournalError";
  }
}

/** What to do for a step: send a transaction, or act by other means (an issuer's own calls). */
export type StepAction =
  | { request: () => Promise<TransactionRequest>; done?: () => Promise<boolean> }
  | { perform: () => Promise<void>; done?: () => Promise<boolean>; gasBound: number };

/** A step as a dry run lists it. */
export interface PlannedStep {
  id: string;
  label: string;
  state: "done" | "already right" | "to send";
  /** Estimated gas (an upper bound where the target does not exist yet). */
  gas: bigint;
  /** Whether `gas` is a bound rather than the node's estimate. */
  bounded: boolean;
  /** The address a deployment will create, if nothing else is sent from the deployer meanwhile. */
  address?: string;
}

/** What a call to a contract not deployed yet may cost at most (the vault's heaviest setter is ~120k). */
export const CALL_GAS_BOUND = 200_000;

export class Journal<R extends object = Record<string, unknown>> {
  /** Steps this run found done and did not repeat, and steps it sent. */
  readonly counts = { skipped: 0, alreadyRight: 0, sent: 0 };

  /** Set by `plan`: the journal sends nothing and lists what it would do. */
  private planning: { nonce: number; steps: PlannedStep[] } | undefined;

  constructor(
    readonly record: JournalHeader & Partial<R>,
    private file: string | undefined,
    private readonly signer: Signer,
    private readonly onStep: (line: string) => void = () => undefined,
  ) {}

  /**
   * Runs `body` (the same code a real run executes) with nothing sent: every step is listed with its
   * gas, deployments with the address they will get. The record on disk is not touched.
   */
  async plan(body: () => Promise<unknown>): Promise<PlannedStep[]> {
    const from = await this.signer.getAddress();
    this.planning = { nonce: await this.provider.getTransactionCount(from, "pending"), steps: [] };
    const saved = JSON.stringify(this.record);
    const file = this.file;
    try {
      this.file = undefined;
      await body();
      return this.planning.steps;
    } finally {
      // Put the record back exactly: results the plan predicted (addresses, blocks) must not stay in it.
      this.file = file;
      const before = JSON.parse(saved) as Record<string, unknown>;
      for (const key of Object.keys(this.record))
        if (!(key in before)) delete (this.record as Record<string, unknown>)[key];
      Object.assign(this.record, before);
      this.planning = undefined;
    }
  }

  private async planStep(
    id: string,
    label: string,
    action: StepAction,
    deploys: boolean,
    prior: JournalStep | undefined,
  ): Promise<JournalStep> {
    const planning = this.planning!;
    if (prior?.status === "done") {
      await this.sameCode(prior, action, deploys);
      planning.steps.push({
        id,
        label,
        state: "done",
        gas: 0n,
        bounded: false,
        ...(prior.address ? { address: prior.address } : {}),
      });
      return prior;
    }
    if (action.done) {
      const right = await action.done().catch(() => false);
      if (right) {
        planning.steps.push({ id, label, state: "already right", gas: 0n, bounded: false });
        return { id, status: "done", note: "already right" };
      }
    }
    if ("perform" in action) {
      planning.steps.push({ id, label, state: "to send", gas: BigInt(action.gasBound), bounded: true });
      return { id, status: "done" };
    }
    const from = await this.signer.getAddress();
    const request = await action.request();
    const target = request.to ? String(request.to) : undefined;
    const exists = target ? (await this.provider.getCode(target)) !== "0x" : true;
    // A deployment whose constructor reads a contract not deployed yet cannot be estimated: bound it by
    // its size (intrinsic and code-deposit gas for every byte, and a constructor's worth on top).
    const bytes = request.data ? (String(request.data).length - 2) / 2 : 0;
    let gas = BigInt(deploys ? 53_000 + 216 * bytes + 300_000 : CALL_GAS_BOUND);
    let bounded = true;
    if (exists) {
      try {
        gas = await this.provider.estimateGas({ ...request, from });
        bounded = false;
      } catch {
        // A call whose arguments depend on contracts not deployed yet: keep the bound.
      }
    }
    const nonce = planning.nonce++;
    const address = deploys ? getCreateAddress({ from, nonce }) : undefined;
    planning.steps.push({ id, label, state: "to send", gas, bounded, ...(address ? { address } : {}) });
    return { id, status: "done", ...(address ? { address } : {}) };
  }

  /** A journal kept in memory only (tests and fixtures that need no record). */
  static inMemory<R extends object>(
    header: Omit<JournalHeader, "steps" | "status" | "format" | "startedAt">,
    signer: Signer,
    onStep?: (line: string) => void,
  ): Journal<R> {
    return new Journal<R>(
      {
        format: RECORD_FORMAT,
        status: "in progress",
        startedAt: new Date().toISOString(),
        steps: [],
        ...header,
      } as unknown as JournalHeader & Partial<R>,
      undefined,
      signer,
      onStep,
    );
  }

  get provider(): Provider {
    return this.signer.provider!;
  }

  step(id: string): JournalStep | undefined {
    return this.record.steps.find((s) => s.id === id);
  }

  /** Sets result fields on the record and writes it. */
  set(fields: Partial<R>): void {
    Object.assign(this.record, fields);
    this.save();
  }

  /** Marks the deployment complete: a later plain run refuses to deploy over it. */
  complete(): void {
    this.record.status = "complete";
    this.record.completedAt = new Date().toISOString();
    this.save();
  }

  save(): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    // Write beside it, then rename: a kill mid-write never leaves half a record.
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.record, null, 2)}\n`);
    renameSync(temporary, this.file);
  }

  private mark(step: JournalStep): JournalStep {
    const index = this.record.steps.findIndex((s) => s.id === step.id);
    if (index >= 0) this.record.steps[index] = step;
    else this.record.steps.push(step);
    this.save();
    return step;
  }

  /**
   * Runs one step once. Returns the step as recorded (with the created contract's address for a
   * deployment).
   */
  async run(id: string, label: string, action: StepAction, options: { deploys?: boolean } = {}): Promise<JournalStep> {
    const prior = this.step(id);
    if (this.planning) return this.planStep(id, label, action, Boolean(options.deploys), prior);
    if (prior?.status === "done") {
      await this.sameCode(prior, action, Boolean(options.deploys));
      this.counts.skipped += 1;
      return prior;
    }
    let reuseNonce: number | undefined;
    if (prior && "request" in action) {
      const recovered = await this.recover(prior, Boolean(options.deploys));
      if (recovered === "resend") reuseNonce = prior.nonce;
      else if (recovered) {
        await this.sameCode(recovered, action, Boolean(options.deploys));
        this.onStep(`${label} (found on chain from the interrupted run)`);
        return recovered;
      }
    }
    if (action.done && (await action.done())) {
      this.counts.alreadyRight += 1;
      this.onStep(`${label}: already right, nothing sent`);
      return this.mark({ id, status: "done", note: "already right" });
    }
    if ("perform" in action) {
      await action.perform();
      this.counts.sent += 1;
      this.onStep(label);
      return this.mark({ id, status: "done" });
    }
    const from = await this.signer.getAddress();
    // A step whose earlier attempt never went out is sent again with the same nonce, so that at most one
    // of the two can ever be mined.
    const nonce = reuseNonce ?? (await this.provider.getTransactionCount(from, "pending"));
    const request = await action.request();
    const code = options.deploys ? { codeHash: codeHashOf(request) } : {};
    this.mark({ id, status: "sending", nonce, ...code });
    const tx = await this.signer.sendTransaction({ ...request, nonce });
    this.mark({ id, status: "sent", nonce, hash: tx.hash, ...code });
    const receipt = await tx.wait().catch((error: Error) => {
      throw new JournalError(`${id}: transaction ${tx.hash} failed (${error.message.split("\n")[0]}); rerun to retry`);
    });
    this.counts.sent += 1;
    const done = this.finish(id, nonce, receipt!, code.codeHash);
    this.onStep(`${label}${done.address ? ` ${done.address}` : ""} (tx ${tx.hash})`);
    return done;
  }

  private finish(id: string, nonce: number, receipt: TransactionReceipt, codeHash?: string): JournalStep {
    return this.mark({
      id,
      status: "done",
      nonce,
      hash: receipt.hash,
      block: receipt.blockNumber,
      ...(receipt.contractAddress ? { address: receipt.contractAddress } : {}),
      ...(codeHash ? { codeHash } : {}),
    });
  }

  /**
   * Refuses to reuse a deployed contract when this build (or these parameters) would deploy other code:
   * a deployment begun with other contracts must not be finished with these, which may depend on
   * functions the recorded ones lack. Steps recorded before code was hashed are taken as they are.
   */
  private async sameCode(step: JournalStep, action: StepAction, deploys: boolean): Promise<void> {
    if (!deploys || !step.codeHash || !("request" in action)) return;
    if (codeHashOf(await action.request()) === step.codeHash) return;
    const where = this.file ? ` (${this.file})` : "";
    throw new JournalError(
      `${step.id}: the contract recorded at ${step.address ?? "(no address)"} was deployed from other code or ` +
        "constructor arguments than this build gives: the contracts or the parameters changed since this " +
        `deployment began. Finish it with the build and parameters that began it, or move the record${where} ` +
        "aside and deploy afresh",
    );
  }

  /**
   * A step an interrupted run started. Its own transaction mined: the step is done. It never left the
   * machine: "resend" (with the same nonce). Otherwise the nonce decides: while a transaction with it is
   * still pending, wait for it; once the nonce is used, a deployment is found at the address the nonce
   * creates, and a setting is checked by the caller against the chain (the step's `done`).
   */
  private async recover(prior: JournalStep, deploys: boolean): Promise<JournalStep | "resend" | undefined> {
    if (prior.hash) {
      let mined = await this.provider.getTransactionReceipt(prior.hash);
      if (!mined) {
        const pending = await this.provider.getTransaction(prior.hash);
        if (pending) {
          // Wait for it; a replacement (sped up or cancelled from a wallet) is not this step's receipt.
          mined = await pending.wait().catch((error: { receipt?: TransactionReceipt | null }) => error.receipt ?? null);
        }
      }
      if (mined && mined.hash === prior.hash) {
        if (mined.status === 1) return this.finish(prior.id, prior.nonce ?? -1, mined, prior.codeHash);
        this.onStep(`${prior.id}: the interrupted run's transaction ${prior.hash} reverted; trying again`);
        return undefined;
      }
    }
    if (prior.nonce === undefined) return undefined;
    const from = await this.signer.getAddress();
    const count = (tag: "latest" | "pending") => this.provider.getTransactionCount(from, tag);
    const deadline = Date.now() + 10 * 60_000;
    let used = await count("latest");
    while (used <= prior.nonce && (await count("pending")) > prior.nonce) {
      if (Date.now() > deadline) {
        throw new JournalError(
          `${prior.id}: a transaction with nonce ${prior.nonce} has been pending for 10 minutes; wait for it or speed it up, then rerun`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      used = await count("latest");
    }
    if (used <= prior.nonce) return "resend";
    if (deploys) {
      const address = getCreateAddress({ from, nonce: prior.nonce });
      if ((await this.provider.getCode(address)) !== "0x") {
        return this.mark({
          id: prior.id,
          status: "done",
          nonce: prior.nonce,
          address,
          note: "found by nonce",
          ...(prior.codeHash ? { codeHash: prior.codeHash } : {}),
        });
      }
    }
    return undefined;
  }
}

/** What identifies a deployment's code: its creation code with its constructor arguments. */
function codeHashOf(request: TransactionRequest): string {
  return keccak256(request.data ?? "0x");
}

/** `deployments/<network>.json`, the network's current record. */
export function recordFile(directory: string, network: string): string {
  return path.join(directory, `${network}.json`);
}

/**
 * Moves a network's current record aside under a dated name, `deployments/<network>/release-<when>.json`
 * (when it started), and returns where it went.
 */
export function archiveRecord(directory: string, network: string): string | undefined {
  const file = recordFile(directory, network);
  if (!existsSync(file)) return undefined;
  const old = JSON.parse(readFileSync(file, "utf8")) as Partial<JournalHeader>;
  const stamp = (old.startedAt ?? new Date().toISOString()).replace(/[:.]/g, "-");
  const dir = path.join(directory, network);
  mkdirSync(dir, { recursive: true });
  let target = path.join(dir, `release-${stamp}.json`);
  for (let n = 2; existsSync(target); n += 1) target = path.join(dir, `release-${stamp}-${n}.json`);
  renameSync(file, target);
  return target;
}

/**
 * Gas benchmark: the ReserveVault against references deployed in the same run.
 * - idle-path deposit / mint / withdraw / redeem with 1, 4 and 16 adapters listed, against a plain
 *   OpenZeppelin ERC4626 over the same asset;
 * - rebalance into 1, 4 and 16 adapters, against a router that makes the same moves with no checks;
 * - a withdrawal beyond idle drawing on the adapters, against OpenZeppelin's ERC4626 paying from idle;
 * - each adapter's entry and exit paths, against the bare issuer call for the same amount;
 * - the redemption queue's request, fulfilment of 1 and 10 requests and claim, against OpenZeppelin's
 *   ERC4626 redeem of the same shares (the claim must stay within 1.2× of it).
 * Prints a table, writes reports/gas.json, and exits non-zero when a target is missed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import Table from "cli-table3";
import { ethers } from "hardhat";
import { gasOf, type BenchCase } from "./bench/measure";
import type { ContractTransactionResponse } from "ethers";
import { deployReserveVault } from "../src/deploy/vault";
import { adapterCases } from "./bench/adapters";
import { queueCases } from "./bench/queue";
import {
  MockAdapter__factory,
  MockERC20__factory,
  NaiveRouter__factory,
  ReferenceERC4626__factory,
} from "../typechain-types";

const USDC = 10n ** 6n;
const ADAPTER_COUNTS = [1, 4, 16] as const;
const MAX_IDLE_RATIO = 1.2;
const MAX_IDLE_GROWTH = 0.02;
const MAX_CLAIM_RATIO = 1.2;

async function main(): Promise<void> {
  const [deployer, alice, bob] = await ethers.getSigners();
  if (!deployer || !alice || !bob) throw new Error("need 3 accounts");
  const cases: BenchCase[] = [];

  for (const count of ADAPTER_COUNTS) {
    process.stdout.write(`measuring with ${count} adapter(s)…\n`);
    const usdc = await new MockERC20__factory(deployer).deploy("USD Coin", "USDC", 6);
    const reference = await new ReferenceERC4626__factory(deployer).deploy(usdc);
    const { vault } = await deployReserveVault({ deployer, asset: usdc, admin: deployer });
    await vault.grantRole(await vault.CURATOR_ROLE(), deployer);
    await vault.grantRole(await vault.KEEPER_ROLE(), deployer);

    const adapters: string[] = [];
    const weight = 10_000n / BigInt(count);
    for (let i = 0; i < count; i++) {
      const adapter = await new MockAdapter__factory(deployer).deploy(vault, usdc);
      await vault.addAdapter(adapter);
      await vault.setCap(adapter, 2n ** 128n - 1n);
      await vault.setRateLimit(adapter, 2n ** 128n - 1n, 0n);
      await vault.setTargetWeight(adapter, weight);
      adapters.push(await adapter.getAddress());
    }
    await vault.setWithdrawOrder(adapters);

    for (const user of [alice, bob]) {
      await usdc.mint(user, 10_000_000n * USDC);
      await usdc.connect(user).approve(vault, ethers.MaxUint256);
      await usdc.connect(user).approve(reference, ethers.MaxUint256);
    }
    // Same history on both: alice holds a position, so bob's operations are the steady state.
    await vault.connect(alice).deposit(1_000n * USDC, alice);
    await reference.connect(alice).deposit(1_000n * USDC, alice);

    const pairs: Array<
      [string, () => Promise<ContractTransactionResponse>, () => Promise<ContractTransactionResponse>]
    > = [
      [
        "deposit",
        () => vault.connect(bob).deposit(100n * USDC, bob),
        () => reference.connect(bob).deposit(100n * USDC, bob),
      ],
      ["mint", () => vault.connect(bob).mint(10n ** 20n, bob), () => reference.connect(bob).mint(10n ** 20n, bob)],
      [
        "withdraw",
        () => vault.connect(bob).withdraw(50n * USDC, bob, bob),
        () => reference.connect(bob).withdraw(50n * USDC, bob, bob),
      ],
      [
        "redeem",
        () => vault.connect(bob).redeem(10n ** 19n, bob, bob),
        () => reference.connect(bob).redeem(10n ** 19n, bob, bob),
      ],
    ];
    for (const [name, ours, theirs] of pairs) {
      cases.push({ name, adapters: count, gas: await gasOf(ours()), referenceGas: await gasOf(theirs()) });
    }

    // Rebalance: everything idle moves into the adapters, one entry leg each.
    const plan = await vault.previewRebalance();
    if (plan.length !== count) throw new Error(`expected ${count} entry legs, planned ${plan.length}`);
    const rebalanceGas = await gasOf(vault.rebalance());

    const router = await new NaiveRouter__factory(deployer).deploy();
    const routed: string[] = [];
    for (let i = 0; i < count; i++) {
      routed.push(await (await new MockAdapter__factory(deployer).deploy(router, usdc)).getAddress());
    }
    await usdc.mint(router, 10_000_000n * USDC);
    const amounts = plan.map((leg) => leg.amount);
    const referenceGas = await gasOf(router.route(usdc, routed, amounts));
    cases.push({ name: "rebalance", adapters: count, gas: rebalanceGas, referenceGas });

    // A withdrawal beyond idle: everything sits in the adapters, so it walks the withdraw order and
    // draws on the first adapters (two of them when 16 share the assets). Reference: the same
    // withdrawal from OpenZeppelin's ERC4626, which holds everything idle.
    const beyond = 100n * USDC;
    if ((await vault.idle()) >= beyond) throw new Error("the beyond-idle case must draw on adapters");
    cases.push({
      name: "withdraw beyond idle",
      adapters: count,
      gas: await gasOf(vault.connect(alice).withdraw(beyond, alice, alice)),
      referenceGas: await gasOf(reference.connect(alice).withdraw(beyond, alice, alice)),
    });
  }

  cases.push(...(await adapterCases((line) => process.stdout.write(`${line}\n`))));
  cases.push(...(await queueCases((line) => process.stdout.write(`${line}\n`))));

  const table = new Table({
    head: ["case", "adapters", "gas", "reference", "ratio", "gas / adapter"],
    colAligns: ["left", "right", "right", "right", "right", "right"],
    style: { head: [], border: [] },
  });
  for (const c of cases) {
    table.push([
      c.name,
      c.adapters,
      c.gas,
      c.referenceGas,
      (c.gas / c.referenceGas).toFixed(3),
      c.name === "rebalance" ? Math.round(c.gas / c.adapters) : "",
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
  process.stdout.write(
    "reference: OpenZeppelin ERC4626 for user operations; a router moving the same amounts with no checks for\n" +
      "rebalance; for adapter paths, the bare issuer call an allowlisted holder makes for the same amount\n",
  );

  const failures: string[] = [];
  for (const name of ["deposit", "mint", "withdraw", "redeem"]) {
    const one = cases.find((c) => c.name === name && c.adapters === 1);
    const sixteen = cases.find((c) => c.name === name && c.adapters === 16);
    if (!one || !sixteen) throw new Error(`missing ${name} case`);
    for (const c of [one, sixteen]) {
      const ratio = c.gas / c.referenceGas;
      if (ratio > MAX_IDLE_RATIO)
        failures.push(
          `${name} with ${c.adapters} adapters costs ${ratio.toFixed(3)}× the reference (target ≤ ${MAX_IDLE_RATIO}×)`,
        );
    }
    const growth = sixteen.gas / one.gas - 1;
    if (growth > MAX_IDLE_GROWTH)
      failures.push(`${name} grows ${(growth * 100).toFixed(2)}% from 1 to 16 adapters (target ≤ 2%)`);
  }

  const claim = cases.find((c) => c.name === "queue: claim");
  if (!claim) throw new Error("missing the queue claim case");
  if (claim.gas / claim.referenceGas > MAX_CLAIM_RATIO) {
    failures.push(
      `a queue claim costs ${(claim.gas / claim.referenceGas).toFixed(3)}× OpenZeppelin's redeem (target ≤ ${MAX_CLAIM_RATIO}×)`,
    );
  }

  const out = path.join(__dirname, "..", "reports", "gas.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ cases }, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);

  if (failures.length > 0) {
    process.stderr.write(`gas targets missed:\n- ${failures.join("\n- ")}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(
      `targets met: idle-path operations ≤ ${MAX_IDLE_RATIO}× the reference, growth ≤ 2% from 1 to 16 adapters, ` +
        `a queue claim ≤ ${MAX_CLAIM_RATIO}× OpenZeppelin's redeem\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

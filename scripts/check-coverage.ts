/**
 * Fails unless solidity-coverage's summary (coverage/coverage-summary.json, written by
 * `npm run coverage`) meets the thresholds: 95 % of lines and 90 % of branches over the product's
 * contracts (sandbox issuers and test doubles are skipped in .solcover.js).
 */
import fs from "node:fs";
import path from "node:path";

const THRESHOLDS = { lines: 95, branches: 90 } as const;
type Metric = keyof typeof THRESHOLDS;
type Counts = { total: number; covered: number; pct: number };
type Summary = Record<string, Record<Metric, Counts>>;

const file = path.join(__dirname, "..", "coverage", "coverage-summary.json");
if (!fs.existsSync(file)) {
  process.stderr.write(`coverage: ${file} is missing; run \`npm run coverage\` (it writes the summary first)\n`);
  process.exit(1);
}
const summary = JSON.parse(fs.readFileSync(file, "utf8")) as Summary;
const total = summary.total;
if (!total) {
  process.stderr.write(`coverage: ${file} has no "total" entry; delete coverage/ and run \`npm run coverage\` again\n`);
  process.exit(1);
}

let failed = false;
for (const metric of Object.keys(THRESHOLDS) as Metric[]) {
  const { pct, covered, total: count } = total[metric];
  const ok = pct >= THRESHOLDS[metric];
  process.stdout.write(
    `coverage: ${metric} ${pct.toFixed(2)} % (${covered}/${count}), threshold ${THRESHOLDS[metric]} % ${ok ? "met" : "NOT met"}\n`,
  );
  if (!ok) {
    failed = true;
    const weakest = Object.entries(summary)
      .filter(([name]) => name !== "total")
      .sort(([, a], [, b]) => a[metric].pct - b[metric].pct)
      .slice(0, 3)
      .map(([name, counts]) => `${path.relative(process.cwd(), name)} ${counts[metric].pct.toFixed(1)} %`);
    process.stderr.write(`coverage: add tests for the weakest files first: ${weakest.join(", ")}\n`);
  }
}
process.exit(failed ? 1 : 0);

import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { KeeperMetrics } from "../../src/keeper/metrics";
import { ROOT } from "../helpers/node";

/** docs/KEEPER.md against the keeper's own registry: every metric listed, every example alert real. */
describe("the keeper's metrics documentation", function () {
  const doc = readFileSync(path.join(ROOT, "docs", "KEEPER.md"), "utf8");
  const served = new KeeperMetrics().registry.getMetricsAsArray().map((m) => m.name);
  const table = doc.slice(doc.indexOf("| metric"), doc.indexOf("`/healthz` answers"));
  const rules = doc.slice(doc.indexOf("```yaml"), doc.indexOf("```", doc.indexOf("```yaml") + 7));
  const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]!);
  const exprs = [...rules.matchAll(/expr: (.+)/g)].map((m) => m[1]!);

  it("lists every metric the keeper serves, each with an example alert that exists", function () {
    expect(served.length).to.be.greaterThan(15);
    for (const name of served) {
      const row = table.split("\n").find((line) => line.includes(`\`${name}\``) || line.includes(`\`${name}{`));
      expect(row, `${name} is in the metrics table`).to.not.equal(undefined);
      const named = [...row!.split("|")[3]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
      expect(named.length, `${name} names an example alert`).to.be.greaterThan(0);
      for (const alert of named) expect(alerts, `${name}'s alert ${alert} is among the rules`).to.include(alert);
    }
  });

  it("writes every alert rule over metrics the keeper serves", function () {
    expect(alerts.length).to.equal(exprs.length);
    for (const expr of exprs) {
      const used = [...expr.matchAll(/\breserve_\w+/g)].map((m) => m[0]);
      expect(used.length, expr).to.be.greaterThan(0);
      for (const name of used) expect(served, `${expr} uses ${name}`).to.include(name);
    }
    for (const name of served) {
      expect(
        exprs.some((expr) => expr.includes(name)),
        `${name} is used by some alert rule`,
      ).to.equal(true);
    }
  });
});

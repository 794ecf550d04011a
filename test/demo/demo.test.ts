import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runDemo } from "../../src/demo/run";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

describe("the demo", function () {
  this.timeout(240_000);
  const dir = mkdtempSync(path.join(tmpdir(), "rr-demo-"));
  const reportFile = path.join(dir, "demo.html");
  let output = "";

  before(async function () {
    await runDemo({ days: 32, reportFile, print: (text) => (output += `${text}\n`) });
  });

  it("prints the status table at milestones, every scripted event and a summary", function () {
    for (const text of [
      "=== day 1 ===",
      "target % (after buffer)",
      "timelock has passed",
      "beyond idle",
      "USTB is quarantined",
      "lifts USTB's quarantine",
      "monthly dividend",
      "share price",
    ]) {
      expect(output, text).to.contain(text);
    }
  });

  it("writes a self-contained report: no script, no external resource", function () {
    const html = readFileSync(reportFile, "utf8");
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.not.match(/<script|https?:\/\//);
  });

  it("renders in headless Chromium with both charts drawn", function () {
    if (!CHROMIUM) {
      throw new Error("Chromium is not installed: `apt-get install chromium` (bash .ci/run installs it when missing)");
    }
    const dom = execFileSync(
      CHROMIUM,
      [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${mkdtempSync(path.join(dir, "profile-"))}`,
        "--dump-dom",
        `file://${reportFile}`,
      ],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    const allocation = /<svg id="allocation"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? "";
    const price = /<svg id="price"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? "";
    const series = allocation.match(/<polyline class="series[^"]*" points="([^"]+)"/g) ?? [];
    expect(series.length, "three adapters and idle").to.equal(4);
    for (const line of series) expect(line.split(" ").length, "a point a day").to.be.gte(32);
    expect(price).to.match(/<polyline class="series" points="[^"]+"/);

    const png = path.join(dir, "demo.png");
    execFileSync(
      CHROMIUM,
      [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${mkdtempSync(path.join(dir, "profile-"))}`,
        "--window-size=960,1400",
        `--screenshot=${png}`,
        `file://${reportFile}`,
      ],
      {
        stdio: "ignore",
      },
    );
    expect(statSync(png).size, "a screenshot with charts in it, not a blank page").to.be.gt(40_000);
  });
});

/// <reference lib="dom" />
// The page functions below run in Chromium, so this file also sees the DOM types.
import { expect } from "chai";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { runDemo } from "../../src/demo/run";
import {
  quarantinePeriods,
  type DemoEvent,
  type DemoLadder,
  type DemoPoint,
  type DemoYield,
} from "../../src/demo/report";
import { launchBrowser } from "../helpers/browser";
import { ROOT } from "../helpers/node";

const DAYS = 32;
// Test artefacts sit beside the demo's own report, so a reader can open them after a run.
const OUT = path.join(ROOT, "reports", "test");
const REPORT = path.join(OUT, "demo.html");
const SCREENSHOT = path.join(OUT, "demo.png");

describe("the demo", function () {
  this.timeout(240_000);
  let output = "";
  let points: DemoPoint[] = [];
  let events: DemoEvent[] = [];
  let ladder: DemoLadder;
  let yields: DemoYield[] = [];

  before(async function () {
    mkdirSync(OUT, { recursive: true });
    const result = await runDemo({ days: DAYS, reportFile: REPORT, print: (text) => (output += `${text}\n`) });
    points = result.points;
    events = result.events;
    ladder = result.ladder;
    yields = result.yields;
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
      "bob queues his whole position",
      "the keeper serves bob's queued exit",
      "bob's exit is complete",
      "share price",
      "JAAA (Centrifuge V3 AAA CLO fund",
      "is available to list",
    ]) {
      expect(output, text).to.contain(text);
    }
  });

  it("writes a self-contained report: no script, no external resource", function () {
    const html = readFileSync(REPORT, "utf8");
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.not.match(/<script|https?:\/\//);
  });

  describe("in headless Chromium (from npm)", function () {
    let browser: Browser;
    let page: Page;

    before(async function () {
      browser = await launchBrowser();
      page = await browser.newPage();
      await page.goto(`file://${REPORT}`, { waitUntil: "load" });
    });

    after(async function () {
      await browser?.close();
    });

    it("draws both charts, with a point per simulated day in every series", async function () {
      const recordedDays = new Set(points.map((p) => p.day));
      for (let day = 1; day <= DAYS; day++) expect(recordedDays.has(day), `day ${day} recorded`).to.equal(true);

      const drawn = await page.evaluate(() =>
        ["allocation", "price"].map((id) =>
          Array.from(document.querySelectorAll<SVGPolylineElement>(`#${id} polyline.series`)).map((line) => {
            const box = line.getBBox();
            return { points: line.points.numberOfItems, width: box.width, height: box.height };
          }),
        ),
      );
      const [allocation = [], price = []] = drawn;
      expect(allocation.length, "three adapters and idle").to.equal(4);
      expect(price.length, "the share price").to.equal(1);
      for (const line of [...allocation, ...price]) {
        expect(line.points, "one point per recorded day").to.equal(points.length);
        expect(line.width, "the series spans the chart").to.be.gt(700);
      }
      expect(price[0]!.height, "the share price moves on the chart").to.be.gt(0);
    });

    it("labels every event marker in the page itself, matching the numbered list", async function () {
      expect(events.length, "the demo scripts events").to.be.gte(5);
      const marks = await page.evaluate(() =>
        ["allocation", "price"].map((id) =>
          Array.from(document.querySelectorAll<SVGGElement>(`#${id} g.event`)).map((g) => {
            const text = g.querySelector<SVGTextElement>("text.event-label");
            const box = text?.getBBox();
            const style = text ? getComputedStyle(text) : undefined;
            return {
              number: text?.textContent ?? "",
              visible: !!box && box.width > 0 && style?.visibility === "visible" && style.display !== "none",
            };
          }),
        ),
      );
      const list = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLLIElement>("ol > li")).map((li) => ({
          number: li.value,
          text: li.innerText,
        })),
      );
      expect(list.length, "one list entry per event").to.equal(events.length);
      for (const chart of marks) {
        expect(chart.length, "one marker per event on each chart").to.equal(events.length);
        chart.forEach((mark, i) => {
          expect(mark.number, `marker ${i + 1} shows its number`).to.equal(String(i + 1));
          expect(mark.visible, `marker ${i + 1} is drawn, not only a tooltip`).to.equal(true);
        });
      }
      events.forEach((event, i) => {
        expect(list[i]!.number).to.equal(i + 1);
        expect(list[i]!.text).to.contain(`day ${event.day}`).and.to.contain(event.label);
      });
    });

    it("draws each position in dollars, settled solid and in flight hatched, as the run recorded it", async function () {
      const rects = await page.evaluate(() =>
        Array.from(document.querySelectorAll<SVGRectElement>("#positions rect[data-day]")).map((r) => ({
          cls: r.getAttribute("class"),
          product: r.dataset.product ?? "",
          day: Number(r.dataset.day),
          height: r.getBBox().height,
          fill: r.getAttribute("fill") ?? "",
          title: r.querySelector("title")?.textContent ?? "",
        })),
      );
      const inFlightDays = points.flatMap((p) =>
        Object.entries(p.positions)
          .filter(([, pos]) => pos.inFlight >= 1)
          .map(([product]) => `${product}@${p.day}`),
      );
      expect(inFlightDays.length, "the run has money in flight (subscriptions, redemptions, bob's exit)").to.be.gt(3);
      const drawnInFlight = rects.filter((r) => r.cls === "in-flight");
      for (const key of inFlightDays) {
        const [product, day] = key.split("@");
        const rect = drawnInFlight.find((r) => r.product === product && r.day === Number(day));
        expect(rect, `${key} drawn in flight`).to.not.equal(undefined);
        expect(rect!.fill, "hatched").to.match(/^url\(#hatch-\d\)$/);
        expect(rect!.title).to.match(/in flight \$[\d,]+$/);
      }
      const settled = rects.filter((r) => r.cls === "settled");
      expect(new Set(settled.map((r) => r.product)), "every product settled at some point").to.have.length(3);
      for (const r of [...settled, ...drawnInFlight]) expect(r.height, `${r.product} day ${r.day}`).to.be.gt(0);
      // A day's bar is as tall as its dollars: the tallest day's total against the lowest's.
      const total = (p: DemoPoint) =>
        p.idle + Object.values(p.positions).reduce((sum, pos) => sum + pos.settled + pos.inFlight, 0);
      const heightOf = (day: number) => rects.filter((r) => r.day === day).reduce((sum, r) => sum + r.height, 0);
      const [first, last] = [points[1]!, points[points.length - 1]!];
      expect(heightOf(last.day) / heightOf(first.day)).to.be.closeTo(total(last) / total(first), 0.03);
    });

    it("shades every quarantine period on the charts and names it in the page", async function () {
      const periods = quarantinePeriods(points, ["BUIDL-I", "USTB", "JTRSY"]);
      expect(
        periods.map((q) => q.product),
        "USTB's stale oracle",
      ).to.include("USTB");
      const bands = await page.evaluate(() =>
        ["allocation", "positions"].map((id) =>
          Array.from(document.querySelectorAll<SVGGElement>(`#${id} g.quarantine`)).map((g, i) => {
            const label = document.querySelectorAll<SVGTextElement>(`#${id} text.quarantine-label`)[i]!;
            const plot = document.getElementById(id)!.getBoundingClientRect();
            const drawn = label.getBoundingClientRect();
            return {
              inside: drawn.left >= plot.left && drawn.right <= plot.right,
              product: g.dataset.product,
              from: Number(g.dataset.from),
              to: Number(g.dataset.to),
              width: g.querySelector<SVGRectElement>("rect")!.getBBox().width,
              label: label.textContent,
              labelWidth: label.getBBox().width,
            };
          }),
        ),
      );
      for (const chart of bands) {
        expect(chart.map((b) => ({ product: b.product, from: b.from, to: b.to }))).to.deep.equal(periods);
        for (const band of chart) {
          expect(band.width, "a band, not a line").to.be.gt(10);
          expect(band.label).to.equal(`${band.product} quarantined, days ${band.from}–${band.to}`);
          expect(band.labelWidth, "the label is drawn").to.be.gt(0);
          expect(band.inside, "the label is inside the chart, not cut off at its edge").to.equal(true);
        }
      }
    });

    it("shows the liquidity ladder and each product's yield in dollars and percent", async function () {
      const rungs = await page.evaluate(() =>
        Array.from(document.querySelectorAll<SVGRectElement>("#ladder rect.rung")).map((r) => ({
          horizon: r.dataset.horizon,
          width: r.getBBox().width,
        })),
      );
      expect(rungs.map((r) => r.horizon)).to.deep.equal(ladder.rungs.map((r) => r.horizon));
      expect(rungs.slice(0, 3).map((r) => r.horizon)).to.deep.equal(["instant", "next business day", "issuer epoch"]);
      const quarantinedAtEnd = Object.entries(points[points.length - 1]!.positions).filter(([, p]) => p.quarantined);
      expect(rungs.length, "a quarantined book is a rung of its own").to.equal(quarantinedAtEnd.length > 0 ? 4 : 3);
      const sum = ladder.rungs.reduce((total, r) => total + r.amount, 0);
      const last = points[points.length - 1]!;
      const gross = last.idle + Object.values(last.positions).reduce((t, p) => t + p.settled + p.inFlight, 0);
      expect(sum, "the ladder accounts for every dollar on the books").to.be.closeTo(gross, 1);
      ladder.rungs.forEach((rung, i) => {
        expect(rung.amount, rung.horizon).to.be.gt(0);
        expect(rungs[i]!.width / 560, `${rung.horizon}'s bar is its share`).to.be.closeTo(rung.amount / sum, 0.01);
      });
      const table = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLTableRowElement>("#ladder-table tr")).map((tr) => tr.innerText),
      );
      expect(
        table.slice(1).every((row) => /\$[\d,]+/.test(row)),
        "amounts in dollars",
      ).to.equal(true);

      const shown = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLTableRowElement>("#yield tr[data-product]")).map((tr) => ({
          product: tr.dataset.product,
          apy: tr.querySelector(".apy")!.textContent,
        })),
      );
      expect(shown.map((y) => y.product)).to.deep.equal(["BUIDL-I", "USTB", "JTRSY"]);
      // The issuers accrue 4.3 % (BUIDL dividends), 4.6 % (USTB NAV) and 4.5 % (JTRSY price) a year.
      const expected: Record<string, number> = { "BUIDL-I": 4.39, USTB: 4.7, JTRSY: 4.6 };
      for (const y of yields) {
        expect(y.annualizedPercent, y.product).to.be.closeTo(expected[y.product]!, 0.3);
        expect(y.annualizedPercent).to.not.equal(undefined);
        expect(shown.find((s) => s.product === y.product)!.apy).to.equal(`${y.annualizedPercent!.toFixed(2)} %`);
      }
    });

    it("screenshots to a picture with the charts' colours in it, not a blank page", async function () {
      await page.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
      expect(statSync(SCREENSHOT).size).to.be.gt(0);
      // Decode the PNG in the browser and count pixels by colour.
      const png = readFileSync(SCREENSHOT).toString("base64");
      const probe = await browser.newPage();
      const counts = await probe.evaluate(async (data: string) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext("2d")!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        const wanted: Record<string, number> = { "37,99,235": 0, "217,119,6": 0, "5,150,105": 0, "245,158,11": 0 };
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const key = `${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`;
          if (key in wanted) wanted[key]! += 1;
          if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) inked += 1;
        }
        return { wanted, inked, total: pixels.length / 4 };
      }, png);
      await probe.close();
      expect(counts.inked / counts.total, "share of the page with ink on it").to.be.gt(0.01);
      for (const [colour, n] of Object.entries(counts.wanted)) {
        expect(n, `pixels of rgb(${colour}): adapter series and event markers`).to.be.gt(50);
      }
    });
  });
});

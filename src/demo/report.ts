/**
 * The demo's report for a risk team: one self-contained HTML page (inline SVG, no scripts, no network)
 * with the allocation of each product against its target, each position in dollars split into settled
 * and in flight, quarantine periods shaded, the share price, a liquidity ladder and each product's yield.
 */

/** One product's position on a day, in dollars. */
export interface DemoPosition {
  /** Held in the product (its book value less what is in flight). */
  settled: number;
  /** On its way in or out: subscriptions not yet filled, redemptions not yet paid, fills not yet claimed. */
  inFlight: number;
  quarantined: boolean;
}

export interface DemoPoint {
  day: number;
  sharePrice: number;
  totalAssets: number;
  idleWeight: number;
  weights: Record<string, number>;
  targets: Record<string, number>;
  /** Idle assets, in dollars. */
  idle: number;
  positions: Record<string, DemoPosition>;
}

/** How fast the vault's assets could be turned back into the asset, in dollars, on one day. */
export interface DemoLadder {
  day: number;
  rungs: Array<{ horizon: string; amount: number; detail: string }>;
}

/** A product's return over the run, from its own price (or its dividends, for a $1 token). */
export interface DemoYield {
  product: string;
  basis: string;
  /** Undefined when the run gives no figure (no dividend paid, no price at the end). */
  annualizedPercent?: number;
}

export interface DemoEvent {
  day: number;
  label: string;
}

const COLORS = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#dc2626", "#0891b2"];
const WIDTH = 860;
const HEIGHT = 300;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function scale(domain: [number, number], range: [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return (v: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((v - d0) / (d1 - d0)) * (r1 - r0));
}

function axes(
  x: (v: number) => number,
  y: (v: number) => number,
  days: number[],
  yTicks: number[],
  yFormat: (v: number) => string,
): string {
  const lines: string[] = [];
  for (const t of yTicks) {
    lines.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/>`);
    lines.push(`<text x="${PAD.left - 6}" y="${y(t) + 4}" class="tick" text-anchor="end">${yFormat(t)}</text>`);
  }
  const step = Math.max(1, Math.ceil(days.length / 10));
  days.forEach((d, i) => {
    if (i % step === 0)
      // The rightmost label ends at the plot's edge rather than overflowing it.
      lines.push(
        `<text x="${x(d)}" y="${HEIGHT - 12}" class="tick" text-anchor="${x(d) > WIDTH - PAD.right - 24 ? "end" : "middle"}">day ${d}</text>`,
      );
  });
  return lines.join("");
}

function polyline(points: Array<[number, number]>, color: string, dashed = false, cls = "series"): string {
  const d = points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
  return `<polyline class="${cls}" points="${d}" fill="none" stroke="${color}" stroke-width="${dashed ? 1.5 : 2.5}"${dashed ? ' stroke-dasharray="6 4"' : ""}/>`;
}

/**
 * Each event is a dashed line with its number drawn at the top, matching the numbered list under the
 * charts, so a printed or screenshotted report shows which event is which (the tooltip is extra).
 * Events of the same day stack their numbers downwards.
 */
function eventMarks(x: (v: number) => number, events: readonly DemoEvent[]): string {
  const perDay = new Map<number, number>();
  return events
    .map((e, i) => {
      const stack = perDay.get(e.day) ?? 0;
      perDay.set(e.day, stack + 1);
      const cx = x(e.day);
      const cy = PAD.top + 8 + stack * 18;
      const label = escape(e.label);
      return (
        `<g class="event" data-event="${i + 1}"><title>${i + 1}. day ${e.day}: ${label}</title>` +
        `<line x1="${cx}" x2="${cx}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" class="event-line"/>` +
        `<circle cx="${cx}" cy="${cy}" r="8" class="event-badge"/>` +
        `<text x="${cx}" y="${cy + 3.5}" class="event-label" text-anchor="middle">${i + 1}</text></g>`
      );
    })
    .join("");
}

const dollars = (v: number): string => `$${Math.round(v).toLocaleString("en-US")}`;
const millions = (v: number): string => (v === 0 ? "$0" : `$${(v / 1e6).toFixed(v >= 1e7 ? 0 : 1)}M`);

/** The days each product was quarantined, as runs of consecutive days. */
export function quarantinePeriods(
  points: readonly DemoPoint[],
  names: readonly string[],
): Array<{ product: string; from: number; to: number }> {
  const periods: Array<{ product: string; from: number; to: number }> = [];
  for (const product of names) {
    let open: { product: string; from: number; to: number } | undefined;
    for (const p of points) {
      if (p.positions[product]?.quarantined) {
        if (open && open.to === p.day - 1) open.to = p.day;
        else periods.push((open = { product, from: p.day, to: p.day }));
      }
    }
  }
  return periods;
}

/**
 * Shaded bands over the days a product was quarantined, each labelled in the chart itself. The bands go
 * under the series and the labels over them (with a halo), below the event badges and inside the plot.
 */
function quarantineBands(
  x: (v: number) => number,
  points: readonly DemoPoint[],
  names: readonly string[],
): { bands: string; labels: string } {
  const half = points.length > 1 ? (x(points[1]!.day) - x(points[0]!.day)) / 2 : 8;
  const periods = quarantinePeriods(points, names);
  const box = (q: (typeof periods)[number]) => ({
    x0: Math.max(PAD.left, x(q.from) - half),
    x1: Math.min(WIDTH - PAD.right, x(q.to) + half),
    label: `${escape(q.product)} quarantined, days ${q.from}–${q.to}`,
  });
  const bands = periods
    .map((q) => {
      const { x0, x1, label } = box(q);
      return (
        `<g class="quarantine" data-product="${escape(q.product)}" data-from="${q.from}" data-to="${q.to}"><title>${label}</title>` +
        `<rect x="${x0.toFixed(1)}" y="${PAD.top}" width="${(x1 - x0).toFixed(1)}" height="${HEIGHT - PAD.top - PAD.bottom}" class="quarantine-band"/></g>`
      );
    })
    .join("");
  const labels = periods
    .map((q, i) => {
      const { x0, x1, label } = box(q);
      // Anchored at whichever edge of the band keeps the words inside the plot.
      const nearRight = x1 > WIDTH - PAD.right - 200;
      return (
        `<text x="${(nearRight ? x1 - 4 : x0 + 4).toFixed(1)}" y="${PAD.top + 70 + i * 14}" class="quarantine-label" ` +
        `data-product="${escape(q.product)}" text-anchor="${nearRight ? "end" : "start"}">${label}</text>`
      );
    })
    .join("");
  return { bands, labels };
}

/**
 * Each day's assets in dollars as a stacked bar: idle, then each product's settled part (solid) and
 * in-flight part (hatched), with quarantine periods shaded.
 */
export function positionsChart(
  points: readonly DemoPoint[],
  names: readonly string[],
  events: readonly DemoEvent[],
): string {
  const days = points.map((p) => p.day);
  const x = scale([Math.min(...days), Math.max(...days)], [PAD.left + 10, WIDTH - PAD.right - 10]);
  const highest = Math.max(
    ...points.map(
      (p) =>
        p.idle + names.reduce((sum, n) => sum + (p.positions[n]?.settled ?? 0) + (p.positions[n]?.inFlight ?? 0), 0),
    ),
  );
  const step = 10 ** Math.floor(Math.log10(Math.max(highest, 1))) / 2;
  const top = Math.ceil(highest / step) * step;
  const y = scale([0, top], [HEIGHT - PAD.bottom, PAD.top]);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const quarantine = quarantineBands(x, points, names);
  const barWidth = Math.max(3, ((WIDTH - PAD.left - PAD.right - 20) / Math.max(1, points.length)) * 0.7);
  const patterns = names
    .map((_, i) => {
      const color = COLORS[i % COLORS.length]!;
      return (
        `<pattern id="hatch-${i}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
        `<rect width="6" height="6" fill="${color}" fill-opacity="0.25"/><line x1="0" y1="0" x2="0" y2="6" stroke="${color}" stroke-width="3"/></pattern>`
      );
    })
    .join("");
  const bars = points
    .map((p) => {
      let base = 0;
      const segment = (amount: number, cls: string, fill: string, product: string, what: string): string => {
        if (amount <= 0) return "";
        const y0 = y(base);
        base += amount;
        const y1 = y(base);
        return (
          `<rect class="${cls}" data-product="${escape(product)}" data-day="${p.day}" x="${(x(p.day) - barWidth / 2).toFixed(1)}" ` +
          `y="${y1.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${fill}">` +
          `<title>day ${p.day}: ${escape(product)} ${what} ${dollars(amount)}</title></rect>`
        );
      };
      return (
        segment(p.idle, "idle", "#9ca3af", "idle", "") +
        names
          .map((n, i) => {
            const pos = p.positions[n];
            if (!pos) return "";
            const color = COLORS[i % COLORS.length]!;
            return (
              segment(pos.settled, "settled", color, n, "settled") +
              segment(pos.inFlight, "in-flight", `url(#hatch-${i})`, n, "in flight")
            );
          })
          .join("")
      );
    })
    .join("");
  const legend = [
    ...names.map(
      (name, i) =>
        `<span class="key"><i style="background:${COLORS[i % COLORS.length]!}"></i>${escape(name)} settled</span>` +
        `<span class="key"><i style="background:repeating-linear-gradient(45deg,#fff 0 2px,${COLORS[i % COLORS.length]!} 2px 4px)"></i>${escape(name)} in flight</span>`,
    ),
    `<span class="key"><i style="background:#9ca3af"></i>idle</span>`,
    `<span class="key"><i style="background:#fee2e2;border:1px solid #dc2626"></i>quarantined</span>`,
  ].join("");
  return `<figure><figcaption>Positions in dollars: settled (solid) and in flight (hatched); quarantine shaded</figcaption>
<div class="legend">${legend}</div>
<svg id="positions" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="positions in dollars">
<defs>${patterns}</defs>
${axes(x, y, days, ticks, millions)}${quarantine.bands}${eventMarks(x, events)}${bars}${quarantine.labels}
</svg></figure>`;
}

/** The liquidity ladder as a table and one horizontal bar per rung. */
export function ladderSection(ladder: DemoLadder): string {
  const total = ladder.rungs.reduce((sum, r) => sum + r.amount, 0);
  const width = 560;
  let offset = 0;
  const bars = ladder.rungs
    .map((r, i) => {
      const w = total === 0 ? 0 : (r.amount / total) * width;
      const bar =
        `<rect class="rung" data-horizon="${escape(r.horizon)}" x="${offset.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${["#059669", "#2563eb", "#7c3aed", "#dc2626"][i % 4]}">` +
        `<title>${escape(r.horizon)}: ${dollars(r.amount)}</title></rect>`;
      offset += w;
      return bar;
    })
    .join("");
  const rows = ladder.rungs
    .map(
      (r) =>
        `<tr><th>${escape(r.horizon)}</th><td class="amount">${dollars(r.amount)}</td><td>${total === 0 ? "0.0" : ((r.amount / total) * 100).toFixed(1)} %</td><td>${escape(r.detail)}</td></tr>`,
    )
    .join("");
  return `<h2>Liquidity ladder (day ${ladder.day})</h2>
<svg id="ladder" viewBox="0 0 ${width} 28" role="img" aria-label="liquidity ladder">${bars}</svg>
<table id="ladder-table"><tr><th>available</th><th>amount</th><th>share</th><th>from</th></tr>${rows}</table>`;
}

export function yieldSection(yields: readonly DemoYield[]): string {
  const rows = yields
    .map(
      (y) =>
        `<tr data-product="${escape(y.product)}"><th>${escape(y.product)}</th><td class="apy">${y.annualizedPercent === undefined ? "n/a" : `${y.annualizedPercent.toFixed(2)} %`}</td><td>${escape(y.basis)}</td></tr>`,
    )
    .join("");
  return `<h2>Yield per product (annualized)</h2>
<table id="yield"><tr><th>product</th><th>a year</th><th>from</th></tr>${rows}</table>`;
}

export function allocationChart(
  points: readonly DemoPoint[],
  names: readonly string[],
  events: readonly DemoEvent[],
): string {
  const days = points.map((p) => p.day);
  const x = scale([Math.min(...days), Math.max(...days)], [PAD.left, WIDTH - PAD.right]);
  const highest = Math.max(
    ...points.flatMap((p) => [p.idleWeight, ...Object.values(p.weights), ...Object.values(p.targets)]),
  );
  const top = Math.max(60, Math.ceil(highest / 10) * 10);
  const y = scale([0, top], [HEIGHT - PAD.bottom, PAD.top]);
  const yTicks = Array.from({ length: top / 10 + 1 }, (_, i) => i * 10);
  const quarantine = quarantineBands(x, points, names);
  const series = names
    .map((name, i) => {
      const color = COLORS[i % COLORS.length]!;
      const actual = polyline(
        points.map((p) => [x(p.day), y(p.weights[name] ?? 0)]),
        color,
      );
      const target = polyline(
        points.map((p) => [x(p.day), y(p.targets[name] ?? 0)]),
        color,
        true,
        "target",
      );
      return actual + target;
    })
    .join("");
  const idle = polyline(
    points.map((p) => [x(p.day), y(p.idleWeight)]),
    "#6b7280",
    false,
    "series idle",
  );
  const legend = [...names, "idle"]
    .map((name, i) => {
      const color = name === "idle" ? "#6b7280" : COLORS[i % COLORS.length]!;
      return `<span class="key"><i style="background:${color}"></i>${escape(name)}</span>`;
    })
    .join("");
  return `<figure><figcaption>Allocation against target (% of total assets; dashed: target)</figcaption>
<div class="legend">${legend}</div>
<svg id="allocation" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="allocation against target">
${axes(x, y, days, yTicks, (v) => `${v}%`)}${quarantine.bands}${eventMarks(x, events)}${series}${idle}${quarantine.labels}
</svg></figure>`;
}

export function priceChart(points: readonly DemoPoint[], events: readonly DemoEvent[]): string {
  const days = points.map((p) => p.day);
  const prices = points.map((p) => p.sharePrice);
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  const margin = Math.max((hi - lo) * 0.1, 0.0001);
  const x = scale([Math.min(...days), Math.max(...days)], [PAD.left, WIDTH - PAD.right]);
  const y = scale([lo - margin, hi + margin], [HEIGHT - PAD.bottom, PAD.top]);
  const ticks = [0, 1, 2, 3, 4].map((i) => lo - margin + ((hi - lo + 2 * margin) * i) / 4);
  return `<figure><figcaption>Share price (USDC per share)</figcaption>
<svg id="price" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="share price">
${axes(x, y, days, ticks, (v) => v.toFixed(5))}${eventMarks(x, events)}${polyline(
    points.map((p) => [x(p.day), y(p.sharePrice)]),
    "#111827",
  )}
</svg></figure>`;
}

export function renderReport(input: {
  title: string;
  points: readonly DemoPoint[];
  names: readonly string[];
  events: readonly DemoEvent[];
  summary: ReadonlyArray<[string, string]>;
  ladder: DemoLadder;
  yields: readonly DemoYield[];
}): string {
  const rows = input.summary.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join("");
  const events = input.events
    .map((e, i) => `<li id="event-${i + 1}" value="${i + 1}"><b>day ${e.day}</b> ${escape(e.label)}</li>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:900px;color:#111827}
h1{font-size:22px}figure{margin:24px 0}figcaption{font-weight:600;margin-bottom:6px}
svg{width:100%;height:auto;background:#fafafa;border:1px solid #e5e7eb;border-radius:6px}
.grid{stroke:#e5e7eb}.tick{font-size:11px;fill:#6b7280}.event-line{stroke:#f59e0b;stroke-width:1;stroke-dasharray:2 3}
.event-badge{fill:#fffbeb;stroke:#f59e0b}.event-label{font-size:10px;font-weight:700;fill:#92400e}
.legend{display:flex;gap:16px;flex-wrap:wrap;margin-bottom:6px}.key i{display:inline-block;width:12px;height:12px;margin-right:6px;border-radius:2px;vertical-align:-1px}
table{border-collapse:collapse}th,td{text-align:left;padding:4px 12px 4px 0;border-bottom:1px solid #f3f4f6}th{font-weight:500;color:#374151}
.quarantine-band{fill:#fee2e2;fill-opacity:.7;stroke:#fca5a5}.quarantine-label{font-size:11px;font-weight:600;fill:#b91c1c;paint-order:stroke;stroke:#fff;stroke-width:3px}
#ladder{height:28px;border:none;background:none;margin:6px 0}
</style></head><body>
<h1>${escape(input.title)}</h1>
${allocationChart(input.points, input.names, input.events)}
${positionsChart(input.points, input.names, input.events)}
${priceChart(input.points, input.events)}
${ladderSection(input.ladder)}
${yieldSection(input.yields)}
<h2>Summary</h2><table>${rows}</table>
<h2>What happened (numbers as marked on the charts)</h2><ol>${events}</ol>
</body></html>
`;
}

/**
 * The demo's report: one self-contained HTML page (inline SVG, no scripts, no network) with the
 * allocation of each adapter against its target over time, and the share price.
 */

export interface DemoPoint {
  day: number;
  sharePrice: number;
  totalAssets: number;
  idleWeight: number;
  weights: Record<string, number>;
  targets: Record<string, number>;
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
${axes(x, y, days, yTicks, (v) => `${v}%`)}${eventMarks(x, events)}${series}${idle}
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
</style></head><body>
<h1>${escape(input.title)}</h1>
${allocationChart(input.points, input.names, input.events)}
${priceChart(input.points, input.events)}
<h2>Summary</h2><table>${rows}</table>
<h2>What happened (numbers as marked on the charts)</h2><ol>${events}</ol>
</body></html>
`;
}

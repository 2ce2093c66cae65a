/**
 * A dependency-free SVG line plot writer for benchmarks: one or more panels side by side, each
 * with its own series, sharing the y scale so panels compare at a glance.
 *
 * @example
 * const svg = svgLinePanels({
 *   title: 'calls per second',
 *   xLabel: 's', yLabel: 'calls/s',
 *   panels: [{ title: 'zcops', series: [{ name: 'ok', points: [[0, 10], [1, 10]] }] }],
 * });
 * await writeFile('plot.svg', svg);
 */
export interface PlotSeries {
  name: string;
  points: readonly (readonly [number, number])[];
  color?: string;
  dashed?: boolean;
}

export interface PlotPanel {
  title: string;
  series: readonly PlotSeries[];
}

export interface PanelsOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  panels: readonly PlotPanel[];
  /** Size of one panel in px (default 420 x 300). */
  panelWidth?: number;
  panelHeight?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export function svgLinePanels(options: PanelsOptions): string {
  const pw = options.panelWidth ?? 420;
  const ph = options.panelHeight ?? 300;
  const margin = { left: 52, right: 12, top: 28, bottom: 40 };
  const head = 34;
  const legendH = 22;
  const width = pw * options.panels.length;
  const height = head + ph + legendH;
  const all = options.panels.flatMap((p) => p.series.flatMap((s) => s.points));
  const xMax = niceCeil(Math.max(1e-9, ...all.map((p) => p[0])));
  const yMax = niceCeil(Math.max(1, ...all.map((p) => p[1])));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
  ];
  options.panels.forEach((panel, i) => {
    const ox = i * pw + margin.left;
    const oy = head + margin.top;
    const w = pw - margin.left - margin.right;
    const h = ph - margin.top - margin.bottom;
    const sx = (x: number) => ox + (x / xMax) * w;
    const sy = (y: number) => oy + h - (y / yMax) * h;
    out.push(
      `<text x="${ox + w / 2}" y="${oy - 8}" text-anchor="middle" font-size="13">${esc(panel.title)}</text>`,
    );
    for (const t of ticks(yMax)) {
      out.push(
        `<line x1="${ox}" x2="${ox + w}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`,
        `<text x="${ox - 6}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`,
      );
    }
    for (const t of ticks(xMax)) {
      out.push(`<text x="${sx(t)}" y="${oy + h + 14}" text-anchor="middle">${fmt(t)}</text>`);
    }
    out.push(
      `<rect x="${ox}" y="${oy}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
      `<text x="${ox + w / 2}" y="${oy + h + 30}" text-anchor="middle">${esc(options.xLabel)}</text>`,
      `<text transform="translate(${ox - 38},${oy + h / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
    );
    panel.series.forEach((s, j) => {
      const color = s.color ?? PALETTE[j % PALETTE.length]!;
      const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`);
      out.push(
        `<path d="${d.join(' ')}" fill="none" stroke="${color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`,
      );
    });
  });
  // One legend for all panels (series are named alike across panels).
  const names = new Map<string, PlotSeries>();
  for (const p of options.panels) for (const s of p.series) if (!names.has(s.name)) names.set(s.name, s);
  let lx = margin.left;
  [...names.values()].forEach((s, j) => {
    const color = s.color ?? PALETTE[j % PALETTE.length]!;
    const y = head + ph + 8;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`,
      `<text x="${lx + 30}" y="${y + 4}">${esc(s.name)}</text>`,
    );
    lx += 40 + s.name.length * 7;
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function ticks(max: number): number[] {
  return Array.from({ length: 6 }, (_, i) => (max * i) / 5);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

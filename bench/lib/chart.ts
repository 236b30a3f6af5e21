/**
 * The bench's picture (issue 12): one SVG, drawn here from the figures of a run with no external
 * service, so the README can show where clustercore stands against raw IPC at a glance.
 *
 * One row per table row that has a ratio against the raw baseline. The x axis is that ratio on a
 * log scale (raw = 1.0, the solid line), so 0.5× and 2× are as far from raw on either side. Each
 * row shows clustercore's bar (green when its target is met, red when not, grey without a target),
 * its target as a tick, and every peer (think-cluster, …) as a dot at peer / raw. Absolute bounds
 * (memory growth) have no ratio and are left to the table.
 */
import type { Figure } from './report';

/** What a row of the chart shows. */
export interface ChartRow {
  /** Table row id and figure, e.g. 'c requests/s'. */
  label: string;
  /** clustercore / raw. */
  ratio: number;
  /** Where the target sits on the same axis (null: no target). */
  target: number | null;
  /** Met, missed, or no target. */
  met: boolean | null;
  /** Peers on the same axis: name → peer / raw. */
  peers: { name: string; ratio: number }[];
  /** Whether more is better; the label says which way is good. */
  lowerIsBetter: boolean;
}

/** Rows of the chart from a run's figures (rows without a ratio against raw are left out). */
export function chartRows(figures: Figure[]): ChartRow[] {
  const rows: ChartRow[] = [];
  const byRow = new Map<string, Figure[]>();
  for (const f of figures) {
    const key = `${f.scenario} ${f.metric}`;
    byRow.set(key, [...(byRow.get(key) ?? []), f]);
  }
  for (const [label, group] of byRow) {
    const raw = group.find((f) => f.baselineMode === 'raw');
    if (!raw || raw.ratio === null || raw.baseline === null) continue;
    const lowerIsBetter = raw.target.startsWith('≤');
    const peers: ChartRow['peers'] = [];
    for (const f of group) {
      if (f === raw || f.baseline === null) continue;
      peers.push({ name: f.baselineMode, ratio: f.baseline / raw.baseline });
    }
    rows.push({ label, ratio: raw.ratio, target: targetOnAxis(raw), met: raw.met, peers, lowerIsBetter });
  }
  return rows;
}

/** The target of a figure as a ratio against its baseline, or null when it has none. */
function targetOnAxis(f: Figure): number | null {
  const ratio = /^[≥≤] ([\d.]+)×$/.exec(f.target);
  if (ratio) return Number(ratio[1]);
  const plus = /^≤ baseline \+ ([\d.]+)$/.exec(f.target);
  if (plus && f.baseline) return (f.baseline + Number(plus[1])) / f.baseline;
  return null;
}

const ROW_H = 22;
const LEFT = 290;
const PLOT_W = 520;
const TOP = 48;
const MIN_RATIO = 0.05;
const MAX_RATIO = 5;
const PEER_COLOURS = ['#7b4fc9', '#d08a1a', '#1a8ad0'];

/** x position of a ratio on the log axis, clamped to the plot. */
function xOf(ratio: number): number {
  const r = Math.min(MAX_RATIO, Math.max(MIN_RATIO, ratio));
  const span = Math.log(MAX_RATIO) - Math.log(MIN_RATIO);
  return LEFT + ((Math.log(r) - Math.log(MIN_RATIO)) / span) * PLOT_W;
}

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The SVG document of a run: `title` on top, one row per ChartRow, axis and legend. */
export function renderChart(rows: ChartRow[], title: string): string {
  const peerNames = [...new Set(rows.flatMap((r) => r.peers.map((p) => p.name)))];
  const colourOf = (name: string) => PEER_COLOURS[peerNames.indexOf(name) % PEER_COLOURS.length];
  const height = TOP + rows.length * ROW_H + 70;
  const width = LEFT + PLOT_W + 70;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="38" fill="#555">clustercore / raw IPC in the same run (log scale; raw = 1.0). Bars: green target met, red missed, grey no target. Ticks: targets.</text>`,
  ];
  const bottom = TOP + rows.length * ROW_H;
  for (const tick of [0.1, 0.25, 0.5, 1, 2, 4]) {
    const x = xOf(tick).toFixed(1);
    out.push(`<line x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${bottom}" stroke="${tick === 1 ? '#000' : '#ddd'}" stroke-width="${tick === 1 ? 1.5 : 1}"/>`);
    out.push(`<text x="${x}" y="${bottom + 14}" text-anchor="middle" fill="#555">${tick}×</text>`);
  }
  rows.forEach((row, i) => {
    const y = TOP + i * ROW_H;
    const mid = y + ROW_H / 2;
    const fill = row.met === null ? '#9a9a9a' : row.met ? '#2e9d4a' : '#d0453a';
    const x0 = xOf(1);
    const x1 = xOf(row.ratio);
    const arrow = row.lowerIsBetter ? ' (lower is better)' : '';
    out.push(`<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(row.label + arrow)}</text>`);
    out.push(`<rect x="${Math.min(x0, x1).toFixed(1)}" y="${y + 5}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="${ROW_H - 10}" fill="${fill}"><title>${escapeXml(`${row.label}: ${row.ratio.toFixed(2)}×`)}</title></rect>`);
    // The value in its own column right of the plot, where no dot or tick can cover it.
    out.push(`<text x="${LEFT + PLOT_W + 10}" y="${mid + 4}" fill="#333">${row.ratio.toFixed(2)}×</text>`);
    if (row.target !== null) {
      const xt = xOf(row.target).toFixed(1);
      out.push(`<line x1="${xt}" y1="${y + 2}" x2="${xt}" y2="${y + ROW_H - 2}" stroke="#000" stroke-width="2" stroke-dasharray="3,2"/>`);
    }
    for (const p of row.peers) {
      out.push(`<circle cx="${xOf(p.ratio).toFixed(1)}" cy="${mid}" r="4.5" fill="${colourOf(p.name)}"><title>${escapeXml(`${p.name}: ${p.ratio.toFixed(2)}× raw`)}</title></circle>`);
    }
  });
  let lx = LEFT;
  for (const name of peerNames) {
    out.push(`<circle cx="${lx}" cy="${bottom + 36}" r="4.5" fill="${colourOf(name)}"/><text x="${lx + 8}" y="${bottom + 40}">${escapeXml(name)}</text>`);
    lx += 24 + name.length * 7;
  }
  out.push(`<line x1="${lx}" y1="${bottom + 30}" x2="${lx}" y2="${bottom + 42}" stroke="#000" stroke-width="2" stroke-dasharray="3,2"/><text x="${lx + 6}" y="${bottom + 40}">target</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

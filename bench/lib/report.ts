/**
 * Turns the rounds of every scenario into figures (median of rounds, ratio clustercore / baseline,
 * target met or not) and prints them as a Markdown table.
 */
import type { Metric, Scenario, Target } from '../scenarios';
import type { Mode } from './app-kit';
import { median } from './stats';

/** Results of one scenario: per mode, one result object per round (null: the run failed). */
export type Rounds = Partial<Record<Mode, (Record<string, number> | null)[]>>;

/** One row of the table. */
export interface Figure {
  /** Scenario id. */
  scenario: string;
  /** Metric label. */
  metric: string;
  /** Unit of baseline and clustercore. */
  unit: string;
  /** Which baseline this row compares with. */
  baselineMode: Mode;
  /** Median of the baseline's rounds (null: not measured). */
  baseline: number | null;
  /** Median of clustercore's rounds. */
  clustercore: number | null;
  /** clustercore / baseline. */
  ratio: number | null;
  /** Target, as text. */
  target: string;
  /** Whether the target is met (null: no target, or not measured). */
  met: boolean | null;
  /** Why it is not measured, when it is not. */
  note?: string;
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Figures of one measured scenario. */
export function figuresOf(s: Scenario, rounds: Rounds): Figure[] {
  const out: Figure[] = [];
  const cc = rounds.clustercore ?? [];
  for (const m of s.metrics) {
    const ccValue = num(median(cc.map((r) => r?.[m.key])));
    for (const mode of s.modes.filter((x) => x !== 'clustercore')) {
      const base = num(median((rounds[mode] ?? []).map((r) => r?.[m.key])));
      // An absolute bound (memory growth, pending traces) is judged alone: a ratio of two near-zero figures means nothing.
      const ratio = base !== null && ccValue !== null && base !== 0 && m.target?.kind !== 'abs-max' && m.unit !== 'MB' ? ccValue / base : null;
      const target = m.targetOf?.[mode] ?? m.target;
      out.push({
        scenario: m.row ?? s.id, metric: m.label, unit: m.unit, baselineMode: mode, baseline: base, clustercore: ccValue, ratio,
        target: targetText(target), met: judge(target, base, ccValue, ratio),
      });
    }
  }
  return out;
}

/** Placeholder rows of a scenario that is not measured yet. */
export function pendingFigures(s: Scenario): Figure[] {
  return s.metrics.map((m) => ({
    scenario: m.row ?? s.id, metric: m.label, unit: m.unit, baselineMode: s.modes[0], baseline: null, clustercore: null, ratio: null,
    target: targetText(m.target), met: null, note: `not measured yet: ${s.pending}`,
  }));
}

function targetText(t: Target | undefined): string {
  if (!t) return '—';
  switch (t.kind) {
    case 'ratio-min': return `≥ ${t.value.toFixed(1)}×`;
    case 'ratio-max': return `≤ ${t.value.toFixed(1)}×`;
    case 'plus-max': return `≤ baseline + ${t.value}`;
    case 'abs-max': return `≤ ${t.value}`;
  }
}

function judge(t: Target | undefined, base: number | null, cc: number | null, ratio: number | null): boolean | null {
  if (!t || cc === null) return null;
  switch (t.kind) {
    case 'ratio-min': return ratio === null ? null : ratio >= t.value;
    case 'ratio-max': return ratio === null ? null : ratio <= t.value;
    case 'plus-max': return base === null ? null : cc <= base + t.value;
    case 'abs-max': return cc <= t.value;
  }
}

/** A number for the table: big ones with thousands separators, small ones with decimals. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  const abs = Math.abs(v);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: unit === 'MB' ? 1 : 0 });
  return unit ? `${text} ${unit}` : text;
}

/** The Markdown table of every figure. */
export function formatTable(figures: Figure[]): string {
  const head = ['scenario', 'figure', 'baseline', 'clustercore', 'ratio', 'target', 'met'];
  const rows = figures.map((f) => [
    f.scenario,
    f.metric,
    f.note ? 'not measured yet' : `${formatValue(f.baseline, f.unit)} (${f.baselineMode})`,
    f.note ? 'not measured yet' : formatValue(f.clustercore, f.unit),
    f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`,
    f.target,
    f.met === null ? '—' : f.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Metric lookup for the progress line. */
export function headline(metrics: Metric[], result: Record<string, number>): string {
  const seen = new Set<string>();
  return metrics
    .filter((m) => !seen.has(m.key) && seen.add(m.key))
    .map((m) => `${m.key}=${formatValue(result[m.key] ?? null, m.unit)}`)
    .join(' ');
}

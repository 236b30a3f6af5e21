import { describe, expect, it } from 'vitest';
import { chartRows, renderChart } from '../../../bench/lib/chart';
import type { Figure } from '../../../bench/lib/report';

const fig = (over: Partial<Figure>): Figure => ({
  scenario: 'c', metric: 'requests/s', unit: '/s', baselineMode: 'raw', baseline: 100, clustercore: 150,
  ratio: 1.5, target: '≥ 1.0×', met: true, ...over,
});

const FIGURES: Figure[] = [
  fig({}),
  fig({ scenario: 'b', metric: 'p99 round trip', unit: 'µs', baseline: 100, clustercore: 180, ratio: 1.8, target: '≤ 1.5×', met: false }),
  fig({ scenario: 'e-map-2w', metric: 'maps/s', baseline: 1000, clustercore: 800, ratio: 0.8, target: '≥ 1.0×', met: false }),
  fig({ scenario: 'e-map-2w', metric: 'maps/s', baselineMode: 'think-cluster', baseline: 500, clustercore: 800, ratio: 1.6, target: '≥ 1.5×', met: true }),
  fig({ scenario: 'g-2w', metric: 'start to all ready', unit: 'ms', baseline: 200, clustercore: 250, ratio: 1.25, target: '≤ baseline + 100', met: true }),
  fig({ scenario: 'h', metric: 'worker heap growth', unit: 'MB', baseline: 1, clustercore: 2, ratio: null, target: '≤ 20', met: true }),
  fig({ scenario: 'a', metric: 'messages/s', baseline: null, clustercore: null, ratio: null, target: '≥ 2.0×', met: null }),
];

describe('bench chart (issue 12 item 7)', () => {
  it('ISSUE-12: one row per table row with a ratio against raw; peers at peer / raw; targets on the same axis', () => {
    const rows = chartRows(FIGURES);
    expect(rows.map((r) => r.label)).toEqual(['c requests/s', 'b p99 round trip', 'e-map-2w maps/s', 'g-2w start to all ready']);
    expect(rows[0]).toMatchObject({ ratio: 1.5, target: 1.0, met: true, peers: [], lowerIsBetter: false });
    expect(rows[1]).toMatchObject({ ratio: 1.8, target: 1.5, met: false, lowerIsBetter: true });
    // think-cluster did 500 maps/s where raw did 1000: its dot sits at 0.5× raw.
    expect(rows[2].peers).toEqual([{ name: 'think-cluster', ratio: 0.5 }]);
    // 'baseline + 100 ms' over a 200 ms baseline is a 1.5× line.
    expect(rows[3].target).toBe(1.5);
  });

  it('ISSUE-12: the SVG draws each row with its colour, value, target tick and peer dot, escaping labels', () => {
    const svg = renderChart(chartRows(FIGURES), 'run <1> & co');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('run &#60;1&#62; &#38; co');
    expect(svg.match(/<rect [^>]*fill="#2e9d4a"/g)).toHaveLength(2); // c and g met
    expect(svg.match(/<rect [^>]*fill="#d0453a"/g)).toHaveLength(2); // b and e-map missed
    expect(svg.match(/stroke-dasharray="3,2"/g)).toHaveLength(5); // four targets and the legend's
    expect(svg.match(/<circle /g)).toHaveLength(2); // the think-cluster dot and its legend
    for (const text of ['1.50×', '1.80×', '0.80×', '1.25×', 'b p99 round trip (lower is better)', 'think-cluster: 0.50× raw']) {
      expect(svg).toContain(text);
    }
  });
});

/**
 * `npm run bench:chart [-- in.json [out.svg]]`: draws the SVG chart of a bench run from its JSON
 * (default bench/results/latest.json → bench/results/latest.svg). `npm run bench` writes it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chartRows, renderChart } from './lib/chart';
import type { Figure } from './lib/report';

const ROOT = path.resolve(__dirname, '../..');

/** Title of a run's chart: its date, machine and kind. */
export function chartTitle(run: { date: string; quick: boolean; machine: { cpus: number; node: string } }): string {
  return `clustercore bench, ${run.date.slice(0, 10)}: ${run.machine.cpus} CPUs, node ${run.machine.node}, ${run.quick ? 'quick run' : 'median of 3 rounds'}`;
}

/** Reads a run's JSON and writes its chart; returns the path written. */
export function writeChart(jsonPath: string, svgPath = jsonPath.replace(/\.json$/, '') + '.svg'): string {
  const run = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as { date: string; quick: boolean; machine: { cpus: number; node: string }; figures: Figure[] };
  fs.writeFileSync(svgPath, renderChart(chartRows(run.figures), chartTitle(run)));
  return svgPath;
}

if (require.main === module) {
  const [input = path.join(ROOT, 'bench/results/latest.json'), output] = process.argv.slice(2);
  process.stdout.write(`wrote ${path.relative(ROOT, writeChart(path.resolve(input), output && path.resolve(output)))}\n`);
}

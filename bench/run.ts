/**
 * `npm run bench [-- --quick] [-- --only=a,c]`: runs every scenario, raw baseline and clustercore
 * in the same run (rounds interleaved), prints the table (median of rounds) and writes
 * bench/results/latest.json with its chart (latest.svg). Progress goes to stderr while it runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCENARIOS, type Scenario } from './scenarios';
import { runApp } from './lib/run-app';
import { figuresOf, formatTable, headline, pendingFigures, type Figure, type Rounds } from './lib/report';
import { writeChart } from './chart';

const ROOT = path.resolve(__dirname, '../..');
const APPS = path.join(__dirname, 'apps');

interface RunOptions { quick: boolean; only: Set<string> | null; out: string }

function parseArgs(argv: string[]): RunOptions {
  const opts: RunOptions = { quick: false, only: null, out: path.join(ROOT, 'bench/results/latest.json') };
  for (const a of argv) {
    if (a === '--quick') opts.quick = true;
    else if (a.startsWith('--only=')) opts.only = new Set(a.slice(7).split(',').filter(Boolean));
    else if (a.startsWith('--out=')) opts.out = path.resolve(a.slice(6));
    else {
      process.stderr.write(`bench: unknown argument '${a}' (known: --quick, --only=a,b,…, --out=file.json)\n`);
      process.exit(2);
    }
  }
  return opts;
}

function wanted(s: Scenario, only: Set<string> | null): boolean {
  if (only === null) return true;
  const ids = [s.id, ...s.metrics.map((m) => m.row ?? s.id)];
  return ids.some((id) => only.has(id) || only.has(id.split('-')[0]) || id.split('+').some((part) => only.has(part)));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const scenarios = SCENARIOS.filter((s) => wanted(s, opts.only));
  const measured = scenarios.filter((s) => !s.pending);
  const roundsOf = (s: Scenario) => (opts.quick ? 1 : s.rounds ?? 3);
  const total = measured.reduce((n, s) => n + roundsOf(s) * s.modes.length, 0);
  const timeoutMs = opts.quick ? 30_000 : 120_000;
  const started = Date.now();
  let step = 0;
  let failures = 0;
  const results: { scenario: Scenario; rounds: Rounds }[] = [];

  process.stderr.write(`clustercore bench (${opts.quick ? 'quick' : 'full'}): ${measured.length} scenarios, ${total} runs, ${os.availableParallelism()} CPUs, node ${process.version}\n`);
  for (const s of measured) {
    const rounds: Rounds = {};
    const params = opts.quick ? s.quick : s.full;
    for (let r = 0; r < roundsOf(s); r++) {
      for (const mode of s.modes) {
        step++;
        const label = `[${String(step).padStart(2)}/${total}] ${s.id.padEnd(7)} ${mode.padEnd(11)} round ${r + 1}/${roundsOf(s)}`;
        // On a terminal the line is rewritten when the run ends; in a log, only the end is printed.
        const tty = process.stderr.isTTY === true;
        if (tty) process.stderr.write(`${label} …`);
        const cr = tty ? '\r' : '';
        const t0 = Date.now();
        let result: Record<string, number> | null = null;
        try {
          result = await runApp(path.join(APPS, `${s.appOf?.[mode] ?? s.app}.js`), mode, params, timeoutMs);
          process.stderr.write(`${cr}${label} ${String(Date.now() - t0).padStart(6)} ms  ${headline(s.metrics, result)}\n`);
        } catch (err) {
          failures++;
          process.stderr.write(`${cr}${label} FAILED: ${(err as Error).message}\n`);
        }
        (rounds[mode] ??= []).push(result);
      }
    }
    results.push({ scenario: s, rounds });
  }

  const figures: Figure[] = [];
  for (const s of scenarios) {
    const r = results.find((x) => x.scenario === s);
    figures.push(...(r ? figuresOf(s, r.rounds) : pendingFigures(s)));
  }
  const seconds = (Date.now() - started) / 1000;
  const machine = {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
  process.stdout.write(`\n${formatTable(figures)}\n\nmachine: ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}; ${opts.quick ? 'quick run (1 round)' : 'median of rounds'}; ${seconds.toFixed(0)} s\n`);

  const json = {
    date: new Date().toISOString(),
    quick: opts.quick,
    seconds,
    machine,
    scenarios: scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      params: opts.quick ? s.quick : s.full,
      pending: s.pending ?? null,
      rounds: results.find((x) => x.scenario === s)?.rounds ?? null,
    })),
    figures,
  };
  const out = opts.out;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(ROOT, out)} and ${path.relative(ROOT, writeChart(out))}\n`);
  process.exit(failures > 0 ? 1 : 0);
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
  process.exit(1);
});

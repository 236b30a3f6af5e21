/**
 * `npm run build && node dist/bench/health.js [--rounds=3]`: the heartbeat's cost on scenarios b
 * (one request at a time: p50, p99) and c (256 in flight: requests/s), clustercore with the
 * default heartbeat (1 s, each child answering with its RSS) against `heartbeatTimeout: 0`, rounds
 * interleaved in one run. Prints the medians and the ratios on / off.
 */
import os from 'node:os';
import path from 'node:path';
import { SCENARIOS } from './scenarios';
import { runApp } from './lib/run-app';
import { median } from './lib/stats';

async function main(): Promise<void> {
  const roundsArg = process.argv.find((a) => a.startsWith('--rounds='));
  const rounds = roundsArg ? Number(roundsArg.slice(9)) : 3;
  const scenario = SCENARIOS.find((s) => s.id === 'b+c')!;
  const script = path.join(__dirname, 'apps', `${scenario.app}.js`);
  const results: Record<'on' | 'off', Record<string, number>[]> = { on: [], off: [] };
  for (let r = 0; r < rounds; r++) {
    for (const hb of ['on', 'off'] as const) {
      process.env.BENCH_HEARTBEAT = hb;
      const res = await runApp(script, 'clustercore', scenario.full, 120_000);
      results[hb].push(res);
      process.stderr.write(`round ${r + 1}/${rounds} heartbeat ${hb}: b p50 ${res.p50} µs, p99 ${res.p99} µs; c ${Math.round(res.opsPerSec)} req/s\n`);
    }
  }
  const m = (hb: 'on' | 'off', key: string) => median(results[hb].map((x) => x[key]));
  const row = (label: string, key: string, unit: string) =>
    `${label.padEnd(16)} on ${m('on', key).toFixed(0).padStart(8)} ${unit}  off ${m('off', key).toFixed(0).padStart(8)} ${unit}  ratio on/off ${(m('on', key) / m('off', key)).toFixed(3)}`;
  process.stdout.write(`${[row('b p50', 'p50', 'µs'), row('b p99', 'p99', 'µs'), row('c requests/s', 'opsPerSec', '/s')].join('\n')}\n`);
  process.stdout.write(`machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; median of ${rounds} rounds\n`);
  process.exit(0);
}

main().catch((err: Error) => {
  process.stderr.write(`bench/health: ${err.stack ?? err.message}\n`);
  process.exit(1);
});

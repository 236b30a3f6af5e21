/**
 * `npm run bench:multihost [-- --rounds=N]`: cross-node figures of clustercore against raw ioredis
 * (the same hops by hand) and Moleculer 0.14 (Redis transporter), two processes each, rounds
 * interleaved, medians printed and written to bench/results/multihost.json. Needs the local Redis
 * on 127.0.0.1:6379 (the npm script starts one if none answers). Separate from `npm run bench`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { median } from '../lib/stats';
import type { Figures } from './workload';

const ROOT = path.resolve(__dirname, '../../..');
const CONTENDERS = [
  { name: 'raw ioredis', script: 'raw-node.js', serverReady: 'READY' },
  { name: 'clustercore', script: 'cc-node.js', serverReady: null },
  { name: 'Moleculer 0.14', script: 'moleculer-node.js', serverReady: 'READY' },
] as const;

function start(script: string, role: string, ns: string): { proc: ChildProcess; waitLine: (prefix: string, ms: number) => Promise<string> } {
  const proc = spawn(process.execPath, [path.join(__dirname, script), role, ns], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  proc.stdout!.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const waitLine = (prefix: string, ms: number) => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} ${role}: no '${prefix}' within ${ms} ms`)), ms);
    const check = () => {
      const found = lines.find((l) => l.startsWith(prefix));
      if (found) { clearTimeout(timer); resolve(found); } else waiters.push(check);
    };
    check();
  });
  return { proc, waitLine };
}

const kill = (p: ChildProcess) => { try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* gone */ } };

async function dropKeys(ns: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${ns}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

async function once(c: (typeof CONTENDERS)[number]): Promise<Figures> {
  const ns = `bench-mh-${randomBytes(4).toString('hex')}`;
  const server = start(c.script, 'server', ns);
  try {
    if (c.serverReady) await server.waitLine(c.serverReady, 30_000);
    const client = start(c.script, 'client', ns);
    try {
      const line = await client.waitLine('RESULT ', 300_000);
      return JSON.parse(line.slice(7)) as Figures;
    } finally {
      kill(client.proc);
    }
  } finally {
    kill(server.proc);
    await new Promise((r) => setTimeout(r, 300));
    await dropKeys(ns);
  }
}

async function main(): Promise<void> {
  const roundsArg = process.argv.find((a) => a.startsWith('--rounds='));
  const rounds = roundsArg ? Number(roundsArg.slice(9)) : 3;
  const onlyArg = process.argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? onlyArg.slice(7) : null;
  const all = new Map<string, Figures[]>(CONTENDERS.map((c) => [c.name, []]));
  process.stderr.write(`multihost bench: ${rounds} rounds, ${os.availableParallelism()} CPUs, node ${process.version}\n`);
  for (let r = 0; r < rounds; r++) {
    for (const c of CONTENDERS) {
      if (only !== null && !c.script.startsWith(only)) continue;
      const f = await once(c);
      all.get(c.name)!.push(f);
      process.stderr.write(`round ${r + 1} ${c.name}: ${JSON.stringify(f)}\n`);
    }
  }
  const med = (name: string, key: keyof Figures) => median(all.get(name)!.map((f) => f[key]));
  const keys: [keyof Figures, string][] = [['p50us', 'request p50 (us)'], ['p99us', 'request p99 (us)'], ['reqPerSec', 'pipelined requests/s'], ['eventsPerSec', 'broadcast events/s'], ['incrementsPerSec', 'global increments/s']];
  const rows = keys.map(([k, label]) => {
    const raw = med('raw ioredis', k);
    const cc = med('clustercore', k);
    const mol = med('Moleculer 0.14', k);
    const ratio = (x: number) => (Number.isFinite(x) && Number.isFinite(raw) && raw > 0 ? (x / raw).toFixed(2) : '–');
    return `| ${label} | ${fmt(raw)} | ${fmt(cc)} (${ratio(cc)}×) | ${fmt(mol)} (${ratio(mol)}×) |`;
  });
  const table = ['| cross-node | raw ioredis | clustercore (× raw) | Moleculer 0.14 (× raw) |', '| --- | --- | --- | --- |', ...rows].join('\n');
  console.log(table);
  // A partial run (--only) does not replace the full run's record.
  const out = path.join(ROOT, only === null ? 'bench/results/multihost.json' : `bench/results/multihost-${only}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), cpus: os.availableParallelism(), node: process.version, rounds, runs: Object.fromEntries(all) }, null, 2) + '\n');
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–';
}

void main().catch((e) => { console.error(e); process.exit(1); });

/**
 * Scenario g: start-up time, from this process's start (performance.now()) until every child is
 * ready. Raw: cluster.fork to 'online' (and the alone, a child_process.fork, to its first message).
 * clustercore (Corejs door): ClusterCore.init(AppMain) + fork(n) until every worker ran
 * onProcessDidInit and said so.
 * Params: workers, alone (0/1; raw only until bootstrap() exists).
 */
import cluster from 'node:cluster';
import { fork } from 'node:child_process';
import { emitResult, param, readAppArgs } from '../lib/app-kit';
import { forkRaw } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const workers = param(params, 'workers');
const alone = params.alone === 1;

function raw(): void {
  if (process.env.BENCH_ALONE) {
    process.send!('ready');
    return;
  }
  if (!cluster.isPrimary) return;
  const parts: Promise<unknown>[] = [forkRaw(workers, 'online')];
  if (alone) {
    const child = fork(process.argv[1], process.argv.slice(2), { env: { ...process.env, BENCH_ALONE: '1' } });
    parts.push(new Promise((resolve) => child.once('message', resolve)));
  }
  void Promise.all(parts).then(() => emitResult({ ms: performance.now() }));
}

function clustercore(): void {
  startClusterCore({
    workers,
    ready() {
      emitResult({ ms: performance.now() });
    },
  });
}

if (mode === 'raw') raw();
else clustercore();

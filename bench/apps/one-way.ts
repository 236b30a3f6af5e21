/**
 * Scenario a: one-way messages worker → master, as fast as the worker can send them; the master
 * counts them and reports messages/s from its GO to the last arrival.
 * Params: n (messages), bytes (payload size).
 */
import cluster from 'node:cluster';
import { emitResult, makePayload, nowUs, param, readAppArgs } from '../lib/app-kit';
import { forkRaw, rawReady } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const n = param(params, 'n');
const payload = makePayload(params.bytes);

function raw(): void {
  if (cluster.isPrimary) {
    void forkRaw(1).then(([w]) => {
      let count = 0;
      w.on('message', () => {
        if (++count === n) emitResult({ msgsPerSec: (n / (nowUs() - t0)) * 1e6 });
      });
      const t0 = nowUs();
      w.send('go');
    });
    return;
  }
  process.on('message', () => {
    for (let i = 0; i < n; i++) process.send!({ action: 'A', payload });
  });
  rawReady();
}

function clustercore(): void {
  let count = 0;
  let t0 = 0;
  startClusterCore({
    workers: 1,
    ready(core, [w]) {
      t0 = nowUs();
      void core.send(w, 'GO');
    },
    onMaster(_core, _from, data) {
      if (data.action === 'A' && ++count === n) emitResult({ msgsPerSec: (n / (nowUs() - t0)) * 1e6 });
    },
    async onWorker(core) {
      for (let i = 0; i < n; i++) {
        void core.send('M', 'A', payload);
        // Back-pressure: past the high-water mark, wait until the channel drained.
        if (core.needsDrain('M')) await core.drain('M');
      }
    },
  });
}

if (mode === 'raw') raw();
else clustercore();

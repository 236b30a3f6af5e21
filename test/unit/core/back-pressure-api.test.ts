import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ClusterCore } from '../../../src/core/cluster-core';
import { InvalidArgumentError } from '../../../src/protocol/errors';
import { MasterEngine } from '../../../src/runtime/master/master-engine';
import { IpcChannel } from '../../../src/transport/ipc-channel';
import type { Logger } from '../../../src/runtime/logger';

/** The fields of a live child entry these tests do not look at. */
const LIVE = { pidHex: '0001', state: 'live' as const, startedAt: 0, lastBeat: 0, rss: 0, gone: false };

const logger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** An IPC endpoint whose writes complete only when the test says so. */
class SlowEndpoint extends EventEmitter {
  connected = true;
  private done: ((e: Error | null) => void)[] = [];
  send(_frame: unknown, _h?: undefined, _o?: undefined, cb?: (e: Error | null) => void): boolean {
    if (cb) this.done.push(cb);
    return true;
  }
  complete(): void {
    for (const cb of this.done.splice(0)) cb(null);
  }
}

function masterWithSlowWorker() {
  const engine = new MasterEngine({ traceTimeout: 1000, shutdownTimeout: 100, startupTimeout: 1000, logger, highWaterMark: 2 });
  const endpoint = new SlowEndpoint();
  const channel = new IpcChannel('W:1', endpoint, { highWaterMark: 2 });
  engine.table.set({ id: 'W:1', kind: 'worker', channel, pid: 1, kill: () => {}, ready: true, exited: new Promise(() => {}), ...LIVE });
  return { core: new ClusterCore(engine), endpoint };
}

describe('ClusterCore back-pressure API', () => {
  it('ISSUE-6: needsDrain(to) is true once the channel towards `to` passed its high-water mark; drain(to) resolves when Node wrote the backlog', async () => {
    const { core, endpoint } = masterWithSlowWorker();
    expect(core.needsDrain('W:1')).toBe(false);
    const sent = [core.send('W:1', 'A', 1), core.send('W:1', 'A', 2), core.send('W:1', 'A', 3)];
    await new Promise<void>((r) => setImmediate(r));
    expect(core.needsDrain('W:1')).toBe(true);
    let drained = false;
    const drain = core.drain('W:1').then(() => { drained = true; });
    await new Promise<void>((r) => setImmediate(r));
    expect(drained).toBe(false);
    while (!drained) {
      endpoint.complete();
      await new Promise<void>((r) => setImmediate(r));
    }
    await drain;
    endpoint.complete();
    await Promise.all(sent);
    expect(core.needsDrain('W:1')).toBe(false);
  });

  it('ISSUE-6: a target without a channel is never congested', async () => {
    const { core } = masterWithSlowWorker();
    expect(core.needsDrain('W:9')).toBe(false);
    await expect(core.drain('W:9')).resolves.toBeUndefined();
  });

  it('ISSUE-6: needsDrain throws and drain rejects a bad target, naming the method, the argument and the value', async () => {
    const { core } = masterWithSlowWorker();
    expect(() => core.needsDrain('X:1')).toThrow(InvalidArgumentError);
    expect(() => core.needsDrain('X:1')).toThrow(/needsDrain.*processId.*X:1/);
    await expect(core.drain(42 as unknown as string)).rejects.toThrow(/drain.*processId.*42/);
    await expect(core.drain('M')).rejects.toThrow(/drain.*itself/);
  });
});

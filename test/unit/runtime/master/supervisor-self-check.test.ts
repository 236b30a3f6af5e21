/** R-SUP-8: the supervisor's self-check on the heartbeat tick, and what it never re-forks (R-SUP-6). */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Supervisor } from '../../../../src/runtime/master/supervisor';
import type { MasterEngine } from '../../../../src/runtime/master/master-engine';
import type { ExitDetail } from '../../../../src/runtime/hooks';

function fakeMaster(forked: string[]) {
  const live = new Map<string, { id: string; kind: string; ready: boolean }>();
  const spawned: string[] = [];
  const lines: string[] = [];
  const log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  const master = {
    events: new EventEmitter(),
    options: { logger: { info: log, warn: log, error: log } },
    isStopping: false,
    table: { get: (id: string) => live.get(id), values: () => live.values() },
    forkedWorkerIds: () => forked,
    spawnWorker: (id: string) => { spawned.push(id); live.set(id, { id, kind: 'worker', ready: false }); },
    spawnAlone: () => { spawned.push('A'); live.set('A', { id: 'A', kind: 'alone', ready: false }); },
    shutdown: () => undefined,
  };
  return { master, live, spawned, lines, asEngine: master as unknown as MasterEngine };
}

afterEach(() => { vi.useRealTimers(); });

describe('R-SUP-8: supervisor self-check', () => {
  it('R-SUP-8: on a tick, a forked worker with no live process and no pending restart is started again, with the back-off', () => {
    vi.useFakeTimers();
    const f = fakeMaster(['W:1', 'W:2']);
    f.live.set('W:1', { id: 'W:1', kind: 'worker', ready: true });
    const s = new Supervisor(f.asEngine, { refork: true, limit: 60 });
    s.start();
    // W:2's fork failed (no process, no exit event): the tick finds it.
    f.master.events.emit('tick');
    expect(f.lines).toEqual(['self-check: W:2 has no live process and no restart pending; starting it now']);
    vi.advanceTimersByTime(0);
    expect(f.spawned).toEqual(['W:2']);
    // Missing again: the second start in a row waits (back-off), and a tick meanwhile adds nothing.
    f.live.delete('W:2');
    f.master.events.emit('tick');
    f.master.events.emit('tick');
    expect(f.lines.at(-1)).toBe('self-check: W:2 has no live process and no restart pending; starting it in 500 ms');
    expect(f.lines).toHaveLength(2);
    vi.advanceTimersByTime(499);
    expect(f.spawned).toEqual(['W:2']);
    vi.advanceTimersByTime(1);
    expect(f.spawned).toEqual(['W:2', 'W:2']);
    s.stop();
  });

  it('R-SUP-6: a retired process (reason reload or memory) is never re-forked; a crash is', () => {
    vi.useFakeTimers();
    const f = fakeMaster(['W:1']);
    const s = new Supervisor(f.asEngine, { refork: true, limit: 60 });
    s.start();
    const retired = { id: 'W:1', pid: 11, state: 'retiring' };
    for (const reason of ['reload', 'memory'] as const) {
      f.master.events.emit('exit', 'W:1', { code: 0, signal: null, reason } satisfies ExitDetail, 'worker', retired);
    }
    vi.advanceTimersByTime(60_000);
    expect(f.spawned).toEqual([]);
    f.master.events.emit('exit', 'W:1', { code: 1, signal: null, reason: 'crash' } satisfies ExitDetail, 'worker', { id: 'W:1', pid: 12, state: 'live' });
    vi.advanceTimersByTime(0);
    expect(f.spawned).toEqual(['W:1']);
    s.stop();
  });

  it('R-SUP-8: with refork off nothing is restarted by the self-check', () => {
    vi.useFakeTimers();
    const f = fakeMaster(['W:1']);
    const s = new Supervisor(f.asEngine, { refork: false, limit: 60 });
    s.start();
    f.master.events.emit('tick');
    vi.advanceTimersByTime(10_000);
    expect(f.spawned).toEqual([]);
    s.stop();
  });
});

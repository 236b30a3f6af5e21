/**
 * The reproductions of ISSUE-14 (deliveries 2 and 3) as tests: a worker writes hand-built
 * envelopes and frames straight onto its IPC channel; the master refuses and counts each one, and
 * every target is unaffected.
 */
import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';
import { DROPS_SHOWN_PER_INTERVAL } from '../../../src/runtime/drop-log';

interface Stats { received: number; malformed: number; relayed: number; discarded: number }
interface Result {
  written: number;
  before: Stats;
  after: Stats;
  heldResult: { value?: string; error?: string };
  w3: string;
  seen: { jobs: string[]; deep: number; stats: Stats };
  masterDeep: number;
  polluted: unknown;
  ids: string[];
}

async function run(mode: 'forge' | 'frames') {
  const c = startCluster(fixture('runtime/hostile'), [mode]);
  const result = await c.waitForReport<Result & { event: string }>('result', undefined, 60_000);
  // Nobody exited before the result: the attack stopped no process.
  const exitsBefore = c.reports<{ event: string }>().findIndex((r) => r.event === 'exit');
  expect(exitsBefore === -1 || c.reports<{ event: string }>().findIndex((r) => r.event === 'result') < exitsBefore).toBe(true);
  expect(result.ids).toEqual(['M', 'W:1', 'W:2', 'W:3']);
  expect(c.output()).not.toMatch(/Uncaught|RangeError|Maximum call stack/);
  return { c, result };
}

describe('a hostile child (ISSUE-14)', () => {
  it('R-IPC-5: internal actions written by a worker (shutdown to W:3, process-did-exit naming W:2 to M, messenger-run as M to W:2, a transit result) are refused and counted; the targets are unaffected', async () => {
    const { c, result } = await run('forge');
    expect(result.written).toBe(4);
    // Each forged envelope refused and counted once by the master; none relayed.
    expect(result.after.malformed - result.before.malformed).toBe(4);
    expect(result.after.relayed - result.before.relayed).toBe(0);
    // W:3 was not shut down: it still answers.
    expect(result.w3).toBe('W:3');
    // M's call to W:2 was not failed by the forged process-did-exit: W:2 answered it.
    expect(result.heldResult).toEqual({ value: 'held and answered' });
    // The forged consume job never ran; the one the master wrote around the relay (claiming W:1) was refused by W:2.
    expect(result.seen.jobs).toEqual([]);
    expect(result.seen.stats.malformed).toBe(1);
    const out = c.output();
    expect(out).toContain('[M] dropped a message from W:1 (internal action @@cc/cmd:shutdown to W:3; the relay carries only user messages between children)');
    expect(out).toContain('[M] dropped a message from W:1 (unknown internal action @@cc/evt:process-did-exit)');
    expect(out).toContain('[W:2] dropped a message from M (internal action @@cc/cmd:messenger-run from W:1; only the master may send it)');
  });

  it('R-IPC-2: a 20 000-level frame, data past MAX_DATA_DEPTH or MAX_DATA_VALUES, a __proto__ key and a frame of 300 000 junk entries are each dropped and counted, logged at a limited rate, and crash nothing', async () => {
    const { c, result } = await run('frames');
    expect(result.written).toBe(7);
    expect(result.after.malformed - result.before.malformed).toBe(7);
    // No handler saw any of them, in the master or behind the relay; no prototype was polluted.
    expect(result.masterDeep).toBe(0);
    expect(result.seen.deep).toBe(0);
    expect(result.polluted).toBeNull();
    expect(result.heldResult).toEqual({ value: 'held and answered' });
    const out = c.output();
    expect(out).toContain('is nested deeper than MAX_DATA_DEPTH (100 levels of arrays and objects)');
    expect(out).toContain("data.payload.__proto__ is an own '__proto__' key");
    // Rate-limited: at most the quota of an interval shown per interval, plus one summary line.
    const masterDrops = c.lines.filter((l) => l.startsWith('[M] dropped a message'));
    expect(masterDrops.length).toBeGreaterThanOrEqual(1);
    expect(masterDrops.length).toBeLessThanOrEqual(2 * DROPS_SHOWN_PER_INTERVAL);
    expect(c.lines.length).toBeLessThan(100);
  });
});

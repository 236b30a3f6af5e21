/**
 * Fuzz suite (ISSUE-14, delivery 6): 10 000 seeded random and adversarial frames per run, half
 * written by a worker onto the master's IPC channel, half by the master onto a worker's. Every
 * frame's outcome is predicted by the generator (test/fixtures/runtime/fuzz-frames.ts); the
 * processes' counters and user hooks must match it exactly.
 */
import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

type Stats = { received: number; malformed: number; relayed: number; discarded: number };
type Outcome = { delivered: number; relayed: number; malformed: number; discarded: number; discardHook: number; relayedDiscarded: number };
type Got = { delivered: number; discardHook: number; invalid: number; samples: string[] };
interface FuzzReport {
  phase1: { expected: Outcome; kinds: Record<string, number>; frames: number; master: { delta: Stats; got: Got }; third: { stats: Stats; got: Got } };
  phase2: { expected: Outcome; kinds: Record<string, number>; frames: number; workerBefore: Stats; worker: { stats: Stats; got: Got } };
  ids: string[];
}

const FRAMES_PER_PHASE = 5000;
const SEED = 0x5eed;

describe('fuzz (ISSUE-14)', () => {
  it('R-IPC-2: (and R-IPC-5) 10 000 seeded random and adversarial frames onto the master\'s and a worker\'s IPC channel: no crash, no invalid data in a user hook, every frame delivered or counted as predicted', async () => {
    const c = startCluster(fixture('runtime/fuzz'), [String(FRAMES_PER_PHASE), String(SEED)]);
    const r = await c.waitForReport<FuzzReport & { event: string }>('fuzz', undefined, 90_000);
    const { phase1: p1, phase2: p2 } = r;
    expect(p1.frames + p2.frames).toBeGreaterThanOrEqual(10_000);
    // Every kind of frame was tried in each phase (the generator's categories; see fuzz-frames.ts).
    const kinds1 = ['raw-deep', 'raw-deep-relay', 'raw-junk-300k', 'raw-huge', 'junk', 'user', 'relay', 'relay-dead', 'batch', 'empty-frame', 'oversized-frame',
      'bad-data-deep', 'bad-data-proto', 'bad-data-depth+1', 'internal-relay', 'internal-to-master', 'internal-reply-unknown', 'internal-reply-refused',
      'remote-error-relay', 'reply-unknown', 'transit-forged', 'bad-meta-toProcessId', 'bad-meta-traceId', 'bad-meta-isRes', 'user-odd-keys'];
    const kinds2 = ['raw-deep', 'raw-junk-300k', 'raw-huge', 'junk', 'user', 'misrouted', 'to-self-id-other', 'batch', 'empty-frame', 'oversized-frame',
      'bad-data-deep', 'bad-data-proto', 'internal-unhandled', 'internal-not-from-M', 'internal-reply-unknown', 'internal-reply-refused',
      'reply-unknown', 'transit-unknown', 'transit-forged', 'bad-meta-fromProcessId', 'user-odd-keys'];
    for (const k of kinds1) expect(p1.kinds[k] ?? 0, `phase 1 kind ${k}`).toBeGreaterThan(0);
    for (const k of kinds2) expect(p2.kinds[k] ?? 0, `phase 2 kind ${k}`).toBeGreaterThan(0);

    // Phase 1, at the master: every rejected envelope counted, every valid one delivered or relayed.
    expect(p1.master.got.invalid, p1.master.got.samples.join('\n')).toBe(0);
    expect(p1.master.delta.malformed).toBe(p1.expected.malformed);
    expect(p1.master.delta.discarded).toBe(p1.expected.discarded);
    expect(p1.master.delta.relayed).toBe(p1.expected.relayed + p1.expected.relayedDiscarded);
    expect(p1.master.got.delivered).toBe(p1.expected.delivered);
    expect(p1.master.got.discardHook).toBe(p1.expected.discardHook);
    // ... and behind the relay, at W:2: what was relayed arrived valid.
    expect(p1.third.got.invalid, p1.third.got.samples.join('\n')).toBe(0);
    expect(p1.third.got.delivered).toBe(p1.expected.relayed);
    expect(p1.third.stats.malformed).toBe(0);
    expect(p1.third.stats.discarded).toBe(p1.expected.relayedDiscarded);
    expect(p1.expected.malformed).toBeGreaterThan(1000);

    // Phase 2, at W:2 (frames written by the master).
    const w = p2.worker;
    expect(w.got.invalid, w.got.samples.join('\n')).toBe(0);
    expect(w.stats.malformed - p2.workerBefore.malformed).toBe(p2.expected.malformed);
    expect(w.stats.discarded - p2.workerBefore.discarded).toBe(p2.expected.discarded);
    expect(w.got.delivered - p1.third.got.delivered).toBe(p2.expected.delivered);
    expect(w.got.discardHook - p1.third.got.discardHook).toBe(p2.expected.discardHook);
    expect(p2.expected.malformed).toBeGreaterThan(1000);

    // Nobody crashed: the group is whole and stops cleanly.
    expect(r.ids).toEqual(['M', 'W:1', 'W:2']);
    expect(await c.exited(30_000)).toEqual({ code: 0, signal: null });
    expect(c.output()).not.toMatch(/Uncaught|RangeError|Maximum call stack|exited \(code/);
  }, 120_000);
});

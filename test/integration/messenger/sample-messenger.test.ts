import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('samples/messenger', () => {
  it('ISSUE-7: the messenger sample prints every outcome and exits with code 0', async () => {
    const c = startCluster(sample('dist/samples/messenger/main.js'));
    const exit = await c.exited(40_000);
    expect(exit, c.output()).toEqual({ code: 0, signal: null });
    const lines = c.lines;
    const has = (line: string) => expect(lines, c.output()).toContain(line);
    // broadcast: every worker cleared its cache once.
    has('[M] broadcast cache:clear reached W:1, W:2, W:3');
    for (const w of ['W:1', 'W:2', 'W:3']) expect(lines.filter((l) => l === `[${w}] cache cleared (deploy, asked by M)`)).toHaveLength(1);
    // consume: round robin, each report built once by the worker named.
    const takers = { mon: 'W:1', tue: 'W:2', wed: 'W:3', thu: 'W:1' };
    for (const [day, w] of Object.entries(takers)) {
      has(`[M] consume report:build(${day}) taken by ${w}`);
      expect(lines.filter((l) => l.endsWith(`built the report of ${day}`))).toEqual([`[${w}] built the report of ${day}`]);
    }
    // map: answers in worker order, reflecting the jobs each one ran.
    has('[M] map stats:get → W:1: 2 report(s), 0 cached; W:2: 1 report(s), 0 cached; W:3: 1 report(s), 0 cached');
    // sendRandom: the worker named, and only it, warmed up.
    const picked = lines.find((l) => l.startsWith('[M] sendRandom warm-up went to '))?.slice(-3);
    expect(['W:1', 'W:2', 'W:3']).toContain(picked);
    expect(lines.filter((l) => l.includes('warming up'))).toEqual([`[${picked}] warming up (picked by M)`]);
    // the alone process broadcast to every worker through the master.
    has('[M] the alone process announced theme=dark to W:1, W:2, W:3');
    for (const w of ['W:1', 'W:2', 'W:3']) has(`[${w}] config theme=dark (from A)`);
    // map with a slow worker: MapError naming it, with the others' answers.
    has('[M] map stats:slow failed for W:2 (TraceTimeoutError); answered: W:1, W:3');
    has('[M] done');
  }, 60_000);
});

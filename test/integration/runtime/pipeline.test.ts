import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

async function runPipeline(): Promise<Report[]> {
  const c = startCluster(fixture('runtime/pipeline'));
  await c.waitForReport('done', undefined, 20_000);
  return c.reports<Report>();
}

const hooks = (reports: Report[], processId: string) =>
  reports.filter((r) => r.event === 'hook' && r.processId === processId).map((r) => `${r.hook}:${r.action}:${JSON.stringify(r.payload)}`);

describe('pipeline (R-PIPE)', () => {
  it('R-PIPE-1: every user message passes onProcessWillReceiveMessage first; the default calls next()', async () => {
    const reports = await runPipeline();
    const m = hooks(reports, 'M');
    for (const action of ['PASS', 'REPLACE', 'DISCARD', 'MUTATE', 'NO_NEXT', 'REPLACE_REQUEST', 'END']) {
      const at = m.findIndex((h) => h.startsWith(`will:${action}:`));
      expect(at, action).toBeGreaterThanOrEqual(0);
      const end = m.findIndex((h) => /^(did|discard):/.test(h) && h.split(':')[1] === action);
      if (action !== 'NO_NEXT') expect(end, action).toBeGreaterThan(at);
    }
    // W:1 keeps AppMain's default will-hook: the message went on to onProcessDidReceiveMessage.
    expect(hooks(reports, 'W:1')).toEqual(['will:THROUGH_DEFAULT:7', 'did:THROUGH_DEFAULT:7']);
  });

  it('R-PIPE-2: next() → onProcessDidReceiveMessage; next(x) replaces data.payload; next(DISCARD) → onProcessDidDiscardMessage', async () => {
    const reports = await runPipeline();
    const m = hooks(reports, 'M').filter((h) => !h.startsWith('will:'));
    expect(m).toContain('did:PASS:{"n":1}');
    expect(m).toContain('did:REPLACE:{"replaced":2}');
    expect(m).toContain('discard:DISCARD:{"n":3}');
    expect(m.filter((h) => h.includes(':DISCARD:'))).toEqual(['discard:DISCARD:{"n":3}']);
    // Without next(), neither later stage runs.
    expect(m.filter((h) => h.includes(':NO_NEXT:'))).toEqual([]);
    // A request whose payload was replaced is answered with what onProcessDidReceiveMessage saw.
    expect(reports.find((r) => r.event === 'reply')!.value).toEqual({ replaced: 6 });
  });

  it('R-PIPE-3: changes a hook makes to data are seen by the later stages; getOriginData() keeps the original', async () => {
    const reports = await runPipeline();
    const mutated = reports.find((r) => r.event === 'mutated')!;
    expect(mutated.seen).toEqual({ action: 'MUTATE', payload: { n: 4, list: [1, 2] }, stamp: 'set-by-will' });
    expect(mutated.origin).toEqual({ action: 'MUTATE', payload: { n: 4, list: [1] } });
  });
});

import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

describe('requests and the trace registry', () => {
  it('ISSUE-3: a request whose target dies before answering rejects at once with TargetUnavailableError naming the target, in a worker and in the master', async () => {
    const c = startCluster(fixture('runtime/requests'));
    const fromWorker = await c.waitForReport<Report>('settled', (r) => r.label === 'W:1->W:3', 20_000);
    const fromMaster = await c.waitForReport<Report>('settled', (r) => r.label === 'M->W:3');
    // Both requests reached W:3 before it died (their 60 s time-outs are far away).
    expect(c.reports<Report>().filter((r) => r.event === 'never-received').map((r) => r.from).sort()).toEqual(['M', 'W:1']);
    expect(fromWorker.error).toEqual({ name: 'TargetUnavailableError', message: 'process W:3 exited before answering', toProcessId: 'W:3', isUnavailable: true });
    expect(fromMaster.error).toEqual({ name: 'TargetUnavailableError', message: 'process W:3 exited (code 7, signal null) before answering', toProcessId: 'W:3', isUnavailable: true });
    expect((await c.waitForReport<Report>('registry')).size).toBe(0);
  });

  it('ISSUE-3: 10 000 requests, some answered, some timing out, some to a dead process: every one settles and the registry is empty after', async () => {
    const c = startCluster(fixture('runtime/requests'));
    const sent = await c.waitForReport<Report>('flood-sent', undefined, 20_000);
    expect(sent.pending).toBe(10_000);
    const done = await c.waitForReport<Report>('flood-done', undefined, 40_000);
    // Silence always ends in a time-out, a dead target always at once: exact, whatever the machine's speed.
    expect(done.counts.silence).toEqual({ answered: 0, timedOut: 900, unavailable: 0, wrong: 0, other: 0 });
    expect(done.counts.dead).toEqual({ answered: 0, timedOut: 0, unavailable: 100, wrong: 0, other: 0 });
    // Each of the 9 000 answerable requests got its own answer, or (late on a loaded machine) timed out;
    // nothing else, and never a wrong answer.
    const a = done.counts.answer;
    expect(a.answered + a.timedOut).toBe(9000);
    expect({ wrong: a.wrong, other: a.other, unavailable: a.unavailable }).toEqual({ wrong: 0, other: 0, unavailable: 0 });
    expect(a.answered).toBeGreaterThan(0);
    expect(done.size).toBe(0);
  }, 60_000);
});

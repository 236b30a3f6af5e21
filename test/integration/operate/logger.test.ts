/**
 * R-OBS-1, structured logs: the default logger writes `<ISO time> <level> [<process id>] <message>`;
 * `logger: pino()` works as it is, with one child per process bound to `{ processId }`.
 */
import { describe, expect, it } from 'vitest';
import { startGroup, uniqueApp } from '../../helpers/operate';

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

describe('R-OBS-1: structured logs', () => {
  it('R-OBS-1: the default logger writes <ISO time> <level> [<process id>] <message>', async () => {
    const { c, ready } = await startGroup(uniqueApp('log'), { METRICS_PORT: '0', LOG_TEXT: 'hello from the worker' });
    const metrics = await c.waitFor('metrics and status page on');
    const raw = c.rawLines.find((l) => l.endsWith(metrics.slice(metrics.indexOf(']') + 2)))!;
    expect(raw).toMatch(new RegExp(`^${ISO} info \\[M\\] metrics and status page on http://127\\.0\\.0\\.1:\\d+/$`));
    expect(Math.abs(Date.parse(raw.slice(0, 24)) - Date.now())).toBeLessThan(60_000);
    expect(c.rawLines.filter((l) => new RegExp(`^${ISO} info \\[W:1\\] hello from the worker$`).test(l))).toHaveLength(1);
    expect(c.rawLines.filter((l) => new RegExp(`^${ISO} error \\[W:1\\] a failure with its error: Error: boom$`).test(l))).toHaveLength(1);
    process.kill(ready.status.processes.find((p) => p.id === 'W:2')!.pid!, 'SIGKILL');
    await c.waitFor(/^\[M\] W:2 exited \(code null, signal SIGKILL, reason crash\); restarting it/);
    expect(c.rawLines.some((l) => new RegExp(`^${ISO} warn \\[M\\] W:2 exited \\(code null, signal SIGKILL, reason crash\\); restarting it`).test(l))).toBe(true);
  });

  it('R-OBS-1: logger: pino() works as it is, one child per process bound to { processId }', async () => {
    const { c, ready } = await startGroup(uniqueApp('pino'), { LOGGER: 'pino', METRICS_PORT: '0', LOG_TEXT: 'hello from pino' });
    await c.waitFor('"msg":"hello from pino"');
    const json = c.rawLines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; processId: string; pid: number; msg: string; err?: { type: string; message: string } });
    const master = ready.status.processes[0].pid;
    const w1 = ready.status.processes[1].pid;
    expect(json.filter((l) => l.msg.startsWith('metrics and status page on http://127.0.0.1:'))).toEqual([expect.objectContaining({ level: 30, processId: 'M', pid: master })]);
    expect(json.filter((l) => l.msg === 'hello from pino')).toEqual([expect.objectContaining({ level: 30, processId: 'W:1', pid: w1 })]);
    // An error keeps its Error: pino's `({ err }, message)`.
    expect(json.filter((l) => l.msg === 'a failure with its error:')).toEqual([
      expect.objectContaining({ level: 50, processId: 'W:1', err: expect.objectContaining({ type: 'Error', message: 'boom' }) }),
    ]);
    // No default-format line from clustercore itself.
    expect(c.rawLines.filter((l) => /^\d{4}-\d{2}-\d{2}T\S+Z (info|warn|error) \[/.test(l))).toEqual([]);
  });
});

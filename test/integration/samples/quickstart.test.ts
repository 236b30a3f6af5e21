/**
 * ISSUE-5: the quick start (samples/quickstart/main.ts, the README's main demo) runs as printed:
 * two workers on one shared port, a counter shared by every worker, the alone timer job, the demo
 * requests, then Ctrl-C (SIGINT) stops the whole group with exit code 0.
 */
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('ISSUE-5: samples/quickstart', () => {
  it('ISSUE-5: workers share one port, the counter is shared, the alone job reports it, Ctrl-C exits cleanly', async () => {
    const port = await freePort();
    const c = startCluster(sample('dist/samples/quickstart/main.js'), [], { PORT: String(port), JOB_INTERVAL_MS: '200' });
    await c.waitFor('demo done; the group keeps serving. Press Ctrl-C to stop.');
    expect(c.lines.filter((l) => l.includes(`serving http://127.0.0.1:${port}/`)).sort()).toEqual([
      `[W:1] serving http://127.0.0.1:${port}/`,
      `[W:2] serving http://127.0.0.1:${port}/`,
    ]);
    expect(c.lines).toContain(`[M] group is up: M, W:1, W:2, A; try: curl http://127.0.0.1:${port}/hello`);
    const answers = c.lines.filter((l) => l.startsWith('[M] GET '));
    expect(answers).toHaveLength(4);
    answers.forEach((line, i) => expect(line).toMatch(new RegExp(`^\\[M\\] GET /\\w+ → hello from W:[12] \\(pid \\d+\\): /\\w+ is request #${i + 1}$`)));
    expect(c.lines.find((l) => l.startsWith('[M] workers: '))).toMatch(/^\[M\] workers: W:1 \(pid \d+\), W:2 \(pid \d+\)$/);
    // The counter lives in the master: a request from outside is number 5, whichever worker takes it.
    expect(await get(`http://127.0.0.1:${port}/five`)).toMatch(/^hello from W:[12] \(pid \d+\): \/five is request #5\n$/);
    await c.waitFor(/^\[A\] timer job run #\d+: 5 request\(s\) served so far$/);
    expect(c.lines).toContain('[A] timer job started (every 200 ms)');
    c.signal('SIGINT');
    const exit = await c.exited();
    expect(exit.code, c.output()).toBe(0);
    expect(c.lines).toContain('[M] SIGINT received: shutting the group down');
  });

  it('ISSUE-5: --exit-after-demo runs the demo and exits 0 by itself', async () => {
    const port = await freePort();
    const c = startCluster(sample('dist/samples/quickstart/main.js'), ['--exit-after-demo'], { PORT: String(port) });
    const exit = await c.exited();
    expect(exit.code, c.output()).toBe(0);
    expect(c.lines).toContain('[M] demo done; shutting down');
    expect(c.lines.filter((l) => l.startsWith('[M] GET '))).toHaveLength(4);
  });
});

/**
 * R-OBS-2, status page: `/` of the metrics port, in headless Chromium — one self-contained page
 * (nothing requested from anywhere but the group's own server) that shows every process, each with
 * its two charts, and shows new pids without a page reload: of a killed worker re-forked by the
 * supervisor, then of every worker after `clustercore reload`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from '../../helpers/browser';
import { cli, startGroup, uniqueApp } from '../../helpers/operate';

let browser: Browser | null = null;
afterEach(async () => {
  await browser?.close();
  browser = null;
});

describe('R-OBS-2: the status page', () => {
  it('R-OBS-2: the page shows every process with its charts, and a replaced worker\'s and a reload\'s new pids without a page reload', async () => {
    const app = uniqueApp('page');
    const { c, ready } = await startGroup(app, { METRICS_PORT: '0' });
    const url = /metrics and status page on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(await c.waitFor('metrics and status page on'))![1];
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(url);
    await page.waitForSelector('#rows tr[data-id="A"]', { timeout: 15_000 });

    const rows = () => page.$$eval('#rows tr', (trs) => trs.map((tr) => [tr.getAttribute('data-id'), tr.getAttribute('data-pid'), tr.querySelector('.state')?.textContent]));
    expect(await rows()).toEqual(ready.status.processes.map((p) => [p.id, String(p.pid), 'ready']));
    expect(await page.title()).toBe(`${app} · clustercore`);
    expect(await page.textContent('h1')).toBe(app);
    const cards = await page.$$eval('#charts .card', (els) => els.map((e) => [e.getAttribute('data-id'), e.querySelectorAll('svg[data-chart]').length]));
    expect(cards).toEqual([['M', 2], ['W:1', 2], ['W:2', 2], ['A', 2]]);

    // Replace W:1; the open page picks up the new pid by itself.
    const w1 = ready.status.processes.find((p) => p.id === 'W:1')!;
    const loads: number[] = [];
    page.on('load', () => loads.push(Date.now()));
    process.kill(w1.pid!, 'SIGKILL');
    await page.waitForFunction((old) => {
      // Runs in the page (the tests' own types have no DOM library).
      type Node = { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null } | null };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): Node | null } }).document;
      const tr = doc.querySelector('#rows tr[data-id="W:1"]');
      return tr !== null && tr.getAttribute('data-pid') !== String(old) && tr.querySelector('.state')?.textContent === 'ready';
    }, w1.pid, { timeout: 20_000, polling: 200 });
    const replaced = await page.$eval('#rows tr[data-id="W:1"]', (tr) => [tr.getAttribute('data-pid'), tr.querySelector('.restarts')?.textContent, tr.querySelector('.reason')?.textContent]);
    expect(replaced[0]).not.toBe(String(w1.pid));
    expect(replaced.slice(1)).toEqual(['1', 'crash (SIGKILL)']);
    expect(loads).toEqual([]);

    // A graceful reload (R-SUP-6) through the command line: every worker's new pid appears by itself.
    const pidsBefore = await page.$$eval('#rows tr', (trs) => trs.map((tr) => [tr.getAttribute('data-id'), tr.getAttribute('data-pid')]));
    const workersBefore = pidsBefore.filter(([id]) => id!.startsWith('W:'));
    expect(workersBefore).toHaveLength(2);
    const run = await cli(['reload', app], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    await page.waitForFunction((old) => {
      type Row = { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null } | null };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): Row | null } }).document;
      return old.every(([id, pid]: (string | null)[]) => {
        const tr = doc.querySelector(`#rows tr[data-id="${id}"]`);
        return tr !== null && tr.getAttribute('data-pid') !== pid && tr.querySelector('.state')?.textContent === 'ready';
      });
    }, workersBefore, { timeout: 30_000, polling: 200 });
    const after = await page.$$eval('#rows tr', (trs) => trs.map((tr) => [tr.getAttribute('data-id'), tr.getAttribute('data-pid')]));
    expect(after.map(([id]) => id)).toEqual(['M', 'W:1', 'W:2', 'A']);
    for (const [id, pid] of workersBefore) expect(after.find(([x]) => x === id)![1]).not.toBe(pid);
    expect(after.find(([x]) => x === 'M')).toEqual(pidsBefore.find(([x]) => x === 'M'));
    expect(loads).toEqual([]);
    // Self-contained: the page asked its own server only (the page, then its JSON).
    const origin = new URL(url).origin;
    expect(requested.length).toBeGreaterThanOrEqual(2);
    expect(requested.filter((u) => !u.startsWith(origin))).toEqual([]);
  }, 120_000);
});

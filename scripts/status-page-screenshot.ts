/**
 * `npm run docs:operating`: the pictures of the README's Operating section, taken from a real group —
 * docs/status-page.png (the status page in headless Chromium) and docs/status-table.txt (the
 * output of `clustercore status`). Starts the operate fixture with some traffic, waits for the
 * charts to fill, captures, stops the group.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');
const APP = 'shop-api';
const WAIT_MS = Number(process.env.WAIT_MS ?? 45_000);

async function main(): Promise<void> {
  const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-docs-'));
  const env = { ...process.env, XDG_RUNTIME_DIR: xdg, APP_TITLE: APP, METRICS_PORT: '0', LOAD_RPS: '60' };
  const group = spawn(process.execPath, [path.join(ROOT, 'dist/test/fixtures/operate/group.js')], { env, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => { try { process.kill(-group.pid!, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', stop);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no metrics line within 30 s:\n${out}`)), 30_000);
    group.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /metrics and status page on (http:\/\/\S+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  process.stderr.write(`group up, status page ${url}; letting the charts fill for ${WAIT_MS / 1000} s…\n`);
  await new Promise((r) => setTimeout(r, WAIT_MS / 2));
  // A crash half-way, so the table shows a restart and its reason, and W:2's line its new pid.
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/bin/clustercore.js'), ...args], { env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
  const before = JSON.parse(cli('status', APP, '--json').stdout) as { processes: { id: string; pid: number }[] };
  process.kill(before.processes.find((p) => p.id === 'W:2')!.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, WAIT_MS / 2));

  const table = cli('status', APP);
  if (table.status !== 0) throw new Error(`clustercore status failed: ${table.stderr}`);
  fs.writeFileSync(path.join(ROOT, 'docs/status-table.txt'), `$ clustercore status ${APP}\n${table.stdout}`);

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args, viewport: { width: 1100, height: 560 } });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('#rows tr[data-id="A"]');
    await page.screenshot({ path: path.join(ROOT, 'docs/status-page.png'), fullPage: true });
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
    stop();
    fs.rmSync(xdg, { recursive: true, force: true });
  }
  process.stderr.write('wrote docs/status-page.png and docs/status-table.txt\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

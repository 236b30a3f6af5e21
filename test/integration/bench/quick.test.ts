import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cluster-process';
import { SCENARIOS, rowIds } from '../../../bench/scenarios';

let groupPid: number | null = null;
/** The temporary folder of the current test; removed afterwards, also when the test failed. */
let tmp: string | null = null;

afterEach(() => {
  if (groupPid !== null) {
    try {
      process.kill(-groupPid, 'SIGKILL');
    } catch (err) {
      // ESRCH: the bench already exited with its whole group.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    groupPid = null;
  }
  // After the kill, so a bench that overran its time cannot write into the folder once it is gone.
  if (tmp !== null) {
    fs.rmSync(tmp, { recursive: true, force: true });
    tmp = null;
  }
});

/** Runs `node dist/bench/run.js --quick` in its own process group; resolves with its output. */
function runQuick(out: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/bench/run.js'), '--quick', `--out=${out}`], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    groupPid = child.pid!;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
    const timer = setTimeout(() => reject(new Error(`bench --quick did not finish within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bench harness (quick mode)', () => {
  it('ISSUE-6: npm run bench -- --quick prints a row for every scenario and writes every figure to the JSON file', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'));
    const out = path.join(tmp, 'quick.json');
    const r = await runQuick(out, 110_000);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    for (const id of rowIds()) {
      expect(rows.some((l) => l.startsWith(`| ${id} `)), `table row of ${id}`).toBe(true);
    }
    const json = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      quick: boolean;
      machine: { cpus: number; node: string };
      scenarios: { id: string; pending: string | null; rounds: Record<string, unknown[]> | null }[];
      figures: { scenario: string; baseline: number | null; clustercore: number | null }[];
    };
    expect(json.quick).toBe(true);
    // The bench wrote nothing into the folder but the file it was asked for and its chart.
    expect(fs.readdirSync(tmp).sort()).toEqual(['quick.json', 'quick.svg']);
    const svg = fs.readFileSync(path.join(tmp, 'quick.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('c requests/s');
    expect(json.machine.node).toBe(process.version);
    expect(json.machine.cpus).toBeGreaterThan(0);
    for (const s of SCENARIOS) {
      const entry = json.scenarios.find((x) => x.id === s.id);
      expect(entry, `JSON entry of ${s.id}`).toBeDefined();
      const rowsOfScenario = new Set(s.metrics.map((m) => m.row ?? s.id));
      const figures = json.figures.filter((f) => rowsOfScenario.has(f.scenario));
      expect(figures.length, `figures of ${s.id}`).toBeGreaterThanOrEqual(s.metrics.length);
      if (s.pending) continue;
      // A measured scenario has a number on both sides of every row.
      for (const f of figures) {
        expect(typeof f.baseline, `${s.id} baseline`).toBe('number');
        expect(typeof f.clustercore, `${s.id} clustercore`).toBe('number');
      }
    }
  }, 120_000);
});

/**
 * Runs one bench app as its own process group (`node --expose-gc app.js <mode> <json>`), waits for
 * its RESULT line, then kills the whole group, also on time-out or when the runner is stopped.
 */
import { spawn } from 'node:child_process';
import { RESULT_PREFIX, type AppParams, type Mode } from './app-kit';

const live = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    // ESRCH: the group already exited; nothing to clean.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
  live.delete(pid);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of [...live]) killGroup(pid);
    process.exit(130);
  });
}

/** Runs `script` in `mode` with `params`; resolves with its result fields. */
export function runApp(script: string, mode: Mode, params: AppParams, timeoutMs: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, mode, JSON.stringify(params)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const pid = child.pid!;
    live.add(pid);
    let out = '';
    let err = '';
    let settled = false;
    const finish = (error: Error | null, value?: Record<string, number>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(pid);
      if (error) reject(error);
      else resolve(value!);
    };
    const timer = setTimeout(() => finish(new Error(`${script} ${mode}: no result within ${timeoutMs} ms\n${err.slice(-2000)}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const at = out.indexOf(RESULT_PREFIX);
      if (at === -1) return;
      const end = out.indexOf('\n', at);
      if (end === -1) return;
      try {
        finish(null, JSON.parse(out.slice(at + RESULT_PREFIX.length, end)) as Record<string, number>);
      } catch (e) {
        finish(new Error(`${script} ${mode}: unreadable result line: ${(e as Error).message}`));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      if (err.length > 20_000) err = err.slice(-10_000);
    });
    child.on('exit', (code, signal) => {
      // The result line may still be in the pipe: give stdout its 'end' first.
      child.stdout!.once('end', () => finish(new Error(`${script} ${mode}: exited (code ${code}, signal ${signal}) without a result\n${err.slice(-2000)}`)));
    });
  });
}

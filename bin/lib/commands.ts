/** The commands of `clustercore`: each drives one group over its control socket (R-OBS-2). */
import fs from 'node:fs';
import type { GroupStatus } from '../../src/protocol/process-status';
import { ask, exchange } from './control-client';
import { CliError, EXIT } from './exit-codes';
import { liveGroups, pickGroup } from './groups';
import { colours, duration, renderStatus } from './status-table';

/** Where a command writes. */
export interface Io {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

/** `ls`: every group running for this user. */
export async function ls(io: Io, json: boolean): Promise<number> {
  const groups = await liveGroups();
  const rows = await Promise.all(groups.map(async (g) => {
    try {
      const s = (await ask(g.path, g.app, { cmd: 'status' })) as GroupStatus;
      const master = s.processes.find((p) => p.id === 'M');
      return { app: g.app, pid: s.pid, processes: s.processes.length, uptime: master?.counters?.uptime ?? null, socket: g.path };
    } catch {
      // It answered the probe but not the request (stopping, or busy): listed without figures.
      return { app: g.app, pid: null, processes: null, uptime: null, socket: g.path };
    }
  }));
  if (json) {
    io.out.write(`${JSON.stringify(rows)}\n`);
    return EXIT.OK;
  }
  if (rows.length === 0) {
    io.out.write('no clustercore group is running\n');
    return EXIT.OK;
  }
  const paint = colours(io.out);
  const table = [['app', 'master pid', 'processes', 'uptime', 'socket'], ...rows.map((r) => [r.app, String(r.pid ?? '-'), String(r.processes ?? '-'), duration(r.uptime), r.socket])];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  table.forEach((r, n) => {
    const line = r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    io.out.write(`${n === 0 ? paint.bold(line) : line}\n`);
  });
  return EXIT.OK;
}

/** `status [app] [--json]`: the process table. */
export async function status(io: Io, app: string | undefined, json: boolean): Promise<number> {
  const g = await pickGroup(app, 'status');
  const s = (await ask(g.path, g.app, { cmd: 'status' })) as GroupStatus;
  io.out.write(json ? `${JSON.stringify(s)}\n` : renderStatus(s, colours(io.out)));
  return EXIT.OK;
}

/** `reload [app]`: every worker replaced, one by one; prints each. */
export async function reload(io: Io, app: string | undefined): Promise<number> {
  const g = await pickGroup(app, 'reload');
  const paint = colours(io.out);
  const result = (await ask(g.path, g.app, { cmd: 'reload' }, (e) => {
    io.out.write(`${e.id} replaced: pid ${e.oldPid ?? '-'} → ${e.newPid ?? '-'}\n`);
  })) as { replaced?: number };
  io.out.write(`${paint.green('reloaded')} ${g.app}: ${result.replaced ?? 0} worker(s) replaced\n`);
  return EXIT.OK;
}

/** `stop [app] [--timeout ms]`: graceful stop; returns once the master exited and its socket is gone. */
export async function stop(io: Io, app: string | undefined, timeout: number | undefined): Promise<number> {
  const g = await pickGroup(app, 'stop');
  const ex = await exchange(g.path, g.app, timeout === undefined ? { cmd: 'stop' } : { cmd: 'stop', timeout });
  const answer = (await ex.result) as { pid?: number };
  io.out.write(`stopping ${g.app} (master pid ${answer.pid ?? '?'})…\n`);
  // The master closes the connection when it exits; it had removed its socket just before.
  await ex.closed;
  if (fs.existsSync(g.path)) throw new CliError(EXIT.FAILED, `${g.app} closed the connection but its socket ${g.path} is still there`);
  io.out.write(`stopped ${g.app}\n`);
  return EXIT.OK;
}

/** `top [app] [--interval ms]`: the table, refreshed in place; `q` or Ctrl-C quits. */
export async function top(io: Io, app: string | undefined, interval: number): Promise<number> {
  const g = await pickGroup(app, 'top');
  const paint = colours(io.out);
  const tty = io.out.isTTY === true;
  const stdin = process.stdin;
  let quit!: (code: number) => void;
  const done = new Promise<number>((resolve) => { quit = resolve; });
  const onKey = (data: Buffer | string) => {
    const s = data.toString();
    if (s.includes('q') || s.includes('\u0003')) quit(EXIT.OK);
  };
  const onSigint = () => quit(EXIT.OK);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onKey);
  stdin.resume();
  process.on('SIGINT', onSigint);
  if (tty) io.out.write('\u001b[?25l');
  let timer: NodeJS.Timeout | undefined;
  const frame = async () => {
    try {
      const s = (await ask(g.path, g.app, { cmd: 'status' })) as GroupStatus;
      const text = `${renderStatus(s, paint)}${paint.dim('q or Ctrl-C quits')}\n`;
      // In place on a terminal (cursor home, clear); one table after the other elsewhere.
      io.out.write(tty ? `\u001b[H\u001b[2J${text}` : `${text}\n`);
      timer = setTimeout(() => void frame(), interval);
    } catch (err) {
      io.err.write(`${(err as Error).message}\n`);
      quit(err instanceof CliError ? err.code : EXIT.FAILED);
    }
  };
  void frame();
  const code = await done;
  clearTimeout(timer);
  process.off('SIGINT', onSigint);
  stdin.off('data', onKey);
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  if (tty) io.out.write('\u001b[?25h');
  return code;
}

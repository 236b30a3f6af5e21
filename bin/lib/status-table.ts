/**
 * The process table as text: id, pid, role, state, uptime, restarts, CPU, memory, requests/s, p99,
 * last exit reason. Colours only when asked for (a TTY without NO_COLOR, see colours()).
 */
import type { GroupStatus, ProcessStatus } from '../../src/protocol/process-status';

/** ANSI styling, or none. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
}

const esc = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string) => s;

/** Colours on a TTY unless NO_COLOR is set (https://no-color.org); FORCE_COLOR=1 forces them elsewhere. */
export function colours(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Paint {
  const on = !env.NO_COLOR && (stream.isTTY === true || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'));
  if (!on) return { bold: plain, dim: plain, green: plain, yellow: plain, red: plain };
  return { bold: esc('1'), dim: esc('2'), green: esc('32'), yellow: esc('33'), red: esc('31') };
}

/** 93 s → "1m33s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

/** Bytes → "48.2 MiB". */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** ms → "1.25ms" / "740µs". */
export function millis(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  return ms < 10 ? `${ms.toFixed(2)}ms` : `${Math.round(ms)}ms`;
}

/** "crash (SIGKILL)", "reload (code 0)" or "-". */
export function exitReason(p: ProcessStatus): string {
  const e = p.lastExit;
  if (!e) return '-';
  return `${e.reason} (${e.signal ?? `code ${e.code}`})`;
}

const HEAD = ['id', 'pid', 'role', 'state', 'uptime', 'restarts', 'CPU', 'memory', 'req/s', 'p99', 'last exit'];
/** Columns aligned left (the others are numbers, aligned right). */
const LEFT = new Set([0, 2, 3, 10]);

/** The cells of one process. */
function cells(p: ProcessStatus): string[] {
  const c = p.counters;
  return [
    p.id,
    p.pid === null ? '-' : String(p.pid),
    p.role,
    p.state,
    duration(c?.uptime),
    String(p.restarts),
    c ? `${c.cpu.toFixed(1)}%` : '-',
    bytes(c?.memory.rss),
    c ? c.requests.perSecond.toFixed(1) : '-',
    millis(c?.latency.p99),
    exitReason(p),
  ];
}

/** The table of `status`, with a title line. */
export function renderStatus(status: GroupStatus, paint: Paint): string {
  const rows = status.processes.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (s: string, i: number) => (LEFT.has(i) ? s.padEnd(widths[i]) : s.padStart(widths[i]));
  const stateColour = (state: string, text: string) =>
    state === 'ready' ? paint.green(text) : state === 'unreachable' ? paint.red(text) : paint.yellow(text);
  const lines = [
    `${paint.bold(status.app)}  master pid ${status.pid}  ${status.processes.length} processes  ${new Date(status.at).toISOString()}`,
    paint.bold(HEAD.map(pad).join('  ').trimEnd()),
    ...rows.map((r, n) => r.map((cell, i) => (i === 3 ? stateColour(status.processes[n].state, pad(cell, i)) : pad(cell, i))).join('  ').trimEnd()),
  ];
  for (const p of status.processes) if (p.error) lines.push(paint.red(`${p.id}: ${p.error}`));
  return `${lines.join('\n')}\n`;
}

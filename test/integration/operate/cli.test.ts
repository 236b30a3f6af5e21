/**
 * R-OBS-2: the `clustercore` command line against real groups — ls, status (table and --json),
 * choosing the group, top (in place on a terminal, q quits), stop (exit 0, socket removed), and
 * its exit codes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GroupStatus } from '../../../src/protocol/process-status';
import { isAlive, testRuntimeDir } from '../../helpers/cluster-process';
import { CLI, cli, socketOf, startGroup, uniqueApp, until } from '../../helpers/operate';

/** Runs `clustercore ...args` on a pseudo-terminal (util-linux `script`); `keys` are typed once `ready` shows. */
function onTerminal(args: string[], ready: RegExp, keys: string, env: Record<string, string> = {}): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', XDG_RUNTIME_DIR: testRuntimeDir(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let screen = '';
    let typed = false;
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      reject(new Error(`no exit within 20 s; screen:\n${screen}`));
    }, 20_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      screen += s;
      if (!typed && ready.test(screen)) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

const CLEAR = '\u001b[H\u001b[2J';
const COLOUR = /\u001b\[3\dm/;

describe('R-OBS-2: the clustercore command line', () => {
  it('R-OBS-2: status lists every process in a table, --json parses, ls lists the group; colours only on a TTY', async () => {
    const app = uniqueApp('cli');
    const { ready } = await startGroup(app);
    const table = await cli(['status', app]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${app}  master pid ${ready.status.pid}  4 processes  `));
    expect(lines[1].split(/\s{2,}/)).toEqual(['id', 'pid', 'role', 'state', 'uptime', 'restarts', 'CPU', 'memory', 'req/s', 'p99', 'last exit']);
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 4))).toEqual(
      ready.status.processes.map((p) => [p.id, String(p.pid), p.role, 'ready']),
    );
    expect(table.stdout).not.toMatch(COLOUR);

    const json = await cli(['status', app, '--json']);
    const parsed = JSON.parse(json.stdout) as GroupStatus;
    expect(parsed.processes.map((p) => [p.id, p.pid])).toEqual(ready.status.processes.map((p) => [p.id, p.pid]));

    const ls = await cli(['ls', '--json']);
    expect(JSON.parse(ls.stdout)).toEqual([{ app, pid: ready.status.pid, processes: 4, uptime: expect.any(Number), socket: socketOf(app) }]);
    // Without an app: the only group running.
    expect((await cli(['status'])).stdout.split('\n')[0]).toContain(app);

    const coloured = await cli(['status', app], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(COLOUR);
    const noColour = await cli(['status', app], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColour.stdout).not.toMatch(COLOUR);
  });

  it('R-OBS-2: exit codes — several groups and none named (2, listing them), no such group (3), usage (2)', async () => {
    const [a, b] = [uniqueApp('one'), uniqueApp('two')];
    await Promise.all([startGroup(a), startGroup(b)]);
    const several = await cli(['status']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain(`several groups are running: ${[a, b].sort().join(', ')}; name one: clustercore status <app>`);
    const missing = await cli(['stop', 'no-such-app']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("no group named 'no-such-app' is running");
    expect((await cli(['explode'])).code).toBe(2);
    expect((await cli(['status', a, '--timeout', '5'])).code).toBe(2);
    expect((await cli(['stop', a, '--timeout', 'soon'])).code).toBe(2);
    const ls = await cli(['ls']);
    expect(ls.stdout.split('\n').slice(1, 3).map((l) => l.split(/\s+/)[0])).toEqual([a, b].sort());
  });

  it('R-OBS-2: top refreshes in place on a terminal, with colours unless NO_COLOR, and q or Ctrl-C quits; without a terminal it prints table after table', async () => {
    const app = uniqueApp('top');
    await startGroup(app);
    const tty = await onTerminal(['top', app, '--interval', '200'], /(q or Ctrl-C quits[\s\S]*){2}/, 'q');
    expect(tty.code).toBe(0);
    expect(tty.screen.split(CLEAR).length - 1).toBeGreaterThanOrEqual(2);
    expect(tty.screen).toMatch(COLOUR);
    // Ctrl-C (raw mode: the byte 0x03) quits too.
    const plain = await onTerminal(['top', app, '--interval', '200'], /q or Ctrl-C quits/, '\u0003', { NO_COLOR: '1' });
    expect(plain.code).toBe(0);
    expect(plain.screen).toContain(CLEAR);
    expect(plain.screen).not.toMatch(COLOUR);

    // Not a terminal: nothing is cleared; q on stdin quits.
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'top', app, '--interval', '200'], { env: { PATH: process.env.PATH ?? '', XDG_RUNTIME_DIR: testRuntimeDir() } });
      let out = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(out)); }, 20_000);
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        if ((out.match(/q or Ctrl-C quits/g) ?? []).length === 2) child.stdin.write('q');
      });
      child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout: out }); });
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(CLEAR);
    expect((run.stdout.match(/^id\s+pid\s+role/gm) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('R-OBS-2: stop stops the group gracefully, exits 0 and removes the socket', async () => {
    const app = uniqueApp('stop');
    const { c, ready } = await startGroup(app);
    const run = await cli(['stop', app, '--timeout', '4000']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`stopping ${app} (master pid ${ready.status.pid})…\nstopped ${app}\n`);
    expect(run.code).toBe(0);
    expect(fs.existsSync(socketOf(app))).toBe(false);
    expect(await c.exited()).toEqual({ code: 0, signal: null });
    const pids = ready.status.processes.map((p) => p.pid!);
    await until(() => pids.every((pid) => !isAlive(pid)), 'every process of the group gone', 5000);
    expect((await cli(['status', app])).code).toBe(3);
  });
});

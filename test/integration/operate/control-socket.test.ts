/**
 * R-OBS-2: the control socket — only its user can open it (folder 0700, socket 0600, another uid
 * is refused), a malformed or oversized request gets an error answer and changes nothing, a socket
 * left by a killed master is replaced, a live one of another group is never taken over, and the
 * socket is removed when the master exits.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupStatus } from '../../../src/protocol/process-status';
import { MAX_REQUEST_BYTES } from '../../../src/protocol/control-protocol';
import { ROOT, testRuntimeDir } from '../../helpers/cluster-process';
import { cli, controlDir, rawExchange, socketOf, startGroup, uniqueApp, until } from '../../helpers/operate';

const NOBODY = 65534;
const pidsOf = (s: GroupStatus) => s.processes.map((p) => `${p.id}=${p.pid}`);

/** Connects to `socket` as uid/gid 65534 (nobody) and returns the error code, or 'connected'. */
function connectAsNobody(socket: string): string {
  const code = `require('net').connect(process.argv[1]).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
  const run = spawnSync(process.execPath, ['-e', code, socket], { uid: NOBODY, gid: NOBODY, cwd: '/', encoding: 'utf8', timeout: 10_000 });
  return run.stdout.trim() || `no output (status ${run.status}): ${run.stderr}`;
}

const tempDirs: string[] = [];
afterEach(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('R-OBS-2: the control socket', () => {
  it('R-OBS-2: folder 0700 and socket 0600 of this user; another uid is refused (raw connect and the command line)', async () => {
    const app = uniqueApp('perm');
    const { ready } = await startGroup(app);
    const dir = controlDir();
    const sock = socketOf(app);
    const dirStat = fs.statSync(dir);
    const sockStat = fs.lstatSync(sock);
    expect(dirStat.mode & 0o777).toBe(0o700);
    expect(sockStat.isSocket()).toBe(true);
    expect(sockStat.mode & 0o777).toBe(0o600);
    expect([dirStat.uid, sockStat.uid]).toEqual([process.getuid!(), process.getuid!()]);

    // Open the folders above ours, so that only the run directory and the socket stand in the way.
    fs.chmodSync(testRuntimeDir(), 0o755);
    expect(connectAsNobody(sock)).toBe('EACCES');
    // The socket's own mode refuses too, even with the run directory opened up.
    fs.chmodSync(dir, 0o755);
    try {
      expect(connectAsNobody(sock)).toBe('EACCES');
    } finally {
      fs.chmodSync(dir, 0o700);
    }

    // The command line run by nobody, from a copy holding only bin/ and the protocol it speaks.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-cli-'));
    tempDirs.push(copy);
    fs.cpSync(path.join(ROOT, 'dist/bin'), path.join(copy, 'bin'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist/src/protocol'), path.join(copy, 'src/protocol'), { recursive: true });
    fs.chmodSync(copy, 0o755);
    const run = spawnSync(process.execPath, [path.join(copy, 'bin/clustercore.js'), 'status', app], {
      uid: NOBODY, gid: NOBODY, cwd: '/', encoding: 'utf8', timeout: 10_000, env: { XDG_RUNTIME_DIR: testRuntimeDir(), PATH: process.env.PATH },
    });
    expect(run.stderr).toContain('permission denied');
    expect(run.status).toBe(4);
    // And root's own command line still drives it.
    const mine = await cli(['status', app, '--json']);
    expect(mine.code).toBe(0);
    expect(pidsOf(JSON.parse(mine.stdout) as GroupStatus)).toEqual(pidsOf(ready.status));
  });

  it('R-OBS-2: malformed and oversized requests get an error answer and change nothing; stats <id> answers one row', async () => {
    const app = uniqueApp('proto');
    const { ready } = await startGroup(app);
    const sock = socketOf(app);
    const bad = await rawExchange(sock, 'not json\n{"cmd":"explode"}\n{"cmd":"stats"}\n[1,2]\n{"cmd":"stop","timeout":"soon"}\n{"cmd":"status","seq":42}\n', 6);
    const answers = bad.lines as { ok: boolean; seq?: number; error?: { name: string; message: string }; result?: GroupStatus }[];
    expect(answers).toHaveLength(6);
    expect(answers.slice(0, 5).map((a) => [a.ok, a.error?.name])).toEqual(Array(5).fill([false, 'ControlProtocolError']));
    expect(answers[1].error!.message).toContain('unknown command "explode"');
    expect(answers[2].error!.message).toContain("'stats' needs 'id'");
    expect(answers[5]).toMatchObject({ ok: true, seq: 42 });
    expect(pidsOf(answers[5].result!)).toEqual(pidsOf(ready.status));

    const huge = await rawExchange(sock, 'x'.repeat(MAX_REQUEST_BYTES * 3), 1);
    expect(huge.lines).toEqual([{ ok: false, error: { name: 'ControlProtocolError', message: 'request line is too long; closing the connection' } }]);

    const one = await rawExchange(sock, '{"cmd":"stats","id":"W:2","seq":"s"}\n{"cmd":"stats","id":"W:9"}\n', 2);
    expect(one.lines[0]).toMatchObject({ ok: true, seq: 's', result: { id: 'W:2', role: 'worker', state: 'ready', pid: ready.status.processes[2].pid } });
    expect(one.lines[1]).toMatchObject({ ok: false, error: { name: 'TargetUnavailableError' } });

    // Nothing changed: the same processes, still serving.
    const after = await cli(['status', app, '--json']);
    expect(after.code).toBe(0);
    expect(pidsOf(JSON.parse(after.stdout) as GroupStatus)).toEqual(pidsOf(ready.status));
  });

  it('R-OBS-2: a socket left by a killed master is replaced at the next start; a live one of another group is not taken over', async () => {
    const app = uniqueApp('stale');
    const first = await startGroup(app);
    const sock = socketOf(app);
    first.c.kill();
    await first.c.exited();
    expect(fs.lstatSync(sock).isSocket()).toBe(true);
    expect((await cli(['status', app])).code).toBe(3);

    const second = await startGroup(app);
    let run = await cli(['status', app, '--json']);
    await until(async () => (run = await cli(['status', app, '--json'])).code === 0, 'the new socket answering');
    expect((JSON.parse(run.stdout) as GroupStatus).pid).toBe(second.c.pid);
    expect(second.c.output()).not.toContain('no control socket');

    // A third group with the same name runs, but without a socket: the second keeps its own.
    const third = await startGroup(app);
    await third.c.waitFor('[M] no control socket for this group');
    expect(third.c.output()).toContain(`control socket ${sock} is in use by another running group of the same name`);
    const still = await cli(['status', app, '--json']);
    expect((JSON.parse(still.stdout) as GroupStatus).pid).toBe(second.c.pid);

    // Removed when its master exits.
    second.c.signal('SIGTERM');
    expect((await second.c.exited()).code).toBe(0);
    expect(fs.existsSync(sock)).toBe(false);
  });
});

/**
 * Finding groups: every `<app>.sock` in the per-user run directory whose master answers. Without
 * an app name a command drives the only group running, or says which ones run (R-OBS-2).
 */
import fs from 'node:fs';
import net from 'node:net';
import { SOCKET_SUFFIX, runDir, safeAppName, socketPath } from '../../src/protocol/control-path';
import { CliError, EXIT } from './exit-codes';

/** A group the command line can drive. */
export interface GroupRef {
  /** App name (socket name without `.sock`). */
  app: string;
  /** Socket path. */
  path: string;
}

/** Resolves when `path` accepts a connection (true) or refuses it (false). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(path);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(true), 1000);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Every group whose master answers, by name. */
export async function liveGroups(dir: string = runDir()): Promise<GroupRef[]> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(EXIT.REFUSED, `permission denied: cannot read ${dir} (it belongs to another user)`);
    throw err;
  }
  const refs = names.filter((n) => n.endsWith(SOCKET_SUFFIX)).sort().map((n) => ({ app: n.slice(0, -SOCKET_SUFFIX.length), path: `${dir}/${n}` }));
  const alive = await Promise.all(refs.map((r) => answers(r.path)));
  return refs.filter((_, i) => alive[i]);
}

/** The group a command is about: the named one, else the only one running. */
export async function pickGroup(app: string | undefined, command: string, dir: string = runDir()): Promise<GroupRef> {
  if (app !== undefined) return { app: safeAppName(app), path: socketPath(app, dir) };
  const live = await liveGroups(dir);
  if (live.length === 1) return live[0];
  if (live.length === 0) throw new CliError(EXIT.NO_GROUP, `no clustercore group is running for this user (looked in ${dir})`);
  throw new CliError(EXIT.USAGE, `several groups are running: ${live.map((g) => g.app).join(', ')}; name one: clustercore ${command} <app>`);
}

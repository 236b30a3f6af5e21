/**
 * The control socket's place on disk (R-OBS-2): the per-user run directory is made (or checked) to
 * be a real directory of ours with mode 0700, so no other user can even reach the socket in it;
 * a socket left by a master that was killed (nothing answers on it) is removed; a socket on which
 * another master answers is never taken over.
 */
import fs from 'node:fs';
import net from 'node:net';
import { ClusterCoreError } from '../../protocol/errors';

/** Time to find out whether a socket left on disk still has a master behind it, ms. */
const PROBE_TIMEOUT_MS = 1000;

/** Another live master of the same name already listens on the socket. */
export class ControlSocketInUseError extends ClusterCoreError {
  constructor(readonly path: string) {
    super(`control socket ${path} is in use by another running group of the same name; give this app another 'title' option`);
    this.name = 'ControlSocketInUseError';
  }
}

/** Makes `dir` (mode 0700) or checks that the existing one is ours and closed to others. */
export function prepareRunDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) throw new ClusterCoreError(`control socket folder ${dir} is not a directory (a symbolic link or a file is there); remove it`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (st.uid !== uid) throw new ClusterCoreError(`control socket folder ${dir} belongs to uid ${st.uid}, not to this user (${uid}); remove it or set XDG_RUNTIME_DIR`);
  // mkdir's mode is filtered by the umask, and an older folder may have been opened up: fix it.
  if ((st.mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
}

/**
 * Clears the way for a socket at `path`: nothing there → ok; a dead socket → removed; a live one →
 * ControlSocketInUseError; anything that is not a socket → an error (never deleted).
 */
export async function clearStaleSocket(path: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!st.isSocket()) throw new ClusterCoreError(`${path} exists and is not a socket; remove it so the control socket can be made`);
  if (await answers(path)) throw new ControlSocketInUseError(path);
  try {
    fs.unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** True when something accepts a connection on the socket (a killed master's socket refuses). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(path);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(alive);
    };
    // A master too busy to accept within the probe time is still alive: its socket is not stale.
    const timer = setTimeout(() => done(true), PROBE_TIMEOUT_MS);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Device and inode of a file, to remove it at exit only if it is still the one we made. */
export function identityOf(path: string): string | null {
  try {
    const st = fs.statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

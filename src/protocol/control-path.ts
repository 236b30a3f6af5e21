/**
 * Where a group's control socket lives (R-OBS-2): one per-user run directory —
 * `$XDG_RUNTIME_DIR/clustercore/`, else `<os temp dir>/clustercore-<uid>/` — holding one socket per
 * running group, `<app>.sock`, named after the app. Shared by the master and the command line.
 */
import os from 'node:os';
import path from 'node:path';

/** File name suffix of a control socket. */
export const SOCKET_SUFFIX = '.sock';

/** Longest app name kept in a socket name (a Unix socket path must stay under ~107 bytes). */
const MAX_NAME = 48;

/** The per-user run directory for control sockets. */
export function runDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'clustercore');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `clustercore-${uid}`);
}

/** An app name made safe for a file name: letters, digits, `.`, `_`, `-`; others become `-`. */
export function safeAppName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[.-]+/, '').slice(0, MAX_NAME);
  return cleaned === '' ? 'app' : cleaned;
}

/** Name of a group: the `title` option, else the entry script's file name without its extension. */
export function appNameOf(title: string | null | undefined, entryScript: string | undefined): string {
  if (title) return safeAppName(title);
  const base = entryScript ? path.basename(entryScript).replace(/\.[cm]?[jt]s$/, '') : '';
  return safeAppName(base || 'node');
}

/** Path of the control socket of `app` in `dir`. */
export function socketPath(app: string, dir: string = runDir()): string {
  return path.join(dir, `${safeAppName(app)}${SOCKET_SUFFIX}`);
}

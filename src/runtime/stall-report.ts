/**
 * Where a child's watchdog leaves the frames of a stuck event loop for the master: a small file
 * named by the child's pid in the temp directory. The watchdog thread cannot use the child's IPC
 * channel (only the main thread's event loop can, and that loop is the one stuck), so it writes the
 * file with synchronous calls; the master reads and removes it when it gives up on the child.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Path of the stall report of process `pid`. */
export function stallReportPath(pid: number): string {
  return path.join(os.tmpdir(), `clustercore-stall-${pid}.json`);
}

/** Reads and removes the stall report of `pid`: its frames, or null when there is none. */
export function takeStallReport(pid: number | undefined): string[] | null {
  if (pid === undefined) return null;
  const file = stallReportPath(pid);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null; // no stall was recorded: the usual case
  }
  try { fs.unlinkSync(file); } catch { /* removed meanwhile */ }
  try {
    const frames = (JSON.parse(text) as { frames?: unknown }).frames;
    return Array.isArray(frames) ? frames.map(String) : null;
  } catch {
    return null;
  }
}

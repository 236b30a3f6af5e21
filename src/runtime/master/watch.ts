/**
 * Development reload (option `watch`): a change under any watched path triggers one reload once
 * changes have stopped for DEBOUNCE_MS, so a burst of writes (a build, a `git checkout`) reloads
 * once. The log names the first file of the burst.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';

/** Quiet time after the last change of a burst before the reload starts, ms. */
export const DEBOUNCE_MS = 300;

/** Watches `paths` (files or directories, recursively); calls `onBurst` once per burst of changes. */
export function watchPaths(paths: readonly string[], logger: Logger, onBurst: () => void): { close(): void } {
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | null = null;
  let first: string | null = null;
  let count = 0;
  const changed = (root: string, file: string | Buffer | null) => {
    count++;
    first ??= file ? path.join(root, String(file)) : root;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      logger.info(`watch: ${first} changed${count > 1 ? ` (and ${count - 1} more changes)` : ''}; reloading`);
      first = null;
      count = 0;
      onBurst();
    }, DEBOUNCE_MS);
  };
  for (const p of paths) {
    const root = path.resolve(p);
    try {
      const isDir = fs.statSync(root).isDirectory();
      const w = fs.watch(root, { recursive: isDir, persistent: false }, (_event, file) => changed(isDir ? root : path.dirname(root), isDir ? file : path.basename(root)));
      w.on('error', (err) => logger.warn(`watch: ${root}: ${err.message}`));
      watchers.push(w);
    } catch (err) {
      logger.warn(`watch: cannot watch ${root}: ${(err as Error).message}`);
    }
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

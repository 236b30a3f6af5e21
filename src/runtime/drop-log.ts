/**
 * Rate-limited log of dropped messages (R-IPC-2, hardening). A child can write thousands of bad
 * envelopes a second; one log line each made the log the master's bottleneck (300 000 junk entries
 * in one frame wrote 300 000 lines, 19 MB, and stalled it 650 ms). Per interval the first few
 * drops are shown with a bounded preview; the rest are only counted, and summed up in one line
 * when the interval ends. The exact count is always in `engine.stats`.
 */
import type { Logger } from './logger';

/** Drops shown in full per interval. */
export const DROPS_SHOWN_PER_INTERVAL = 5;
/** Length of an interval, ms. */
export const DROP_LOG_INTERVAL_MS = 1000;
/** Characters of a dropped message shown at most. */
const PREVIEW_CHARS = 200;

/** Logs the first few drops of each interval and a count of the others. */
export class DropLog {
  private shown = 0;
  private hidden = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly perInterval = DROPS_SHOWN_PER_INTERVAL,
    private readonly intervalMs = DROP_LOG_INTERVAL_MS,
  ) {}

  /** Records one dropped message; logs it only while this interval's quota lasts. Never throws. */
  note(peerId: string, reason: string, message: unknown): void {
    if (this.shown < this.perInterval) {
      this.shown++;
      this.logger.warn(`dropped a message from ${peerId} (${reason}): ${preview(message)}`);
    } else {
      this.hidden++;
    }
    if (this.timer === null) {
      this.timer = setTimeout(this.endInterval, this.intervalMs);
      // A pending summary must not keep a process alive that has nothing else to do.
      this.timer.unref();
    }
  }

  private readonly endInterval = (): void => {
    this.timer = null;
    if (this.hidden > 0) {
      this.logger.warn(`dropped ${this.hidden} more message(s) in the last ${this.intervalMs} ms (not shown; engine.stats counts them all)`);
    }
    this.shown = 0;
    this.hidden = 0;
  };
}

/**
 * A short text of any value, built by a bounded walk: at most PREVIEW_CHARS characters, however
 * large or deep the value (JSON.stringify would serialise all of it first, or overflow the stack).
 */
export function preview(value: unknown, max = PREVIEW_CHARS): string {
  const out: string[] = [];
  let budget = max;
  const put = (s: string): boolean => {
    if (budget <= 0) return false;
    out.push(s.length > budget ? s.slice(0, budget) : s);
    budget -= s.length;
    return budget > 0;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return put(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    if (typeof v !== 'object' || v === null) return put(String(v));
    if (depth > 6) return put('…');
    if (Array.isArray(v)) {
      if (!put('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !put(',')) || !walk(v[i], depth + 1)) return false;
      return put(']');
    }
    if (!put('{')) return false;
    let first = true;
    for (const key of Object.keys(v)) {
      if ((!first && !put(',')) || !put(`${JSON.stringify(key.length > max ? key.slice(0, max) : key)}:`)) return false;
      first = false;
      if (!walk((v as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return put('}');
  };
  try {
    walk(value, 0);
  } catch {
    // A getter of a hostile object (not possible for what IPC parsed, but preview takes anything).
    put('<unprintable>');
  }
  const text = out.join('');
  return budget < 0 || text.length >= max ? `${text.slice(0, max)}…` : text;
}

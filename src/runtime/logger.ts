/**
 * Logging: any object with info/warn/error works. The default writes one line per call,
 * `<ISO time> <level> [<process id>] <message>`. A logger with `child()` (pino, bunyan) gets one
 * child per process, bound to `{ processId }`, and is called in their convention: one message
 * string, or `({ err }, message)` when an Error is logged (pino drops arguments it has no
 * placeholder for, so `error('x failed:', err)` as it is would lose the error).
 */
import { format } from 'node:util';

/** What clustercore logs through. */
export interface Logger {
  /** Normal events. */
  info(...args: unknown[]): void;
  /** Something odd that clustercore survived. */
  warn(...args: unknown[]): void;
  /** Something failed. */
  error(...args: unknown[]): void;
}

/** A logger that can make children with bound fields (pino's `child(bindings)`). */
export interface ChildLogger extends Logger {
  /** A logger that adds `bindings` to every line. */
  child(bindings: { processId: string }): Logger;
}

/**
 * Default logger: `2026-01-31T12:00:00.000Z info [W:1] message` on stdout (info) or stderr (warn,
 * error); the id follows the process id as it is learned.
 */
export function createDefaultLogger(getProcessId: () => string): Logger {
  const prefix = (level: string) => `${new Date().toISOString()} ${level} [${getProcessId()}]`;
  return {
    info: (...args) => console.log(prefix('info'), ...args),
    warn: (...args) => console.warn(prefix('warn'), ...args),
    error: (...args) => console.error(prefix('error'), ...args),
  };
}

/** The user's child-capable logger, through one child per process id (made again if the id changes). */
export function perProcessLogger(base: ChildLogger, getProcessId: () => string): Logger {
  let boundTo: string | null = null;
  let child: Logger = base;
  const current = (): Logger => {
    const id = getProcessId();
    if (id !== boundTo) {
      boundTo = id;
      child = base.child({ processId: id });
    }
    return child;
  };
  const call = (level: keyof Logger) => (...args: unknown[]): void => {
    const logger = current();
    const at = args.findIndex((a) => a instanceof Error);
    if (at < 0) return logger[level](format(...args));
    const err = args[at] as Error;
    const rest = args.filter((_, i) => i !== at);
    logger[level]({ err }, rest.length > 0 ? format(...rest) : err.message);
  };
  return { info: call('info'), warn: call('warn'), error: call('error') };
}

/** True for an object usable as a Logger. */
export function isLogger(value: unknown): value is Logger {
  const v = value as Partial<Logger> | null;
  return typeof v === 'object' && v !== null && typeof v.info === 'function' && typeof v.warn === 'function' && typeof v.error === 'function';
}

/** True for a logger with `child()`. */
export function hasChild(logger: Logger): logger is ChildLogger {
  return typeof (logger as Partial<ChildLogger>).child === 'function';
}

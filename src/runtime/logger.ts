/** Logging: any object with info/warn/error works; the default prefixes each line with the process id. */

/** What clustercore logs through. */
export interface Logger {
  /** Normal events. */
  info(...args: unknown[]): void;
  /** Something odd that clustercore survived. */
  warn(...args: unknown[]): void;
  /** Something failed. */
  error(...args: unknown[]): void;
}

/** Default logger: `[W:1] message` on stdout/stderr; the prefix follows the process id as it is learned. */
export function createDefaultLogger(getProcessId: () => string): Logger {
  const prefix = () => `[${getProcessId()}]`;
  return {
    info: (...args) => console.log(prefix(), ...args),
    warn: (...args) => console.warn(prefix(), ...args),
    error: (...args) => console.error(prefix(), ...args),
  };
}

/** True for an object usable as a Logger. */
export function isLogger(value: unknown): value is Logger {
  const v = value as Partial<Logger> | null;
  return typeof v === 'object' && v !== null && typeof v.info === 'function' && typeof v.warn === 'function' && typeof v.error === 'function';
}

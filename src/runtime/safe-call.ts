/**
 * Runs user code (hooks, callbacks) so that neither a throw nor a rejected promise can crash the
 * process: errors are logged with the hook's name.
 */
import type { Logger } from './logger';

/**
 * Calls `fn`, logging a synchronous throw or an async rejection under `what`, then passing it to
 * `onError` if given. Returns fn's result.
 */
export function safeCall<R>(logger: Logger, what: string, fn: () => R, onError?: (err: unknown) => void): R | undefined {
  try {
    const r = fn();
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      (r as unknown as Promise<unknown>).then(undefined, (err: unknown) => {
        logger.error(`${what} failed:`, err);
        onError?.(err);
      });
    }
    return r;
  } catch (err) {
    logger.error(`${what} threw:`, err);
    onError?.(err);
    return undefined;
  }
}

/** Awaits `fn()` for at most `ms`; logs and resolves on throw or time-out. */
export async function callWithin(logger: Logger, what: string, ms: number, fn: () => unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(fn),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => { logger.warn(`${what} did not finish within ${ms} ms; going on`); resolve(); }, ms);
      }),
    ]);
  } catch (err) {
    logger.error(`${what} failed:`, err);
  } finally {
    clearTimeout(timer);
  }
}

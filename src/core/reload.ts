/**
 * `core.reload(options?)` from any process (R-SUP-6): the master runs the rollout; a child asks
 * the master with an internal request that settles when the rollout ended (a worker that is itself
 * replaced exits before the answer comes, so its promise never settles: it is gone).
 */
import { ClusterCoreError, InvalidArgumentError, fromWireError, type WireError } from '../protocol/errors';
import { isPlainObject } from '../protocol/json-safe';
import { InternalActions } from '../protocol/macros';
import { MASTER_ID } from '../protocol/process-id';
import type { Engine } from '../runtime/engine';
import { asMaster } from './engine-factory';

/** Options of `core.reload()`. */
export interface ReloadCallOptions {
  /** Also replace the alone process, stop-then-start (its jobs are singletons). Default false. */
  alone?: boolean;
}

/**
 * How long a child waits for the master to finish a reload, ms: a rollout is bounded by the
 * children's start-up and retirement deadlines, not by a request time-out.
 */
export const RELOAD_REQUEST_TIMEOUT = 3_600_000;

/** Checks the options of reload(); returns the error or the normalised options. */
export function checkReloadOptions(method: string, options: unknown): ReloadCallOptions | Error {
  if (options === undefined) return {};
  if (!isPlainObject(options)) return new InvalidArgumentError(method, 'options', options, "a plain object like { alone: true }");
  for (const key of Object.keys(options)) {
    if (key !== 'alone') return new InvalidArgumentError(method, `options.${key}`, (options as Record<string, unknown>)[key], "absent (the only option is 'alone')");
  }
  const alone = (options as { alone?: unknown }).alone;
  if (alone !== undefined && typeof alone !== 'boolean') return new InvalidArgumentError(method, 'options.alone', alone, 'a boolean');
  return { alone: alone === true };
}

/** Runs a reload from this process. */
export function requestReload(engine: Engine, options: ReloadCallOptions): Promise<void> {
  const master = asMaster(engine);
  if (master) return master.reload({ alone: options.alone === true });
  return new Promise<void>((resolve, reject) => {
    engine.trace(MASTER_ID, { action: InternalActions.RELOAD, payload: { alone: options.alone === true } }, RELOAD_REQUEST_TIMEOUT, {
      onReply: (data) => {
        const error = (data as { error?: WireError }).error;
        if (error) reject(fromWireError(error));
        else resolve();
      },
      onTimeout: () => reject(new ClusterCoreError(`reload: the master did not finish the reload within ${RELOAD_REQUEST_TIMEOUT} ms`)),
      onFail: reject,
    });
  });
}

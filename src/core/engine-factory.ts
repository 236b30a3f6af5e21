/** Makes the engine of the current process's role; the only place that picks Master vs Child. */
import type { Engine } from '../runtime/engine';
import { MasterEngine } from '../runtime/master/master-engine';
import { ChildEngine } from '../runtime/child/child-engine';
import { currentRole } from '../runtime/process-role';
import { loggerFor, type ResolvedOptions } from './options';

/** Engine for this process, configured from resolved options. */
export function createEngine(options: ResolvedOptions): Engine {
  const role = currentRole();
  let engine: Engine | undefined;
  const logger = loggerFor(options, () => engine?.processId ?? '?');
  const engineOptions = {
    traceTimeout: options.traceTimeout,
    shutdownTimeout: options.shutdownTimeout,
    startupTimeout: options.startupTimeout,
    highWaterMark: options.highWaterMark,
    logger,
  };
  engine = role === 'master' ? new MasterEngine(engineOptions) : new ChildEngine(role, engineOptions);
  return engine;
}

/** The engine as a MasterEngine, or null in a child. */
export function asMaster(engine: Engine): MasterEngine | null {
  return engine instanceof MasterEngine ? engine : null;
}

/** The engine as a ChildEngine, or null in the master. */
export function asChild(engine: Engine): ChildEngine | null {
  return engine instanceof ChildEngine ? engine : null;
}

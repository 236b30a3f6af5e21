/** Makes the engine of the current process's role; the only place that picks Master vs Child. */
import type { Engine } from '../runtime/engine';
import type { MasterEngine } from '../runtime/master/master-engine';
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
    health: {
      reloadConcurrency: options.reloadConcurrency,
      heartbeatInterval: options.heartbeatInterval,
      heartbeatTimeout: options.heartbeatTimeout,
      maxMemory: options.maxMemory,
      watch: options.watch,
    },
  };
  engine = role === 'master' ? new (masterEngineClass())(engineOptions) : new ChildEngine(role, engineOptions);
  const master = asMaster(engine);
  if (master && options.cluster) {
    // Required here only: without the `cluster` option neither the gateway nor ioredis is loaded.
    const { ClusterGateway } = require('../runtime/cluster/cluster-gateway') as typeof import('../runtime/cluster/cluster-gateway');
    master.remote = new ClusterGateway(master, { ...options.cluster, startupTimeout: options.startupTimeout });
  }
  return engine;
}

/** This process's node name in cluster mode (the master's gateway, or the handshake in a child); null otherwise. */
export function nodeIdOf(engine: Engine): string | null {
  const master = asMaster(engine);
  if (master) return master.remote?.nodeId ?? null;
  const id = asChild(engine)?.initialInfo.nodeId;
  return typeof id === 'string' ? id : null;
}

/**
 * The MasterEngine class, required on first use: a child never loads the master's modules (its
 * engine, messenger hub, global-object store and sandbox), which shortens every child's start-up.
 */
function masterEngineClass(): typeof MasterEngine {
  return (require('../runtime/master/master-engine') as typeof import('../runtime/master/master-engine')).MasterEngine;
}

/** The engine as a MasterEngine, or null in a child (only a MasterEngine has the master role). */
export function asMaster(engine: Engine): MasterEngine | null {
  return engine.role === 'master' ? (engine as MasterEngine) : null;
}

/** The engine as a ChildEngine, or null in the master. */
export function asChild(engine: Engine): ChildEngine | null {
  return engine instanceof ChildEngine ? engine : null;
}

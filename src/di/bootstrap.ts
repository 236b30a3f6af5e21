/**
 * bootstrap(AppModule, options?): the decorator API's front door (R-DEC-1, R-DEC-2, R-SUP-4).
 * Every process runs the same entry and calls bootstrap(); each one
 *   1. validates the app (scanner: every misuse is reported before anything starts),
 *   2. makes its ClusterCore and one tsyringe child container with ClusterCore in it,
 *   3. constructs the role classes of its own role, in declared order, and binds their handlers
 *      (before its start, so no early message finds a process without handlers),
 *   4. starts: children do the handshake, run onProcessDidInit and report ready; the master runs
 *      onProcessDidInit, starts the alone process, forks the workers, waits until all are ready,
 *      then runs onApplicationReady and supervises.
 */
import { container, type InjectionToken } from 'tsyringe';
// tsyringe's constructor type (`new (...args: any[]) => T`), not exported from its index.
import type constructor from 'tsyringe/dist/typings/types/constructor';
import { ClusterCoreError } from '../protocol/errors';
import { ClusterCore } from '../core/cluster-core';
import { asMaster } from '../core/engine-factory';
import { resolveOptions, workerCount, type ClusterCoreOptions } from '../core/options';
import type { Logger } from '../runtime/logger';
import { Supervisor } from '../runtime/master/supervisor';
import { startGroup } from '../runtime/master/group-start';
import { Dispatcher, type RoleInstance } from './dispatcher';
import { checkReflect, scanApp } from './scanner';
import type { Class } from './class';
import { nameOf } from './dependency-check';

/**
 * Starts this process of the app described by `appModule` (a `@Module` class) and resolves with its
 * ClusterCore: in the master once the whole group is up, in a child once it is ready. Rejects with a
 * ClusterCoreError on misuse or a bad option; a group that does not come up within `startupTimeout`
 * rejects in the master and is shut down with exit code 1.
 */
export async function bootstrap(appModule: unknown, options: ClusterCoreOptions = {}): Promise<ClusterCore> {
  const method = 'bootstrap';
  checkReflect(method);
  const resolved = resolveOptions(method, options);
  const plan = scanApp(appModule, { method, isRegistered: (token) => container.isRegistered(token as InjectionToken, true) });

  let dispatcher: Dispatcher | undefined;
  const core = ClusterCore.create((c) => (dispatcher = new Dispatcher(c, c.role, c.engine.options.logger)), options, method);
  const host = dispatcher!;
  const logger = core.engine.options.logger;
  if (resolved.title !== null) process.title = `${resolved.title} ${core.processId}`;
  if (core.role === 'alone') keepAloneUp(logger);

  const scope = container.createChildContainer();
  scope.registerInstance(ClusterCore, core);
  // A @singleton() class is already registered in the root container: one instance per process there.
  for (const p of plan.providers) if (!container.isRegistered(p as InjectionToken, true)) scope.registerSingleton(p as unknown as constructor<object>);
  const rolePlan = plan.roles[core.role];
  for (const cls of rolePlan.classes) scope.registerSingleton(cls as unknown as constructor<object>);
  const instances: RoleInstance[] = rolePlan.classes.map((cls) => ({ cls, instance: construct(scope, cls, core.processId) }));
  host.bind(instances, rolePlan.handlers);

  const master = asMaster(core.engine);
  if (!master) {
    await core.start();
    return core;
  }
  master.childEnv = { ...resolved.env };
  const supervisor = new Supervisor(master, { refork: resolved.refork, limit: resolved.limit });
  supervisor.start();
  await core.start();
  await host.whenInitialized();
  try {
    await startGroup(master, {
      alone: plan.roles.alone.classes.length > 0,
      workers: workerCount(resolved),
      startupTimeout: resolved.startupTimeout,
      failOnWorkerExit: !resolved.refork,
    });
  } catch (err) {
    logger.error((err as Error).message);
    void master.shutdown(1);
    throw err;
  }
  await host.applicationReady();
  return core;
}

/** Resolves a role class in the process's container; a throwing constructor names the class. */
function construct(scope: typeof container, cls: Class, processId: string): object {
  try {
    return scope.resolve(cls as unknown as InjectionToken<object>);
  } catch (err) {
    throw new ClusterCoreError(`bootstrap: constructing ${nameOf(cls)} in ${processId} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/** R-SUP-5: the alone process logs an uncaught error and stays up. */
function keepAloneUp(logger: Logger): void {
  process.on('uncaughtException', (err) => logger.error('uncaught exception (the alone process stays up):', err));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection (the alone process stays up):', reason));
}

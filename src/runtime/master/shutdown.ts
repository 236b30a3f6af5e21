/**
 * Staged shutdown of the group (R-SUP-7; egg's terminate.ts idea): every child — live, starting
 * or retiring — is told to run onProcessWillExit and exit while the master runs its own; children
 * still alive after shutdownTimeout (+ 500 ms) are SIGKILLed; then the master exits.
 */
import { createEnvelope } from '../../protocol/envelope';
import { InternalActions } from '../../protocol/macros';
import { MASTER_ID } from '../../protocol/process-id';
import { callWithin } from '../safe-call';
import type { MasterEngine } from './master-engine';

/** Stops the group within `shutdownTimeout` ms (default: the option) and exits the master with `exitCode`; never resolves. */
export async function stagedShutdown(master: MasterEngine, exitCode: number, shutdownTimeout = master.options.shutdownTimeout): Promise<never> {
  const children = master.table.all();
  for (const c of children) c.channel.write(createEnvelope(MASTER_ID, c.id, { action: InternalActions.SHUTDOWN }));
  const { logger } = master.options;
  await Promise.all([
    callWithin(logger, 'onProcessWillExit', shutdownTimeout, () => master.hooks.onProcessWillExit?.()),
    waitAll(children.map((c) => c.exited), shutdownTimeout + 500),
  ]);
  for (const c of children) if (!c.gone) {
    logger.warn(`${c.id} (pid ${c.pid}) did not exit in time; killing it`);
    c.kill('SIGKILL');
  }
  await waitAll(children.map((c) => c.exited), 1000);
  if (master.remote) await master.remote.stop().catch((err: Error) => logger.warn(`leaving the cluster failed: ${err.message}`));
  process.exit(exitCode);
}

/** Resolves when every promise settled or after `ms`, whichever is first. */
function waitAll(promises: Promise<void>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.all(promises).then(() => undefined),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); }),
  ]).finally(() => clearTimeout(timer));
}

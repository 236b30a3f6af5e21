/**
 * The master's signals: SIGINT / SIGTERM stop the group gracefully (a second one, later than
 * 500 ms, exits at once with 130); SIGUSR2 runs a rolling reload (R-SUP-6, R-SUP-7).
 */
import type { MasterEngine } from './master-engine';

/** Installs the master's signal handlers. */
export function installMasterSignals(master: MasterEngine): void {
  const { logger } = master.options;
  let firstAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A signal sent to the whole process group can arrive twice at once; only a later one forces.
    if (master.isStopping && Date.now() - firstAt > 500) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(130);
    }
    if (master.isStopping) return;
    firstAt = Date.now();
    logger.info(`${signal} received: shutting the group down`);
    void master.shutdown(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGUSR2', () => {
    logger.info('SIGUSR2 received: reloading the workers');
    master.reload().catch((err: Error) => logger.error(`reload (SIGUSR2) failed: ${err.message}`));
  });
}

/** A child answers the master's PROCESS_STATS request with its snapshot (the status table, R-OBS-1). */
import { InternalActions } from '../../protocol/macros';
import type { Engine } from '../engine';
import type { ProcessSampler } from './process-sampler';

/** Registers the handler; the request is bookkeeping, so it is taken back out of `served`. */
export function answerStatsRequests(engine: Engine, sampler: ProcessSampler): void {
  engine.handleInternal(InternalActions.PROCESS_STATS, (env) => {
    engine.stats.served--;
    engine.replyInternal(env, { action: InternalActions.PROCESS_STATS_RESULT, payload: sampler.snapshot() });
  });
}

/**
 * The master's memory of exits, per process id (R-OBS-1): how many processes held an id before the
 * current one, and how the last of them ended. Fed by the master engine's 'exit' events only.
 */
import type { ExitInfo } from '../../protocol/process-status';
import type { ExitDetail } from '../hooks';
import type { MasterEngine } from './master-engine';

/** Restarts and last exit per process id. */
export class ExitLog {
  private readonly exits = new Map<string, { count: number; last: ExitInfo }>();

  constructor(private readonly master: MasterEngine) {
    master.events.on('exit', this.onExit);
  }

  /** Stops listening. */
  stop(): void {
    this.master.events.off('exit', this.onExit);
  }

  /** Processes with this id that exited so far (each one that came after counts as a restart). */
  restarts(id: string): number {
    return this.exits.get(id)?.count ?? 0;
  }

  /** How the last process with this id ended, if one did. */
  lastExit(id: string): ExitInfo | null {
    return this.exits.get(id)?.last ?? null;
  }

  private readonly onExit = (id: string, detail: ExitDetail): void => {
    // Supervision may name the reason (reload, unresponsive, memory); otherwise it is told apart here.
    const given = (detail as ExitDetail & { reason?: unknown }).reason;
    const reason = typeof given === 'string' ? given : this.master.isStopping ? 'shutdown' : 'crash';
    const last: ExitInfo = { code: detail.code, signal: detail.signal, reason, at: Date.now() };
    this.exits.set(id, { count: this.restarts(id) + 1, last });
  };
}

/**
 * The group's status table (R-OBS-1): the master asks every live child for its counters with one
 * internal request each (in parallel, bounded by STATS_TIMEOUT_MS), adds what only it knows (state,
 * restarts, last exit), and answers `core.status()` from any process. Gathering is bookkeeping: its
 * requests are kept out of the request counters on both ends, so watching a group does not change
 * what it shows.
 */
import { InternalActions } from '../../protocol/macros';
import { MASTER_ID } from '../../protocol/process-id';
import { InvalidArgumentError, TargetUnavailableError } from '../../protocol/errors';
import type { GroupStatus, ProcessSnapshot, ProcessState, ProcessStatus } from '../../protocol/process-status';
import type { Envelope } from '../../protocol/envelope';
import { remoteErrorReply } from '../remote-error-reply';
import { STATS_TIMEOUT_MS, type ProcessSampler } from '../stats/process-sampler';
import type { MasterEngine } from './master-engine';
import type { ChildEntry } from './process-table';
import { ExitLog } from './exit-log';

/** Builds the status table in the master. */
export class GroupStatusService {
  private readonly exits: ExitLog;

  constructor(
    private readonly master: MasterEngine,
    private readonly sampler: ProcessSampler,
    /** Name of the app (title option, else the entry script's name). */
    readonly app: string,
  ) {
    this.exits = new ExitLog(master);
    master.handleInternal(InternalActions.GROUP_STATUS, (env) => this.answerChild(env));
  }

  /** Stops listening to exits. */
  stop(): void {
    this.exits.stop();
  }

  /** Every live process, 'M' first, workers by offset, then 'A'. */
  async status(): Promise<GroupStatus> {
    const ids = this.master.table.allIds();
    const processes = await Promise.all(ids.map((id) => this.row(id)));
    return { app: this.app, pid: process.pid, at: Date.now(), processes: processes.filter((p): p is ProcessStatus => p !== null) };
  }

  /** One process's row; rejects with TargetUnavailableError for an id that is not live. */
  async stats(id: string): Promise<ProcessStatus> {
    if (typeof id !== 'string' || id === '') throw new InvalidArgumentError('stats', 'id', id, "a process id such as 'W:1'");
    const row = await this.row(id);
    if (!row) throw new TargetUnavailableError(id, `is not a live process of this group (live: ${this.master.table.allIds().join(', ')})`);
    return row;
  }

  private async row(id: string): Promise<ProcessStatus | null> {
    const stopping = this.master.isStopping;
    if (id === MASTER_ID) {
      const counters = this.sampler.snapshot();
      return { id, pid: process.pid, role: 'master', state: stopping ? 'stopping' : 'ready', restarts: 0, lastExit: null, counters };
    }
    const entry = this.master.table.get(id);
    if (!entry) return null;
    const base = { id, pid: entry.pid ?? null, role: entry.kind, restarts: this.exits.restarts(id), lastExit: this.exits.lastExit(id) } as const;
    const state: ProcessState = stopping ? 'stopping' : entry.ready ? 'ready' : 'starting';
    try {
      const counters = await this.ask(entry);
      return { ...base, state, counters };
    } catch (err) {
      return { ...base, state: stopping ? 'stopping' : 'unreachable', counters: null, error: (err as Error).message };
    }
  }

  /** One child's snapshot, by an uncounted internal request. */
  private ask(entry: ChildEntry): Promise<ProcessSnapshot> {
    return new Promise((resolve, reject) => {
      this.master.trace(entry.id, { action: InternalActions.PROCESS_STATS }, STATS_TIMEOUT_MS, {
        onReply: (data) => resolve(data.payload as ProcessSnapshot),
        onTimeout: () => reject(new Error(`${entry.id} did not report its counters within ${STATS_TIMEOUT_MS} ms`)),
        onFail: reject,
      }, false);
    });
  }

  /** core.status() in a child: the table goes back as the reply. */
  private answerChild(env: Envelope): void {
    // The request is bookkeeping, not traffic the table should show.
    this.master.stats.served--;
    this.status().then(
      (table) => this.master.replyInternal(env, { action: InternalActions.GROUP_STATUS_RESULT, payload: table }),
      (err: unknown) => this.master.replyInternal(env, remoteErrorReply(err)),
    );
  }
}

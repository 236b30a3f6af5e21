/** What the control socket (and the status page) may do to a group: a small interface the master builds. */
import type { GroupStatus, ProcessStatus } from '../../protocol/process-status';

/** Called once per worker a reload replaced. */
export type OnReplaced = (id: string, oldPid: number | null, newPid: number | null) => void;

/** The operations the outside may ask of a running group. */
export interface GroupController {
  /** The group's table. */
  status(): Promise<GroupStatus>;
  /** One process's row; rejects for an id that is not live. */
  stats(id: string): Promise<ProcessStatus>;
  /** Graceful reload of every worker; `onReplaced` for each one replaced; rejects when it cannot. */
  reload(onReplaced: OnReplaced): Promise<void>;
  /** Starts a graceful stop of the whole group (children still running after `timeoutMs` are killed). */
  stop(timeoutMs?: number): void;
}

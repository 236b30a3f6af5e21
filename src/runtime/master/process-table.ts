/** The master's table of live children: id → channel, kept in the order getAllProcessIds() needs. */
import { MASTER_ID, compareProcessIds } from '../../protocol/process-id';
import type { Channel } from '../../transport/channel';

/** One live child of the master. */
export interface ChildEntry {
  /** Process id ('W:<n>' or 'A'). */
  readonly id: string;
  /** Channel to it. */
  readonly channel: Channel;
  /** OS pid. */
  readonly pid: number | undefined;
  /** Kills it (used at shutdown when it does not exit in time). */
  kill(signal?: NodeJS.Signals): void;
  /** True once it finished onProcessDidInit and reported ready. */
  ready: boolean;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  /** 'worker' (cluster) or 'alone' (child_process). */
  readonly kind: 'worker' | 'alone';
}

/** Live children by id. */
export class ProcessTable {
  private readonly children = new Map<string, ChildEntry>();
  private sortedIds: string[] | null = null;

  /** Adds or replaces a child. */
  set(entry: ChildEntry): void {
    this.children.set(entry.id, entry);
    this.sortedIds = null;
  }

  /** Removes a child; true when it was there. */
  delete(id: string): boolean {
    this.sortedIds = null;
    return this.children.delete(id);
  }

  /** The child with this id, if live. */
  get(id: string): ChildEntry | undefined {
    return this.children.get(id);
  }

  /** Every live child. */
  values(): IterableIterator<ChildEntry> {
    return this.children.values();
  }

  /** Number of live children. */
  get size(): number {
    return this.children.size;
  }

  /** Every live id, 'M' first, workers by offset, then 'A' (R-PROC-6); cached until the table changes. */
  allIds(): string[] {
    if (!this.sortedIds) this.sortedIds = [MASTER_ID, ...[...this.children.keys()].sort(compareProcessIds)];
    return this.sortedIds.slice();
  }

  /** Live worker ids by offset. */
  workerIds(): string[] {
    return this.allIds().filter((id) => id.startsWith('W:'));
  }
}

/**
 * The master's table of children: id → the live process of that id, kept in the order
 * getAllProcessIds() needs; plus, during a reload, the other processes that carry an id for a
 * while (a replacement that is starting, an old process that is retiring). Messages to an id go to
 * its live process; a reply goes to the process that asked, found by the pid its trace id carries.
 */
import type { Envelope } from '../../protocol/envelope';
import { MASTER_ID, compareProcessIds } from '../../protocol/process-id';
import type { Channel } from '../../transport/channel';
import type { ExitReason } from '../hooks';

/** Where a child process stands: the live one of its id, a replacement starting, or an old one retiring. */
export type ChildState = 'live' | 'starting' | 'retiring';

/** One child process of the master. */
export interface ChildEntry {
  /** Process id ('W:<n>' or 'A'). */
  readonly id: string;
  /** Channel to it. */
  readonly channel: Channel;
  /** OS pid. */
  readonly pid: number | undefined;
  /** The 4 hex digits of the pid that trace ids made in that process carry (R-TRACE-2). */
  readonly pidHex: string;
  /** Kills it (used at shutdown when it does not exit in time, and by health checks). */
  kill(signal?: NodeJS.Signals): void;
  /** True once it finished onProcessDidInit and reported ready. */
  ready: boolean;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  /** 'worker' (cluster) or 'alone' (child_process). */
  readonly kind: 'worker' | 'alone';
  /** Where it stands. */
  state: ChildState;
  /** When it was started, ms since the epoch. */
  readonly startedAt: number;
  /** When it last answered a heartbeat (its start time until then), ms since the epoch. */
  lastBeat: number;
  /** Resident set size it reported with its last heartbeat, bytes (0 before the first). */
  rss: number;
  /** Set when the master ends it on purpose (why), before it exits. */
  exitReason?: ExitReason;
  /** The message of the error its onProcessDidInit threw, when it reported one. */
  startError?: string;
  /** For an unresponsive child: the frames where its event loop was stuck. */
  stack?: string[];
  /** True once it exited. */
  gone: boolean;
}

/** Children by id: the live one of each id, and the others (starting replacements, retiring processes). */
export class ProcessTable {
  private readonly children = new Map<string, ChildEntry>();
  private readonly others = new Map<string, ChildEntry[]>();
  private sortedIds: string[] | null = null;

  /** Makes `entry` the live process of its id (the entry it replaces is not kept: see addOther). */
  set(entry: ChildEntry): void {
    entry.state = 'live';
    this.removeOther(entry);
    this.children.set(entry.id, entry);
    this.sortedIds = null;
  }

  /** Removes the live process of an id; true when it was there. */
  delete(id: string): boolean {
    this.sortedIds = null;
    return this.children.delete(id);
  }

  /** The live process with this id. */
  get(id: string): ChildEntry | undefined {
    return this.children.get(id);
  }

  /** Every live process. */
  values(): IterableIterator<ChildEntry> {
    return this.children.values();
  }

  /** Number of live processes. */
  get size(): number {
    return this.children.size;
  }

  /** Keeps a process that is not the live one of its id (a replacement starting, an old one retiring). */
  addOther(entry: ChildEntry): void {
    const list = this.others.get(entry.id);
    if (list) list.push(entry);
    else this.others.set(entry.id, [entry]);
  }

  /** Forgets a non-live process (it exited, or became the live one). */
  removeOther(entry: ChildEntry): void {
    const list = this.others.get(entry.id);
    if (!list) return;
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.others.delete(entry.id);
  }

  /** Every process, live or not. */
  all(): ChildEntry[] {
    const out = [...this.children.values()];
    for (const list of this.others.values()) out.push(...list);
    return out;
  }

  /**
   * The process an envelope for `id` goes to: the live one, except for a reply or a transit result
   * while the id has other processes, which goes to the one whose pid its trace id carries.
   */
  target(id: string, env?: Envelope): ChildEntry | undefined {
    const live = this.children.get(id);
    if (this.others.size === 0 || env === undefined) return live;
    const list = this.others.get(id);
    if (!list) return live;
    const meta = env.meta;
    const traceId = meta.isTransitRes ? meta.transitTraceId : meta.isRes ? meta.traceId : null;
    if (traceId === null || traceId.length !== 24) return live;
    const pidHex = traceId.slice(12, 16);
    let found: ChildEntry | undefined;
    for (const e of list) {
      if (e.pidHex !== pidHex) continue;
      if (found) return live; // two processes of one id share the digits: no way to tell
      found = e;
    }
    if (found && live?.pidHex === pidHex) return live;
    return found ?? live;
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

/** The 4 hex digits trace ids made by process `pid` carry. */
export function pidHexOf(pid: number | undefined): string {
  return pid === undefined ? '----' : (pid & 0xffff).toString(16).padStart(4, '0');
}

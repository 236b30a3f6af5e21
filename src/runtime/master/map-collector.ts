/**
 * Collects the answers of a map() over a fixed list of workers: each slot settles once (answer or
 * error), and when the last one settles the outcome is reported once, in worker order.
 */
import type { MapFailure, MapResult } from '../../protocol/errors';

type Slot = { state: 'pending' } | { state: 'ok'; value: unknown } | { state: 'failed'; error: Error };

/** Called once when every worker answered, failed or timed out. */
export type MapDone = (results: MapResult[], failures: MapFailure[]) => void;

/** Per-worker slots of one map(); later settles of a slot are ignored. */
export class MapCollector {
  private readonly slots: Slot[];
  private readonly index = new Map<string, number>();
  private pending: number;
  private done: MapDone | null;

  constructor(
    /** The workers asked, in worker order. */
    readonly processIds: readonly string[],
    onDone: MapDone,
  ) {
    this.slots = processIds.map(() => ({ state: 'pending' }));
    processIds.forEach((id, i) => this.index.set(id, i));
    this.pending = processIds.length;
    this.done = onDone;
    if (this.pending === 0) this.finish();
  }

  /** True once the outcome was reported. */
  get settled(): boolean {
    return this.done === null;
  }

  /** `processId` answered with `value`; false when it was not asked or already settled. */
  resolve(processId: string, value: unknown): boolean {
    return this.settle(processId, { state: 'ok', value });
  }

  /** `processId` failed with `error`; false when it was not asked or already settled. */
  reject(processId: string, error: Error): boolean {
    return this.settle(processId, { state: 'failed', error });
  }

  private settle(processId: string, slot: Slot): boolean {
    const i = this.index.get(processId);
    if (i === undefined || this.slots[i].state !== 'pending') return false;
    this.slots[i] = slot;
    if (--this.pending === 0) this.finish();
    return true;
  }

  private finish(): void {
    const done = this.done;
    if (!done) return;
    this.done = null;
    const results: MapResult[] = [];
    const failures: MapFailure[] = [];
    this.slots.forEach((s, i) => {
      const processId = this.processIds[i];
      if (s.state === 'ok') results.push({ processId, value: s.value });
      else if (s.state === 'failed') failures.push({ processId, error: s.error });
    });
    done(results, failures);
  }
}

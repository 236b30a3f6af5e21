/**
 * The master's answers to children's broadcasts (MESSENGER_CAST): outcomes are collected per child
 * and sent once per turn as one MESSENGER_CAST_ACK, consecutive broadcasts that ended alike (same
 * workers reached) folded into one range. A loop of broadcasts from a worker thus costs the master
 * one small answer per turn instead of one reply envelope per broadcast.
 */
import { InternalActions } from '../../protocol/macros';
import { errorToWire, type CastAck } from '../messenger-wire';
import type { MasterEngine } from './master-engine';

/** Collects and sends broadcast outcomes, per child. */
export class CastAcks {
  private readonly open = new Map<string, CastAck[]>();
  private scheduled = false;
  private readonly flushBound = (): void => this.flush();

  constructor(private readonly master: MasterEngine) {}

  /** Broadcast `seq` of child `to` ended: reached `reached`, or failed with `error`. */
  add(to: string, seq: number, error: Error | null, reached?: readonly string[]): void {
    let list = this.open.get(to);
    if (list === undefined) {
      list = [];
      this.open.set(to, list);
    }
    const last = list[list.length - 1];
    if (error === null && last !== undefined && last.error === undefined && last.to + 1 === seq && sameIds(last.reached!, reached!)) {
      last.to = seq;
      last.n++;
    } else {
      list.push(error === null ? { to: seq, n: 1, reached: reached as string[] } : { to: seq, n: 1, error: errorToWire(error) });
    }
    // Outcomes arrive from write callbacks, a frame's worth at a time: one answer after them.
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushBound);
    }
  }

  private flush(): void {
    this.scheduled = false;
    for (const [to, acks] of this.open) this.master.send(to, { action: InternalActions.MESSENGER_CAST_ACK, payload: acks });
    this.open.clear();
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

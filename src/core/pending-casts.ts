/**
 * A child's broadcasts waiting for their outcome (R-MSG-1). A broadcast is one-way to the master
 * (MESSENGER_CAST, numbered 1, 2, 3 …) and the master answers the broadcasts of one turn with one
 * MESSENGER_CAST_ACK of number ranges: no trace id, registry entry or reply envelope per broadcast,
 * which is what a loop of broadcasts spends most of its time on (issue 12: e-bc, see the commit).
 *
 * Every broadcast of a process waits the same time, so deadlines come in sending order: the Map
 * (insertion-ordered) is the FIFO, and one timer serves its oldest entry.
 */
import { TraceTimeoutError } from '../protocol/errors';
import { InternalActions } from '../protocol/macros';
import { MASTER_ID } from '../protocol/process-id';
import { isPlainObject } from '../protocol/json-safe';
import type { Envelope } from '../protocol/envelope';
import type { Engine } from '../runtime/engine';
import { reviveError, type CastAck, type CastOrder, type MessengerScope, type MessengerWireError } from '../runtime/messenger-wire';

/** One broadcast waiting for its outcome. */
class Cast {
  constructor(
    readonly resolve: (reached: string[]) => void,
    readonly reject: (error: Error) => void,
    readonly action: string,
    readonly deadline: number,
  ) {}
}

/** The broadcasts of one child that the master has not answered yet. */
export class PendingCasts {
  private seq = 0;
  private readonly pending = new Map<number, Cast>();
  private timer: NodeJS.Timeout | null = null;
  private readonly onTimer = (): void => this.expire();
  /** One callback for every cast's write: a failed write to the master means no cast will be answered. */
  private readonly onWritten = (error: Error | null): void => {
    if (error) this.failAll(error);
  };

  constructor(
    private readonly engine: Engine,
    /** How long a broadcast waits for the master's answer, ms. */
    private readonly waitMs: number,
  ) {
    engine.handleInternal(InternalActions.MESSENGER_CAST_ACK, (env) => this.onAck(env));
  }

  /** Number of broadcasts waiting (tests check it drains to 0). */
  get size(): number {
    return this.pending.size;
  }

  /** Sends one broadcast; resolves with the worker ids it reached. Arguments are already checked. */
  send(action: string, payload: unknown, scope: MessengerScope): Promise<string[]> {
    const seq = ++this.seq;
    const order: CastOrder = payload === undefined ? { seq, action } : { seq, action, payload };
    if (scope === 'node') order.scope = scope;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(seq, new Cast(resolve, reject, action, performance.now() + this.waitMs));
      if (this.timer === null) this.timer = setTimeout(this.onTimer, this.waitMs);
      this.engine.send(MASTER_ID, { action: InternalActions.MESSENGER_CAST, payload: order }, this.onWritten);
    });
  }

  private onAck(env: Envelope): void {
    const acks = env.data.payload;
    if (!Array.isArray(acks)) return this.engine.dropMalformed(env, MASTER_ID, 'a broadcast acknowledgement without its list of ranges');
    for (const ack of acks as unknown[]) {
      if (!isPlainObject(ack) || !Number.isSafeInteger(ack.to) || !Number.isSafeInteger(ack.n) || (ack.n as number) < 1) {
        this.engine.dropMalformed(env, MASTER_ID, 'a broadcast acknowledgement with a malformed range');
        continue;
      }
      const { to, n, reached, error } = ack as unknown as CastAck;
      for (let seq = to - n + 1; seq <= to; seq++) {
        const cast = this.pending.get(seq);
        if (cast === undefined) continue; // already timed out
        this.pending.delete(seq);
        if (error !== undefined) cast.reject(reviveError(error as MessengerWireError));
        // Each caller gets its own array, as separate replies gave.
        else cast.resolve(Array.isArray(reached) ? reached.slice() : []);
      }
    }
    if (this.pending.size === 0 && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** The timer: fails every broadcast past its deadline, re-arms for the oldest one left. */
  private expire(): void {
    this.timer = null;
    const now = performance.now();
    for (const [seq, cast] of this.pending) {
      if (cast.deadline > now) {
        this.timer = setTimeout(this.onTimer, Math.max(1, Math.ceil(cast.deadline - now)));
        return;
      }
      this.pending.delete(seq);
      cast.reject(new TraceTimeoutError(MASTER_ID, `broadcast '${cast.action}'`, this.waitMs));
    }
  }

  private failAll(error: Error): void {
    const casts = [...this.pending.values()];
    this.pending.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const cast of casts) cast.reject(error);
  }
}

/**
 * The messenger (SPEC R-MSG, think-cluster's broadcast / consume / map, yunfly's random worker),
 * from any process. The master runs every operation over its ready workers (MessengerHub); a child
 * asks the master with one internal request and gets the outcome back. Workers also get the
 * runner that unwraps consume jobs and map requests for their handlers.
 */
import { InvalidArgumentError, TraceTimeoutError } from '../protocol/errors';
import { InternalActions } from '../protocol/macros';
import { MASTER_ID } from '../protocol/process-id';
import { checkAction, checkPayload, checkTimeout } from '../protocol/message-args';
import { isPlainObject } from '../protocol/json-safe';
import type { Engine } from '../runtime/engine';
import type { TraceHandlers } from '../runtime/trace-registry';
import type { MessageData } from '../protocol/envelope';
import type { MessengerHub } from '../runtime/master/messenger-hub';
import { installMessengerRunner } from '../runtime/child/messenger-runner';
import { reviveError, type DispatchOrder, type MessengerOp, type MessengerScope, type MessengerWireError } from '../runtime/messenger-wire';
import { asMaster, nodeIdOf } from './engine-factory';
import { PendingCasts } from './pending-casts';
import { actionNameOf } from './action';

/** Options of broadcast() and sendRandom(). */
export interface ScopeOptions {
  /** In cluster mode: 'cluster' (default) spans every node, 'node' only this one (R-NODE-3). */
  scope?: MessengerScope;
}

/** Options of consume() and map(). */
export interface MessengerOptions extends ScopeOptions {
  /** consume: time for the chosen worker to take the job; map: time for each worker to answer. ms, default traceTimeout. */
  timeout?: number;
}

/**
 * Extra time a child gives the master beyond the operation's own time-out, before it gives up on
 * the master's answer: the master answers right after the last worker did or timed out.
 */
export const DISPATCH_GRACE_MS = 2_000;

/** broadcast / consume / map / sendRandom of one process. */
export class Messenger {
  /** The master's hub (null in a child). */
  readonly hub: MessengerHub | null;
  /** A child's broadcasts waiting for the master's answer (null in the master). */
  readonly casts: PendingCasts | null;

  constructor(private readonly engine: Engine) {
    const master = asMaster(engine);
    // Through the engine: only the master loads the hub's module (start-up of children).
    this.hub = master ? new master.services.MessengerHub(master) : null;
    const remote = master?.remote;
    if (master && this.hub && remote) {
      // Required here only: a group without the `cluster` option never loads it.
      const { ClusterMessenger } = require('../runtime/cluster/cluster-messenger') as typeof import('../runtime/cluster/cluster-messenger');
      this.hub.cluster = new ClusterMessenger(master, this.hub, remote.nodeId, () => remote.peers());
    }
    this.casts = master ? null : new PendingCasts(engine, this.waitFor(engine.options.traceTimeout));
    if (engine.role === 'worker') installMessengerRunner(engine);
  }

  /** How long a child waits for the master's answer to an operation of time-out `timeout`. */
  private waitFor(timeout: number): number {
    // Across nodes the master waits up to its own grace for another node's master: wait for that too.
    return timeout + (nodeIdOf(this.engine) === null ? 1 : 2) * DISPATCH_GRACE_MS;
  }

  /** Every ready worker's handler runs once (the sender's too); resolves with the worker ids reached. */
  broadcast(action: unknown, payload?: unknown, options?: ScopeOptions): Promise<string[]> {
    return this.dispatch('broadcast', action, payload, options) as Promise<string[]>;
  }

  /** Exactly one worker (round robin) runs it; resolves with its id once it took the job. */
  consume(action: unknown, payload?: unknown, options?: MessengerOptions): Promise<string> {
    return this.dispatch('consume', action, payload, options) as Promise<string>;
  }

  /** Every ready worker answers; resolves with the answers in worker order, or rejects with MapError. */
  map(action: unknown, payload?: unknown, options?: MessengerOptions): Promise<unknown[]> {
    return this.dispatch('map', action, payload, options) as Promise<unknown[]>;
  }

  /** One ready worker picked at random by the master gets the message; resolves with its id. */
  sendRandom(action: unknown, payload?: unknown, options?: ScopeOptions): Promise<string> {
    return this.dispatch('sendRandom', action, payload, options) as Promise<string>;
  }

  private dispatch(op: MessengerOp, actionArg: unknown, payload: unknown, options: unknown): Promise<unknown> {
    const action = actionNameOf(actionArg);
    if (options !== undefined && !isPlainObject(options)) return Promise.reject(new InvalidArgumentError(op, 'options', options, op === 'broadcast' || op === 'sendRandom' ? '{ scope? }' : '{ timeout? }'));
    const timeout = (options as MessengerOptions | undefined)?.timeout ?? this.engine.options.traceTimeout;
    const scope = (options as MessengerOptions | undefined)?.scope ?? 'cluster';
    if (scope !== 'cluster' && scope !== 'node') return Promise.reject(new InvalidArgumentError(op, 'options.scope', scope, "'cluster' or 'node'"));
    const bad = checkAction(op, action) ?? checkPayload(op, payload) ?? checkTimeout(op, timeout, 'options.timeout');
    if (bad) return Promise.reject(bad);
    const name = action as string;
    const hub = this.hub;
    if (hub) {
      return new Promise((resolve, reject) => hub.run(op, MASTER_ID, name, payload, timeout, (err, value) => (err ? reject(err) : resolve(value)), scope));
    }
    // A broadcast's time-out is always traceTimeout (it takes no options.timeout): one lane for all.
    if (op === 'broadcast' && this.casts) return this.casts.send(name, payload, scope);
    const order: DispatchOrder = { op, action: name, timeout };
    if (payload !== undefined) order.payload = payload;
    if (scope === 'node') order.scope = scope;
    const waitMs = this.waitFor(timeout);
    const pending = new PendingDispatch(`${op} '${name}'`, waitMs);
    const promise = new Promise<unknown>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    try {
      this.engine.trace(MASTER_ID, { action: InternalActions.MESSENGER_DISPATCH, payload: order }, waitMs, pending);
    } catch (err) {
      // As when the executor threw: the promise rejects instead of the call throwing.
      pending.reject(err as Error);
    }
    return promise;
  }
}

/** The handlers of one operation asked of the master, as one object (no closures per call). */
class PendingDispatch implements TraceHandlers {
  resolve!: (value: unknown) => void;
  reject!: (error: Error) => void;

  constructor(
    private readonly what: string,
    private readonly waitMs: number,
  ) {}

  onReply(res: MessageData): void {
    const error = res.error as MessengerWireError | undefined;
    if (error) this.reject(reviveError(error));
    else this.resolve(res.payload);
  }

  onTimeout(): void {
    this.reject(new TraceTimeoutError(MASTER_ID, this.what, this.waitMs));
  }

  onFail(error: Error): void {
    this.reject(error);
  }
}

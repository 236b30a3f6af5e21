/**
 * One engine per process: it sends envelopes, matches replies, and routes what arrives.
 *
 *            ┌──────── M (master) ────────┐
 *            │ router · relay · registry  │
 *            └──┬─────────┬──────────┬────┘
 *          IPC  │         │          │  IPC
 *             W:1  …    W:n          A
 *
 * Children talk only to M; M relays child-to-child traffic and answers the sender with a
 * transit result (R-IPC-1). Routing is one switch on the meta flags, then one Map lookup.
 */
import { createEnvelope, isEnvelope, type Envelope, type MessageData } from '../protocol/envelope';
import { TargetUnavailableError, ClusterCoreError, fromWireError, toWireError, type WireError } from '../protocol/errors';
import { Macros, InternalActions, isInternalAction } from '../protocol/macros';
import { MASTER_ID } from '../protocol/process-id';
import { checkUserData } from '../protocol/message-args';
import type { Channel } from '../transport/channel';
import { forEachEnvelope } from '../transport/ipc-channel';
import { remoteErrorReply } from './remote-error-reply';
import { TraceRegistry, type TraceHandlers } from './trace-registry';
import { toReceivedData, type Responder } from './received-data';
import { runPipeline } from './pipeline';
import { safeCall } from './safe-call';
import type { ProcessHooks } from './hooks';
import type { Logger } from './logger';

/** Role of a process in the group. */
export type ProcessRole = 'master' | 'worker' | 'alone';

/** Handles one internal action arriving at this process. */
export type InternalHandler = (env: Envelope) => void;

/** Settings every engine needs. */
export interface EngineOptions {
  /** Default TraceIPC time-out, ms. */
  traceTimeout: number;
  /** How long onProcessWillExit and children's exits are awaited at shutdown, ms. */
  shutdownTimeout: number;
  /** How long a child waits for its handshake, ms. */
  startupTimeout: number;
  /** Where clustercore logs. */
  logger: Logger;
  /** Envelopes in flight per channel past which writes are held (back-pressure); default 256. */
  highWaterMark?: number;
}

/** Counters of one process (observability seam). */
export interface EngineStats {
  /** Envelopes received (after unpacking frames). */
  received: number;
  /** Messages that were not envelopes, or misrouted; dropped and logged. */
  malformed: number;
  /** Envelopes relayed (master only). */
  relayed: number;
}

/** Base engine: sending, reply matching, routing of arrivals. */
export abstract class Engine implements Responder {
  /** Pending TraceIPC registrations. */
  readonly registry = new TraceRegistry();
  /** Counters. */
  readonly stats: EngineStats = { received: 0, malformed: 0, relayed: 0 };
  /** Handlers of internal actions (handshake, global object, messenger…), registered by the layers that own them. */
  protected readonly internal = new Map<string, InternalHandler>();
  /** The user host: AppMain or the decorator dispatcher. */
  hooks: ProcessHooks = {};
  /** The master's process.argv (R-PROC-4). */
  launchParams: string[] = [];
  /** User messages that arrived before onProcessDidInit ran; null when not holding. */
  private held: Envelope[] | null = null;

  constructor(
    /** This process's id. */
    public processId: string,
    /** This process's role. */
    readonly role: ProcessRole,
    /** Engine settings. */
    readonly options: EngineOptions,
  ) {
    this.internal.set(InternalActions.PROCESS_DID_EXIT, (env) => {
      const id = (env.data.payload as { processId?: unknown } | undefined)?.processId;
      if (typeof id === 'string') this.failTracesTo(id, 'exited before answering');
    });
  }

  /** Channel that leads to `to` from this process, if any. */
  protected abstract channelTo(to: string): Channel | undefined;

  /** Registers the handler of an internal action (one per action). */
  handleInternal(action: string, handler: InternalHandler): void {
    if (!isInternalAction(action)) throw new ClusterCoreError(`handleInternal: '${action}' is not an internal action`);
    this.internal.set(action, handler);
  }

  /** Writes one envelope towards `to`; false when no open channel leads there. */
  protected post(env: Envelope, cb?: (error: Error | null) => void): boolean {
    const ch = this.channelTo(env.meta.toProcessId);
    if (!ch || !ch.connected) {
      if (cb) queueMicrotask(() => cb(new TargetUnavailableError(env.meta.toProcessId, 'is not a live process of this group')));
      return false;
    }
    ch.write(env, cb);
    return true;
  }

  /**
   * One-way send of already validated data. `cb(null)` only once the message reached the target
   * process: directly written when the target is our peer, else on the master's transit result.
   */
  send(to: string, data: MessageData, cb?: (error: Error | null) => void, traceId: string | null = null, isRes = false): void {
    if (!cb || this.role === 'master' || to === MASTER_ID) {
      this.post(createEnvelope(this.processId, to, data, traceId, isRes), cb);
      return;
    }
    const transitId = this.registry.register(MASTER_ID, this.options.traceTimeout, {
      onReply: (res) => cb(res.error ? fromWireError(res.error as WireError) : null),
      onTimeout: () => cb(new TargetUnavailableError(to, `was not confirmed by the master within ${this.options.traceTimeout} ms`)),
      onFail: (err) => cb(err),
    });
    if (!this.post(createEnvelope(this.processId, to, data, traceId, isRes, transitId))) {
      this.registry.fail(transitId, new TargetUnavailableError(MASTER_ID, 'cannot be reached: the IPC channel is closed'));
    }
  }

  /**
   * Starts a TraceIPC to `to`; exactly one of onReply / onTimeout / onFail runs. With
   * `handlers.onDelivered`, a relayed request also asks the master to confirm delivery.
   */
  trace(to: string, data: MessageData, timeoutMs: number, handlers: TraceHandlers): string {
    const id = this.registry.register(to, timeoutMs, handlers);
    const relayed = this.role !== 'master' && to !== MASTER_ID;
    const transitId = relayed && handlers.onDelivered ? id : null;
    if (!relayed && handlers.onDelivered) {
      const delivered = handlers.onDelivered;
      if (!this.post(createEnvelope(this.processId, to, data, id), (err) => { if (!err) delivered(); })) {
        this.registry.fail(id, new TargetUnavailableError(to, 'is not a live process of this group'));
      }
      return id;
    }
    if (!this.post(createEnvelope(this.processId, to, data, id, false, transitId))) {
      this.registry.fail(id, new TargetUnavailableError(to, 'is not a live process of this group'));
    }
    return id;
  }

  /** Responder: answers a request (validated like any user message). */
  reply(toProcessId: string, traceId: string, data: MessageData, cb?: (error: Error | null) => void): Error | null {
    const bad = checkUserData('resTrace', data);
    if (bad) return bad;
    this.send(toProcessId, data, cb, traceId, true);
    return null;
  }

  /** Responder: answers a request whose handler threw with a RemoteError (R-TRACE-6). */
  replyError(toProcessId: string, traceId: string, error: unknown): void {
    this.send(toProcessId, remoteErrorReply(error), undefined, traceId, true);
  }

  /** Answers an internal request without user-level checks. */
  replyInternal(env: Envelope, data: MessageData, cb?: (error: Error | null) => void): void {
    this.post(createEnvelope(this.processId, env.meta.fromProcessId, data, env.meta.traceId, true), cb);
  }

  /** Entry point of every frame that arrives from `peerId`'s channel. */
  receive(frame: unknown, peerId: string): void {
    forEachEnvelope(frame, (msg) => this.route(msg, peerId));
  }

  private route(msg: unknown, peerId: string): void {
    if (!isEnvelope(msg)) {
      this.dropMalformed(msg, peerId, 'not a clustercore envelope');
      return;
    }
    this.stats.received++;
    const meta = msg.meta;
    // The master trusts the channel, not the claim: a child cannot speak for another process.
    if (this.role === 'master') meta.fromProcessId = peerId;
    if (meta.toProcessId !== this.processId) {
      this.forward(msg);
      return;
    }
    if (meta.isTransitRes) this.onTransitResult(msg);
    else if (meta.isRes) this.onReply(msg);
    else if (isInternalAction(msg.data.action)) {
      const handler = this.internal.get(msg.data.action);
      if (handler) safeCall(this.options.logger, `internal action ${msg.data.action}`, () => handler(msg));
      else this.dropMalformed(msg, peerId, `unknown internal action ${msg.data.action}`);
    } else if (this.held) {
      // Not initialised yet: user code sees no message before its onProcessDidInit (one null test).
      this.held.push(msg);
    } else {
      runPipeline(this.hooks, this.options.logger, meta.fromProcessId, toReceivedData(msg, this));
    }
  }

  /** Holds user messages until releaseUserMessages() (a child, until its onProcessDidInit ran). */
  holdUserMessages(): void {
    if (!this.held) this.held = [];
  }

  /** Delivers the held user messages in arrival order and stops holding; idempotent. */
  releaseUserMessages(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const msg of held) runPipeline(this.hooks, this.options.logger, msg.meta.fromProcessId, toReceivedData(msg, this));
  }

  /** A message for another process arrived here: the master relays, children drop it. */
  protected forward(env: Envelope): void {
    this.dropMalformed(env, env.meta.fromProcessId, `addressed to ${env.meta.toProcessId}, not to ${this.processId}`);
  }

  private onReply(env: Envelope): void {
    const { traceId, fromProcessId } = env.meta;
    const handlers = traceId === null ? undefined : this.registry.take(traceId, fromProcessId);
    if (handlers) {
      handlers.onReply(env.data, fromProcessId, env.meta);
      return;
    }
    // A reply nobody waits for: late (after its time-out) or unknown (R-TRACE-4).
    if (isInternalAction(env.data.action)) return;
    const data = toReceivedData(env, this);
    const hooks = this.hooks;
    safeCall(this.options.logger, 'onProcessDidDiscardMessage', () => hooks.onProcessDidDiscardMessage?.(fromProcessId, data));
  }

  private onTransitResult(env: Envelope): void {
    const id = env.meta.transitTraceId;
    if (id === null) return;
    const error = (env.data as { error?: WireError }).error;
    const target = this.registry.targetOf(id);
    if (target === MASTER_ID) {
      this.registry.take(id, MASTER_ID)?.onReply(env.data, MASTER_ID);
    } else if (target !== undefined) {
      // A relayed request whose target the master could not reach fails now, not at time-out.
      if (error) this.registry.fail(id, fromWireError(error));
      else this.registry.peek(id)?.onDelivered?.();
    }
  }

  /** True while the channel that leads to `to` holds writes back (back-pressure). */
  needsDrain(to: string): boolean {
    return this.channelTo(to)?.congested === true;
  }

  /** Resolves once the channel that leads to `to` accepts writes again (at once when it does). */
  drain(to: string): Promise<void> {
    const ch = this.channelTo(to);
    return ch?.drained ? ch.drained() : Promise.resolve();
  }

  /** Fails every pending trace to `processId`, each with an error naming it. */
  failTracesTo(processId: string, reason: string): void {
    this.registry.failTarget(processId, () => new TargetUnavailableError(processId, reason));
  }

  /** Counts and logs a message that is not ours to handle; never throws. */
  protected dropMalformed(msg: unknown, peerId: string, reason: string): void {
    this.stats.malformed++;
    let shown: string;
    try { shown = JSON.stringify(msg)?.slice(0, 200) ?? String(msg); } catch { shown = String(msg); }
    this.options.logger.warn(`dropped a message from ${peerId} (${reason}): ${shown}`);
  }

  /** Builds a transit result for a relayed message. */
  protected transitResult(toSender: string, transitTraceId: string, error: Error | null): Envelope {
    const data: MessageData = { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_TRANSIT_RESULT };
    if (error) data.error = toWireError(error);
    return createEnvelope(this.processId, toSender, data, null, false, transitTraceId, true);
  }
}

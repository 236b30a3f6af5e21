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
 *
 * Who may send what (hardening): internal actions (`@@cc/…`) and transit results come only from
 * M to a child, or from a child to M; the relay carries user messages and the error answer of a
 * request (REMOTE_ERROR) between children, nothing else. The receive path never throws: whatever
 * arrives is delivered, or counted in `stats` and dropped (logged at a limited rate).
 */
import { createEnvelope, type Envelope, type MessageData } from '../protocol/envelope';
import { fromWire } from '../protocol/wire';
import { TargetUnavailableError, ClusterCoreError, DataLimitError, fromWireError, toWireError, type WireError } from '../protocol/errors';
import { Macros, InternalActions, isInternalAction } from '../protocol/macros';
import { refusalAtChild, refusalAtMaster } from '../protocol/entitlement';
import { MASTER_ID } from '../protocol/process-id';
import { checkUserData } from '../protocol/message-args';
import { copyReceived, findJsonUnsafe } from '../protocol/json-safe';
import type { Channel } from '../transport/channel';
import { forEachEnvelope, MAX_FRAME_ENVELOPES } from '../transport/ipc-channel';
import { IpcTotals, type IpcBytes } from '../transport/ipc-totals';
import { remoteErrorReply } from './remote-error-reply';
import { FRAME_UNREAD, NOT_IN_FRAME, TraceRegistry, type TraceHandlers } from './trace-registry';
import { toReceivedData, type Responder } from './received-data';
import { DropLog } from './drop-log';
import type { ReceivedData } from './hooks';
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
  /** Master: reload and health settings (defaults when absent). */
  health?: HealthOptions;
}

/** Reload and health settings of the master (bootstrap / init options of the same names). */
export interface HealthOptions {
  /** Workers replaced at a time by reload(). */
  reloadConcurrency: number;
  /** Heartbeat and self-check period, ms. */
  heartbeatInterval: number;
  /** Missed-heartbeat time after which a child is killed and replaced, ms; 0 = off. */
  heartbeatTimeout: number;
  /** RSS in MB past which a child is replaced gracefully; null = no limit. */
  maxMemory: number | null;
  /** Paths watched for a development reload; null = off. */
  watch: readonly string[] | null;
}

/** Counters of one process (observability seam). */
export interface EngineStats {
  /** Envelopes received (after unpacking frames). */
  received: number;
  /**
   * Messages refused and dropped: not envelopes, misrouted, an internal action from a process not
   * entitled to send it, data past a limit of R-IPC-2, or handling them threw.
   */
  malformed: number;
  /** Envelopes relayed to a live child (master only). */
  relayed: number;
  /**
   * Well-formed messages that had nowhere to go: replies and transit results nobody waits for (late,
   * or unknown trace ids), messages relayed to a process that is not live.
   */
  discarded: number;
  /** Requests (TraceIPC, internal ones included) that arrived here to be answered. */
  served: number;
}

/** Base engine: sending, reply matching, routing of arrivals. */
export abstract class Engine implements Responder {
  /** Pending TraceIPC registrations. */
  readonly registry = new TraceRegistry();
  /** Counters. */
  readonly stats: EngineStats = { received: 0, malformed: 0, relayed: 0, discarded: 0, served: 0 };
  /** Envelopes written and bytes moved by this process's IPC channels (R-OBS-1). */
  readonly ipc = new IpcTotals();
  /** Handlers of internal actions (handshake, global object, messenger…), registered by the layers that own them. */
  protected readonly internal = new Map<string, InternalHandler>();
  /** The user host: AppMain or the decorator dispatcher. */
  hooks: ProcessHooks = {};
  /** The master's process.argv (R-PROC-4). */
  launchParams: string[] = [];
  /** User messages (sender, data, trace id) that arrived before onProcessDidInit ran; null when not holding. */
  private held: [string, ReceivedData, string | null][] | null = null;
  /** Rate-limited log of what is dropped. */
  private readonly drops: DropLog;
  /**
   * Children: trace ids of requests handed to user code and not answered yet, so that a retiring
   * process answers what it received before it leaves (R-SUP-6). Null in the master.
   */
  private inbound: Set<string> | null = null;

  constructor(
    /** This process's id. */
    public processId: string,
    /** This process's role. */
    readonly role: ProcessRole,
    /** Engine settings. */
    readonly options: EngineOptions,
  ) {
    this.drops = new DropLog(options.logger);
    if (role !== 'master') this.inbound = new Set();
  }

  /** Channel that leads to `to` from this process, if any (`env`: the envelope about to go, for reply routing). */
  protected abstract channelTo(to: string, env?: Envelope): Channel | undefined;

  /** Bytes this process's IPC pipes read and wrote so far; null when Node does not expose them. */
  abstract ipcBytes(): IpcBytes | null;

  /** Registers the handler of an internal action (one per action). */
  handleInternal(action: string, handler: InternalHandler): void {
    if (!isInternalAction(action)) throw new ClusterCoreError(`handleInternal: '${action}' is not an internal action`);
    this.internal.set(action, handler);
  }

  /** Writes one envelope towards `to`; false when no open channel leads there. */
  protected post(env: Envelope, cb?: (error: Error | null) => void): boolean {
    const ch = this.channelTo(env.meta.toProcessId, env);
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
    }, false);
    if (!this.post(createEnvelope(this.processId, to, data, traceId, isRes, transitId))) {
      this.registry.fail(transitId, new TargetUnavailableError(MASTER_ID, 'cannot be reached: the IPC channel is closed'));
    }
  }

  /**
   * Starts a TraceIPC to `to`; exactly one of onReply / onTimeout / onFail runs. With
   * `handlers.onDelivered`, a relayed request also asks the master to confirm delivery.
   * `counted`: false keeps bookkeeping (status gathering) out of the request counters.
   */
  trace(to: string, data: MessageData, timeoutMs: number, handlers: TraceHandlers, counted = true): string {
    const id = this.registry.register(to, timeoutMs, handlers, counted);
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
    this.inbound?.delete(traceId);
    this.send(toProcessId, data, cb, traceId, true);
    return null;
  }

  /** Responder: answers a request whose handler threw with a RemoteError (R-TRACE-6). */
  replyError(toProcessId: string, traceId: string, error: unknown): void {
    this.inbound?.delete(traceId);
    this.send(toProcessId, remoteErrorReply(error), undefined, traceId, true);
  }

  /** Answers an internal request without user-level checks. */
  replyInternal(env: Envelope, data: MessageData, cb?: (error: Error | null) => void): void {
    this.post(createEnvelope(this.processId, env.meta.fromProcessId, data, env.meta.traceId, true), cb);
  }

  /** Entry point of every frame that arrives from `peerId`'s channel. Never throws. */
  receive(frame: unknown, peerId: string): void {
    // Replies of one frame arrived together: they share one clock read for their latency.
    const registry = this.registry;
    registry.frameNow = FRAME_UNREAD;
    forEachEnvelope(frame, (msg) => {
      try {
        this.route(msg, peerId);
      } catch (err) {
        // A bug of ours or an input nobody foresaw: this message is lost, the process is not.
        this.dropMalformed(msg, peerId, `handling it threw ${err instanceof Error ? `${err.name}: ${err.message}` : 'a non-error'}`);
      }
    }, (length) => this.dropMalformed(frame, peerId, `a frame of ${length} envelopes (a channel writes 1 to ${MAX_FRAME_ENVELOPES} in one)`));
    registry.frameNow = NOT_IN_FRAME;
  }

  private route(wire: unknown, peerId: string): void {
    const msg = fromWire(wire);
    if (msg === null) {
      this.dropMalformed(wire, peerId, 'not a clustercore envelope');
      return;
    }
    this.stats.received++;
    const meta = msg.meta;
    const action = msg.data.action;
    // The master trusts the channel, not the claim: a child cannot speak for another process.
    if (this.role === 'master') meta.fromProcessId = peerId;
    if (meta.toProcessId !== this.processId) {
      this.forward(msg);
      return;
    }
    // Who may send what (protocol/entitlement.ts).
    const refusal = this.role === 'master' ? refusalAtMaster(meta, action) : refusalAtChild(meta, action);
    if (refusal !== null) return this.dropMalformed(msg, peerId, refusal);
    if (meta.isTransitRes) {
      this.onTransitResult(msg);
      return;
    }
    if (meta.isRes) {
      this.onReply(msg, peerId);
      return;
    }
    if (meta.traceId !== null) this.stats.served++;
    if (isInternalAction(action)) {
      const handler = this.internal.get(action);
      if (handler) safeCall(this.options.logger, `internal action ${action}`, () => handler(msg));
      else this.dropMalformed(msg, peerId, `unknown internal action ${action}`);
    } else {
      const data = this.acceptUserData(msg, peerId);
      if (data === null) return;
      // Not initialised yet: user code sees no message before its onProcessDidInit (one null test).
      if (this.held) this.held.push([meta.fromProcessId, data, meta.traceId]);
      else {
        this.noteInbound(meta.traceId);
        runPipeline(this.hooks, this.options.logger, meta.fromProcessId, data);
      }
    }
  }

  /**
   * The data of an arrived user message, as its handlers see it: copied for getOriginData() by the
   * walk that also checks it against R-IPC-2's limits (the receive path's one traversal of it).
   * Null, counted and logged when it breaks one.
   */
  acceptUserData(env: Envelope, peerId: string, responder: Responder = this): ReceivedData | null {
    let snapshot: MessageData;
    try {
      snapshot = copyReceived(env.data);
    } catch (err) {
      this.dropMalformed(env, peerId, (err as Error).message);
      return null;
    }
    return toReceivedData(env, responder, snapshot);
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
    for (const [from, data, traceId] of held) {
      this.noteInbound(traceId);
      runPipeline(this.hooks, this.options.logger, from, data);
    }
  }

  /** Records a request handed to user code (children), until reply() or replyError() answers it. */
  noteInbound(traceId: string | null): void {
    if (traceId !== null && this.inbound !== null) this.inbound.add(traceId);
  }

  /** Resolves once every request handed to user code was answered, or after `ms`. */
  async inboundAnswered(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.inbound !== null && this.inbound.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A message for another process arrived here: the master relays, children drop it. */
  protected forward(env: Envelope): void {
    this.dropMalformed(env, env.meta.fromProcessId, `addressed to ${env.meta.toProcessId}, not to ${this.processId}`);
  }

  private onReply(env: Envelope, peerId: string): void {
    const { traceId, fromProcessId } = env.meta;
    const internal = isInternalAction(env.data.action);
    // A reply from a child is checked against R-IPC-2 like any message it sends (a reply of the
    // master was checked when the master sent it, or comes from its store, which keeps its limits).
    const problem = fromProcessId === MASTER_ID ? null : findJsonUnsafe(env.data, 'data');
    const handlers = traceId === null ? undefined : this.registry.take(traceId, fromProcessId, env.data.action === InternalActions.REMOTE_ERROR);
    if (problem !== null) {
      this.dropMalformed(env, peerId, problem);
      // The requester learns why at once instead of at its time-out.
      handlers?.onFail(new DataLimitError(`the reply of ${fromProcessId} to trace ${traceId} was refused: ${problem}`));
      return;
    }
    if (handlers) {
      handlers.onReply(env.data, fromProcessId, env.meta);
      return;
    }
    // A reply nobody waits for: late (after its time-out) or unknown (R-TRACE-4). User code gets
    // it only through the checked copy, whoever sent it.
    const data = internal ? null : this.acceptUserData(env, peerId);
    if (data === null && !internal) return;
    this.stats.discarded++;
    if (data === null) return;
    const hooks = this.hooks;
    safeCall(this.options.logger, 'onProcessDidDiscardMessage', () => hooks.onProcessDidDiscardMessage?.(fromProcessId, data));
  }

  private onTransitResult(env: Envelope): void {
    const id = env.meta.transitTraceId;
    const target = typeof id === 'string' ? this.registry.targetOf(id) : undefined;
    if (id === null || target === undefined) {
      this.stats.discarded++;
      return;
    }
    const error = (env.data as { error?: WireError }).error;
    if (target === MASTER_ID) {
      this.registry.take(id, MASTER_ID)?.onReply(env.data, MASTER_ID);
    } else {
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

  /** Counts a message that is not ours to handle, and logs it at a limited rate; never throws (also for the layers' internal handlers). */
  dropMalformed(msg: unknown, peerId: string, reason: string): void {
    this.stats.malformed++;
    this.drops.note(peerId, reason, msg);
  }

  /** Counts a well-formed message that had nowhere to go (see EngineStats.discarded), logged at a limited rate. */
  protected noteDiscarded(msg: unknown, peerId: string, reason: string): void {
    this.stats.discarded++;
    this.drops.note(peerId, reason, msg);
  }

  /** Builds a transit result for a relayed message. */
  protected transitResult(toSender: string, transitTraceId: string, error: Error | null): Envelope {
    const data: MessageData = { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_TRANSIT_RESULT };
    if (error) data.error = toWireError(error);
    return createEnvelope(this.processId, toSender, data, null, false, transitTraceId, true);
  }
}

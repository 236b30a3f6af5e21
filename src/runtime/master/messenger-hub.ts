/**
 * The master's side of the messenger (think-cluster's broadcast / consume / map, yunfly's random
 * worker): every operation, whoever called it, is run here over the workers that reported ready.
 *
 *   sender ──MESSENGER_DISPATCH──► M ──user message──────► every W        broadcast
 *                                  M ──user message──────► one random W   sendRandom
 *                                  M ──MESSENGER_RUN─────► next W (round robin) ──ACK──► M   consume
 *                                  M ──MESSENGER_RUN─────► every W ──reply──► M              map
 *   sender ◄──MESSENGER_RESULT──── M   (outcome: reached ids / worker id / answers / error)
 *
 * Workers see the original sender as `fromProcessId`. Every request the master makes goes through
 * the engine's trace registry, so each pending entry leaves on reply, time-out or worker exit.
 */
import { remoteErrorOf } from '../remote-error-reply';
import { createEnvelope, type Envelope, type MessageData } from '../../protocol/envelope';
import { ClusterCoreError, MapError, NoWorkerError, describe, textOf, TargetUnavailableError, TraceTimeoutError, type WireError } from '../../protocol/errors';
import { InternalActions } from '../../protocol/macros';
import { compareProcessIds, isLocalProcessId, isProcessId, parseProcessId, qualify } from '../../protocol/process-id';
import { checkAction, checkPayload, checkTimeout } from '../../protocol/message-args';
import { isPlainObject } from '../../protocol/json-safe';
import { MapCollector } from './map-collector';
import { CastAcks } from './cast-acks';
import { RoundRobin, pickRandom } from './round-robin';
import { MESSENGER_OPS, errorToWire, type CastOrder, type DispatchOrder, type MessengerOp, type MessengerScope, type RunOrder } from '../messenger-wire';
import type { MasterEngine } from './master-engine';
import type { TraceHandlers } from '../trace-registry';

/** Completion of a hub operation: an error, or the value the caller's promise resolves with. */
export type HubDone = (error: Error | null, value?: unknown) => void;

/** Runs an operation across the nodes of a cluster (runtime/cluster/cluster-messenger.ts). */
export interface ClusterRun {
  /** Runs `op` over every node (this one through `runLocal`); false when there is no other node. */
  run(op: MessengerOp, from: string, action: string, payload: unknown, timeout: number, done: HubDone): boolean;
}

/** Runs messenger operations over the master's ready workers. */
export class MessengerHub {
  private readonly rotation = new RoundRobin();
  private ready: readonly string[] = [];
  /** In cluster mode: runs operations of scope 'cluster' over every node. */
  cluster: ClusterRun | null = null;
  private readonly castAcks: CastAcks;

  constructor(private readonly master: MasterEngine) {
    const refresh = () => this.refresh();
    master.events.on('ready', refresh);
    master.events.on('exit', refresh);
    master.handleInternal(InternalActions.MESSENGER_DISPATCH, (env) => this.onDispatch(env));
    this.castAcks = new CastAcks(master);
    master.handleInternal(InternalActions.MESSENGER_CAST, (env) => this.onCast(env));
  }

  /** Workers that reported ready, in worker order: the "live group" every operation runs over. */
  get readyWorkers(): readonly string[] {
    return this.ready;
  }

  /**
   * Runs `op` for `from`; `timeout` bounds consume's acknowledgement and each map answer. In
   * cluster mode scope 'cluster' spans every node; 'node' (and no cluster) stays on this node.
   */
  run(op: MessengerOp, from: string, action: string, payload: unknown, timeout: number, done: HubDone, scope: MessengerScope = 'cluster'): void {
    if (scope === 'cluster' && this.cluster?.run(op, from, action, payload, timeout, done)) return;
    this.runLocal(op, from, action, payload, timeout, done);
  }

  /** Runs `op` over this node's workers only; with `detail`, map answers as `{ processId, value }`. */
  runLocal(op: MessengerOp, from: string, action: string, payload: unknown, timeout: number, done: HubDone, detail = false): void {
    switch (op) {
      case 'broadcast': return this.broadcast(from, action, payload, done);
      case 'consume': return this.consume(from, action, payload, timeout, done);
      case 'map': return this.map(from, action, payload, timeout, done, detail);
      case 'sendRandom': return this.sendRandom(from, action, payload, done);
    }
  }

  private refresh(): void {
    const ids: string[] = [];
    for (const e of this.master.table.values()) if (e.kind === 'worker' && e.ready) ids.push(e.id);
    ids.sort(compareProcessIds);
    this.ready = ids;
    this.rotation.setMembers(ids);
  }

  /**
   * Every ready worker gets the message once; resolves with the ids it was written to. Without
   * `done` (another node's one-way broadcast) nothing waits, so no write is tracked.
   */
  private broadcast(from: string, action: string, payload: unknown, done: HubDone | null): void {
    const ids = this.ready;
    const data = userData(action, payload);
    if (done === null) {
      for (const id of ids) {
        const channel = this.master.table.get(id)?.channel;
        if (channel && channel.connected) channel.write(createEnvelope(from, id, data));
      }
      return;
    }
    if (ids.length === 0) return done(null, []);
    const reached: boolean[] = new Array(ids.length).fill(false);
    let pending = ids.length;
    const settle = (i: number, ok: boolean) => {
      reached[i] = ok;
      if (--pending === 0) done(null, ids.filter((_, j) => reached[j]));
    };
    ids.forEach((id, i) => {
      const channel = this.master.table.get(id)?.channel;
      if (!channel || !channel.connected) return settle(i, false);
      channel.write(createEnvelope(from, id, data), (err) => settle(i, !err));
    });
  }

  /**
   * One worker, in turn, gets the job; resolves with its id once it handed the job to its handler.
   * A worker whose channel is already closed never got the job, so the next one is tried; a worker
   * that exits after the job was written rejects the call (the job may have started: never run twice).
   */
  private consume(from: string, action: string, payload: unknown, timeout: number, done: HubDone): void {
    const tried = new Set<string>();
    const order: RunOrder = { op: 'consume', action, from };
    if (payload !== undefined) order.payload = payload;
    const attempt = (): void => {
      const id = this.rotation.next(tried);
      if (id === undefined) return done(new NoWorkerError('consume', action));
      tried.add(id);
      let writing = true;
      this.master.trace(id, { action: InternalActions.MESSENGER_RUN, payload: order }, timeout, {
        onReply: (res, by) => {
          const error = res.error as WireError | undefined;
          if (error) done(new TargetUnavailableError(by, `refused consume job '${action}': ${textOf(error.message)}`));
          else done(null, by);
        },
        onTimeout: () => done(new TraceTimeoutError(id, action, timeout)),
        onFail: (err) => {
          // Failed inside trace(): nothing was written, so another worker can take the job safely.
          if (writing) return attempt();
          done(new TargetUnavailableError(id, `exited before acknowledging consume job '${action}' (${err.message}); it may have started there, so it is not sent to another worker`));
        },
      });
      writing = false;
    };
    attempt();
  }

  /** Every ready worker answers; resolves with the answers in worker order, or rejects with MapError. */
  private map(from: string, action: string, payload: unknown, timeout: number, done: HubDone, detail: boolean): void {
    const ids = this.ready;
    const collector = new MapCollector(ids, (results, failures) => {
      if (failures.length > 0) done(new MapError(action, failures, results));
      else done(null, detail ? results : results.map((r) => r.value));
    });
    const order: RunOrder = { op: 'map', action, from };
    if (payload !== undefined) order.payload = payload;
    const data: MessageData = { action: InternalActions.MESSENGER_RUN, payload: order };
    for (const id of ids) this.master.trace(id, data, timeout, new MapTrace(collector, id, action, timeout));
  }

  /** One random ready worker gets the message; a write that fails is retried on another one. */
  private sendRandom(from: string, action: string, payload: unknown, done: HubDone): void {
    const data = userData(action, payload);
    const tried = new Set<string>();
    const attempt = (): void => {
      const id = pickRandom(this.ready, tried);
      if (id === undefined) return done(new NoWorkerError('sendRandom', action));
      tried.add(id);
      const channel = this.master.table.get(id)?.channel;
      if (!channel || !channel.connected) return attempt();
      // A failed write never reached the worker, so trying another one cannot deliver twice.
      channel.write(createEnvelope(from, id, data), (err) => (err ? attempt() : done(null, id)));
    };
    attempt();
  }

  /** A child asked for an operation: check what arrived (a bad message never throws), run it, answer. */
  private onDispatch(env: Envelope): void {
    // Another node's broadcast comes one-way (fire-and-forget across nodes): nothing to answer.
    const oneWay = env.meta.traceId === null;
    const answer = (error: Error | null, value?: unknown) => {
      if (oneWay) {
        if (error) this.master.options.logger.warn(`messenger: a one-way dispatch from ${env.meta.fromProcessId} failed: ${error.message}`);
        return;
      }
      const data: MessageData = { action: InternalActions.MESSENGER_RESULT };
      if (error) data.error = errorToWire(error);
      else data.payload = value;
      this.master.replyInternal(env, data);
    };
    const order = env.data.payload;
    if (!isPlainObject(order) || typeof order.op !== 'string' || !MESSENGER_OPS.has(order.op)) {
      return answer(new ClusterCoreError(`messenger: ${env.meta.fromProcessId} asked for an unknown operation ${describe(isPlainObject(order) ? order.op : order)}`));
    }
    const { op, action, payload, timeout, scope, origin, detail } = order as unknown as DispatchOrder;
    const bad = checkAction(op, action) ?? checkPayload(op, payload) ?? checkTimeout(op, timeout);
    if (bad) return answer(bad);
    let from = env.meta.fromProcessId;
    if (!isProcessId(from)) return answer(new TargetUnavailableError(from, 'is not a process id'));
    const sender = parseProcessId(from);
    if (sender.node !== null) {
      // Another node's master asks on behalf of one of its processes: run here only, as that process.
      if (sender.local !== 'M' || !isLocalProcessId(origin)) return answer(new ClusterCoreError(`messenger: ${from} may only dispatch for a process of its node`));
      from = qualify(sender.node, origin);
      if (oneWay && op === 'broadcast') return this.broadcast(from, action, payload, null);
      return this.runLocal(op, from, action, payload, timeout, answer, detail === true);
    }
    this.run(op, from, action, payload, timeout, answer, scope === 'node' ? 'node' : 'cluster');
  }

  /** Runs a child's broadcast; its outcome goes back with the others of this turn (cast-acks.ts). */
  private onCast(env: Envelope): void {
    const order = env.data.payload as Partial<CastOrder> | undefined;
    const from = env.meta.fromProcessId;
    if (!isPlainObject(order) || !Number.isSafeInteger(order.seq) || (order.seq as number) < 1) {
      return this.master.dropMalformed(env, from, 'a broadcast without its number');
    }
    const seq = order.seq as number;
    const { action, payload, scope } = order;
    const bad = checkAction('broadcast', action) ?? checkPayload('broadcast', payload)
      ?? (scope === undefined || scope === 'node' ? null : new ClusterCoreError(`broadcast: unknown scope ${describe(scope)}`));
    if (bad) return this.castAcks.add(from, seq, bad);
    // Only this node's children cast: another node's master dispatches (onDispatch).
    if (!isLocalProcessId(from)) return this.castAcks.add(from, seq, new ClusterCoreError(`messenger: ${from} may not cast broadcasts here`));
    this.run('broadcast', from, action as string, payload, this.master.options.traceTimeout, (err, value) => this.castAcks.add(from, seq, err, value as string[]), scope ?? 'cluster');
  }
}

function userData(action: string, payload: unknown): MessageData {
  return payload === undefined ? { action } : { action, payload };
}

/** The trace of one worker's part of a map(): one object per worker and map, no closures. */
class MapTrace implements TraceHandlers {
  constructor(
    private readonly collector: MapCollector,
    private readonly id: string,
    private readonly action: string,
    private readonly timeout: number,
  ) {}

  onReply(res: MessageData, by: string): void {
    const error = res.error as WireError | undefined;
    const remote = remoteErrorOf(res, by);
    if (remote) this.collector.reject(this.id, remote);
    // The runner refused the order (malformed): an answer of ours, not the handler's.
    else if (res.action === InternalActions.MESSENGER_ACK && error) this.collector.reject(this.id, new TargetUnavailableError(by, `refused map request '${this.action}': ${textOf(error.message)}`));
    else this.collector.resolve(this.id, res.payload);
  }

  onTimeout(): void {
    this.collector.reject(this.id, new TraceTimeoutError(this.id, this.action, this.timeout));
  }

  onFail(err: Error): void {
    this.collector.reject(this.id, err);
  }
}

/**
 * Point-to-point messaging behind ClusterCore: the Corejs callback forms (sendData,
 * sendDataWithTraceCallBack, getAllProcessIds) and the promise forms (send, request).
 * Arguments are checked here, before anything is sent.
 */
import { InvalidArgumentError, TraceTimeoutError } from '../protocol/errors';
import { Macros } from '../protocol/macros';
import { MASTER_ID, localize } from '../protocol/process-id';
import { checkAction, checkPayload, checkTarget, checkTimeout, checkUserData, parseTraceOptions, type TraceCallBack } from '../protocol/message-args';
import type { MessageData } from '../protocol/envelope';
import type { Engine } from '../runtime/engine';
import type { TraceHandlers } from '../runtime/trace-registry';
import { toReceivedData } from '../runtime/received-data';
import { remoteErrorOf } from '../runtime/remote-error-reply';
import { safeCall } from '../runtime/safe-call';
import { asMaster, nodeIdOf } from './engine-factory';
import { actionNameOf, type ActionName } from './action';

/** Options of request(). */
export interface RequestOptions {
  /** Time-out in ms (default: the group's traceTimeout, 10 000). */
  timeout?: number;
}

/** Options of sendDataWithTraceCallBack: `{ timeout = 10000, traceCallBack }` or the traceCallBack itself. */
export type TraceOptionsArg = { timeout?: number; traceCallBack: TraceCallBack } | TraceCallBack;

/** Messaging of one process, over its engine. */
export class Messaging {
  constructor(private readonly engine: Engine) {}

  /** An id qualified with this node's own name means the local process (R-NODE-2). */
  private local(id: unknown): unknown {
    return typeof id === 'string' ? localize(id, nodeIdOf(this.engine)) : id;
  }

  /** Every live process id: directly in the master, by an internal request elsewhere. */
  allProcessIds(): Promise<string[]> {
    const master = asMaster(this.engine);
    if (master) return Promise.resolve(master.allProcessIds());
    const { traceTimeout } = this.engine.options;
    return new Promise((resolve, reject) => {
      this.engine.trace(MASTER_ID, { action: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_ALL_PROCESS_IDS }, traceTimeout, {
        onReply: (data) => resolve(data.payload as string[]),
        onTimeout: () => reject(new TraceTimeoutError(MASTER_ID, 'getAllProcessIds', traceTimeout)),
        onFail: reject,
      });
    });
  }

  /** Corejs sendData (R-IPC-1..3). */
  sendData(processIdArg: unknown, data: unknown, callBack?: (error: Error | null) => void): void {
    const processId = this.local(processIdArg);
    const bad = checkTarget('sendData', processId, this.engine.processId) ?? checkUserData('sendData', data) ?? checkCallback('sendData', callBack);
    if (bad) return fail(bad, callBack);
    this.engine.send(processId as string, data as MessageData, callBack);
  }

  /**
   * Corejs sendDataWithTraceCallBack (R-TRACE-1): `callBack(null)` once the request reached the target;
   * an unknown target, one that exits before answering, or a remote failure goes to `callBack` when it
   * was not called yet, else to onProcessTraceMessageTimeout.
   */
  sendDataWithTraceCallBack(processIdArg: unknown, data: unknown, options: unknown, callBack?: (error: Error | null) => void): void {
    const method = 'sendDataWithTraceCallBack';
    const processId = this.local(processIdArg);
    const engine = this.engine;
    const bad = checkTarget(method, processId, engine.processId) ?? checkUserData(method, data) ?? checkCallback(method, callBack);
    if (bad) return fail(bad, callBack);
    const parsed = parseTraceOptions(method, options);
    if (parsed instanceof Error) return fail(parsed, callBack);
    const to = processId as string;
    const request = data as MessageData;
    const { logger } = engine.options;
    let reported = false;
    const report = (err: Error | null) => {
      if (reported || !callBack) return false;
      reported = true;
      safeCall(logger, `${method} callBack`, () => callBack(err));
      return true;
    };
    const timedOut = () => safeCall(logger, 'onProcessTraceMessageTimeout', () => engine.hooks.onProcessTraceMessageTimeout?.(to, request));
    const onFail = (err: Error) => {
      if (report(err)) return;
      logger.warn(`${method} '${request.action}' to ${to}: ${err.message}`);
      timedOut();
    };
    engine.trace(to, request, parsed.timeout, {
      onDelivered: callBack ? () => report(null) : undefined,
      onReply: (resData, from, meta) => {
        // The receiver failed while answering: internal data never reaches traceCallBack (R-IPC-5).
        const remote = remoteErrorOf(resData, from);
        if (remote) return onFail(remote);
        report(null);
        const received = toReceivedData({ meta: meta ?? { traceId: null, toProcessId: engine.processId, fromProcessId: from, isRes: true, isTransitRes: false, transitTraceId: null }, data: resData }, engine);
        const next = () => safeCall(logger, 'onProcessDidReceiveMessage', () => engine.hooks.onProcessDidReceiveMessage?.(from, received));
        safeCall(logger, 'traceCallBack', () => parsed.traceCallBack(received, next));
      },
      onTimeout: timedOut,
      onFail,
    });
  }

  /** Promise send: resolves once the message reached the target (relayed: confirmed by the master). */
  send(toArg: unknown, action: ActionName, payload?: unknown): Promise<void> {
    const to = this.local(toArg);
    const name = actionNameOf(action) as string;
    const bad = checkTarget('send', to, this.engine.processId, 'to') ?? checkAction('send', name) ?? checkPayload('send', payload);
    if (bad) return Promise.reject(bad);
    return new Promise((resolve, reject) => this.engine.send(to as string, dataOf(name, payload), (err) => (err ? reject(err) : resolve())));
  }

  /** Promise request (R-TRACE-6): the reply's payload, or TraceTimeoutError / RemoteError / TargetUnavailableError. */
  request<R>(toArg: unknown, action: ActionName, payload?: unknown, options?: RequestOptions): Promise<R> {
    const to = this.local(toArg);
    const engine = this.engine;
    const name = actionNameOf(action) as string;
    const timeout = options?.timeout ?? engine.options.traceTimeout;
    const bad = checkTarget('request', to, engine.processId, 'to') ?? checkAction('request', name) ?? checkPayload('request', payload) ?? checkTimeout('request', timeout, 'options.timeout');
    if (bad) return Promise.reject(bad);
    const pending = new PendingRequest<R>(engine, to as string, name, dataOf(name, payload), timeout);
    const promise = new Promise<R>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    try {
      engine.trace(pending.target, pending.data, timeout, pending);
    } catch (err) {
      // As when the executor threw: the promise rejects instead of request() throwing.
      pending.reject(err as Error);
    }
    return promise;
  }
}

/**
 * The handlers of one promise request as one object (prototype methods), instead of a handlers
 * object and three closures per request.
 */
class PendingRequest<R> implements TraceHandlers {
  resolve!: (value: R) => void;
  reject!: (error: Error) => void;

  constructor(
    private readonly engine: Engine,
    readonly target: string,
    private readonly name: string,
    readonly data: MessageData,
    private readonly timeout: number,
  ) {}

  onReply(res: MessageData, from: string): void {
    const remote = remoteErrorOf(res, from);
    if (remote) this.reject(remote);
    else this.resolve(res.payload as R);
  }

  onTimeout(): void {
    const { engine, target, data } = this;
    this.reject(new TraceTimeoutError(target, this.name, this.timeout));
    safeCall(engine.options.logger, 'onProcessTraceMessageTimeout', () => engine.hooks.onProcessTraceMessageTimeout?.(target, data));
  }

  onFail(error: Error): void {
    this.reject(error);
  }
}

function dataOf(action: string, payload: unknown): MessageData {
  return payload === undefined ? { action } : { action, payload };
}

function checkCallback(method: string, cb: unknown): Error | null {
  return cb === undefined || typeof cb === 'function' ? null : new InvalidArgumentError(method, 'callBack', cb, 'a function');
}

/** Reports an argument error: to the callback when there is one (Corejs style), else thrown. */
function fail(err: Error, cb?: unknown): void {
  if (typeof cb === 'function') queueMicrotask(() => (cb as (e: Error) => void)(err));
  else throw err;
}

/**
 * ClusterCore: the one service through which a process talks to its group. One instance per
 * process; every method exists on the instance (`this.clusterCore.fork(4)`) and statically on the
 * class (`Core.ClusterCore.fork(4)`, the Corejs form), which forwards to the process's instance.
 */
import { ClusterCoreError, InvalidArgumentError } from '../protocol/errors';
import { InternalActions } from '../protocol/macros';
import { MASTER_ID, localize } from '../protocol/process-id';
import { checkTarget } from '../protocol/message-args';
import type { MessageData } from '../protocol/envelope';
import type { Engine, ProcessRole } from '../runtime/engine';
import type { ProcessHooks } from '../runtime/hooks';
import { createEngine, asMaster, asChild, nodeIdOf } from './engine-factory';
import { resolveOptions, type ClusterCoreOptions } from './options';
import type { ActionName, ActionToken, PayloadArgs, PayloadArgsWith } from './action';
import { Messenger, type MessengerOptions, type ScopeOptions } from './messenger';
import { Messaging, type RequestOptions, type TraceOptionsArg } from './messaging';
import { GlobalClient, type GlobalClientOptions } from './global-client';
import { GlobalObjectApi } from './global-object-api';
import { checkReloadOptions, requestReload, type ReloadCallOptions } from './reload';
import { Operating } from './operating';
import type { GroupStatus } from '../protocol/process-status';
import type { GetGlobalObjectMethod, QueryGlobalObjectMethod, RemoveGlobalObjectMethod, SetGlobalObjectMethod, UpdateGlobalObjectMethod } from './global-object-types';

/** The process's gateway to the group: messages, requests, process management. */
export class ClusterCore {
  private static current: ClusterCore | null = null;

  // Static forms of the instance methods (Corejs: `Core.ClusterCore.fork(4)`); see STATIC_FORWARDS.
  /** Static form of {@link ClusterCore#fork}. */
  declare static fork: ClusterCore['fork'];
  /** Static form of {@link ClusterCore#shutdown}. */
  declare static shutdown: ClusterCore['shutdown'];
  /** Static form of {@link ClusterCore#getAllProcessIds}. */
  declare static getAllProcessIds: ClusterCore['getAllProcessIds'];
  /** Static form of {@link ClusterCore#sendData}. */
  declare static sendData: ClusterCore['sendData'];
  /** Static form of {@link ClusterCore#sendDataWithTraceCallBack}. */
  declare static sendDataWithTraceCallBack: ClusterCore['sendDataWithTraceCallBack'];
  /** Static form of {@link ClusterCore#send}. */
  declare static send: ClusterCore['send'];
  /** Static form of {@link ClusterCore#request}. */
  declare static request: ClusterCore['request'];
  /** Static form of {@link ClusterCore#needsDrain}. */
  declare static needsDrain: ClusterCore['needsDrain'];
  /** Static form of {@link ClusterCore#drain}. */
  declare static drain: ClusterCore['drain'];
  /** Static form of {@link ClusterCore#broadcast}. */
  declare static broadcast: ClusterCore['broadcast'];
  /** Static form of {@link ClusterCore#consume}. */
  declare static consume: ClusterCore['consume'];
  /** Static form of {@link ClusterCore#map}. */
  declare static map: ClusterCore['map'];
  /** Static form of {@link ClusterCore#sendRandom}. */
  declare static sendRandom: ClusterCore['sendRandom'];
  /** Static form of {@link ClusterCore#status}. */
  declare static status: ClusterCore['status'];
  /** Static form of {@link ClusterCore#getGlobalObject}. */
  declare static getGlobalObject: ClusterCore['getGlobalObject'];
  /** Static form of {@link ClusterCore#setGlobalObject}. */
  declare static setGlobalObject: ClusterCore['setGlobalObject'];
  /** Static form of {@link ClusterCore#removeGlobalObject}. */
  declare static removeGlobalObject: ClusterCore['removeGlobalObject'];
  /** Static form of {@link ClusterCore#queryGlobalObject}. */
  declare static queryGlobalObject: ClusterCore['queryGlobalObject'];
  /** Static form of {@link ClusterCore#updateGlobalObject}. */
  declare static updateGlobalObject: ClusterCore['updateGlobalObject'];
  /** Static form of {@link ClusterCore#reload} (Corejs: `ClusterCore.reload([cb])`). */
  declare static reload: ClusterCore['reload'];

  private started = false;
  /** broadcast / consume / map / sendRandom (core/messenger.ts); made with the engine so workers can run jobs at once. */
  private readonly messenger: Messenger;
  /** send / request and the Corejs callback forms (core/messaging.ts). */
  private readonly messaging: Messaging;
  /** The global object's client (core/global-client.ts); in the master it also makes the store. */
  private readonly globalClient: GlobalClient;
  private readonly globalApi: GlobalObjectApi;
  /** Counters, status table, control socket, metrics (core/operating.ts); made by create(). */
  private operating: Operating | null = null;

  /** @internal Made by ClusterCore.init() or bootstrap(); one per process. */
  constructor(
    /** @internal */ readonly engine: Engine,
    globalOptions: GlobalClientOptions = {},
  ) {
    this.messenger = new Messenger(engine);
    this.messaging = new Messaging(engine);
    this.globalClient = new GlobalClient(engine, globalOptions);
    this.globalApi = new GlobalObjectApi(this.globalClient);
  }

  /** This process's id: 'M', 'W:<n>' or 'A'. */
  get processId(): string {
    return this.engine.processId;
  }

  /** This node's name in cluster mode (option `cluster`), else null; learned in the handshake in a child (R-NODE-2). */
  get nodeId(): string | null {
    return nodeIdOf(this.engine);
  }

  /** This process's role. */
  get role(): ProcessRole {
    return this.engine.role;
  }

  /** The master's process.argv. */
  get launchParams(): string[] {
    return this.engine.launchParams;
  }

  // ───────────────────────── process lifecycle (static, Corejs) ─────────────────────────

  /** The ClusterCore of this process; throws when none was made yet. */
  static instance(method = 'ClusterCore'): ClusterCore {
    if (!ClusterCore.current) {
      throw new ClusterCoreError(`${method}: ClusterCore is not initialised in this process; call ClusterCore.init(AppMain) (or bootstrap(AppModule)) first`);
    }
    return ClusterCore.current;
  }

  /** @internal Makes this process's ClusterCore over `hostFactory` (used by init() and bootstrap()). */
  static create(hostFactory: (core: ClusterCore) => ProcessHooks, options: ClusterCoreOptions = {}, method = 'ClusterCore.init'): ClusterCore {
    if (ClusterCore.current) throw new ClusterCoreError(`${method}: ClusterCore is already initialised in ${ClusterCore.current.processId}; init it once per process`);
    const resolved = resolveOptions(method, options);
    const core = new ClusterCore(createEngine(resolved), { sandboxTimeout: resolved.sandboxTimeout });
    core.operating = new Operating(core.engine, resolved);
    core.engine.hooks = hostFactory(core);
    ClusterCore.current = core;
    return core;
  }

  /** Corejs: creates the AppMain instance of this process. `AppMain` must be a class extending Core.AppMain. */
  static init(AppMain: new () => ProcessHooks & { clusterCore?: ClusterCore }, options?: ClusterCoreOptions): ClusterCore {
    if (typeof AppMain !== 'function' || !AppMain.prototype) {
      throw new InvalidArgumentError('ClusterCore.init', 'AppMain', AppMain, 'a class extending Core.AppMain');
    }
    return ClusterCore.create((core) => {
      const app = new AppMain();
      // R-PROC-5: clusterCore is there before any hook runs.
      app.clusterCore = core;
      return app;
    }, options);
  }

  /**
   * Corejs: starts this process (master: at once; children: handshake first), then onProcessDidInit.
   * A failed start is logged and exits the process with code 1 (Corejs apps don't await start()).
   */
  static start(): Promise<void> {
    const core = ClusterCore.instance('ClusterCore.start');
    return core.start().catch((err: unknown) => {
      // A child whose onProcessDidInit failed already logged it and exits once the master knows.
      if (asChild(core.engine)?.startFailed) return;
      core.engine.options.logger.error('start failed:', err);
      process.exit(1);
    });
  }

  /** @internal Starts the engine and runs onProcessDidInit; resolves when it finished. */
  async start(): Promise<void> {
    if (this.started) throw new ClusterCoreError(`ClusterCore.start: already started in ${this.processId}`);
    this.started = true;
    const engine = this.engine;
    const master = asMaster(engine);
    if (master) {
      // Cluster mode: join before anything starts, so a refused node name fails the start.
      await master.remote?.start();
      master.installSignalHandlers();
      master.start();
      this.operating?.start();
      return;
    }
    const child = asChild(engine)!;
    const activated = this.role === 'alone' ? waitForActivation(engine) : null;
    // Before the handshake: the master may ask for this process's counters while it starts.
    this.operating?.start();
    await child.start();
    if (activated && child.initialInfo.aloneStandby === true) {
      // R-NODE-6: another node's alone process is the active one. Ready (the group starts), but
      // onProcessDidInit runs only when this node takes the lease over.
      engine.send(MASTER_ID, { action: InternalActions.PROCESS_READY });
      engine.options.logger.info('standing by: the alone process of another node is the active one');
      await activated;
      engine.options.logger.info('taking over as the active alone process of the cluster');
    }
    try {
      const r = engine.hooks.onProcessDidInit?.(child.processId, child.launchParams);
      // Messages that arrived during the handshake go in now, after onProcessDidInit's synchronous part
      // (not after its promise: two workers awaiting requests to each other in init would dead-lock).
      engine.releaseUserMessages();
      await r;
    } catch (err) {
      // Issue 14: a failed onProcessDidInit is a failed start: never ready, never given work.
      child.failStart(err);
      throw new ClusterCoreError(`${child.processId}: onProcessDidInit failed (${(err as Error)?.message ?? String(err)}); this process exits with code 1`, { cause: err });
    }
    child.reportReady();
  }

  /** Forks `workerNum` workers with new ids (master only). Returns the new ids. */
  fork(workerNum = 1): string[] {
    const master = this.masterOnly('fork');
    if (!Number.isInteger(workerNum) || workerNum < 1) {
      throw new InvalidArgumentError('fork', 'workerNum', workerNum, 'an integer >= 1');
    }
    return master.fork(workerNum);
  }

  /**
   * R-SUP-6: rolling reload of the group from any process: every worker is replaced (new one
   * first; ids kept), and the alone process too with `{ alone: true }` (stop, then start).
   * Resolves when every worker is new; rejects with ReloadError when a replacement cannot start
   * (the rollout stops, the others keep serving). Corejs form: `reload([options,] callBack)`.
   */
  reload(options?: ReloadCallOptions): Promise<void>;
  /** Corejs form: `callBack(err)` once the reload ended. */
  reload(callBack: (error: Error | null) => void): undefined;
  /** Corejs form with options. */
  reload(options: ReloadCallOptions | undefined, callBack: (error: Error | null) => void): undefined;
  reload(optionsOrCb?: ReloadCallOptions | ((error: Error | null) => void), callBack?: (error: Error | null) => void): Promise<void> | undefined {
    const cb = typeof optionsOrCb === 'function' ? optionsOrCb : callBack;
    const checked = checkReloadOptions('reload', typeof optionsOrCb === 'function' ? undefined : optionsOrCb);
    if (callBack !== undefined && typeof callBack !== 'function') {
      throw new InvalidArgumentError('reload', 'callBack', callBack, 'a function');
    }
    const promise = checked instanceof Error ? Promise.reject(checked) : requestReload(this.engine, checked);
    if (!cb) return promise;
    promise.then(() => cb(null), (err: Error) => cb(err));
    return undefined;
  }

  /** Stops the whole group: onProcessWillExit everywhere, then exit with `exitCode` (master only). */
  shutdown(exitCode = 0): Promise<never> {
    const master = this.masterOnly('shutdown');
    if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
      throw new InvalidArgumentError('shutdown', 'exitCode', exitCode, 'an integer from 0 to 255');
    }
    return master.shutdown(exitCode);
  }

  private masterOnly(method: string) {
    const master = asMaster(this.engine);
    if (!master) throw new ClusterCoreError(`${method}: only the master process can ${method}; this is ${this.processId}`);
    return master;
  }

  // ───────────────────────── operating (R-OBS) ─────────────────────────

  /**
   * R-OBS-1: the group's table, one row per live process ('M' first, workers by offset, then 'A'):
   * state, pid, restarts, last exit, and each process's counters (messages, bytes, requests by
   * outcome, latency p50/p99, CPU, memory, event-loop delay). Works from any process.
   */
  status(): Promise<GroupStatus>;
  /** Callback form: `callBack(err, status)`. */
  status(callBack: (error: Error | null, status?: GroupStatus) => void): undefined;
  status(callBack?: (error: Error | null, status?: GroupStatus) => void): Promise<GroupStatus> | undefined {
    if (callBack !== undefined && typeof callBack !== 'function') throw new InvalidArgumentError('status', 'callBack', callBack, 'a function');
    const promise = this.operating
      ? this.operating.status()
      : Promise.reject(new ClusterCoreError(`status: ${this.processId} was not made by ClusterCore.init() or bootstrap()`));
    if (!callBack) return promise;
    promise.then((s) => callBack(null, s), (err: Error) => callBack(err));
    return undefined;
  }

  // ───────────────────────── Corejs callback API ─────────────────────────

  /** Every live process id, 'M' first, then workers by offset, then 'A'. */
  getAllProcessIds(): Promise<string[]>;
  /** Corejs form: `callBack(err, processIds)`. */
  getAllProcessIds(callBack: (error: Error | null, processIds?: string[]) => void): undefined;
  /** Promise when no callback is given, else undefined. */
  getAllProcessIds(callBack?: (error: Error | null, processIds?: string[]) => void): Promise<string[]> | undefined;
  getAllProcessIds(callBack?: (error: Error | null, processIds?: string[]) => void): Promise<string[]> | undefined {
    const promise = this.messaging.allProcessIds();
    if (typeof callBack !== 'function') return promise;
    promise.then((ids) => callBack(null, ids), (err: Error) => callBack(err));
    return undefined;
  }

  /** One-way message (R-IPC-1..3): `callBack(null)` once it reached the target, else the reason. */
  sendData(processId: string, data: MessageData, callBack?: (error: Error | null) => void): void {
    this.messaging.sendData(processId, data, callBack);
  }

  /**
   * TraceIPC (R-TRACE-1): `options` is `{ timeout = 10000, traceCallBack }` or the traceCallBack.
   * `callBack(null)` once the request reached the target; an unknown target, or one that exits before
   * answering, is reported to `callBack` when it was not called yet, else to onProcessTraceMessageTimeout.
   */
  sendDataWithTraceCallBack(processId: string, data: MessageData, options: TraceOptionsArg, callBack?: (error: Error | null) => void): void {
    this.messaging.sendDataWithTraceCallBack(processId, data, options, callBack);
  }

  // ───────────────────────── promise API ─────────────────────────

  /** One-way message with a typed action (defineAction): the compiler checks the payload. */
  send<P, R>(to: string, action: ActionToken<P, R>, ...payload: PayloadArgs<NoInfer<P>>): Promise<void>;
  /** One-way message; resolves once it reached the target process (relayed: confirmed by the master). */
  send(to: string, action: string, payload?: unknown): Promise<void>;
  send(to: string, action: ActionName, payload?: unknown): Promise<void> {
    return this.messaging.send(to, action, payload);
  }

  /**
   * Request / response (R-TRACE-6): resolves with the reply's payload; rejects with TraceTimeoutError,
   * RemoteError (the handler threw or none exists there), or TargetUnavailableError at once when the
   * target is unknown or exits before answering.
   */
  request<P, R>(to: string, action: ActionToken<P, R>, ...args: PayloadArgsWith<NoInfer<P>, RequestOptions>): Promise<R>;
  /** Request / response with a plain action name; `R` is the caller's claim about the reply's payload. */
  request<R = unknown>(to: string, action: string, payload?: unknown, options?: RequestOptions): Promise<R>;
  request<R = unknown>(to: string, action: ActionName, payload?: unknown, options?: RequestOptions): Promise<R> {
    return this.messaging.request<R>(to, action, payload, options);
  }

  // ───────────────────────── messenger (R-MSG) ─────────────────────────

  /** Every worker's handler runs once (the sender's too, when it is a worker), typed action. */
  broadcast<P, R>(action: ActionToken<P, R>, ...args: PayloadArgsWith<NoInfer<P>, ScopeOptions>): Promise<string[]>;
  /**
   * R-MSG-1: every ready worker's handler runs once, the sender's too when it is a worker; resolves
   * with the ids of the workers the master wrote it to, in worker order.
   */
  broadcast(action: string, payload?: unknown, options?: ScopeOptions): Promise<string[]>;
  broadcast(action: ActionName, payload?: unknown, options?: ScopeOptions): Promise<string[]> {
    return this.messenger.broadcast(action, payload, options);
  }

  /** Exactly one worker runs the job, typed action. */
  consume<P, R>(action: ActionToken<P, R>, ...args: PayloadArgsWith<NoInfer<P>, MessengerOptions>): Promise<string>;
  /**
   * R-MSG-2: exactly one worker runs it, round robin over the ready workers; resolves with that
   * worker's id once it took the job. A worker that exits before taking it rejects the call
   * (TargetUnavailableError); the job is never sent to a second worker.
   */
  consume(action: string, payload?: unknown, options?: MessengerOptions): Promise<string>;
  consume(action: ActionName, payload?: unknown, options?: MessengerOptions): Promise<string> {
    return this.messenger.consume(action, payload, options);
  }

  /** Every worker answers, typed action: resolves with `Result[]`. */
  map<P, R>(action: ActionToken<P, R>, ...args: PayloadArgsWith<NoInfer<P>, MessengerOptions>): Promise<R[]>;
  /**
   * R-MSG-3: every ready worker's handler answers; resolves with the answers in worker order
   * (W:1, W:2, …), or rejects with MapError naming each worker that failed or timed out.
   */
  map<R = unknown>(action: string, payload?: unknown, options?: MessengerOptions): Promise<R[]>;
  map(action: ActionName, payload?: unknown, options?: MessengerOptions): Promise<unknown[]> {
    return this.messenger.map(action, payload, options);
  }

  /** One random worker gets the message, typed action. */
  sendRandom<P, R>(action: ActionToken<P, R>, ...args: PayloadArgsWith<NoInfer<P>, ScopeOptions>): Promise<string>;
  /** R-MSG-4: one ready worker, picked at random by the master, gets the message; resolves with its id. */
  sendRandom(action: string, payload?: unknown, options?: ScopeOptions): Promise<string>;
  sendRandom(action: ActionName, payload?: unknown, options?: ScopeOptions): Promise<string> {
    return this.messenger.sendRandom(action, payload, options);
  }

  // ───────────────────────── global object (R-GLOBAL) ─────────────────────────

  /** R-GLOBAL-6: promise form of the global object (`core.global.as<Shape>()` for a typed view). */
  get global(): GlobalObjectApi {
    return this.globalApi;
  }

  /** Corejs getGlobalObject([keyPath][, ...sliceRange], callBack) (R-GLOBAL-1). */
  readonly getGlobalObject: GetGlobalObjectMethod = (...args: unknown[]) => this.globalClient.getGlobalObject(args);
  /** Corejs setGlobalObject(keyPath[, ...value][, callBack]), callBack(err, { globalObject, commandResult }) (R-GLOBAL-2). */
  readonly setGlobalObject: SetGlobalObjectMethod = (...args: unknown[]) => this.globalClient.setGlobalObject(args);
  /** Corejs removeGlobalObject(keyPath[, callBack]), callBack(err, globalObject) (R-GLOBAL-3). */
  readonly removeGlobalObject: RemoveGlobalObjectMethod = (...args: unknown[]) => this.globalClient.removeGlobalObject(args);
  /** Corejs queryGlobalObject([context,] [queryFn,] callBack) (R-GLOBAL-4). */
  readonly queryGlobalObject: QueryGlobalObjectMethod = (...args: unknown[]) => this.globalClient.queryGlobalObject(args);
  /** Corejs updateGlobalObject([context,] updateFn[, callBack]), callBack(err, globalObject) (R-GLOBAL-4). */
  readonly updateGlobalObject: UpdateGlobalObjectMethod = (...args: unknown[]) => this.globalClient.updateGlobalObject(args);

  // ───────────────────────── back-pressure ─────────────────────────

  /**
   * True while the IPC channel towards `to` (in a child: towards the master) holds writes back
   * because too much is in flight; a sender in a loop should then `await core.drain(to)`.
   */
  needsDrain(toArg: string = MASTER_ID): boolean {
    const to = typeof toArg === 'string' ? localize(toArg, this.nodeId) : toArg;
    const bad = checkTarget('needsDrain', to, this.processId);
    if (bad) throw bad;
    return this.engine.needsDrain(to);
  }

  /** Resolves once the IPC channel towards `to` accepts writes again (at once when it does). */
  drain(toArg: string = MASTER_ID): Promise<void> {
    const to = typeof toArg === 'string' ? localize(toArg, this.nodeId) : toArg;
    const bad = checkTarget('drain', to, this.processId);
    if (bad) return Promise.reject(bad);
    return this.engine.drain(to);
  }
}

/** Resolves when the master activates this standby alone process (it took the cluster's alone lease). */
function waitForActivation(engine: Engine): Promise<void> {
  return new Promise((resolve) => engine.handleInternal(InternalActions.ALONE_ACTIVATE, () => resolve()));
}

/** Instance methods that are also static (each needs its `declare static` line in the class). */
const STATIC_FORWARDS = ['fork', 'shutdown', 'reload', 'status', 'getAllProcessIds', 'sendData', 'sendDataWithTraceCallBack', 'send', 'request', 'needsDrain', 'drain', 'broadcast', 'consume', 'map', 'sendRandom',
  'getGlobalObject', 'setGlobalObject', 'removeGlobalObject', 'queryGlobalObject', 'updateGlobalObject'] as const;

for (const name of STATIC_FORWARDS) {
  Object.defineProperty(ClusterCore, name, {
    value(...args: unknown[]) {
      const core = ClusterCore.instance(`ClusterCore.${name}`);
      return (core[name] as (...a: unknown[]) => unknown).apply(core, args);
    },
    writable: true,
    configurable: true,
  });
}

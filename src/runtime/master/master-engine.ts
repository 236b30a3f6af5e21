/**
 * The master's engine: owns the process table, forks children (cluster for workers,
 * child_process for the alone), relays child-to-child traffic, answers internal requests
 * about the group, and shuts the group down in stages.
 */
import cluster from 'node:cluster';
import { fork as forkChild, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Worker as ClusterWorker } from 'node:cluster';
import { createEnvelope, type Envelope } from '../../protocol/envelope';
import { ClusterCoreError, TargetUnavailableError } from '../../protocol/errors';
import { Macros, InternalActions } from '../../protocol/macros';
import { ALONE_ID, MASTER_ID, workerId } from '../../protocol/process-id';
import { IpcChannel } from '../../transport/ipc-channel';
import type { Channel } from '../../transport/channel';
import { Engine, type EngineOptions } from '../engine';
import { callWithin, safeCall } from '../safe-call';
import type { ExitDetail } from '../hooks';
import { ProcessTable, type ChildEntry } from './process-table';
import { ENV_PROCESS_ID, ENV_ROLE } from '../process-role';
import { MessengerHub } from './messenger-hub';
import { GlobalObjectServer } from '../global-object/global-object-server';
import { MemoryGlobalObjectStore, type GlobalObjectStore } from '../global-object/global-object-store';

/**
 * The master-only services, reached through `MasterEngine.services`: a child never loads this
 * module (core/engine-factory requires it in the master only), so it never loads them either.
 */
export const MASTER_SERVICES = { MessengerHub, GlobalObjectServer, MemoryGlobalObjectStore } as const;

/** What the master consults for ids of other nodes (runtime/cluster/cluster-gateway.ts in cluster mode). */
export interface RemoteRoutes {
  /** This node's name. */
  readonly nodeId: string;
  /** Connects and joins the cluster; rejects (with the reason) when this node cannot join. */
  start(): Promise<void>;
  /** The channel towards an id of another node; undefined for any other id. */
  channelTo(id: string): Channel | undefined;
  /** Where 'A' goes while this node's alone process stands by (aloneScope 'cluster'); undefined otherwise. */
  aloneChannel(): Channel | undefined;
  /** Every live process id of the cluster, qualified. */
  allProcessIds(): string[];
  /** Leaves the cluster (at shutdown). */
  stop(): Promise<void>;
  /** The cluster's global object (in Redis), with query/update functions limited to `sandboxTimeout` ms. */
  globalStore(sandboxTimeout: number | undefined): GlobalObjectStore;
  /** The live other nodes and their ready workers (local ids), by name. */
  peers(): { node: string; workers: readonly string[] }[];
}

/** Events the master engine emits for the layers above (bootstrap, supervision). */
export interface MasterEvents {
  /** A child finished onProcessDidInit. */
  ready: [processId: string];
  /** A child exited. */
  exit: [processId: string, detail: ExitDetail, kind: 'worker' | 'alone'];
}

/** Engine of the master process. */
export class MasterEngine extends Engine {
  /** Live children. */
  readonly table = new ProcessTable();
  /** 'ready' and 'exit' of children. */
  readonly events = new EventEmitter<MasterEvents>();
  /** Extra fields every child receives in its handshake reply (e.g. bootstrap options). */
  initialInfo: Record<string, unknown> = {};
  /** Extra environment variables of every child this engine starts (bootstrap option `env`). */
  childEnv: Record<string, string> = {};
  /** Master-only services (messenger hub, global-object server and store), loaded with this module. */
  readonly services = MASTER_SERVICES;
  /** Routes to the other nodes of the cluster; null without the `cluster` option. */
  remote: RemoteRoutes | null = null;
  private lastOffset = 0;
  private stopping: Promise<never> | null = null;

  constructor(options: EngineOptions) {
    super(MASTER_ID, 'master', options);
    this.launchParams = process.argv.slice();
    this.handleInternal(Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_INITIAL_INFO, (env) => {
      this.replyInternal(env, {
        action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_INITIAL_INFO,
        payload: { ...this.initialInfo, processId: env.meta.fromProcessId, launchParams: this.launchParams },
      });
    });
    this.handleInternal(Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_ALL_PROCESS_IDS, (env) => {
      this.replyInternal(env, { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_ALL_PROCESS_IDS, payload: this.allProcessIds() });
    });
    this.handleInternal(InternalActions.PROCESS_READY, (env) => {
      const entry = this.table.get(env.meta.fromProcessId);
      if (entry && !entry.ready) {
        entry.ready = true;
        this.events.emit('ready', entry.id);
      }
    });
  }

  /** True once shutdown() began. */
  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Every live process id: of this group, or of the whole cluster (qualified) in cluster mode. */
  allProcessIds(): string[] {
    return this.remote ? this.remote.allProcessIds() : this.table.allIds();
  }

  // One lookup for a local id; an id of another node misses the table and goes to its node's channel.
  protected channelTo(to: string): Channel | undefined {
    if (to === ALONE_ID && this.remote) {
      const redirect = this.remote.aloneChannel();
      if (redirect) return redirect;
    }
    return this.table.get(to)?.channel ?? this.remote?.channelTo(to);
  }

  /** Relays a child's message to another child and tells the sender how it went (R-IPC-1). */
  protected override forward(env: Envelope): void {
    this.stats.relayed++;
    const { toProcessId, fromProcessId, transitTraceId, traceId, isRes } = env.meta;
    const channel = this.channelTo(toProcessId);
    if (channel && channel.connected) {
      // Through a gateway the transit result comes from the other node's master, once delivered there.
      if (transitTraceId === null || channel.gateway) channel.write(env);
      else channel.write(env, (err) => this.post(this.transitResult(fromProcessId, transitTraceId, err && (err instanceof TargetUnavailableError ? err : new TargetUnavailableError(toProcessId, `could not be written to: ${err.message}`)))));
      return;
    }
    const error = new TargetUnavailableError(toProcessId, 'is not a live process of this group');
    // A request gets the failure under its own trace id, so the requester fails it at once.
    const answerId = transitTraceId ?? (traceId !== null && !isRes ? traceId : null);
    if (answerId !== null) this.post(this.transitResult(fromProcessId, answerId, error));
    else this.options.logger.warn(`dropped '${env.data.action}' from ${fromProcessId}: ${error.message}`);
  }

  /** SIGINT / SIGTERM stop the group gracefully; a second signal exits at once. */
  installSignalHandlers(): void {
    let firstAt = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      // A signal sent to the whole process group can arrive twice at once; only a later one forces.
      if (this.stopping && Date.now() - firstAt > 500) {
        this.options.logger.warn(`${signal} again: exiting now`);
        process.exit(130);
      }
      if (this.stopping) return;
      firstAt = Date.now();
      this.options.logger.info(`${signal} received: shutting the group down`);
      void this.shutdown(0);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  /** Starts the master: calls onProcessDidInit('M', argv). */
  start(): void {
    safeCall(this.options.logger, 'onProcessDidInit', () => this.hooks.onProcessDidInit?.(MASTER_ID, this.launchParams));
  }

  /** Forks `n` workers with new ids; returns their ids. */
  fork(n: number): string[] {
    if (this.stopping) throw new ClusterCoreError('fork: the group is shutting down; no new worker is started');
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = workerId(++this.lastOffset);
      this.spawnWorker(id);
      ids.push(id);
    }
    return ids;
  }

  /** Starts a worker with a given (exited) id: reboot(). */
  spawnWorker(id: string): void {
    const worker: ClusterWorker = cluster.fork({ ...this.childEnv, [ENV_PROCESS_ID]: id, [ENV_ROLE]: 'worker' });
    this.adopt(id, 'worker', worker, worker.process.pid, (signal) => worker.process.kill(signal));
  }

  /** Starts the alone process ('A') with the same entry and exec arguments. */
  spawnAlone(): void {
    if (this.table.get(ALONE_ID)) return;
    const child: ChildProcess = forkChild(process.argv[1], process.argv.slice(2), {
      execArgv: process.execArgv,
      env: { ...process.env, ...this.childEnv, [ENV_PROCESS_ID]: ALONE_ID, [ENV_ROLE]: 'alone' },
    });
    this.adopt(ALONE_ID, 'alone', child, child.pid, (signal) => child.kill(signal));
  }

  private adopt(
    id: string,
    kind: 'worker' | 'alone',
    proc: EventEmitter & { send?: unknown; connected?: boolean },
    pid: number | undefined,
    kill: (signal?: NodeJS.Signals) => void,
  ): void {
    let markExited!: () => void;
    const exited = new Promise<void>((resolve) => { markExited = resolve; });
    const entry: ChildEntry = { id, kind, pid, ready: false, exited, kill, channel: new IpcChannel(id, proc as never, { highWaterMark: this.options.highWaterMark }) };
    this.table.set(entry);
    proc.on('message', (frame: unknown) => this.receive(frame, id));
    proc.on('error', (err: Error) => this.options.logger.warn(`${id}: ${err.message}`));
    proc.once('exit', (code: number | null, signal: string | null) => {
      markExited();
      this.onChildExit(entry, { code, signal });
    });
  }

  private onChildExit(entry: ChildEntry, detail: ExitDetail): void {
    const { id } = entry;
    if (this.table.get(id) === entry) this.table.delete(id);
    this.failTracesTo(id, `exited (code ${detail.code}, signal ${detail.signal}) before answering`);
    for (const other of this.table.values()) {
      other.channel.write(createEnvelope(MASTER_ID, other.id, { action: InternalActions.PROCESS_DID_EXIT, payload: { processId: id } }));
    }
    this.events.emit('exit', id, detail, entry.kind);
    if (entry.kind !== 'worker') return;
    let rebooted = false;
    const reboot = (): void => {
      if (rebooted) return this.options.logger.warn(`reboot() of ${id} called again; ignored`);
      if (this.stopping) return this.options.logger.warn(`reboot() of ${id} ignored: the group is shutting down`);
      if (this.table.get(id)) return this.options.logger.warn(`reboot() of ${id} ignored: ${id} is alive`);
      rebooted = true;
      this.spawnWorker(id);
    };
    safeCall(this.options.logger, 'onWorkerProcessDidExit', () => this.hooks.onWorkerProcessDidExit?.(id, detail, reboot));
  }

  /**
   * Staged shutdown: every child runs onProcessWillExit and exits, the master runs its own; children
   * still alive after shutdownTimeout are killed; then the master exits with `exitCode`.
   */
  shutdown(exitCode = 0): Promise<never> {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      const children = [...this.table.values()];
      for (const c of children) c.channel.write(createEnvelope(MASTER_ID, c.id, { action: InternalActions.SHUTDOWN }));
      const { shutdownTimeout, logger } = this.options;
      await Promise.all([
        callWithin(logger, 'onProcessWillExit', shutdownTimeout, () => this.hooks.onProcessWillExit?.()),
        waitAll(children.map((c) => c.exited), shutdownTimeout + 500),
      ]);
      for (const c of children) if (this.table.get(c.id) === c) {
        logger.warn(`${c.id} did not exit in time; killing it`);
        c.kill('SIGKILL');
      }
      await waitAll(children.map((c) => c.exited), 1000);
      if (this.remote) await this.remote.stop().catch((err: Error) => logger.warn(`leaving the cluster failed: ${err.message}`));
      process.exit(exitCode);
    })();
    return this.stopping;
  }
}

/** Resolves when every promise settled or after `ms`, whichever is first. */
function waitAll(promises: Promise<void>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.all(promises).then(() => undefined),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); }),
  ]).finally(() => clearTimeout(timer));
}

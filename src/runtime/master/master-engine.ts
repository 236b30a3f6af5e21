/**
 * The master's engine: owns the process table, forks children (cluster for workers,
 * child_process for the alone), relays child-to-child traffic, answers internal requests
 * about the group, replaces children (reload, health) and shuts the group down in stages.
 */
import cluster from 'node:cluster';
import { fork as forkChild, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Worker as ClusterWorker } from 'node:cluster';
import { createEnvelope, type Envelope } from '../../protocol/envelope';
import { ClusterCoreError, TargetUnavailableError, type WireError } from '../../protocol/errors';
import { Macros, InternalActions } from '../../protocol/macros';
import { relayRefusal } from '../../protocol/entitlement';
import { findJsonUnsafe } from '../../protocol/json-safe';
import { ALONE_ID, MASTER_ID, NODE_SEPARATOR, workerId } from '../../protocol/process-id';
import { IpcChannel } from '../../transport/ipc-channel';
import type { IpcBytes } from '../../transport/ipc-totals';
import type { Channel } from '../../transport/channel';
import { Engine, type EngineOptions, type HealthOptions } from '../engine';
import { safeCall } from '../safe-call';
import type { ExitDetail, ExitReason } from '../hooks';
import { ProcessTable, pidHexOf, type ChildEntry } from './process-table';
import { ENV_PROCESS_ID, ENV_ROLE, ENV_WATCHDOG, watchdogEnv } from '../process-role';
import { MessengerHub } from './messenger-hub';
import { GlobalObjectServer } from '../global-object/global-object-server';
import { MemoryGlobalObjectStore, type GlobalObjectStore } from '../global-object/global-object-store';
import { Reloader, type ReloadOptions } from './reload';
import { Health } from './health';
import { watchPaths } from './watch';
import { installMasterSignals } from './signals';
import { stagedShutdown } from './shutdown';
import { takeStallReport } from '../stall-report';

/**
 * The master-only services, reached through `MasterEngine.services`: a child never loads this
 * module (core/engine-factory requires it in the master only), so it never loads them either.
 */
export const MASTER_SERVICES = { MessengerHub, GlobalObjectServer, MemoryGlobalObjectStore } as const;

/** Defaults of the health settings when the engine is made without them (tests). */
const DEFAULT_HEALTH: HealthOptions = { reloadConcurrency: 1, heartbeatInterval: 1000, heartbeatTimeout: 10_000, maxMemory: null, watch: null };

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

/** Events the master engine emits for the layers above (bootstrap, supervision, reload). */
export interface MasterEvents {
  /** The live child of an id finished onProcessDidInit (or a ready replacement became the live one). */
  ready: [processId: string];
  /** A child exited (live or not: `detail.reason` says why; `entry` says which process). */
  exit: [processId: string, detail: ExitDetail, kind: 'worker' | 'alone', entry: ChildEntry];
  /** Any child process (a replacement too) reported ready. */
  'process-ready': [entry: ChildEntry];
  /** A child's onProcessDidInit threw or rejected; it exits. */
  'start-failed': [entry: ChildEntry, message: string];
  /** The heartbeat tick (health checks ran); the supervisor's self-check hooks in here. */
  tick: [];
}

/** Engine of the master process. */
export class MasterEngine extends Engine {
  /** Live children (and, during a reload, the replacements and retiring ones). */
  readonly table = new ProcessTable();
  /** 'ready' and 'exit' of children. */
  readonly events = new EventEmitter<MasterEvents>();
  /** Extra fields every child receives in its handshake reply (e.g. bootstrap options). */
  initialInfo: Record<string, unknown> = {};
  /** Extra environment variables of every child this engine starts (bootstrap option `env`). */
  childEnv: Record<string, string> = {};
  /** Master-only services (messenger hub, global-object server and store), loaded with this module. */
  readonly services = MASTER_SERVICES;
  /** Reload and health settings. */
  readonly health: HealthOptions;
  private readonly reloader: Reloader;
  private readonly checks: Health;
  private watcher: { close(): void } | null = null;
  /** Routes to the other nodes of the cluster; null without the `cluster` option. */
  remote: RemoteRoutes | null = null;
  private lastOffset = 0;
  private stopping: Promise<never> | null = null;
  /** The child whose frame is being routed (internal handlers need the process, not just its id). */
  private arriving: ChildEntry | null = null;

  constructor(options: EngineOptions) {
    super(MASTER_ID, 'master', options);
    this.health = options.health ?? DEFAULT_HEALTH;
    this.launchParams = process.argv.slice();
    this.reloader = new Reloader(this);
    this.checks = new Health(this);
    this.handleInternal(Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_INITIAL_INFO, (env) => {
      this.replyInternal(env, {
        action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_INITIAL_INFO,
        payload: { ...this.initialInfo, processId: env.meta.fromProcessId, launchParams: this.launchParams },
      });
    });
    this.handleInternal(Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_ALL_PROCESS_IDS, (env) => {
      this.replyInternal(env, { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_ALL_PROCESS_IDS, payload: this.allProcessIds() });
    });
    this.handleInternal(InternalActions.PROCESS_READY, () => {
      const entry = this.arriving;
      if (!entry || entry.ready) return;
      entry.ready = true;
      this.events.emit('process-ready', entry);
      if (entry.state === 'live') this.events.emit('ready', entry.id);
    });
    this.handleInternal(InternalActions.START_FAILED, (env) => {
      const entry = this.arriving;
      if (!entry) return;
      const error = (env.data.payload as { error?: WireError } | undefined)?.error;
      entry.startError = typeof error?.message === 'string' ? error.message : 'onProcessDidInit failed';
      this.events.emit('start-failed', entry, entry.startError);
    });
  }

  /** The child whose frame is being routed now (for internal handlers: the process, not just its id). */
  get arrivingFrom(): ChildEntry | null {
    return this.arriving;
  }

  /** True once shutdown() began. */
  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Every live process id: of this group, or of the whole cluster (qualified) in cluster mode. */
  allProcessIds(): string[] {
    return this.remote ? this.remote.allProcessIds() : this.table.allIds();
  }

  // One lookup for a local id (a reply to a retiring process's request goes to that process); an id
  // of another node misses the table and goes to its node's channel.
  protected channelTo(to: string, env?: Envelope): Channel | undefined {
    if (to === ALONE_ID && this.remote) {
      const redirect = this.remote.aloneChannel();
      if (redirect) return redirect;
    }
    return this.table.target(to, env)?.channel ?? this.remote?.channelTo(to);
  }

  /** Bytes of every pipe to a child: the live ones plus those of children that left. */
  ipcBytes(): IpcBytes | null {
    const total = { ...this.ipc.retired };
    for (const c of this.table.values()) {
      const b = (c.channel as IpcChannel).bytes?.();
      if (b === null) return null;
      if (b) {
        total.read += b.read;
        total.written += b.written;
      }
    }
    return total;
  }

  /**
   * Relays a child's message to another child and tells the sender how it went (R-IPC-1). Only
   * user messages and REMOTE_ERROR answers cross (protocol/entitlement.ts), within the limits of R-IPC-2:
   * the target would drop anything else anyway, and data too deep for JSON.stringify would fail
   * the whole frame it is coalesced into, other senders' envelopes with it.
   */
  protected override forward(env: Envelope): void {
    const { toProcessId, fromProcessId, transitTraceId, traceId, isRes } = env.meta;
    const refusal = relayRefusal(env.meta, env.data.action);
    if (refusal !== null) return this.dropMalformed(env, fromProcessId, refusal);
    // What another node's master relays (sender 'b/W:1') was checked there, then went through
    // JSON.stringify and JSON.parse: it cannot hold what R-IPC-2 refuses, so it is not walked again.
    const problem = fromProcessId.includes(NODE_SEPARATOR) ? null : findJsonUnsafe(env.data, 'data');
    if (problem !== null) return this.dropMalformed(env, fromProcessId, problem);
    const channel = this.channelTo(toProcessId, env);
    if (channel && channel.connected) {
      this.stats.relayed++;
      // Through a gateway the transit result comes from the other node's master, once delivered there.
      if (transitTraceId === null || channel.gateway) channel.write(env);
      else channel.write(env, (err) => this.post(this.transitResult(fromProcessId, transitTraceId, err && (err instanceof TargetUnavailableError ? err : new TargetUnavailableError(toProcessId, `could not be written to: ${err.message}`)))));
      return;
    }
    const error = new TargetUnavailableError(toProcessId, 'is not a live process of this group');
    // A request gets the failure under its own trace id, so the requester fails it at once.
    const answerId = transitTraceId ?? (traceId !== null && !isRes ? traceId : null);
    if (answerId !== null) {
      this.stats.discarded++;
      this.post(this.transitResult(fromProcessId, answerId, error));
    } else {
      this.noteDiscarded(env, fromProcessId, error.message);
    }
  }

  /** SIGINT / SIGTERM stop the group gracefully; a second signal exits at once. SIGUSR2 reloads (R-SUP-6). */
  installSignalHandlers(): void {
    installMasterSignals(this);
  }

  /** Starts the master: health checks, the watch, then onProcessDidInit('M', argv). */
  start(): void {
    this.checks.start();
    if (this.health.watch) this.watcher = watchPaths(this.health.watch, this.options.logger, () => {
      this.reload().catch((err: Error) => this.options.logger.error(`reload (watch) failed: ${err.message}`));
    });
    safeCall(this.options.logger, 'onProcessDidInit', () => this.hooks.onProcessDidInit?.(MASTER_ID, this.launchParams));
  }

  /**
   * Rolling reload (R-SUP-6): every worker (and the alone process with `alone: true`, stop-then-start)
   * is replaced, `reloadConcurrency` at a time, new one first; resolves when every worker is new,
   * rejects with ReloadError when a replacement cannot start. `onReplaced` is told of each
   * replacement. A call while one runs queues at most one more; each caller settles with the
   * reload that covered its call. (The control socket of the operating tools calls this.)
   */
  reload(options: ReloadOptions = {}): Promise<void> {
    return this.reloader.reload(options);
  }

  /** Replaces one live child gracefully (new one first; the alone process stop-then-start), e.g. above maxMemory. */
  replace(id: string, reason: ExitReason): Promise<void> {
    return this.reloader.replaceOne(id, reason);
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

  /** Ids of every worker forked so far (W:1 … W:n), live or not. */
  forkedWorkerIds(): string[] {
    const ids: string[] = [];
    for (let i = 1; i <= this.lastOffset; i++) ids.push(workerId(i));
    return ids;
  }

  /** Starts a worker with a given id: reboot(); with `replacement`, a process that takes the id over only once promoted. */
  spawnWorker(id: string, replacement = false): ChildEntry {
    const worker: ClusterWorker = cluster.fork(this.envOf(id, 'worker'));
    return this.adopt(id, 'worker', worker, worker.process.pid, (signal) => worker.process.kill(signal), replacement);
  }

  /** Starts the alone process ('A') with the same entry and exec arguments. */
  spawnAlone(): ChildEntry | undefined {
    if (this.table.get(ALONE_ID)) return undefined;
    const child: ChildProcess = forkChild(process.argv[1], process.argv.slice(2), {
      execArgv: process.execArgv,
      env: { ...process.env, ...this.envOf(ALONE_ID, 'alone') },
    });
    return this.adopt(ALONE_ID, 'alone', child, child.pid, (signal) => child.kill(signal), false);
  }

  private envOf(id: string, role: 'worker' | 'alone'): Record<string, string> {
    const { heartbeatInterval, heartbeatTimeout } = this.health;
    return { ...this.childEnv, [ENV_PROCESS_ID]: id, [ENV_ROLE]: role, [ENV_WATCHDOG]: watchdogEnv(process.pid, heartbeatInterval, heartbeatTimeout) };
  }

  /** A ready replacement becomes the live process of its id; returns the process it replaced (now retiring). */
  promote(entry: ChildEntry): ChildEntry | undefined {
    const old = this.table.get(entry.id);
    this.table.set(entry);
    if (old && old !== entry) {
      old.state = 'retiring';
      this.table.addOther(old);
    }
    if (entry.ready) this.events.emit('ready', entry.id);
    return old === entry ? undefined : old;
  }

  /**
   * Retires a process gracefully: it runs onProcessWillExit, its servers stop accepting and finish
   * what is in flight, it exits; killed if still there after shutdownTimeout + 1 s. Resolves on its exit.
   */
  retire(entry: ChildEntry, reason: ExitReason): Promise<void> {
    entry.exitReason ??= reason;
    if (entry.gone) return entry.exited;
    entry.channel.write(createEnvelope(MASTER_ID, entry.id, { action: InternalActions.RETIRE }));
    const timer = setTimeout(() => {
      if (entry.gone) return;
      this.options.logger.warn(`${entry.id} (pid ${entry.pid}) did not retire within ${this.options.shutdownTimeout + 1000} ms; killing it`);
      entry.kill('SIGKILL');
    }, this.options.shutdownTimeout + 1000);
    return entry.exited.finally(() => clearTimeout(timer));
  }

  /** Kills a process at once (SIGKILL) for `reason`; resolves on its exit. */
  end(entry: ChildEntry, reason: ExitReason): Promise<void> {
    entry.exitReason ??= reason;
    if (!entry.gone) entry.kill('SIGKILL');
    return entry.exited;
  }

  private adopt(
    id: string,
    kind: 'worker' | 'alone',
    proc: EventEmitter & { send?: unknown; connected?: boolean },
    pid: number | undefined,
    kill: (signal?: NodeJS.Signals) => void,
    replacement: boolean,
  ): ChildEntry {
    let markExited!: () => void;
    const exited = new Promise<void>((resolve) => { markExited = resolve; });
    const now = Date.now();
    const channel = new IpcChannel(id, proc as never, { highWaterMark: this.options.highWaterMark, totals: this.ipc });
    const entry: ChildEntry = {
      id, kind, pid, pidHex: pidHexOf(pid), ready: false, exited, kill, channel,
      state: replacement ? 'starting' : 'live', startedAt: now, lastBeat: now, rss: 0, gone: false,
    };
    if (replacement) this.table.addOther(entry);
    else this.table.set(entry);
    proc.on('message', (frame: unknown) => {
      this.arriving = entry;
      try { this.receive(frame, id); } finally { this.arriving = null; }
    });
    proc.on('error', (err: Error) => this.options.logger.warn(`${id}: ${err.message}`));
    proc.once('exit', (code: number | null, signal: string | null) => {
      entry.gone = true;
      markExited();
      this.onChildExit(entry, code, signal);
    });
    return entry;
  }

  private onChildExit(entry: ChildEntry, code: number | null, signal: string | null): void {
    const { id } = entry;
    const reason: ExitReason = entry.exitReason ?? (this.stopping ? 'shutdown' : 'crash');
    const detail: ExitDetail = { code, signal, reason };
    const stall = takeStallReport(entry.pid);
    if (reason === 'unresponsive') detail.stack = entry.stack ?? stall ?? [];
    // Writes held for it fail now instead of waiting (R-SUP-8).
    entry.channel.close?.(`process ${id} (pid ${entry.pid}) exited`);
    if (this.table.get(id) === entry) {
      this.table.delete(id);
      this.failTracesTo(id, `exited (code ${code}, signal ${signal}) before answering`);
      for (const other of this.table.all()) {
        other.channel.write(createEnvelope(MASTER_ID, other.id, { action: InternalActions.PROCESS_DID_EXIT, payload: { processId: id } }));
      }
    } else {
      // A replacement that did not start, or a retired process: the id lives on in another process.
      this.table.removeOther(entry);
    }
    this.events.emit('exit', id, detail, entry.kind, entry);
    if (entry.kind !== 'worker') return;
    let rebooted = false;
    const reboot = (): void => {
      if (rebooted) return this.options.logger.warn(`reboot() of ${id} called again; ignored`);
      // R-SUP-8: reboot() of an id that is live (a reloaded or restarted worker) does nothing.
      if (this.table.get(id)) return;
      if (this.stopping) return this.options.logger.warn(`reboot() of ${id} ignored: the group is shutting down`);
      rebooted = true;
      this.spawnWorker(id);
    };
    safeCall(this.options.logger, 'onWorkerProcessDidExit', () => this.hooks.onWorkerProcessDidExit?.(id, detail, reboot));
  }

  /**
   * Staged shutdown (shutdown.ts): every child runs onProcessWillExit and exits, the master runs its
   * own; children still alive after `shutdownTimeout` (default: the option) are killed; then the
   * master exits with `exitCode`.
   */
  shutdown(exitCode = 0, shutdownTimeout = this.options.shutdownTimeout): Promise<never> {
    if (this.stopping) return this.stopping;
    this.checks.stop();
    this.watcher?.close();
    this.stopping = stagedShutdown(this, exitCode, shutdownTimeout);
    return this.stopping;
  }
}

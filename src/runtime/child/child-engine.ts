/**
 * Engine of a worker or of the alone process. Everything goes to the master, which relays.
 * Start (R-PROC-4): listen, ask the master for the initial info with an internal TraceIPC,
 * then onProcessDidInit(processId, launchParams), then report ready.
 */
import cluster from 'node:cluster';
import { ClusterCoreError, toWireError } from '../../protocol/errors';
import { Macros, InternalActions } from '../../protocol/macros';
import { MASTER_ID, isLocalProcessId } from '../../protocol/process-id';
import { createEnvelope } from '../../protocol/envelope';
import { IpcChannel } from '../../transport/ipc-channel';
import type { IpcBytes } from '../../transport/ipc-totals';
import type { Channel } from '../../transport/channel';
import { Engine, type EngineOptions, type ProcessRole } from '../engine';
import { callWithin } from '../safe-call';
import { ENV_PROCESS_ID, ENV_ROLE, ENV_WATCHDOG, parseWatchdogEnv } from '../process-role';
import { Watchdog } from './watchdog';

/** Longest wait for the START_FAILED message to be written before a failed child exits, ms. */
const START_FAILED_FLUSH_MS = 1000;

/** Engine of a child process (worker or alone). */
export class ChildEngine extends Engine {
  private readonly master: IpcChannel;
  /** Everything the master sent in the handshake reply. */
  initialInfo: Record<string, unknown> = {};
  private exiting = false;
  private readonly watchdog: Watchdog | null = null;
  /** True once onProcessDidInit failed: the process is exiting. */
  startFailed = false;

  constructor(role: Exclude<ProcessRole, 'master'>, options: EngineOptions) {
    const id = process.env[ENV_PROCESS_ID];
    super(isLocalProcessId(id) ? id : '?', role, options);
    // Read once and removed, so that a process this child starts does not inherit our role.
    const watchdog = parseWatchdogEnv(process.env[ENV_WATCHDOG]);
    delete process.env[ENV_PROCESS_ID];
    delete process.env[ENV_ROLE];
    delete process.env[ENV_WATCHDOG];
    // Started first, so that even a start-up stuck in a loop does not outlive the master.
    if (watchdog) {
      try {
        this.watchdog = new Watchdog(watchdog, this.processId, options.logger);
      } catch (err) {
        options.logger.warn(`${this.processId}: the watchdog thread did not start (no stuck-loop report, no orphan guard): ${(err as Error).message}`);
      }
    }
    this.master = new IpcChannel(MASTER_ID, process, { highWaterMark: options.highWaterMark, totals: this.ipc });
    // A peer may message us as soon as we are forked; user code must not see it before onProcessDidInit.
    this.holdUserMessages();
    this.handleInternal(InternalActions.SHUTDOWN, () => void this.exit(0));
    // The exited process is named in the payload: the only handler that reads an id there, and it
    // runs only for the master (Engine.route refuses internal actions from anyone else).
    this.handleInternal(InternalActions.PROCESS_DID_EXIT, (env) => {
      const id = (env.data.payload as { processId?: unknown } | undefined)?.processId;
      if (typeof id === 'string') this.failTracesTo(id, 'exited before answering');
    });
    this.handleInternal(InternalActions.HEARTBEAT, () => {
      this.watchdog?.alive();
      this.master.write(createEnvelope(this.processId, MASTER_ID, { action: InternalActions.HEARTBEAT_ACK, payload: { rss: process.memoryUsage.rss() } }));
    });
    this.handleInternal(InternalActions.RETIRE, () => void this.retire());
  }

  protected channelTo(): Channel {
    return this.master;
  }

  /** Bytes of the one pipe to the master. */
  ipcBytes(): IpcBytes | null {
    return this.master.bytes();
  }

  /** Listens, does the handshake, then resolves with the initial info. */
  async start(): Promise<void> {
    process.on('message', (frame: unknown) => this.receive(frame, MASTER_ID));
    // The master is gone (even killed with SIGKILL): no orphans.
    process.once('disconnect', () => void this.exit(0, 200));
    // Ctrl-C reaches the whole process group; the master orchestrates the shutdown.
    process.on('SIGINT', () => {});
    // SIGUSR2 reloads the group when sent to the master; sent to the whole process group, it must not kill us.
    process.on('SIGUSR2', () => {});
    process.on('SIGTERM', () => void this.exit(0));
    const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
      this.trace(MASTER_ID, { action: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_INITIAL_INFO }, this.options.startupTimeout, {
        onReply: (data) => resolve((data.payload ?? {}) as Record<string, unknown>),
        onTimeout: () => reject(new ClusterCoreError(`${this.processId}: the master did not answer the start handshake within ${this.options.startupTimeout} ms`)),
        onFail: reject,
      });
    });
    this.initialInfo = info;
    if (typeof info.processId === 'string') this.processId = info.processId;
    if (Array.isArray(info.launchParams)) this.launchParams = info.launchParams as string[];
  }

  /** Tells the master this process finished its own start-up. */
  reportReady(): void {
    this.releaseUserMessages();
    this.master.write(createEnvelope(this.processId, MASTER_ID, { action: InternalActions.PROCESS_READY }));
  }

  /**
   * onProcessDidInit threw or rejected: this process failed to start (issue 14). The master is told
   * why (a reload reports it in its ReloadError), then the process exits with code 1 and is
   * restarted with back-off; it never reported ready, so it never got work.
   */
  failStart(error: unknown): void {
    if (this.startFailed) return;
    this.startFailed = true;
    this.exiting = true;
    this.options.logger.error(`${this.processId} failed to start: onProcessDidInit failed:`, error, '- exiting with code 1');
    const leave = () => process.exit(1);
    setTimeout(leave, START_FAILED_FLUSH_MS).unref();
    this.master.write(createEnvelope(this.processId, MASTER_ID, { action: InternalActions.START_FAILED, payload: { error: toWireError(error) } }), leave);
  }

  /**
   * Replaced by a reload (or above maxMemory): runs onProcessWillExit, waits until the requests it
   * received are answered (both bounded by shutdownTimeout), then a cluster worker disconnects —
   * its servers stop accepting and finish what is in flight, the master hands new connections to
   * the other workers — and the process exits. The master kills it if it takes too long.
   */
  async retire(): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    const started = Date.now();
    const { shutdownTimeout, logger } = this.options;
    await callWithin(logger, 'onProcessWillExit', shutdownTimeout, () => this.hooks.onProcessWillExit?.());
    // Requests it received before the switch are answered before the IPC channel closes.
    await this.inboundAnswered(shutdownTimeout - (Date.now() - started));
    if (cluster.isWorker && cluster.worker && process.connected) {
      process.once('disconnect', () => process.exit(0));
      cluster.worker.disconnect();
    } else {
      process.exit(0);
    }
  }

  /** Runs onProcessWillExit (bounded) and exits. */
  async exit(code: number, graceMs = this.options.shutdownTimeout): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    await callWithin(this.options.logger, 'onProcessWillExit', graceMs, () => this.hooks.onProcessWillExit?.());
    process.exit(code);
  }
}

/**
 * Engine of a worker or of the alone process. Everything goes to the master, which relays.
 * Start (R-PROC-4): listen, ask the master for the initial info with an internal TraceIPC,
 * then onProcessDidInit(processId, launchParams), then report ready.
 */
import { ClusterCoreError } from '../../protocol/errors';
import { Macros, InternalActions } from '../../protocol/macros';
import { MASTER_ID, isLocalProcessId } from '../../protocol/process-id';
import { createEnvelope } from '../../protocol/envelope';
import { IpcChannel } from '../../transport/ipc-channel';
import type { Channel } from '../../transport/channel';
import { Engine, type EngineOptions, type ProcessRole } from '../engine';
import { callWithin } from '../safe-call';
import { ENV_PROCESS_ID, ENV_ROLE } from '../process-role';

/** Engine of a child process (worker or alone). */
export class ChildEngine extends Engine {
  private readonly master: IpcChannel;
  /** Everything the master sent in the handshake reply. */
  initialInfo: Record<string, unknown> = {};
  private exiting = false;

  constructor(role: Exclude<ProcessRole, 'master'>, options: EngineOptions) {
    const id = process.env[ENV_PROCESS_ID];
    super(isLocalProcessId(id) ? id : '?', role, options);
    // Read once and removed, so that a process this child starts does not inherit our role.
    delete process.env[ENV_PROCESS_ID];
    delete process.env[ENV_ROLE];
    this.master = new IpcChannel(MASTER_ID, process, { highWaterMark: options.highWaterMark });
    // A peer may message us as soon as we are forked; user code must not see it before onProcessDidInit.
    this.holdUserMessages();
    this.handleInternal(InternalActions.SHUTDOWN, () => void this.exit(0));
  }

  protected channelTo(): Channel {
    return this.master;
  }

  /** Listens, does the handshake, then resolves with the initial info. */
  async start(): Promise<void> {
    process.on('message', (frame: unknown) => this.receive(frame, MASTER_ID));
    // The master is gone (even killed with SIGKILL): no orphans.
    process.once('disconnect', () => void this.exit(0, 200));
    // Ctrl-C reaches the whole process group; the master orchestrates the shutdown.
    process.on('SIGINT', () => {});
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

  /** Runs onProcessWillExit (bounded) and exits. */
  async exit(code: number, graceMs = this.options.shutdownTimeout): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    await callWithin(this.options.logger, 'onProcessWillExit', graceMs, () => this.hooks.onProcessWillExit?.());
    process.exit(code);
  }
}

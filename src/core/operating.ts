/**
 * Operating a group (R-OBS), per process: every process samples its own counters and answers the
 * master's status requests; the master builds the table, serves the control socket and, with the
 * `metrics` option, Prometheus text and the status page. The master's modules for this are
 * required on first use, in the master only (children never load them), and prom-client only
 * when `metrics` is set.
 */
import { ClusterCoreError, TraceTimeoutError } from '../protocol/errors';
import { InternalActions } from '../protocol/macros';
import { MASTER_ID } from '../protocol/process-id';
import { appNameOf, socketPath } from '../protocol/control-path';
import type { GroupStatus, ProcessStatus } from '../protocol/process-status';
import type { Engine } from '../runtime/engine';
import type { MasterEngine } from '../runtime/master/master-engine';
import { ProcessSampler, STATS_TIMEOUT_MS } from '../runtime/stats/process-sampler';
import { answerStatsRequests } from '../runtime/stats/stats-responder';
import { remoteErrorOf } from '../runtime/remote-error-reply';
import type { GroupController } from '../runtime/master/group-controller';
import type { GroupStatusService } from '../runtime/master/group-status';
import type { ControlServer } from '../runtime/master/control-server';
import type { MetricsServer } from '../runtime/master/metrics-server';
import { asMaster } from './engine-factory';
import type { ResolvedOptions } from './options';

/** Operating of one process. */
export class Operating {
  private sampler: ProcessSampler | null = null;
  private service: GroupStatusService | null = null;
  /** The control socket (master, once listening). */
  control: ControlServer | null = null;
  /** The metrics / status-page server (master with `metrics`, once listening). */
  metrics: MetricsServer | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly options: ResolvedOptions,
  ) {}

  /** Name of the group (control socket, status page, `app` of the table). */
  get app(): string {
    return appNameOf(this.options.title, process.argv[1]);
  }

  /** Starts sampling; a child answers status requests, the master builds the table and starts its servers. */
  start(): void {
    const sampler = (this.sampler = new ProcessSampler(this.engine));
    const master = asMaster(this.engine);
    if (!master) {
      answerStatsRequests(this.engine, sampler);
      return;
    }
    const { GroupStatusService } = require('../runtime/master/group-status') as typeof import('../runtime/master/group-status');
    this.service = new GroupStatusService(master, sampler, this.app);
    void this.startServers(master);
  }

  /** The group's table, from any process. */
  status(): Promise<GroupStatus> {
    if (this.service) return this.service.status();
    if (!this.sampler) return Promise.reject(new ClusterCoreError(`status: ${this.engine.processId} has not started yet; call it after start (bootstrap resolved)`));
    if (this.engine.role === 'master') return Promise.reject(new ClusterCoreError('status: the master has not started yet'));
    const timeout = STATS_TIMEOUT_MS + 3000;
    return new Promise((resolve, reject) => {
      this.engine.trace(MASTER_ID, { action: InternalActions.GROUP_STATUS }, timeout, {
        onReply: (data, from) => {
          const remote = remoteErrorOf(data, from);
          if (remote) reject(remote);
          else resolve(data.payload as GroupStatus);
        },
        onTimeout: () => reject(new TraceTimeoutError(MASTER_ID, 'status', timeout)),
        onFail: reject,
      }, false);
    });
  }

  /** The controller the control socket drives. */
  private controller(master: MasterEngine, service: GroupStatusService): GroupController {
    return {
      status: () => service.status(),
      stats: (id) => service.stats(id),
      reload: (onReplaced) => master.reload({ onReplaced: (id, oldPid, newPid) => onReplaced(id, oldPid ?? null, newPid ?? null) }),
      stop: (timeoutMs) => void master.shutdown(0, timeoutMs),
    };
  }

  private async startServers(master: MasterEngine): Promise<void> {
    const { logger } = this.engine.options;
    const controller = this.controller(master, this.service!);
    const { ControlServer } = require('../runtime/master/control-server') as typeof import('../runtime/master/control-server');
    const control = new ControlServer(socketPath(this.app), controller, logger);
    try {
      await control.start();
      this.control = control;
    } catch (err) {
      // The group runs on without it: operating is no reason to refuse to serve.
      logger.error(`no control socket for this group: ${(err as Error).message}`);
    }
    const metrics = this.options.metrics;
    if (!metrics) return;
    const { MetricsServer } = require('../runtime/master/metrics-server') as typeof import('../runtime/master/metrics-server');
    const server = new MetricsServer(controller, this.app, logger);
    try {
      await server.listen(metrics.port, metrics.host);
      this.metrics = server;
      logger.info(`metrics and status page on http://${server.address}/`);
    } catch (err) {
      logger.error(`metrics: cannot listen on ${metrics.host}:${metrics.port}: ${(err as Error).message}`);
    }
  }

  /** One process's row of the table (master only; elsewhere it goes through status()). */
  stats(id: string): Promise<ProcessStatus> {
    if (!this.service) return Promise.reject(new ClusterCoreError('stats: only the master keeps the process table'));
    return this.service.stats(id);
  }
}

/**
 * Prometheus text for the group (R-OBS-1, `metrics` option), through prom-client (required here, so
 * only when the option is set). Every value comes from one status table: the group's counters and
 * each process's default process metrics (same names as prom-client's collectDefaultMetrics), one
 * series per process labelled `process_id` and `role`; the children do not run prom-client, their
 * values come over the status requests.
 */
import type * as PromClient from 'prom-client';
import type { GroupStatus, ProcessSnapshot, ProcessStatus } from '../../protocol/process-status';

/** Labels of every per-process series. */
const LABELS = ['process_id', 'role'] as const;

type Row = ProcessStatus & { counters: ProcessSnapshot };
type Read = (row: Row) => number | null;

/** Counters: [name, help, value]. */
const COUNTERS: [string, string, Read][] = [
  ['clustercore_messages_received_total', 'Envelopes received over IPC (internal ones included).', (r) => r.counters.messages.in],
  ['clustercore_messages_sent_total', 'Envelopes written to IPC (internal ones included).', (r) => r.counters.messages.out],
  ['clustercore_ipc_bytes_read_total', 'Bytes read from the IPC pipes.', (r) => r.counters.bytes?.in ?? null],
  ['clustercore_ipc_bytes_written_total', 'Bytes written to the IPC pipes.', (r) => r.counters.bytes?.out ?? null],
  ['clustercore_requests_started_total', 'TraceIPC requests this process made.', (r) => r.counters.requests.started],
  ['clustercore_requests_answered_total', 'Requests of this process answered with a reply.', (r) => r.counters.requests.answered],
  ['clustercore_requests_failed_total', 'Requests of this process answered with a RemoteError, or whose target was unknown or exited.', (r) => r.counters.requests.failed],
  ['clustercore_requests_timed_out_total', 'Requests of this process that got no reply in time.', (r) => r.counters.requests.timedOut],
  ['clustercore_requests_served_total', 'Requests that arrived at this process to be answered.', (r) => r.counters.requests.served],
  ['clustercore_restarts_total', 'Processes that held this id before the current one.', (r) => r.restarts],
  ['process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', (r) => r.counters.cpuSeconds.user],
  ['process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', (r) => r.counters.cpuSeconds.system],
  ['process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', (r) => r.counters.cpuSeconds.user + r.counters.cpuSeconds.system],
];

/** Gauges: [name, help, value]. */
const GAUGES: [string, string, Read][] = [
  ['clustercore_process_ready', '1 when the process is ready, else 0.', (r) => (r.state === 'ready' ? 1 : 0)],
  ['clustercore_requests_per_second', 'Requests made and served per second over the last few seconds.', (r) => r.counters.requests.perSecond],
  ['clustercore_last_exit_timestamp_seconds', 'When the previous process with this id exited.', (r) => (r.lastExit ? r.lastExit.at / 1000 : null)],
  ['process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', (r) => Math.round(r.counters.startedAt / 1000)],
  ['process_resident_memory_bytes', 'Resident memory size in bytes.', (r) => r.counters.memory.rss],
  ['process_open_fds', 'Number of open file descriptors.', (r) => r.counters.openFds],
  ['nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', (r) => r.counters.memory.heapTotal],
  ['nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', (r) => r.counters.memory.heapUsed],
  ['nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', (r) => r.counters.memory.external],
  ['nodejs_eventloop_lag_p50_seconds', 'The 50th percentile of the recorded event loop delays (last second).', (r) => r.counters.eventLoopDelay.p50 / 1000],
  ['nodejs_eventloop_lag_p99_seconds', 'The 99th percentile of the recorded event loop delays (last second).', (r) => r.counters.eventLoopDelay.p99 / 1000],
  ['nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay (last second).', (r) => r.counters.eventLoopDelay.max / 1000],
  ['nodejs_active_resources_total', 'Number of active resources keeping the event loop alive.', (r) => r.counters.activeResources],
];

/** The registry of one group, filled from the table given to `render()`. */
export class PrometheusMetrics {
  private readonly registry: PromClient.Registry;
  private table: GroupStatus | null = null;

  constructor(app: string) {
    const prom = require('prom-client') as typeof PromClient;
    this.registry = new prom.Registry();
    this.registry.setDefaultLabels({ app });
    const rows = () => (this.table?.processes ?? []).filter((p): p is Row => p.counters !== null);
    const labels = (r: Row) => ({ process_id: r.id, role: r.role });
    for (const [name, help, read] of COUNTERS) {
      new prom.Counter({
        name, help, labelNames: LABELS, registers: [this.registry],
        collect() {
          this.reset();
          for (const r of rows()) {
            const v = read(r);
            if (v !== null && v >= 0) this.inc(labels(r), v);
          }
        },
      });
    }
    for (const [name, help, read] of GAUGES) {
      new prom.Gauge({
        name, help, labelNames: LABELS, registers: [this.registry],
        collect() {
          this.reset();
          for (const r of rows()) {
            const v = read(r);
            if (v !== null) this.set(labels(r), v);
          }
        },
      });
    }
    this.registry.registerMetric(latencyHistogram(rows, labels) as unknown as PromClient.Metric);
  }

  /** Content type of the text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Prometheus text of `table`. */
  async render(table: GroupStatus): Promise<string> {
    this.table = table;
    try {
      return await this.registry.metrics();
    } finally {
      this.table = null;
    }
  }
}

/**
 * The request-latency histogram, read from each process's bucket counts: prom-client's Histogram
 * only takes observations, so this is a metric object of the shape its registry formats.
 */
function latencyHistogram(rows: () => Row[], labels: (r: Row) => Record<string, string>) {
  return {
    name: 'clustercore_request_duration_seconds',
    help: 'Time from sending a TraceIPC request to its reply.',
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (const r of rows()) {
        const h = r.counters.histogram;
        const base = labels(r);
        h.le.forEach((le, i) => values.push({ labels: { ...base, le }, value: h.counts[i], metricName: `${this.name}_bucket` }));
        values.push({ labels: { ...base, le: '+Inf' }, value: h.count, metricName: `${this.name}_bucket` });
        values.push({ labels: base, value: h.sum, metricName: `${this.name}_sum` });
        values.push({ labels: base, value: h.count, metricName: `${this.name}_count` });
      }
      return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
    },
  };
}

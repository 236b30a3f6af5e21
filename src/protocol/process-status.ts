/**
 * The shapes of `core.status()` and of the control socket's answers (R-OBS-1, R-OBS-2): one row
 * per process. Pure types, shared by the runtime and by the `clustercore` command line.
 */

/** Role of a process in the group. */
export type StatusRole = 'master' | 'worker' | 'alone';

/** Where a process is in its life, as the master sees it. */
export type ProcessState = 'starting' | 'ready' | 'stopping' | 'unreachable';

/** How the previous process with this id ended (master's record). */
export interface ExitInfo {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** Signal name, or null. */
  signal: string | null;
  /** Why: 'crash', 'shutdown', or what supervision reported ('unresponsive', 'memory', 'reload'). */
  reason: string;
  /** When, epoch ms. */
  at: number;
}

/** Counters and gauges one process reports about itself. */
export interface ProcessSnapshot {
  /** OS pid. */
  pid: number;
  /** Process start, epoch ms. */
  startedAt: number;
  /** Seconds since start. */
  uptime: number;
  /** CPU used over the last second, percent of one core (can exceed 100 with worker threads). */
  cpu: number;
  /** CPU time since start, seconds. */
  cpuSeconds: { user: number; system: number };
  /** process.memoryUsage(), bytes. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number };
  /** Event-loop delay over the last second (perf_hooks.monitorEventLoopDelay), ms. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** Envelopes received and written (internal ones included). */
  messages: { in: number; out: number };
  /** Bytes read from and written to the IPC pipes; null when Node does not expose them. */
  bytes: { in: number; out: number } | null;
  /**
   * TraceIPC requests: the ones this process made, by outcome, and `served` (arrived here to be
   * answered); `perSecond` is (made + served) per second over the last few seconds.
   */
  requests: { started: number; answered: number; failed: number; timedOut: number; served: number; perSecond: number };
  /** Latency of this process's requests over the last ~10 s, ms; null when it made none. */
  latency: { p50: number | null; p99: number | null };
  /** Every latency since start, as a Prometheus histogram (`le` in seconds, cumulative counts). */
  histogram: { le: number[]; counts: number[]; sum: number; count: number };
  /** Active libuv handles and requests (process.getActiveResourcesInfo()). */
  activeResources: number;
  /** Open file descriptors (Linux), else null. */
  openFds: number | null;
}

/** One row of the group's table. */
export interface ProcessStatus {
  /** Process id: 'M', 'W:<n>', 'A'. */
  id: string;
  /** OS pid (null while a child is not forked yet). */
  pid: number | null;
  /** Role. */
  role: StatusRole;
  /** State. */
  state: ProcessState;
  /** Processes that held this id before the current one (restarts, reboots, reloads). */
  restarts: number;
  /** How the previous process with this id ended; null if none did. */
  lastExit: ExitInfo | null;
  /** What the process reported; null when it did not answer in time (see `error`). */
  counters: ProcessSnapshot | null;
  /** Why `counters` is null. */
  error?: string;
}

/** The whole group, as `core.status()` and the control socket's `status` give it. */
export interface GroupStatus {
  /** Name of the app (the `title` option, else the entry script's name). */
  app: string;
  /** Master's pid. */
  pid: number;
  /** When this table was taken, epoch ms. */
  at: number;
  /** One row per process: 'M' first, workers by offset, then 'A'. */
  processes: ProcessStatus[];
}

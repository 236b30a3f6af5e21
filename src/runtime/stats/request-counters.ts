/** Outcomes of the TraceIPC requests a process made, and their latency (R-OBS-1); kept by the trace registry. */
import { LatencyHistogram } from './latency-histogram';

/** Requests made by one process, by outcome; every started request ends in exactly one of the other four. */
export class RequestCounters {
  /** Requests sent. */
  started = 0;
  /** Answered with a reply. */
  answered = 0;
  /** Answered with a RemoteError, or failed because the target was unknown or exited. */
  failed = 0;
  /** Got no reply within their time-out. */
  timedOut = 0;
  /** Time from sending to the reply (answered and remote-error replies). */
  readonly latency = new LatencyHistogram();
}

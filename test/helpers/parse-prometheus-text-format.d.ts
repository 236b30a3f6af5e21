/** Types of the dev dependency parse-prometheus-text-format (it ships none). */
declare module 'parse-prometheus-text-format' {
  /** One sample of a counter, gauge or untyped metric. */
  export interface Sample { value: string; labels?: Record<string, string> }
  /** One series of a histogram. */
  export interface HistogramSample { buckets: Record<string, string>; count: string; sum: string; labels?: Record<string, string> }
  /** One metric family. */
  export interface Family { name: string; help: string; type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'; metrics: (Sample | HistogramSample)[] }
  /** Parses Prometheus text exposition format. */
  function parsePrometheusTextFormat(text: string): Family[];
  export default parsePrometheusTextFormat;
}

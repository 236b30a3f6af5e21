/**
 * The master's HTTP server of the `metrics` option (R-OBS-2: nothing listens on TCP without it):
 *   GET /metrics      Prometheus text (prom-client)
 *   GET /             the status page: one self-contained HTML page, nothing fetched from outside
 *   GET /status.json  the table and the last minutes of history, which the page polls
 * Read-only: any other method is refused. For the page, the table is gathered at most once per
 * COALESCE_MS however many clients ask, and sampled every SAMPLE_MS for the history; a scrape of
 * /metrics always gathers it afresh.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GroupStatus } from '../../protocol/process-status';
import type { Logger } from '../logger';
import type { GroupController } from './group-controller';
import { PrometheusMetrics } from './prometheus-metrics';
import { StatusHistory } from './status-history';
import { STATUS_PAGE_HTML } from './status-page';

/** Time between two history samples, ms. */
export const SAMPLE_MS = 2000;
/** History kept: 5 minutes of samples. */
const HISTORY_POINTS = (5 * 60 * 1000) / SAMPLE_MS;
/** A table younger than this is reused instead of asking every process again, ms. */
const COALESCE_MS = 500;

/** Serves /metrics, the status page and its JSON. */
export class MetricsServer {
  private readonly server: http.Server;
  private readonly prometheus: PrometheusMetrics;
  private readonly history = new StatusHistory(HISTORY_POINTS);
  private sampler: NodeJS.Timeout | null = null;
  private latest: { at: number; table: Promise<GroupStatus> } | null = null;

  constructor(
    private readonly controller: GroupController,
    private readonly app: string,
    private readonly logger: Logger,
  ) {
    this.prometheus = new PrometheusMetrics(app);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.logger.warn(`metrics: ${req.method} ${req.url} failed: ${(err as Error)?.message ?? String(err)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('status not available\n');
      });
    });
  }

  /** host:port it listens on. */
  get address(): string {
    const a = this.server.address() as AddressInfo | null;
    if (!a) return '';
    return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  /** Listens (never keeping the master alive) and starts sampling the history. */
  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.server.unref();
    this.server.on('error', (err) => this.logger.warn(`metrics server: ${err.message}`));
    const sample = () => this.table().then((t) => this.history.add(t), () => undefined);
    void sample();
    this.sampler = setInterval(sample, SAMPLE_MS);
    this.sampler.unref();
  }

  /** Stops listening and sampling. */
  close(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.server.close();
  }

  /** The table, shared by every request within COALESCE_MS (`fresh`: gathered now, for scrapes). */
  private table(fresh = false): Promise<GroupStatus> {
    const now = Date.now();
    if (!fresh && this.latest && now - this.latest.at < COALESCE_MS) return this.latest.table;
    const table = this.controller.status();
    this.latest = { at: now, table };
    table.catch(() => { if (this.latest?.table === table) this.latest = null; });
    return table;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('read-only: only GET\n');
      return;
    }
    const noStore = { 'cache-control': 'no-store' };
    switch (url.pathname) {
      case '/metrics': {
        // A scrape is rare (every 15 s or so) and its counters must never go back: always fresh.
        const text = await this.prometheus.render(await this.table(true));
        res.writeHead(200, { ...noStore, 'content-type': this.prometheus.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
        return;
      }
      case '/status.json': {
        const body = JSON.stringify({ status: await this.table(), history: this.history.toJSON(), sampleMs: SAMPLE_MS });
        res.writeHead(200, { ...noStore, 'content-type': 'application/json; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      case '/':
      case '/index.html':
        res.writeHead(200, {
          ...noStore,
          'content-type': 'text/html; charset=utf-8',
          // The page is self-contained: it may load nothing from anywhere but this server.
          'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
        });
        res.end(req.method === 'HEAD' ? undefined : STATUS_PAGE_HTML.replaceAll('__APP__', escapeHtml(this.app)));
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('not found: try / or /metrics\n');
    }
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

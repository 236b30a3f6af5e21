/**
 * R-OBS-2 / metrics option: the master serves Prometheus text through prom-client; parsed with a
 * Prometheus text-format parser, its values match core.status(). Nothing listens on TCP without
 * the option.
 */
import fs from 'node:fs';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import parsePrometheus, { type Family, type Sample } from 'parse-prometheus-text-format';
import type { GroupStatus } from '../../../src/protocol/process-status';
import { cli, startGroup, uniqueApp } from '../../helpers/operate';

function get(url: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject).end();
  });
}

/** TCP sockets in LISTEN state owned by `pid` (from /proc): "address:port" in hex as the kernel shows it. */
function listeningTcp(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && inodes.has(f[9])) found.push(f[1]);
    }
  }
  return found;
}

const sample = (families: Family[], name: string, id: string): number => {
  const family = families.find((f) => f.name === name);
  const s = family?.metrics.find((m) => m.labels?.process_id === id) as Sample | undefined;
  if (!s) throw new Error(`no ${name}{process_id="${id}"}`);
  return Number(s.value);
};

describe('R-OBS-2: Prometheus metrics', () => {
  it('R-OBS-2: /metrics parses as Prometheus text and matches core.status(), labelled by process id and role', async () => {
    const app = uniqueApp('prom');
    const { c } = await startGroup(app, { METRICS_PORT: '0', REQUESTS: '4' });
    const url = /metrics and status page on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(await c.waitFor('metrics and status page on'))![1];
    // The group is idle now; status gathering is not counted, so both views see the same requests.
    const status = JSON.parse((await cli(['status', app, '--json'])).stdout) as GroupStatus;
    const res = await get(`${url}metrics`);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    const families = parsePrometheus(res.body);
    expect(families.length).toBeGreaterThan(20);
    for (const p of status.processes) {
      const k = p.counters!;
      const family = families.find((f) => f.name === 'clustercore_requests_started_total')!;
      expect(family.type).toBe('COUNTER');
      expect(family.metrics.find((m) => m.labels?.process_id === p.id)?.labels).toEqual({ process_id: p.id, role: p.role, app });
      expect(sample(families, 'clustercore_requests_started_total', p.id)).toBe(k.requests.started);
      expect(sample(families, 'clustercore_requests_answered_total', p.id)).toBe(k.requests.answered);
      expect(sample(families, 'clustercore_requests_failed_total', p.id)).toBe(k.requests.failed);
      expect(sample(families, 'clustercore_requests_served_total', p.id)).toBe(k.requests.served);
      expect(sample(families, 'clustercore_restarts_total', p.id)).toBe(p.restarts);
      expect(sample(families, 'clustercore_process_ready', p.id)).toBe(1);
      expect(sample(families, 'process_start_time_seconds', p.id)).toBe(Math.round(k.startedAt / 1000));
      // Gauges move between two looks: same order of size.
      const rss = sample(families, 'process_resident_memory_bytes', p.id);
      expect(rss).toBeGreaterThan(k.memory.rss / 2);
      expect(rss).toBeLessThan(k.memory.rss * 2);
      expect(sample(families, 'nodejs_heap_size_used_bytes', p.id)).toBeGreaterThan(0);
      expect(sample(families, 'process_cpu_seconds_total', p.id)).toBeGreaterThanOrEqual(k.cpuSeconds.user + k.cpuSeconds.system);
    }
    expect(status.processes.map((p) => p.id)).toEqual(['M', 'W:1', 'W:2', 'A']);
    // The master's 8 PINGs, 1 FAIL and 1 STATUS, as a histogram. (The parser flattens a histogram
    // with labels into one series, so its lines are read here directly.)
    const hist = families.find((f) => f.name === 'clustercore_request_duration_seconds')!;
    expect(hist.type).toBe('HISTOGRAM');
    const line = (suffix: string, extra = '') => {
      const re = new RegExp(`^clustercore_request_duration_seconds_${suffix}\\{process_id="M",role="master",${extra}app="${app}"\\} (\\S+)$`, 'm');
      const m = re.exec(res.body);
      if (!m) throw new Error(`no ${suffix} line for M`);
      return Number(m[1]);
    };
    expect(line('count')).toBe(10);
    expect(line('bucket', 'le="\\+Inf",')).toBe(10);
    expect(line('sum')).toBeGreaterThan(0);
    expect(line('count')).toBe(status.processes[0].counters!.histogram.count);

    const json = await get(`${url}status.json`);
    expect((JSON.parse(json.body) as { status: GroupStatus }).status.processes.map((p) => p.pid)).toEqual(status.processes.map((p) => p.pid));
    expect((await get(`${url}metrics`, 'POST')).status).toBe(405);
    expect((await get(`${url}nothing-here`)).status).toBe(404);

    // With the option: exactly one listening TCP socket in the whole group, the master's.
    expect(listeningTcp(status.pid)).toHaveLength(1);
    for (const p of status.processes.slice(1)) expect(listeningTcp(p.pid!)).toEqual([]);
  });

  it('R-OBS-2: without the metrics option nothing in the group listens on TCP', async () => {
    const app = uniqueApp('notcp');
    const { ready } = await startGroup(app);
    expect(ready.status.processes).toHaveLength(4);
    for (const p of ready.status.processes) expect(listeningTcp(p.pid!), p.id).toEqual([]);
  });
});

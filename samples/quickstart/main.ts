/**
 * clustercore quick start: a whole app in one file.
 *   npm start                       build, then run this demo (Ctrl-C stops the whole group)
 *   PORT=8080 node dist/samples/quickstart/main.js [--no-demo] [--exit-after-demo]
 * - two workers serve HTTP on one shared port; each request bumps a counter in the global object
 *   (kept by the master, updated atomically), so the number is shared by every worker;
 * - the alone process runs a timer job that reports the counter;
 * - the master supervises (a crashed worker is replaced), and, for the demo, calls its own
 *   server a few times once the group is up and prints the answers;
 * - Ctrl-C stops every process gracefully (servers closed in onProcessWillExit).
 */
import 'reflect-metadata';
import http from 'node:http';
import { injectable } from 'tsyringe';
import {
  Alone, ClusterCore, Master, Module, OnMessage, Trace, Worker, bootstrap, defineAction,
  type OnApplicationReady, type OnProcessDidInit, type OnProcessWillExit,
} from 'clustercore';

const PORT = Number(process.env.PORT ?? 3000);
const DEMO = !process.argv.includes('--no-demo');
const EXIT_AFTER_DEMO = process.argv.includes('--exit-after-demo');

/** The shape of the global object, shared by every process. */
interface Shared { hits?: number }

/** A typed action: the compiler checks payload and result at both ends. */
const WhoAreYou = defineAction<void, { processId: string; pid: number }>('WHO');

const say = (core: ClusterCore, text: string) => console.log(`[${core.processId}] ${text}`);

/** Any service can have ClusterCore injected; one instance per process. */
@injectable()
class Greeter {
  constructor(private readonly core: ClusterCore) {}
  greet(n: number, path: string): string {
    return `hello from ${this.core.processId} (pid ${process.pid}): ${path} is request #${n}`;
  }
}

/** Runs in every worker: an HTTP server on the shared port. */
@Worker()
class Web implements OnProcessDidInit, OnProcessWillExit {
  private readonly server: http.Server;

  constructor(private readonly core: ClusterCore, private readonly greeter: Greeter) {
    this.server = http.createServer((req, res) => {
      const path = req.url ?? '/';
      // Runs atomically in the master, in a sandbox: no closures, only (globalObject, context).
      this.core.global.as<Shared>().update((g) => ({ hits: (g.hits ?? 0) + 1 })).then(
        (g) => res.end(`${this.greeter.greet(g.hits ?? 0, path)}\n`),
        (err: Error) => { res.statusCode = 500; res.end(`${err.message}\n`); },
      );
    });
  }

  onProcessDidInit(): Promise<void> {
    // The workers share the port: the master hands them the connections in turn.
    return new Promise((resolve) => this.server.listen(PORT, () => {
      say(this.core, `serving http://127.0.0.1:${PORT}/`);
      resolve();
    }));
  }

  onProcessWillExit(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  @OnMessage(WhoAreYou) @Trace()
  who(): { processId: string; pid: number } {
    return { processId: this.core.processId, pid: process.pid };
  }
}

/** Runs in the master (which also supervises and keeps the global object): the demo. */
@Master()
class Demo implements OnApplicationReady {
  constructor(private readonly core: ClusterCore) {}

  async onApplicationReady(): Promise<void> {
    const ids = await this.core.getAllProcessIds();
    say(this.core, `group is up: ${ids.join(', ')}; try: curl http://127.0.0.1:${PORT}/hello`);
    if (!DEMO) return;
    for (const path of ['/hello', '/world', '/again', '/bye']) {
      say(this.core, `GET ${path} → ${(await get(`http://127.0.0.1:${PORT}${path}`)).trim()}`);
    }
    const workers = await this.core.map(WhoAreYou);
    say(this.core, `workers: ${workers.map((w) => `${w.processId} (pid ${w.pid})`).join(', ')}`);
    if (EXIT_AFTER_DEMO) {
      say(this.core, 'demo done; shutting down');
      await this.core.shutdown(0);
    } else {
      say(this.core, 'demo done; the group keeps serving. Press Ctrl-C to stop.');
    }
  }
}

/** Runs in the alone process: a background timer job. */
@Alone()
class Reporter implements OnProcessDidInit, OnProcessWillExit {
  private timer?: NodeJS.Timeout;
  private runs = 0;

  constructor(private readonly core: ClusterCore) {}

  onProcessDidInit(): void {
    const every = Number(process.env.JOB_INTERVAL_MS ?? 2000);
    say(this.core, `timer job started (every ${every} ms)`);
    this.timer = setInterval(() => {
      this.core.global.get<number | undefined>('hits').then(
        (n = 0) => say(this.core, `timer job run #${++this.runs}: ${n} request(s) served so far`),
        (err: Error) => say(this.core, `timer job failed: ${err.message}`),
      );
    }, every);
  }

  onProcessWillExit(): void {
    clearInterval(this.timer);
  }
}

@Module({ providers: [Greeter, Web, Demo, Reporter] })
class AppModule {}

/** A GET with a fresh connection each time, so the workers take turns. */
function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

bootstrap(AppModule, { workers: 2 }).catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});

/**
 * Messenger sample (decorator API): a master, 3 workers and the alone process talk with typed actions.
 *   npm run build && node dist/samples/messenger/main.js
 * The master, once the group is ready, clears every worker's cache (broadcast), hands out report jobs
 * (consume: one worker each, round robin), collects stats (map), warms one random worker up
 * (sendRandom), asks the alone process to announce a config change to all workers, shows how a map
 * with a slow worker fails, and shuts the group down.
 */
import 'reflect-metadata';
import {
  Alone, ClusterCore, MapError, Master, Module, OnMessage, Trace, Worker, bootstrap, defineAction,
  type MessageContext, type OnApplicationReady,
} from 'clustercore';

/** What each worker answers to STATS. */
interface Stats { worker: string; cacheEntries: number; reportsBuilt: number }

// One place for every action, with its payload and result types: the compiler checks every call.
const ClearCache = defineAction<{ reason: string }, void>('cache:clear');
const BuildReport = defineAction<{ day: string }, void>('report:build');
const GetStats = defineAction<void, Stats>('stats:get');
const SlowStats = defineAction<void, Stats>('stats:slow');
const WarmUp = defineAction<void, void>('warm-up');
const Announce = defineAction<{ key: string; value: string }, string[]>('config:announce');
const ConfigChanged = defineAction<{ key: string; value: string }, void>('config:changed');

const print = (core: ClusterCore, text: string) => console.log(`[${core.processId}] ${text}`);

@Worker()
class WebWorker {
  private cache = new Map<string, string>([['home', '<html>'], ['about', '<html>']]);
  private reportsBuilt = 0;

  constructor(private readonly core: ClusterCore) {}

  @OnMessage(ClearCache)
  clear(p: { reason: string }, ctx: MessageContext): void {
    this.cache.clear();
    print(this.core, `cache cleared (${p.reason}, asked by ${ctx.fromProcessId})`);
  }

  @OnMessage(BuildReport)
  build(p: { day: string }): void {
    this.reportsBuilt++;
    print(this.core, `built the report of ${p.day}`);
  }

  @OnMessage(GetStats) @Trace()
  stats(): Stats {
    return { worker: this.core.processId, cacheEntries: this.cache.size, reportsBuilt: this.reportsBuilt };
  }

  @OnMessage(SlowStats) @Trace()
  async slowStats(): Promise<Stats> {
    // W:2 is busy: it answers after the map's time-out has passed.
    if (this.core.processId === 'W:2') await new Promise((r) => setTimeout(r, 1500));
    return this.stats();
  }

  @OnMessage(WarmUp)
  warmUp(_p: void, ctx: MessageContext): void {
    print(this.core, `warming up (picked by ${ctx.fromProcessId})`);
  }

  @OnMessage(ConfigChanged)
  configChanged(p: { key: string; value: string }, ctx: MessageContext): void {
    print(this.core, `config ${p.key}=${p.value} (from ${ctx.fromProcessId})`);
  }
}

@Alone()
class Background {
  constructor(private readonly core: ClusterCore) {}

  /** The alone process reaches every worker through the master. */
  @OnMessage(Announce) @Trace()
  announce(p: { key: string; value: string }): Promise<string[]> {
    return this.core.broadcast(ConfigChanged, p);
  }
}

@Master()
class Coordinator implements OnApplicationReady {
  constructor(private readonly core: ClusterCore) {}

  async onApplicationReady(): Promise<void> {
    const core = this.core;
    const reached = await core.broadcast(ClearCache, { reason: 'deploy' });
    print(core, `broadcast cache:clear reached ${reached.join(', ')}`);

    for (const day of ['mon', 'tue', 'wed', 'thu']) {
      const by = await core.consume(BuildReport, { day });
      print(core, `consume report:build(${day}) taken by ${by}`);
    }

    const stats = await core.map(GetStats);
    print(core, `map stats:get → ${stats.map((s) => `${s.worker}: ${s.reportsBuilt} report(s), ${s.cacheEntries} cached`).join('; ')}`);

    const picked = await core.sendRandom(WarmUp);
    print(core, `sendRandom warm-up went to ${picked}`);

    const announced = await core.request('A', Announce, { key: 'theme', value: 'dark' });
    print(core, `the alone process announced theme=dark to ${announced.join(', ')}`);

    try {
      await core.map(SlowStats, undefined, { timeout: 500 });
    } catch (err) {
      if (!(err instanceof MapError)) throw err;
      const failed = err.failures.map((f) => `${f.processId} (${f.error.name})`).join(', ');
      print(core, `map stats:slow failed for ${failed}; answered: ${err.results.map((r) => r.processId).join(', ')}`);
    }

    print(core, 'done');
    await core.shutdown(0);
  }
}

@Module({ providers: [Coordinator, WebWorker, Background] })
class AppModule {}

void bootstrap(AppModule, { workers: 3 });

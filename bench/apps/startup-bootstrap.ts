/**
 * Scenario g through the decorator door: bootstrap(AppModule) with `workers` workers and an alone
 * process, timed from this process's start (performance.now()) to the master's onApplicationReady.
 * The raw half is startup.js (cluster.fork to 'online', the alone to its first message).
 * Params: workers.
 */
import 'reflect-metadata';
import { Alone, Master, Module, Worker, bootstrap, type OnApplicationReady } from 'clustercore';
import { die, emitResult, param, readAppArgs } from '../lib/app-kit';

const { params } = readAppArgs();
const workers = param(params, 'workers');

@Master()
class BenchMaster implements OnApplicationReady {
  onApplicationReady(): void {
    emitResult({ ms: performance.now() });
  }
}

@Worker()
class BenchWorker {}

@Alone()
class BenchAlone {}

@Module({ providers: [BenchMaster, BenchWorker, BenchAlone] })
class BenchModule {}

bootstrap(BenchModule, { workers }).catch((err: Error) => die(`bootstrap: ${err.message}`));

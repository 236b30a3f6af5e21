/**
 * Scenarios b, c, d and b-cold through the decorator door (issue 12 item 4): `bootstrap(AppModule)`,
 * `@OnMessage` + `@Trace` handlers answering `core.request`. With `relay: 1` (d) W:2 asks W:1
 * through the master; else (b, c) W:1 asks the master. Same load as the Corejs half
 * (lib/request-load.ts). Mode `decorators` of request-master and request-relay.
 * Params: those of lib/request-load.ts, bytes, relay (0 or 1).
 */
import 'reflect-metadata';
import { ClusterCore, Master, Module, OnMessage, Trace, Worker, bootstrap, type OnApplicationReady } from 'clustercore';
import { die, emitResult, makePayload, readAppArgs } from '../lib/app-kit';
import { driveRequests } from '../lib/request-load';

const { params } = readAppArgs();
const relay = params.relay === 1;
const payload = makePayload(params.bytes);
const asker = relay ? 'W:2' : 'W:1';
const answerer = relay ? 'W:1' : 'M';

@Master()
class BenchMaster implements OnApplicationReady {
  constructor(private readonly core: ClusterCore) {}

  onApplicationReady(): void {
    void this.core.send(asker, 'GO');
  }

  @OnMessage('ECHO') @Trace()
  echo(): number {
    return 1;
  }

  @OnMessage('DONE')
  done(result: Record<string, number>): void {
    emitResult(result);
  }
}

@Worker()
class BenchWorker {
  constructor(private readonly core: ClusterCore) {}

  @OnMessage('ECHO') @Trace()
  echo(): number {
    return 1;
  }

  @OnMessage('GO')
  go(): void {
    const core = this.core;
    void driveRequests(params, (_i, done) => {
      core.request(answerer, 'ECHO', payload).then(() => done(true), () => done(false));
    }).then((result) => core.send('M', 'DONE', result));
  }
}

@Module({ providers: [BenchMaster, BenchWorker] })
class BenchModule {}

bootstrap(BenchModule, { workers: relay ? 2 : 1 }).catch((err: Error) => die(`bootstrap: ${err.message}`));

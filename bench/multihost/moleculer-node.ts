/**
 * Moleculer 0.14 baseline of the multi-host bench: two brokers in two processes over its Redis
 * transporter; `call` for requests, `broadcast` for events (no shared state: no increments).
 *   node moleculer-node.js <client|server> <namespace>
 */
import { ServiceBroker, type Context } from 'moleculer';
import { measure, type Peer } from './workload';

const [role = 'server', namespace = 'bench-mh'] = process.argv.slice(2);
const broker = new ServiceBroker({ nodeID: role, namespace, transporter: 'redis://127.0.0.1:6379', logger: false });

let count = 0;
let waiter: { target: number; resolve: () => void } | null = null;

if (role === 'server') {
  broker.createService({
    name: 'bench',
    actions: {
      ping: (ctx: Context<{ n: number }>) => ctx.params.n,
      reset: () => { count = 0; return true; },
      seen: (ctx: Context<{ target: number }>) => (count >= ctx.params.target ? true : new Promise((resolve) => { waiter = { target: ctx.params.target, resolve: () => resolve(true) }; })),
    },
    events: {
      'bench.evt'() {
        count++;
        if (waiter && count >= waiter.target) {
          waiter.resolve();
          waiter = null;
        }
      },
    },
  });
}

async function main(): Promise<void> {
  await broker.start();
  if (role === 'server') {
    process.stdout.write('READY\n');
    return;
  }
  await broker.waitForServices('bench');
  const peer: Peer = {
    request: (n) => broker.call('bench.ping', { n }),
    broadcast: (n) => Promise.resolve(broker.broadcast('bench.evt', { n })),
    eventsSeen: (target) => broker.call('bench.seen', { target }, { timeout: 300_000 }).then(() => undefined),
    resetEvents: () => broker.call('bench.reset').then(() => undefined),
    increment: null,
  };
  const figures = await measure(peer);
  process.stdout.write(`RESULT ${JSON.stringify(figures)}\n`);
  await broker.stop();
  process.exit(0);
}

void main();

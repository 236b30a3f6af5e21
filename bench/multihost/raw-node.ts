/**
 * Raw ioredis baseline of the multi-host bench: the same hops done by hand between two processes
 * (PUBLISH/SUBSCRIBE round trip; GET/SET under WATCH for increments), no framework.
 *   node raw-node.js <client|server> <namespace>
 */
import { Redis } from 'ioredis';
import { measure, type Peer } from './workload';

const [role = 'server', ns = 'bench-mh'] = process.argv.slice(2);
const url = 'redis://127.0.0.1:6379';
const cmd = new Redis(url);
const sub = new Redis(url);
const toServer = `${ns}:raw:server`;
const toClient = `${ns}:raw:client`;

async function server(): Promise<void> {
  let count = 0;
  let waiter: { target: number; id: string } | null = null;
  sub.on('message', (_ch: string, text: string) => {
    const [kind, a, b] = text.split(':');
    if (kind === 'r') void cmd.publish(toClient, `a:${a}:${b}`);
    else if (kind === 'e') {
      count++;
      if (waiter && count >= waiter.target) {
        void cmd.publish(toClient, `a:${waiter.id}:1`);
        waiter = null;
      }
    } else if (kind === 'z') {
      count = 0;
      void cmd.publish(toClient, `a:${a}:1`);
    } else if (kind === 's') {
      if (count >= Number(b)) void cmd.publish(toClient, `a:${a}:1`);
      else waiter = { target: Number(b), id: a };
    }
  });
  await sub.subscribe(toServer);
  process.stdout.write('READY\n');
}

async function client(): Promise<void> {
  const pending = new Map<string, (v: string) => void>();
  let seq = 0;
  sub.on('message', (_ch: string, text: string) => {
    const [, id, value] = text.split(':');
    const resolve = pending.get(id);
    if (resolve) {
      pending.delete(id);
      resolve(value);
    }
  });
  await sub.subscribe(toClient);
  const ask = (kind: string, arg: number | string) => new Promise<string>((resolve) => {
    const id = String(++seq);
    pending.set(id, resolve);
    void cmd.publish(toServer, `${kind}:${id}:${arg}`);
  });
  const counter = `${ns}:raw:counter`;
  const peer: Peer = {
    request: (n) => ask('r', n),
    broadcast: (n) => cmd.publish(toServer, `e:${n}`),
    eventsSeen: (target) => ask('s', target).then(() => undefined),
    resetEvents: () => ask('z', 0).then(() => undefined),
    increment: async () => {
      for (;;) {
        await cmd.watch(counter);
        const v = Number(await cmd.get(counter) ?? 0);
        if (await cmd.multi().set(counter, String(v + 1)).exec()) return v + 1;
      }
    },
  };
  const figures = await measure(peer);
  await cmd.del(counter);
  process.stdout.write(`RESULT ${JSON.stringify(figures)}\n`);
  process.exit(0);
}

void (role === 'server' ? server() : client());

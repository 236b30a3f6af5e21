/**
 * The cross-node workload, the same for every contender (clustercore, raw ioredis, Moleculer):
 * the client side gets a `Peer` (request / broadcast / increment primitives) and measures.
 */
import { percentile } from '../lib/stats';

/** What one contender offers the client side. */
export interface Peer {
  /** One request to the other node, resolved with its reply. */
  request(n: number): Promise<unknown>;
  /** One broadcast event to the other node (resolves when sent, as each API defines it). */
  broadcast(n: number): Promise<unknown>;
  /** Resolves once the other node has counted `count` broadcast events since `reset`. */
  eventsSeen(count: number): Promise<void>;
  /** Tells the other node to count events from zero. */
  resetEvents(): Promise<void>;
  /** One increment of the shared counter (null: the contender has none). */
  increment: (() => Promise<unknown>) | null;
}

/** Sizes of the workload. */
export const SIZES = { warmup: 500, sequential: 3000, pipelined: 20_000, window: 256, events: 20_000, increments: 1500 };

/** Figures of one run. */
export interface Figures {
  p50us: number;
  p99us: number;
  reqPerSec: number;
  eventsPerSec: number;
  incrementsPerSec: number | null;
}

async function windowed(total: number, window: number, one: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < total) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, total) }, lane));
}

/** Runs the whole workload against `peer`. */
export async function measure(peer: Peer): Promise<Figures> {
  for (let i = 0; i < SIZES.warmup; i++) await peer.request(i);
  const lat: number[] = [];
  for (let i = 0; i < SIZES.sequential; i++) {
    const t0 = process.hrtime.bigint();
    await peer.request(i);
    lat.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  let t = Date.now();
  await windowed(SIZES.pipelined, SIZES.window, (i) => peer.request(i));
  const reqPerSec = SIZES.pipelined / ((Date.now() - t) / 1000);

  await peer.resetEvents();
  t = Date.now();
  const seen = peer.eventsSeen(SIZES.events);
  await windowed(SIZES.events, SIZES.window, (i) => peer.broadcast(i));
  await seen;
  const eventsPerSec = SIZES.events / ((Date.now() - t) / 1000);

  let incrementsPerSec: number | null = null;
  if (peer.increment) {
    const inc = peer.increment;
    t = Date.now();
    for (let i = 0; i < SIZES.increments; i++) await inc();
    incrementsPerSec = SIZES.increments / ((Date.now() - t) / 1000);
  }
  return { p50us: Math.round(percentile(lat, 50)), p99us: Math.round(percentile(lat, 99)), reqPerSec: Math.round(reqPerSec), eventsPerSec: Math.round(eventsPerSec), incrementsPerSec: incrementsPerSec && Math.round(incrementsPerSec) };
}

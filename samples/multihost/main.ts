/**
 * Multi-host sample: two nodes (two independent groups, as on two hosts) on this machine, joined
 * over the local Redis, share a counter and call each other.
 *   npm run sample:multihost        (builds, starts a local Redis if none answers, runs this)
 * Each node is its own `node` process (its own master and workers); this launcher only starts
 * both with a fresh namespace, prints their output, and deletes the namespace's keys at the end.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `multihost-sample-${randomBytes(4).toString('hex')}`;
const script = path.join(__dirname, 'node.js');

function startNode(name: string, peer: string): Promise<number | null> {
  const child = spawn(process.execPath, [script, name, peer, namespace], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, REDIS_URL: url } });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function dropKeys(): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  console.log(`two nodes 'a' and 'b' over Redis at ${url}, namespace '${namespace}'`);
  const codes = await Promise.all([startNode('a', 'b'), startNode('b', 'a')]);
  await dropKeys();
  console.log(`both nodes exited (codes ${codes.join(', ')})`);
  process.exitCode = codes.every((c) => c === 0) ? 0 : 1;
}

void main();

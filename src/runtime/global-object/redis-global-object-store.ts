/**
 * The global object in Redis (R-NODE-4): in cluster mode it lives under `<ns>:global` as one JSON
 * value, so it survives the loss of any node, and every node's master applies operations to it.
 *
 * Consistency: each operation is applied by the same code as on one host (MemoryGlobalObjectStore,
 * over the value just read), so key paths, array commands, forbidden keys, JSON-safety, errors and
 * the query/update sandbox are exactly the single-host ones. Reads are one GET (atomic). Writes
 * (set, remove, update) are optimistic transactions: WATCH the key, GET, apply, MULTI/SET/EXEC; an
 * EXEC that finds the key changed by another node applies nothing and the operation is retried on
 * the new value. Every operation is thus applied to one version and committed only if nothing came
 * between: linearizable across nodes. A failed operation writes nothing.
 *
 * Why WATCH/MULTI for the plain commands too, not Lua: one code path for all five operations (a
 * Lua port of the key-path and array-command rules would be a second implementation to keep equal,
 * and Redis' cjson cannot tell `{}` from `[]`); an update function must run in the sandbox here
 * anyway. Contention is low: each master applies one operation at a time (GlobalObjectServer's
 * queue), so only masters of different nodes can race, and the loser retries once per winner.
 */
import type { Redis } from 'ioredis';
import { GlobalObjectError } from '../../protocol/errors';
import { Later, MemoryGlobalObjectStore, type GlobalObject, type GlobalObjectStore, type SetGlobalObjectResult } from './global-object-store';
import { Sandbox, type SandboxOptions } from './sandbox';

/** How many times a write is retried when other nodes keep changing the object first. */
export const MAX_WRITE_ATTEMPTS = 100;

/** Settings of the Redis store. */
export interface RedisGlobalObjectStoreOptions {
  /** The master's command connection (WATCH is per connection: one operation at a time on it). */
  redis: Redis;
  /** The key holding the object. */
  key: string;
  /** Where Redis is, for error messages. */
  where: string;
  /** The sandbox of query/update, or options for a new one. */
  sandbox?: Sandbox | SandboxOptions;
}

/** The global object kept in Redis; every method answers with a promise. */
export class RedisGlobalObjectStore implements GlobalObjectStore {
  /** Runs query and update functions (the one sandbox of this master). */
  readonly sandbox: Sandbox;
  private readonly redis: Redis;
  private readonly key: string;
  private readonly where: string;

  constructor(options: RedisGlobalObjectStoreOptions) {
    this.redis = options.redis;
    this.key = options.key;
    this.where = options.where;
    this.sandbox = options.sandbox instanceof Sandbox ? options.sandbox : new Sandbox(options.sandbox);
  }

  /** getGlobalObject on the current value. */
  async get(keyPath: unknown, sliceRange: readonly unknown[] = []): Promise<unknown> {
    const view = this.view(await this.read('getGlobalObject'));
    return view.get(keyPath, sliceRange);
  }

  /** setGlobalObject, committed only on the value it was applied to. */
  set(keyPath: unknown, values: readonly unknown[]): Promise<SetGlobalObjectResult> {
    return this.write('setGlobalObject', (view) => view.set(keyPath, values));
  }

  /** removeGlobalObject, committed only on the value it was applied to. */
  remove(keyPath: unknown): Promise<GlobalObject> {
    return this.write('removeGlobalObject', (view) => view.remove(keyPath));
  }

  /** Starts the sandbox process in the background, before the first query or update needs it. */
  prepare(): void {
    this.sandbox.warm();
  }

  /** queryGlobalObject on the current value (the function runs in the sandbox). */
  async query(fnSource: string | undefined, context: unknown): Promise<unknown> {
    const view = this.view(await this.read('queryGlobalObject'));
    const result = view.query(fnSource, context);
    return result instanceof Later ? result.promise : result;
  }

  /** updateGlobalObject, committed only on the value the function saw. */
  update(fnSource: string, context: unknown): Promise<GlobalObject> {
    return this.write('updateGlobalObject', (view) => view.update(fnSource, context));
  }

  // One operation applies to a view over one parsed version: the single-host rules, unchanged.
  private view(root: GlobalObject): MemoryGlobalObjectStore {
    return new MemoryGlobalObjectStore({ initial: root, sandbox: this.sandbox, adopt: true });
  }

  private async read(op: string): Promise<GlobalObject> {
    return parse(op, await this.command(op, () => this.redis.get(this.key)));
  }

  private async write<T>(op: string, apply: (view: MemoryGlobalObjectStore) => T | Promise<T>): Promise<T> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      let before: string | null;
      let root: GlobalObject;
      let result: T;
      try {
        // WATCH and GET go out together (one round trip); GET is answered after WATCH took effect.
        before = await this.command(op, () => Promise.all([this.redis.watch(this.key), this.redis.get(this.key)]).then(([, text]) => text));
        root = parse(op, before);
        result = await apply(this.view(root));
      } catch (err) {
        await this.redis.unwatch().catch(() => undefined);
        throw err;
      }
      const after = JSON.stringify(root);
      if (after === before || (before === null && after === '{}')) {
        await this.redis.unwatch().catch(() => undefined);
        return result;
      }
      const committed = await this.command(op, () => this.redis.multi().set(this.key, after).exec());
      if (committed !== null) return result;
      // Another node wrote first: nothing was applied; apply again to the new value.
    }
    throw new GlobalObjectError(`${op}: the global object in Redis kept changing under this operation (${MAX_WRITE_ATTEMPTS} attempts); nothing was applied`);
  }

  // Runs one Redis command; a failure says that the global object is out of reach, and why.
  private async command<T>(op: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw new GlobalObjectError(`${op}: the global object lives in Redis at ${this.where}, which cannot be reached (${(err as Error).message}); nothing was applied`, { cause: err });
    }
  }
}

function parse(op: string, text: string | null): GlobalObject {
  if (text === null) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as GlobalObject;
  } catch { /* reported below */ }
  throw new GlobalObjectError(`${op}: the value under the global object's Redis key is not a JSON object; fix or delete that key`);
}

/**
 * The `cluster` option (R-NODE-1): several groups (nodes) form one cluster over Redis. Checked
 * here once, each wrong value named (`cluster.nodeTimeout`); the node's default name is made in
 * the master only (`<hostname>-<master pid>`), since a child's pid is not the node's.
 */
import { ClusterCoreError, describe } from '../protocol/errors';
import { isPlainObject } from '../protocol/json-safe';
import { isNodeName } from '../protocol/process-id';

/** Where the alone process runs in cluster mode. */
export type AloneScope = 'cluster' | 'node';

/** Options of ioredis, passed through as given (see ioredis' RedisOptions). */
export type RedisConnectionOptions = Record<string, unknown>;

/** `cluster: { redis, node?, namespace?, nodeTimeout?, aloneScope? }`. */
export interface ClusterOptions {
  /** A `redis://` / `rediss://` URL, or ioredis options. */
  redis: string | RedisConnectionOptions;
  /** This node's name (letters, digits, '.', '_', '-'); default `<hostname>-<master pid>`. */
  node?: string;
  /** Prefix of every Redis key and channel, so several clusters share one Redis. Default 'clustercore'. */
  namespace?: string;
  /** A node whose master stops heart-beating is gone within this many ms. Default 5000. */
  nodeTimeout?: number;
  /** 'cluster' (default): one alone process runs cluster-wide; 'node': every node runs its own. */
  aloneScope?: AloneScope;
}

/** The cluster option with its defaults filled in (node null: default name, made in the master). */
export interface ResolvedClusterOptions {
  /** The Redis URL or ioredis options. */
  readonly redis: string | RedisConnectionOptions;
  /** The node name given, or null for the default. */
  readonly node: string | null;
  /** Key and channel prefix. */
  readonly namespace: string;
  /** ms. */
  readonly nodeTimeout: number;
  /** Where the alone process runs. */
  readonly aloneScope: AloneScope;
}

/** Default namespace. */
export const DEFAULT_NAMESPACE = 'clustercore';
/** Default node time-out, ms. */
export const DEFAULT_NODE_TIMEOUT = 5_000;
/** Smallest node time-out: the heart-beat runs every fifth of it and Redis needs a few ms per beat. */
export const MIN_NODE_TIMEOUT = 500;

const KNOWN = ['redis', 'node', 'namespace', 'nodeTimeout', 'aloneScope'];
const NAMESPACE_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** Checks the `cluster` option of `method`; throws a ClusterCoreError naming the wrong field. */
export function resolveClusterOptions(method: string, input: unknown): ResolvedClusterOptions {
  const bad = (field: string, expected: string, value: unknown) =>
    new ClusterCoreError(`${method}: option '${field}' must be ${expected}, got ${describe(value)}`);
  if (!isPlainObject(input)) throw bad('cluster', "an object { redis, node?, namespace?, nodeTimeout?, aloneScope? }", input);
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key)) throw new ClusterCoreError(`${method}: unknown option 'cluster.${key}' (known: ${KNOWN.join(', ')})`);
  }
  const { redis, node, namespace = DEFAULT_NAMESPACE, nodeTimeout = DEFAULT_NODE_TIMEOUT, aloneScope = 'cluster' } = input;
  if (typeof redis === 'string') {
    if (!/^rediss?:\/\/./.test(redis)) throw bad('cluster.redis', "a 'redis://' or 'rediss://' URL or an object of ioredis options", redis);
  } else if (!isPlainObject(redis)) {
    throw bad('cluster.redis', "a 'redis://' or 'rediss://' URL or an object of ioredis options", redis);
  }
  if (node !== undefined && !isNodeName(node)) throw bad('cluster.node', "a name of 1-100 letters, digits, '.', '_' or '-' (no '/')", node);
  if (!(typeof namespace === 'string' && NAMESPACE_RE.test(namespace))) throw bad('cluster.namespace', "a name of 1-100 letters, digits, '.', '_', ':' or '-'", namespace);
  if (typeof nodeTimeout !== 'number' || !Number.isFinite(nodeTimeout) || nodeTimeout < MIN_NODE_TIMEOUT || nodeTimeout > 0x7fffffff) {
    throw bad('cluster.nodeTimeout', `a number of ms >= ${MIN_NODE_TIMEOUT}`, nodeTimeout);
  }
  if (aloneScope !== 'cluster' && aloneScope !== 'node') throw bad('cluster.aloneScope', "'cluster' or 'node'", aloneScope);
  return Object.freeze({ redis: redis as string | RedisConnectionOptions, node: (node as string | undefined) ?? null, namespace, nodeTimeout, aloneScope });
}

/**
 * The master of a node as the gateway to the other nodes (R-NODE-2, R-NODE-3, R-NODE-5).
 *
 *   node a                                   Redis                          node b
 *   W:2 ──IPC──► M ──PUBLISH <ns>:msg:b { n:'a', e:[…] }──► M(b) ──IPC──► W:1
 *        (to 'b/W:1')     (to 'W:1', from 'W:2')        (from 'a/W:2')
 *
 * Children already talk only to their master, so they need nothing new: an id with another node's
 * name misses the master's process table and lands here (one more Map lookup), on that node's
 * channel. Ids on the wire are local; the receiving master qualifies the sender with the node
 * name of the frame. Local traffic never reaches this module. One Redis connection pair per node.
 *
 * Failures are answered at once, never by time-out: a write to a node that is not live (or while
 * Redis is unreachable) fails with TargetUnavailableError; a node that leaves fails every pending
 * request to its processes, here and in every child (PROCESS_DID_EXIT with the qualified id).
 */
import os from 'node:os';
import { createEnvelope, isEnvelope, type Envelope } from '../../protocol/envelope';
import { ClusterCoreError, TargetUnavailableError, toWireError, type WireError } from '../../protocol/errors';
import { InternalActions, Macros, isInternalAction } from '../../protocol/macros';
import { ALONE_ID, MASTER_ID, compareQualifiedIds, isLocalProcessId, isNodeName, nodeOf, parseProcessId, qualify } from '../../protocol/process-id';
import type { Channel } from '../../transport/channel';
import { openRedisPair, type RedisPair } from '../../transport/redis-connection';
import { RedisTransport } from '../../transport/redis-transport';
import type { MasterEngine } from '../master/master-engine';
import { clusterKeys, type ClusterKeys } from './cluster-keys';
import type { GlobalObjectStore } from '../global-object/global-object-store';
import { RedisGlobalObjectStore } from '../global-object/redis-global-object-store';
import { Membership, type NodeRecord } from './membership';
import { AloneLease } from './alone-lease';

/** What the gateway needs of the `cluster` option. */
export interface GatewaySettings {
  /** Redis URL or ioredis options. */
  redis: string | Record<string, unknown>;
  /** Node name, or null for `<hostname>-<pid>`. */
  node: string | null;
  /** Key prefix. */
  namespace: string;
  /** ms. */
  nodeTimeout: number;
  /** How long the start waits for Redis, ms. */
  startupTimeout: number;
  /** 'cluster': one alone process runs cluster-wide (lease); 'node': each node runs its own. */
  aloneScope: 'cluster' | 'node';
}

/** The node's gateway: membership, the Redis transport, and the master's routes to other nodes. */
export class ClusterGateway {
  /** This node's name. */
  readonly nodeId: string;
  /** Key names of the namespace. */
  readonly keys: ClusterKeys;
  /** The node's Redis connections. */
  readonly redis: RedisPair;
  /** Live nodes. */
  readonly membership: Membership;
  /** Pub/sub transport. */
  readonly transport: RedisTransport;
  /** The alone lease (aloneScope 'cluster'), else null. */
  readonly lease: AloneLease | null;
  // What 'A' is written to while this node's alone process stands by: the holder's node.
  private readonly aloneRedirect: Channel;
  private started = false;
  private joined = false;
  // peers(), rebuilt only when the membership changes (the messenger asks for it on every operation).
  private peerList: { node: string; workers: readonly string[] }[] | null = null;

  constructor(
    private readonly master: MasterEngine,
    private readonly settings: GatewaySettings,
  ) {
    const node = settings.node ?? defaultNodeName();
    if (!isNodeName(node)) throw new ClusterCoreError(`cluster: the default node name '${node}' is not usable; set the option cluster.node`);
    this.nodeId = node;
    this.keys = clusterKeys(settings.namespace);
    const logger = master.options.logger;
    this.redis = openRedisPair(settings.redis, { commandTimeout: settings.nodeTimeout, onState: (up) => this.onRedisState(up) });
    this.membership = new Membership(this.redis, this.keys, node, settings.nodeTimeout, () => this.localRecord(), logger);
    this.transport = new RedisTransport(this.redis, settings.namespace, node, (n, to) => this.check(n, to), (env, err) => this.onLost(env, err));
    const stale = () => { this.peerList = null; };
    this.membership.on('join', stale);
    this.membership.on('update', stale);
    this.membership.on('leave', stale);
    this.membership.on('leave', (r) => this.onNodeLeft(r));
    this.membership.on('exit', (n, id) => this.onRemoteExit(qualify(n, id), `exited on node '${n}' before answering`));
    this.lease = settings.aloneScope === 'cluster'
      ? new AloneLease(master, this.redis, this.keys.alone, node, this.membership.instance, settings.nodeTimeout, logger)
      : null;
    const lease = this.lease;
    this.aloneRedirect = {
      peerId: ALONE_ID,
      connected: true,
      gateway: true,
      write: (env, cb) => {
        // The master's own business with its standby alone process (handshake, replies) stays here.
        const local = master.table.get(ALONE_ID)?.channel;
        if (local && (env.meta.isRes || env.meta.isTransitRes || isInternalAction(env.data.action))) return local.write(env, cb);
        const holder = lease?.redirectNode();
        if (holder === undefined) return cb?.(new TargetUnavailableError(ALONE_ID, 'is standing by and no node holds the alone lease now'));
        if (env.meta.traceId !== null && !env.meta.isRes) lease!.noteRedirected(env.meta.traceId);
        this.transport.channel(holder).write(env, cb);
      },
    };
    master.initialInfo = { ...master.initialInfo, nodeId: node };
    // Read at each handshake: an alone process started while another node holds the lease stands by.
    Object.defineProperty(master.initialInfo, 'aloneStandby', { enumerable: true, get: () => lease !== null && !lease.active });
    const changed = () => !master.isStopping && void this.membership.announce().catch((err: Error) => logger.warn(`cluster: announcing this node failed: ${err.message}`));
    master.events.on('ready', changed);
    master.events.on('exit', (id) => {
      if (!master.isStopping) this.membership.announceExit(id);
      changed();
    });
  }

  /** Connects, listens on this node's channel, then joins (refused when the name is taken). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      await this.redis.ready(this.settings.startupTimeout);
      await this.transport.listen((env, from) => this.inbound(env, from), (why) => this.master.options.logger.warn(`cluster: dropped a malformed frame (${why})`));
      await this.membership.join();
      await this.lease?.start();
      this.joined = true;
    } catch (err) {
      await this.redis.close();
      const e = err as Error;
      throw e instanceof ClusterCoreError ? e : new ClusterCoreError(`cluster: node '${this.nodeId}' could not join: ${e.message}`, { cause: e });
    }
    this.master.options.logger.info(`cluster: node '${this.nodeId}' joined (namespace '${this.keys.namespace}', ${this.membership.nodes.size} other node(s))`);
  }

  /** Leaves the cluster and closes the connections. */
  async stop(): Promise<void> {
    await this.lease?.stop();
    await this.membership.leave();
    await this.redis.close();
  }

  /** The channel towards an id of another node; undefined for a local id or this node's own. */
  channelTo(id: string): Channel | undefined {
    const node = nodeOf(id);
    if (node === null || node === this.nodeId) return undefined;
    return this.transport.channel(node);
  }

  /** Where 'A' goes while this node's alone process stands by (the holder's node); undefined otherwise. */
  aloneChannel(): Channel | undefined {
    return this.lease?.redirectNode() === undefined ? undefined : this.aloneRedirect;
  }

  /** Every live process of every node, qualified, nodes in name order (R-NODE-2). */
  allProcessIds(): string[] {
    const ids = this.master.table.allIds().map((id) => qualify(this.nodeId, id));
    for (const r of this.membership.nodes.values()) for (const id of r.ids) ids.push(qualify(r.node, id));
    return ids.sort(compareQualifiedIds);
  }

  /** The global object of the cluster, kept in Redis under the namespace (R-NODE-4). */
  globalStore(sandboxTimeout: number | undefined): GlobalObjectStore {
    return new RedisGlobalObjectStore({ redis: this.redis.cmd, key: this.keys.global, where: this.redis.where, sandbox: { timeoutMs: sandboxTimeout } });
  }

  /** The live other nodes and their ready workers, by name (kept until the membership changes: do not edit). */
  peers(): { node: string; workers: readonly string[] }[] {
    this.peerList ??= [...this.membership.nodes.values()].map((r) => ({ node: r.node, workers: r.workers })).sort((x, y) => (x.node < y.node ? -1 : 1));
    return this.peerList;
  }

  /** True while Redis answers. */
  get connected(): boolean {
    return this.redis.up;
  }

  /** Why `id` of `node` cannot be written to now, or null. */
  check(node: string, id: string): Error | null {
    if (!this.redis.up) return new TargetUnavailableError(id, `cannot be reached: Redis at ${this.redis.where} is unreachable, so no other node is`);
    if (!this.membership.nodes.has(node)) return new TargetUnavailableError(id, `is on node '${node}', which is not a live node of the cluster (namespace '${this.keys.namespace}')`);
    return null;
  }

  // An envelope from another node: ids are local to their nodes; the sender is qualified here.
  private inbound(env: Envelope, fromNode: string): void {
    if (!isEnvelope(env) || !isNodeName(fromNode)) return this.master.receive(env, `node ${String(fromNode)}`);
    const { meta } = env;
    if (meta.isTransitRes) {
      // A transit result is the master's business: delivered as our own master's, so a child
      // accepts it as it accepts every internal message (only from 'M').
      meta.fromProcessId = MASTER_ID;
      qualifyWireError(env.data.error, fromNode);
      if (meta.toProcessId === MASTER_ID) this.master.receive(env, MASTER_ID);
      else this.master.table.get(meta.toProcessId)?.channel.write(env);
      return;
    }
    const local = parseProcessId(meta.fromProcessId).local;
    // The reply to a request for 'A' that went to the holder's alone process: from 'A', as asked.
    if (local === ALONE_ID && meta.isRes && this.lease?.takeRedirected(meta.traceId)) return this.master.receive(env, ALONE_ID);
    this.master.receive(env, qualify(fromNode, local));
  }

  // An envelope written without a callback could not go out: the request it carries fails now.
  private onLost(env: Envelope, error: Error): void {
    const { meta } = env;
    if (meta.isRes || meta.isTransitRes) {
      this.master.options.logger.warn(`cluster: a reply '${env.data.action}' to ${meta.toProcessId} was lost: ${error.message}`);
      return;
    }
    const answerId = meta.transitTraceId ?? meta.traceId;
    if (answerId === null) {
      this.master.options.logger.warn(`cluster: dropped '${env.data.action}' from ${meta.fromProcessId}: ${error.message}`);
      return;
    }
    if (meta.fromProcessId === MASTER_ID) {
      this.master.registry.fail(answerId, error);
      return;
    }
    const data = { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_TRANSIT_RESULT, error: toWireError(error) };
    this.master.table.get(meta.fromProcessId)?.channel.write(createEnvelope(MASTER_ID, meta.fromProcessId, data, null, false, answerId, true));
  }

  private onNodeLeft(r: NodeRecord): void {
    this.master.options.logger.info(`cluster: node '${r.node}' left`);
    for (const id of r.ids) this.onRemoteExit(qualify(r.node, id), `is on node '${r.node}', which left the cluster before answering`);
  }

  // Pending requests to a process of another node fail at once, in the master and in every child.
  private onRemoteExit(id: string, reason: string): void {
    this.master.failTracesTo(id, reason);
    for (const child of this.master.table.values()) {
      child.channel.write(createEnvelope(MASTER_ID, child.id, { action: InternalActions.PROCESS_DID_EXIT, payload: { processId: id } }));
    }
  }

  private onRedisState(up: boolean): void {
    // Before the join the start itself waits for Redis; after it, losing and regaining Redis matters.
    if (!this.joined) return;
    if (!up) this.master.options.logger.warn(`cluster: Redis at ${this.redis.where} is unreachable; cross-node operations fail until it is back`);
    this.membership.setRedisState(up);
  }

  private localRecord(): Omit<NodeRecord, 'node' | 'instance'> {
    const workers: string[] = [];
    for (const e of this.master.table.values()) if (e.kind === 'worker' && e.ready) workers.push(e.id);
    workers.sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
    return { ids: this.master.table.allIds(), workers };
  }
}

/** An error about a process of `node` names it by its qualified id ('W:9' → 'b/W:9'). */
function qualifyWireError(error: unknown, node: string): void {
  const e = error as WireError | undefined;
  if (typeof e !== 'object' || e === null || typeof e.toProcessId !== 'string' || !isLocalProcessId(e.toProcessId)) return;
  const id = qualify(node, e.toProcessId);
  if (typeof e.message === 'string' && e.message.startsWith(`process ${e.toProcessId} `)) {
    e.message = `process ${id} ${e.message.slice(9 + e.toProcessId.length).replace('of this group', `of node '${node}'`)}`;
  }
  e.toProcessId = id;
}

/** `<hostname>-<pid>` of the master, with characters a node name cannot hold replaced. */
export function defaultNodeName(): string {
  const host = os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'host';
  return `${host.slice(0, 80)}-${process.pid}`;
}

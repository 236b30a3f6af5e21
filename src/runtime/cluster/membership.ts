/**
 * Which nodes are in the cluster (R-NODE-5). Every master keeps a heart-beat key with its record
 * (`<ns>:node:<name>`, TTL 0.7 × nodeTimeout, renewed every 0.2 × nodeTimeout) and announces joins,
 * changes and leaves on `<ns>:events`; every master also re-reads all records on each beat, so a
 * node whose master died (no leave announced) is gone once its key expired: within
 * 0.7 + 0.2 = 0.9 × nodeTimeout of its last beat.
 *
 * While Redis is unreachable this node sees no other node (cross-node operations fail at once)
 * and the others see it leave; when Redis is back it beats again and everyone sees it join.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { ClusterCoreError } from '../../protocol/errors';
import { isLocalProcessId, isNodeName } from '../../protocol/process-id';
import type { RedisPair } from '../../transport/redis-connection';
import type { Logger } from '../logger';
import type { ClusterKeys } from './cluster-keys';

/** What a node publishes about itself. */
export interface NodeRecord {
  /** Node name. */
  node: string;
  /** Random id of this run of the node (a restarted node with the same name is a new instance). */
  instance: string;
  /** Every live process id of the node, local form, 'M' first. */
  ids: string[];
  /** Its ready workers, local form, in worker order. */
  workers: string[];
}

/** Membership events. */
export interface MembershipEvents {
  /** A node appeared (or came back). */
  join: [record: NodeRecord];
  /** A node left or was not heard of within nodeTimeout; its last record. */
  leave: [record: NodeRecord];
  /** A known node's record changed. */
  update: [record: NodeRecord];
  /** A process of another node exited (announced by its master). */
  exit: [node: string, processId: string];
}

type ClusterEvent =
  | { t: 'up'; r: NodeRecord }
  | { t: 'leave'; node: string; instance: string }
  | { t: 'exit'; node: string; instance: string; id: string };

/** The live nodes as this master sees them, and this node's own heart-beat. */
export class Membership extends EventEmitter<MembershipEvents> {
  /** This run's instance id. */
  readonly instance = randomBytes(8).toString('hex');
  private readonly others = new Map<string, NodeRecord>();
  private timer: NodeJS.Timeout | null = null;
  private beating = false;
  private stopped = false;

  constructor(
    private readonly pair: RedisPair,
    private readonly keys: ClusterKeys,
    /** This node's name. */
    readonly node: string,
    private readonly nodeTimeout: number,
    private readonly local: () => Omit<NodeRecord, 'node' | 'instance'>,
    private readonly logger: Logger,
  ) {
    super();
  }

  private get ttl(): number {
    return Math.round(this.nodeTimeout * 0.7);
  }

  /** Every live node other than this one, by name. */
  get nodes(): ReadonlyMap<string, NodeRecord> {
    return this.others;
  }

  /** True when `node` is this node or a live other one. */
  isLive(node: string): boolean {
    return node === this.node ? this.pair.up : this.others.has(node);
  }

  /**
   * Joins: claims the node's key (refused when a live node holds the name), subscribes to the
   * events, reads the other nodes, and starts beating.
   */
  async join(): Promise<void> {
    const record = this.record();
    const claimed = await this.pair.cmd.set(this.keys.node(this.node), JSON.stringify(record), 'PX', this.ttl, 'NX');
    if (claimed !== 'OK') {
      throw new ClusterCoreError(
        `cluster: a live node named '${this.node}' is already in the cluster (namespace '${this.keys.namespace}'); give this node another name with the option cluster.node, or stop the other one first`,
      );
    }
    await this.pair.cmd.sadd(this.keys.nodes, this.node);
    this.pair.sub.on('message', (channel: string, text: string) => {
      if (channel === this.keys.events) this.onEvent(text);
    });
    await this.pair.sub.subscribe(this.keys.events);
    await this.announce();
    await this.refresh();
    this.timer = setInterval(() => void this.beat(), Math.max(50, Math.round(this.nodeTimeout / 5)));
    this.timer.unref();
  }

  /** Publishes this node's record now (a child started or exited). */
  async announce(): Promise<void> {
    if (!this.pair.up || this.stopped) return;
    const record = this.record();
    const text = JSON.stringify(record);
    await this.pair.cmd.set(this.keys.node(this.node), text, 'PX', this.ttl);
    if (this.stopped) return;
    await this.pair.cmd.publish(this.keys.events, JSON.stringify({ t: 'up', r: record } satisfies ClusterEvent));
  }

  /** Tells the other nodes that a process of this node exited (their pending requests to it fail at once). */
  announceExit(processId: string): void {
    if (!this.pair.up || this.stopped) return;
    const event: ClusterEvent = { t: 'exit', node: this.node, instance: this.instance, id: processId };
    this.pair.cmd.publish(this.keys.events, JSON.stringify(event)).catch(() => { /* the others see the record change */ });
  }

  /** Redis went away or came back. */
  setRedisState(up: boolean): void {
    if (this.stopped) return;
    if (!up) {
      // Cut off: no other node can be reached, so none is treated as live.
      for (const r of [...this.others.values()]) this.drop(r);
      return;
    }
    this.logger.info(`cluster: Redis at ${this.pair.where} is back; node '${this.node}' rejoins`);
    void this.beat();
  }

  /** Leaves: stops beating, deletes the key and announces the leave. */
  async leave(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (!this.pair.up) return;
    const event: ClusterEvent = { t: 'leave', node: this.node, instance: this.instance };
    await Promise.allSettled([
      this.pair.cmd.del(this.keys.node(this.node)),
      this.pair.cmd.srem(this.keys.nodes, this.node),
      this.pair.cmd.publish(this.keys.events, JSON.stringify(event)),
    ]);
  }

  private record(): NodeRecord {
    return { node: this.node, instance: this.instance, ...this.local() };
  }

  // One beat: renew our key (unless another instance took the name while we were cut off), then
  // re-read every record.
  private async beat(): Promise<void> {
    if (this.beating || this.stopped || !this.pair.up) return;
    this.beating = true;
    try {
      const key = this.keys.node(this.node);
      const current = await this.pair.cmd.get(key);
      if (current !== null && parseRecord(current)?.instance !== this.instance) {
        this.logger.error(`cluster: node name '${this.node}' was taken by another instance while this one was cut off from Redis; this node stays out of the cluster`);
        return;
      }
      const rejoined = current === null;
      await this.pair.cmd.set(key, JSON.stringify(this.record()), 'PX', this.ttl);
      if (rejoined) {
        await this.pair.cmd.sadd(this.keys.nodes, this.node);
        await this.announce();
      }
      await this.refresh();
    } catch (err) {
      this.logger.warn(`cluster: heart-beat failed: ${(err as Error).message}`);
    } finally {
      this.beating = false;
    }
  }

  // Reads every record; a node whose key expired is gone.
  private async refresh(): Promise<void> {
    const names = (await this.pair.cmd.smembers(this.keys.nodes)).filter((n) => n !== this.node && isNodeName(n));
    const texts = names.length > 0 ? await this.pair.cmd.mget(...names.map((n) => this.keys.node(n))) : [];
    const seen = new Set<string>();
    names.forEach((name, i) => {
      const r = texts[i] === null ? null : parseRecord(texts[i] as string);
      if (!r || r.node !== name) return;
      seen.add(name);
      this.upsert(r);
    });
    for (const r of [...this.others.values()]) if (!seen.has(r.node)) this.drop(r);
    const expired = names.filter((n, i) => texts[i] === null);
    if (expired.length > 0) await this.pair.cmd.srem(this.keys.nodes, ...expired);
  }

  private onEvent(text: string): void {
    if (this.stopped) return;
    let e: ClusterEvent;
    try { e = JSON.parse(text) as ClusterEvent; } catch { return; }
    if (e.t === 'up') {
      const r = parseRecord(JSON.stringify(e.r));
      if (r && r.node !== this.node) this.upsert(r);
    } else if (e.t === 'leave' && typeof e.node === 'string') {
      const r = this.others.get(e.node);
      if (r && r.instance === e.instance) this.drop(r);
    } else if (e.t === 'exit' && typeof e.node === 'string' && isLocalProcessId(e.id)) {
      if (this.others.get(e.node)?.instance === e.instance) this.emit('exit', e.node, e.id);
    }
  }

  private upsert(r: NodeRecord): void {
    const known = this.others.get(r.node);
    if (known && known.instance !== r.instance) this.drop(known);
    const before = this.others.get(r.node);
    this.others.set(r.node, r);
    if (!before) this.emit('join', r);
    else if (before.ids.join() !== r.ids.join() || before.workers.join() !== r.workers.join()) this.emit('update', r);
  }

  private drop(r: NodeRecord): void {
    if (this.others.get(r.node) !== r) return;
    this.others.delete(r.node);
    this.emit('leave', r);
  }
}

function parseRecord(text: string): NodeRecord | null {
  try {
    const r = JSON.parse(text) as NodeRecord;
    const ok = typeof r === 'object' && r !== null && isNodeName(r.node) && typeof r.instance === 'string' &&
      Array.isArray(r.ids) && r.ids.every(isLocalProcessId) && Array.isArray(r.workers) && r.workers.every(isLocalProcessId);
    return ok ? r : null;
  } catch {
    return null;
  }
}

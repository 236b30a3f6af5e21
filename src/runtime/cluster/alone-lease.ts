/**
 * One active alone process in the whole cluster (R-NODE-6, aloneScope 'cluster'): the node that
 * holds the lease `<ns>:alone` (SET NX PX, TTL 0.7 × nodeTimeout, renewed every 0.2 × nodeTimeout
 * while its value is still ours) runs its alone process; every other node's alone process stands
 * by after its handshake (its onProcessDidInit has not run) and is activated when its node takes
 * the lease. When the holder dies or loses Redis, the lease expires and the next try of another
 * node takes it: within 0.9 × nodeTimeout. A holder cut off from Redis past the TTL restarts its
 * alone process, which comes back standing by, so two never run at once for longer than that.
 *
 * 'A' addressed on a node whose alone process stands by goes to the holder's ('<holder>/A');
 * replies to those requests are shown as from 'A', as the requester expects.
 */
import { createEnvelope } from '../../protocol/envelope';
import { InternalActions } from '../../protocol/macros';
import { ALONE_ID, MASTER_ID } from '../../protocol/process-id';
import type { RedisPair } from '../../transport/redis-connection';
import type { Logger } from '../logger';
import type { MasterEngine } from '../master/master-engine';

/** How many redirected request ids are remembered for reply matching (oldest dropped first). */
const MAX_REDIRECTED = 10_000;

// Renews the lease only while it is still ours (a plain PEXPIRE could extend another node's).
const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** The lease of the active alone process, as one node's master keeps it. */
export class AloneLease {
  private holding = false;
  private holder: string | null = null;
  private lastRenewed = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly redirected = new Set<string>();
  private readonly me: string;

  constructor(
    private readonly master: MasterEngine,
    private readonly pair: RedisPair,
    private readonly key: string,
    private readonly node: string,
    instance: string,
    private readonly nodeTimeout: number,
    private readonly logger: Logger,
  ) {
    this.me = `${node} ${instance}`;
  }

  /** True while this node's alone process is the active one. */
  get active(): boolean {
    return this.holding;
  }

  /** Takes the lease if free, then keeps trying / renewing every 0.2 × nodeTimeout. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.round(this.nodeTimeout / 5)));
    this.timer.unref();
  }

  /** Gives the lease back (shutdown), so another node takes over at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.holding && this.pair.up) await this.pair.cmd.eval(RELEASE, 1, this.key, this.me).catch(() => undefined);
    this.holding = false;
  }

  /**
   * Where 'A' goes from this node: undefined while the local alone process is the active one (or no
   * node holds the lease yet), else the holder's node.
   */
  redirectNode(): string | undefined {
    if (this.holding || this.holder === null || this.holder === this.node) return undefined;
    return this.holder;
  }

  /** Remembers a request sent to the holder's 'A', so its reply is shown as from 'A'. */
  noteRedirected(traceId: string): void {
    this.redirected.add(traceId);
    if (this.redirected.size > MAX_REDIRECTED) this.redirected.delete(this.redirected.values().next().value as string);
  }

  /** True (once) for the reply of a request this node redirected. */
  takeRedirected(traceId: string | null): boolean {
    return traceId !== null && this.redirected.delete(traceId);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (!this.pair.up) return this.checkLost();
      const ttl = Math.round(this.nodeTimeout * 0.7);
      if (this.holding) {
        const renewed = await this.pair.cmd.eval(RENEW, 1, this.key, this.me, String(ttl));
        if (renewed === 1) this.lastRenewed = Date.now();
        else this.lose('another node holds the lease now');
      } else if (this.master.table.get(ALONE_ID)) {
        const taken = await this.pair.cmd.set(this.key, this.me, 'PX', ttl, 'NX');
        if (taken === 'OK') this.take();
      }
      const value = await this.pair.cmd.get(this.key);
      this.holder = value === null ? null : value.split(' ')[0];
    } catch (err) {
      this.checkLost();
      this.logger.warn(`cluster: alone lease: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private take(): void {
    this.holding = true;
    this.lastRenewed = Date.now();
    this.holder = this.node;
    this.logger.info(`cluster: node '${this.node}' holds the alone lease; its alone process is the active one`);
    // A standby alone process starts its work now; one still in its handshake learns it there.
    this.master.table.get(ALONE_ID)?.channel.write(createEnvelope(MASTER_ID, ALONE_ID, { action: InternalActions.ALONE_ACTIVATE }));
  }

  // Cut off from Redis: once the lease may have expired, another node may run its alone process.
  private checkLost(): void {
    if (this.holding && Date.now() - this.lastRenewed > this.nodeTimeout * 0.7) this.lose('Redis was unreachable past the lease');
  }

  private lose(why: string): void {
    this.holding = false;
    this.logger.warn(`cluster: node '${this.node}' lost the alone lease (${why}); its alone process restarts and stands by`);
    // Restarted by the supervisor (the alone process is always restarted); it comes back standing by.
    this.master.table.get(ALONE_ID)?.kill('SIGTERM');
  }
}

/**
 * Moves envelopes between the masters of the nodes over Redis pub/sub. Each master subscribes to
 * its own channel (`<ns>:msg:<node>`) and publishes to the others'. What is written to one node in
 * the same turn of the event loop goes out as one PUBLISH of a frame `{ n: sender, e: [envelopes] }`
 * (as the IPC channel coalesces frames): one command and one parse for many messages.
 *
 * Ids on the wire are local to their node: the sender strips the target's node part, and the
 * receiver qualifies the sender with the frame's node ('W:2' from node a arrives as 'a/W:2').
 */
import type { Envelope } from '../protocol/envelope';
import { TargetUnavailableError } from '../protocol/errors';
import type { Channel, WriteCallback } from './channel';
import type { RedisPair } from './redis-connection';

/** One PUBLISH: the sending node and its envelopes. */
export interface RedisFrame {
  /** Sending node. */
  n: string;
  /** Envelopes, ids local to their nodes. */
  e: Envelope[];
}

/** Called for every envelope that arrives from another node. */
export type RemoteEnvelopeHandler = (envelope: Envelope, fromNode: string) => void;

/** Decides, at write time, whether a node can be written to (null) or why not. */
export type NodeCheck = (node: string, toProcessId: string) => Error | null;

/** Told about an envelope written without a callback that could not be delivered. */
export type LostHandler = (envelope: Envelope, error: Error) => void;

interface Batch {
  envelopes: Envelope[];
  callbacks: (WriteCallback | undefined)[];
}

/** Name of a node's message channel. */
export function messageChannel(namespace: string, node: string): string {
  return `${namespace}:msg:${node}`;
}

/** Pub/sub transport of one master; one channel object per remote node. */
export class RedisTransport {
  private readonly batches = new Map<string, Batch>();
  private readonly channels = new Map<string, RedisNodeChannel>();
  private flushScheduled = false;
  /** Frames and envelopes published / received (observability). */
  readonly stats = { framesOut: 0, envelopesOut: 0, framesIn: 0, envelopesIn: 0 };

  constructor(
    private readonly pair: RedisPair,
    private readonly namespace: string,
    /** This node's name. */
    readonly node: string,
    private readonly check: NodeCheck,
    private readonly onLost: LostHandler,
  ) {}

  /** Subscribes to this node's channel and hands every arriving envelope to `handler`. */
  async listen(handler: RemoteEnvelopeHandler, onMalformed: (reason: string) => void): Promise<void> {
    const own = messageChannel(this.namespace, this.node);
    this.pair.sub.on('message', (channel: string, text: string) => {
      if (channel !== own) return;
      let frame: RedisFrame;
      try {
        frame = JSON.parse(text) as RedisFrame;
      } catch {
        return onMalformed('not JSON');
      }
      if (typeof frame !== 'object' || frame === null || typeof frame.n !== 'string' || !Array.isArray(frame.e)) return onMalformed('not a frame');
      this.stats.framesIn++;
      this.stats.envelopesIn += frame.e.length;
      for (const env of frame.e) handler(env, frame.n);
    });
    await this.pair.sub.subscribe(own);
  }

  /** The channel to `node` (one per node, kept). */
  channel(node: string): RedisNodeChannel {
    let ch = this.channels.get(node);
    if (!ch) {
      ch = new RedisNodeChannel(node, this);
      this.channels.set(node, ch);
    }
    return ch;
  }

  /** Queues `env` (already with local ids) for `node`; the batch goes out at the end of this turn. */
  enqueue(node: string, toProcessId: string, env: Envelope, cb: WriteCallback | undefined): void {
    const problem = this.check(node, toProcessId);
    if (problem) {
      queueMicrotask(() => (cb ? cb(problem) : this.onLost(env, problem)));
      return;
    }
    let batch = this.batches.get(node);
    if (!batch) {
      batch = { envelopes: [], callbacks: [] };
      this.batches.set(node, batch);
    }
    batch.envelopes.push(env);
    batch.callbacks.push(cb);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // setImmediate, not a microtask: frames relayed from several children in one poll phase
      // (one 'message' event each) join the same PUBLISH.
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batches = [...this.batches];
    this.batches.clear();
    for (const [node, batch] of batches) this.publish(node, batch);
  };

  private publish(node: string, batch: Batch): void {
    const frame: RedisFrame = { n: this.node, e: batch.envelopes };
    this.stats.framesOut++;
    this.stats.envelopesOut += batch.envelopes.length;
    const settle = (reason: string | null) => {
      for (let i = 0; i < batch.envelopes.length; i++) {
        const cb = batch.callbacks[i];
        const env = batch.envelopes[i];
        const err = reason === null ? null : new TargetUnavailableError(`${node}/${env.meta.toProcessId}`, reason);
        if (cb) cb(err);
        else if (err) this.onLost(env, err);
      }
    };
    this.pair.cmd.publish(messageChannel(this.namespace, node), JSON.stringify(frame)).then(
      (receivers) => settle(receivers > 0 ? null : `cannot be reached: node '${node}' is not listening (it left the cluster)`),
      (err: Error) => settle(`cannot be reached: Redis at ${this.pair.where} is unreachable (${err.message})`),
    );
  }
}

/** The channel to one remote node: what the master's router gets for an id of that node. */
export class RedisNodeChannel implements Channel {
  constructor(
    /** The remote node's name. */
    readonly peerId: string,
    private readonly transport: RedisTransport,
  ) {}

  /** The other node's master confirms delivery (transit results), not this write. */
  readonly gateway = true;

  /** Always true: whether the node can be reached is decided per write (node liveness, Redis state). */
  get connected(): boolean {
    return true;
  }

  /** Queues `envelope` for the node, with the target's node part stripped. */
  write(envelope: Envelope, cb?: WriteCallback): void {
    const meta = envelope.meta;
    const to = meta.toProcessId;
    const cut = to.indexOf('/');
    const local = cut < 0 ? to : to.slice(cut + 1);
    const out: Envelope = { meta: { ...meta, toProcessId: local }, data: envelope.data };
    this.transport.enqueue(this.peerId, to, out, cb);
  }
}

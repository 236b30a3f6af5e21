/**
 * The messenger across nodes (R-NODE-3): an operation of scope 'cluster' runs on this node's
 * workers through the hub and on every other node through that node's master, which runs it on
 * its own workers as if the caller were local there (the handler sees the caller's qualified id).
 *
 *   caller ─► M(a) ─┬─ hub.runLocal ─────────────────────► a's workers
 *                   └─ MESSENGER_DISPATCH { origin } ──► M(b) ─ runLocal ─► b's workers
 *
 * - broadcast: every node; resolves with the ids reached (this node's short, others' qualified),
 *   nodes in name order. A node that cannot be reached adds nothing. Fire-and-forget across nodes:
 *   another node's part is one one-way MESSENGER_DISPATCH (coalesced with the rest of the turn's
 *   traffic to that node into one PUBLISH); it counts as sent once Redis handed the frame to that
 *   node's subscribed master, and lists the ready workers that node last announced. Waiting for the
 *   other master to confirm each write cost a Redis round trip per broadcast (docs/perf/multihost.md).
 *   Pacing is kept: every BROADCAST_PACE_EVERY-th broadcast to a node goes the confirmed way (that
 *   master answers once its workers' writes went out), and later ones to that node resolve only
 *   after it, so a fast sender cannot queue without bound in front of a slow remote worker.
 * - map: every node's answers, merged in node order; one MapError lists every failed worker (a
 *   node that could not be reached as a whole is listed as its master).
 * - consume: exactly one worker of the cluster: nodes with ready workers take turns; a node found
 *   without workers (nothing ran there) passes the job on; any other failure rejects (it may have run).
 * - sendRandom: a node picked at random weighted by its ready workers, then one of them.
 */
import { ClusterCoreError, MapError, NoWorkerError, TraceTimeoutError, type MapFailure, type MapResult } from '../../protocol/errors';
import { InternalActions } from '../../protocol/macros';
import type { MessageData } from '../../protocol/envelope';
import { MASTER_ID, isLocalProcessId, qualify } from '../../protocol/process-id';
import { reviveError, type DispatchOrder, type MessengerOp, type MessengerWireError } from '../messenger-wire';
import type { ClusterRun, HubDone, MessengerHub } from '../master/messenger-hub';
import type { MasterEngine } from '../master/master-engine';

/** Extra time given to another node's master beyond the operation's own time-out, ms. */
export const REMOTE_DISPATCH_GRACE_MS = 2_000;

/** One broadcast in this many to a node is confirmed by that node's master; the others wait for it. */
export const BROADCAST_PACE_EVERY = 64;

/** Pacing of the broadcasts to one node while a confirmation is awaited: sent, awaited, completions held. */
interface Pace {
  sent: number;
  open: number;
  held: (() => void)[];
}

/** A live node other than this one, as the messenger needs it. */
export interface PeerNode {
  /** Node name. */
  node: string;
  /** Its ready workers (local ids). */
  workers: readonly string[];
}

/** Where one part of an operation ran: this node (null) or another one. */
type Part = { node: string | null; error: Error | null; value?: unknown };

/** Runs messenger operations across nodes. */
export class ClusterMessenger implements ClusterRun {
  private turn = 0;
  private readonly pace = new Map<string, Pace>();

  constructor(
    private readonly master: MasterEngine,
    private readonly hub: MessengerHub,
    /** This node's name. */
    private readonly self: string,
    /** The live other nodes, by name. */
    private readonly peers: () => readonly PeerNode[],
  ) {}

  run(op: MessengerOp, from: string, action: string, payload: unknown, timeout: number, done: HubDone): boolean {
    const peers = this.peers();
    if (peers.length === 0) return false;
    switch (op) {
      case 'broadcast': this.broadcast(peers, from, action, payload, timeout, done); break;
      case 'map': this.everyNode(peers, op, from, action, payload, timeout, (parts) => this.mergeMap(action, parts, done)); break;
      case 'consume': this.oneWorker(peers, op, from, action, payload, timeout, done, false); break;
      case 'sendRandom': this.oneWorker(peers, op, from, action, payload, timeout, done, true); break;
    }
    return true;
  }

  // Runs the operation on this node and on every peer; `finish` gets one part per node, in name order.
  private everyNode(peers: readonly PeerNode[], op: MessengerOp, from: string, action: string, payload: unknown, timeout: number, finish: (parts: Part[]) => void): void {
    const nodes = [this.self, ...peers.map((p) => p.node)].sort();
    const parts: Part[] = nodes.map((n) => ({ node: n === this.self ? null : n, error: null }));
    let pending = parts.length;
    const settle = (part: Part) => (error: Error | null, value?: unknown) => {
      part.error = error;
      part.value = value;
      if (--pending === 0) finish(parts);
    };
    for (const part of parts) {
      if (part.node === null) this.hub.runLocal(op, from, action, payload, timeout, settle(part), true);
      else this.remote(part.node, op, from, action, payload, timeout, settle(part));
    }
  }

  private mergeMap(action: string, parts: Part[], done: HubDone): void {
    const results: MapResult[] = [];
    const failures: MapFailure[] = [];
    for (const { node, error, value } of parts) {
      const q = (id: string) => (node === null ? id : qualify(node, id));
      if (error instanceof MapError) {
        results.push(...error.results.map((r) => ({ processId: q(r.processId), value: r.value })));
        failures.push(...error.failures.map((f) => ({ processId: q(f.processId), error: f.error })));
      } else if (error) {
        failures.push({ processId: q(MASTER_ID), error });
      } else {
        for (const r of value as MapResult[]) results.push({ processId: q(r.processId), value: r.value });
      }
    }
    if (failures.length > 0) done(new MapError(action, failures, results));
    else done(null, results.map((r) => r.value));
  }

  // consume / sendRandom: one worker of the cluster. A node that answers NoWorkerError ran nothing,
  // so the next candidate may take the job; any other failure is final.
  private oneWorker(peers: readonly PeerNode[], op: MessengerOp, from: string, action: string, payload: unknown, timeout: number, done: HubDone, random: boolean): void {
    const candidates = [{ node: this.self, workers: this.hub.readyWorkers }, ...peers].filter((c) => c.workers.length > 0).sort((x, y) => (x.node < y.node ? -1 : 1));
    const tried = new Set<string>();
    const attempt = (): void => {
      const left = candidates.filter((c) => !tried.has(c.node));
      if (left.length === 0) return done(new NoWorkerError(op, action));
      const pick = random ? weightedPick(left) : left[this.turn++ % left.length];
      tried.add(pick.node);
      const after = (error: Error | null, value?: unknown) => {
        if (error instanceof NoWorkerError) return attempt();
        if (error) return done(error);
        done(null, pick.node === this.self ? value : qualify(pick.node, value as string));
      };
      if (pick.node === this.self) this.hub.runLocal(op, from, action, payload, timeout, after);
      else this.remote(pick.node, op, from, action, payload, timeout, after);
    };
    attempt();
  }

  // broadcast: this node through the hub; every other node one-way, sent once Redis handed the frame
  // to that node's master (see above). Ids in node order, this node's short, the others' qualified.
  private broadcast(peers: readonly PeerNode[], from: string, action: string, payload: unknown, timeout: number, done: HubDone): void {
    if (!isLocalProcessId(from)) return done(new ClusterCoreError(`messenger: ${from} is not a process of this node`));
    const order: DispatchOrder = { op: 'broadcast', action, timeout, scope: 'node', origin: from };
    if (payload !== undefined) order.payload = payload;
    const data: MessageData = { action: InternalActions.MESSENGER_DISPATCH, payload: order };
    let local: readonly string[] = [];
    const reached: (readonly string[] | null)[] = new Array<null>(peers.length).fill(null);
    let pending = peers.length + 1;
    const finish = () => {
      if (--pending > 0) return;
      const ids: string[] = [];
      let selfDone = false;
      peers.forEach((p, i) => {
        if (!selfDone && this.self < p.node) { ids.push(...local); selfDone = true; }
        for (const id of reached[i] ?? []) ids.push(qualify(p.node, id));
      });
      if (!selfDone) ids.push(...local);
      done(null, ids);
    };
    this.hub.runLocal('broadcast', from, action, payload, timeout, (err, ids) => {
      if (!err) local = ids as string[];
      finish();
    });
    peers.forEach((p, i) => this.toNode(p, from, action, payload, timeout, data, (ids) => {
      reached[i] = ids;
      finish();
    }));
  }

  // One broadcast to one other node: one-way, or (every BROADCAST_PACE_EVERY-th) confirmed by that
  // node's master; a one-way one completes only once no confirmation to that node is awaited.
  private toNode(p: PeerNode, from: string, action: string, payload: unknown, timeout: number, data: MessageData, done: (ids: readonly string[] | null) => void): void {
    let pace = this.pace.get(p.node);
    if (!pace) {
      pace = { sent: 0, open: 0, held: [] };
      this.pace.set(p.node, pace);
    }
    const st = pace;
    if (st.sent++ % BROADCAST_PACE_EVERY === 0) {
      st.open++;
      // Settles on the answer, the time-out, or at once when the node leaves (its traces fail).
      this.remote(p.node, 'broadcast', from, action, payload, timeout, (err, value) => {
        st.open--;
        done(err || !Array.isArray(value) ? null : (value as string[]));
        if (st.open > 0) return;
        // Nothing awaited: the entry goes (the next broadcast to that node is confirmed again).
        if (this.pace.get(p.node) === st) this.pace.delete(p.node);
        for (const release of st.held.splice(0)) release();
      });
      return;
    }
    const workers = p.workers;
    this.master.send(qualify(p.node, MASTER_ID), data, (err) => {
      const complete = () => done(err ? null : workers);
      if (st.open > 0) st.held.push(complete);
      else complete();
    });
  }

  // Asks `node`'s master to run the operation on its workers for `from` (a local id of this node).
  private remote(node: string, op: MessengerOp, from: string, action: string, payload: unknown, timeout: number, done: HubDone): void {
    if (!isLocalProcessId(from)) return done(new ClusterCoreError(`messenger: ${from} is not a process of this node`));
    const order: DispatchOrder = { op, action, timeout, scope: 'node', origin: from, detail: true };
    if (payload !== undefined) order.payload = payload;
    const waitMs = timeout + REMOTE_DISPATCH_GRACE_MS;
    const target = qualify(node, MASTER_ID);
    this.master.trace(target, { action: InternalActions.MESSENGER_DISPATCH, payload: order }, waitMs, {
      onReply: (res: MessageData) => {
        const error = res.error as MessengerWireError | undefined;
        if (error) done(reviveError(error));
        else done(null, res.payload);
      },
      onTimeout: () => done(new TraceTimeoutError(target, `${op} '${action}'`, waitMs)),
      onFail: (err) => done(err),
    });
  }
}

function weightedPick<T extends { workers: readonly string[] }>(candidates: T[]): T {
  const total = candidates.reduce((n, c) => n + c.workers.length, 0);
  let r = Math.random() * total;
  for (const c of candidates) {
    r -= c.workers.length;
    if (r < 0) return c;
  }
  return candidates[candidates.length - 1];
}

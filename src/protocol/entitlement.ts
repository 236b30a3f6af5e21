/**
 * Who may send what (hardening, R-IPC-5): the rules every process applies to an envelope before
 * acting on it. Pure functions of the envelope's flags and action; each returns why the envelope
 * must be refused, or null. An id in a payload is never a reason to believe anything: only the
 * channel says who sent a message (the master overwrites `fromProcessId` with it).
 *
 *        child ──requests, events, replies (user, REMOTE_ERROR, MESSENGER_ACK, PROCESS_STATS_RESULT)──► M
 *        M ──commands, events, replies, transit results──► child
 *        child ──user messages, REMOTE_ERROR answers──► M (relay) ──► child      nothing else
 */
import { InternalActions, isInternalAction } from './macros';
import { MASTER_ID, nodeOf } from './process-id';
import type { Meta } from './envelope';

/**
 * True for what the master may relay from one child to another: user messages, and the error
 * answer of a request (a handler threw or none exists). Every other internal action is the
 * master's to send or to receive: relayed, it would let a child command another (shut it down, run
 * a consume job in its name, fail its pending requests).
 */
export function mayCrossRelay(action: string, isRes: boolean): boolean {
  return !isInternalAction(action) || (isRes && action === InternalActions.REMOTE_ERROR);
}

/** True for the replies a child may send the master: user replies, REMOTE_ERROR, MESSENGER_ACK, PROCESS_STATS_RESULT. */
export function isChildReplyAction(action: string): boolean {
  return !isInternalAction(action) || action === InternalActions.REMOTE_ERROR || action === InternalActions.MESSENGER_ACK
    || action === InternalActions.PROCESS_STATS_RESULT;
}

/** Why the master must not relay this envelope of a child to another child, or null. */
export function relayRefusal(meta: Meta, action: string): string | null {
  if (!meta.isTransitRes && mayCrossRelay(action, meta.isRes)) return null;
  return `${meta.isTransitRes ? 'a transit result' : `internal action ${action}`} to ${meta.toProcessId}; the relay carries only user messages between children`;
}

/**
 * Why the master must refuse this envelope a child addressed to it, or null. What another node's
 * master sends (multi-host: its sender is qualified, `b/M` or `b/W:1`) passed that master's own
 * rules before it entered the cluster's namespace: nodes of one cluster trust each other as a
 * master trusts itself (its internal replies, e.g. a remote map's results, are the master's to send).
 */
export function refusalAtMaster(meta: Meta, action: string): string | null {
  if (nodeOf(meta.fromProcessId) !== null) return null;
  // Transit results are the master's to send; it never asks for one.
  if (meta.isTransitRes) return 'a transit result sent by a child';
  if (meta.isRes && !isChildReplyAction(action)) return `internal action ${action} as a reply of a child`;
  return null;
}

/**
 * Why a child must refuse this envelope, or null. What it receives from a peer came through the
 * relay, which refuses the rest; checked again so that no path around the relay can make a child
 * obey another child.
 */
export function refusalAtChild(meta: Meta, action: string): string | null {
  if (meta.fromProcessId === MASTER_ID || (!meta.isTransitRes && mayCrossRelay(action, meta.isRes))) return null;
  return `${meta.isTransitRes ? 'a transit result' : `internal action ${action}`} from ${meta.fromProcessId}; only the master may send it`;
}

/**
 * The reply that carries a remote failure (R-TRACE-6, R-DEC-4): a handler threw, or no handler
 * can answer. Encoded and decoded here only, so every requester turns it into the same RemoteError.
 */
import { RemoteError, textOf, toWireError, type WireError } from '../protocol/errors';
import { InternalActions } from '../protocol/macros';
import type { MessageData } from '../protocol/envelope';

/** Reply data saying that answering failed with `error`. */
export function remoteErrorReply(error: unknown): MessageData {
  return { action: InternalActions.REMOTE_ERROR, error: toWireError(error) };
}

/** The RemoteError a reply carries, or null for an ordinary reply. */
export function remoteErrorOf(reply: MessageData, fromProcessId: string): RemoteError | null {
  if (reply.action !== InternalActions.REMOTE_ERROR) return null;
  // What a child wrote may be anything JSON can carry: each field is read without trusting its type.
  const wire = (typeof reply.error === 'object' && reply.error !== null ? reply.error : {}) as Partial<WireError>;
  const stack = typeof wire.stack === 'string' ? wire.stack : undefined;
  return new RemoteError(fromProcessId, textOf(wire.name) || 'Error', textOf(wire.message) || 'unknown remote error', stack);
}

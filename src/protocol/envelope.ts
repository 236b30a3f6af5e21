/**
 * The wire envelope (R-IPC-4): `{ meta, data }`. Built once by the sender, checked once by the
 * receiver's router; nothing else parses it.
 */

/** Routing and tracing metadata of one message; never shown to user code except via getOriginData(). */
export interface Meta {
  /** Trace id of a request or of its reply; null for a one-way message. */
  traceId: string | null;
  /** Target process id. */
  toProcessId: string;
  /** Sender process id (the master overwrites it with the id of the channel it came from). */
  fromProcessId: string;
  /** True for the reply of a TraceIPC. */
  isRes: boolean;
  /** True for the master's answer about a relayed message. */
  isTransitRes: boolean;
  /** Id the sender wants its transit result under; null when it wants none. */
  transitTraceId: string | null;
}

/** User data of a message: a plain object with a string `action` (recommended: `payload`). */
export interface MessageData {
  /** What the message asks for. */
  action: string;
  /** Attached data (by convention). */
  payload?: unknown;
  [key: string]: unknown;
}

/** One message as it crosses a channel. */
export interface Envelope {
  /** Routing metadata. */
  meta: Meta;
  /** User (or internal) data. */
  data: MessageData;
}

/** Builds an envelope. */
export function createEnvelope(
  fromProcessId: string,
  toProcessId: string,
  data: MessageData,
  traceId: string | null = null,
  isRes = false,
  transitTraceId: string | null = null,
  isTransitRes = false,
): Envelope {
  return { meta: { traceId, toProcessId, fromProcessId, isRes, isTransitRes, transitTraceId }, data };
}

/**
 * Structural check of anything that arrived on a channel. Cheap typeof tests only: the payload
 * is the user's business, the routing fields are ours.
 */
export function isEnvelope(msg: unknown): msg is Envelope {
  if (typeof msg !== 'object' || msg === null) return false;
  const { meta, data } = msg as Partial<Envelope>;
  if (typeof meta !== 'object' || meta === null || typeof data !== 'object' || data === null) return false;
  return (
    typeof meta.toProcessId === 'string' &&
    typeof meta.fromProcessId === 'string' &&
    typeof data.action === 'string' &&
    typeof meta.isRes === 'boolean' &&
    typeof meta.isTransitRes === 'boolean' &&
    (meta.traceId === null || typeof meta.traceId === 'string') &&
    (meta.transitTraceId === null || meta.transitTraceId === undefined || typeof meta.transitTraceId === 'string')
  );
}

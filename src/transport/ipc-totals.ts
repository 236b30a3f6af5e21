/**
 * What a process's IPC channels moved (R-OBS-1). Envelopes are counted by the channels (one
 * increment per write); bytes are not counted at all on the hot path: Node's IPC pipe handle is a
 * libuv stream that already keeps `bytesRead` / `bytesWritten` (as net.Socket shows them), and
 * they are read only when someone asks. The handle sits under Node's `kChannelHandle` symbol on
 * `process`, a ChildProcess or a cluster worker's process; without it, bytes are reported as null.
 */

/** Bytes read from and written to one IPC pipe. */
export interface IpcBytes {
  /** Bytes read from the pipe. */
  read: number;
  /** Bytes written to the pipe. */
  written: number;
}

/** Envelopes written by every channel of a process, and the bytes of channels that closed. */
export class IpcTotals {
  /** Envelopes handed to a channel for writing. */
  messagesOut = 0;
  /** Bytes of channels whose peer is gone (their pipe handle no longer counts). */
  readonly retired: IpcBytes = { read: 0, written: 0 };
}

/** The libuv stream under an IPC endpoint, as far as the byte counters are concerned. */
interface PipeHandle {
  readonly bytesRead?: number;
  readonly bytesWritten?: number;
}

let channelHandleSymbol: symbol | null | undefined;

/** Node's kChannelHandle symbol, found once on an object that has it (stable across Node 16–24). */
function handleSymbolOn(obj: object): symbol | null {
  if (channelHandleSymbol) return channelHandleSymbol;
  const found = Object.getOwnPropertySymbols(obj).find((s) => s.description === 'kChannelHandle');
  if (found) channelHandleSymbol = found;
  return found ?? null;
}

/** The pipe handle of `process`, a ChildProcess, or a cluster Worker (through its `.process`); null if none. */
export function pipeHandleOf(endpoint: unknown): PipeHandle | null {
  if (typeof endpoint !== 'object' || endpoint === null) return null;
  const sym = handleSymbolOn(endpoint);
  const own = sym ? (endpoint as Record<symbol, unknown>)[sym] : undefined;
  if (typeof own === 'object' && own !== null) return own as PipeHandle;
  const inner = (endpoint as { process?: unknown }).process;
  return inner !== endpoint && typeof inner === 'object' && inner !== null ? pipeHandleOf(inner) : null;
}

/** Bytes a pipe handle moved so far; null when Node does not expose them. */
export function bytesOf(handle: PipeHandle | null): IpcBytes | null {
  if (!handle || typeof handle.bytesRead !== 'number' || typeof handle.bytesWritten !== 'number') return null;
  return { read: handle.bytesRead, written: handle.bytesWritten };
}

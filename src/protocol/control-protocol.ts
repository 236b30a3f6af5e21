/**
 * The control socket's protocol (R-OBS-2): JSON lines over a Unix socket. A client writes one
 * request per line; the master answers each in order with one final line (`ok: true` + `result`,
 * or `ok: false` + `error`), after zero or more progress lines (`event`). A line that is not a
 * valid request, or longer than MAX_REQUEST_BYTES, gets an error answer and changes nothing.
 *
 *   → {"cmd":"status"}                      ← {"ok":true,"result":GroupStatus}
 *   → {"cmd":"stats","id":"W:1"}            ← {"ok":true,"result":ProcessStatus}
 *   → {"cmd":"reload"}                      ← {"event":"replaced","id":"W:1","oldPid":1,"newPid":2} … {"ok":true,"result":{"replaced":2}}
 *   → {"cmd":"stop","timeout":5000}         ← {"ok":true,"result":{"stopping":true,"pid":123}}, then the connection closes as the group exits
 *
 * A request may carry `seq` (a number or string); its answer and events carry it back.
 */

/** Version of this protocol (answers of `status` carry it). */
export const CONTROL_PROTOCOL_VERSION = 1;

/** Longest request line accepted, bytes (requests are tiny; this bounds what a client can make the master buffer). */
export const MAX_REQUEST_BYTES = 4096;

/** The commands. */
export const CONTROL_COMMANDS = ['status', 'stats', 'reload', 'stop'] as const;

/** One command name. */
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** A parsed, valid request. */
export interface ControlRequest {
  /** What to do. */
  cmd: ControlCommand;
  /** `stats`: the process id. */
  id?: string;
  /** `stop`: ms the children get before they are killed. */
  timeout?: number;
  /** Echoed back in the answer. */
  seq?: number | string;
}

/** Wire form of an error in an answer. */
export interface ControlError {
  /** Stable error name (e.g. 'ControlProtocolError', 'ReloadError'). */
  name: string;
  /** What went wrong. */
  message: string;
}

/** A final answer. */
export type ControlAnswer =
  | { seq?: number | string; ok: true; result: unknown }
  | { seq?: number | string; ok: false; error: ControlError };

/** A progress line of `reload`: one worker was replaced. */
export interface ReplacedEvent {
  /** Echoed request `seq`. */
  seq?: number | string;
  /** Always 'replaced'. */
  event: 'replaced';
  /** Process id (kept). */
  id: string;
  /** Pid of the process that was retired. */
  oldPid: number | null;
  /** Pid of its replacement. */
  newPid: number | null;
}

/** Any line the master writes. */
export type ControlLine = ControlAnswer | ReplacedEvent;

/** Name of the error given for a request that is not valid. */
export const PROTOCOL_ERROR = 'ControlProtocolError';

/** Parses one request line: the request, or the error answer to give. */
export function parseControlRequest(line: string): ControlRequest | ControlError {
  const bad = (message: string): ControlError => ({ name: PROTOCOL_ERROR, message });
  if (Buffer.byteLength(line) > MAX_REQUEST_BYTES) return bad(`request is longer than ${MAX_REQUEST_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return bad(`request is not JSON: ${JSON.stringify(line.slice(0, 60))}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('request must be a JSON object such as {"cmd":"status"}');
  const req = value as Record<string, unknown>;
  const seq = req.seq;
  if (seq !== undefined && typeof seq !== 'number' && typeof seq !== 'string') return bad("'seq' must be a number or a string");
  if (typeof req.cmd !== 'string' || !(CONTROL_COMMANDS as readonly string[]).includes(req.cmd)) {
    return bad(`unknown command ${JSON.stringify(req.cmd)} (known: ${CONTROL_COMMANDS.join(', ')})`);
  }
  const out: ControlRequest = { cmd: req.cmd as ControlCommand };
  if (seq !== undefined) out.seq = seq as number | string;
  if (req.cmd === 'stats') {
    if (typeof req.id !== 'string' || req.id === '') return bad("'stats' needs 'id', a process id such as \"W:1\"");
    out.id = req.id;
  }
  if (req.cmd === 'stop' && req.timeout !== undefined) {
    if (typeof req.timeout !== 'number' || !Number.isFinite(req.timeout) || req.timeout < 0) return bad("'timeout' must be a number of ms >= 0");
    out.timeout = req.timeout;
  }
  return out;
}

/** True when a parse result is an error answer. */
export function isControlError(value: ControlRequest | ControlError): value is ControlError {
  return 'message' in value;
}

/** One line on the wire. */
export function encodeLine(line: ControlLine | Record<string, unknown>): string {
  return `${JSON.stringify(line)}\n`;
}

/**
 * Splits a byte stream into lines, refusing to buffer more than `max` bytes of one line: `push`
 * returns the complete lines, or null once a line grew too long (the caller answers and closes).
 */
export class LineSplitter {
  private partial = '';

  constructor(private readonly max: number = MAX_REQUEST_BYTES) {}

  /** Adds a chunk; returns the complete lines in it, or null when a line is over the limit. */
  push(chunk: string): string[] | null {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    if (Buffer.byteLength(this.partial) > this.max) return null;
    for (const p of parts) if (Buffer.byteLength(p) > this.max) return null;
    return parts.filter((p) => p.trim() !== '');
  }
}

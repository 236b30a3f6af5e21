/**
 * The command line's side of the control socket (R-OBS-2): connect, write one JSON request, read
 * answer lines. It speaks protocol/control-protocol.ts and imports nothing of the runtime.
 */
import net from 'node:net';
import { encodeLine, type ControlLine, type ControlRequest, type ReplacedEvent } from '../../src/protocol/control-protocol';
import { CliError, EXIT } from './exit-codes';

/** How long to wait for a connection, ms. */
const CONNECT_TIMEOUT_MS = 3000;

/** A connection that has sent one request and reads its answer. */
export interface Exchange {
  /** The final answer's result (rejects with CliError on an error answer or a broken connection). */
  result: Promise<unknown>;
  /** Resolves when the connection closed (e.g. after `stop`, when the master exits). */
  closed: Promise<void>;
  /** Closes the connection. */
  end(): void;
}

/** Maps a connection error to what the user should hear, with its exit code. */
export function connectError(err: NodeJS.ErrnoException, app: string, path: string): CliError {
  switch (err.code) {
    case 'ENOENT':
      return new CliError(EXIT.NO_GROUP, `no group named '${app}' is running (no socket at ${path})`);
    case 'ECONNREFUSED':
      return new CliError(EXIT.NO_GROUP, `no group named '${app}' is running (${path} is left from a master that was killed; it is replaced when the group starts again)`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(EXIT.REFUSED, `permission denied: ${path} belongs to another user; only the user who started the group can drive it`);
    default:
      return new CliError(EXIT.FAILED, `cannot reach '${app}' at ${path}: ${err.message}`);
  }
}

/** Connects to `path` and sends `request`; `onEvent` sees progress lines (reload). */
export function exchange(path: string, app: string, request: ControlRequest, onEvent?: (e: ReplacedEvent) => void): Promise<Exchange> {
  return new Promise((resolveConnected, rejectConnected) => {
    const sock = net.connect(path);
    const timer = setTimeout(() => {
      sock.destroy();
      rejectConnected(new CliError(EXIT.FAILED, `'${app}' did not accept a connection within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    let settle: { resolve(v: unknown): void; reject(e: Error): void } | null = null;
    const result = new Promise<unknown>((resolve, reject) => { settle = { resolve, reject }; });
    const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
    // Nobody may be waiting for the result when only `closed` matters (stop).
    result.catch(() => undefined);
    let buffer = '';
    sock.setEncoding('utf8');
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.write(encodeLine(request as unknown as Record<string, unknown>));
      resolveConnected({ result, closed, end: () => sock.end() });
    });
    sock.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let line: ControlLine;
        try {
          line = JSON.parse(text) as ControlLine;
        } catch {
          settle?.reject(new CliError(EXIT.FAILED, `'${app}' answered something that is not JSON: ${text.slice(0, 80)}`));
          continue;
        }
        if ('event' in line) onEvent?.(line);
        else if (line.ok) settle?.resolve(line.result);
        else settle?.reject(new CliError(EXIT.FAILED, `${line.error.name}: ${line.error.message}`));
      }
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const e = connectError(err, app, path);
      rejectConnected(e);
      settle?.reject(e);
    });
    sock.on('close', () => settle?.reject(new CliError(EXIT.FAILED, `'${app}' closed the connection before answering`)));
  });
}

/** One request, its result, and the connection closed. */
export async function ask(path: string, app: string, request: ControlRequest, onEvent?: (e: ReplacedEvent) => void): Promise<unknown> {
  const ex = await exchange(path, app, request, onEvent);
  try {
    return await ex.result;
  } finally {
    ex.end();
  }
}

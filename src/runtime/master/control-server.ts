/**
 * The master's control socket (R-OBS-2): a Unix socket in the per-user run directory (folder 0700,
 * socket 0600, so only this user can open it), speaking the JSON-lines protocol of
 * protocol/control-protocol.ts to the `clustercore` command line. It never keeps the master alive
 * (unref'd) and is removed when the master exits; a socket left by a killed master is replaced.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CONTROL_PROTOCOL_VERSION, LineSplitter, PROTOCOL_ERROR, encodeLine, isControlError, parseControlRequest, type ControlRequest } from '../../protocol/control-protocol';
import type { Logger } from '../logger';
import type { GroupController } from './group-controller';
import { clearStaleSocket, identityOf, prepareRunDir } from './control-socket-file';

/** A listening control socket. */
export class ControlServer {
  private server: net.Server | null = null;
  private identity: string | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly removeAtExit = () => this.removeFile();

  constructor(
    /** Path of the socket. */
    readonly path: string,
    private readonly controller: GroupController,
    private readonly logger: Logger,
  ) {}

  /** Prepares the folder, replaces a stale socket, listens; rejects (listening nowhere) when it cannot. */
  async start(): Promise<void> {
    prepareRunDir(path.dirname(this.path));
    await clearStaleSocket(this.path);
    const server = net.createServer((sock) => this.serve(sock));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The socket file is created 0600 from the start (umask), then chmod'ed in case the umask was ignored.
      const previous = process.umask(0o177);
      try {
        server.listen(this.path, () => {
          server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(previous);
      }
    });
    fs.chmodSync(this.path, 0o600);
    server.on('error', (err) => this.logger.warn(`control socket ${this.path}: ${err.message}`));
    server.unref();
    this.server = server;
    this.identity = identityOf(this.path);
    process.on('exit', this.removeAtExit);
  }

  /** Stops listening, closes connections and removes the socket file. */
  close(): void {
    process.off('exit', this.removeAtExit);
    this.server?.close();
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.removeFile();
  }

  /** Removes the socket file if it is still the one this server made. */
  private removeFile(): void {
    if (this.identity === null || identityOf(this.path) !== this.identity) return;
    this.identity = null;
    try {
      fs.unlinkSync(this.path);
    } catch {
      // Already gone: nothing to clean.
    }
  }

  private serve(sock: net.Socket): void {
    this.sockets.add(sock);
    // A client connection never keeps the master alive either.
    sock.unref();
    sock.setEncoding('utf8');
    const lines = new LineSplitter();
    let queue = Promise.resolve();
    sock.on('data', (chunk: string) => {
      const complete = lines.push(chunk);
      if (complete === null) {
        sock.end(encodeLine({ ok: false, error: { name: PROTOCOL_ERROR, message: 'request line is too long; closing the connection' } }));
        sock.removeAllListeners('data');
        return;
      }
      for (const line of complete) queue = queue.then(() => this.answer(sock, line));
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => this.sockets.delete(sock));
  }

  /** Answers one request line; never throws. */
  private async answer(sock: net.Socket, line: string): Promise<void> {
    const req = parseControlRequest(line);
    if (isControlError(req)) return this.write(sock, { ok: false, error: req });
    const seq = req.seq === undefined ? {} : { seq: req.seq };
    try {
      const result = await this.run(sock, req, seq);
      this.write(sock, { ...seq, ok: true, result });
    } catch (err) {
      const e = err as Error;
      this.write(sock, { ...seq, ok: false, error: { name: e?.name ?? 'Error', message: e?.message ?? String(err) } });
    }
    if (req.cmd === 'stop') this.controller.stop(req.timeout);
  }

  private async run(sock: net.Socket, req: ControlRequest, seq: { seq?: number | string }): Promise<unknown> {
    switch (req.cmd) {
      case 'status':
        return { protocol: CONTROL_PROTOCOL_VERSION, ...(await this.controller.status()) };
      case 'stats':
        return this.controller.stats(req.id!);
      case 'reload': {
        let replaced = 0;
        await this.controller.reload((id, oldPid, newPid) => {
          replaced++;
          this.write(sock, { ...seq, event: 'replaced', id, oldPid, newPid });
        });
        return { replaced };
      }
      case 'stop':
        // The answer goes out first; the stop starts right after it (see answer()).
        return { stopping: true, pid: process.pid };
    }
  }

  private write(sock: net.Socket, line: Record<string, unknown>): void {
    if (!sock.destroyed && sock.writable) sock.write(encodeLine(line));
  }
}

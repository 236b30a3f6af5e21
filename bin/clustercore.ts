#!/usr/bin/env node
/**
 * `clustercore`: drives the clustercore groups of this user on this machine through their control
 * sockets (R-OBS-2). A thin client: it imports only the protocol it speaks (src/protocol/control-*).
 */
import { parseArgs } from 'node:util';
import { runDir } from '../src/protocol/control-path';
import { ls, reload, status, stop, top, type Io } from './lib/commands';
import { CliError, EXIT } from './lib/exit-codes';

const USAGE = `Usage: clustercore <command> [app] [options]

Commands:
  ls                       the groups running for this user on this machine
  status [app] [--json]    the process table (--json: the whole status as JSON)
  reload [app]             replace every worker, one by one; prints each one replaced
  stop [app] [--timeout ms]
                           stop the group gracefully; children still running after ms are killed
  top [app] [--interval ms]
                           the table, refreshed in place (default every 1000 ms); q or Ctrl-C quits

Without app: the only group running, or an error listing them when there are several.
Sockets live in ${runDir()}.

Exit codes: 0 done · 1 failed (the group answered with an error) · 2 usage (or several groups,
none named) · 3 no such group running · 4 refused (the socket belongs to another user).
Colours only on a terminal; NO_COLOR turns them off.
`;

/** Parses argv and runs one command; resolves with the exit code. */
export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        interval: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err.write(`clustercore: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
  const [command, app, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    (values.help || command === 'help' ? io.out : io.err).write(USAGE);
    return values.help || command === 'help' ? EXIT.OK : EXIT.USAGE;
  }
  const usage = (message: string) => {
    io.err.write(`clustercore ${command}: ${message}\n\n${USAGE}`);
    return EXIT.USAGE;
  };
  if (extra.length > 0) return usage(`unexpected argument '${extra[0]}'`);
  const allowed: Record<string, string[]> = { ls: ['json'], status: ['json'], reload: [], stop: ['timeout'], top: ['interval'] };
  if (!(command in allowed)) return usage(`unknown command '${command}' (ls, status, reload, stop, top)`);
  for (const key of Object.keys(values)) if (!allowed[command].includes(key)) return usage(`option --${key} does not apply to ${command}`);
  if (command === 'ls' && app !== undefined) return usage(`ls takes no app, got '${app}'`);
  const ms = (name: 'timeout' | 'interval', value: string | undefined, min: number): number | undefined | null => {
    if (value === undefined) return undefined;
    const n = Number(value);
    return /^\d+$/.test(value) && n >= min ? n : null;
  };
  try {
    switch (command) {
      case 'ls':
        return await ls(io, values.json === true);
      case 'status':
        return await status(io, app, values.json === true);
      case 'reload':
        return await reload(io, app);
      case 'stop': {
        const timeout = ms('timeout', values.timeout, 0);
        if (timeout === null) return usage(`--timeout must be a whole number of ms, got '${values.timeout}'`);
        return await stop(io, app, timeout);
      }
      default: {
        const interval = ms('interval', values.interval, 100);
        if (interval === null) return usage(`--interval must be a whole number of ms >= 100, got '${values.interval}'`);
        return await top(io, app, interval ?? 1000);
      }
    }
  } catch (err) {
    if (err instanceof CliError) {
      io.err.write(`clustercore ${command}: ${err.message}\n`);
      return err.code;
    }
    io.err.write(`clustercore ${command}: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.FAILED;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

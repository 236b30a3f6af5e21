/** The role of the current process, decided once at start (DESIGN: process roles). */
import cluster from 'node:cluster';
import type { ProcessRole } from './engine';

/** Environment variable holding the process id the master gave a child. */
export const ENV_PROCESS_ID = 'CLUSTER_CORE_PROCESS_ID';
/** Environment variable telling a child its role ('worker' or 'alone'). */
export const ENV_ROLE = 'CLUSTER_CORE_ROLE';

/** Role of this process: the alone process is marked by the master; otherwise cluster decides. */
export function currentRole(): ProcessRole {
  if (process.env[ENV_ROLE] === 'alone' && typeof process.send === 'function') return 'alone';
  return cluster.isPrimary ? 'master' : 'worker';
}

/** Environment variable with the child's watchdog settings: `<master pid>,<beat ms>,<stall ms>`. */
export const ENV_WATCHDOG = 'CLUSTER_CORE_WATCHDOG';

/** Watchdog settings of a child, as the master passes them. */
export interface WatchdogSettings {
  /** The master's pid: a child whose parent changes is an orphan. */
  masterPid: number;
  /** How often the child's event loop proves it is alive, ms. */
  beatMs: number;
  /** Loop silence after which the watchdog records where it is stuck, ms; 0 = never. */
  stallMs: number;
}

/** Encodes the watchdog settings for ENV_WATCHDOG. The stack is taken at half the heartbeat time-out, so it is there when the master gives up. */
export function watchdogEnv(masterPid: number, heartbeatInterval: number, heartbeatTimeout: number): string {
  const stallMs = heartbeatTimeout === 0 ? 0 : Math.max(Math.round(heartbeatTimeout / 2), Math.min(heartbeatTimeout, 2 * heartbeatInterval));
  return `${masterPid},${Math.round(heartbeatInterval)},${stallMs}`;
}

/** Decodes ENV_WATCHDOG; null when absent or malformed. */
export function parseWatchdogEnv(value: string | undefined): WatchdogSettings | null {
  const parts = (value ?? '').split(',').map(Number);
  if (parts.length !== 3 || !parts.every((n) => Number.isInteger(n) && n >= 0)) return null;
  return { masterPid: parts[0], beatMs: Math.max(10, parts[1]), stallMs: parts[2] };
}

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

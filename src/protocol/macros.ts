/**
 * Every name of the Corejs `Macros` table (seed 000), plus clustercore's own internal actions.
 * Internal actions all start with INTERNAL_PREFIX: the router recognises them with one string test,
 * and user messages may not use the prefix.
 */

/** Prefix of every internal action; user actions may not start with it. */
export const INTERNAL_PREFIX = '@@cc/';

const internal = <T extends string>(name: T): `${typeof INTERNAL_PREFIX}${T}` => `${INTERNAL_PREFIX}${name}`;

/** The Corejs macro table: internal actions, the discard command, array commands. */
export const Macros = Object.freeze({
  // Internal actions of seed 000's table.
  CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_INITIAL_INFO: internal('req:get-initial-info'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_INITIAL_INFO: internal('res:get-initial-info'),
  CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_SET_GLOBAL_OBJECT: internal('req:set-global-object'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_SET_GLOBAL_OBJECT: internal('res:set-global-object'),
  CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_GLOBAL_OBJECT: internal('req:get-global-object'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_GLOBAL_OBJECT: internal('res:get-global-object'),
  CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_REMOVE_GLOBAL_OBJECT: internal('req:remove-global-object'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_REMOVE_GLOBAL_OBJECT: internal('res:remove-global-object'),
  CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_ALL_PROCESS_IDS: internal('req:get-all-process-ids'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_ALL_PROCESS_IDS: internal('res:get-all-process-ids'),
  CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_QUERY_GLOBAL_OBJECT: internal('req:query-global-object'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_QUERY_GLOBAL_OBJECT: internal('res:query-global-object'),
  CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_UPDATE_GLOBAL_OBJECT: internal('req:update-global-object'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_UPDATE_GLOBAL_OBJECT: internal('res:update-global-object'),
  CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_TRANSIT_RESULT: internal('res:transit-result'),
  // Pipeline command: next(CLUSTER_CORE_MESSAGE_COMMAND_DISCARD) discards the message.
  CLUSTER_CORE_MESSAGE_COMMAND_DISCARD: '@@cc/command:discard',
  // Array commands appended to a key path.
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_POP: '@@cc/array:pop',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH: '@@cc/array:push',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_FILL: '@@cc/array:fill',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SHIFT: '@@cc/array:shift',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SPLICE: '@@cc/array:splice',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_UNSHIFT: '@@cc/array:unshift',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_REVERSE: '@@cc/array:reverse',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_COPYWITHIN: '@@cc/array:copywithin',
  CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE: '@@cc/array:slice',
  // Default trace time-out of Corejs (ms).
  CLUSTER_CORE_MESSAGE_TRANSIT_TIMEOUT: 10_000,
} as const);

/** clustercore's own internal actions (not in the Corejs table); same prefix, same treatment. */
export const InternalActions = Object.freeze({
  /** master → children: a process left the group; pending traces to it fail at once. */
  PROCESS_DID_EXIT: internal('evt:process-did-exit'),
  /** answer to a request whose target had no handler or whose handler threw. */
  REMOTE_ERROR: internal('res:remote-error'),
  /** master → child: run onProcessWillExit and exit. */
  SHUTDOWN: internal('cmd:shutdown'),
  /** child → master: ask the master to shut the group down / fork (master-only operations relayed). */
  MASTER_COMMAND: internal('req:master-command'),
  /** child → master: report that user-level start-up finished in this process. */
  PROCESS_READY: internal('evt:process-ready'),
  /** child → master: run a messenger operation (broadcast / consume / map / sendRandom) over the workers. */
  MESSENGER_DISPATCH: internal('req:messenger-dispatch'),
  /** master → child: outcome of a MESSENGER_DISPATCH (reply). */
  MESSENGER_RESULT: internal('res:messenger-dispatch'),
  /** child → master: broadcast (one-way, numbered); the outcome comes back in a MESSENGER_CAST_ACK. */
  MESSENGER_CAST: internal('evt:messenger-cast'),
  /** master → child: outcomes of that child's broadcasts, as ranges of their numbers (one-way). */
  MESSENGER_CAST_ACK: internal('evt:messenger-cast-ack'),
  /** master → worker: run a consume job or a map request in this worker's handler. */
  MESSENGER_RUN: internal('cmd:messenger-run'),
  /** worker → master: a consume job was handed to this worker's handler (reply). */
  MESSENGER_ACK: internal('res:messenger-run'),
  /** master → child: heartbeat; the child answers with HEARTBEAT_ACK from its main event loop. */
  HEARTBEAT: internal('cmd:heartbeat'),
  /** child → master: answer to HEARTBEAT, carrying the child's resident set size (bytes). */
  HEARTBEAT_ACK: internal('evt:heartbeat'),
  /** child → master: reload the group (request; the reply settles when the rollout ended). */
  RELOAD: internal('req:reload'),
  /** master → child: outcome of a RELOAD (reply). */
  RELOAD_RESULT: internal('res:reload'),
  /** master → child: this process was replaced; run onProcessWillExit, stop serving, exit. */
  RETIRE: internal('cmd:retire'),
  /** child → master: onProcessDidInit threw or rejected; the child exits after sending it. */
  START_FAILED: internal('evt:start-failed'),
  /** master → child: report this process's counters (status table, R-OBS-1). */
  PROCESS_STATS: internal('req:process-stats'),
  /** child → master: the answer to PROCESS_STATS. */
  PROCESS_STATS_RESULT: internal('res:process-stats'),
  /** child → master: the whole group's status table (core.status() in a child). */
  GROUP_STATUS: internal('req:group-status'),
  /** master → child: the answer to GROUP_STATUS. */
  GROUP_STATUS_RESULT: internal('res:group-status'),
  /** master → alone: this node took the cluster's alone lease; a standby alone process starts its work (R-NODE-6). */
  ALONE_ACTIVATE: internal('cmd:alone-activate'),
} as const);

/** True for actions reserved to clustercore. */
export function isInternalAction(action: string): boolean {
  return action.startsWith(INTERNAL_PREFIX);
}


import { describe, expect, it } from 'vitest';
import { Macros, InternalActions, isInternalAction, INTERNAL_PREFIX } from '../../../src/protocol/macros';

// Seed 000's table of internal actions, name by name.
const SEED_INTERNAL_ACTIONS = [
  'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_INITIAL_INFO',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_INITIAL_INFO',
  'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_SET_GLOBAL_OBJECT',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_SET_GLOBAL_OBJECT',
  'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_GLOBAL_OBJECT',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_GLOBAL_OBJECT',
  'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_REMOVE_GLOBAL_OBJECT',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_REMOVE_GLOBAL_OBJECT',
  'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_ALL_PROCESS_IDS',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_ALL_PROCESS_IDS',
  'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_QUERY_GLOBAL_OBJECT',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_QUERY_GLOBAL_OBJECT',
  'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_UPDATE_GLOBAL_OBJECT',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_UPDATE_GLOBAL_OBJECT',
  'CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_TRANSIT_RESULT',
] as const;

// Array commands of seeds 000 (set) and 001 (SLICE, for reads).
const ARRAY_COMMANDS = [
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_POP',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_FILL',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SHIFT',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SPLICE',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_UNSHIFT',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_REVERSE',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_COPYWITHIN',
  'CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE',
] as const;

describe('Macros', () => {
  it("R-IPC-5: every internal action of seed 000's table is present and recognised as internal", () => {
    for (const name of SEED_INTERNAL_ACTIONS) {
      const value = (Macros as Record<string, unknown>)[name];
      expect(typeof value, name).toBe('string');
      expect(isInternalAction(value as string), name).toBe(true);
    }
  });

  it("R-IPC-5: clustercore's own internal actions are recognised as internal too", () => {
    for (const value of Object.values(InternalActions)) expect(isInternalAction(value)).toBe(true);
  });

  it('R-IPC-5: internal action values are all distinct', () => {
    const values = [...SEED_INTERNAL_ACTIONS.map((n) => Macros[n]), ...Object.values(InternalActions)];
    expect(new Set(values).size).toBe(values.length);
  });

  it('R-IPC-5: ordinary user actions are not internal', () => {
    for (const a of ['TEST_IPC_ACTION', 'ADD', 'cc/x', '@@c', ' @@cc/x', 'CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_INITIAL_INFO']) {
      expect(isInternalAction(a), a).toBe(false);
    }
    expect(isInternalAction(`${INTERNAL_PREFIX}anything`)).toBe(true);
  });

  it('R-PIPE-2: CLUSTER_CORE_MESSAGE_COMMAND_DISCARD is a distinct string', () => {
    expect(typeof Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD).toBe('string');
    expect(Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD).not.toBe('discard');
  });

  it('ISSUE-3: every array command (POP … COPYWITHIN, and SLICE of seed 001) is present and distinct', () => {
    const values = ARRAY_COMMANDS.map((n) => (Macros as Record<string, unknown>)[n]);
    for (const [i, v] of values.entries()) expect(typeof v, ARRAY_COMMANDS[i]).toBe('string');
    expect(new Set(values).size).toBe(values.length);
    expect(values).not.toContain(Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD);
  });

  it('ISSUE-3: Macros is frozen', () => {
    expect(Object.isFrozen(Macros)).toBe(true);
  });
});


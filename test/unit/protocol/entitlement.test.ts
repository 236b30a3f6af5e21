import { describe, expect, it } from 'vitest';
import { InternalActions, Macros } from '../../../src/protocol/macros';
import { isChildReplyAction, mayCrossRelay, refusalAtChild, refusalAtMaster, relayRefusal } from '../../../src/protocol/entitlement';
import { createEnvelope } from '../../../src/protocol/envelope';

describe('who may send what (ISSUE-14)', () => {
  it('R-IPC-5: the relay carries user messages and REMOTE_ERROR answers between children, no other internal action', () => {
    expect(mayCrossRelay('ADD', false)).toBe(true);
    expect(mayCrossRelay('ADD', true)).toBe(true);
    expect(mayCrossRelay(InternalActions.REMOTE_ERROR, true)).toBe(true);
    const refused = [
      [InternalActions.REMOTE_ERROR, false], [InternalActions.SHUTDOWN, false], [InternalActions.PROCESS_DID_EXIT, false],
      [InternalActions.MESSENGER_RUN, false], [InternalActions.MESSENGER_ACK, true], [Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_TRANSIT_RESULT, false],
      [Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_SET_GLOBAL_OBJECT, false], [Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_GLOBAL_OBJECT, true],
    ] as const;
    expect(refused.filter(([action, isRes]) => !mayCrossRelay(action, isRes))).toHaveLength(8);
    expect(relayRefusal(createEnvelope('W:1', 'W:3', { action: InternalActions.SHUTDOWN }).meta, InternalActions.SHUTDOWN))
      .toBe('internal action @@cc/cmd:shutdown to W:3; the relay carries only user messages between children');
    expect(relayRefusal(createEnvelope('W:1', 'W:3', { action: 'X' }, null, false, 'a'.repeat(24), true).meta, 'X')).toBe('a transit result to W:3; the relay carries only user messages between children');
    expect(relayRefusal(createEnvelope('W:1', 'W:3', { action: 'X' }).meta, 'X')).toBeNull();
  });

  it('R-IPC-5: the master takes from a child its requests and user, REMOTE_ERROR and MESSENGER_ACK replies, never a transit result', () => {
    expect([InternalActions.REMOTE_ERROR, InternalActions.MESSENGER_ACK, 'ADD'].map(isChildReplyAction)).toEqual([true, true, true]);
    expect([InternalActions.MESSENGER_RESULT, Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_INITIAL_INFO].map(isChildReplyAction)).toEqual([false, false]);
    const meta = (action: string, isRes = false, isTransitRes = false) => createEnvelope('W:1', 'M', { action }, 'b'.repeat(24), isRes, isTransitRes ? 'c'.repeat(24) : null, isTransitRes).meta;
    expect(refusalAtMaster(meta(Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_ALL_PROCESS_IDS), Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_ALL_PROCESS_IDS)).toBeNull();
    expect(refusalAtMaster(meta(InternalActions.MESSENGER_ACK, true), InternalActions.MESSENGER_ACK)).toBeNull();
    expect(refusalAtMaster(meta(InternalActions.MESSENGER_RESULT, true), InternalActions.MESSENGER_RESULT)).toBe('internal action @@cc/res:messenger-dispatch as a reply of a child');
    expect(refusalAtMaster(meta('X', false, true), 'X')).toBe('a transit result sent by a child');
  });

  it('R-IPC-5: a child takes internal actions and transit results from the master only; user messages and REMOTE_ERROR answers from anyone', () => {
    const from = (sender: string, action: string, isRes = false, isTransitRes = false) => createEnvelope(sender, 'W:2', { action }, null, isRes, null, isTransitRes).meta;
    expect(refusalAtChild(from('M', InternalActions.SHUTDOWN), InternalActions.SHUTDOWN)).toBeNull();
    expect(refusalAtChild(from('M', 'X', false, true), 'X')).toBeNull();
    expect(refusalAtChild(from('W:1', 'X'), 'X')).toBeNull();
    expect(refusalAtChild(from('W:1', InternalActions.REMOTE_ERROR, true), InternalActions.REMOTE_ERROR)).toBeNull();
    expect(refusalAtChild(from('W:1', InternalActions.MESSENGER_RUN), InternalActions.MESSENGER_RUN)).toBe('internal action @@cc/cmd:messenger-run from W:1; only the master may send it');
    expect(refusalAtChild(from('A', 'X', false, true), 'X')).toBe('a transit result from A; only the master may send it');
  });
});

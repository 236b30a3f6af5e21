/** R-SUP-6: during a reload an id has several processes; replies reach the one that asked. */
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../../../src/protocol/envelope';
import { ProcessTable, pidHexOf, type ChildEntry } from '../../../../src/runtime/master/process-table';

function entry(id: string, pid: number, state: ChildEntry['state'] = 'live'): ChildEntry {
  return {
    id, pid, pidHex: pidHexOf(pid), state, kind: 'worker', ready: true, exited: new Promise(() => {}), kill: () => {},
    channel: { peerId: id, connected: true, write: () => {} }, startedAt: 0, lastBeat: 0, rss: 0, gone: false,
  };
}

/** A trace id made in process `pid` (R-TRACE-2 layout: 12 time, 4 pid, 8 random). */
const traceOf = (pid: number) => `0000000000aa${pidHexOf(pid)}12345678`;

describe('R-SUP-6: ProcessTable routing while an id has several processes', () => {
  it('R-SUP-6: new messages go to the live process; replies and transit results to the process whose pid the trace id carries', () => {
    const table = new ProcessTable();
    const old = entry('W:1', 0x1234);
    table.set(old);
    const fresh = entry('W:1', 0x5678, 'starting');
    table.addOther(fresh);
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }))).toBe(old);
    // The replacement's handshake reply goes to the replacement, not to the live W:1.
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }, traceOf(0x5678), true))).toBe(fresh);
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }, traceOf(0x1234), true))).toBe(old);
    // Promoted: the old one retires and still gets the replies to what it asked.
    table.set(fresh);
    old.state = 'retiring';
    table.addOther(old);
    expect(table.get('W:1')).toBe(fresh);
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }))).toBe(fresh);
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }, traceOf(0x1234), true))).toBe(old);
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }, null, false, traceOf(0x1234), true))).toBe(old);
    // A request (not a reply) with the old pid's trace id is a new message: the live process.
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }, traceOf(0x1234), false))).toBe(fresh);
    expect(table.all()).toEqual([fresh, old]);
    expect(table.allIds()).toEqual(['M', 'W:1']);
    table.removeOther(old);
    expect(table.all()).toEqual([fresh]);
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }, traceOf(0x1234), true))).toBe(fresh);
  });

  it('R-SUP-6: two processes of one id whose pids share the low 16 bits cannot be told apart: the live one gets the reply', () => {
    const table = new ProcessTable();
    const live = entry('W:1', 0x11234);
    table.set(live);
    table.addOther(entry('W:1', 0x21234, 'retiring'));
    expect(table.target('W:1', createEnvelope('M', 'W:1', { action: 'A' }, traceOf(0x1234), true))).toBe(live);
  });
});

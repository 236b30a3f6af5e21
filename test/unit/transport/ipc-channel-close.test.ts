/** R-SUP-8: writes held for a child that dies fail at once instead of staying pending. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IpcChannel } from '../../../src/transport/ipc-channel';
import { createEnvelope, type Envelope } from '../../../src/protocol/envelope';

/** An endpoint that never confirms a write and still claims to be connected: a peer stuck, then killed. */
class StuckEndpoint extends EventEmitter {
  connected = true;
  frames = 0;
  send(): boolean {
    this.frames++;
    return true;
  }
}

const env = (i: number): Envelope => createEnvelope('M', 'W:1', { action: 'A', payload: i });
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('IpcChannel.close', () => {
  it('R-SUP-8: close() fails every write held by back-pressure with the reason, and every later write at once', async () => {
    const ep = new StuckEndpoint();
    const ch = new IpcChannel('W:1', ep, { highWaterMark: 4 });
    const outcomes: (string | null)[] = [];
    // The first tick's writes go to Node (one frame may pass the mark); the next tick's are held.
    for (let i = 0; i < 4; i++) ch.write(env(i), (err) => outcomes.push(err ? err.message : null));
    await tick();
    expect(ch.congested).toBe(true);
    for (let i = 4; i < 10; i++) ch.write(env(i), (err) => outcomes.push(err ? err.message : null));
    await tick();
    expect(ch.pending).toBe(10);
    expect(ep.frames).toBe(2);
    expect(outcomes).toEqual([]);
    ch.close('process W:1 (pid 7) exited');
    expect(ch.connected).toBe(false);
    expect(ch.congested).toBe(false);
    await tick();
    // The 4 handed to Node wait for Node's own callback; the 6 held here fail now.
    expect(outcomes).toEqual(Array(6).fill('process W:1 (pid 7) exited'));
    let late: Error | null = null;
    ch.write(env(99), (err) => { late = err; });
    expect(late).toEqual(new Error('process W:1 (pid 7) exited'));
    expect(ep.frames).toBe(2);
    await expect(ch.drained()).resolves.toBeUndefined();
  });
});

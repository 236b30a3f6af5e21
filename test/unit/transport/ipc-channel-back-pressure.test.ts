import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { IpcChannel, MAX_FRAME_ENVELOPES, forEachEnvelope } from '../../../src/transport/ipc-channel';
import { createEnvelope, type Envelope } from '../../../src/protocol/envelope';
import { decodeFrame } from '../../helpers/wire-frames';

/** An endpoint whose writes complete only when the test says so, like a pipe whose reader is slow. */
class SlowEndpoint extends EventEmitter {
  connected = true;
  frames: unknown[] = [];
  private done: ((e: Error | null) => void)[] = [];
  /** What send() returns (Node returns false past its 128 KiB backlog). */
  accept = true;
  send(frame: unknown, _h?: undefined, _o?: undefined, cb?: (e: Error | null) => void): boolean {
    this.frames.push(decodeFrame(frame));
    if (cb) this.done.push(cb);
    return this.accept;
  }
  /** Completes the `n` oldest writes (all by default). */
  complete(n = this.done.length, err: Error | null = null): void {
    for (const cb of this.done.splice(0, n)) cb(err);
  }
  get envelopes(): number {
    let n = 0;
    for (const f of this.frames) forEachEnvelope(f, () => n++);
    return n;
  }
}

const env = (i: number): Envelope => createEnvelope('W:1', 'M', { action: 'A', payload: i });
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('IpcChannel: coalescing and back-pressure', () => {
  it('ISSUE-6: a write alone in its tick goes out at once, the rest of the tick as one array frame', async () => {
    const ep = new SlowEndpoint();
    const ch = new IpcChannel('M', ep);
    ch.write(env(0));
    expect(ep.frames).toHaveLength(1);
    ch.write(env(1));
    ch.write(env(2));
    expect(ep.frames).toHaveLength(1);
    await Promise.resolve();
    expect(ep.frames).toHaveLength(2);
    expect((ep.frames[1] as Envelope[]).map((e) => e.data.payload)).toEqual([1, 2]);
  });

  it('ISSUE-6: a long same-tick burst is cut into frames of at most MAX_FRAME_ENVELOPES, in order', async () => {
    const ep = new SlowEndpoint();
    const ch = new IpcChannel('M', ep);
    const n = MAX_FRAME_ENVELOPES * 3 + 5;
    for (let i = 0; i < n; i++) ch.write(env(i));
    await tick();
    const seen: number[] = [];
    for (const f of ep.frames) {
      if (Array.isArray(f)) expect(f.length).toBeLessThanOrEqual(MAX_FRAME_ENVELOPES);
      forEachEnvelope(f, (e) => seen.push((e as Envelope).data.payload as number));
    }
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('ISSUE-6: past the high-water mark writes are held, and go out (in order) as Node confirms', async () => {
    const ep = new SlowEndpoint();
    const ch = new IpcChannel('M', ep, { highWaterMark: 10 });
    const written: number[] = [];
    for (let i = 0; i < 50; i++) ch.write(env(i), (err) => { expect(err).toBeNull(); written.push(i); });
    await tick();
    expect(ch.congested).toBe(true);
    expect(ep.envelopes).toBeLessThan(10 + MAX_FRAME_ENVELOPES);
    expect(ch.pending).toBe(50);
    let drained = false;
    void ch.drained().then(() => { drained = true; });
    while (ep.envelopes < 50 || written.length < 50) {
      ep.complete();
      await tick();
    }
    expect(written).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ch.congested).toBe(false);
    expect(ch.pending).toBe(0);
    expect(drained).toBe(true);
  });

  it("ISSUE-6: once Node's send() returned false, one more frame may queue behind it, then writes are held until the first is confirmed", async () => {
    const ep = new SlowEndpoint();
    const ch = new IpcChannel('M', ep);
    ep.accept = false;
    ch.write(env(0));
    expect(ch.congested).toBe(false);
    await tick();
    ch.write(env(1));
    expect(ch.congested).toBe(true);
    ch.write(env(2));
    await tick();
    expect(ep.envelopes).toBe(2);
    ep.accept = true;
    ep.complete(1);
    await tick();
    ep.complete();
    await tick();
    expect(ch.congested).toBe(false);
    expect(ep.envelopes).toBe(3);
  });

  it('ISSUE-6: big envelopes that fill Node\'s backlog shrink the frame size to about 64 KiB; small ones keep 64 per frame', async () => {
    const ep = new SlowEndpoint();
    const ch = new IpcChannel('M', ep);
    // Big envelopes (~10 KB): Node reports a backlog for any frame of more than 4 of them.
    ep.send = function (frame, h, o, cb) {
      this.accept = !(Array.isArray(frame) && frame.length > 4);
      return SlowEndpoint.prototype.send.call(this, frame, h, o, cb);
    };
    const big = (i: number): Envelope => createEnvelope('W:1', 'M', { action: 'A', payload: i, pad: 'x'.repeat(10_000) });
    for (let i = 0; i < 1000; i++) ch.write(big(i));
    const seen: number[] = [];
    while (seen.length < 1000) {
      ep.complete();
      await tick();
      seen.length = 0;
      for (const f of ep.frames) forEachEnvelope(f, (e) => seen.push((e as Envelope).data.payload as number));
    }
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const sizes = ep.frames.map((f) => (Array.isArray(f) ? f.length : 1));
    // After the first big frames, the channel settles at about 64 KiB per frame (6–7 envelopes of 10 KB).
    expect(Math.max(...sizes.slice(-10))).toBeLessThanOrEqual(8);

    // Small envelopes under the same backlog keep full frames: the receiver is slow, coalescing helps it.
    const ep2 = new SlowEndpoint();
    ep2.accept = false;
    const ch2 = new IpcChannel('M', ep2);
    for (let i = 0; i < 1000; i++) ch2.write(env(i));
    while (ep2.envelopes < 1000) {
      ep2.complete();
      await tick();
    }
    expect(Math.max(...ep2.frames.map((f) => (Array.isArray(f) ? f.length : 1)))).toBe(MAX_FRAME_ENVELOPES);
  });

  it('ISSUE-6: a burst of envelopes too big for Node\'s backlog goes one per frame, never as one frame of all of them; small ones regrow the frames', async () => {
    const ep = new SlowEndpoint();
    const ch = new IpcChannel('M', ep);
    // Like Node: any frame holding a ~200 KB envelope leaves a backlog past 128 KiB.
    ep.send = function (frame, h, o, cb) {
      this.accept = JSON.stringify(frame).length < 131072;
      return SlowEndpoint.prototype.send.call(this, frame, h, o, cb);
    };
    const big = (i: number): Envelope => createEnvelope('W:1', 'M', { action: 'A', payload: i, pad: 'x'.repeat(200_000) });
    for (let i = 0; i < 40; i++) ch.write(big(i));
    while (ep.envelopes < 40) {
      ep.complete();
      await tick();
    }
    expect(ep.frames.map((f) => (Array.isArray(f) ? f.length : 1))).toEqual(new Array(40).fill(1));
    // Small envelopes again: sampling lets the frames grow back to full ones.
    const before = ep.frames.length;
    for (let round = 0; round < 200 && Math.max(1, ...ep.frames.slice(before).map((f) => (Array.isArray(f) ? f.length : 1))) < MAX_FRAME_ENVELOPES; round++) {
      for (let i = 0; i < MAX_FRAME_ENVELOPES + 1; i++) ch.write(env(i));
      while (ch.pending > 0) {
        ep.complete();
        await tick();
      }
    }
    expect(Math.max(...ep.frames.slice(before).map((f) => (Array.isArray(f) ? f.length : 1)))).toBe(MAX_FRAME_ENVELOPES);
  });

  it('ISSUE-6: held writes fail with an error naming the peer when the channel disconnects, and drain waiters are released', async () => {
    const ep = new SlowEndpoint();
    const ch = new IpcChannel('W:3', ep, { highWaterMark: 1 });
    const errors: (Error | null)[] = [];
    ch.write(env(0));
    ch.write(env(1), (err) => errors.push(err));
    const drained = ch.drained();
    ep.connected = false;
    ep.emit('disconnect');
    await drained;
    await tick();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('W:3');
    expect(ch.congested).toBe(false);
  });

  it('ISSUE-6: a write on a closed channel reports an error to its callback instead of throwing', async () => {
    const ep = new SlowEndpoint();
    ep.connected = false;
    const ch = new IpcChannel('M', ep);
    const err = await new Promise<Error | null>((resolve) => ch.write(env(0), resolve));
    expect(err?.message).toContain('closed');
  });
});

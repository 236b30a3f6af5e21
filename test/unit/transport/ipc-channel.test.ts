import { describe, expect, it } from 'vitest';
import { IpcChannel, forEachEnvelope } from '../../../src/transport/ipc-channel';
import { createEnvelope, type Envelope } from '../../../src/protocol/envelope';
import { decodeFrame } from '../../helpers/wire-frames';

/** A fake IPC endpoint: records frames and calls back asynchronously, like Node does. */
function fakeEndpoint(opts: { throwOnSend?: boolean; failWith?: Error } = {}) {
  const frames: unknown[] = [];
  const endpoint = {
    connected: true,
    send(message: unknown, _h?: undefined, _o?: undefined, cb?: (e: Error | null) => void): boolean {
      if (opts.throwOnSend) throw Object.assign(new Error('Channel closed'), { code: 'ERR_IPC_CHANNEL_CLOSED' });
      frames.push(decodeFrame(message));
      if (cb) setImmediate(() => cb(opts.failWith ?? null));
      return true;
    },
  };
  return { endpoint, frames };
}

const env = (n: number): Envelope => createEnvelope('M', 'W:1', { action: 'A', payload: n });
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('IpcChannel', () => {
  it('ISSUE-3: the first write of a tick goes out at once; the rest of the tick goes as one array frame', async () => {
    const { endpoint, frames } = fakeEndpoint();
    const ch = new IpcChannel('W:1', endpoint);
    ch.write(env(0));
    expect(frames).toEqual([env(0)]);
    for (let i = 1; i < 5; i++) ch.write(env(i));
    expect(frames).toHaveLength(1);
    await Promise.resolve();
    expect(frames).toHaveLength(2);
    expect(frames[1]).toEqual([env(1), env(2), env(3), env(4)]);
    await tick();
    ch.write(env(5));
    expect(frames[2]).toEqual(env(5));
  });

  it('ISSUE-3: a single queued envelope goes as itself, not as an array', async () => {
    const { endpoint, frames } = fakeEndpoint();
    const ch = new IpcChannel('W:1', endpoint);
    ch.write(env(0));
    ch.write(env(1));
    await tick();
    expect(frames).toEqual([env(0), env(1)]);
  });

  it('ISSUE-3: every write callback is called once', async () => {
    const { endpoint } = fakeEndpoint();
    const ch = new IpcChannel('W:1', endpoint);
    const called: [number, Error | null][] = [];
    for (let i = 0; i < 4; i++) ch.write(env(i), (e) => called.push([i, e]));
    ch.write(env(9));
    await tick();
    await tick();
    expect(called.sort((a, b) => a[0] - b[0])).toEqual([[0, null], [1, null], [2, null], [3, null]]);
  });

  it('ISSUE-3: a write error reaches every callback of its frame', async () => {
    const failure = new Error('EPIPE');
    const { endpoint } = fakeEndpoint({ failWith: failure });
    const ch = new IpcChannel('W:1', endpoint);
    const errors: (Error | null)[] = [];
    ch.write(env(0), (e) => errors.push(e));
    ch.write(env(1), (e) => errors.push(e));
    ch.write(env(2), (e) => errors.push(e));
    await tick();
    await tick();
    expect(errors).toEqual([failure, failure, failure]);
  });

  it('ISSUE-3: a closed channel is reported to the callback, never thrown', async () => {
    const { endpoint, frames } = fakeEndpoint();
    endpoint.connected = false;
    const ch = new IpcChannel('W:3', endpoint);
    expect(ch.connected).toBe(false);
    const errors: (Error | null)[] = [];
    expect(() => ch.write(env(0), (e) => errors.push(e))).not.toThrow();
    expect(() => ch.write(env(1))).not.toThrow();
    expect(() => ch.write(env(2), (e) => errors.push(e))).not.toThrow();
    await tick();
    expect(frames).toEqual([]);
    expect(errors).toHaveLength(2);
    expect(errors[0]!.message).toBe('IPC channel to W:3 is closed');
  });

  it('ISSUE-3: a send that throws (channel closing under us) is reported, never thrown', async () => {
    const { endpoint } = fakeEndpoint({ throwOnSend: true });
    const ch = new IpcChannel('W:1', endpoint);
    const errors: (Error | null)[] = [];
    expect(() => ch.write(env(0), (e) => errors.push(e))).not.toThrow();
    expect(() => ch.write(env(1), (e) => errors.push(e))).not.toThrow();
    await tick();
    expect(errors.map((e) => e?.message)).toEqual(['Channel closed', 'Channel closed']);
  });

  it('ISSUE-3: an endpoint without send() is not connected', () => {
    expect(new IpcChannel('M', {}).connected).toBe(false);
  });

  it('ISSUE-3: forEachEnvelope unpacks array frames and single envelopes', () => {
    const seen: unknown[] = [];
    forEachEnvelope([env(1), env(2)], (m) => seen.push(m));
    forEachEnvelope(env(3), (m) => seen.push(m));
    forEachEnvelope('garbage', (m) => seen.push(m));
    expect(seen).toEqual([env(1), env(2), env(3), 'garbage']);
  });
});

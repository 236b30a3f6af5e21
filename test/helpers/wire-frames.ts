/** Test helper: a frame as a channel wrote it (protocol/wire.ts form), back as envelopes, to compare with what was written. */
import { fromWire } from '../../src/protocol/wire';

/** Decodes one written frame (one wire envelope or an array of them). */
export function decodeFrame(frame: unknown): unknown {
  return Array.isArray(frame) ? frame.map((m) => fromWire(m) ?? m) : (fromWire(frame) ?? frame);
}

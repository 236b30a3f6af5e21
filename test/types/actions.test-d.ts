/**
 * ISSUE-7 type test: typed actions (defineAction<Payload, Result>) are checked by the compiler on
 * every messaging method. Compiled (never run) by test/unit/core/typed-actions.test.ts with
 * `tsc --noEmit -p test/types`: each `@ts-expect-error` line must be an error, or the compile fails.
 */
import { ClusterCore, defineAction } from 'clustercore';

declare const core: ClusterCore;

const ADD = defineAction<{ a: number; b: number }, number>('ADD');
const PING = defineAction<void, 'pong'>('PING');
const NOTE = defineAction<string | undefined, void>('NOTE');

/** Compile-time equality of two types. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

export async function typedActions(): Promise<void> {
  // ── request: payload checked, result typed ──
  const sum = await core.request('W:1', ADD, { a: 1, b: 2 });
  expectType<Equal<typeof sum, number>>();
  const sum2 = await core.request('W:1', ADD, { a: 1, b: 2 }, { timeout: 100 });
  expectType<Equal<typeof sum2, number>>();
  // @ts-expect-error a wrong payload type does not compile
  await core.request('W:1', ADD, { a: 1, b: 'two' });
  // @ts-expect-error a missing payload does not compile
  await core.request('W:1', ADD);
  // @ts-expect-error an extra field does not compile
  await core.request('W:1', ADD, { a: 1, b: 2, c: 3 });
  const pong = await core.request('W:1', PING);
  expectType<Equal<typeof pong, 'pong'>>();
  // @ts-expect-error a void action takes no payload
  await core.request('W:1', PING, { x: 1 });
  // @ts-expect-error the result type is the token's, not the caller's choice
  const wrong: string = await core.request('W:1', ADD, { a: 1, b: 2 });
  void wrong;

  // ── send ──
  await core.send('W:1', ADD, { a: 1, b: 2 });
  await core.send('A', NOTE);
  await core.send('A', NOTE, 'hello');
  // @ts-expect-error a wrong payload type does not compile
  await core.send('W:1', ADD, { a: '1', b: 2 });
  // @ts-expect-error a wrong payload type does not compile
  await core.send('A', NOTE, 42);

  // ── broadcast / sendRandom ──
  const reached: string[] = await core.broadcast(ADD, { a: 1, b: 2 });
  void reached;
  const picked: string = await core.sendRandom(NOTE, 'x');
  void picked;
  // @ts-expect-error a wrong payload type does not compile
  await core.broadcast(ADD, { a: 1 });
  // @ts-expect-error a wrong payload type does not compile
  await core.sendRandom(ADD, 'one plus two');

  // ── consume / map ──
  const taker: string = await core.consume(ADD, { a: 1, b: 2 }, { timeout: 1000 });
  void taker;
  // @ts-expect-error a wrong payload type does not compile
  await core.consume(ADD, [1, 2]);
  const sums = await core.map(ADD, { a: 1, b: 2 }, { timeout: 1000 });
  expectType<Equal<typeof sums, number[]>>();
  const pongs = await core.map(PING);
  expectType<Equal<typeof pongs, 'pong'[]>>();
  // @ts-expect-error a wrong payload type does not compile
  await core.map(ADD, { a: 1, b: null });

  // ── the static (Corejs) forms carry the same overloads ──
  const s = await ClusterCore.request('W:1', ADD, { a: 1, b: 2 });
  expectType<Equal<typeof s, number>>();
  // @ts-expect-error a wrong payload type does not compile
  await ClusterCore.map(ADD, { a: true, b: 2 });

  // ── plain strings stay untyped ──
  const anyAnswer = await core.request('W:1', 'FREE', { anything: [1, 'x'] });
  expectType<Equal<typeof anyAnswer, unknown>>();
  const claimed = await core.map<number>('FREE');
  expectType<Equal<typeof claimed, number[]>>();
}

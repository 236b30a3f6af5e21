/**
 * ISSUE-4 type test: the global object's public types. Compiled (never run) with the other type
 * tests by `tsc --noEmit -p test/types` (test/unit/core/typed-actions.test.ts); each
 * `@ts-expect-error` line must be an error, or the compile fails.
 */
import { ClusterCore, Macros, type GlobalObject, type GlobalSetResult, type SetGlobalObjectDetail } from 'clustercore';

declare const core: ClusterCore;

/** Compile-time equality of two types. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

interface Counters {
  seen?: number;
  queue?: { id: number }[];
}

export async function promiseForm(): Promise<void> {
  // ── typed view: functions see the shape, context is inferred ──
  const counters = core.global.as<Counters>();
  const g = await counters.update((s, ctx) => ({ seen: (s.seen ?? 0) + ctx.by }), { by: 1 });
  expectType<Equal<typeof g, Counters>>();
  // @ts-expect-error the context has no such field
  await counters.update((s, ctx) => ({ seen: ctx.nope }), { by: 1 });
  // @ts-expect-error the result must be a part of the shape
  await counters.update(() => ({ seen: 'many' }));
  const { commandResult, globalObject } = await counters.set<number>(['queue', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], { id: 1 });
  expectType<Equal<typeof commandResult, number>>();
  expectType<Equal<typeof globalObject, Counters>>();
  const n = await counters.query((s, ctx) => (s.queue ?? []).length + ctx.extra, { extra: 1 });
  expectType<Equal<typeof n, number>>();
  const whole = await counters.query();
  expectType<Equal<typeof whole, Counters>>();
  const top = await core.global.get<number[]>(['queue', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE], 0, 10);
  expectType<Equal<typeof top, number[]>>();
  const removed = await core.global.remove('queue');
  expectType<Equal<typeof removed, GlobalObject>>();
  const set: GlobalSetResult = await core.global.set('a', 1, 2);
  expectType<Equal<typeof set.commandResult, unknown>>();
  // @ts-expect-error a key path is a key or an array of keys
  await core.global.get({ a: 1 });
  // @ts-expect-error set needs a key path
  await core.global.set();
  // @ts-expect-error update needs a function
  await core.global.update({ by: 1 });
}

export function callbackForm(): void {
  ClusterCore.getGlobalObject((err, value) => {
    expectType<Equal<typeof err, Error | null>>();
    expectType<Equal<typeof value, unknown>>();
  });
  ClusterCore.getGlobalObject(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE], 1, 2, () => {});
  ClusterCore.setGlobalObject(['q', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], 'a', 'b', (err, detail) => {
    expectType<Equal<typeof detail, SetGlobalObjectDetail>>();
  });
  ClusterCore.setGlobalObject('k', 1);
  core.removeGlobalObject(['a', 0], (err, globalObject) => {
    expectType<Equal<typeof globalObject, GlobalObject | undefined>>();
  });
  ClusterCore.queryGlobalObject({ id: 1 }, (g, ctx) => ctx.id, (err, value) => {});
  ClusterCore.updateGlobalObject({ by: 1 }, (g, ctx) => ({ n: ctx.by }));
  ClusterCore.updateGlobalObject(() => ({ n: 1 }), () => {});
  // @ts-expect-error removeGlobalObject needs a key path
  ClusterCore.removeGlobalObject();
  // @ts-expect-error getGlobalObject needs a callback
  ClusterCore.getGlobalObject('a');
}

/** Runs `fn`, expects it to throw an instance of `ErrorClass`, and returns that error for more checks. */
import { expect } from 'vitest';

/** The error `fn` threw, checked to be an instance of `ErrorClass`; fails the test when nothing was thrown. */
export function thrownBy<E extends Error>(ErrorClass: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ErrorClass);
    return err as E;
  }
  throw new Error(`expected a ${ErrorClass.name}, nothing was thrown`);
}

/**
 * The error `fn` threw or its result rejected with (a promise, or a store's `Later`), checked to
 * be an instance of `ErrorClass`; fails the test when it succeeded.
 */
export async function rejectedBy<E extends Error>(ErrorClass: new (...args: never[]) => E, fn: () => unknown): Promise<E> {
  try {
    await settled(fn());
  } catch (err) {
    expect(err).toBeInstanceOf(ErrorClass);
    return err as E;
  }
  throw new Error(`expected a ${ErrorClass.name}, nothing was thrown`);
}

/** The value of a store's answer: itself, what a promise resolves with, or what a `Later` settles with. */
export function settled(value: unknown): Promise<unknown> {
  const later = value as { promise?: unknown } | null;
  if (typeof later === 'object' && later !== null && later.constructor?.name === 'Later') return later.promise as Promise<unknown>;
  return Promise.resolve(value);
}

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

/**
 * Action names: a plain string, or a typed token from defineAction() that carries the payload and
 * result types to the compiler.
 */
import { checkAction } from '../protocol/message-args';

/** A typed action token: `defineAction<Payload, Result>('NAME')`. */
export interface ActionToken<Payload = unknown, Result = unknown> {
  /** The action string on the wire. */
  readonly name: string;
  /** Type-only marker (never set at run time). */
  readonly __types?: { payload: Payload; result: Result };
}

/** What the promise API accepts as an action. */
export type ActionName = string | ActionToken<unknown, unknown>;

/** Payload type a token carries (`unknown` for a plain string). */
export type PayloadOf<T> = T extends ActionToken<infer P, unknown> ? P : unknown;

/** Result type a token carries (`unknown` for a plain string). */
export type ResultOf<T> = T extends ActionToken<unknown, infer R> ? R : unknown;

/**
 * The payload argument(s) of a typed call: optional when the payload type accepts `undefined`
 * (`defineAction<void, R>`), required otherwise, so a missing payload is a compile error too.
 */
export type PayloadArgs<P> = undefined extends P ? [payload?: P] : [payload: P];

/** The payload argument of a typed call followed by an optional options argument. */
export type PayloadArgsWith<P, O> = undefined extends P ? [payload?: P, options?: O] : [payload: P, options?: O];

/**
 * Makes a typed action token: `const ADD = defineAction<{ a: number; b: number }, number>('ADD')`.
 * The name is checked like any action (non-empty, not internal); the token is frozen.
 */
export function defineAction<Payload = void, Result = void>(name: string): ActionToken<Payload, Result> {
  const bad = checkAction('defineAction', name);
  if (bad) throw bad;
  return Object.freeze({ name });
}

/** The wire name of an action argument (a string or a token); undefined for anything else. */
export function actionNameOf(action: unknown): unknown {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'name' in action) return (action as { name: unknown }).name;
  return action;
}

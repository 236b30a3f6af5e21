/**
 * Action names: a plain string, or a typed token from defineAction() that carries the payload and
 * result types to the compiler.
 */

/** A typed action token: `defineAction<Payload, Result>('NAME')`. */
export interface ActionToken<Payload = unknown, Result = unknown> {
  /** The action string on the wire. */
  readonly name: string;
  /** Type-only marker (never set at run time). */
  readonly __types?: { payload: Payload; result: Result };
}

/** What the promise API accepts as an action. */
export type ActionName = string | ActionToken<unknown, unknown>;

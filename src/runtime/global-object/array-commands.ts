/**
 * The array commands of the global object (R-GLOBAL-1, R-GLOBAL-2): a macro value appended to a key
 * path names an Array method to apply to the array at that path. Eight write commands serve
 * setGlobalObject; SLICE (seed 001) is the one read command and serves getGlobalObject.
 *
 * Every argument is checked here before the method runs, so a command either applies completely or
 * not at all: the store relies on that for atomicity.
 */
import { Macros } from '../../protocol/macros';
import { describe } from '../../protocol/errors';
import { cloneJson } from '../../protocol/json-safe';

/** Name of an array command: its Macros key without the `CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_` prefix. */
export type ArrayCommandName = 'POP' | 'PUSH' | 'FILL' | 'SHIFT' | 'SPLICE' | 'UNSHIFT' | 'REVERSE' | 'COPYWITHIN' | 'SLICE';

/** The Array.prototype method a command applies. */
export type ArrayMethodName = 'pop' | 'push' | 'fill' | 'shift' | 'splice' | 'unshift' | 'reverse' | 'copyWithin' | 'slice';

/** One array command and the arguments it accepts. */
export interface ArrayCommand {
  /** The macro value that appears at the end of a key path. */
  readonly macro: string;
  /** Short name used in error messages (`PUSH`). */
  readonly name: ArrayCommandName;
  /** The Array method it applies. */
  readonly method: ArrayMethodName;
  /** True for the commands of setGlobalObject, false for SLICE (getGlobalObject). */
  readonly writes: boolean;
  /** Fewest arguments accepted. */
  readonly minArgs: number;
  /** Most arguments accepted (Infinity for PUSH, UNSHIFT, SPLICE). */
  readonly maxArgs: number;
  /** Positions that must be integers (indexes and counts); every other argument is a stored value. */
  readonly integerArgs: readonly number[];
}

const M = Macros;

// FILL needs its value: fill() would write `undefined`, which JSON cannot carry.
// POP / SHIFT / REVERSE take nothing: an argument given to them is a mistake, not something to drop.
const COMMANDS: readonly ArrayCommand[] = [
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_POP, name: 'POP', method: 'pop', writes: true, minArgs: 0, maxArgs: 0, integerArgs: [] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH, name: 'PUSH', method: 'push', writes: true, minArgs: 0, maxArgs: Infinity, integerArgs: [] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_FILL, name: 'FILL', method: 'fill', writes: true, minArgs: 1, maxArgs: 3, integerArgs: [1, 2] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SHIFT, name: 'SHIFT', method: 'shift', writes: true, minArgs: 0, maxArgs: 0, integerArgs: [] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SPLICE, name: 'SPLICE', method: 'splice', writes: true, minArgs: 0, maxArgs: Infinity, integerArgs: [0, 1] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_UNSHIFT, name: 'UNSHIFT', method: 'unshift', writes: true, minArgs: 0, maxArgs: Infinity, integerArgs: [] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_REVERSE, name: 'REVERSE', method: 'reverse', writes: true, minArgs: 0, maxArgs: 0, integerArgs: [] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_COPYWITHIN, name: 'COPYWITHIN', method: 'copyWithin', writes: true, minArgs: 0, maxArgs: 3, integerArgs: [0, 1, 2] },
  { macro: M.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE, name: 'SLICE', method: 'slice', writes: false, minArgs: 0, maxArgs: 2, integerArgs: [0, 1] },
];

/** Every array command, by macro value. */
export const ARRAY_COMMANDS: ReadonlyMap<string, ArrayCommand> = new Map(COMMANDS.map((c) => [c.macro, c]));

/** The command whose macro value is `value`, or null when `value` is an ordinary key. */
export function arrayCommandOf(value: unknown): ArrayCommand | null {
  return typeof value === 'string' ? ARRAY_COMMANDS.get(value) ?? null : null;
}

/** Why `args` cannot be given to `command` (count, or a non-integer index), or null when they can. */
export function checkArrayCommandArgs(command: ArrayCommand, args: readonly unknown[]): string | null {
  const { name, minArgs, maxArgs } = command;
  if (args.length < minArgs || args.length > maxArgs) {
    const range = maxArgs === Infinity ? `at least ${minArgs}` : minArgs === maxArgs ? `${minArgs}` : `${minArgs} to ${maxArgs}`;
    return `${name} takes ${range} argument${maxArgs === 1 ? '' : 's'}, got ${args.length}`;
  }
  for (const i of command.integerArgs) {
    // Array methods would coerce a string or null silently (splice('x') is splice(0)); refuse instead.
    if (i < args.length && !Number.isSafeInteger(args[i])) {
      return `${name} argument ${i + 1} must be an integer, got ${describe(args[i])}`;
    }
  }
  return null;
}

/**
 * Applies `command` to `array` with `args` (already checked) and returns what the method returns.
 * Stored values are copied first, so the array never shares an object with the caller.
 */
export function applyArrayCommand(command: ArrayCommand, array: unknown[], args: readonly unknown[]): unknown {
  const copies = args.map((arg) => cloneJson(arg));
  const method = Array.prototype[command.method] as (this: unknown[], ...methodArgs: unknown[]) => unknown;
  const result = method.apply(array, copies);
  const filler = copies[0];
  if (command.name === 'FILL' && typeof filler === 'object' && filler !== null) {
    // fill() puts one object in every slot; JSON would hold separate copies, so a later write to
    // one slot must not show in the others.
    for (let i = 0; i < array.length; i++) if (array[i] === filler) array[i] = cloneJson(filler);
  }
  return result;
}

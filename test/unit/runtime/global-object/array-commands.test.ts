import { describe, expect, it } from 'vitest';
import { Macros } from '../../../../src/protocol/macros';
import {
  ARRAY_COMMANDS,
  applyArrayCommand,
  arrayCommandOf,
  checkArrayCommandArgs,
  type ArrayCommand,
  type ArrayCommandName,
} from '../../../../src/runtime/global-object/array-commands';

function command(name: ArrayCommandName): ArrayCommand {
  const found = arrayCommandOf(Macros[`CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_${name}`]);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

const WRITE: ArrayCommandName[] = ['POP', 'PUSH', 'FILL', 'SHIFT', 'SPLICE', 'UNSHIFT', 'REVERSE', 'COPYWITHIN'];

describe('array-commands', () => {
  it('R-GLOBAL-2: every write command of the Macros table maps to its Array method', () => {
    const methods = WRITE.map((name) => command(name).method);
    expect(methods).toEqual(['pop', 'push', 'fill', 'shift', 'splice', 'unshift', 'reverse', 'copyWithin']);
    expect(WRITE.every((name) => command(name).writes)).toBe(true);
    expect(ARRAY_COMMANDS.size).toBe(9);
  });

  it('R-GLOBAL-1: SLICE maps to slice and only reads', () => {
    expect(command('SLICE')).toMatchObject({ method: 'slice', writes: false });
  });

  it('R-GLOBAL-2: an ordinary key or a non-string is not a command', () => {
    expect(arrayCommandOf('push')).toBeNull();
    expect(arrayCommandOf(0)).toBeNull();
    expect(arrayCommandOf(undefined)).toBeNull();
  });

  it.each<[ArrayCommandName, unknown[], string]>([
    ['POP', [1], 'POP takes 0 arguments, got 1'],
    ['SHIFT', ['x'], 'SHIFT takes 0 arguments, got 1'],
    ['REVERSE', [1, 2], 'REVERSE takes 0 arguments, got 2'],
    ['FILL', [], 'FILL takes 1 to 3 arguments, got 0'],
    ['FILL', [0, 'x'], 'FILL argument 2 must be an integer, got "x"'],
    ['SPLICE', ['1'], 'SPLICE argument 1 must be an integer, got "1"'],
    ['SPLICE', [0, null], 'SPLICE argument 2 must be an integer, got null'],
    ['COPYWITHIN', [0, 1, 2, 3], 'COPYWITHIN takes 0 to 3 arguments, got 4'],
    ['COPYWITHIN', [0.5], 'COPYWITHIN argument 1 must be an integer, got number 0.5'],
    ['SLICE', [0, 1, 2], 'SLICE takes 0 to 2 arguments, got 3'],
    ['SLICE', [NaN], 'SLICE argument 1 must be an integer, got number NaN'],
  ])('R-GLOBAL-2: %s refuses arguments %j', (name, args, message) => {
    expect(checkArrayCommandArgs(command(name), args)).toBe(message);
  });

  it('R-GLOBAL-2: accepted argument lists pass the check', () => {
    expect(checkArrayCommandArgs(command('PUSH'), [1, 'a', { b: 2 }])).toBeNull();
    expect(checkArrayCommandArgs(command('SPLICE'), [1, 0, 'x', 'y'])).toBeNull();
    expect(checkArrayCommandArgs(command('SPLICE'), [])).toBeNull();
    expect(checkArrayCommandArgs(command('FILL'), [{ a: 1 }, -2])).toBeNull();
    expect(checkArrayCommandArgs(command('SLICE'), [-2])).toBeNull();
  });

  it('R-GLOBAL-2: pushed values are copies, never the caller\'s objects', () => {
    const item = { n: 1 };
    const array: unknown[] = [];
    expect(applyArrayCommand(command('PUSH'), array, [item, item])).toBe(2);
    item.n = 2;
    expect(array).toEqual([{ n: 1 }, { n: 1 }]);
    expect(array[0]).not.toBe(array[1]);
  });

  it('R-GLOBAL-2: FILL with an object gives every slot its own copy', () => {
    const array: unknown[] = [0, 0, 0, 0];
    expect(applyArrayCommand(command('FILL'), array, [{ a: 1 }, 1, 3])).toBe(array);
    expect(array).toEqual([0, { a: 1 }, { a: 1 }, 0]);
    expect(array[1]).not.toBe(array[2]);
  });

  it('R-GLOBAL-1: SLICE returns a new array and leaves the original alone', () => {
    const array = [0, 1, 2, 3, 4, 5];
    expect(applyArrayCommand(command('SLICE'), array, [1, 2])).toEqual([1]);
    expect(array).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

/** Errors of the global object across IPC: same class, same message, same cause class. */
import { describe, expect, it } from 'vitest';
import { ClusterCoreError, GlobalObjectError, InvalidArgumentError } from '../../../../src/protocol/errors';
import { globalErrorToWire, reviveGlobalError } from '../../../../src/runtime/global-object/global-object-wire';

const roundTrip = (err: unknown) => reviveGlobalError(JSON.parse(JSON.stringify(globalErrorToWire(err))));

describe('global-object wire errors', () => {
  it('R-GLOBAL-4: a GlobalObjectError with a ReferenceError cause comes back as the same classes and messages', () => {
    const original = new GlobalObjectError('updateGlobalObject: updateFn threw ReferenceError: x is not defined', { cause: new ReferenceError('x is not defined') });
    const back = roundTrip(original);
    expect(back).toBeInstanceOf(GlobalObjectError);
    expect(back.name).toBe('GlobalObjectError');
    expect(back.message).toBe(original.message);
    expect(back.cause).toBeInstanceOf(ReferenceError);
    expect((back.cause as Error).message).toBe('x is not defined');
  });

  it('ISSUE-4: InvalidArgumentError keeps its class; other names keep their name; a custom cause keeps its name', () => {
    const invalid = roundTrip(new InvalidArgumentError('setGlobalObject', 'value', 1n, 'JSON-safe'));
    expect(invalid).toBeInstanceOf(InvalidArgumentError);
    expect(invalid.message).toBe("setGlobalObject: argument 'value' must be JSON-safe, got bigint 1");
    const cause = new Error('custom');
    cause.name = 'QuotaError';
    const other = roundTrip(Object.assign(new TypeError('odd', { cause }), {}));
    expect(other).toBeInstanceOf(ClusterCoreError);
    expect(other.name).toBe('TypeError');
    expect((other.cause as Error).name).toBe('QuotaError');
    expect(roundTrip('a string').message).toBe('a string');
    expect(reviveGlobalError(null)).toBeInstanceOf(GlobalObjectError);
  });
});

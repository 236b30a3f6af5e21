import { describe, expect, it } from 'vitest';
import { checkAction, checkPayload, checkTarget, checkTimeout, checkUserData, parseTraceOptions } from '../../../src/protocol/message-args';
import { ClusterCoreError, InvalidArgumentError } from '../../../src/protocol/errors';
import { Macros, InternalActions } from '../../../src/protocol/macros';
import { MAX_DATA_DEPTH } from '../../../src/protocol/limits';

/** The error must exist and its message must name the method, the argument and (a view of) the value. */
function expectNamed(err: unknown, method: string, argument: string, value: string): void {
  expect(err).toBeInstanceOf(ClusterCoreError);
  const message = (err as Error).message;
  expect(message).toContain(`${method}:`);
  expect(message).toContain(argument);
  expect(message).toContain(value);
}

describe('message arguments', () => {
  it('R-IPC-2: data that is not a plain object is refused', () => {
    const cases: [unknown, string][] = [
      [undefined, 'undefined'], [null, 'null'], [5, 'number 5'], ['x', '"x"'], [true, 'boolean true'],
      [[{ action: 'A' }], 'array(1)'], [new Map(), 'instance of Map'], [() => {}, 'function'],
    ];
    for (const [data, shown] of cases) {
      const err = checkUserData('sendData', data);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expectNamed(err, 'sendData', "'data'", shown);
    }
  });

  it('R-IPC-2: a missing, empty or non-string action is refused', () => {
    const cases: [unknown, string][] = [[undefined, 'undefined'], ['', '""'], [1, 'number 1'], [null, 'null'], [{}, 'object'], [['A'], 'array(1)']];
    for (const [action, shown] of cases) {
      const data = action === undefined ? { payload: 1 } : { action };
      const err = checkUserData('sendDataWithTraceCallBack', data);
      expectNamed(err, 'sendDataWithTraceCallBack', "'data.action'", shown);
    }
    expectNamed(checkAction('request', ''), 'request', "'action'", '""');
    expectNamed(checkAction('send', 42), 'send', "'action'", 'number 42');
  });

  it('R-IPC-5: a user message with an internal action is refused', () => {
    for (const action of [...Object.values(Macros).filter((v) => typeof v === 'string' && v.startsWith('@@cc/') && v.includes(':')), ...Object.values(InternalActions)]) {
      const err = checkUserData('sendData', { action });
      expectNamed(err, 'sendData', "'data.action'", JSON.stringify(action));
      expectNamed(checkAction('request', action), 'request', "'action'", JSON.stringify(action));
    }
    expect(checkUserData('sendData', { action: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_INITIAL_INFO })?.message).toMatch(/reserved/);
  });

  it('R-IPC-2: values that do not survive JSON are refused, naming where they are', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cyclicArray: unknown[] = [];
    cyclicArray.push(cyclicArray);
    const cases: [unknown, string][] = [
      [() => 1, 'data.payload is a function'],
      [{ f() {} }, 'data.payload.f is a function'],
      [new Date(0), 'data.payload is an instance of Date'],
      [new Map([[1, 2]]), 'data.payload is an instance of Map'],
      [new Set([1]), 'data.payload is an instance of Set'],
      [NaN, 'data.payload is NaN'],
      [[1, Infinity], 'data.payload[1] is Infinity'],
      [-Infinity, 'data.payload is -Infinity'],
      [cyclic, 'data.payload.self is a circular reference'],
      [cyclicArray, 'data.payload[0] is a circular reference'],
      [10n, 'data.payload is a bigint'],
      [Symbol('s'), 'data.payload is a symbol'],
      [[undefined], 'data.payload[0] is a undefined'],
      [{ deep: [{ x: new Uint8Array(1) }] }, 'data.payload.deep[0].x is an instance of Uint8Array'],
    ];
    for (const [payload, where] of cases) {
      const err = checkUserData('sendData', { action: 'A', payload });
      expect(err, where).toBeInstanceOf(InvalidArgumentError);
      expectNamed(err, 'sendData', "'data'", where);
      expect((err as Error).message).toContain('JSON-safe');
    }
    expectNamed(checkPayload('request', new Date()), 'request', "'payload'", 'payload is an instance of Date');
  });

  it('R-IPC-2: JSON-safe data is accepted (shared references, undefined properties, null prototype)', () => {
    const shared = { v: 1 };
    const bare = Object.create(null) as Record<string, unknown>;
    bare.k = 'v';
    for (const payload of [undefined, null, 0, -1.5, 'x', true, [], {}, [1, 'a', null, { b: [false] }], { a: shared, b: shared }, { u: undefined }, bare]) {
      expect(checkUserData('sendData', { action: 'A', payload })).toBeNull();
    }
    expect(checkPayload('send', undefined)).toBeNull();
    expect(checkAction('send', 'A')).toBeNull();
  });

  it('R-IPC-3: a send to the sender itself is refused', () => {
    const err = checkTarget('sendData', 'W:1', 'W:1');
    expectNamed(err, 'sendData', "'processId'", '"W:1"');
    expectNamed(checkTarget('request', 'M', 'M'), 'request', "'processId'", '"M"');
    expect(checkTarget('sendData', 'W:2', 'W:1')).toBeNull();
  });

  it('R-PROC-1: a malformed process id is refused', () => {
    const cases: [unknown, string][] = [
      ['W:0', '"W:0"'], ['W:', '"W:"'], ['W:01', '"W:01"'], ['w:1', '"w:1"'], ['W:1.5', '"W:1.5"'], ['X', '"X"'],
      ['', '""'], [1, 'number 1'], [null, 'null'], [undefined, 'undefined'], [{}, 'object'],
    ];
    for (const [id, shown] of cases) {
      const err = checkTarget('sendData', id, 'M');
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expectNamed(err, 'sendData', "'processId'", shown);
    }
    for (const ok of ['M', 'A', 'W:1', 'W:42']) expect(checkTarget('sendData', ok, 'W:7')).toBeNull();
  });

  it('R-TRACE-1: options is { timeout = 10000, traceCallBack } or a function', () => {
    const cb = () => {};
    expect(parseTraceOptions('m', cb)).toEqual({ timeout: 10_000, traceCallBack: cb });
    expect(parseTraceOptions('m', { traceCallBack: cb })).toEqual({ timeout: 10_000, traceCallBack: cb });
    expect(parseTraceOptions('m', { traceCallBack: cb, timeout: 50 })).toEqual({ timeout: 50, traceCallBack: cb });
  });

  it('R-TRACE-1: bad trace options are refused, naming the option', () => {
    const m = 'sendDataWithTraceCallBack';
    expectNamed(parseTraceOptions(m, undefined), m, "'options'", 'undefined');
    expectNamed(parseTraceOptions(m, 3), m, "'options'", 'number 3');
    expectNamed(parseTraceOptions(m, {}), m, "'options.traceCallBack'", 'undefined');
    expectNamed(parseTraceOptions(m, { traceCallBack: 'f' }), m, "'options.traceCallBack'", '"f"');
    const cases: [unknown, string][] = [[0, 'number 0'], [-1, 'number -1'], [NaN, 'number NaN'], [Infinity, 'number Infinity'], ['100', '"100"'], [2 ** 31, 'number 2147483648'], [null, 'null']];
    for (const [timeout, shown] of cases) {
      expectNamed(parseTraceOptions(m, { traceCallBack: () => {}, timeout }), m, "'options.timeout'", shown);
    }
  });

  it('R-TRACE-6: a bad time-out of request() is refused', () => {
    expectNamed(checkTimeout('request', 0, 'options.timeout'), 'request', "'options.timeout'", 'number 0');
    expectNamed(checkTimeout('request', 'x'), 'request', "'timeout'", '"x"');
    expect(checkTimeout('request', 1)).toBeNull();
    expect(checkTimeout('request', 0x7fffffff)).toBeNull();
  });
});

describe('data limits on send (ISSUE-14)', () => {
  it('R-IPC-2: checkUserData and checkPayload refuse data past MAX_DATA_DEPTH or with a __proto__ key, naming the method, the argument and the limit', () => {
    const [user, payload] = [checkUserData, checkPayload];
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DATA_DEPTH - 1; i++) deep = [deep];
    // The payload sits at depth 2 inside { action, payload }: 99 levels fit, 100 do not.
    expect(payload('send', deep)).toBeNull();
    expect(user('sendData', { action: 'A', payload: deep })).toBeNull();
    const tooDeep = [deep];
    expect(payload('send', tooDeep)?.message).toMatch(/^send: argument 'payload' must be JSON-safe: payload\[0\].*is nested deeper than MAX_DATA_DEPTH \(100 levels of arrays and objects\), got array\(1\)$/);
    expect(user('sendData', { action: 'A', payload: tooDeep })?.message).toMatch(/^sendData: argument 'data' must be JSON-safe .*data\.payload\[0\].*MAX_DATA_DEPTH \(100/);
    expect(payload('request', JSON.parse('{"a":{"__proto__":{"x":1}}}'))?.message).toContain("payload.a.__proto__ is an own '__proto__' key");
    expect(payload('send', { constructor: 1, prototype: 2 })).toBeNull();
  });
});

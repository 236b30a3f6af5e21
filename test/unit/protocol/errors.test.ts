import { describe, expect, it } from 'vitest';
import * as api from '../../../src/index';
import { describe as describeValue, fromWireError, toWireError } from '../../../src/protocol/errors';

describe('errors', () => {
  it('R-TRACE-6: RemoteError and TraceTimeoutError are exported classes with a stable name', () => {
    const timeout = new api.TraceTimeoutError('W:1', 'ADD', 100);
    expect(timeout).toBeInstanceOf(api.TraceTimeoutError);
    expect(timeout).toBeInstanceOf(api.ClusterCoreError);
    expect(timeout).toBeInstanceOf(Error);
    expect(timeout.name).toBe('TraceTimeoutError');
    expect(timeout.message).toContain('W:1');
    expect(timeout.message).toContain('ADD');
    expect(timeout.message).toContain('100');
    const remote = new api.RemoteError('W:2', 'TypeError', 'boom', 'at x');
    expect(remote).toBeInstanceOf(api.RemoteError);
    expect(remote).toBeInstanceOf(api.ClusterCoreError);
    expect(remote.name).toBe('RemoteError');
    expect(remote.remoteName).toBe('TypeError');
    expect(remote.fromProcessId).toBe('W:2');
    expect(remote.message).toContain('boom');
    expect(remote.stack).toContain('at x');
  });

  it('ISSUE-3: every exported error has its class name as name', () => {
    expect(new api.ClusterCoreError('x').name).toBe('ClusterCoreError');
    expect(new api.TargetUnavailableError('W:3', 'exited').name).toBe('TargetUnavailableError');
    expect(new api.InvalidArgumentError('m', 'a', 1, 'b').name).toBe('InvalidArgumentError');
    expect(new api.GlobalObjectError('x').name).toBe('GlobalObjectError');
    expect(new api.DataLimitError('x').name).toBe('DataLimitError');
    expect(new api.DataLimitError('x')).toBeInstanceOf(api.ClusterCoreError);
  });

  it('ISSUE-3: a TargetUnavailableError survives the wire with its target', () => {
    const back = fromWireError(toWireError(new api.TargetUnavailableError('W:9', 'is not a live process of this group')));
    expect(back).toBeInstanceOf(api.TargetUnavailableError);
    expect(back.name).toBe('TargetUnavailableError');
    expect((back as api.TargetUnavailableError).toProcessId).toBe('W:9');
    expect(back.message).toBe('process W:9 is not a live process of this group');
    expect(toWireError('plain')).toEqual({ name: 'Error', message: 'plain' });
  });

  it('ISSUE-3: describe() is short and bounded', () => {
    expect(describeValue('x'.repeat(500)).length).toBeLessThan(70);
    expect(describeValue(new Map())).toBe('instance of Map');
    expect(describeValue(() => 1)).toContain('function');
    expect(describeValue([1, 2])).toBe('array(2)');
    expect(describeValue(NaN)).toBe('number NaN');
  });
});

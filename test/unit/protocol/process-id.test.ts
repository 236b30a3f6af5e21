import { describe, expect, it } from 'vitest';
import {
  compareQualifiedIds, isLocalProcessId, isNodeName, isProcessId, localize, nodeOf, parseProcessId, qualify,
} from '../../../src/protocol/process-id';

describe('process ids across nodes', () => {
  it('R-NODE-2: accepts local and qualified ids, and nothing else', () => {
    for (const id of ['M', 'A', 'W:1', 'W:42', 'b/W:1', 'node-1.example_x/M', 'host-123/A']) expect(isProcessId(id), id).toBe(true);
    for (const id of ['', 'W:0', 'W:01', 'b/', '/W:1', 'b/W:0', 'a/b/W:1', 'b c/W:1', '-b/W:1', 'b/X', 7, null, undefined]) {
      expect(isProcessId(id), String(id)).toBe(false);
    }
    expect(isLocalProcessId('b/W:1')).toBe(false);
    expect(isLocalProcessId('W:3')).toBe(true);
  });

  it('R-NODE-2: node names are 1-100 letters, digits, ".", "_", "-", starting with a letter or digit', () => {
    expect(isNodeName('a')).toBe(true);
    expect(isNodeName('web-01.eu_west')).toBe(true);
    expect(isNodeName('x'.repeat(100))).toBe(true);
    expect(isNodeName('x'.repeat(101))).toBe(false);
    expect(isNodeName('a/b')).toBe(false);
    expect(isNodeName('.a')).toBe(false);
    expect(isNodeName('')).toBe(false);
  });

  it('R-NODE-2: parses, qualifies and localizes', () => {
    expect(parseProcessId('b/W:1')).toEqual({ node: 'b', local: 'W:1' });
    expect(parseProcessId('W:1')).toEqual({ node: null, local: 'W:1' });
    expect(qualify('b', 'M')).toBe('b/M');
    expect(nodeOf('b/A')).toBe('b');
    expect(nodeOf('A')).toBeNull();
    // An id qualified with this node's own name is local; anything else stays as it is.
    expect(localize('a/W:2', 'a')).toBe('W:2');
    expect(localize('ab/W:2', 'a')).toBe('ab/W:2');
    expect(localize('b/W:2', 'a')).toBe('b/W:2');
    expect(localize('W:2', 'a')).toBe('W:2');
    expect(localize('a/W:2', null)).toBe('a/W:2');
  });

  it('R-NODE-2: orders qualified ids by node name, then M, workers by offset, A', () => {
    const ids = ['b/A', 'a/W:10', 'b/M', 'a/A', 'a/W:2', 'a/M', 'b/W:1'];
    expect([...ids].sort(compareQualifiedIds)).toEqual(['a/M', 'a/W:2', 'a/W:10', 'a/A', 'b/M', 'b/W:1', 'b/A']);
  });
});

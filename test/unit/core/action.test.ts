import { describe, expect, it } from 'vitest';
import { actionNameOf, defineAction } from '../../../src/core/action';

describe('defineAction', () => {
  it('ISSUE-7: makes a frozen token carrying the wire name', () => {
    const ADD = defineAction<{ a: number }, number>('ADD');
    expect(ADD.name).toBe('ADD');
    expect(Object.isFrozen(ADD)).toBe(true);
    expect(actionNameOf(ADD)).toBe('ADD');
    expect(actionNameOf('PLAIN')).toBe('PLAIN');
  });

  it('ISSUE-7: refuses an empty, non-string or internal name, naming the method and the value', () => {
    expect(() => defineAction('')).toThrow(/defineAction: argument 'action' must be a non-empty string, got ""/);
    expect(() => defineAction(42 as unknown as string)).toThrow(/defineAction: argument 'action' must be a non-empty string, got number 42/);
    expect(() => defineAction('@@cc/mine')).toThrow(/defineAction: argument 'action' is "@@cc\/mine", an action reserved to clustercore/);
  });
});

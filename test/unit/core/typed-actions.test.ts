/**
 * ISSUE-7 typed actions: test/types/actions.test-d.ts is compiled with tsc (spawned, bounded).
 * 1. As written it must compile: every `@ts-expect-error` line really is an error, every other line is fine.
 * 2. With the directives removed, the errors must be exactly on the lines they guarded, which proves
 *    each wrong payload (or result) is refused by the compiler and nothing else is.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPES, compileGuardedOnly, tsc } from '../../helpers/type-test';

describe('ISSUE-7: typed actions (defineAction<Payload, Result>)', () => {
  it('ISSUE-7: the type test compiles — every @ts-expect-error line is a compile error', () => {
    const r = tsc(path.join(TYPES, 'tsconfig.json'));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('ISSUE-7: without the directives, exactly the guarded lines fail (wrong payloads do not compile)', () => {
    const r = compileGuardedOnly('actions.test-d.ts');
    expect(r.guarded.length).toBeGreaterThanOrEqual(10);
    expect(r.status).not.toBe(0);
    expect(r.errorLines, r.output).toEqual(r.guarded);
  }, 60_000);
});

/**
 * ISSUE-5 typed handlers: test/types/decorators.test-d.ts is compiled with tsc (spawned, bounded).
 * With its `@ts-expect-error` directives removed, the errors must be exactly on the lines they
 * guarded: each wrong handler type is refused by the compiler, and every right one is accepted.
 */
import { describe, expect, it } from 'vitest';
import { compileGuardedOnly } from '../../helpers/type-test';

describe('ISSUE-5: @OnMessage with a defineAction() token is type-checked', () => {
  it('ISSUE-5: without the directives, exactly the guarded lines fail to compile', () => {
    const r = compileGuardedOnly('decorators.test-d.ts');
    expect(r.guarded).toHaveLength(4);
    expect(r.errorLines, r.output).toEqual(r.guarded);
  }, 60_000);
});

/**
 * R-DEC-6: every misuse of the decorator API fails at bootstrap with a ClusterCoreError naming the
 * class and the method (fixture test/fixtures/di/misuse.ts, one case per run), and nothing starts.
 */
import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

interface Failure { event: string; name: string; message: string }

async function failureOf(name: string): Promise<Failure> {
  const c = startCluster(fixture('di/misuse'), [name]);
  const exit = await c.exited(10_000);
  expect(exit.code, c.output()).toBe(1);
  const reports = c.reports<Failure>();
  expect(reports.filter((r) => r.event === 'bootstrapped')).toEqual([]);
  const failure = reports.find((r) => r.event === 'bootstrap-failed' || r.event === 'decorator-failed');
  expect(failure, c.output()).toBeDefined();
  expect(failure!.name).toBe('ClusterCoreError');
  return failure!;
}

const CASES: Array<[string, string, string]> = [
  ['R-DEC-6: two roles on one class', 'two-roles', 'bootstrap: class Both is decorated with @Master() and @Worker(); a class is the entry of one role only'],
  ['R-DEC-6: @OnMessage outside a role class', 'outside-role', 'bootstrap: NotARole.x has @OnMessage("X") but NotARole is not a role class; add @Master(), @Worker() or @Alone() to NotARole'],
  ['R-DEC-6: an empty action', 'empty-action', 'bootstrap: @OnMessage on EmptyAction.x needs a non-empty action string (or a defineAction() token), got ""'],
  ['R-DEC-6: an internal Macros action', 'internal-action', 'bootstrap: @OnMessage("@@cc/res:transit-result") on InternalAction.x: the action is reserved to clustercore (Macros); choose another name'],
  ['R-DEC-6: two handlers for one action in one role', 'duplicate-handler', 'bootstrap: action "DUP" has two @OnMessage handlers in the worker role, FirstHandler.a and SecondHandler.b; keep one'],
  ['R-DEC-6: @Trace without @OnMessage', 'trace-without-on-message', "bootstrap: TraceOnly.lonely has @Trace() but no @OnMessage(action); add @OnMessage('ACTION') to it"],
  ['R-DEC-6: reflect-metadata not loaded (at bootstrap)', 'no-reflect', "bootstrap: reflect-metadata is not loaded; add `import 'reflect-metadata';` as the first line of your entry file"],
  ['R-DEC-6: reflect-metadata not loaded (when a class is decorated)', 'no-reflect-decorator', "@Worker() on DefinedTooEarly: reflect-metadata is not loaded; add `import 'reflect-metadata';` as the first line of your entry file"],
  ['R-DEC-6: an option of the wrong type', 'bad-option', `bootstrap: option 'workers' must be an integer >= 0, got "2"`],
  ['ISSUE-5: bootstrap of something that is not a @Module class', 'not-a-module', 'bootstrap: the app module must be a class decorated with @Module({ providers }), got function NotAModule'],
];

describe('R-DEC-6: misuse fails at bootstrap', () => {
  for (const [title, name, message] of CASES) {
    it(title, async () => {
      expect((await failureOf(name)).message).toBe(message);
    });
  }

  it('R-DEC-6: an unresolvable dependency (interface type) names the class and the parameter index', async () => {
    const { message } = await failureOf('interface-dependency');
    expect(message).toMatch(/^bootstrap: cannot resolve parameter index 1 of NeedsInterface's constructor: its type is Object at run time/);
  });

  it('R-DEC-6: an unresolvable dependency (class without type information) names it and the chain', async () => {
    const { message } = await failureOf('plain-dependency');
    expect(message).toMatch(/^bootstrap: Plain has 1 constructor parameter\(s\) but no type information \(needed by NeedsPlain → Plain\): decorate it with @injectable\(\)/);
  });

  it('ISSUE-5: a role class injected into another role names both (it is never constructed there)', async () => {
    const { message } = await failureOf('cross-role-dependency');
    expect(message).toMatch(/^bootstrap: cannot resolve parameter index 0 of NeedsWorker's constructor: Web is a @Worker\(\) class/);
  });
});

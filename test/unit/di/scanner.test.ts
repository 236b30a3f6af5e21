/**
 * The scanner and dependency check without processes (R-DEC-2, R-DEC-6): plans in declared order,
 * handlers by action, and every misuse reported with class, method and parameter index.
 * vitest's transform emits decorator metadata (emitDecoratorMetadata), so tsyringe works here.
 */
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { container, inject, injectable, singleton, type InjectionToken } from 'tsyringe';
import { Master } from '../../../src/di/decorators/master';
import { Worker } from '../../../src/di/decorators/worker';
import { Alone } from '../../../src/di/decorators/alone';
import { OnMessage } from '../../../src/di/decorators/on-message';
import { Trace } from '../../../src/di/decorators/trace';
import { Module } from '../../../src/di/decorators/module';
import { scanApp } from '../../../src/di/scanner';
import { ClusterCore } from '../../../src/core/cluster-core';
import { defineAction } from '../../../src/core/action';
import { ClusterCoreError } from '../../../src/protocol/errors';

type AnyClass = abstract new (...args: never[]) => object;
const moduleOf = (providers: unknown[], imports: unknown[] = []) => {
  @Module({ providers: providers as AnyClass[], imports: imports as AnyClass[] })
  class TestModule {}
  return TestModule;
};
const scanError = (mod: unknown, isRegistered?: (t: unknown) => boolean): ClusterCoreError => {
  try {
    scanApp(mod, { isRegistered });
  } catch (err) {
    expect(err).toBeInstanceOf(ClusterCoreError);
    return err as ClusterCoreError;
  }
  throw new Error('scanApp did not throw');
};

const Ping = defineAction<{ n: number }, number>('PING');

/** A stand-in ClusterCore instance: what bootstrap registers in the process's container. */
const fakeCore = Object.create(ClusterCore.prototype) as ClusterCore;

/**
 * Resolves `cls` from a plan as bootstrap does (one child container, ClusterCore in it, providers as
 * singletons unless the root container has them, extra tokens registered by the app), so a test can
 * check that what the scanner accepted really resolves.
 */
function resolveLikeBootstrap<T>(plan: ReturnType<typeof scanApp>, cls: new (...args: never[]) => T, tokens: [InjectionToken, unknown][] = []): T {
  const scope = container.createChildContainer();
  scope.registerInstance(ClusterCore, fakeCore);
  for (const [token, value] of tokens) scope.registerInstance(token, value);
  for (const p of plan.providers) if (!container.isRegistered(p as InjectionToken, true)) scope.registerSingleton(p as never);
  return scope.resolve(cls as unknown as InjectionToken<T>);
}

@injectable()
class Greeter {
  constructor(readonly core: ClusterCore) {}
}

@Worker()
class Web {
  constructor(readonly core: ClusterCore, readonly greeter: Greeter) {}
  @OnMessage(Ping) @Trace()
  ping(p: { n: number }): number { return p.n; }
  @OnMessage('NOTE')
  note(): void {}
}

@Worker()
class Web2 {
  @OnMessage('OTHER') other(): void {}
}

@Master()
class Boss {
  @OnMessage('PING') @Trace()
  ping(): number { return 0; }
}

@Alone()
class Job {}

describe('ISSUE-5: scanApp builds the plan', () => {
  it('R-DEC-2: role classes by role in declared order (imports first), services apart, each once', () => {
    const services = moduleOf([Greeter, Job]);
    const plan = scanApp(moduleOf([Boss, Web, Web2, Greeter], [services]));
    expect(plan.roles.worker.classes).toEqual([Web, Web2]);
    expect(plan.roles.master.classes).toEqual([Boss]);
    expect(plan.roles.alone.classes).toEqual([Job]);
    expect(plan.providers).toEqual([Greeter]);
  });

  it('R-DEC-3/R-DEC-4: handlers by action per role, with their @Trace flag; a token names its action', () => {
    const plan = scanApp(moduleOf([Boss, Web, Web2, Greeter]));
    const worker = [...plan.roles.worker.handlers.values()].map((h) => [h.action, h.cls, h.methodName, h.trace]);
    expect(worker).toEqual([['PING', Web, 'ping', true], ['NOTE', Web, 'note', false], ['OTHER', Web2, 'other', false]]);
    // The same action in another role is not a duplicate.
    expect(plan.roles.master.handlers.get('PING')).toMatchObject({ cls: Boss, trace: true });
  });

  it('ISSUE-5: a subclass of a role class inherits its handlers', () => {
    @Worker()
    class Derived extends Web2 {
      @OnMessage('MORE') more(): void {}
    }
    const plan = scanApp(moduleOf([Derived]));
    expect([...plan.roles.worker.handlers.keys()]).toEqual(['OTHER', 'MORE']);
    // …without changing the base class.
    expect([...scanApp(moduleOf([Web2])).roles.worker.handlers.keys()]).toEqual(['OTHER']);
  });
});

describe('R-DEC-6: misuse is reported with class and method', () => {
  it('R-DEC-6: two roles on one class', () => {
    @Alone() @Worker()
    class Both {}
    expect(scanError(moduleOf([Both])).message).toBe('bootstrap: class Both is decorated with @Alone() and @Worker(); a class is the entry of one role only');
  });

  it('R-DEC-6: @OnMessage or @Trace on a class that is not a role class', () => {
    class Plain { @OnMessage('X') x(): void {} }
    expect(scanError(moduleOf([Plain])).message).toContain('Plain.x has @OnMessage("X") but Plain is not a role class');
    class PlainTrace { @Trace() y(): void {} }
    expect(scanError(moduleOf([PlainTrace])).message).toContain('PlainTrace.y has @Trace() but PlainTrace is not a role class');
  });

  it('R-DEC-6: an empty, non-string or internal action', () => {
    @Worker() class A { @OnMessage('') a(): void {} }
    expect(scanError(moduleOf([A])).message).toContain('@OnMessage on A.a needs a non-empty action string');
    @Worker() class B { @OnMessage(42 as unknown as string) b(): void {} }
    expect(scanError(moduleOf([B])).message).toContain('@OnMessage on B.b needs a non-empty action string (or a defineAction() token), got number 42');
    @Worker() class C { @OnMessage('@@cc/evt:process-ready') c(): void {} }
    expect(scanError(moduleOf([C])).message).toContain('@OnMessage("@@cc/evt:process-ready") on C.c: the action is reserved to clustercore');
  });

  it('R-DEC-6: two handlers for one action in one role (also within one class)', () => {
    @Worker() class D { @OnMessage('NOTE') again(): void {} }
    expect(scanError(moduleOf([Web, D, Greeter])).message).toBe('bootstrap: action "NOTE" has two @OnMessage handlers in the worker role, Web.note and D.again; keep one');
    @Master() class E { @OnMessage('Z') one(): void {} @OnMessage('Z') two(): void {} }
    expect(scanError(moduleOf([E])).message).toContain('E.one and E.two');
  });

  it('R-DEC-6: @Trace without @OnMessage', () => {
    @Master() class F { @Trace() lonely(): void {} }
    expect(scanError(moduleOf([F])).message).toBe("bootstrap: F.lonely has @Trace() but no @OnMessage(action); add @OnMessage('ACTION') to it");
  });

  it('R-DEC-6: reflect-metadata not loaded', () => {
    const r = Reflect as unknown as Record<string, unknown>;
    const saved = r.getOwnMetadata;
    delete r.getOwnMetadata;
    try {
      expect(scanError(moduleOf([Job])).message).toBe("bootstrap: reflect-metadata is not loaded; add `import 'reflect-metadata';` as the first line of your entry file");
    } finally {
      r.getOwnMetadata = saved;
    }
  });

  it('ISSUE-5: a module of the wrong shape names the module and the index', () => {
    expect(scanError(class NoModule {}).message).toBe('bootstrap: the app module must be a class decorated with @Module({ providers }), got function NoModule');
    expect(scanError(moduleOf(['Web'])).message).toBe('bootstrap: providers[0] of module TestModule must be a class, got "Web"');
    expect(scanError(moduleOf([], [Web])).message).toBe('bootstrap: imports[0] of module TestModule must be a class decorated with @Module({ providers }), got function Web');
    @Module({ providers: Web as never }) class Flat {}
    expect(scanError(Flat).message).toBe("bootstrap: @Module() of Flat: 'providers' must be an array, got function Web");
  });
});

describe('R-DEC-6: dependencies are checked before anything starts', () => {
  it('R-DEC-2: ClusterCore, providers, @injectable classes and registered tokens resolve', () => {
    @Worker() class UsesToken { constructor(@inject('CONFIG') readonly config: object, readonly greeter: Greeter) {} }
    const plan = scanApp(moduleOf([UsesToken, Greeter]), { isRegistered: (t) => t === 'CONFIG' });
    expect(plan.roles.worker.classes).toEqual([UsesToken]);
    expect(plan.providers).toEqual([Greeter]);
    const config = { port: 1 };
    const made = resolveLikeBootstrap(plan, UsesToken, [['CONFIG', config]]);
    expect(made.config).toBe(config);
    expect(made.greeter).toBeInstanceOf(Greeter);
    expect(made.greeter.core).toBe(fakeCore);
  });

  it('R-DEC-6: an unregistered token, an interface type, a class without type info — with the parameter index', () => {
    @Worker() class UsesToken { constructor(readonly core: ClusterCore, @inject('CONFIG') readonly config: object) {} }
    expect(scanError(moduleOf([UsesToken])).message).toBe("bootstrap: cannot resolve parameter index 1 of UsesToken's constructor: token \"CONFIG\" is not registered; register it (container.register(...)) before bootstrap()");
    interface Settings { port: number }
    @Worker() class UsesInterface { constructor(readonly core: ClusterCore, readonly s: Settings) {} }
    expect(scanError(moduleOf([UsesInterface])).message).toMatch(/^bootstrap: cannot resolve parameter index 1 of UsesInterface's constructor: its type is Object at run time/);
    class NoInfo { constructor(readonly n: number) {} }
    @Worker() class UsesNoInfo { constructor(readonly x: NoInfo) {} }
    expect(scanError(moduleOf([UsesNoInfo])).message).toMatch(/^bootstrap: NoInfo has 1 constructor parameter\(s\) but no type information \(needed by UsesNoInfo → NoInfo\)/);
  });

  it('R-DEC-6: a deep dependency names the chain', () => {
    @injectable() class Leaf { constructor(@inject('MISSING') readonly x: unknown) {} }
    @injectable() class Middle { constructor(readonly leaf: Leaf) {} }
    @Alone() class Top { constructor(readonly middle: Middle) {} }
    expect(scanError(moduleOf([Top, Middle])).message).toBe(
      "bootstrap: cannot resolve parameter index 0 of Leaf's constructor (needed by Top → Middle → Leaf): token \"MISSING\" is not registered; register it (container.register(...)) before bootstrap()",
    );
  });

  it('ISSUE-5: a role class injected into another role is refused; into its own role it is fine', () => {
    @Master() class WantsWeb { constructor(readonly web: Web2) {} }
    expect(scanError(moduleOf([WantsWeb, Web2])).message).toMatch(/^bootstrap: cannot resolve parameter index 0 of WantsWeb's constructor: Web2 is a @Worker\(\) class/);
    @Worker() class SameRole { constructor(readonly web: Web2) {} }
    const plan = scanApp(moduleOf([SameRole, Web2]));
    expect(plan.roles.worker.classes).toEqual([SameRole, Web2]);
    expect(resolveLikeBootstrap(plan, SameRole).web).toBeInstanceOf(Web2);
  });

  it('ISSUE-5: a @singleton() service registered in the root container resolves', () => {
    @singleton() class Shared { constructor(readonly core: ClusterCore) {} }
    @Worker() class UsesShared { constructor(readonly shared: Shared) {} }
    const plan = scanApp(moduleOf([UsesShared]), { isRegistered: (t) => t === Shared });
    expect(plan.roles.worker.classes).toEqual([UsesShared]);
    // The root container makes it (once); the process's container finds it there.
    const child = container.createChildContainer();
    child.registerInstance(ClusterCore, fakeCore);
    const made = child.resolve(UsesShared);
    expect(made.shared).toBeInstanceOf(Shared);
    expect(child.resolve(UsesShared).shared).toBe(made.shared);
  });
});

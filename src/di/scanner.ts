/**
 * Reads what the decorators recorded and turns an app module into a plan: the role classes of each
 * role in declared order, their handlers by action, and the services. Every misuse of the decorator
 * API is reported here, at bootstrap, as a ClusterCoreError naming the class and the method (R-DEC-6).
 * Declared order: a module's imports first (depth first, each module once), then its own providers.
 */
import { ClusterCoreError, describe } from '../protocol/errors';
import { isInternalAction } from '../protocol/macros';
import type { ProcessRole } from '../runtime/engine';
import { ClusterCore } from '../core/cluster-core';
import { HANDLERS_KEY, MODULE_KEY, ROLE_KEY, TRACE_KEY, type HandlerMeta, type ModuleMeta, type RoleList } from './metadata-keys';
import { checkDependencies, nameOf } from './dependency-check';
import type { Class } from './class';

/** One `@OnMessage` handler, validated. */
export interface HandlerSpec {
  /** The action it handles. */
  readonly action: string;
  /** Its role class. */
  readonly cls: Class;
  /** Its method's name. */
  readonly methodName: string;
  /** True with `@Trace()`: it answers requests. */
  readonly trace: boolean;
}

/** Everything of one role. */
export interface RolePlan {
  /** Role classes in declared order. */
  readonly classes: Class[];
  /** Handlers by action (one per action per role). */
  readonly handlers: Map<string, HandlerSpec>;
}

/** The validated app. */
export interface AppPlan {
  /** Role classes and handlers of each role. */
  readonly roles: Record<ProcessRole, RolePlan>;
  /** Service classes (providers that are not role classes), in declared order. */
  readonly providers: Class[];
}

/** Options of scanApp() (tests pass their own container check). */
export interface ScanOptions {
  /** Method name used in error messages. Default 'bootstrap'. */
  method?: string;
  /** True when the root tsyringe container has a registration for the token. */
  isRegistered?(token: unknown): boolean;
}

const ROLE_DECORATORS: Record<ProcessRole, string> = { master: '@Master()', worker: '@Worker()', alone: '@Alone()' };

/** Validates the module graph of `appModule` and returns its plan; throws ClusterCoreError on misuse. */
export function scanApp(appModule: unknown, options: ScanOptions = {}): AppPlan {
  const method = options.method ?? 'bootstrap';
  checkReflect(method);
  const plan: AppPlan = {
    roles: { master: emptyRole(), worker: emptyRole(), alone: emptyRole() },
    providers: [],
  };
  const roleClasses = new Map<unknown, ProcessRole>();
  for (const cls of collectProviders(appModule, method)) {
    const role = roleOf(cls, method);
    if (role === null) {
      checkNoHandlers(cls, method);
      plan.providers.push(cls);
      continue;
    }
    roleClasses.set(cls, role);
    plan.roles[role].classes.push(cls);
    addHandlers(plan.roles[role], cls, role, method);
  }
  const roots = [...plan.roles.master.classes, ...plan.roles.worker.classes, ...plan.roles.alone.classes, ...plan.providers];
  checkDependencies(method, roots, {
    coreToken: ClusterCore,
    providers: new Set(plan.providers),
    roleClasses,
    isRegistered: options.isRegistered ?? (() => false),
  });
  return plan;
}

/** reflect-metadata must be loaded: decorators and tsyringe keep everything in its store. */
export function checkReflect(method: string): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getOwnMetadata !== 'function' || typeof r.defineMetadata !== 'function' || typeof r.getMetadata !== 'function') {
    throw new ClusterCoreError(`${method}: reflect-metadata is not loaded; add \`import 'reflect-metadata';\` as the first line of your entry file`);
  }
}

function emptyRole(): RolePlan {
  return { classes: [], handlers: new Map() };
}

/** Every provider of the graph, each once, in declared order. */
function collectProviders(appModule: unknown, method: string): Class[] {
  const out: Class[] = [];
  const seenProviders = new Set<unknown>();
  const seenModules = new Set<unknown>();
  const visit = (mod: unknown, where: string): void => {
    if (seenModules.has(mod)) return;
    const meta = typeof mod === 'function' ? (Reflect.getOwnMetadata(MODULE_KEY, mod) as ModuleMeta | null | undefined) : undefined;
    if (meta === undefined) throw new ClusterCoreError(`${method}: ${where} must be a class decorated with @Module({ providers }), got ${describe(mod)}`);
    const name = nameOf(mod);
    if (typeof meta !== 'object' || meta === null) throw new ClusterCoreError(`${method}: @Module() of ${name} must be given { imports?, providers? }, got ${describe(meta)}`);
    for (const field of ['imports', 'providers'] as const) {
      const list = meta[field];
      if (list !== undefined && !Array.isArray(list)) throw new ClusterCoreError(`${method}: @Module() of ${name}: '${field}' must be an array, got ${describe(list)}`);
    }
    seenModules.add(mod);
    (meta.imports ?? []).forEach((imported, i) => visit(imported, `imports[${i}] of module ${name}`));
    (meta.providers ?? []).forEach((p, i) => {
      if (typeof p !== 'function') throw new ClusterCoreError(`${method}: providers[${i}] of module ${name} must be a class, got ${describe(p)}`);
      if (seenProviders.has(p)) return;
      seenProviders.add(p);
      out.push(p as Class);
    });
  };
  visit(appModule, 'the app module');
  return out;
}

/** The role of a class, or null for a service; two roles is a misuse. */
function roleOf(cls: Class, method: string): ProcessRole | null {
  const roles = (Reflect.getOwnMetadata(ROLE_KEY, cls) as RoleList | undefined) ?? [];
  const distinct = [...new Set(roles)];
  if (distinct.length > 1 || roles.length > 1) {
    // Decorators apply bottom-up: reverse to name them in source order.
    throw new ClusterCoreError(`${method}: class ${nameOf(cls)} is decorated with ${[...roles].reverse().map((r) => ROLE_DECORATORS[r]).join(' and ')}; a class is the entry of one role only`);
  }
  return distinct[0] ?? null;
}

/** A service may not carry @OnMessage or @Trace: nothing would route messages to it. */
function checkNoHandlers(cls: Class, method: string): void {
  const handlers = (Reflect.getMetadata(HANDLERS_KEY, cls.prototype) as HandlerMeta[] | undefined) ?? [];
  const traces = (Reflect.getMetadata(TRACE_KEY, cls.prototype) as string[] | undefined) ?? [];
  const first = handlers[0];
  const what = first ? `${nameOf(cls)}.${first.methodName} has @OnMessage(${describe(first.action)})` : traces.length > 0 ? `${nameOf(cls)}.${traces[0]} has @Trace()` : null;
  if (what) throw new ClusterCoreError(`${method}: ${what} but ${nameOf(cls)} is not a role class; add @Master(), @Worker() or @Alone() to ${nameOf(cls)}`);
}

function addHandlers(plan: RolePlan, cls: Class, role: ProcessRole, method: string): void {
  const handlers = (Reflect.getMetadata(HANDLERS_KEY, cls.prototype) as HandlerMeta[] | undefined) ?? [];
  const traces = new Set((Reflect.getMetadata(TRACE_KEY, cls.prototype) as string[] | undefined) ?? []);
  const at = (h: { methodName: string }) => `${nameOf(cls)}.${h.methodName}`;
  for (const h of handlers) {
    if (!h.isMethod) throw new ClusterCoreError(`${method}: @OnMessage(${describe(h.action)}) on ${at(h)}: ${h.methodName} is not a method`);
    if (typeof h.action !== 'string' || h.action === '') {
      throw new ClusterCoreError(`${method}: @OnMessage on ${at(h)} needs a non-empty action string (or a defineAction() token), got ${describe(h.action)}`);
    }
    if (isInternalAction(h.action)) {
      throw new ClusterCoreError(`${method}: @OnMessage(${describe(h.action)}) on ${at(h)}: the action is reserved to clustercore (Macros); choose another name`);
    }
    const other = plan.handlers.get(h.action);
    if (other) {
      throw new ClusterCoreError(
        `${method}: action ${describe(h.action)} has two @OnMessage handlers in the ${role} role, ${nameOf(other.cls)}.${other.methodName} and ${at(h)}; keep one`,
      );
    }
    plan.handlers.set(h.action, { action: h.action, cls, methodName: h.methodName, trace: traces.has(h.methodName) });
  }
  const handled = new Set(handlers.map((h) => h.methodName));
  for (const name of traces) {
    if (!handled.has(name)) throw new ClusterCoreError(`${method}: ${nameOf(cls)}.${name} has @Trace() but no @OnMessage(action); add @OnMessage('ACTION') to it`);
  }
}

/**
 * Checks, before anything is constructed or forked, that tsyringe can build every role class and
 * provider: each constructor parameter must be ClusterCore, a provider, a registered token, or a
 * class tsyringe can construct; a role class may only be injected into classes of its own role.
 * Errors name the class and the parameter index (tsyringe's own "position #N of X" idea).
 */
import { ClusterCoreError, describe } from '../protocol/errors';
import type { ProcessRole } from '../runtime/engine';
import { HANDLERS_KEY } from './metadata-keys';
import { paramInfoOf } from './tsyringe-info';
import type { Class } from './class';

/** What the check needs to know about the app and the container. */
export interface DependencyScope {
  /** The token bootstrap() registers as this process's ClusterCore. */
  readonly coreToken: unknown;
  /** Provider classes (not role classes) of the whole module graph. */
  readonly providers: ReadonlySet<unknown>;
  /** Role classes and their role. */
  readonly roleClasses: ReadonlyMap<unknown, ProcessRole>;
  /** True when the (root) container already has a registration for the token. */
  isRegistered(token: unknown): boolean;
}

// Types whose emitted metadata means "no run-time token": interfaces and type-only imports emit
// Object, primitives their wrapper.
const NO_TOKEN_TYPES = new Set<unknown>([Object, String, Number, Boolean, Symbol, BigInt, Array, Function, Promise]);

const DECORATOR_OF: Record<ProcessRole, string> = { master: '@Master()', worker: '@Worker()', alone: '@Alone()' };

/** Throws a ClusterCoreError for the first dependency tsyringe could not resolve. */
export function checkDependencies(method: string, roots: readonly Class[], scope: DependencyScope): void {
  const done = new Set<string>();
  const seen = new Map<unknown, number>();
  let nextId = 0;
  const idOf = (cls: unknown) => {
    let id = seen.get(cls);
    if (id === undefined) seen.set(cls, (id = nextId++));
    return id;
  };

  const visit = (cls: Class, role: ProcessRole | null, chain: Class[]): void => {
    const key = `${idOf(cls)}:${role}`;
    if (done.has(key)) return;
    const path = [...chain, cls];
    const via = chain.length > 0 ? ` (needed by ${path.map(nameOf).join(' → ')})` : '';
    const params = paramInfoOf(cls);
    if (params === null) {
      throw new ClusterCoreError(
        `${method}: ${nameOf(cls)} has ${cls.length} constructor parameter(s) but no type information${via}: ` +
          `decorate it with @injectable() (tsyringe) or a role decorator, compile with emitDecoratorMetadata (tsc; esbuild and tsx do not emit it), ` +
          `and import 'reflect-metadata' before the class is defined`,
      );
    }
    params.forEach((param, index) => {
      const at = `parameter index ${index} of ${nameOf(cls)}'s constructor${via}`;
      let token = param;
      if (isObject(param) && 'token' in param) {
        // @inject / @injectAll / transform descriptors: the token is what must be resolvable.
        if ((param as { isOptional?: boolean }).isOptional || 'transform' in param) return;
        token = (param as { token: unknown }).token;
      }
      if (token === scope.coreToken) return;
      if (isObject(token) && typeof (token as { createProxy?: unknown }).createProxy === 'function') return; // delay(() => X)
      if (token === undefined) {
        throw new ClusterCoreError(`${method}: cannot resolve ${at}: its type is undefined at run time, usually a circular import between the two files; break the cycle or use delay() from tsyringe`);
      }
      if (typeof token === 'string' || typeof token === 'symbol') {
        if (scope.isRegistered(token)) return;
        throw new ClusterCoreError(`${method}: cannot resolve ${at}: token ${describe(token)} is not registered; register it (container.register(...)) before bootstrap()`);
      }
      if (typeof token !== 'function') {
        throw new ClusterCoreError(`${method}: cannot resolve ${at}: ${describe(token)} is not an injection token`);
      }
      const dep = token as Class;
      if (NO_TOKEN_TYPES.has(dep)) {
        if (scope.isRegistered(dep)) return;
        throw new ClusterCoreError(
          `${method}: cannot resolve ${at}: its type is ${dep.name} at run time (an interface, a type-only import or a primitive has no token); ` +
            `inject a class, or use @inject(token) with a registered token`,
        );
      }
      const depRole = scope.roleClasses.get(dep);
      if (depRole) {
        if (role !== null && depRole !== role) {
          throw new ClusterCoreError(
            `${method}: cannot resolve ${at}: ${nameOf(dep)} is a ${DECORATOR_OF[depRole]} class and is constructed only in that role's processes, not in the ${role} role; ` +
              `talk to it with messages instead`,
          );
        }
        return; // a root of its own, checked separately
      }
      if (Reflect.getMetadata(HANDLERS_KEY, dep.prototype)) {
        throw new ClusterCoreError(`${method}: ${nameOf(dep)} has @OnMessage handlers but is not a role class${via}; add @Master(), @Worker() or @Alone() to it and list it in providers`);
      }
      if (path.includes(dep)) {
        throw new ClusterCoreError(`${method}: circular dependency ${[...path, dep].map(nameOf).join(' → ')}; break it or use delay() from tsyringe`);
      }
      // A registered token that is not one of our providers may be a value or a factory: not ours to check.
      if (!scope.providers.has(dep) && scope.isRegistered(dep)) return;
      visit(dep, role, path);
    });
    done.add(key);
  };

  for (const root of roots) visit(root, scope.roleClasses.get(root) ?? null, []);
}

/** A class's name for messages. */
export function nameOf(cls: unknown): string {
  return typeof cls === 'function' && cls.name ? cls.name : '(anonymous class)';
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/**
 * Every metadata key the decorators write and the scanner reads, with the shape stored under it
 * (Nest's `constants.ts` idea): decorators only record, bootstrap() validates and wires.
 */
import { ClusterCoreError } from '../protocol/errors';
import type { ProcessRole } from '../runtime/engine';

/** On a class: every role decorator applied to it, in application order (more than one is a misuse). */
export const ROLE_KEY = 'clustercore:role';
/** On a prototype: the `@OnMessage` declarations of its methods (inherited ones included). */
export const HANDLERS_KEY = 'clustercore:on-message';
/** On a prototype: names of the methods marked with `@Trace()`. */
export const TRACE_KEY = 'clustercore:trace';
/** On a class: the `@Module({ imports, providers })` metadata. */
export const MODULE_KEY = 'clustercore:module';
/** Written by TypeScript (emitDecoratorMetadata) on a decorated class: its constructor parameter types. */
export const PARAM_TYPES_KEY = 'design:paramtypes';
/** Written by tsyringe's `@inject(token)` on a class: parameter index → token. */
export const INJECTION_TOKENS_KEY = 'injectionTokens';

/** One `@OnMessage(action)` on a method. The action is kept raw: the scanner reports bad ones. */
export interface HandlerMeta {
  /** The action as given (a string, or a token's name). */
  readonly action: unknown;
  /** The method's name. */
  readonly methodName: string;
  /** False when the decorator was applied to something that is not a method. */
  readonly isMethod: boolean;
}

/** The argument of `@Module()`. */
export interface ModuleMeta {
  /** Other `@Module` classes whose providers join this one. */
  readonly imports?: readonly unknown[];
  /** Role classes and services. */
  readonly providers?: readonly unknown[];
}

/** Roles recorded on a class by `@Master`/`@Worker`/`@Alone`. */
export type RoleList = readonly ProcessRole[];

/**
 * Throws when reflect-metadata is missing. Decorators run when a class is defined, so this is the
 * earliest place to say so clearly (instead of "Reflect.defineMetadata is not a function").
 */
export function requireReflect(decorator: string, target: object): void {
  if (typeof (Reflect as { defineMetadata?: unknown }).defineMetadata === 'function') return;
  const name = typeof target === 'function' ? target.name : (target as { constructor?: { name?: string } }).constructor?.name;
  throw new ClusterCoreError(`${decorator} on ${name || '(anonymous class)'}: reflect-metadata is not loaded; add \`import 'reflect-metadata';\` as the first line of your entry file`);
}

/** Appends `item` to the array stored under `key` on `target`, copying an inherited array first. */
export function appendMetadata<T>(key: string, target: object, item: T): void {
  const own = Reflect.getOwnMetadata(key, target) as T[] | undefined;
  const list = own ?? [...((Reflect.getMetadata(key, target) as T[] | undefined) ?? [])];
  list.push(item);
  if (!own) Reflect.defineMetadata(key, list, target);
}

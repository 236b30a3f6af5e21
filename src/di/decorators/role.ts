/** Shared body of `@Master()`, `@Worker()` and `@Alone()`: record the role, make the class injectable. */
import { injectable } from 'tsyringe';
import type { ProcessRole } from '../../runtime/engine';
import { ROLE_KEY, requireReflect, type RoleList } from '../metadata-keys';

/** Any class (constructor parameters are checked by bootstrap(), not by the type). */
export type AnyClass = abstract new (...args: never[]) => object;

/** A class decorator that marks its class as an entry of `role`. */
export function roleDecorator(role: ProcessRole): <T extends AnyClass>(target: T) => void {
  const decorator = role === 'master' ? '@Master()' : role === 'worker' ? '@Worker()' : '@Alone()';
  return (target) => {
    requireReflect(decorator, target);
    // Own roles only: a subclass of a role class is not of that role until it is decorated itself.
    const own = (Reflect.getOwnMetadata(ROLE_KEY, target) as RoleList | undefined) ?? [];
    Reflect.defineMetadata(ROLE_KEY, [...own, role], target);
    // tsyringe's constructor type is `new (...args: any[]) => T`; ours is stricter, the value is the same class.
    injectable()(target as unknown as new () => object);
  };
}

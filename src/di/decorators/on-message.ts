/** `@OnMessage(action)`: the method handles that action in its role's processes, as `(payload, ctx)`. */
import type { ActionToken } from '../../core/action';
import type { MessageContext } from '../message-context';
import { HANDLERS_KEY, appendMetadata, requireReflect, type HandlerMeta } from '../metadata-keys';

/** A method decorator accepting methods assignable to the `Shape`. */
export type HandlerDecorator<Shape> = <Method extends Shape>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<Method>) => void;

/** Handles `action` (a string): the method is called with `(payload, ctx)`. */
export function OnMessage(action: string): HandlerDecorator<(payload: never, ctx: MessageContext<never>) => unknown>;
/** Handles a typed action: the compiler checks the payload type and, with `@Trace`, the result type. */
export function OnMessage<Payload, Result>(
  action: ActionToken<Payload, Result>,
): HandlerDecorator<(payload: Payload, ctx: MessageContext<Result>) => Result | Promise<Result>>;
export function OnMessage(action: string | ActionToken<unknown, unknown>): (target: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => void {
  // An empty or internal action is recorded as given and reported by bootstrap() with class and method.
  const name: unknown = typeof action === 'object' && action !== null ? (action as { name?: unknown }).name : action;
  return (target, propertyKey, descriptor) => {
    requireReflect('@OnMessage()', target);
    const meta: HandlerMeta = { action: name, methodName: String(propertyKey), isMethod: typeof descriptor?.value === 'function' };
    appendMetadata(HANDLERS_KEY, target, meta);
  };
}

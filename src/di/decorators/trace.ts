/** `@Trace()`: the `@OnMessage` handler answers requests with its (awaited) return value. */
import { TRACE_KEY, appendMetadata, requireReflect } from '../metadata-keys';

/** Makes an `@OnMessage` handler answer requests: the awaited return value is the reply, a throw a RemoteError. */
export function Trace(): (target: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => void {
  return (target, propertyKey) => {
    requireReflect('@Trace()', target);
    appendMetadata(TRACE_KEY, target, String(propertyKey));
  };
}

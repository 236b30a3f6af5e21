/**
 * Nesting depth of the global object's data (R-GLOBAL, issue 14): a store nested deeper than JSON
 * can carry stops answering, so writes that would make it so are refused. Measured without
 * recursion, so a value nested 20 000 levels is measured, not a stack overflow.
 */
import { MAX_DATA_DEPTH } from '../../protocol/limits';

/**
 * Deepest the whole global object may be (the object itself is depth 1). Two levels below
 * MAX_DATA_DEPTH: a reply carries the store as `{ payload: { globalObject } }`, and the reply too
 * must stay within MAX_DATA_DEPTH.
 */
export const MAX_GLOBAL_OBJECT_DEPTH = MAX_DATA_DEPTH - 2;

/**
 * Depth of `value` (a primitive is 0, `{}` and `[]` are 1, `{ a: [] }` is 2), or `Infinity` as soon
 * as it is known to pass `max`: the walk stops there, so a huge deep value costs no more than `max`
 * levels of it.
 */
export function dataDepth(value: unknown, max = Infinity): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  const stack: [object, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > max) return Infinity;
    }
    const children = Array.isArray(node) ? node : Object.values(node);
    for (let i = 0; i < children.length; i++) {
      const child: unknown = children[i];
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

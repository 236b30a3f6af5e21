/** `@Worker()`: the class is an entry of every worker process, constructed once in each. */
import { roleDecorator, type AnyClass } from './role';

/** Marks a class as an entry of the worker processes ('W:<n>') and makes it injectable. */
export function Worker(): <T extends AnyClass>(target: T) => void {
  return roleDecorator('worker');
}

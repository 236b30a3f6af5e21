/** `@Master()`: the class is an entry of the master process, constructed only there. */
import { roleDecorator, type AnyClass } from './role';

/** Marks a class as an entry of the master process ('M') and makes it injectable. */
export function Master(): <T extends AnyClass>(target: T) => void {
  return roleDecorator('master');
}
